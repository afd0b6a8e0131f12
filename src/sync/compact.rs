//! Removing change segments nobody can still need, and noticing when this working copy needs
//! segments that are gone. The rule (docs/ARCHITECTURE.md, "Compaction"):
//!
//! A device removes only its own segment files, and one only when (1) the first two snapshots a
//! new computer would try that prove good both hold it, (2) every other device whose lease was
//! seen within `LEASE_FORGOTTEN_AFTER` has applied it, and (3) it is older than the grace time.
//! Before removing anything it raises its floor ("compacted through") in its lease. A working
//! copy that has applied less of a device than that device's floor — a computer that never wrote
//! a lease, or was away longer than the leases are trusted — has fallen behind a compaction and
//! rebuilds itself from the newest good snapshot, keeping its own unexported changes.
//!
//! The rule runs in phases so that the vault is held for database work only (the phases are
//! driven by `vault/compaction.rs`): [`survey`] the folder, [`copy_out`] each snapshot to the
//! working folder and prove the copy there with the vault's key, [`Replica::compaction_plan`],
//! write the lease, [`remove`].

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use jiff::Timestamp;

use super::snapshot::{self, Coverage, SnapshotInfo};
use crate::error::Result;
use crate::paths::{DataFolder, FileKind, WorkingDir};
use crate::store::Store;

use super::{applied_key, exported_key, lease, segment, Applied, LeaseFile, Replica};

/// A lease not refreshed for this long no longer holds compaction back; its computer rebuilds
/// its working copy when it comes back.
pub const LEASE_FORGOTTEN_AFTER: Duration = Duration::from_secs(60 * 24 * 3600);
/// Segments younger than this stay, so a computer that opened the folder without writing a
/// lease (only reading) rarely has to rebuild.
pub const SEGMENT_GRACE: Duration = Duration::from_secs(7 * 24 * 3600);

pub(crate) fn compacted_key(device: &str) -> String {
    format!("sync.compacted.{device}")
}

/// What a working copy (or a snapshot of one) holds of each device's changes.
pub(crate) fn coverage_in(store: &Store) -> Result<Coverage> {
    let mut cov = Coverage::new();
    for (k, v) in store.meta_with_prefix(&applied_key(""))? {
        let wm = serde_json::from_str::<Applied>(&v).map(|a| a.wm).unwrap_or(0);
        let d = k[applied_key("").len()..].to_string();
        let e = cov.entry(d).or_insert(0);
        *e = (*e).max(wm);
    }
    for (k, v) in store.meta_with_prefix(&exported_key(""))? {
        let d = k[exported_key("").len()..].to_string();
        let e = cov.entry(d).or_insert(0);
        *e = (*e).max(v.parse().unwrap_or(0));
    }
    Ok(cov)
}

/// Each device's floor as its lease announces it: its segments up to there may be gone.
pub fn floors(folder: &DataFolder) -> Coverage {
    floors_in(&lease::read_all(folder))
}

fn floors_in(leases: &[LeaseFile]) -> Coverage {
    leases.iter().filter(|l| l.compacted > 0).map(|l| (l.lease.device.clone(), l.compacted)).collect()
}

/// Phase 1 of compaction: what the data folder says, gathered without the vault (see
/// `vault/compaction.rs` for the phases). Reads leases, names, sizes and times only.
#[derive(Debug, Clone, Default)]
pub struct Survey {
    /// Every device's floor as its lease announces it.
    pub floors: Coverage,
    leases: Vec<LeaseFile>,
    /// The snapshots a new computer would try, in its order.
    pub candidates: Vec<SnapshotInfo>,
    /// This device's own segment files older than the grace time (conflict copies left out).
    old: Vec<segment::SegmentFile>,
    /// The other devices with segments in the folder (the lease says what it applied of each).
    devices: Vec<String>,
}

impl Survey {
    /// Whether any of this device's segments is old enough to go at all (else nothing else
    /// needs to be read).
    pub fn anything_old(&self) -> bool {
        !self.old.is_empty()
    }
}

