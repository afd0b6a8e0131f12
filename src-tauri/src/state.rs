//! The shell's state: at most one unlocked vault, the time of the user's last activity, the
//! settings, and what the background worker last saw of the data folder. Every data command goes
//! through [`Shell::read`] or [`Shell::write`], which refuse with `vault.locked` while no vault is
//! open. (The wrong-password back-off is the core's.)
//!
//! Whether the vault is open is a flag of its own, read and cleared without the vault's lock:
//! locking (by the guard, on idle or sleep) takes effect at once, even while a background round
//! holds the vault or waits on the data folder; the vault's final write-out (segment, snapshot,
//! closed lease) follows on a thread of its own.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tresor::sync::{ForeignFile, Lease};
use tresor::vault::round::VaultAccess;
use tresor::Vault;

use crate::error::{ApiError, ApiResult};
use crate::settings::Settings;

/// What the last background round saw in the data folder; the window's status is read from
/// here, so asking for it never touches the folder.
#[derive(Debug, Clone, Default)]
pub struct FolderView {
    pub others_open: Vec<Lease>,
    pub foreign: Vec<ForeignFile>,
    pub in_transit: usize,
    /// The last round's failure (its code) or a caught panic; `None` after a good round.
    pub problem: Option<ApiError>,
}

/// Cheap to clone: every clone is the same state (the window's commands, the guard, the sync
/// worker and the closing thread each hold one).
#[derive(Clone)]
pub struct Shell {
    vault: Arc<Mutex<Option<Vault>>>,
    open: Arc<AtomicBool>,
    /// Held while a vault is being closed or installed, so a new one never meets a half-closed one.
    closing: Arc<Mutex<()>>,
    last_activity: Arc<Mutex<Instant>>,
    settings: Arc<Mutex<Settings>>,
    settings_path: Option<PathBuf>,
    view: Arc<Mutex<FolderView>>,
    /// Set once the window was asked to save before quitting, so a second Quit does not ask again.
    quitting: Arc<AtomicBool>,
    /// Threads reading on connections of their own (the invoice list's read ahead). The vault's
    /// end stops them; locking and quitting wait for them, because a thread still closing its
    /// SQLCipher connection when the process exits meets OpenSSL's exit-time cleanup and crashes.
    readers: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

/// What a request to quit does ([`Shell::quit_requested`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quit {
    /// Nothing is open: end now.
    Now,
    /// A vault is open: the window saves what was typed first and then calls `quit`.
    SaveFirst,
    /// The window was asked already; its answer (or the grace period) ends the app.
    Asked,
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
            vault: Arc::new(Mutex::new(None)),
            open: Arc::new(AtomicBool::new(false)),
            quitting: Arc::new(AtomicBool::new(false)),
            closing: Arc::new(Mutex::new(())),
            last_activity: Arc::new(Mutex::new(Instant::now())),
            settings: Arc::new(Mutex::new(settings)),
            settings_path,
            view: Arc::new(Mutex::new(FolderView::default())),
            readers: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// Keeps a reader thread for [`Shell::join_readers`]; forgets those already ended.
    pub fn keep_reader(&self, thread: JoinHandle<()>) {
        let mut readers = guard(&self.readers);
        readers.retain(|t| !t.is_finished());
        readers.push(thread);
    }

    /// Waits for the reader threads. Called once the vault is closed, which has stopped their
    /// reads (SQLite interrupt), so this waits only for them to close their connections.
    fn join_readers(&self) {
        let readers = std::mem::take(&mut *guard(&self.readers));
        for t in readers {
            if t.join().is_err() {
                tracing::warn!("a reader thread panicked; its rows were dropped");
            }
        }
    }

    /// Runs `f` on the open vault, or refuses with `vault.locked`.
    pub fn read<T>(&self, f: impl FnOnce(&Vault) -> tresor::Result<T>) -> ApiResult<T> {
        Ok(self.with_vault(|v| f(v))?)
    }

    /// Runs `f` on the open vault with write access, or refuses with `vault.locked`.
    pub fn write<T>(&self, f: impl FnOnce(&mut Vault) -> tresor::Result<T>) -> ApiResult<T> {
        Ok(self.with_vault(f)?)
    }

    /// Whether a vault is open and not being locked. Never waits on the vault.
    pub fn is_unlocked(&self) -> bool {
        self.open.load(Ordering::SeqCst)
    }

    /// Makes `v` the open vault (closing any other first) and remembers its folder.
    pub fn install(&self, v: Vault) {
        let folder = v.folder().to_path_buf();
        {
            let _closing = guard(&self.closing);
            self.open.store(false, Ordering::SeqCst);
            if let Some(previous) = guard(&self.vault).take() {
                let _ = previous.lock();
            }
            self.join_readers();
            *guard(&self.vault) = Some(v);
            *guard(&self.view) = FolderView::default();
            self.open.store(true, Ordering::SeqCst);
        }
        self.touch();
        self.update_settings(|s| s.last_data_folder = Some(folder));
    }

