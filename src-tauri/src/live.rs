//! Keeps the open vault in step with the data folder while the window is open: a round of
//! merging and writing every few seconds, and at once when the folder changes (file watcher).
//! After each round the window hears `synced`, so lists reload and the sidebar can say "also
//! open on LAPTOP-X".

use std::path::PathBuf;
use std::time::{Duration, Instant};

use tauri::{AppHandle, Emitter, Manager};
use tresor::sync::watch::FolderWatcher;

use crate::handlers;
use crate::state::Shell;

pub const EVENT_SYNCED: &str = "synced";
/// A burst of files from the sync client is gathered this long into one round.
const SETTLE: Duration = Duration::from_millis(300);
/// Even without a change event (network drives, some clients), a round this often.
const POLL: Duration = Duration::from_secs(30);

#[derive(Default)]
pub struct Live {
    watcher: Option<(PathBuf, FolderWatcher)>,
    last_round: Option<Instant>,
}

/// One round, reported to the window. A failure is logged by code only (no personal data) and
/// the next round tries again.
pub fn round(app: &AppHandle) {
    match handlers::sync_round(&app.state::<Shell>()) {
        Ok(state) => {
            let _ = app.emit(EVENT_SYNCED, state);
        }
        Err(e) if e.code == "vault.locked" => {}
        Err(e) => eprintln!("tresor: sync round failed: {}", e.code),
    }
}

impl Live {
    /// Called by the guard's tick: starts or stops the watcher with the vault, and runs a round
    /// every `tresor::sync::lease::HEARTBEAT_EVERY`.
    pub fn tick(&mut self, app: &AppHandle) {
        let shell = app.state::<Shell>();
        let Ok(folder) = shell.read(|v| Ok(v.folder().to_path_buf())) else {
            self.watcher = None;
            self.last_round = None;
            return;
        };
        if self.watcher.as_ref().is_none_or(|(f, _)| *f != folder) {
            let handle = app.clone();
            self.watcher = FolderWatcher::start(&folder, SETTLE, POLL, move || round(&handle))
                .map(|w| (folder, w))
                .map_err(|e| {
                    eprintln!("tresor: cannot watch the data folder ({}); syncing every few seconds", e.code())
                })
                .ok();
        }
        if self.last_round.is_none_or(|t| t.elapsed() >= tresor::sync::lease::HEARTBEAT_EVERY) {
            self.last_round = Some(Instant::now());
            round(app);
        }
    }
}
