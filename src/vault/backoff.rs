//! Wrong passwords on this computer. Unlock attempts on one vault run one after another (a lock
//! file taken before the key derivation, so parallel tries cannot multiply the rate), and each
//! wrong one makes the next wait longer: 1, 2, 4 … 30 s. The count lives in the vault's local
//! working folder, so a restart does not reset it, and never in the data folder: a synced
//! count would let one computer's typos lock out another.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::fsutil;
use crate::paths::{DataFolder, WorkingDir};

/// The longest wait after repeated wrong passwords.
pub const MAX_DELAY: Duration = Duration::from_secs(30);

/// The wait before the next try after `failures` wrong ones in a row.
pub fn delay_after(failures: u32) -> Duration {
    if failures == 0 {
        return Duration::ZERO;
    }
    let secs = 1u64.checked_shl(failures.saturating_sub(1).min(16)).unwrap_or(u64::MAX);
    Duration::from_secs(secs).min(MAX_DELAY)
}

#[derive(Debug, Clone, Copy, Default, serde::Deserialize)]
struct Record {
    failures: u32,
    /// UTC milliseconds of the last wrong try.
    last_failure_ms: i64,
}

impl Record {
    fn load(path: &Path) -> Record {
        // Unreadable counts as none: deleting the file has the same effect, and a damaged count
        // must not lock the user out.
        std::fs::read(path).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    /// The time until the next try is allowed. A clock set back cannot stretch the wait beyond
    /// the delay itself.
    fn wait(&self, now_ms: i64) -> Duration {
        let since = now_ms.saturating_sub(self.last_failure_ms).max(0) as u64;
        delay_after(self.failures).saturating_sub(Duration::from_millis(since))
    }
}

/// The right to try one secret on one vault, held for the duration of the try.
pub(crate) struct Attempt {
    _lock: File,
    path: PathBuf,
    record: Record,
}

impl Attempt {
    /// Waits for any other try on this vault to finish, then refuses (`unlock.wait`) while the
    /// back-off after wrong passwords runs.
    pub fn begin(work: &WorkingDir) -> Result<Attempt> {
        fsutil::create_dir_all(work.root())?;
        let lock_path = work.unlock_lock();
        let lock = fsutil::private_options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| Error::io("open", &lock_path, e))?;
        lock.lock().map_err(|e| Error::io("lock", &lock_path, e))?;
        let path = work.unlock_attempts();
        let record = Record::load(&path);
        match record.wait(now_ms()) {
            Duration::ZERO => Ok(Attempt { _lock: lock, path, record }),
            wait => Err(Error::UnlockWait { seconds: whole_seconds(wait) }),
        }
    }

    /// Records the outcome of the try: a wrong secret counts, a right one clears the count;
    /// anything else (a damaged file) says nothing about the secret. A count that cannot be
    /// written (a full disk) is not the user's answer's fault: the outcome stands as it is.
    pub fn settle<T>(mut self, outcome: &Result<T>) {
        match outcome {
            Err(Error::WrongSecret) => {
                self.record.failures = self.record.failures.saturating_add(1);
                self.record.last_failure_ms = now_ms();
                let r = self.record;
                let json = format!("{{\"failures\":{},\"last_failure_ms\":{}}}\n", r.failures, r.last_failure_ms);
                let _ = fsutil::write_atomic(&self.path, json.as_bytes());
            }
            Ok(_) if self.record.failures > 0 => {
                let _ = std::fs::remove_file(&self.path);
            }
            _ => {}
        }
    }
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// A wait in whole seconds, rounded up: "try again in 0 s" would be false.
pub fn whole_seconds(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// Wrong passwords in a row on this computer for the vault in `folder`, and the wait before the
/// next try (what the app shows before anyone types). Zero when the folder holds no vault.
pub fn unlock_wait_in(folder: &Path, local_root: &Path) -> (u32, Duration) {
    let Ok(header) = super::read_header(&DataFolder::new(folder)) else { return (0, Duration::ZERO) };
    let record = Record::load(&WorkingDir::in_root(local_root, &header.vault_id).unlock_attempts());
    (record.failures, record.wait(now_ms()))
}

/// [`unlock_wait_in`] under the default local root.
pub fn unlock_wait(folder: &Path) -> (u32, Duration) {
    unlock_wait_in(folder, &crate::paths::local_root())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_wrong_password_waits_longer_up_to_a_cap() {
        let waits: Vec<u64> = (0..9).map(|n| delay_after(n).as_secs()).collect();
        assert_eq!(waits, vec![0, 1, 2, 4, 8, 16, 30, 30, 30]);
        assert_eq!(delay_after(u32::MAX), MAX_DELAY);
    }

    #[test]
    fn the_wait_counts_down_and_a_clock_set_back_does_not_stretch_it() {
        let r = Record { failures: 3, last_failure_ms: 1_000_000 };
        let s = Duration::from_secs;
        assert_eq!(r.wait(1_000_000), s(4));
        assert_eq!(r.wait(1_003_000), s(1));
        assert_eq!(r.wait(1_003_500), Duration::from_millis(500));
        assert_eq!(whole_seconds(r.wait(1_003_500)), 1);
        assert_eq!(r.wait(1_004_000), Duration::ZERO);
        assert_eq!(r.wait(500_000), s(4), "a clock set back");
        assert_eq!(Record::default().wait(0), Duration::ZERO);
    }
}
