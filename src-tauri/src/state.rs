//! The shell's state: at most one unlocked vault, the wrong-password back-off, the time of the
//! user's last activity, and the settings. Every data command goes through [`Shell::read`] or
//! [`Shell::write`], which refuse with `vault.locked` while no vault is open.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tresor::Vault;

use crate::error::{codes, ApiError, ApiResult};
use crate::settings::Settings;

/// Longest wait after repeated wrong passwords.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Wrong passwords make the next attempt wait a little longer each time: 1, 2, 4 … 30 s.
#[derive(Debug, Default)]
pub struct Backoff {
    failures: u32,
    not_before: Option<Instant>,
}

impl Backoff {
    pub fn delay_after(failures: u32) -> Duration {
        if failures == 0 {
            return Duration::ZERO;
        }
        let secs = 1u64.checked_shl(failures.saturating_sub(1).min(16)).unwrap_or(u64::MAX);
        Duration::from_secs(secs).min(MAX_BACKOFF)
    }

    /// Seconds until the next attempt is allowed (0 = now).
    pub fn wait_seconds(&self, now: Instant) -> u64 {
        match self.not_before {
            Some(t) if t > now => (t - now).as_secs_f64().ceil() as u64,
            _ => 0,
        }
    }

    pub fn check(&self, now: Instant) -> ApiResult<()> {
        match self.wait_seconds(now) {
            0 => Ok(()),
            s => Err(ApiError::new(codes::UNLOCK_WAIT).with("seconds", s)),
        }
    }

    /// Records a wrong secret and returns the number of failures so far and the wait before the
    /// next try.
    pub fn failed(&mut self, now: Instant) -> (u32, Duration) {
        self.failures = self.failures.saturating_add(1);
        let d = Self::delay_after(self.failures);
        self.not_before = Some(now + d);
        (self.failures, d)
    }

    pub fn succeeded(&mut self) {
        *self = Backoff::default();
    }
}

pub struct Shell {
    vault: Mutex<Option<Vault>>,
    pub(crate) backoff: Mutex<Backoff>,
    last_activity: Mutex<Instant>,
    settings: Mutex<Settings>,
    settings_path: Option<PathBuf>,
}

fn guard<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a lock must not make the app unusable: the data behind it is a
    // plain value (or the vault, whose every write is a transaction).
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Shell {
    /// `settings_path` is `None` in tests that need no settings file.
    pub fn new(settings_path: Option<PathBuf>) -> Shell {
        let settings = settings_path.as_deref().map(Settings::load).unwrap_or_default();
        Shell {
            vault: Mutex::new(None),
            backoff: Mutex::new(Backoff::default()),
            last_activity: Mutex::new(Instant::now()),
            settings: Mutex::new(settings),
            settings_path,
        }
    }

    /// Runs `f` on the open vault, or refuses with `vault.locked`.
    pub fn read<T>(&self, f: impl FnOnce(&Vault) -> tresor::Result<T>) -> ApiResult<T> {
        let g = guard(&self.vault);
        let v = g.as_ref().ok_or(tresor::Error::Locked)?;
        Ok(f(v)?)
    }

    /// Runs `f` on the open vault with write access, or refuses with `vault.locked`.
    pub fn write<T>(&self, f: impl FnOnce(&mut Vault) -> tresor::Result<T>) -> ApiResult<T> {
        let mut g = guard(&self.vault);
        let v = g.as_mut().ok_or(tresor::Error::Locked)?;
        Ok(f(v)?)
    }

    pub fn is_unlocked(&self) -> bool {
        guard(&self.vault).is_some()
    }

    /// Makes `v` the open vault (locking any other first) and remembers its folder.
    pub fn install(&self, v: Vault) {
        let folder = v.folder().to_path_buf();
        let previous = guard(&self.vault).replace(v);
        if let Some(p) = previous {
            let _ = p.lock();
        }
        self.touch();
        self.update_settings(|s| s.last_data_folder = Some(folder));
    }

    /// Takes a final snapshot, closes the database and wipes the key. Returns whether a vault
    /// was open. The vault is gone from the state even when the snapshot fails.
    pub fn lock(&self) -> ApiResult<bool> {
        let taken = guard(&self.vault).take();
        match taken {
            Some(v) => v.lock().map(|_| true).map_err(ApiError::from),
            None => Ok(false),
        }
    }

    pub fn touch(&self) {
        *guard(&self.last_activity) = Instant::now();
    }

    pub fn idle_for(&self) -> Duration {
        guard(&self.last_activity).elapsed()
    }

    pub fn settings(&self) -> Settings {
        guard(&self.settings).clone()
    }

    /// Changes the settings and writes them; a failed write is logged, not fatal (the settings
    /// hold only preferences).
    pub fn update_settings(&self, f: impl FnOnce(&mut Settings)) -> Settings {
        let mut g = guard(&self.settings);
        f(&mut g);
        if let Some(p) = &self.settings_path {
            if let Err(e) = g.save(p) {
                eprintln!("tresor: settings not saved: {e}");
            }
        }
        g.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_wrong_password_waits_longer_up_to_a_cap() {
        let waits: Vec<u64> = (0..9).map(|n| Backoff::delay_after(n).as_secs()).collect();
        assert_eq!(waits, vec![0, 1, 2, 4, 8, 16, 30, 30, 30]);
        assert_eq!(Backoff::delay_after(u32::MAX), MAX_BACKOFF);
    }

    #[test]
    fn an_attempt_during_the_wait_is_refused_with_the_seconds_left() {
        let mut b = Backoff::default();
        let t0 = Instant::now();
        assert!(b.check(t0).is_ok());
        b.failed(t0);
        b.failed(t0);
        let e = b.check(t0).unwrap_err();
        assert_eq!(e.code, "unlock.wait");
        assert_eq!(e.params["seconds"], 2);
        assert!(b.check(t0 + Duration::from_secs(2)).is_ok());
        b.succeeded();
        assert!(b.check(t0).is_ok());
    }
}
