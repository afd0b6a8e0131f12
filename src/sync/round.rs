//! One sync round in phases, so that whoever runs it (the desktop app) holds the vault only for
//! database work and never while it waits on the data folder: list and read the folder without
//! the vault, with time limits → apply what arrived in short transactions → seal what this
//! computer has to say → write it without the vault → note what was written. A cloud file that
//! is listed but not downloaded yet (OneDrive Files On-Demand, iCloud, Google Drive streaming)
//! can block a read for minutes; here it only makes that file "in transit" until a later round.
//! `Vault::sync_now` stays the one-call form for the command line; `vault/round.rs` drives these
//! phases against a vault behind a lock.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use super::foreign::ForeignFile;
use super::lease::{self, Lease, LeaseFile};
use super::segment::{self, SegmentFile};
use super::{Replica, SyncReport};
use crate::error::{Error, Result};
use crate::fsutil;
use crate::paths::{DataFolder, FileKind};
use crate::store::Store;

/// How long one read or write in the data folder may take before the round goes on without it.
pub const FILE_LIMIT: Duration = Duration::from_secs(5);

type Reader = dyn Fn(&Path) -> io::Result<Vec<u8>> + Send + Sync;
type Gate = dyn Fn(&Path) + Send + Sync;

/// Runs data-folder work on helper threads with a time limit. Work that overruns is left to
/// finish on its own thread (a blocked read cannot be cancelled); until it does, its path counts
/// as busy and no second job is started for it, so a stuck file costs one thread, not one per
/// round.
#[derive(Clone)]
pub struct FolderIo {
    limit: Duration,
    busy: Arc<Mutex<BTreeSet<PathBuf>>>,
    reader: Arc<Reader>,
    /// Runs on the helper thread before each job, with the job's path: the seam where tests put
    /// a file system whose every access to a path blocks (a cloud placeholder being fetched).
    gate: Option<Arc<Gate>>,
}

impl std::fmt::Debug for FolderIo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FolderIo").field("limit", &self.limit).finish_non_exhaustive()
    }
}

/// What became of reading one file.
#[derive(Debug, PartialEq, Eq)]
pub enum Read {
    Bytes(Vec<u8>),
    /// Gone since it was listed (a sync client replaced or removed it).
    Missing,
    /// Listed but not readable yet: still downloading, a placeholder, held by another process,
    /// or slower than the limit. A later round tries again.
    InTransit,
}

impl FolderIo {
    pub fn new(limit: Duration) -> FolderIo {
        FolderIo::with_reader(limit, read_bounded)
    }

    /// With another way of reading a file: tests stand in a cloud drive whose reads block.
    pub fn with_reader(limit: Duration, reader: impl Fn(&Path) -> io::Result<Vec<u8>> + Send + Sync + 'static) -> Self {
        FolderIo { limit, busy: Arc::new(Mutex::new(BTreeSet::new())), reader: Arc::new(reader), gate: None }
    }

    /// Without a time limit: for the command line, whose user waits for the folder anyway
    /// (a job that never ends would otherwise be cut off by the process's exit halfway).
    pub fn unlimited() -> FolderIo {
        FolderIo::new(Duration::MAX)
    }

    /// With `gate` called on the helper thread before every job (reads, writes, walks, copies,
    /// removals), given the job's path: tests stand in a file system that blocks there.
    pub fn with_gate(mut self, gate: impl Fn(&Path) + Send + Sync + 'static) -> Self {
        self.gate = Some(Arc::new(gate));
        self
    }