/// Reads what compaction decides on: the leases (floors, what each computer applied), the
/// snapshots in a new computer's order, and this device's segments older than `grace`.
pub fn survey(folder: &DataFolder, vault_id: &str, me: &str, grace: Duration) -> Survey {
    let leases = lease::read_all(folder);
    let cutoff = SystemTime::now().checked_sub(grace).unwrap_or(SystemTime::UNIX_EPOCH);
    let old = std::fs::read_dir(folder.log().join(me))
        .map(|files| {
            files
                .flatten()
                .filter(crate::fsutil::is_plain_file)
                .filter(|f| f.metadata().and_then(|m| m.modified()).is_ok_and(|t| t <= cutoff))
                .filter_map(|f| segment::parse_name(me, &f.path()))
                .filter(|s| !s.conflict_copy)
                .collect()
        })
        .unwrap_or_default();
    Survey {
        floors: floors_in(&leases),
        leases,
        candidates: snapshot::candidates(folder, vault_id),
        old,
        devices: segment::list(&folder.log(), me).into_keys().collect(),
    }
}

/// Phase 2 of compaction: the first two snapshots a new computer would try that prove good
/// and hold every device's floor, counted one at a time.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tally {
    least: Option<i64>,
    proven: usize,
}

impl Tally {
    /// Counts a snapshot that proved good with what it holds; true once two are counted.
    pub fn add(&mut self, cov: &Coverage, floors: &Coverage, me: &str) -> bool {
        if snapshot::covers(cov, floors) {
            let mine = cov.get(me).copied().unwrap_or(0);
            self.least = Some(self.least.map_or(mine, |l| l.min(mine)));
            self.proven += 1;
        }
        self.proven >= 2
    }

    /// The least of this device's positions the two hold; `None` unless two proved good: the
    /// second is a new computer's fallback when the first is damaged on its way.
    pub fn covered(&self) -> Option<i64> {
        self.least.filter(|_| self.proven >= 2)
    }
}

/// A snapshot copied out of the data folder into the working folder, where the vault proves it
/// with its key (`snapshot::prove`): the slow read from a cloud drive happens without the vault
/// and without the key, the proof reads a local file. Removed when dropped.
#[derive(Debug)]
pub struct LocalCopy {
    path: PathBuf,
}