    /// Locks at once: every data command is refused from now on. Returns whether a vault was
    /// open. The final write-out runs on a thread of its own ([`Shell::close_pending`]); the
    /// caller never waits for the vault or the data folder.
    pub fn lock_now(&self) -> bool {
        let was_open = self.open.swap(false, Ordering::SeqCst);
        // A month-end run holding the vault stops before its next invoice and keeps nothing
        // (`Vault::issue_month` rolls back): a lock never leaves half a run behind.
        crate::billing::cancel_billing_run();
        if was_open {
            let shell = self.clone();
            let spawned = std::thread::Builder::new().name("tresor-close".into()).spawn(move || {
                let started = std::time::Instant::now();
                match shell.close_pending() {
                    Ok(()) => tracing::info!(ms = started.elapsed().as_millis() as u64, "locked and written out"),
                    Err(e) => crate::diag::failed("final write-out failed while locking", &e),
                }
            });
            if spawned.is_err() {
                tracing::error!(
                    code = crate::error::codes::THREAD_FAILED,
                    "cannot start the closing thread; the vault closes at the next unlock or exit"
                );
            }
        }
        was_open
    }

    /// Locks and waits for the final write-out: a last segment and, if anything changed, a
    /// snapshot; the lease marked closed; the database closed and the key wiped. Returns whether
    /// a vault was open.
    pub fn lock(&self) -> ApiResult<bool> {
        let was_open = self.open.swap(false, Ordering::SeqCst);
        crate::billing::cancel_billing_run();
        self.close_pending()?;
        Ok(was_open)
    }

    /// Every way of quitting (the window's close button, Cmd+Q, the app menu, the last window
    /// gone) asks this first: with a vault open, the window must save what was typed before the
    /// app ends.
    pub fn quit_requested(&self) -> Quit {
        if !self.is_unlocked() {
            Quit::Now
        } else if self.quitting.swap(true, Ordering::SeqCst) {
            Quit::Asked
        } else {
            Quit::SaveFirst
        }
    }

    /// Quitting: refuses data commands at once and writes only what must not wait — the last
    /// segment and the closed lease ([`Vault::close_at_exit`]); the snapshot waits for the next
    /// start. Waits for a closing already under way. Returns whether a vault was closed here.
    pub fn close_at_exit(&self) -> ApiResult<bool> {
        let was_open = self.open.swap(false, Ordering::SeqCst);
        crate::billing::cancel_billing_run();
        let _closing = guard(&self.closing);
        let taken = guard(&self.vault).take();
        let closed = match taken {
            Some(v) => v.close_at_exit().map(|()| true).map_err(ApiError::from),
            None => Ok(was_open),
        };
        self.join_readers();
        closed
    }

    /// Closes a vault that was locked but not closed yet (waits for a closing in progress).
    /// Unlocking calls this first: the working copy is free again afterwards.
    pub fn close_pending(&self) -> ApiResult<()> {
        let _closing = guard(&self.closing);
        let taken = {
            let mut g = guard(&self.vault);
            if self.open.load(Ordering::SeqCst) {
                None
            } else {
                g.take()
            }
        };
        let closed = match taken {
            Some(mut v) => {
                crate::folder::scheduled_backup(self, &mut v);
                v.lock().map_err(ApiError::from)
            }
            None => Ok(()),
        };
        if !self.open.load(Ordering::SeqCst) {
            self.join_readers();
        }
        closed
    }

    /// The last background round's view of the data folder.
    pub fn folder_view(&self) -> FolderView {
        guard(&self.view).clone()
    }

    pub fn set_folder_view(&self, f: impl FnOnce(&mut FolderView)) {
        f(&mut guard(&self.view));
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
                crate::diag::failed("settings not saved", &ApiError::from(e));
            }
        }
        g.clone()
    }
}

/// A sync round gets the vault for one short piece of database work at a time, and only while
/// it is open.
impl tresor::vault::round::VaultAccess for Shell {
    fn with_vault<T>(&self, f: impl FnOnce(&mut Vault) -> tresor::Result<T>) -> tresor::Result<T> {
        if !self.is_unlocked() {
            return Err(tresor::Error::Locked);
        }
        let mut g = guard(&self.vault);
        // Locked while this waited for the vault: nothing more may happen with it.
        match g.as_mut() {
            Some(v) if self.is_unlocked() => f(v),
            _ => Err(tresor::Error::Locked),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that ends `ms` after it starts and says so.
    fn reader(shell: &Shell, ms: u64) -> Arc<AtomicBool> {
        let ended = Arc::new(AtomicBool::new(false));
        let flag = ended.clone();
        shell.keep_reader(std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(ms));
            flag.store(true, Ordering::SeqCst);
        }));
        ended
    }

    #[test]
    fn locking_and_quitting_wait_for_the_reader_threads() {
        let shell = Shell::new(None);
        let ended = reader(&shell, 150);
        shell.lock().unwrap();
        assert!(ended.load(Ordering::SeqCst), "lock returned while a reader was still running");

        let ended = reader(&shell, 150);
        shell.close_at_exit().unwrap();
        assert!(ended.load(Ordering::SeqCst), "quit returned while a reader was still running");
        assert!(guard(&shell.readers).is_empty());
    }

    #[test]
    fn ended_readers_are_not_kept() {
        let shell = Shell::new(None);
        reader(&shell, 0);
        while !guard(&shell.readers).iter().all(|t| t.is_finished()) {
            std::thread::sleep(Duration::from_millis(5));
        }
        reader(&shell, 0);
        assert_eq!(guard(&shell.readers).len(), 1);
    }
}
