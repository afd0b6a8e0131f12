//! The shell's state: at most one unlocked vault, the time of the user's last activity, and the
//! settings. Every data command goes through [`Shell::read`] or [`Shell::write`], which refuse
//! with `vault.locked` while no vault is open. (The wrong-password back-off is the core's.)

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tresor::Vault;

use crate::error::{ApiError, ApiResult};
use crate::settings::Settings;

pub struct Shell {
    vault: Mutex<Option<Vault>>,
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
