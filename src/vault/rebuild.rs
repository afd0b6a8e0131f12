//! Making this computer's working copy anew from the data folder: for a new computer, after the
//! working copy was damaged (`Vault::repair`), and when it fell behind a compaction of segments
//! it still needed (`Vault::catch_up`). The new copy is built under a temp name in the working
//! folder and renamed into place only when complete, so an interruption leaves the old one.
//!
//! This computer keeps its device id, so its invoice series and its place in everyone's sync
//! state stay. Its journal numbering must go on after every position it has published: the new
//! copy starts from someone's snapshot (with that computer's numbering), so the next position
//! is raised past them, its own segments the snapshot lacks are applied back, and the next
//! segment names the last published one as `prev`, so the other computers' chains stay whole.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fsutil;
use crate::paths::DataFolder;
use crate::store::{OpenMode, Store};
use crate::sync::compact::{self, compacted_key};
use crate::sync::{chain_key, exported_key, lease, segment};

use super::snapshot::{self, Coverage, Restored};
use super::{Device, Unlock, Vault};

/// Where this computer stands in its own journal numbering.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct OwnState {
    /// The `last` of its newest published segment (what the next one names as `prev`).
    pub chain: i64,
    /// Its next journal position must come after this.
    pub seq: i64,
    /// Its segments up to here have been removed by compaction.
    pub floor: i64,
    /// The copy its changes were in could not be read: a snapshot of its own may hold changes
    /// never written as a segment, so export from `chain` on.
    pub tail_unexported: bool,
}

impl OwnState {
    /// What the data folder tells about this computer: its segment names, its lease, what the
    /// others' leases say they applied of it, and its own snapshots.
    pub(crate) fn from_folder(v: &Vault) -> Result<OwnState> {
        let me = v.device().id.clone();
        let folder: &DataFolder = v.data_folder();
        let mut chain = 0;
        if let Ok(files) = std::fs::read_dir(folder.log().join(&me)) {
            for f in files.flatten() {
                if let Some(s) = segment::parse_name(&me, &f.path()).filter(|s| !s.conflict_copy) {
                    chain = chain.max(s.last);
                }
            }
        }
        let mut floor = 0;
        for l in lease::read_all(folder) {
            if l.lease.device == me {
                floor = floor.max(l.compacted);
            } else {
                chain = chain.max(l.applied.get(&me).copied().unwrap_or(0));
            }
        }
        chain = chain.max(floor);
        let seq = chain.max(snapshot::newest_seq_of(folder, v.id(), &me));
        Ok(OwnState { chain, seq, floor, tail_unexported: true })
    }
}

/// What happened to the changes this computer had made.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum OwnChanges {
    /// All of them are in the data folder; `written_now` were written there by the repair.
    Safe { written_now: u64 },
    /// This computer had no working copy of this folder: it was made from the data folder.
    NoWorkingCopy,
    /// The damaged copy could not be read far enough to write them out. `count` is how many
    /// were waiting, where even that could be read; `last_in_folder` when this computer last
    /// wrote changes into the data folder (what it did after that is not there).
    Unreadable { count: Option<u64>, last_in_folder: Option<jiff::Timestamp> },
}

/// What `tresor repair` did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RepairReport {
    /// False when the working copy passed every check and no rebuild was asked for.
    pub rebuilt: bool,
    pub snapshot: Option<PathBuf>,
    /// Snapshots that failed their proof on the way, with the code of why.
    pub passed_over: Vec<(PathBuf, &'static str)>,
    pub own_changes: OwnChanges,
    /// Where the damaged working copy was kept, encrypted as it was.
    pub damaged_copy: Option<PathBuf>,
    /// `device.json` was damaged too: this computer goes on under a new identity (and a new
    /// invoice series).
    pub new_device: bool,
}

impl Vault {
    /// Rebuilds the working copy of `folder` on this computer from the data folder. A sound
    /// working copy is left alone unless `force`. The damaged one is kept beside the new one.
    pub fn repair(folder: &Path, unlock: Unlock<'_>, force: bool) -> Result<(Vault, RepairReport)> {
        Self::repair_in(folder, &crate::paths::local_root(), unlock, force)
    }

