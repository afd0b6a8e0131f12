//! The parts of an open vault that the sync layer works on, lent for one call (see `Replica`).

use std::ops::{Deref, DerefMut};
use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::Device;
use crate::crypto::DataKey;
use crate::error::Result;
use crate::paths::DataFolder;
use crate::store::{Store, Tx};

/// Runs after a segment's rows are in, in the same transaction: renders the documents named
/// (those that arrived as their hash) until the deadline. The vault lends its renderer
/// (`vault/documents/reproduce.rs`), so this layer needs nothing of the billing code.
pub(crate) type AfterMerge = dyn Fn(&mut Tx<'_>, &[&str], Instant) -> Result<()>;

/// The parts of an open vault that syncing works on, lent for one call: the working copy's store
/// (`&Store` to read, `&mut Store` to merge and write), the data folder, this device and the data
/// key. `Vault` lends them (`vault/replication.rs`); this layer never names `Vault`, and
/// `Replica` can only be made inside the crate, so the dependency runs one way: vault → sync.
pub(crate) struct Replica<'a, S> {
    pub(crate) store: S,
    pub(crate) folder: &'a DataFolder,
    pub(crate) device: &'a Device,
    pub(crate) key: &'a DataKey,
    pub(crate) vault_id: &'a str,
    pub(crate) opened_at: Timestamp,
    /// While a rebuilt working copy takes back its own segments (see `vault/rebuild.rs`).
    pub(crate) include_own_segments: bool,
    /// Set once this device's lease is written; the vault keeps it (its `lock` refreshes the lease).
    pub(crate) lease_written: bool,
    pub(crate) after_merge: &'a AfterMerge,
    /// How long one merge may spend rendering documents that arrived as their hash.
    pub(crate) render_budget: Duration,
}

impl<S: Deref<Target = Store>> Replica<'_, S> {
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn store_mut(&mut self) -> &mut Store
    where
        S: DerefMut,
    {
        &mut self.store
    }

    pub(crate) fn device(&self) -> &Device {
        self.device
    }

    pub(crate) fn data_folder(&self) -> &DataFolder {
        self.folder
    }

    pub(crate) fn id(&self) -> &str {
        self.vault_id
    }

    pub(crate) fn data_key(&self) -> &DataKey {
        self.key
    }

    pub(crate) fn opened_at(&self) -> Timestamp {
        self.opened_at
    }
}
