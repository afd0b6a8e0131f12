//! Noticing that another computer's changes arrived: a file watcher on the data folder (events
//! are gathered for a short moment, so a burst of files is one round), plus a periodic check,
//! because network drives and some sync clients do not report changes.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher as _};

use crate::error::{Error, Result};
use crate::fsutil::TEMP_PREFIX;

/// Watches until dropped.
pub struct FolderWatcher {
    _watcher: notify::RecommendedWatcher,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl FolderWatcher {
    /// Calls `on_change` (on a thread of its own) `settle` after the last of a burst of changes
    /// in `folder`, and at least every `poll`.
    pub fn start(
        folder: &Path,
        settle: Duration,
        poll: Duration,
        on_change: impl Fn() + Send + 'static,
    ) -> Result<FolderWatcher> {
        let (tx, rx) = channel::<()>();
        let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
            // Our own temp files come and go during every write; they never need a round.
            if let Ok(ev) = ev {
                let ours = ev
                    .paths
                    .iter()
                    .all(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(TEMP_PREFIX)));
                if !ours {
                    let _ = tx.send(());
                }
            }
        })
        .map_err(|e| Error::io("watch", folder, std::io::Error::other(e.to_string())))?;
        watcher
            .watch(folder, RecursiveMode::Recursive)
            .map_err(|e| Error::io("watch", folder, std::io::Error::other(e.to_string())))?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut last_round = Instant::now();
            while !stopped.load(Ordering::Relaxed) {
                let wait = poll.saturating_sub(last_round.elapsed()).min(Duration::from_millis(250));
                match rx.recv_timeout(wait) {
                    Ok(()) => {
                        // Gather the rest of the burst.
                        while rx.recv_timeout(settle).is_ok() {}
                    }
                    Err(RecvTimeoutError::Timeout) if last_round.elapsed() >= poll => {}
                    Err(RecvTimeoutError::Timeout) => continue,
                    Err(RecvTimeoutError::Disconnected) => break,
                }
                if stopped.load(Ordering::Relaxed) {
                    break;
                }
                on_change();
                last_round = Instant::now();
            }
        });
        Ok(FolderWatcher { _watcher: watcher, stop, thread: Some(thread) })
    }
}

impl Drop for FolderWatcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn a_burst_of_files_is_one_round_and_our_temp_files_none() {
        let d = tempfile::tempdir().unwrap();
        let rounds = Arc::new(AtomicUsize::new(0));
        let r = rounds.clone();
        let w = FolderWatcher::start(d.path(), Duration::from_millis(150), Duration::from_secs(3600), move || {
            r.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
        std::fs::write(d.path().join(format!("{TEMP_PREFIX}x")), b"x").unwrap();
        std::thread::sleep(Duration::from_millis(400));
        assert_eq!(rounds.load(Ordering::SeqCst), 0, "a temp file caused a round");
        for i in 0..5 {
            std::fs::write(d.path().join(format!("f{i}")), b"x").unwrap();
        }
        let t = Instant::now();
        while rounds.load(Ordering::SeqCst) == 0 && t.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(10));
        }
        std::thread::sleep(Duration::from_millis(400));
        assert_eq!(rounds.load(Ordering::SeqCst), 1);
        drop(w);
    }
}
