//! A vault: the data folder with its `vault.key` and snapshots, plus this computer's encrypted
//! working copy. Creating, unlocking, changing the password, recovering, verifying and locking
//! live here. The parts, each a type of its own that borrows the vault: [`Records`]
//! (`vault.records()`, `records.rs`), [`Billing`] (`vault.billing()`, `billing.rs` +
//! `billing/*`), [`Documents`] (`vault.documents()`, `documents.rs` + `documents/*`); the
//! `_mut` forms also write. Replication (`replication.rs`) lends `sync` a `Replica` (`sync`
//! never names `Vault`); the locked round is `round.rs`.

mod attachments;
mod backoff;
pub mod backup;
mod billing;
mod billing_desk;
mod calendar;
pub mod compaction;
mod documents;
mod import;
#[cfg(feature = "inspect")]
mod inspect;
pub mod key_copy;
mod list_memory;
#[cfg(test)]
mod mixed_versions;
mod month_run;
mod policy;
mod rebuild;
mod records;
mod reminders;
mod replication;
mod report_view;
mod retention;
pub mod round;
mod stats;

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use secrecy::SecretString;
use zeroize::Zeroizing;

use crate::crypto::{DataKey, KdfParams, RecoveryKey};
use crate::domain::practice::{Country, Practice};
use crate::error::{Error, Result};
use crate::fsutil;
use crate::paths::{DataFolder, WorkingDir};
use crate::store::{OpenMode, Store};

pub use crate::header::Body as Header;
pub use crate::sync::device::{this_computer_name, Device};
pub use crate::sync::snapshot;
pub use attachments::Attachments;
pub use backoff::{
    delay_after as unlock_delay_after, unlock_wait, unlock_wait_in, whole_seconds, MAX_DELAY as MAX_UNLOCK_DELAY,
};
#[cfg(feature = "tools")]
pub(crate) use billing::snapshot_of;
pub use billing::{month_range, unit_word, Billing, Cancellation, CashCheck, CashLevel, Dunned, MonthRun};
pub use billing::{RKSV_CASH, RKSV_TURNOVER};
pub use billing_desk::{
    ClientBilling, FilterCount, InvoiceActions, InvoiceFilter, InvoiceList, InvoiceListQuery, InvoiceRow, InvoiceSort,
    InvoiceView, LetterView, LineView, PayerChoice, PaymentView,
};
pub use calendar::{
    AppointmentChange, CalendarItem, CalendarRange, OverdueItem, SessionItem, TodayOverview, TODAY_LIMIT,
};
pub use documents::{Copy, Documents, Exported, InvoiceFormat};
#[cfg(feature = "inspect")]
pub use inspect::Inspect;
pub use list_memory::ListAhead;
pub use month_run::{DraftPreview, MonthPreview, RunIssued, RunOutcome, RunProblem, SkippedClient};
pub use policy::{COMPACT_EVERY, SNAPSHOT_CHECK_EVERY, SNAPSHOT_MIN_GAP, SNAPSHOT_SHARE};
pub use rebuild::{OwnChanges, RepairReport};
pub use records::{ClientTimeline, Records, SeriesInput};
pub use report_view::{code_name, FigureTexts, Figures, Names, PaymentLine, PaymentList, ReportLine, ReportView};
pub use retention::{ErasureReport, Retention, RetentionItem};
pub use snapshot::SnapshotInfo;
pub use stats::{ClientStats, MonthStats, Period, Rates, Statistics, SESSIONS_BEFORE_APPROVAL};

/// How long a derivation of the password key should take; see `KdfParams::calibrate`.
pub const DEFAULT_KDF_TARGET: Duration = Duration::from_millis(700);