    /// Like [`Vault::repair`], with working copies under `local_root`.
    pub fn repair_in(
        folder: &Path,
        local_root: &Path,
        unlock: Unlock<'_>,
        force: bool,
    ) -> Result<(Vault, RepairReport)> {
        let u = Self::unlock_folder(folder, local_root, unlock)?;
        if u.offline {
            // A repair rebuilds from the data folder: it must be there.
            return Err(Error::FolderOffline { path: folder.to_path_buf() });
        }
        let (df, work, header, key, rewrap) = (u.folder, u.work, u.header, u.key, u.rewrap);
        fsutil::create_dir_all(work.root())?;
        let lock = super::acquire_lock(&work)?;
        super::remove_temps_in(&work);
        let (device, new_device) = match Device::load_or_create(&work.device_file()) {
            Ok(d) => (d, false),
            Err(Error::WorkingCopyDamaged) => {
                put_aside(&work.device_file(), &aside_name(&work.device_file()))?;
                (Device::load_or_create(&work.device_file())?, true)
            }
            Err(e) => return Err(e),
        };
        let db = work.database();
        let old = if db.exists() { Some(Store::open(&db, &key, OpenMode::Working, &device.id)) } else { None };
        let sound = match &old {
            Some(Ok(s)) => {
                s.check_integrity().is_ok() && s.meta("vault_id")?.as_deref() == Some(header.vault_id.as_str())
            }
            _ => false,
        };
        let opened = matches!(old, Some(Ok(_)));
        let store = match old {
            Some(Ok(s)) => s,
            _ => Store::placeholder()?,
        };
        let mut v = Vault::from_parts(df, work, header, device, store, key, lock);
        if sound && !force {
            v.finish_open()?;
            v.rewrap_old_password(rewrap);
            let report = RepairReport {
                rebuilt: false,
                snapshot: None,
                passed_over: Vec::new(),
                own_changes: OwnChanges::Safe { written_now: 0 },
                damaged_copy: None,
                new_device,
            };
            return Ok((v, report));
        }
        let folder_state = OwnState::from_folder(&v)?;
        let (own, own_changes) = if opened {
            v.export_what_remains(folder_state)
        } else if db.exists() {
            let last = v.newest_own_segment_time();
            (folder_state, OwnChanges::Unreadable { count: None, last_in_folder: last })
        } else {
            (folder_state, OwnChanges::NoWorkingCopy)
        };
        let aside = if db.exists() { Some(aside_name(&db)) } else { None };
        let restored = v.rebuild_from_folder(own, aside.clone(), &mut |_, _| true)?;
        v.finish_open()?;
        v.rewrap_old_password(rewrap);
        let report = RepairReport {
            rebuilt: true,
            snapshot: Some(restored.info.path),
            passed_over: restored.passed_over,
            own_changes,
            damaged_copy: aside,
            new_device,
        };
        Ok((v, report))
    }

    /// Writes this computer's not yet exported changes from a (damaged) copy that still opens.
    fn export_what_remains(&mut self, folder_state: OwnState) -> (OwnState, OwnChanges) {
        let me = self.device().id.clone();
        let exported = self.exported(&me).unwrap_or(0);
        let pending = self.store().count_changes_since(&me, exported).ok();
        let written = self.write_segment();
        let chain = self.chain_end(&me).unwrap_or(0).max(folder_state.chain);
        let seq = self.store().change_seq().unwrap_or(0).max(chain).max(folder_state.seq);
        let floor = self.compacted_floor().unwrap_or(0).max(folder_state.floor);
        match written {
            Ok(_) => (
                OwnState { chain, seq, floor, tail_unexported: false },
                OwnChanges::Safe { written_now: pending.unwrap_or(0) },
            ),
            Err(_) => {
                let left = self.exported(&me).ok().and_then(|e| self.store().count_changes_since(&me, e).ok());
                let last = self.newest_own_segment_time();
                (
                    OwnState { chain, seq, floor, tail_unexported: true },
                    OwnChanges::Unreadable { count: left.or(pending), last_in_folder: last },
                )
            }
        }
    }

    fn newest_own_segment_time(&self) -> Option<jiff::Timestamp> {
        let dir = self.data_folder().log().join(&self.device().id);
        let newest = std::fs::read_dir(dir).ok()?.flatten().filter_map(|f| f.metadata().ok()?.modified().ok()).max()?;
        jiff::Timestamp::try_from(newest).ok()
    }