    /// Runs `job` on a helper thread and waits at most the limit. `None`: it overran (or the path
    /// is still busy with an earlier job that overran). What an overrun job returns is dropped
    /// when it finishes, so a result that owns a file (a temp copy) removes it then.
    pub fn run<T: Send + 'static>(&self, key: &Path, job: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let key = key.to_path_buf();
        if !self.busy.lock().unwrap_or_else(|p| p.into_inner()).insert(key.clone()) {
            return None;
        }
        let (tx, rx) = mpsc::channel();
        let busy = self.busy.clone();
        let gate = self.gate.clone();
        let spawned = std::thread::Builder::new().name("tresor-folder-io".into()).spawn({
            let key = key.clone();
            move || {
                // Unwinding out of a job must not leave its path busy for ever.
                let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    if let Some(gate) = &gate {
                        gate(&key);
                    }
                    job()
                }));
                busy.lock().unwrap_or_else(|p| p.into_inner()).remove(&key);
                if let Ok(out) = out {
                    let _ = tx.send(out);
                }
            }
        });
        if spawned.is_err() {
            self.busy.lock().unwrap_or_else(|p| p.into_inner()).remove(&key);
            return None;
        }
        rx.recv_timeout(self.limit).ok()
    }

    /// Whether a job for `path` is still running (one that overran its limit).
    pub fn is_busy(&self, path: &Path) -> bool {
        self.busy.lock().unwrap_or_else(|p| p.into_inner()).contains(path)
    }

    pub fn read(&self, path: &Path) -> Read {
        let reader = self.reader.clone();
        let p = path.to_path_buf();
        match self.run(path, move || reader(&p)) {
            Some(Ok(bytes)) => Read::Bytes(bytes),
            Some(Err(e)) if e.kind() == io::ErrorKind::NotFound => Read::Missing,
            Some(Err(_)) | None => Read::InTransit,
        }
    }

    /// Writes atomically (temp file, fsync, rename). `Ok(false)`: the write overran the limit;
    /// it may still complete, and whatever it belongs to is written again by a later round.
    pub fn write(&self, path: &Path, bytes: Vec<u8>) -> Result<bool> {
        let p = path.to_path_buf();
        let job = move || {
            if let Some(dir) = p.parent() {
                fsutil::create_dir_all(dir)?;
            }
            fsutil::write_atomic(&p, &bytes)
        };
        match self.run(path, job) {
            Some(r) => r.map(|()| true),
            None => Ok(false),
        }
    }
}

/// Reads a lease or segment within its kind's size limit, without following a link or waiting
/// on a pipe. A file that is too large or not a file at all is passed over like a missing one:
/// it is never ours to merge, and `tresor status` (the foreign-file scan) names it.
fn read_bounded(p: &Path) -> io::Result<Vec<u8>> {
    let kind = if lease::is_lease_name(p) { FileKind::Lease } else { FileKind::Segment };
    fsutil::read_bounded(p, kind).map_err(|e| match e {
        Error::FileTooLarge { .. } | Error::NotAFile { .. } => io::Error::from(io::ErrorKind::NotFound),
        Error::InTransit { .. } => io::Error::from(io::ErrorKind::WouldBlock),
        e => match std::fs::symlink_metadata(p) {
            Err(m) if m.kind() == io::ErrorKind::NotFound => m,
            _ => io::Error::other(e.code()),
        },
    })
}

/// The other devices' files in the data folder, as listed (nothing read yet).
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub segments: BTreeMap<String, Vec<SegmentFile>>,
    pub leases: Vec<PathBuf>,
}

/// Lists `log/<device>/` of every other device and the lease files; reads no file.
pub fn list(folder: &DataFolder, me: &str) -> Listing {
    let mut segments = BTreeMap::new();
    if let Ok(devices) = std::fs::read_dir(folder.log()) {
        for d in devices.flatten() {
            let Some(device) = d.file_name().to_str().map(str::to_string) else { continue };
            if device == me || !d.path().is_dir() {
                continue;
            }
            let Ok(files) = std::fs::read_dir(d.path()) else { continue };
            let mut list: Vec<SegmentFile> =
                files.flatten().filter_map(|f| segment::parse_name(&device, &f.path())).collect();
            list.sort_by_key(|f| (f.first, f.last, f.conflict_copy));
            segments.insert(device, list);
        }
    }
    let own_lease = lease::path_of(folder, me);
    let leases = std::fs::read_dir(folder.leases())
        .map(|es| es.flatten().map(|e| e.path()).filter(|p| lease::is_lease_name(p) && *p != own_lease).collect())
        .unwrap_or_default();
    Listing { segments, leases }
}