pub enum Unlock<'a> {
    Password(&'a SecretString),
    RecoveryKey(&'a RecoveryKey),
}

#[derive(Debug, Clone)]
pub struct CreateOptions {
    pub kdf_target: Duration,
    pub country: Country,
    /// Where working copies live; `None` means `paths::local_root()`.
    pub local_root: Option<PathBuf>,
}

impl Default for CreateOptions {
    fn default() -> Self {
        CreateOptions { kdf_target: DEFAULT_KDF_TARGET, country: Country::AT, local_root: None }
    }
}

/// An unlocked vault. Dropping it closes the database and wipes the data key; [`Vault::lock`]
/// also takes a final snapshot.
pub struct Vault {
    folder: DataFolder,
    work: WorkingDir,
    header: Header,
    device: Device,
    store: Store,
    key: DataKey,
    /// When the snapshot policy last looked at the folder (the app asks often).
    last_policy_check: Option<Instant>,
    opened_at: jiff::Timestamp,
    last_sync: Option<std::result::Result<crate::sync::SyncReport, &'static str>>,
    pub(crate) lease_written: bool,
    /// While a rebuilt working copy takes back its own segments (see `vault/rebuild.rs`).
    pub(crate) include_own_segments: bool,
    /// The invoice list's rows while nothing changed, or being read ahead (`list_memory.rs`).
    list: list_memory::ListMemory,
    /// Opened from this computer's copy of `vault.key` while the data folder was away; cleared
    /// by the first round that finds the folder back ("working locally" until then).
    offline: bool,
    /// The data folder's `vault.key` is older than this computer's copy (`key_copy.rs`).
    folder_key_older: bool,
    /// Held for as long as the vault is open: a second process gets `InUse`.
    _lock: File,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("id", &self.header.vault_id)
            .field("folder", &self.folder.root())
            .finish_non_exhaustive()
    }
}

/// What `verify` found; `sound()` is true only when every check passed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VerifyReport {
    pub header: bool,
    pub database: std::result::Result<(), String>,
    /// The snapshot a new computer would start from (the first that proves good).
    pub snapshot: std::result::Result<String, String>,
    /// Snapshots tried before it that failed their proof, with why.
    pub damaged_snapshots: Vec<(String, String)>,
}

impl VerifyReport {
    pub fn sound(&self) -> bool {
        self.header && self.database.is_ok() && self.snapshot.is_ok()
    }
}

fn read_header(folder: &DataFolder) -> Result<Header> {
    crate::header::read(folder)
}

/// This vault's working folder on this computer. A folder restored from a backup carries its
/// own `folder.id`, so it gets a working copy of its own instead of the one of the folder it
/// was backed up from (which would win and be written back into the restored folder).
fn working_dir(folder: &DataFolder, local_root: &Path, vault_id: &str) -> WorkingDir {
    match read_folder_id(folder) {
        Some(fid) => WorkingDir::in_root(local_root, &format!("{vault_id}+{fid}")),
        None => WorkingDir::in_root(local_root, vault_id),
    }
}

fn read_folder_id(folder: &DataFolder) -> Option<String> {
    let bytes =
        fsutil::read_bounded(&folder.root().join(crate::paths::FOLDER_ID_FILE), crate::paths::FileKind::Header).ok()?;
    let text = std::str::from_utf8(bytes.get(..64.min(bytes.len()))?).ok()?;
    uuid::Uuid::parse_str(text.trim()).ok().map(|u| u.to_string())
}

/// Gives a restored data folder an identity of its own (see [`working_dir`]). Called by
/// `vault::backup::restore` before it writes the header.
pub fn mark_restored(folder: &Path) -> Result<()> {
    let id = uuid::Uuid::now_v7().to_string();
    fsutil::write_atomic(&folder.join(crate::paths::FOLDER_ID_FILE), format!("{id}\n").as_bytes())
}

/// Our temp files in the working folder are left by an interrupted restore or rebuild; the
/// folder's lock says no other process of ours is using them.
fn remove_temps_in(work: &WorkingDir) {
    let Ok(entries) = std::fs::read_dir(work.root()) else { return };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(fsutil::TEMP_PREFIX) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn acquire_lock(work: &WorkingDir) -> Result<File> {
    let path = work.lock_file();
    let f = fsutil::private_options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io("open", &path, e))?;
    match f.try_lock() {
        Ok(()) => Ok(f),
        Err(TryLockError::WouldBlock) => Err(Error::InUse),
        Err(TryLockError::Error(e)) => Err(Error::io("lock", path, e)),
    }
}