    /// A working copy that fell behind a compaction: writes its own unexported changes out as
    /// a segment (where they would go at the next lock anyway), then rebuilds from the newest
    /// good snapshot, which takes them back with everything else.
    pub(crate) fn catch_up(&mut self) -> Result<Restored> {
        self.write_segment()?;
        let me = self.device().id.clone();
        let folder_state = OwnState::from_folder(self)?;
        let chain = self.chain_end(&me)?.max(folder_state.chain);
        let own = OwnState {
            chain,
            seq: self.store().change_seq()?.max(chain).max(folder_state.seq),
            floor: self.compacted_floor()?.max(folder_state.floor),
            tail_unexported: false,
        };
        self.rebuild_from_folder(own, None, &mut |_, _| true)
    }

    /// Builds the new working copy under a temp name, continues this computer's numbering in
    /// it, and renames it into place. `aside`: where to keep the old file (else it is replaced).
    /// `watch` hears the snapshot's copying and may cancel it; the old file is then untouched.
    pub(crate) fn rebuild_from_folder(
        &mut self,
        own: OwnState,
        aside: Option<PathBuf>,
        watch: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<Restored> {
        let db = self.working_dir().database();
        let staging = fsutil::temp_path_for(&db)?;
        let floors = compact::floors(self.data_folder());
        let restored =
            snapshot::restore_good(self.data_folder(), self.id(), self.data_key(), &staging, &floors, watch)?;
        let fresh = match Store::open(&staging, self.data_key(), OpenMode::Working, &self.device().id) {
            Ok(s) => s,
            Err(e) => {
                remove_db_files(&staging);
                return Err(e);
            }
        };
        let old = std::mem::replace(self.store_mut(), fresh);
        let _ = old.checkpoint();
        drop(old);
        let built = self.continue_own_numbering(&own, &restored.coverage).and_then(|_| self.store().checkpoint());
        *self.store_mut() = Store::placeholder()?;
        if let Err(e) = built {
            remove_db_files(&staging);
            // The old file was only closed; a damaged one stays closed.
            if let Ok(s) = Store::open(&db, self.data_key(), OpenMode::Working, &self.device().id) {
                *self.store_mut() = s;
            }
            return Err(e);
        }
        match &aside {
            Some(a) if db.exists() => put_aside(&db, a)?,
            _ => remove_sidecars(&db),
        }
        fsutil::rename_durable(&staging, &db)?;
        *self.store_mut() = Store::open(&db, self.data_key(), OpenMode::Working, &self.device().id)?;
        Ok(restored)
    }

    fn continue_own_numbering(&mut self, own: &OwnState, cov: &Coverage) -> Result<()> {
        let me = self.device().id.clone();
        self.store_mut().raise_journal_seq(own.seq)?;
        if own.chain > cov.get(&me).copied().unwrap_or(0) {
            // Segments of this computer that the snapshot lacks are taken back now: once its
            // exported position moves on, nothing would ever apply them here again.
            self.include_own_segments = true;
            let merged = self.merge_incoming();
            self.include_own_segments = false;
            merged?;
            if self.applied_of(&me)?.wm < own.chain {
                return Err(Error::SegmentUnreadable { path: self.data_folder().log().join(&me) });
            }
        }
        let exported = if own.tail_unexported { own.chain } else { self.store().change_seq()?.max(own.chain) };
        let floor = own.floor.max(self.compacted_floor()?);
        let s = self.store_mut();
        s.set_meta(&exported_key(&me), &exported.to_string())?;
        s.set_meta(&chain_key(&me), &own.chain.to_string())?;
        s.set_meta(&compacted_key(&me), &floor.to_string())
    }
}

/// `tresor.db.damaged-<UTC time>` beside the file.
fn aside_name(p: &Path) -> PathBuf {
    let t = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
    let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    p.with_file_name(format!("{name}.damaged-{t}"))
}

/// Keeps the old file (and its WAL, which may hold its newest pages) under `to`.
fn put_aside(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(|e| Error::io("rename", from, e))?;
    let wal = sidecar(from, "-wal");
    if wal.exists() {
        std::fs::rename(&wal, sidecar(to, "-wal")).map_err(|e| Error::io("rename", &wal, e))?;
    }
    let _ = std::fs::remove_file(sidecar(from, "-shm"));
    Ok(())
}

fn remove_sidecars(db: &Path) {
    for s in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(sidecar(db, s));
    }
}

fn remove_db_files(db: &Path) {
    remove_sidecars(db);
    let _ = std::fs::remove_file(db);
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}