/// What the folder phase read: segment bytes, the leases, and the files that were not readable.
#[derive(Debug, Default)]
pub struct Incoming {
    listing: BTreeMap<String, Vec<SegmentFile>>,
    bytes: BTreeMap<PathBuf, Vec<u8>>,
    pub leases: Vec<LeaseFile>,
    pub in_transit: Vec<PathBuf>,
}

/// Reads the segments of `pending` and every lease through `io`.
pub fn fetch(pending: &Listing, io: &FolderIo) -> Incoming {
    let mut inc = Incoming::default();
    for (device, files) in &pending.segments {
        let mut arrived = Vec::new();
        for f in files {
            match io.read(&f.path) {
                Read::Bytes(b) => {
                    inc.bytes.insert(f.path.clone(), b);
                    arrived.push(f.clone());
                }
                Read::Missing => {}
                Read::InTransit => inc.in_transit.push(f.path.clone()),
            }
        }
        inc.listing.insert(device.clone(), arrived);
    }
    for p in &pending.leases {
        match io.read(p) {
            Read::Bytes(b) => {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                inc.leases.extend(lease::parse(name, &b))
            }
            Read::Missing => {}
            Read::InTransit => inc.in_transit.push(p.clone()),
        }
    }
    inc.leases.sort_by(|a, b| a.lease.device.cmp(&b.lease.device));
    inc
}

/// One sealed segment of this device, ready to be written.
#[derive(Debug, Clone)]
pub struct OutSegment {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    /// The writer's journal position it ends at.
    pub last: i64,
}

/// What this device has to write: its new segments (in order) and its lease.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub segments: Vec<OutSegment>,
    pub lease: (PathBuf, Vec<u8>),
}

/// What was written of an [`Outgoing`].
#[derive(Debug, Clone, Default)]
pub struct Sent {
    /// The last segment written with all before it; `None` when none was.
    pub through: Option<i64>,
    pub lease: bool,
}

/// Writes `out` through `io`: the segments in order (stopping at the first that fails, so the
/// chain has no gap), then the lease.
pub fn send(out: &Outgoing, io: &FolderIo) -> Result<Sent> {
    let mut sent = Sent::default();
    for s in &out.segments {
        if !io.write(&s.path, s.bytes.clone())? {
            return Ok(sent);
        }
        sent.through = Some(s.last);
    }
    sent.lease = io.write(&out.lease.0, out.lease.1.clone())?;
    Ok(sent)
}

impl<S: Deref<Target = Store>> Replica<'_, S> {
    /// The files of `listing` this device has not applied yet (a short read of the database).
    pub fn unapplied(&self, listing: &Listing) -> Result<Listing> {
        let mut segments = BTreeMap::new();
        for (device, files) in &listing.segments {
            let applied = self.applied_of(device)?;
            segments.insert(device.clone(), files.iter().filter(|f| !applied.has(f)).cloned().collect());
        }
        Ok(Listing { segments, leases: listing.leases.clone() })
    }

    /// Merges the segments the folder phase read, each in its own transaction (see
    /// `Replica::merge_incoming`); reads nothing from the data folder.
    pub fn apply_incoming(&mut self, incoming: &Incoming) -> Result<SyncReport>
    where
        S: DerefMut,
    {
        let bytes = &incoming.bytes;
        let open = |key: &[u8; crate::crypto::KEY_LEN], vault: &str, f: &SegmentFile| match bytes.get(&f.path) {
            Some(b) => segment::open_bytes(key, vault, f, b),
            None => Err(Error::SegmentUnreadable { path: f.path.clone() }),
        };
        let mut report = self.merge_from(&incoming.listing, &open)?;
        report.others_open = others_open(&incoming.leases, &self.device().id);
        Ok(report)
    }

    /// Seals this device's changes since its last written segment and its lease (`open` or
    /// closed, naming what it applied of `devices`); writes nothing.
    pub fn outgoing(&self, open: bool, devices: &[String]) -> Result<Outgoing> {
        let me = &self.device().id;
        let mut segments = Vec::new();
        let (mut from, mut prev) = (self.exported(me)?, self.chain_end(me)?);
        while let Some(s) = self.seal_segment_after(from, prev)? {
            (from, prev) = (s.last, s.last);
            segments.push(s);
        }
        let file = self.lease_file(open, devices)?;
        let bytes = serde_json::to_vec_pretty(&file).map_err(|e| Error::io("encode", "lease", io::Error::other(e)))?;
        Ok(Outgoing { segments, lease: (lease::path_of(self.data_folder(), me), bytes) })
    }

    /// Records what [`send`] wrote, so those segments are not sealed again.
    pub fn mark_sent(&mut self, sent: &Sent) -> Result<()>
    where
        S: DerefMut,
    {
        if let Some(last) = sent.through {
            let me = self.device().id.clone();
            if last > self.exported(&me)? {
                self.note_exported(last)?;
            }
        }
        if sent.lease {
            self.lease_written = true;
        }
        Ok(())
    }
}

