//! Keeps the open vault in step with the data folder while the window is open: a worker thread
//! of its own runs a round every few seconds, and at once when the file watcher sees another
//! computer's files change. The round reads the folder on helper threads with time limits and
//! holds the vault only for database work (`tresor::sync::round`), so a cloud file that is still
//! downloading never freezes the window, and the lock guard (`guard.rs`) never waits for any of
//! this. A round that fails or panics is caught, told to the window in words (`sync-problem`),
//! and the next round tries again.
//!
//! After each good round the window hears `synced`, so lists reload and the sidebar can say
//! "also open on LAPTOP-X".

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tauri::{AppHandle, Emitter, Runtime};
use tresor::sync::round::FolderIo;
use tresor::sync::watch::{FolderWatcher, OwnFiles};

use crate::diag;
use crate::error::{codes, ApiError, ApiResult};
use crate::guard::{Reason, EVENT_LOCKED, EVENT_LOCK_REQUESTED};
use crate::handlers::SyncState;
use crate::state::Shell;

pub const EVENT_SYNCED: &str = "synced";
/// A background round failed or broke off; the payload is the error (code and parameters).
pub const EVENT_PROBLEM: &str = "sync-problem";
/// A burst of files from the sync client is gathered this long into one round.
const SETTLE: Duration = Duration::from_millis(300);
/// Even without a change event (network drives, some clients), the watcher asks this often.
const POLL: Duration = Duration::from_secs(30);
/// A round that takes this long is logged with its time even when nothing changed.
const SLOW_ROUND_MS: u64 = 2_000;
/// How often the worker looks whether a vault was opened or locked.
const WAKE: Duration = Duration::from_secs(1);

/// What the background threads tell the window. The app sends Tauri events; tests record them.
pub trait Events: Send + Sync + 'static {
    fn synced(&self, state: &SyncState);
    fn problem(&self, problem: &ApiError);
    fn lock_requested(&self, reason: Reason);
    fn locked(&self, reason: Reason);
}

impl<R: Runtime> Events for AppHandle<R> {
    fn synced(&self, state: &SyncState) {
        let _ = self.emit(EVENT_SYNCED, state);
    }
    fn problem(&self, problem: &ApiError) {
        let _ = self.emit(EVENT_PROBLEM, problem);
    }
    fn lock_requested(&self, reason: Reason) {
        let _ = self.emit(EVENT_LOCK_REQUESTED, reason);
    }
    fn locked(&self, reason: Reason) {
        let _ = self.emit(EVENT_LOCKED, reason);
    }
}

/// One round with the data folder; `handlers::sync_round` in the app, something that fails or
/// panics in tests.
pub type Round = dyn Fn(&Shell, &FolderIo) -> ApiResult<SyncState> + Send + Sync;

/// The sync worker. Stops when dropped.
pub struct Worker {
    nudge: Sender<()>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    pub fn start(shell: Shell, events: Arc<dyn Events>, io: FolderIo, round: Arc<Round>) -> std::io::Result<Worker> {
        let (nudge, rx) = channel::<()>();
        let stop = Arc::new(AtomicBool::new(false));
        let mut state = Loop { shell, events, io, round, nudge: nudge.clone(), watcher: None, last_round: None };
        let stopped = stop.clone();
        let thread = std::thread::Builder::new().name("tresor-sync".into()).spawn(move || {
            while !stopped.load(Ordering::SeqCst) {
                let nudged = match rx.recv_timeout(WAKE) {
                    Ok(()) => true,
                    Err(RecvTimeoutError::Timeout) => false,
                    Err(RecvTimeoutError::Disconnected) => break,
                };
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                state.step(nudged);
            }
        })?;
        Ok(Worker { nudge, stop, thread: Some(thread) })
    }

    /// Asks for a round now (the watcher does this when the folder changed).
    pub fn nudge(&self) {
        let _ = self.nudge.send(());
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.nudge.send(());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Loop {
    shell: Shell,
    events: Arc<dyn Events>,
    io: FolderIo,
    round: Arc<Round>,
    nudge: Sender<()>,
    watcher: Option<(PathBuf, FolderWatcher)>,
    last_round: Option<Instant>,
}

impl Loop {
    /// One wake-up, supervised: a panic anywhere in it is caught and reported, and the loop
    /// goes on (the lock guard is a thread of its own and never depends on this one).
    fn step(&mut self, nudged: bool) {
        if catch_unwind(AssertUnwindSafe(|| self.step_inner(nudged))).is_err() {
            self.last_round = Some(Instant::now());
            self.report(ApiError::new(codes::BACKGROUND_PANIC));
        }
    }

    fn step_inner(&mut self, nudged: bool) {
        if !self.shell.is_unlocked() {
            self.watcher = None;
            self.last_round = None;
            return;
        }
        self.keep_watching();
        let due = self.last_round.is_none_or(|t| t.elapsed() >= tresor::sync::lease::HEARTBEAT_EVERY);
        if !(nudged || due) {
            return;
        }
        let started = Instant::now();
        self.last_round = Some(started);
        match (self.round)(&self.shell, &self.io) {
            Ok(state) => {
                let ms = started.elapsed().as_millis() as u64;
                if state.changed > 0 || ms >= SLOW_ROUND_MS {
                    tracing::info!(ms, changed = state.changed, in_transit = state.in_transit, "sync round");
                }
                self.events.synced(&state)
            }
            Err(e) if e.code == "vault.locked" => {}
            Err(e) => self.report(e),
        }
    }

    /// Starts the watcher on the open vault's folder (again, after the vault changed).
    fn keep_watching(&mut self) {
        let Ok((folder, device)) = self.shell.read(|v| Ok((v.folder().to_path_buf(), v.device().id.clone()))) else {
            return;
        };
        if self.watcher.as_ref().is_some_and(|(f, _)| *f == folder) {
            return;
        }
        let tx = self.nudge.clone();
        self.watcher = FolderWatcher::start(&folder, OwnFiles::new(&folder, &device), SETTLE, POLL, move || {
            let _ = tx.send(());
        })
        .map(|w| (folder, w))
        .map_err(|e| diag::failed("cannot watch the data folder; syncing every few seconds", &ApiError::from(e)))
        .ok();
    }

    /// Logged by code only (no personal data), kept for the status and told to the window.
    fn report(&self, e: ApiError) {
        diag::failed("background sync failed", &e);
        self.shell.set_folder_view(|v| v.problem = Some(e.clone()));
        self.events.problem(&e);
    }
}
