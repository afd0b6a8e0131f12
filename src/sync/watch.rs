//! Noticing that another computer's changes arrived: a file watcher on the data folder (events
//! are gathered for a short moment, so a burst of files is one round), plus a periodic check,
//! because network drives and some sync clients do not report changes. What this computer wrote
//! itself (its lease, segments, snapshots, temp files) and events that change no content (a
//! file opened or read, a cloud client pinning or hydrating a file) start no round: a round
//! that reads the folder and writes its lease would otherwise start the next one, for ever.

use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{EventKind, RecursiveMode, Watcher as _};

use crate::error::{Error, Result};
use crate::fsutil::TEMP_PREFIX;
use crate::paths::{LEASE_DIR, LOG_DIR, SNAPSHOT_DIR};

/// Tells the other computers' files from this one's own.
#[derive(Debug, Clone)]
pub struct OwnFiles {
    /// The folder as given and as the OS resolves it (watchers on macOS report resolved paths).
    roots: Vec<PathBuf>,
    device: String,
}

impl OwnFiles {
    /// `root` is the data folder, `device` this computer's device id.
    pub fn new(root: &Path, device: &str) -> OwnFiles {
        let mut roots = vec![root.to_path_buf()];
        roots.extend(std::fs::canonicalize(root).ok().filter(|r| r != root));
        OwnFiles { roots, device: device.to_string() }
    }

    /// Whether `path` (inside the data folder) is one this computer writes: a temp file
    /// anywhere, `leases/<me>.json`, anything under `log/<me>/`, a snapshot named for `<me>`,
    /// and the empty structure folders `log/`, `leases/`, `snapshots/`.
    pub fn is_own(&self, path: &Path) -> bool {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with(TEMP_PREFIX) {
            return true;
        }
        let Some(rel) = self.roots.iter().find_map(|r| path.strip_prefix(r).ok()) else { return false };
        let parts: Vec<&str> = rel
            .components()
            .map(|c| match c {
                Component::Normal(s) => s.to_str().unwrap_or("\0"),
                _ => "\0",
            })
            .collect();
        let me = self.device.as_str();
        match parts.as_slice() {
            // The folders themselves: every computer makes them, and they carry nothing.
            [LOG_DIR] | [LEASE_DIR] | [SNAPSHOT_DIR] => true,
            [LOG_DIR, d, ..] => *d == me,
            [LEASE_DIR, f] => f.strip_suffix(".json") == Some(me),
            [SNAPSHOT_DIR, f] => f.split('_').nth(2) == Some(me),
            _ => false,
        }
    }

    /// Whether `ev` may mean another computer's change arrived.
    pub fn wants_round(&self, ev: &notify::Event) -> bool {
        let content = match ev.kind {
            // Opening and reading (our own rounds read the folder) and closing after reading.
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
            EventKind::Access(_) => false,
            // Attributes, times, pinning or hydrating by a cloud client: same bytes.
            EventKind::Modify(ModifyKind::Metadata(_)) => false,
            _ => true,
        };
        content && !ev.paths.is_empty() && !ev.paths.iter().all(|p| self.is_own(p))
    }
}

/// Watches until dropped.
pub struct FolderWatcher {
    _watcher: notify::RecommendedWatcher,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl FolderWatcher {
    /// Calls `on_change` (on a thread of its own) `settle` after the last of a burst of changes
    /// in `folder` that `own` does not recognise as this computer's, and at least every `poll`.
    pub fn start(
        folder: &Path,
        own: OwnFiles,
        settle: Duration,
        poll: Duration,
        on_change: impl Fn() + Send + 'static,
    ) -> Result<FolderWatcher> {
        let (tx, rx) = channel::<()>();
        let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
            if ev.is_ok_and(|ev| own.wants_round(&ev)) {
                let _ = tx.send(());
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
        let own = OwnFiles::new(d.path(), "me");
        let w = FolderWatcher::start(d.path(), own, Duration::from_millis(150), Duration::from_secs(3600), move || {
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

    fn event(kind: EventKind, paths: &[&Path]) -> notify::Event {
        let mut ev = notify::Event::new(kind);
        for p in paths {
            ev = ev.add_path(p.to_path_buf());
        }
        ev
    }

    #[test]
    fn own_files_and_content_free_events_start_no_round() {
        use notify::event::{CreateKind, DataChange, MetadataKind, RenameMode};
        let root = Path::new("/data/Tresor");
        let own = OwnFiles::new(root, "dev-me");
        for p in [
            "leases/dev-me.json",
            "log/dev-me/000000000001-000000000002.seg",
            "log/dev-me",
            "log",
            "snapshots/vault_20261130T101010000Z_dev-me_42.tresor-snapshot",
            "log/dev-other/.tresor-tmp-ab12-000000000001-000000000002.seg",
        ] {
            assert!(own.is_own(&root.join(p)), "{p}");
        }
        for p in [
            "leases/dev-other.json",
            "leases/dev-me (1).json",
            "log/dev-other/000000000001-000000000002.seg",
            "snapshots/vault_20261130T101010000Z_dev-other_42.tresor-snapshot",
            "vault.key",
            "Protokoll_Müller.txt",
        ] {
            assert!(!own.is_own(&root.join(p)), "{p}");
        }
        let theirs = root.join("log/dev-other/000000000001-000000000002.seg");
        let mine = root.join("leases/dev-me.json");
        let tmp = root.join("leases/.tresor-tmp-ab12-dev-me.json");
        let modify = EventKind::Modify(ModifyKind::Data(DataChange::Content));
        assert!(own.wants_round(&event(EventKind::Create(CreateKind::File), &[&theirs])));
        assert!(own.wants_round(&event(modify, &[&theirs])));
        assert!(own.wants_round(&event(EventKind::Access(AccessKind::Close(AccessMode::Write)), &[&theirs])));
        assert!(!own.wants_round(&event(EventKind::Access(AccessKind::Open(AccessMode::Any)), &[&theirs])));
        assert!(!own.wants_round(&event(EventKind::Access(AccessKind::Close(AccessMode::Read)), &[&theirs])));
        assert!(!own.wants_round(&event(EventKind::Modify(ModifyKind::Metadata(MetadataKind::Any)), &[&theirs])));
        assert!(!own.wants_round(&event(EventKind::Modify(ModifyKind::Name(RenameMode::Both)), &[&tmp, &mine])));
        assert!(!own.wants_round(&event(modify, &[&mine])));
    }
}