impl LocalCopy {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for LocalCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Copies `info`'s file into `work` under a temp name (a plain file of a snapshot's size at
/// most, no link followed). Reads the data folder; needs no key.
pub fn copy_out(info: &SnapshotInfo, work: &WorkingDir) -> Result<LocalCopy> {
    crate::fsutil::create_dir_all(work.root())?;
    tidy_stale_copies(work);
    // A temp-prefixed name that is no snapshot's: `snapshot::prepare` tidies only those.
    let dest = crate::fsutil::temp_path_for(&work.root().join(COPY_NAME))?;
    crate::fsutil::copy_atomic(&info.path, FileKind::Snapshot, &dest)?;
    Ok(LocalCopy { path: dest })
}

const COPY_NAME: &str = "proof";
/// A local copy this old was left by a process that ended halfway (a copy lives seconds).
const STALE_COPY: Duration = Duration::from_secs(3600);

/// Removes local copies (and their temp files) that a crash or a killed process left behind.
fn tidy_stale_copies(work: &WorkingDir) {
    let Ok(entries) = std::fs::read_dir(work.root()) else { return };
    let suffix = format!("-{COPY_NAME}");
    let stale = |e: &std::fs::DirEntry| {
        e.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|age| age > STALE_COPY))
    };
    for e in entries.flatten().filter(crate::fsutil::is_plain_file) {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(crate::fsutil::TEMP_PREFIX) && name.ends_with(&suffix) && stale(&e) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Phase 3's result: the files that may go, and the lease that must announce the floor first.
#[derive(Debug)]
pub struct Plan {
    pub doomed: Vec<PathBuf>,
    pub lease: LeaseFile,
}

/// Phase 4 (without the vault): removes the planned files; returns how many went.
pub fn remove(doomed: &[PathBuf]) -> usize {
    doomed.iter().filter(|p| std::fs::remove_file(p).is_ok()).count()
}

/// Bytes of every device's segment files written after `since` (by file time): what a new
/// computer reads on top of the snapshot of that time.
pub fn segment_bytes_since(folder: &DataFolder, since: SystemTime) -> u64 {
    let Ok(devices) = std::fs::read_dir(folder.log()) else { return 0 };
    let mut total = 0u64;
    for d in devices.flatten() {
        let Ok(files) = std::fs::read_dir(d.path()) else { continue };
        for f in files.flatten() {
            if let Ok(m) = f.metadata() {
                if m.is_file() && m.modified().is_ok_and(|t| t > since) {
                    total = total.saturating_add(m.len());
                }
            }
        }
    }
    total
}

impl<S: Deref<Target = Store>> Replica<'_, S> {
    /// This device's own floor: its segments up to here have been removed.
    pub(crate) fn compacted_floor(&self) -> Result<i64> {
        let me = &self.device().id;
        Ok(self.store().meta(&compacted_key(me))?.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    /// Devices whose segments this working copy still lacks although they have been removed.
    pub fn behind_compaction(&self) -> Result<Vec<String>> {
        let me = &self.device().id;
        let mut out = Vec::new();
        for (d, floor) in floors(self.data_folder()) {
            if &d != me && self.applied_of(&d)?.wm < floor {
                out.push(d);
            }
        }
        Ok(out)
    }

    /// Phase 3 of compaction (database only): from what the folder said and the least of this
    /// device's positions the first two good snapshots hold (`covered`), which of this device's
    /// segment files may go. Raises the floor ("compacted through") in the working copy and
    /// returns the lease that announces it: it must be in place before the first file goes, so
    /// that a computer that still needs them finds out instead of silently missing changes.
    pub fn compaction_plan(&mut self, survey: &Survey, covered: i64) -> Result<Option<Plan>>
    where
        S: DerefMut,
    {
        let me = self.device().id.clone();
        let now = Timestamp::now();
        let mut limit = covered;
        for l in &survey.leases {
            let forgotten = now.duration_since(l.lease.heartbeat).unsigned_abs() > LEASE_FORGOTTEN_AFTER;
            if l.lease.device != me && !forgotten {
                limit = limit.min(l.applied.get(&me).copied().unwrap_or(0));
            }
        }
        let doomed: Vec<&segment::SegmentFile> = survey.old.iter().filter(|s| s.last <= limit).collect();
        let Some(floor) = doomed.iter().map(|s| s.last).max() else {
            return Ok(None);
        };
        if floor > self.compacted_floor()? {
            self.store_mut().set_meta(&compacted_key(&me), &floor.to_string())?;
        }
        Ok(Some(Plan {
            doomed: doomed.into_iter().map(|s| s.path.clone()).collect(),
            lease: self.lease_file(true, &survey.devices)?,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_stale_local_copies_are_tidied() {
        let d = tempfile::tempdir().unwrap();
        let work = WorkingDir::in_root(d.path(), "v");
        std::fs::create_dir_all(work.root()).unwrap();
        let name = |tag: &str| format!("{}{tag}-{COPY_NAME}", crate::fsutil::TEMP_PREFIX);
        let (stale, fresh) = (work.root().join(name("0123456789ab")), work.root().join(name("ba9876543210")));
        let other = work.root().join(format!("{}0123456789ab-tresor.db", crate::fsutil::TEMP_PREFIX));
        for p in [&stale, &fresh, &other] {
            std::fs::write(p, b"x").unwrap();
        }
        let f = std::fs::OpenOptions::new().write(true).open(&stale).unwrap();
        f.set_modified(SystemTime::now() - 2 * STALE_COPY).unwrap();
        std::fs::OpenOptions::new().write(true).open(&other).unwrap().set_modified(SystemTime::UNIX_EPOCH).unwrap();
        tidy_stale_copies(&work);
        assert!(!stale.exists(), "a copy left by a crash stays for ever");
        assert!(fresh.exists(), "a copy still being made or proven was removed");
        assert!(other.exists(), "a temp file that is no copy was removed");
    }
}