/// The other devices whose leases say they have the vault open now.
pub fn others_open(leases: &[LeaseFile], me: &str) -> Vec<Lease> {
    let now = jiff::Timestamp::now();
    leases.iter().filter(|l| l.lease.device != me && l.is_open_now(now)).map(|l| l.lease.clone()).collect()
}

/// What one round found and did.
#[derive(Debug, Default)]
pub struct RoundReport {
    pub sync: SyncReport,
    /// Files listed but not readable yet; retried by the next round.
    pub in_transit: Vec<PathBuf>,
    /// Everything in the folder that is not ours; `None` when the walk did not finish in time.
    pub foreign: Option<Vec<ForeignFile>>,
    /// The listing itself did not finish in time: nothing was read or written this round.
    pub folder_slow: bool,
    /// The data folder is away (not mounted, offline, empty): nothing was read or written; the
    /// vault works locally and a later round syncs once it is back.
    pub folder_offline: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn a_blocked_read_is_in_transit_and_not_started_twice() {
        let d = tempfile::tempdir().unwrap();
        let slow = d.path().join("slow");
        std::fs::write(&slow, b"later").unwrap();
        std::fs::write(d.path().join("quick"), b"now").unwrap();
        let started = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let s = started.clone();
        let io = FolderIo::with_reader(Duration::from_millis(300), move |p| {
            if p.ends_with("slow") {
                s.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                std::thread::sleep(Duration::from_secs(3));
            }
            std::fs::read(p)
        });
        let t = Instant::now();
        assert_eq!(io.read(&slow), Read::InTransit);
        assert_eq!(io.read(&slow), Read::InTransit, "still busy");
        assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
        // Other files are not held up by the stuck one (a generous limit: the machine may be busy).
        let calm = FolderIo::new(Duration::from_secs(10));
        assert_eq!(calm.read(&d.path().join("quick")), Read::Bytes(b"now".to_vec()));
        assert_eq!(calm.read(&d.path().join("gone")), Read::Missing);
        std::thread::sleep(Duration::from_millis(3500));
        assert_eq!(started.load(std::sync::atomic::Ordering::SeqCst), 1, "one thread per stuck file");
        // Once the download finished, the file reads (slowly here, since the stand-in always sleeps).
        let io2 = FolderIo::new(Duration::from_secs(10));
        assert_eq!(io2.read(&slow), Read::Bytes(b"later".to_vec()));
    }

    #[test]
    fn a_panicking_job_frees_its_path() {
        let io = FolderIo::new(Duration::from_secs(10));
        let p = Path::new("/nowhere");
        assert_eq!(io.run(p, || -> u8 { panic!("job") }), None);
        assert_eq!(io.run(p, || 7), Some(7));
    }
}
