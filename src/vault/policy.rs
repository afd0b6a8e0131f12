//! When a full snapshot is written into the data folder, and when compaction runs: the policy
//! behind every lock and the app's background rounds (docs/ARCHITECTURE.md, "A full snapshot
//! only when it pays for itself").

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use crate::error::Result;
use crate::paths::DataFolder;

use super::{snapshot, Vault};

/// A full snapshot pays for itself once the segments written since the newest one reach this
/// share of its size (numerator, denominator): a new computer then reads that much less.
pub const SNAPSHOT_SHARE: (u64, u64) = (1, 4);
/// … and at most this often (by the newest snapshot's file time), whoever wrote it.
pub const SNAPSHOT_MIN_GAP: Duration = Duration::from_secs(20 * 3600);
/// The app asks [`Vault::snapshot_if_due`] on every round; the folder is looked at this often.
pub const SNAPSHOT_CHECK_EVERY: Duration = Duration::from_secs(5 * 60);
/// Compaction runs at most this often (at lock or in the app's rounds), and after a snapshot.
pub const COMPACT_EVERY: Duration = Duration::from_secs(24 * 3600);

/// Local meta: when this computer last ran compaction (UTC seconds).
const COMPACTED_AT: &str = "sync.compacted_at";

impl Vault {
    /// True when something changed since this device's newest snapshot.
    pub fn is_dirty(&self) -> Result<bool> {
        let seq = self.store().change_seq()?;
        Ok(seq > snapshot::newest_seq_of(self.data_folder(), self.id(), &self.device().id))
    }

    /// Writes a full snapshot now (explicit request, backup, move, password change). It is
    /// proven readable before it gets its name; then this device's older ones are pruned.
    pub fn snapshot_now(&mut self) -> Result<PathBuf> {
        let seq = self.store().change_seq()?;
        snapshot::write(self.store(), self.data_key(), self.data_folder(), self.id(), &self.device().id, seq)
    }

    /// A snapshot into another data folder of this vault (the target of a move).
    pub(crate) fn snapshot_into(&self, folder: &DataFolder) -> Result<PathBuf> {
        let seq = self.store().change_seq()?;
        snapshot::write(self.store(), self.data_key(), folder, self.id(), &self.device().id, seq)
    }

    /// Whether a full snapshot pays for itself now. Only when this computer has changes that no
    /// snapshot of its own holds, and then when the folder has no snapshot of this vault yet, or
    /// the segments written since the newest one reach `SNAPSHOT_SHARE` of its size and it is
    /// older than `SNAPSHOT_MIN_GAP`, or they have outgrown the snapshot itself (a bulk import:
    /// a new computer would read more segments than snapshot). Reads names, sizes, times only.
    pub fn snapshot_due(&self) -> Result<bool> {
        if !self.is_dirty()? {
            return Ok(false);
        }
        let now = SystemTime::now();
        // A file time far ahead (another computer's fast clock) says nothing about age.
        let horizon = now + Duration::from_secs(24 * 3600);
        let newest = snapshot::list_for(self.data_folder(), self.id())
            .into_iter()
            .filter_map(|s| std::fs::metadata(&s.path).ok())
            .filter_map(|m| Some((m.modified().ok()?, m.len())))
            .filter(|(t, _)| *t <= horizon)
            .max_by_key(|(t, _)| *t);
        let Some((written, size)) = newest else {
            return Ok(true);
        };
        let since = crate::sync::compact::segment_bytes_since(self.data_folder(), written);
        if since >= size {
            return Ok(true);
        }
        let old_enough = now.duration_since(written).unwrap_or(Duration::ZERO) >= SNAPSHOT_MIN_GAP;
        Ok(old_enough && since.saturating_mul(SNAPSHOT_SHARE.1) >= size.saturating_mul(SNAPSHOT_SHARE.0))
    }

    /// The app's background worker calls this on every round; it looks at the folder at most
    /// every `SNAPSHOT_CHECK_EVERY` and writes a snapshot only when [`Vault::snapshot_due`] says
    /// so, then removes this device's segments that nobody needs any more
    /// ([`Vault::compact_segments`]). `Some(path)` when a snapshot was written.
    pub fn snapshot_if_due(&mut self) -> Result<Option<PathBuf>> {
        if self.last_policy_check.is_some_and(|t| t.elapsed() < SNAPSHOT_CHECK_EVERY) {
            return Ok(None);
        }
        self.snapshot_and_compact_if_due()
    }

    pub(crate) fn snapshot_and_compact_if_due(&mut self) -> Result<Option<PathBuf>> {
        self.last_policy_check = Some(Instant::now());
        let written = if self.snapshot_due()? { Some(self.snapshot_now()?) } else { None };
        if written.is_some() || self.compaction_due()? {
            self.compact_segments()?;
            let now = jiff::Timestamp::now().as_second().to_string();
            self.store_mut().set_meta(COMPACTED_AT, &now)?;
        }
        Ok(written)
    }

    fn compaction_due(&self) -> Result<bool> {
        let last: i64 = self.store().meta(COMPACTED_AT)?.and_then(|v| v.parse().ok()).unwrap_or(0);
        let now = jiff::Timestamp::now().as_second();
        Ok(now.saturating_sub(last).unsigned_abs() >= COMPACT_EVERY.as_secs())
    }
}
