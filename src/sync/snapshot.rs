//! Encrypted snapshots of the working database in the data folder. Each is written by
//! `VACUUM INTO` to a temp name in the local working folder, fsynced and proven readable, then
//! copied to a temp name in the snapshot folder and renamed, so a sync client never sees half
//! of one and the vault is never held while the data folder is written. Names carry vault id, the stamp of the newest change
//! the snapshot holds, device and that device's journal position:
//! `<vault>_<YYYYMMDDTHHMMSSmmmZ>_<device>_<seq>.tresor-snapshot`.
//!
//! Nothing here trusts a name: a snapshot becomes a working copy only after it was copied to a
//! temp name in the working folder and proven there (every page, the b-trees, the vault id, and
//! that it holds what compaction removed from the folder). A computer prunes only its own
//! snapshots, by journal position, never the one just written.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::crypto::DataKey;
use crate::error::{Error, Result};
use crate::fsutil;
use crate::hlc::Hlc;
use crate::paths::{DataFolder, WorkingDir, SNAPSHOT_EXT};
use crate::store::{OpenMode, Store};

/// How many snapshots of each device are kept: the newest, proven readable when written, and
/// the one before it in case the newest is damaged on its way to another computer.
pub const KEEP_PER_DEVICE: usize = 2;

/// A name stamped further ahead of this computer's clock than this is tried after all others.
const FUTURE_SLACK_MS: i64 = 24 * 3600 * 1000;

/// What a snapshot holds of each device's changes: a position in that device's own journal
/// numbering, up to which all of that device's segments are in it.
pub type Coverage = BTreeMap<String, i64>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotInfo {
    pub path: PathBuf,
    pub vault_id: String,
    /// `YYYYMMDDTHHMMSSmmmZ`, sortable as text: when the newest change in it was made.
    pub time: String,
    pub device: String,
    pub seq: i64,
}

