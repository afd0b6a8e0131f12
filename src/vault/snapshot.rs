//! Encrypted snapshots of the working database in the data folder. Each is written by
//! `VACUUM INTO` to a temp name in the snapshot folder, fsynced, then renamed, so a sync client
//! never sees half of one. Names carry vault id, time, device and journal position:
//! `<vault>_<YYYYMMDDTHHMMSSmmmZ>_<device>_<seq>.tresor-snapshot`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fsutil;
use crate::paths::{DataFolder, SNAPSHOT_EXT};
use crate::store::Store;

/// How many snapshots of each device are kept.
pub const KEEP_PER_DEVICE: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotInfo {
    pub path: PathBuf,
    pub vault_id: String,
    /// `YYYYMMDDTHHMMSSmmmZ`, sortable as text.
    pub time: String,
    pub device: String,
    pub seq: i64,
}

pub fn parse_name(path: &Path) -> Option<SnapshotInfo> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(&format!(".{SNAPSHOT_EXT}"))?;
    let mut parts = stem.split('_');
    let (vault_id, time, device, seq) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || time.len() != 19 {
        return None;
    }
    Some(SnapshotInfo {
        path: path.to_path_buf(),
        vault_id: vault_id.into(),
        time: time.into(),
        device: device.into(),
        seq: seq.parse().ok()?,
    })
}

/// Every well-named snapshot in the folder, oldest first. Conflict copies and partial files do
/// not parse and are left to the sync module to report.
pub fn list(folder: &DataFolder) -> Vec<SnapshotInfo> {
    let mut out: Vec<SnapshotInfo> = match fs::read_dir(folder.snapshots()) {
        Ok(entries) => entries.flatten().filter(fsutil::is_plain_file).filter_map(|e| parse_name(&e.path())).collect(),
        Err(_) => Vec::new(),
    };
    out.sort_by(|a, b| (&a.time, a.seq).cmp(&(&b.time, b.seq)));
    out
}

pub fn list_for(folder: &DataFolder, vault_id: &str) -> Vec<SnapshotInfo> {
    list(folder).into_iter().filter(|s| s.vault_id == vault_id).collect()
}

/// Refuses a header that was copied in from another vault: the snapshots say whose folder this is.
pub fn check_belongs(folder: &DataFolder, vault_id: &str) -> Result<()> {
    let all = list(folder);
    if !all.is_empty() && all.iter().all(|s| s.vault_id != vault_id) {
        return Err(Error::HeaderOtherVault);
    }
    Ok(())
}

pub fn newest(folder: &DataFolder, vault_id: &str) -> Option<SnapshotInfo> {
    list_for(folder, vault_id).pop()
}

/// The journal position of this device's newest snapshot (0 if none).
pub fn newest_seq_of(folder: &DataFolder, vault_id: &str, device: &str) -> i64 {
    list_for(folder, vault_id).iter().filter(|s| s.device == device).map(|s| s.seq).max().unwrap_or(0)
}

/// Writes a snapshot and prunes this device's older ones.
pub fn write(store: &Store, folder: &DataFolder, vault_id: &str, device: &str, seq: i64) -> Result<PathBuf> {
    let dir = folder.snapshots();
    fsutil::create_dir_all(&dir)?;
    fsutil::remove_stale_temps(&dir);
    let now = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC);
    let time = format!("{}{:03}Z", now.strftime("%Y%m%dT%H%M%S"), now.millisecond());
    let final_path = dir.join(format!("{vault_id}_{time}_{device}_{seq}.{SNAPSHOT_EXT}"));
    let tmp = fsutil::temp_path_for(&final_path)?;
    let result = store
        .vacuum_into(&tmp)
        .and_then(|_| fsutil::sync_file(&tmp))
        .and_then(|_| fsutil::rename_durable(&tmp, &final_path));
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    prune(folder, vault_id, device);
    Ok(final_path)
}

fn prune(folder: &DataFolder, vault_id: &str, device: &str) {
    let mine: Vec<SnapshotInfo> = list_for(folder, vault_id).into_iter().filter(|s| s.device == device).collect();
    if mine.len() > KEEP_PER_DEVICE {
        for old in &mine[..mine.len() - KEEP_PER_DEVICE] {
            let _ = fs::remove_file(&old.path);
        }
    }
}

/// Copies the newest snapshot to `dest` (streamed to a temp file, fsync, rename), to start a
/// working copy.
pub fn restore_newest(folder: &DataFolder, vault_id: &str, dest: &Path) -> Result<SnapshotInfo> {
    let snap = newest(folder, vault_id).ok_or(Error::NoSnapshot)?;
    fsutil::copy_atomic(&snap.path, crate::paths::FileKind::Snapshot, dest)?;
    Ok(snap)
}
