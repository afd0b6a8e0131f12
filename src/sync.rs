//! The data folder as a meeting point of several computers, carried by the user's own sync
//! client (OneDrive, Dropbox, Syncthing …). Each device writes its changes as sealed segment files
//! under `log/<device>/`, reads the other devices' segments and merges them row by row (newest
//! hybrid-logical-clock stamp wins; documentation revisions are append-only), announces itself
//! with a lease file, and reports files a sync client left behind.

pub mod backup;
pub mod foreign;
pub mod lease;
pub mod mover;
pub mod segment;
pub mod watch;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use jiff::Timestamp;
use zeroize::Zeroizing;

use crate::crypto::KEY_LEN;
use crate::error::{Error, Result};
use crate::fsutil;
use crate::vault::Vault;

pub use foreign::{ForeignFile, ForeignKind};
pub use lease::{Lease, LeaseFile};
use segment::{Segment, SegmentFile};

/// What one device has applied of another's segments: everything up to `wm` in the writer's
/// journal numbering (a complete chain), plus segments applied out of order (`last` → `prev`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Applied {
    pub wm: i64,
    #[serde(default)]
    pub extra: BTreeMap<i64, i64>,
}

impl Applied {
    fn has(&self, f: &SegmentFile) -> bool {
        f.last <= self.wm || self.extra.contains_key(&f.last)
    }

    /// Records a segment; the watermark moves along the chain as far as it now reaches.
    fn add(&mut self, prev: i64, last: i64) {
        self.extra.insert(last, prev);
        while let Some((&l, _)) = self.extra.iter().find(|(_, p)| **p <= self.wm) {
            self.extra.remove(&l);
            self.wm = self.wm.max(l);
        }
    }
}

/// The outcome of one round of syncing.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SyncReport {
    pub written: Option<PathBuf>,
    pub applied: Vec<PathBuf>,
    pub rows_changed: u32,
    /// Rows from other devices that would have changed an issued invoice here; ours stayed.
    pub rows_refused: u32,
    /// Segments that refer to rows not here yet (another device's segment is still on its way).
    pub waiting: Vec<PathBuf>,
    /// Segments that cannot be read: partial copies still arriving, or damaged/foreign files.
    pub unreadable: Vec<PathBuf>,
    pub others_open: Vec<Lease>,
}

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
}

/// At most this many journal entries go into one segment file.
const SEGMENT_ENTRIES: u32 = 2_000;

fn applied_key(device: &str) -> String {
    format!("sync.applied.{device}")
}
fn exported_key(device: &str) -> String {
    format!("sync.exported.{device}")
}

impl Vault {
    fn segment_key(&self) -> Zeroizing<[u8; KEY_LEN]> {
        self.data_key().derive("tresor segment v1")
    }