impl Vault {
    /// Creates a new vault in `folder` (made if missing). Returns the recovery key, which exists
    /// nowhere else afterwards: the caller must show it once. A failure (a full disk, a file where
    /// a folder belongs) removes what this call made — the working copy, the snapshot, folders it
    /// created — and keeps what was there before.
    pub fn create(folder: &Path, password: &SecretString, opts: &CreateOptions) -> Result<(Vault, RecoveryKey)> {
        crate::crypto::check_new_password(password)?;
        let df = DataFolder::new(folder);
        if holds_tresor_files(&df) {
            return Err(Error::VaultExists { path: folder.to_path_buf() });
        }
        let vault_id = uuid::Uuid::now_v7().to_string();
        let root = opts.local_root.clone().unwrap_or_else(crate::paths::local_root);
        let made_folder = fsutil::first_missing(folder);
        let made_snapshots = fsutil::first_missing(&df.snapshots());
        let made_work = fsutil::first_missing(WorkingDir::in_root(&root, &vault_id).root());
        let result = Self::create_parts(df.clone(), &root, &vault_id, password, opts);
        if result.is_err() {
            // The vault (database, lock) is closed by now.
            if let Some(dir) = made_work {
                let _ = std::fs::remove_dir_all(dir);
            }
            match (made_folder, made_snapshots) {
                (Some(dir), _) | (None, Some(dir)) => {
                    let _ = std::fs::remove_dir_all(dir);
                }
                (None, None) => {
                    for s in snapshot::list_for(&df, &vault_id) {
                        let _ = std::fs::remove_file(s.path);
                    }
                }
            }
        }
        result
    }

    fn create_parts(
        df: DataFolder,
        root: &Path,
        vault_id: &str,
        password: &SecretString,
        opts: &CreateOptions,
    ) -> Result<(Vault, RecoveryKey)> {
        // The snapshots folder first: every write into the data folder asks that it holds
        // something (`DataFolder::check_present`), which an empty new folder would not.
        fsutil::create_dir_all(&df.snapshots())?;
        let key = DataKey::generate()?;
        let recovery = RecoveryKey::generate()?;
        let params = KdfParams::calibrate(opts.kdf_target)?;
        let header = Header::create(vault_id, &key, password, &recovery, params)?;

        let mut vault = Self::assemble(df, root, header, key, OpenMode::CreateWorking, &mut |_, _| true)?;
        vault.store.set_meta("vault_id", vault_id)?;
        vault.store.write(|tx| tx.put_practice(&Practice::new_default(opts.country)))?;
        // The snapshot first, then the header: a folder with a header always has data to open.
        vault.snapshot_now()?;
        fsutil::write_atomic(&vault.folder.header(), &vault.header.to_bytes())?;
        key_copy::save(&vault.work, vault.folder.root(), &vault.header)?;
        Ok((vault, recovery))
    }

    /// Unlocks the vault in `folder`. Nothing is written before the secret is proven right.
    pub fn open(folder: &Path, unlock: Unlock<'_>) -> Result<Vault> {
        Self::open_in(folder, &crate::paths::local_root(), unlock)
    }

    /// Like [`Vault::open`], with working copies under `local_root` (tests, portable setups).
    /// Tries on one vault run one at a time, and wrong ones make the next wait (`backoff.rs`):
    /// the only thing written before the secret is proven right is that local count.
    ///
    /// While the data folder is away (not mounted, offline, an empty mount point), the vault
    /// opens from this computer's copy of `vault.key` and its working copy, and works locally
    /// ([`Vault::is_offline`]); nothing is written into the folder until it is back.
    pub fn open_in(folder: &Path, local_root: &Path, unlock: Unlock<'_>) -> Result<Vault> {
        Self::open_watched(folder, local_root, unlock, &mut |_, _| true)
    }

