//! The data folder as a meeting point of several computers, carried by the user's own sync
//! client (OneDrive, Dropbox, Syncthing …). Each device writes its changes as sealed segment files
//! under `log/<device>/`, reads the other devices' segments and merges them field by field (the
//! newest hybrid-logical-clock stamp of each field wins, concurrent changes of one field become
//! conflict records; documentation revisions are append-only), announces itself with a lease
//! file, and reports files a sync client left behind. It works on a `Replica`, the parts an open
//! vault lends it for one call, and knows nothing of the vault itself.

pub mod cloud;
pub mod compact;
pub mod conflicts;
pub mod device;
pub mod erasure;
pub mod foreign;
pub mod lease;
pub mod mover;
pub mod pack;
mod replica;
pub mod round;
pub mod segment;
pub mod snapshot;
mod status;
pub mod watch;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::time::Instant;

use jiff::Timestamp;
use zeroize::Zeroizing;

use crate::crypto::KEY_LEN;
use crate::error::{Error, Result};
use crate::fsutil;

use crate::store::{MergeCounts, Store, Tx};
pub(crate) use compact::coverage_in;
pub use device::Device;
pub use foreign::{ForeignFile, ForeignKind};
pub use lease::{Lease, LeaseFile};
pub(crate) use replica::{AfterMerge, Replica};
use segment::{Opened, Segment, SegmentFile};
pub use status::{DeviceStatus, SyncStatus};

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
    /// Fields both computers changed, found in this round (listed by `Vault::conflicts`).
    pub conflicts: u32,
    /// Rows (or whole segments) from a newer Tresor kept aside until this one is updated.
    pub kept_aside: u32,
    /// Segments that failed for another reason; the others went on, these are tried again.
    pub failed: Vec<FailedSegment>,
    pub others_open: Vec<Lease>,
    /// This working copy had fallen behind a compaction and was rebuilt from this snapshot
    /// (its own unexported changes kept).
    pub rebuilt_from: Option<PathBuf>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct FailedSegment {
    pub path: PathBuf,
    /// The error's stable code (`Error::code`).
    pub code: &'static str,
}

/// Reads and unseals one segment file: `(segment key, vault id, file)`.
pub(crate) type SegmentOpener<'a> = dyn Fn(&[u8; KEY_LEN], &str, &SegmentFile) -> Result<Opened> + 'a;

/// At most this many journal entries go into one segment file.
const SEGMENT_ENTRIES: u32 = 2_000;

fn applied_key(device: &str) -> String {
    format!("sync.applied.{device}")
}
pub(crate) fn exported_key(device: &str) -> String {
    format!("sync.exported.{device}")
}
/// The `last` of this device's newest segment, which the next one names as `prev`. Equal to the
/// exported position, except after a rebuild of the working copy (see `vault/rebuild.rs`).
pub(crate) fn chain_key(device: &str) -> String {
    format!("sync.chain.{device}")
}

