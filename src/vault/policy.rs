//! When a full snapshot is written into the data folder, and when compaction runs: the policy
//! behind every lock and the app's background rounds (docs/ARCHITECTURE.md, "A full snapshot
//! only when it pays for itself").

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use crate::error::Result;
use crate::paths::DataFolder;

use super::compaction::Compaction;
use super::{snapshot, Vault};

/// A full snapshot pays for itself once the segments written since the newest one reach this
/// share of its size (numerator, denominator): a new computer then reads that much less.
pub const SNAPSHOT_SHARE: (u64, u64) = (1, 4);
/// … and at most this often (by the newest snapshot's file time), whoever wrote it.
pub const SNAPSHOT_MIN_GAP: Duration = Duration::from_secs(20 * 3600);
/// The app's rounds look at the folder for a due snapshot this often.
pub const SNAPSHOT_CHECK_EVERY: Duration = Duration::from_secs(5 * 60);
/// Compaction runs at most this often (at lock or in the app's rounds), and after a snapshot.
pub const COMPACT_EVERY: Duration = Duration::from_secs(24 * 3600);

/// Local meta: when this computer last ran compaction (UTC seconds).
const COMPACTED_AT: &str = "sync.compacted_at";

impl Vault {
    /// True when something changed since this device's newest snapshot.
    pub(crate) fn is_dirty(&self) -> Result<bool> {
        let seq = self.store().change_seq()?;
        Ok(seq > snapshot::newest_seq_of(self.data_folder(), self.id(), &self.device().id))
    }

    /// Writes a full snapshot now (explicit request, backup, move, password change). It is
    /// proven readable before it gets its name; then this device's older ones are pruned.
    pub fn snapshot_now(&mut self) -> Result<PathBuf> {
        let seq = self.store().change_seq()?;
        snapshot::write(
            self.store(),
            self.data_key(),
            self.working_dir(),
            self.data_folder(),
            self.id(),
            &self.device().id,
            seq,
        )
    }

    /// The database half of a snapshot for the app's rounds: made and proven in the working
    /// folder; [`snapshot::Prepared::publish`] puts it into the data folder without the vault.
    pub(crate) fn prepare_snapshot(&self) -> Result<snapshot::Prepared> {
        let seq = self.store().change_seq()?;
        snapshot::prepare(
            self.store(),
            self.data_key(),
            self.working_dir(),
            self.data_folder(),
            self.id(),
            &self.device().id,
            seq,
        )
    }

    /// A snapshot into another data folder of this vault (the target of a move).
    pub(crate) fn snapshot_into(&self, folder: &DataFolder) -> Result<PathBuf> {
        let seq = self.store().change_seq()?;
        snapshot::write(self.store(), self.data_key(), self.working_dir(), folder, self.id(), &self.device().id, seq)
    }

    /// Whether a full snapshot pays for itself now (see [`snapshot_due_in`]).
    pub(crate) fn snapshot_due(&self) -> Result<bool> {
        let seq = self.store().change_seq()?;
        Ok(snapshot_due_in(self.data_folder(), self.id(), &self.device().id, seq))
    }

    /// The lock's policy step (and the demo's): a snapshot when one is due, then compaction
    /// when due. `Some(path)` when a snapshot was written.
    pub(crate) fn snapshot_and_compact_if_due(&mut self) -> Result<Option<PathBuf>> {
        self.last_policy_check = Some(Instant::now());
        let written = if self.snapshot_due()? { Some(self.snapshot_now()?) } else { None };
        if written.is_some() || self.compaction_due()? {
            self.compact_now()?;
        }
        Ok(written)
    }

    /// [`Vault::snapshot_and_compact_if_due`] at most every `SNAPSHOT_CHECK_EVERY`: for long
    /// runs that hold the vault anyway (the demo generator).
    #[cfg(feature = "tools")]
    pub(crate) fn snapshot_if_due(&mut self) -> Result<Option<PathBuf>> {
        if self.last_policy_check.is_some_and(|t| t.elapsed() < SNAPSHOT_CHECK_EVERY) {
            return Ok(None);
        }
        self.snapshot_and_compact_if_due()
    }

