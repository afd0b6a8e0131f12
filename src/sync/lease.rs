//! Lease files: `leases/<device>.json`, one per computer that has the vault open, refreshed by a
//! heartbeat. Plain JSON on purpose: they hold no personal data, and "also open on LAPTOP-X since
//! 10:02" should be shown before unlocking.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use jiff::Timestamp;

use crate::error::Result;
use crate::fsutil;
use crate::paths::DataFolder;

/// A lease whose heartbeat is older than this is stale and ignored.
pub const FRESH_FOR: Duration = Duration::from_secs(60);
/// How often an open vault refreshes its lease.
pub const HEARTBEAT_EVERY: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Lease {
    pub device: String,
    pub name: String,
    pub opened_at: Timestamp,
    pub heartbeat: Timestamp,
}

impl Lease {
    pub fn is_fresh(&self, now: Timestamp) -> bool {
        now.duration_since(self.heartbeat).unsigned_abs() <= FRESH_FOR
    }
}

/// The lease file: the lease, whether the vault is open there now, and how far that device
/// has applied each other device's segments (what compaction may rely on).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LeaseFile {
    #[serde(flatten)]
    pub lease: Lease,
    #[serde(default)]
    pub open: bool,
    #[serde(default)]
    pub applied: BTreeMap<String, i64>,
    /// The invoice series this device numbers in, once it has claimed one.
    #[serde(default)]
    pub series: Option<String>,
    /// This device's segments up to this position may have been removed (compaction); a
    /// computer that has applied less of it must rebuild from a snapshot (`sync/compact.rs`).
    #[serde(default)]
    pub compacted: i64,
}

impl LeaseFile {
    pub fn is_open_now(&self, now: Timestamp) -> bool {
        self.open && self.lease.is_fresh(now)
    }
}

pub fn write(folder: &DataFolder, file: &LeaseFile) -> Result<()> {
    fsutil::create_dir_all(&folder.leases())?;
    fsutil::write_atomic(&path_of(folder, &file.lease.device), &serde_json::to_vec_pretty(file).unwrap_or_default())
}

/// Where `device` keeps its lease.
pub fn path_of(folder: &DataFolder, device: &str) -> std::path::PathBuf {
    folder.leases().join(format!("{device}.json"))
}

/// A lease file's bytes, or `None` when they are not one (partial copy, foreign file).
pub fn parse(bytes: &[u8]) -> Option<LeaseFile> {
    serde_json::from_slice(bytes).ok()
}

/// Every readable lease file; conflict copies and partial copies are skipped (the foreign-file
/// scan reports the former, the latter are complete on the next read).
pub fn read_all(folder: &DataFolder) -> Vec<LeaseFile> {
    let Ok(entries) = std::fs::read_dir(folder.leases()) else { return Vec::new() };
    let mut out: Vec<LeaseFile> = entries
        .flatten()
        .filter(|e| is_lease_name(&e.path()))
        .filter_map(|e| std::fs::read(e.path()).ok())
        .filter_map(|b| parse(&b))
        .collect();
    out.sort_by(|a, b| a.lease.device.cmp(&b.lease.device));
    out
}

pub fn is_lease_name(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with(".json") && !name.starts_with(fsutil::TEMP_PREFIX) && !super::foreign::is_conflict_marked(name)
}
