//! The vault's replication part: it lends its store, data folder, device and key to the sync
//! layer as a [`Replica`] for one call, and these thin methods delegate. `sync` knows nothing of
//! `Vault`; what needs both (a round that may rebuild the working copy, moving the folder) is here.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::store::{Conflict, Side, Store};
use crate::sync::mover::{move_watched, MoveProgress, MoveReport};
use crate::sync::round::{Incoming, Listing, Outgoing, Sent};
use crate::sync::{Applied, Lease, Replica, SyncReport, SyncStatus};

use super::documents::reproduce;
use super::Vault;

impl Vault {
    /// The parts syncing reads.
    pub(crate) fn replica(&self) -> Replica<'_, &Store> {
        Replica {
            store: &self.store,
            folder: &self.folder,
            device: &self.device,
            key: &self.key,
            vault_id: &self.header.vault_id,
            opened_at: self.opened_at,
            include_own_segments: self.include_own_segments,
            lease_written: self.lease_written,
            after_merge: &reproduce::settle_documents,
            render_budget: reproduce::RENDER_BUDGET,
        }
    }

    /// The parts syncing writes, for the length of `f`; keeps whether the lease was written.
    pub(crate) fn with_replica<T>(&mut self, f: impl FnOnce(&mut Replica<'_, &mut Store>) -> Result<T>) -> Result<T> {
        let mut r = Replica {
            store: &mut self.store,
            folder: &self.folder,
            device: &self.device,
            key: &self.key,
            vault_id: &self.header.vault_id,
            opened_at: self.opened_at,
            include_own_segments: self.include_own_segments,
            lease_written: self.lease_written,
            after_merge: &reproduce::settle_documents,
            render_budget: reproduce::RENDER_BUDGET,
        };
        let out = f(&mut r);
        self.lease_written = r.lease_written;
        out
    }

    /// One round: merge what arrived, write what changed here, refresh the lease.
    pub fn sync_now(&mut self) -> Result<SyncReport> {
        let mut report = self.merge_incoming()?;
        if !report.applied.is_empty() {
            // Attachments deleted elsewhere leave no file here either (best effort).
            let _ = self.attachments_mut().tidy();
        }
        self.retention_mut().apply_pending()?;
        report.written = self.write_segment()?;
        if !self.behind_compaction()?.is_empty() {
            report.rebuilt_from = Some(self.catch_up()?.info.path);
        }
        self.heartbeat(true)?;
        report.others_open = self.others_open();
        Ok(report)
    }

    /// Writes this device's changes since its last segment as one sealed file. `None` when there
    /// is nothing new.
    pub(crate) fn write_segment(&mut self) -> Result<Option<PathBuf>> {
        self.with_replica(|r| r.write_segment())
    }

    /// Merges everything that can be merged now (see `sync::Replica::merge_incoming`).
    pub(crate) fn merge_incoming(&mut self) -> Result<SyncReport> {
        self.with_replica(|r| r.merge_incoming())
    }

    /// Writes this device's lease: open or closed, and what it has applied of whom.
    pub(crate) fn heartbeat(&mut self, open: bool) -> Result<()> {
        self.with_replica(|r| r.heartbeat(open))
    }

    pub fn sync_status(&self) -> Result<SyncStatus> {
        self.replica().sync_status()
    }

    /// Other computers that have this vault open right now.
    pub fn others_open(&self) -> Vec<Lease> {
        self.replica().others_open()
    }

    pub(crate) fn ensure_series(&mut self) -> Result<()> {
        self.with_replica(|r| r.ensure_series())
    }

    pub(crate) fn exported(&self, device: &str) -> Result<i64> {
        self.replica().exported(device)
    }

    pub(crate) fn chain_end(&self, device: &str) -> Result<i64> {
        self.replica().chain_end(device)
    }

    pub(crate) fn applied_of(&self, device: &str) -> Result<Applied> {
        self.replica().applied_of(device)
    }

    pub(crate) fn compacted_floor(&self) -> Result<i64> {
        self.replica().compacted_floor()
    }

    /// Devices whose segments this working copy still lacks although they have been removed.
    pub(crate) fn behind_compaction(&self) -> Result<Vec<String>> {
        self.replica().behind_compaction()
    }

    /// Conflicts, newest first: only the open ones unless `all`.
    pub fn conflicts(&self, all: bool) -> Result<Vec<Conflict>> {
        self.replica().conflicts(all)
    }

    /// Takes one side of a conflict, named by its id or an unambiguous start of it.
    pub fn resolve_conflict(&mut self, id: &str, side: Side) -> Result<Conflict> {
        self.with_replica(|r| r.resolve_conflict(id, side))
    }

    /// The files of `listing` this device has not applied yet (a short read of the database).
    pub(crate) fn unapplied(&self, listing: &Listing) -> Result<Listing> {
        self.replica().unapplied(listing)
    }

    /// Merges the segments a round's folder phase read; reads nothing from the data folder.
    pub(crate) fn apply_incoming(&mut self, incoming: &Incoming) -> Result<SyncReport> {
        self.with_replica(|r| r.apply_incoming(incoming))
    }

    /// Seals this device's changes and its lease; writes nothing.
    pub(crate) fn outgoing(&self, open: bool, devices: &[String]) -> Result<Outgoing> {
        self.replica().outgoing(open, devices)
    }

    /// Records what `sync::round::send` wrote, so those segments are not sealed again.
    pub(crate) fn mark_sent(&mut self, sent: &Sent) -> Result<()> {
        self.with_replica(|r| r.mark_sent(sent))
    }

    /// Moves this vault's data folder to `to` after a final segment, holding the vault's lock
    /// throughout so no other Tresor writes to the old folder meanwhile. The new folder then gets
    /// a fresh snapshot (a cloud drive uploads the whole folder once anyway); a move that fails
    /// leaves the old folder as it was.
    pub fn move_to(mut self, to: &Path) -> Result<MoveReport> {
        self.move_folder(to, &mut |_| true)
    }

    /// [`Vault::move_to`] with progress, and the vault stays open: afterwards it works in `to`.
    /// `watch` returning `false` while files are copied or verified cancels the move
    /// ([`crate::Error::Cancelled`]); the vault then still works in the old folder, which was
    /// never touched, and the target holds nothing of the attempt.
    pub fn move_folder(&mut self, to: &Path, watch: &mut dyn FnMut(MoveProgress) -> bool) -> Result<MoveReport> {
        self.write_segment()?;
        let dirty = self.is_dirty()?;
        let from = self.folder().to_path_buf();
        let report = move_watched(&from, to, watch)?;
        self.folder = crate::paths::DataFolder::new(to);
        // The local copy of `vault.key` now belongs to the new place (opening offline finds
        // it by folder); a copy that cannot be written is written at the next unlock.
        let _ = super::key_copy::save(self.working_dir(), to, &self.header);
        if dirty {
            // Best effort: the moved segments already carry every change.
            let _ = self.snapshot_into(&crate::paths::DataFolder::new(to));
        }
        Ok(report)
    }
}