    /// Like [`Vault::open_in`], telling `watch(bytes, size)` after each MiB while it builds this
    /// computer's first working copy from the folder's snapshot (on a second computer, where a
    /// cloud drive may still be downloading it). `watch` returning `false` cancels
    /// ([`Error::Cancelled`]): no working copy is left, the next unlock builds it again.
    pub fn open_watched(
        folder: &Path,
        local_root: &Path,
        unlock: Unlock<'_>,
        watch: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<Vault> {
        let u = Self::unlock_folder(folder, local_root, unlock)?;
        if u.offline && !u.work.database().exists() {
            // No working copy to work on: the folder is needed to make one.
            return Err(Error::FolderOffline { path: folder.to_path_buf() });
        }
        let mut vault = Self::assemble_in(u.folder, u.work, u.header, u.key, OpenMode::Working, watch)?;
        vault.offline = u.offline;
        vault.folder_key_older = u.folder_key_older;
        if !vault.offline {
            vault.finish_open()?;
            if !vault.folder_key_older {
                // Only a cache for opening offline: if it cannot be written, the next unlock
                // with the folder there tries again.
                let _ = key_copy::save(&vault.work, vault.folder.root(), &vault.header);
            }
            vault.rewrap_old_password(u.rewrap);
        }
        Ok(vault)
    }

    /// A slot from before passwords were normalised is re-wrapped once under the NFC form. If the
    /// folder cannot be written now, the old form keeps working and this is tried again at the
    /// next unlock.
    fn rewrap_old_password(&mut self, rewrap: Option<&SecretString>) {
        if let Some(p) = rewrap {
            let _ = self.change_password(p);
        }
    }

    /// Reads the header, checks it belongs to the folder's snapshots, unwraps the data key (one
    /// try at a time per vault, with the wrong-password back-off). Also returns the password when
    /// it opened a slot written in an older, un-normalised form.
    fn unlock_folder<'u>(folder: &Path, local_root: &Path, unlock: Unlock<'u>) -> Result<Unlocked<'u>> {
        let df = DataFolder::new(folder);
        let (header, work, offline, folder_key_older) = match read_header(&df) {
            Ok(header) => {
                snapshot::check_belongs(&df, &header.vault_id)?;
                let work = working_dir(&df, local_root, &header.vault_id);
                match key_copy::load(&work) {
                    Some(local) if key_copy::choose(&header, Some(&local)) == key_copy::Choice::Local => {
                        (local, work, false, true)
                    }
                    _ => (header, work, false, false),
                }
            }
            Err(e) if key_copy::folder_away(&df, &e) => match key_copy::find(local_root, folder) {
                Some((work, header)) => (header, work, true, false),
                None => return Err(e),
            },
            Err(e) => return Err(e),
        };
        let attempt = backoff::Attempt::begin(&WorkingDir::in_root(local_root, &header.vault_id))?;
        let unwrapped = match unlock {
            Unlock::Password(p) => header.unwrap_with_password_form(p).map(|(key, old)| (key, old.then_some(p))),
            Unlock::RecoveryKey(k) => header.unwrap_with_recovery(k).map(|key| (key, None)),
        };
        attempt.settle(&unwrapped);
        let (key, rewrap) = unwrapped?;
        Ok(Unlocked { folder: df, work, header, key, rewrap, offline, folder_key_older })
    }

    fn finish_open(&mut self) -> Result<()> {
        match self.store.meta("vault_id")? {
            Some(id) if id == self.header.vault_id => {}
            _ => return Err(Error::DatabaseForeign),
        }
        // Merging what other computers wrote must not keep the user out: a failure is kept for
        // the status view and the next round retries. Opening writes nothing to the data folder,
        // unless this copy fell behind a compaction: then its own unexported changes are written
        // out as a segment before it is rebuilt from the newest good snapshot.
        self.last_sync = Some(self.merge_incoming().map_err(|e| e.code()));
        if !self.behind_compaction()?.is_empty() {
            let rebuilt = self.catch_up()?;
            self.last_sync = Some(self.merge_incoming().map_err(|e| e.code()).map(|mut r| {
                r.rebuilt_from = Some(rebuilt.info.path);
                r
            }));
        }
        // Attachments whose lifetime ended are erased now (issue 16). A failure must not keep
        // the user out; the next unlock tries again.
        let _ = self.attachments_mut().purge_expired(jiff::Timestamp::now());
        let _ = self.attachments_mut().tidy();
        // Erasures from other computers and notes past their lifetime: the unlock goes on if
        // the folder cannot be written now; what is pending is tried again at the next round.
        if let Err(e) = self.retention_upkeep(jiff::Timestamp::now()) {
            self.last_sync = Some(Err(e.code()));
        }
        Ok(())
    }

    /// Takes the working folder's lock (a second process gets `InUse`), makes the working copy
    /// from the newest good snapshot if this computer has none, and opens it.
    fn assemble(
        folder: DataFolder,
        local_root: &Path,
        header: Header,
        key: DataKey,
        mode: OpenMode,
        watch: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<Vault> {
        let work = working_dir(&folder, local_root, &header.vault_id);
        Self::assemble_in(folder, work, header, key, mode, watch)
    }

    fn assemble_in(
        folder: DataFolder,
        work: WorkingDir,
        header: Header,
        key: DataKey,
        mode: OpenMode,
        watch: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<Vault> {
        fsutil::create_dir_all(work.root())?;
        let lock = acquire_lock(&work)?;
        remove_temps_in(&work);
        let device = Device::load_or_create(&work.device_file())?;
        if mode == OpenMode::Working && !work.database().exists() {
            let mut vault = Self::from_parts(folder, work, header, device, Store::placeholder()?, key, lock);
            let own = rebuild::OwnState::from_folder(&vault)?;
            vault.rebuild_from_folder(own, None, watch)?;
            return Ok(vault);
        }
        let store = Store::open(&work.database(), &key, mode, &device.id).map_err(|e| match e {
            // The key is proven right by the header, so a working copy it cannot read is damaged.
            Error::DatabaseUnreadable | Error::DatabaseCorrupt { .. } if mode == OpenMode::Working => {
                Error::WorkingCopyDamaged
            }
            e => e,
        })?;
        Ok(Self::from_parts(folder, work, header, device, store, key, lock))
    }

    fn from_parts(
        folder: DataFolder,
        work: WorkingDir,
        header: Header,
        device: Device,
        store: Store,
        key: DataKey,
        lock: File,
    ) -> Vault {
        Vault {
            folder,
            work,
            header,
            device,
            store,
            key,
            last_policy_check: None,
            opened_at: jiff::Timestamp::now(),
            last_sync: None,
            lease_written: false,
            include_own_segments: false,
            list: list_memory::ListMemory::default(),
            offline: false,
            folder_key_older: false,
            _lock: lock,
        }
    }

    /// Sets a new password by re-wrapping the data key (the database is not re-encrypted).
    pub fn change_password(&mut self, new: &SecretString) -> Result<()> {
        crate::crypto::check_new_password(new)?;
        let mut h = self.header.clone();
        h.set_password(&self.key, new)?;
        self.write_header(h)?;
        // An explicit moment: whatever is not in a snapshot yet goes into one.
        if self.is_dirty()? {
            self.snapshot_now()?;
        }
        Ok(())
    }

    /// Makes a new recovery key and writes it into `vault.key`; the old one stops opening the
    /// data folder at once (copies of `vault.key` in backups made earlier still take the old
    /// key: a backup is opened with the password or key that was valid when it was made).
    /// Returns the new key, shown once.
    pub fn new_recovery_key(&mut self) -> Result<RecoveryKey> {
        let recovery = RecoveryKey::generate()?;
        let mut h = self.header.clone();
        h.set_recovery(&self.key, &recovery)?;
        self.write_header(h)?;
        Ok(recovery)
    }

    /// Writes a changed header into the data folder (which must be there: a password is never
    /// changed on one computer alone) and keeps it as this computer's copy.
    fn write_header(&mut self, h: Header) -> Result<()> {
        self.folder.check_present()?;
        fsutil::write_atomic(&self.folder.header(), &h.to_bytes())?;
        self.header = h;
        self.offline = false;
        self.folder_key_older = false;
        // The folder holds the new header now; a failed local copy only means the next unlock
        // with the folder there writes it.
        let _ = key_copy::save(&self.work, self.folder.root(), &self.header);
        Ok(())
    }

    /// Whether the vault works locally because the data folder was away at unlock and no round
    /// has found it back yet: the window says "working locally; will sync when the folder is
    /// back".
    pub fn is_offline(&self) -> bool {
        self.offline
    }

    /// Whether the data folder's `vault.key` is older than this computer's copy (it went back,
    /// e.g. a sync client restored an old version): the newer copy is used, the folder's file is
    /// left alone, and the status names it.
    pub fn folder_key_older(&self) -> bool {
        self.folder_key_older
    }

    /// A round found the data folder away: working locally until it is back.
    pub(crate) fn folder_went_away(&mut self) {
        self.offline = true;
    }

    /// A round found the data folder (there, and its `vault.key` as read): working locally ends,
    /// and a header the folder holds that is newer than ours (a password changed on another
    /// computer) becomes ours and this computer's copy.
    pub fn folder_is_back(&mut self, folder_header: Result<Header>) {
        self.offline = false;
        let Ok(h) = folder_header else { return };
        if h.vault_id != self.header.vault_id {
            return;
        }
        match key_copy::choose(&h, Some(&self.header)) {
            key_copy::Choice::Local => self.folder_key_older = true,
            key_copy::Choice::Folder => {
                self.folder_key_older = false;
                if h != self.header {
                    self.header = h;
                }
                let _ = key_copy::save(&self.work, self.folder.root(), &self.header);
            }
        }
    }

    /// Sets a new password using the recovery key, without opening the database.
    pub fn reset_password(folder: &Path, recovery: &RecoveryKey, new: &SecretString) -> Result<()> {
        crate::crypto::check_new_password(new)?;
        let df = DataFolder::new(folder);
        let mut h = read_header(&df)?;
        let key = h.unwrap_with_recovery(recovery)?;
        h.set_password(&key, new)?;
        fsutil::write_atomic(&df.header(), &h.to_bytes())
    }

    /// The practice's records: the practice, clients, services, appointments, sessions.
    pub fn records(&self) -> Records<&Vault> {
        Records { vault: self }
    }

    /// [`Vault::records`], to change them.
    pub fn records_mut(&mut self) -> Records<&mut Vault> {
        Records { vault: self }
    }

    /// Files attached to clients and sessions, encrypted in the data folder.
    pub fn attachments(&self) -> Attachments<&Vault> {
        Attachments { vault: self }
    }

    /// [`Vault::attachments`], to add, delete and erase them.
    pub fn attachments_mut(&mut self) -> Attachments<&mut Vault> {
        Attachments { vault: self }
    }

    /// Billing: settings, who pays, invoices, balances, the cash-register check.
    pub fn billing(&self) -> Billing<&Vault> {
        Billing { vault: self }
    }

    /// [`Vault::billing`], to draft, issue, cancel, and record payments and dunning.
    pub fn billing_mut(&mut self) -> Billing<&mut Vault> {
        Billing { vault: self }
    }

    /// Documents made anew from the records: previews, reports, the client file.
    pub fn documents(&self) -> Documents<&Vault> {
        Documents { vault: self }
    }

    /// [`Vault::documents`], also for issued documents, which are kept when first exported.
    pub fn documents_mut(&mut self) -> Documents<&mut Vault> {
        Documents { vault: self }
    }

    pub fn id(&self) -> &str {
        &self.header.vault_id
    }

    pub fn folder(&self) -> &Path {
        self.folder.root()
    }

    pub fn data_folder(&self) -> &DataFolder {
        &self.folder
    }

    pub(crate) fn working_dir(&self) -> &WorkingDir {
        &self.work
    }

    pub fn device(&self) -> &Device {
        &self.device
    }

    /// Gives this computer another name ("Praxis-PC"), kept in its working folder and
    /// announced to the others with the next lease (at once when the data folder is there;
    /// otherwise by the next round that finds it).
    pub fn rename_device(&mut self, name: &str) -> Result<()> {
        let path = self.work.device_file();
        self.device.rename(&path, name)?;
        if self.folder.check_present().is_ok() {
            // Open or closed as the lease was; one that cannot be written now is written by
            // the next round or at lock.
            let open = self.lease_written;
            let _ = self.heartbeat(open);
        }
        Ok(())
    }

    /// The store, read-only: a `&Store` reads rows, the journal and row images (the sync tests
    /// compare them) but cannot write a row; writing needs `store_mut`, which is crate-private so
    /// that outside the core every row goes through the Vault's validated API.
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    pub(crate) fn data_key(&self) -> &DataKey {
        &self.key
    }

    /// The SQLCipher raw key as hex, for opening the database with the stock `sqlcipher` tool.
    pub fn raw_key_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(crate::crypto::hex(self.key.expose()))
    }

    /// Checks the working database page by page, and proves the snapshots in the order a new
    /// computer would try them until one is good.
    pub fn verify(&self) -> Result<VerifyReport> {
        let database = self.store.check_integrity().map_err(|e| e.to_string());
        let floors = crate::sync::compact::floors(&self.folder);
        let mut damaged_snapshots = Vec::new();
        let mut snapshot = Err("no snapshot".to_string());
        for s in snapshot::candidates(&self.folder, &self.header.vault_id) {
            match snapshot::prove(&s.path, &self.key, &self.header.vault_id, &s.device, s.seq, snapshot::Proof::Full) {
                Ok(cov) if snapshot::covers(&cov, &floors) => {
                    snapshot = Ok(s.path.display().to_string());
                    break;
                }
                Ok(_) => damaged_snapshots.push((s.path.display().to_string(), "older than a compaction".into())),
                Err(e) => damaged_snapshots.push((s.path.display().to_string(), e.to_string())),
            }
        }
        if snapshot.is_err() && !damaged_snapshots.is_empty() {
            snapshot = Err(format!("none of {} snapshot(s) is good", damaged_snapshots.len()));
        }
        Ok(VerifyReport { header: true, database, snapshot, damaged_snapshots })
    }

    /// Writes the last change segment, a snapshot only when one pays for itself
    /// ([`Vault::snapshot_due`]), removes segments nobody needs; marks this device's lease
    /// closed; then closes the database and wipes the key.
    pub fn lock(mut self) -> Result<()> {
        let wrote = self.write_segment()?.is_some();
        let merged = self.last_sync.as_ref().is_some_and(|r| r.as_ref().is_ok_and(|r| !r.applied.is_empty()));
        self.snapshot_and_compact_if_due()?;
        // The closed lease tells the others what this device has applied (for compaction).
        if wrote || merged || self.lease_written {
            self.heartbeat(false)?;
        }
        Ok(())
    }

    /// Closing when the app quits, under the operating system's shutdown deadline: the last
    /// change segment and the closed lease, nothing else. The snapshot (seconds for a large
    /// practice) waits for the next start, where [`Vault::snapshot_due`] finds it due.
    pub fn close_at_exit(mut self) -> Result<()> {
        let wrote = self.write_segment()?.is_some();
        if wrote || self.lease_written {
            self.heartbeat(false)?;
        }
        Ok(())
    }
}

