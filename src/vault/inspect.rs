//! What the black-box tests (`tests/`, `cli/tests/`) look at inside an open vault and neither
//! the CLI nor the app needs: the working copy's place, the key derivation's cost, the snapshot
//! and compaction policy, the merge at unlock. Behind the feature `inspect`, which only the test
//! builds enable (as a dev-dependency), so these stay off the `Vault`'s public surface.

use std::time::Duration;

use crate::crypto::KdfParams;
use crate::error::Result;
use crate::paths::WorkingDir;
use crate::sync::snapshot::Prepared;
use crate::sync::SyncReport;

use super::Vault;

/// A look inside an open vault for the tests; each method is the vault's crate-private one.
pub trait Inspect {
    /// This computer's working folder of the vault (the database, the device file, the lock).
    fn working_dir(&self) -> &WorkingDir;
    /// The password key derivation's parameters in the header.
    fn kdf_params(&self) -> KdfParams;
    /// What the merge at unlock found (or the code of the error that stopped it).
    fn last_sync(&self) -> Option<&std::result::Result<SyncReport, &'static str>>;
    /// Whether something changed since this computer's newest snapshot.
    fn is_dirty(&self) -> Result<bool>;
    /// Whether a full snapshot pays for itself now.
    fn snapshot_due(&self) -> Result<bool>;
    /// The database half of a snapshot, made and proven in the working folder.
    fn prepare_snapshot(&self) -> Result<Prepared>;
    /// Devices whose removed segments this working copy still lacks.
    fn behind_compaction(&self) -> Result<Vec<String>>;
    /// Removes this computer's segments nobody can still need.
    fn compact_segments(&mut self) -> Result<usize>;
    /// [`Inspect::compact_segments`] with another grace time.
    fn compact_segments_older_than(&mut self, grace: Duration) -> Result<usize>;
    /// The data key, for the erasure tests that decrypt every page of a file and scan it.
    fn data_key(&self) -> &crate::crypto::DataKey;
}

impl Inspect for Vault {
    fn data_key(&self) -> &crate::crypto::DataKey {
        Vault::data_key(self)
    }
    fn working_dir(&self) -> &WorkingDir {
        Vault::working_dir(self)
    }
    fn kdf_params(&self) -> KdfParams {
        self.header.kdf.params
    }
    fn last_sync(&self) -> Option<&std::result::Result<SyncReport, &'static str>> {
        self.last_sync.as_ref()
    }
    fn is_dirty(&self) -> Result<bool> {
        Vault::is_dirty(self)
    }
    fn snapshot_due(&self) -> Result<bool> {
        Vault::snapshot_due(self)
    }
    fn prepare_snapshot(&self) -> Result<Prepared> {
        Vault::prepare_snapshot(self)
    }
    fn behind_compaction(&self) -> Result<Vec<String>> {
        Vault::behind_compaction(self)
    }
    fn compact_segments(&mut self) -> Result<usize> {
        Vault::compact_segments(self)
    }
    fn compact_segments_older_than(&mut self, grace: Duration) -> Result<usize> {
        Vault::compact_segments_older_than(self, grace)
    }
}