/// A snapshot that became a working copy, and the ones passed over on the way (with the code
/// of what was wrong with each).
#[derive(Debug, Clone)]
pub struct Restored {
    pub info: SnapshotInfo,
    pub coverage: Coverage,
    pub passed_over: Vec<(PathBuf, &'static str)>,
}

pub fn parse_name(path: &Path) -> Option<SnapshotInfo> {
    let name = path.file_name()?.to_str()?;
    parse_file_name(name).map(|mut s| {
        s.path = path.to_path_buf();
        s
    })
}

fn parse_file_name(name: &str) -> Option<SnapshotInfo> {
    let stem = name.strip_suffix(&format!(".{SNAPSHOT_EXT}"))?;
    let mut parts = stem.split('_');
    let (vault_id, time, device, seq) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || time.len() != 19 {
        return None;
    }
    Some(SnapshotInfo {
        path: PathBuf::new(),
        vault_id: vault_id.into(),
        time: time.into(),
        device: device.into(),
        seq: seq.parse().ok()?,
    })
}

fn stamp_text(ms: i64) -> String {
    let t = jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let z = t.to_zoned(jiff::tz::TimeZone::UTC);
    format!("{}{:03}Z", z.strftime("%Y%m%dT%H%M%S"), z.millisecond())
}

pub fn file_name(vault_id: &str, stamp: Hlc, device: &str, seq: i64) -> String {
    format!("{vault_id}_{}_{device}_{seq}.{SNAPSHOT_EXT}", stamp_text(stamp.millis()))
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

/// The snapshots to start a working copy from, best first: the newest change first, except that
/// names stamped more than a day ahead of this computer's clock (a clock that once ran fast)
/// come after all others. The order only decides what is tried first; each is proven anyway.
pub fn candidates(folder: &DataFolder, vault_id: &str) -> Vec<SnapshotInfo> {
    let limit = stamp_text(jiff::Timestamp::now().as_millisecond().saturating_add(FUTURE_SLACK_MS));
    let mut all = list_for(folder, vault_id);
    all.reverse();
    let (ahead, usual): (Vec<_>, Vec<_>) = all.into_iter().partition(|s| s.time > limit);
    usual.into_iter().chain(ahead).collect()
}

pub fn newest(folder: &DataFolder, vault_id: &str) -> Option<SnapshotInfo> {
    candidates(folder, vault_id).into_iter().next()
}

/// The journal position of this device's newest snapshot (0 if none).
pub fn newest_seq_of(folder: &DataFolder, vault_id: &str, device: &str) -> i64 {
    list_for(folder, vault_id).iter().filter(|s| s.device == device).map(|s| s.seq).max().unwrap_or(0)
}

/// How thoroughly [`prove`] looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    /// Every page authenticates and the file has exactly the length its header says: the bytes
    /// are the ones the writer proved in full. What a computer checks before it uses a snapshot.
    Pages,
    /// Also walks every b-tree: what the writer checks before the snapshot gets its name, and
    /// what `verify` checks.
    Full,
}

/// Opens a snapshot file read-only and proves it: this vault's, whole, every page authentic
/// (and with `Proof::Full` every b-tree sound). Returns what it covers.
pub fn prove(path: &Path, key: &DataKey, vault_id: &str, writer: &str, seq: i64, depth: Proof) -> Result<Coverage> {
    let store = Store::open(path, key, OpenMode::ReadOnly, writer)?;
    let len = fs::metadata(path).map_err(|e| Error::io("read", path, e))?.len();
    if store.expected_len()? != len {
        return Err(Error::DatabaseCorrupt { detail: "the file is cut off or has bytes added".into() });
    }
    store.check_pages(depth == Proof::Full)?;
    match store.meta("vault_id")? {
        Some(id) if id == vault_id => {}
        _ => return Err(Error::DatabaseForeign),
    }
    let mut cov = crate::sync::coverage_in(&store)?;
    let own = cov.entry(writer.to_string()).or_insert(0);
    *own = (*own).max(seq);
    Ok(cov)
}

/// True when `cov` holds every device's changes up to the position given in `floors`.
pub fn covers(cov: &Coverage, floors: &Coverage) -> bool {
    floors.iter().all(|(d, f)| cov.get(d).copied().unwrap_or(0) >= *f)
}

/// Writes a snapshot, proves it before it gets its name, and prunes this device's older ones.
/// The one-call form (command line, backup, move, password change); the app's rounds use
/// [`prepare`] with the vault held and [`Prepared::publish`] without it.
pub fn write(
    store: &Store,
    key: &DataKey,
    work: &WorkingDir,
    folder: &DataFolder,
    vault_id: &str,
    device: &str,
    seq: i64,
) -> Result<PathBuf> {
    let final_path = folder.snapshots().join(file_name(vault_id, store.last_stamp(), device, seq));
    remove_own_temps(&folder.snapshots(), vault_id, device);
    if final_path.exists() && prove(&final_path, key, vault_id, device, seq, Proof::Pages).is_ok() {
        // Same device, same journal position, same newest change: this state is in the folder.
        return Ok(final_path);
    }
    prepare(store, key, work, folder, vault_id, device, seq)?.publish()
}

/// A snapshot made and proven in this computer's working folder, not yet in the data folder.
/// Making it is database work; publishing it is folder work, which may wait on a cloud drive
/// for minutes and so must not hold the vault. Dropped unpublished, its file is removed.
#[derive(Debug)]
pub struct Prepared {
    local: PathBuf,
    final_path: PathBuf,
    folder: DataFolder,
    vault_id: String,
    device: String,
}

/// `VACUUM INTO` a temp file in the working folder, fsynced and proven in full (every page and
/// b-tree, the vault id). Reads nothing from the data folder.
pub fn prepare(
    store: &Store,
    key: &DataKey,
    work: &WorkingDir,
    folder: &DataFolder,
    vault_id: &str,
    device: &str,
    seq: i64,
) -> Result<Prepared> {
    let name = file_name(vault_id, store.last_stamp(), device, seq);
    fsutil::create_dir_all(work.root())?;
    remove_own_temps(work.root(), vault_id, device);
    let local = fsutil::temp_path_for(&work.root().join(&name))?;
    let made = store
        .vacuum_into(&local)
        .and_then(|_| fsutil::sync_file(&local))
        .and_then(|_| prove(&local, key, vault_id, device, seq, Proof::Full));
    if let Err(e) = made {
        let _ = fs::remove_file(&local);
        return Err(e);
    }
    Ok(Prepared {
        local,
        final_path: folder.snapshots().join(name),
        folder: folder.clone(),
        vault_id: vault_id.into(),
        device: device.into(),
    })
}

impl Prepared {
    /// Where the snapshot will be in the data folder.
    pub fn final_path(&self) -> &Path {
        &self.final_path
    }