    fn exported(&self, device: &str) -> Result<i64> {
        Ok(self.store().meta(&exported_key(device))?.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    fn applied_of(&self, device: &str) -> Result<Applied> {
        let mut a: Applied =
            self.store().meta(&applied_key(device))?.and_then(|v| serde_json::from_str(&v).ok()).unwrap_or_default();
        // A working copy restored from that device's snapshot holds its changes up to here.
        a.wm = a.wm.max(self.exported(device)?);
        Ok(a)
    }

    /// Writes this device's changes since its last segment as one sealed file. `None` when there
    /// is nothing new.
    pub fn write_segment(&mut self) -> Result<Option<PathBuf>> {
        let mut last = None;
        while let Some(p) = self.write_one_segment()? {
            last = Some(p);
        }
        Ok(last)
    }

    /// At most `SEGMENT_ENTRIES` journal entries per file, so a bulk import neither builds one
    /// huge file in memory nor makes the other devices download it whole before applying any.
    fn write_one_segment(&mut self) -> Result<Option<PathBuf>> {
        let me = self.device().id.clone();
        let prev = self.exported(&me)?;
        let entries = self.store().read().own_changes_since(&me, prev, SEGMENT_ENTRIES)?;
        let (Some(first), Some(last)) = (entries.first().map(|e| e.seq), entries.last().map(|e| e.seq)) else {
            return Ok(None);
        };
        let mut seen = BTreeSet::new();
        let mut rows = Vec::new();
        for e in &entries {
            if seen.insert((e.entity.clone(), e.row_id.clone())) {
                if let Some(img) = self.store().read().row_image(&e.entity, &e.row_id)? {
                    rows.push(img);
                }
            }
        }
        let seg = Segment {
            v: segment::FORMAT_VERSION,
            vault: self.id().to_string(),
            device: me.clone(),
            device_name: self.device().name.clone(),
            prev,
            first,
            last,
            journal: entries,
            rows,
        };
        let bytes = segment::seal(&self.segment_key(), &seg)?;
        let dir = self.data_folder().log().join(&me);
        fsutil::create_dir_all(&dir)?;
        let path = dir.join(segment::file_name(first, last));
        fsutil::write_atomic(&path, &bytes)?;
        self.store_mut().set_meta(&exported_key(&me), &last.to_string())?;
        Ok(Some(path))
    }

    /// Every segment file of the other devices.
    fn other_segments(&self) -> BTreeMap<String, Vec<SegmentFile>> {
        segment::list(&self.data_folder().log(), &self.device().id)
    }

    /// Reads and merges the segments of other devices not applied yet. A segment that cannot be
    /// read is reported and skipped; one that refers to rows still on their way waits.
    pub fn apply_segments(&mut self, report: &mut SyncReport) -> Result<()> {
        let key = self.segment_key();
        let vault_id = self.id().to_string();
        for (device, files) in self.other_segments() {
            let mut applied = self.applied_of(&device)?;
            let mut pending: Vec<(SegmentFile, Segment)> = Vec::new();
            for f in files.into_iter().filter(|f| !applied.has(f)) {
                match segment::open(&key, &vault_id, &f) {
                    Ok(seg) => pending.push((f, seg)),
                    Err(_) => report.unreadable.push(f.path.clone()),
                }
            }
            for (f, seg) in pending {
                if applied.has(&f) {
                    continue;
                }
                let mut next = applied.clone();
                next.add(seg.prev, seg.last);
                let state = serde_json::to_string(&next).unwrap_or_default();
                let result = self.store_mut().write(|tx| {
                    tx.defer_foreign_keys()?;
                    for e in &seg.journal {
                        tx.apply_journal(e.hlc, &seg.device, &e.entity, &e.row_id, &e.op)?;
                    }
                    let (mut changed, mut refused) = (0, 0);
                    for inv in seg.rows.iter().filter(|r| {
                        r.entity == "invoice" && r.cols.get("state").and_then(|s| s.as_str()) == Some("issued")
                    }) {
                        let lines: Vec<&crate::store::RowImage> = seg
                            .rows
                            .iter()
                            .filter(|r| {
                                r.entity == "invoice_line"
                                    && r.cols.get("invoice_id").and_then(|i| i.as_str()) == Some(inv.id.as_str())
                            })
                            .collect();
                        if !lines.is_empty() {
                            tx.adopt_issued_lines(&inv.id, &lines)?;
                        }
                    }
                    for r in &seg.rows {
                        match tx.apply_row(r)? {
                            crate::store::Applied::Kept => {}
                            crate::store::Applied::Refused => refused += 1,
                            _ => changed += 1,
                        }
                    }
                    tx.set_meta(&applied_key(&device), &state)?;
                    Ok((changed, refused))
                });
                match result {
                    Ok((n, refused)) => {
                        report.rows_changed += n;
                        report.rows_refused += refused;
                        report.applied.push(f.path.clone());
                        applied = next;
                    }
                    // A row it refers to is in a segment that has not arrived yet.
                    Err(Error::Sqlite(e)) if is_foreign_key_failure(&e) => report.waiting.push(f.path.clone()),
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(())
    }

    /// Merges everything that can be merged now. Waiting segments may become applicable once
    /// others are in, so this repeats while it makes progress.
    pub fn merge_incoming(&mut self) -> Result<SyncReport> {
        let mut report = SyncReport::default();
        loop {
            let before = report.applied.len();
            report.waiting.clear();
            report.unreadable.clear();
            self.apply_segments(&mut report)?;
            if report.applied.len() == before || report.waiting.is_empty() {
                break;
            }
        }
        Ok(report)
    }

    /// One round: merge what arrived, write what changed here, refresh the lease.
    pub fn sync_now(&mut self) -> Result<SyncReport> {
        let mut report = self.merge_incoming()?;
        report.written = self.write_segment()?;
        self.heartbeat(true)?;
        report.others_open = self.others_open();
        Ok(report)
    }

    /// Writes this device's lease: open or closed, and what it has applied of whom.
    pub fn heartbeat(&mut self, open: bool) -> Result<()> {
        self.lease_written = true;
        let now = Timestamp::now();
        let mut applied = BTreeMap::new();
        for device in self.other_segments().keys() {
            applied.insert(device.clone(), self.applied_of(device)?.wm);
        }
        let file = LeaseFile {
            lease: Lease {
                device: self.device().id.clone(),
                name: self.device().name.clone(),
                opened_at: self.opened_at(),
                heartbeat: now,
            },
            open,
            applied,
            series: self.store().read().series_of(&self.device().id)?,
        };
        lease::write(self.data_folder(), &file)
    }

    /// Removes this device's segments that every other known device has applied and that this
    /// device's newest snapshot covers. Returns how many files went.
    pub fn compact_segments(&mut self) -> Result<usize> {
        let me = self.device().id.clone();
        let covered = crate::vault::snapshot::newest_seq_of(self.data_folder(), self.id(), &me);
        let mut limit = covered;
        for l in lease::read_all(self.data_folder()) {
            if l.lease.device != me {
                limit = limit.min(l.applied.get(&me).copied().unwrap_or(0));
            }
        }
        let dir = self.data_folder().log().join(&me);
        let Ok(files) = std::fs::read_dir(&dir) else {
            return Ok(0);
        };
        let mut removed = 0;
        for f in files.flatten() {
            if let Some(s) = segment::parse_name(&me, &f.path()) {
                if !s.conflict_copy && s.last <= limit && std::fs::remove_file(&s.path).is_ok() {
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }

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
        Ok(SyncStatus {
            devices,
            foreign: foreign::scan(self.data_folder()),
            clashes: self.store().read().billing_clashes()?,
        })
    }

    /// Claims this device's invoice series before its first number, avoiding the codes other
    /// devices announce in their leases (they may not have reached this working copy yet), and
    /// announces the claim at once.
    pub(crate) fn ensure_series(&mut self) -> Result<()> {
        let me = self.device().id.clone();
        if self.store().read().series_of(&me)?.is_some() {
            return Ok(());
        }
        let elsewhere: Vec<String> = lease::read_all(self.data_folder())
            .into_iter()
            .filter(|l| l.lease.device != me)
            .filter_map(|l| l.series)
            .collect();
        self.store_mut().write(|tx| tx.claim_series_avoiding(&elsewhere))?;
        self.heartbeat(true)
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

fn is_foreign_key_failure(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::ConstraintViolation))
        && e.to_string().to_ascii_uppercase().contains("FOREIGN KEY")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_watermark_follows_the_chain_even_when_segments_arrive_out_of_order() {
        let mut a = Applied::default();
        a.add(9, 14);
        assert_eq!((a.wm, a.extra.len()), (0, 1));
        a.add(0, 5);
        assert_eq!(a.wm, 5);
        let json = serde_json::to_string(&a).unwrap();
        let mut a: Applied = serde_json::from_str(&json).unwrap();
        a.add(5, 9);
        assert_eq!((a.wm, a.extra.len()), (14, 0));
        let f = SegmentFile { path: PathBuf::new(), device: "d".into(), first: 10, last: 14, conflict_copy: false };
        assert!(a.has(&f));
    }
}