/// Whether `df` holds a vault or a part of one: its key file, a cloud drive's placeholder for it
/// (iCloud's `.vault.key.icloud` while it is not downloaded yet), or any snapshot, segment or
/// lease. A new vault there would split a half-synced practice in two.
fn holds_tresor_files(df: &DataFolder) -> bool {
    let not_empty = |dir: PathBuf| std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some());
    df.header().exists()
        || df.root().join(".vault.key.icloud").exists()
        || not_empty(df.snapshots())
        || not_empty(df.log())
        || not_empty(df.leases())
}

/// What unlocking found: the folder, the working folder, the header used, the data key.
struct Unlocked<'u> {
    folder: DataFolder,
    work: WorkingDir,
    header: Header,
    key: DataKey,
    /// The password, when it opened a slot written in an older, un-normalised form.
    rewrap: Option<&'u SecretString>,
    offline: bool,
    folder_key_older: bool,
}

/// A vault with its data folder in `dir/data` and its working copy under `dir/home`, unlocked
/// with a quick key derivation: the core's unit tests run on real files with it.
#[cfg(test)]
pub(crate) fn test_vault(dir: &std::path::Path) -> Vault {
    let opts = CreateOptions {
        kdf_target: std::time::Duration::ZERO,
        local_root: Some(dir.join("home")),
        ..Default::default()
    };
    let password = secrecy::SecretString::from("ein langes Passwort");
    Vault::create(&dir.join("data"), &password, &opts).expect("a test vault").0
}