    /// Copies the proven file into the data folder under a temp name, fsyncs and renames it
    /// (a sync client never sees half of one), then prunes this device's older snapshots.
    pub fn publish(self) -> Result<PathBuf> {
        let dir = self.folder.snapshots();
        self.folder.check_present()?;
        fsutil::create_dir_all(&dir)?;
        remove_own_temps(&dir, &self.vault_id, &self.device);
        fsutil::copy_atomic(&self.local, crate::paths::FileKind::Snapshot, &self.final_path)?;
        prune(&self.folder, &self.vault_id, &self.device, &self.final_path);
        Ok(self.final_path.clone())
    }
}

impl Drop for Prepared {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.local);
    }
}

/// Removes this device's leftovers from an interrupted snapshot. Another computer's temp file
/// may be a snapshot it is writing right now: its name carries its device, and it stays.
fn remove_own_temps(dir: &Path, vault_id: &str, device: &str) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name.strip_prefix(fsutil::TEMP_PREFIX) else { continue };
        // `<12 hex>-<final name>` (older Tresor) or `<12 hex>-<its end>`, as
        // `fsutil::temp_path_for` makes it now: `…_<device>_<seq>.tresor-snapshot`.
        let Some(final_name) = rest.get(13..).filter(|_| rest.as_bytes().get(12) == Some(&b'-')) else { continue };
        let whole = parse_file_name(final_name).is_some_and(|s| s.vault_id == vault_id && s.device == device);
        let tail = || final_name.ends_with(&format!(".{SNAPSHOT_EXT}")) && final_name.contains(&format!("_{device}_"));
        if whole || tail() {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Keeps this device's `KEEP_PER_DEVICE` snapshots with the highest journal positions, and
/// always `just_written`. A name's time plays no part: a clock that once ran fast must not make
/// new snapshots look old.
fn prune(folder: &DataFolder, vault_id: &str, device: &str, just_written: &Path) {
    let mut mine: Vec<SnapshotInfo> =
        list_for(folder, vault_id).into_iter().filter(|s| s.device == device && s.path != just_written).collect();
    mine.sort_by(|a, b| (b.seq, &b.time).cmp(&(a.seq, &a.time)));
    for old in mine.iter().skip(KEEP_PER_DEVICE.saturating_sub(1)) {
        let _ = fs::remove_file(&old.path);
    }
}

/// Makes `dest` a working copy from the best snapshot that proves good and holds everything
/// compaction removed (`floors`). Each candidate is copied to a temp name beside `dest` and
/// proven there, so what is checked is what is used; a bad one is removed and the next tried.
/// Reads the data folder only. `watch(bytes, size)` hears after each MiB of a candidate copied
/// and cancels with `false` ([`Error::Cancelled`]: nothing is left at `dest`).
pub fn restore_good(
    folder: &DataFolder,
    vault_id: &str,
    key: &DataKey,
    dest: &Path,
    floors: &Coverage,
    watch: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Restored> {
    let cands = candidates(folder, vault_id);
    if cands.is_empty() {
        return Err(Error::NoSnapshot);
    }
    let mut passed_over = Vec::new();
    for info in &cands {
        let tmp = fsutil::temp_path_for(dest)?;
        let proven = fsutil::copy_atomic_watched(&info.path, crate::paths::FileKind::Snapshot, &tmp, watch)
            .and_then(|_| prove(&tmp, key, vault_id, &info.device, info.seq, Proof::Pages))
            .and_then(|cov| if covers(&cov, floors) { Ok(cov) } else { Err(Error::NoSnapshot) });
        match proven {
            Ok(coverage) => {
                if let Err(e) = fsutil::rename_durable(&tmp, dest) {
                    let _ = fs::remove_file(&tmp);
                    return Err(e);
                }
                return Ok(Restored { info: info.clone(), coverage, passed_over });
            }
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                if matches!(e, Error::DiskFull | Error::Cancelled) {
                    return Err(e);
                }
                let why = if matches!(e, Error::NoSnapshot) { "snapshot.behind_compaction" } else { e.code() };
                passed_over.push((info.path.clone(), why));
            }
        }
    }
    Err(Error::NoGoodSnapshot { tried: cands.len() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_carry_the_stamp_of_the_newest_change() {
        let stamp = Hlc::from_parts(1_795_000_000_123, 7);
        let n = file_name("v1", stamp, "dev", 42);
        let s = parse_file_name(&n).unwrap();
        assert_eq!((s.vault_id.as_str(), s.device.as_str(), s.seq), ("v1", "dev", 42));
        assert_eq!(s.time, stamp_text(1_795_000_000_123));
        assert!(s.time.ends_with("123Z"));
    }

    #[test]
    fn only_this_devices_temp_files_are_removed() {
        let d = tempfile::tempdir().unwrap();
        let mine = format!("{}0123456789ab-{}", fsutil::TEMP_PREFIX, file_name("v", Hlc(1 << 16), "me", 3));
        let theirs = format!("{}0123456789ab-{}", fsutil::TEMP_PREFIX, file_name("v", Hlc(1 << 16), "you", 3));
        let odd = format!("{}short", fsutil::TEMP_PREFIX);
        for n in [&mine, &theirs, &odd] {
            fs::write(d.path().join(n), b"x").unwrap();
        }
        remove_own_temps(d.path(), "v", "me");
        assert!(!d.path().join(&mine).exists());
        assert!(d.path().join(&theirs).exists() && d.path().join(&odd).exists());

        // Real ids: the temp name carries only the final name's end, which still names the device.
        let (vault, me, you) =
            (uuid::Uuid::now_v7().to_string(), uuid::Uuid::now_v7().to_string(), uuid::Uuid::now_v7().to_string());
        let final_of = |dev: &str| d.path().join(file_name(&vault, Hlc(1 << 16), dev, 123_456));
        let (mine, theirs) =
            (fsutil::temp_path_for(&final_of(&me)).unwrap(), fsutil::temp_path_for(&final_of(&you)).unwrap());
        let len = |p: &std::path::Path| p.file_name().unwrap().to_str().unwrap().chars().count();
        assert!(len(&final_of(&me)) > fsutil::TEMP_TAIL && len(&mine) <= 25 + fsutil::TEMP_TAIL, "{mine:?}");
        fs::write(&mine, b"x").unwrap();
        fs::write(&theirs, b"x").unwrap();
        remove_own_temps(d.path(), &vault, &me);
        assert!(!mine.exists() && theirs.exists());
    }

    #[test]
    fn names_far_ahead_of_the_clock_are_tried_last() {
        let d = tempfile::tempdir().unwrap();
        let folder = DataFolder::new(d.path());
        fs::create_dir_all(folder.snapshots()).unwrap();
        let now = jiff::Timestamp::now().as_millisecond();
        for (ms, dev) in [(now - 60_000, "old"), (now, "new"), (now + 400 * 86_400_000, "future")] {
            fs::write(folder.snapshots().join(file_name("v", Hlc::from_parts(ms, 0), dev, 1)), b"").unwrap();
        }
        let order: Vec<String> = candidates(&folder, "v").into_iter().map(|s| s.device).collect();
        assert_eq!(order, ["new", "old", "future"]);
    }
}
