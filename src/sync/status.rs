//! What the status view shows of the data folder: the computers, what each has applied, files
//! that are not ours, clashes, conflicts and what waits for an update.

use std::collections::BTreeSet;
use std::ops::Deref;

use jiff::Timestamp;

use super::{foreign, lease, ForeignFile, Lease, Replica};
use crate::error::Result;
use crate::store::Store;

#[derive(Debug, Clone, serde::Serialize)]
pub struct DeviceStatus {
    pub id: String,
    pub name: String,
    pub this_device: bool,
    pub open_now: bool,
    pub last_seen: Option<Timestamp>,
    /// Whole minutes since `last_seen`, for "last seen N minutes ago".
    pub last_seen_minutes: Option<u64>,
    pub segments: usize,
    /// How far this device has applied that device's changes (its journal numbering).
    pub applied_through: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SyncStatus {
    pub devices: Vec<DeviceStatus>,
    pub foreign: Vec<ForeignFile>,
    /// Billing facts two computers created independently (see `store::Clash`).
    pub clashes: Vec<crate::store::Clash>,
    /// Open conflicts: fields two computers changed, with both values.
    pub conflicts: Vec<crate::store::Conflict>,
    /// What came from a newer Tresor and waits for this one to be updated.
    pub kept_aside: Vec<crate::store::KeptAside>,
}

impl<S: Deref<Target = Store>> Replica<'_, S> {
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let now = Timestamp::now();
        let leases = lease::read_all(self.data_folder());
        let segments = self.other_segments();
        let mut ids: BTreeSet<String> = leases.iter().map(|l| l.lease.device.clone()).collect();
        ids.extend(segments.keys().cloned());
        ids.insert(self.device().id.clone());
        let mut devices = Vec::new();
        for id in ids {
            let lease = leases.iter().find(|l| l.lease.device == id);
            let this = id == self.device().id;
            devices.push(DeviceStatus {
                name: lease.map(|l| l.lease.name.clone()).unwrap_or_else(|| {
                    if this {
                        self.device().name.clone()
                    } else {
                        String::new()
                    }
                }),
                this_device: this,
                open_now: this || lease.is_some_and(|l| l.is_open_now(now)),
                last_seen: lease.map(|l| l.lease.heartbeat),
                last_seen_minutes: lease.map(|l| l.lease.minutes_since_seen(now)),
                segments: segments.get(&id).map_or(0, Vec::len),
                applied_through: if this { self.exported(&id)? } else { self.applied_of(&id)?.wm },
                id,
            });
        }
        let conflicts = self.conflicts(false)?;
        Ok(SyncStatus {
            devices,
            foreign: foreign::scan(self.data_folder()),
            clashes: self.store().read().billing_clashes()?,
            conflicts,
            kept_aside: self.store().read().kept_aside()?,
        })
    }

    /// Other computers that have this vault open right now.
    pub fn others_open(&self) -> Vec<Lease> {
        let now = Timestamp::now();
        lease::read_all(self.data_folder())
            .into_iter()
            .filter(|l| l.lease.device != self.device().id && l.is_open_now(now))
            .map(|l| l.lease)
            .collect()
    }
}