    /// The start of the app's snapshot phase (`vault::round::snapshot_phase`): at most every
    /// `SNAPSHOT_CHECK_EVERY`, what the folder half of the decision needs. Database only.
    pub(crate) fn snapshot_policy_check(&mut self) -> Result<Option<PolicyCheck>> {
        if self.last_policy_check.is_some_and(|t| t.elapsed() < SNAPSHOT_CHECK_EVERY) {
            return Ok(None);
        }
        self.last_policy_check = Some(Instant::now());
        Ok(Some(PolicyCheck {
            folder: self.data_folder().clone(),
            vault_id: self.id().to_string(),
            device: self.device().id.clone(),
            seq: self.store().change_seq()?,
            compaction_due: self.compaction_due()?,
        }))
    }

    /// Removes this device's segments nobody needs any more (the rule of `sync::compact`) and
    /// notes when; a folder too slow to finish is tried again at the next chance.
    pub(crate) fn compact_now(&mut self) -> Result<()> {
        if self.compact_held(crate::sync::compact::SEGMENT_GRACE)? != Compaction::FolderSlow {
            self.note_compacted()?;
        }
        Ok(())
    }

    /// Notes that compaction ran now (it is due again after `COMPACT_EVERY`).
    pub(crate) fn note_compacted(&mut self) -> Result<()> {
        let now = jiff::Timestamp::now().as_second().to_string();
        self.store_mut().set_meta(COMPACTED_AT, &now)
    }

    fn compaction_due(&self) -> Result<bool> {
        let last: i64 = self.store().meta(COMPACTED_AT)?.and_then(|v| v.parse().ok()).unwrap_or(0);
        let now = jiff::Timestamp::now().as_second();
        Ok(now.saturating_sub(last).unsigned_abs() >= COMPACT_EVERY.as_secs())
    }
}

/// What the folder half of the snapshot decision needs, taken from the vault in one short look.
#[derive(Debug, Clone)]
pub struct PolicyCheck {
    pub folder: DataFolder,
    pub vault_id: String,
    pub device: String,
    /// This device's journal position now.
    pub seq: i64,
    pub compaction_due: bool,
}

impl PolicyCheck {
    /// [`snapshot_due_in`] for this check; reads the data folder.
    pub fn snapshot_due(&self) -> bool {
        snapshot_due_in(&self.folder, &self.vault_id, &self.device, self.seq)
    }
}

/// Whether a full snapshot pays for itself now. Only when this device has changes (up to
/// `seq`) that no snapshot of its own holds, and then when the folder has no snapshot of this
/// vault yet, or the segments written since the newest one reach `SNAPSHOT_SHARE` of its size
/// and it is older than `SNAPSHOT_MIN_GAP`, or they have outgrown the snapshot itself (a bulk
/// import: a new computer would read more segments than snapshot). Reads names, sizes, times
/// only.
pub fn snapshot_due_in(folder: &DataFolder, vault_id: &str, device: &str, seq: i64) -> bool {
    if seq <= snapshot::newest_seq_of(folder, vault_id, device) {
        return false;
    }
    let now = SystemTime::now();
    // A file time far ahead (another computer's fast clock) says nothing about age.
    let horizon = now + Duration::from_secs(24 * 3600);
    let newest = snapshot::list_for(folder, vault_id)
        .into_iter()
        .filter_map(|s| std::fs::metadata(&s.path).ok())
        .filter_map(|m| Some((m.modified().ok()?, m.len())))
        .filter(|(t, _)| *t <= horizon)
        .max_by_key(|(t, _)| *t);
    let Some((written, size)) = newest else {
        return true;
    };
    let since = crate::sync::compact::segment_bytes_since(folder, written);
    if since >= size {
        return true;
    }
    let old_enough = now.duration_since(written).unwrap_or(Duration::ZERO) >= SNAPSHOT_MIN_GAP;
    old_enough && since.saturating_mul(SNAPSHOT_SHARE.1) >= size.saturating_mul(SNAPSHOT_SHARE.0)
}
