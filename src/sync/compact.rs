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

use std::ops::{Deref, DerefMut};
use std::time::{Duration, SystemTime};

use jiff::Timestamp;

use super::snapshot::{self, Coverage};
use crate::error::Result;
use crate::store::Store;

use super::{applied_key, exported_key, lease, segment, Applied, Replica};

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
pub fn floors(folder: &crate::paths::DataFolder) -> Coverage {
    lease::read_all(folder).into_iter().filter(|l| l.compacted > 0).map(|l| (l.lease.device, l.compacted)).collect()
}

/// Bytes of every device's segment files written after `since` (by file time): what a new
/// computer reads on top of the snapshot of that time.
pub fn segment_bytes_since(folder: &crate::paths::DataFolder, since: SystemTime) -> u64 {
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

    /// Removes this device's segments by the rule above, after the usual grace time.
    pub fn compact_segments(&mut self) -> Result<usize>
    where
        S: DerefMut,
    {
        self.compact_segments_older_than(SEGMENT_GRACE)
    }

    /// The rule with another grace time (tests, and `tresor sync --compact`).
    pub fn compact_segments_older_than(&mut self, grace: Duration) -> Result<usize>
    where
        S: DerefMut,
    {
        let me = self.device().id.clone();
        let Some(covered) = self.covered_by_first_good_snapshots(&me) else {
            return Ok(0);
        };
        let now = Timestamp::now();
        let mut limit = covered;
        for l in lease::read_all(self.data_folder()) {
            let forgotten = now.duration_since(l.lease.heartbeat).unsigned_abs() > LEASE_FORGOTTEN_AFTER;
            if l.lease.device != me && !forgotten {
                limit = limit.min(l.applied.get(&me).copied().unwrap_or(0));
            }
        }
        let dir = self.data_folder().log().join(&me);
        let Ok(files) = std::fs::read_dir(&dir) else {
            return Ok(0);
        };
        let cutoff = SystemTime::now().checked_sub(grace).unwrap_or(SystemTime::UNIX_EPOCH);
        let doomed: Vec<segment::SegmentFile> = files
            .flatten()
            .filter(|f| f.metadata().and_then(|m| m.modified()).is_ok_and(|t| t <= cutoff))
            .filter_map(|f| segment::parse_name(&me, &f.path()))
            .filter(|s| !s.conflict_copy && s.last <= limit)
            .collect();
        let Some(floor) = doomed.iter().map(|s| s.last).max() else {
            return Ok(0);
        };
        // The floor is announced before anything goes, so a computer that still needs these
        // segments finds out from the lease instead of silently missing changes.
        if floor > self.compacted_floor()? {
            self.store_mut().set_meta(&compacted_key(&me), &floor.to_string())?;
            self.heartbeat(true)?;
        }
        let mut removed = 0;
        for s in &doomed {
            if std::fs::remove_file(&s.path).is_ok() {
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// The least of this device's positions held by the first two snapshots, in the order a new
    /// computer tries them, that prove good and hold every device's floor. `None` unless two
    /// prove good: the second is the new computer's fallback when the first is damaged on its way.
    fn covered_by_first_good_snapshots(&self, me: &str) -> Option<i64> {
        let floors = floors(self.data_folder());
        let mut least: Option<i64> = None;
        let mut proven = 0;
        for s in snapshot::candidates(self.data_folder(), self.id()) {
            let Ok(cov) =
                snapshot::prove(&s.path, self.data_key(), self.id(), &s.device, s.seq, snapshot::Proof::Pages)
            else {
                continue;
            };
            if !snapshot::covers(&cov, &floors) {
                continue;
            }
            let mine = cov.get(me).copied().unwrap_or(0);
            least = Some(least.map_or(mine, |l| l.min(mine)));
            proven += 1;
            if proven == 2 {
                return least;
            }
        }
        None
    }
}