impl<S: Deref<Target = Store>> Replica<'_, S> {
    pub(crate) fn segment_key(&self) -> Zeroizing<[u8; KEY_LEN]> {
        self.data_key().derive("tresor segment v1")
    }

    pub(crate) fn exported(&self, device: &str) -> Result<i64> {
        Ok(self.store().meta(&exported_key(device))?.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    /// What this device's next segment names as `prev`.
    pub(crate) fn chain_end(&self, device: &str) -> Result<i64> {
        match self.store().meta(&chain_key(device))?.and_then(|v| v.parse().ok()) {
            Some(c) => Ok(c),
            None => self.exported(device),
        }
    }

    pub(crate) fn applied_of(&self, device: &str) -> Result<Applied> {
        let mut a: Applied =
            self.store().meta(&applied_key(device))?.and_then(|v| serde_json::from_str(&v).ok()).unwrap_or_default();
        // A working copy restored from that device's snapshot holds its changes up to here.
        a.wm = a.wm.max(self.exported(device)?);
        Ok(a)
    }

    /// Writes this device's changes since its last segment as one sealed file. `None` when there
    /// is nothing new.
    pub fn write_segment(&mut self) -> Result<Option<PathBuf>>
    where
        S: DerefMut,
    {
        let mut last = None;
        while let Some(p) = self.write_one_segment()? {
            last = Some(p);
        }
        Ok(last)
    }

    /// At most `SEGMENT_ENTRIES` journal entries per file, so a bulk import neither builds one
    /// huge file in memory nor makes the other devices download it whole before applying any.
    fn write_one_segment(&mut self) -> Result<Option<PathBuf>>
    where
        S: DerefMut,
    {
        let me = self.device().id.clone();
        let Some(out) = self.seal_segment_after(self.exported(&me)?, self.chain_end(&me)?)? else {
            return Ok(None);
        };
        self.data_folder().check_present()?;
        fsutil::create_dir_all(out.path.parent().unwrap_or(self.data_folder().root()))?;
        fsutil::write_atomic(&out.path, &out.bytes)?;
        self.note_exported(out.last)?;
        Ok(Some(out.path))
    }

    /// Records that this device's segments up to `last` are in the data folder.
    pub(crate) fn note_exported(&mut self, last: i64) -> Result<()>
    where
        S: DerefMut,
    {
        let me = self.device().id.clone();
        self.store_mut().set_meta(&exported_key(&me), &last.to_string())?;
        self.store_mut().set_meta(&chain_key(&me), &last.to_string())
    }

    /// Seals this device's next journal entries after `from` (at most `SEGMENT_ENTRIES`) into
    /// the bytes of a segment file that names `prev` as its predecessor, and the path it belongs
    /// at; writes nothing.
    pub(crate) fn seal_segment_after(&self, from: i64, prev: i64) -> Result<Option<round::OutSegment>> {
        let me = self.device().id.clone();
        let entries = self.store().read().own_changes_since(&me, from, SEGMENT_ENTRIES)?;
        let (Some(first), Some(last)) = (entries.first().map(|e| e.seq), entries.last().map(|e| e.seq)) else {
            return Ok(None);
        };
        let mut seen = BTreeSet::new();
        let mut rows = Vec::new();
        for e in &entries {
            if seen.insert((e.entity.clone(), e.row_id.clone())) {
                if let Some(mut img) = self.store().read().row_image(&e.entity, &e.row_id)? {
                    let sent_again = img.entity == crate::store::DOCUMENT_ENTITY
                        && crate::store::carries_whole(
                            entries.iter().filter(|x| x.row_id == e.row_id).map(|x| x.op.as_str()),
                        );
                    if !sent_again {
                        crate::store::strip_reproducible(&mut img);
                    }
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
        let path = self.data_folder().log().join(&me).join(segment::file_name(first, last));
        Ok(Some(round::OutSegment { path, bytes, last }))
    }

    /// Every segment file of the other devices.
    fn other_segments(&self) -> BTreeMap<String, Vec<SegmentFile>> {
        // A rebuilt working copy takes back its own segments that its snapshot lacks.
        let except = if self.include_own_segments { "" } else { self.device().id.as_str() };
        segment::list(&self.data_folder().log(), except)
    }

    /// Reads and merges the segments of other devices not applied yet, over a given listing, with
    /// `open` reading and unsealing one file (from disk, or from bytes a worker read before, see
    /// `sync::round`). A segment that cannot be read is reported and skipped; one that refers to
    /// rows still on their way waits; one from a newer Tresor is kept aside; one that fails
    /// otherwise is reported. None stops the others.
    pub(crate) fn apply_from(
        &mut self,
        listing: BTreeMap<String, Vec<SegmentFile>>,
        open: &SegmentOpener<'_>,
        report: &mut SyncReport,
        until: Instant,
    ) -> Result<()>
    where
        S: DerefMut,
    {
        let key = self.segment_key();
        let vault_id = self.id().to_string();
        let settle = self.after_merge;
        for (device, files) in listing {
            let mut applied = self.applied_of(&device)?;
            let mut pending: Vec<(SegmentFile, Opened)> = Vec::new();
            for f in files.into_iter().filter(|f| !applied.has(f)) {
                match open(&key, &vault_id, &f) {
                    Ok(seg) => pending.push((f, seg)),
                    Err(_) => report.unreadable.push(f.path.clone()),
                }
            }
            for (f, opened) in pending {
                if applied.has(&f) {
                    continue;
                }
                let (prev, last) = match &opened {
                    Opened::Current(seg) => (seg.prev, seg.last),
                    Opened::Newer { prev, .. } => (prev.unwrap_or(f.first - 1), f.last),
                };
                let mut next = applied.clone();
                next.add(prev, last);
                let state = serde_json::to_string(&next).expect("ranges of integers always serialise to JSON");
                let name = segment::file_name(f.first, f.last);
                let result = self.store_mut().write(|tx| {
                    let counts = match &opened {
                        Opened::Current(seg) => merge_segment(tx, seg, until, settle)?,
                        Opened::Newer { v, plain, .. } => {
                            let reason = format!("segment_format:{v}");
                            let kept = tx.keep_aside_raw(&device, "", &name, plain, &reason)?;
                            MergeCounts { kept_aside: kept as u32, ..Default::default() }
                        }
                    };
                    tx.set_meta(&applied_key(&device), &state)?;
                    Ok(counts)
                });
                match result {
                    Ok(c) => {
                        report.add(&c);
                        report.applied.push(f.path.clone());
                        applied = next;
                    }
                    // A row it refers to is in a segment that has not arrived yet.
                    Err(Error::Sqlite(e)) if is_foreign_key_failure(&e) => report.waiting.push(f.path.clone()),
                    Err(e) => report.failed.push(FailedSegment { path: f.path.clone(), code: e.code() }),
                }
            }
        }
        Ok(())
    }

    /// After an update (a newer schema), tries again what an older version kept aside.
    fn retry_kept_aside(&mut self, report: &mut SyncReport, until: Instant) -> Result<()>
    where
        S: DerefMut,
    {
        if !self.store().read().kept_aside_due()? {
            return Ok(());
        }
        let vault_id = self.id().to_string();
        let settle = self.after_merge;
        let result = self.store_mut().write(|tx| {
            let due = tx.take_kept_aside_due()?;
            let (segments, rows): (Vec<_>, Vec<_>) = due.into_iter().partition(|r| r.entity.is_empty());
            let mut total = tx.retry_rows(rows)?;
            for s in segments {
                let file = segment::parse_name(&s.source, std::path::Path::new(&s.row_id));
                match file.as_ref().and_then(|f| segment::decode(s.image.as_bytes(), &vault_id, f)) {
                    Some(Opened::Current(seg)) => {
                        let c = merge_segment(tx, &seg, until, settle)?;
                        total.changed += c.changed;
                        total.refused += c.refused;
                        total.conflicts += c.conflicts;
                        total.kept_aside += c.kept_aside;
                    }
                    Some(Opened::Newer { v, .. }) => {
                        tx.keep_aside_raw(&s.source, "", &s.row_id, &s.image, &format!("segment_format:{v}"))?;
                    }
                    None => {
                        tx.keep_aside_raw(&s.source, "", &s.row_id, &s.image, "malformed")?;
                    }
                }
            }
            Ok(total)
        });
        match result {
            Ok(c) => report.add(&c),
            // Not yet (e.g. a row it refers to is still on its way): tried again after the next
            // update, and reported in the status meanwhile.
            Err(_) => self.store_mut().write(|tx| tx.postpone_kept_aside())?,
        }
        Ok(())
    }

    /// Merges everything that can be merged now. Waiting segments may become applicable once
    /// others are in, so this repeats while it makes progress.
    pub fn merge_incoming(&mut self) -> Result<SyncReport>
    where
        S: DerefMut,
    {
        let listing = self.other_segments();
        self.merge_from(&listing, &|key, vault, f| segment::open(key, vault, f))
    }

    /// `merge_incoming` over a given listing and opener.
    pub(crate) fn merge_from(
        &mut self,
        listing: &BTreeMap<String, Vec<SegmentFile>>,
        open: &SegmentOpener<'_>,
    ) -> Result<SyncReport>
    where
        S: DerefMut,
    {
        let mut report = SyncReport::default();
        let until = Instant::now() + self.render_budget;
        self.retry_kept_aside(&mut report, until)?;
        loop {
            let before = report.applied.len();
            report.waiting.clear();
            report.unreadable.clear();
            report.failed.clear();
            self.apply_from(listing.clone(), open, &mut report, until)?;
            if report.applied.len() == before || report.waiting.is_empty() {
                break;
            }
        }
        // Documents left over from an earlier round's budget.
        if Instant::now() < until && !self.store().read().documents_to_render()?.is_empty() {
            let settle = self.after_merge;
            self.store_mut().write(|tx| settle(tx, &[], until))?;
        }
        Ok(report)
    }

    /// Writes this device's lease: open or closed, and what it has applied of whom.
    pub fn heartbeat(&mut self, open: bool) -> Result<()>
    where
        S: DerefMut,
    {
        self.lease_written = true;
        let devices: Vec<String> = self.other_segments().into_keys().collect();
        let file = self.lease_file(open, &devices)?;
        lease::write(self.data_folder(), &file).map(|_| ())
    }

    /// This device's lease as it would be written now, naming what it has applied of `devices`.
    pub(crate) fn lease_file(&self, open: bool, devices: &[String]) -> Result<LeaseFile> {
        let now = Timestamp::now();
        let mut applied = BTreeMap::new();
        for device in devices {
            applied.insert(device.clone(), self.applied_of(device)?.wm);
        }
        Ok(LeaseFile {
            lease: Lease {
                device: self.device().id.clone(),
                name: self.device().name.clone(),
                opened_at: self.opened_at(),
                heartbeat: now,
            },
            open,
            applied,
            series: self.store().read().series_of(&self.device().id)?,
            compacted: self.compacted_floor()?,
        })
    }

    /// Claims this device's invoice series before its first number, avoiding the codes other
    /// devices announce in their leases (they may not have reached this working copy yet), and
    /// announces the claim at once.
    pub(crate) fn ensure_series(&mut self) -> Result<()>
    where
        S: DerefMut,
    {
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
}

/// One segment's journal entries and rows, in the caller's transaction.
/// Documents that arrived as a hash are rendered until `until`; the rest wait for a later round
/// or their export (a new computer opening a month-end run would otherwise render for seconds).
fn merge_segment(tx: &mut Tx<'_>, seg: &Segment, until: Instant, settle: &AfterMerge) -> Result<MergeCounts> {
    for e in &seg.journal {
        tx.apply_journal(e.hlc, &seg.device, &e.entity, &e.row_id, &e.op)?;
    }
    // A row of an erased client that another computer wrote before it learnt of the erasure
    // must not bring the client back.
    let erased = tx.read().erased_ids()?;
    let counts = if seg.rows.iter().any(|img| crate::store::touches_erased(img, &erased)) {
        let rows: Vec<_> = seg.rows.iter().filter(|img| !crate::store::touches_erased(img, &erased)).cloned().collect();
        tx.apply_rows(&seg.device, &rows)?
    } else {
        tx.apply_rows(&seg.device, &seg.rows)?
    };
    let wanted: Vec<&str> = seg
        .journal
        .iter()
        .filter(|e| e.op == crate::store::WANT && e.entity == crate::store::DOCUMENT_ENTITY)
        .map(|e| e.row_id.as_str())
        .collect();
    settle(tx, &wanted, until)?;
    Ok(counts)
}

impl SyncReport {
    fn add(&mut self, c: &MergeCounts) {
        self.rows_changed += c.changed;
        self.rows_refused += c.refused;
        self.conflicts += c.conflicts;
        self.kept_aside += c.kept_aside;
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
