//! A vault: the data folder with its `vault.key` and snapshots, plus this computer's encrypted
//! working copy. Creating, unlocking, changing the password, recovering, snapshotting, verifying
//! and locking live here; the record operations are in `vault/records.rs`.

mod backoff;
mod billing_docs;
mod billing_ops;
mod device;
mod header;
mod records;
pub mod snapshot;

use std::fs::{File, OpenOptions, TryLockError};
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

pub use backoff::{
    delay_after as unlock_delay_after, unlock_wait, unlock_wait_in, whole_seconds, MAX_DELAY as MAX_UNLOCK_DELAY,
};
pub use billing_docs::InvoiceFormat;
pub use billing_ops::{month_range, unit_word, Cancellation, Dunned, MonthRun};
pub use device::{this_computer_name, Device};
pub use header::Body as Header;
pub use records::{ClientTimeline, SeriesInput};
pub use snapshot::SnapshotInfo;

/// How long a derivation of the password key should take; see `KdfParams::calibrate`.
pub const DEFAULT_KDF_TARGET: Duration = Duration::from_millis(700);
/// Snapshots while working are taken at most this often.
pub const SNAPSHOT_INTERVAL: Duration = Duration::from_secs(5 * 60);

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
    last_snapshot: Instant,
    opened_at: jiff::Timestamp,
    last_sync: Option<std::result::Result<crate::sync::SyncReport, &'static str>>,
    pub(crate) lease_written: bool,
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
    pub snapshot: std::result::Result<String, String>,
}

impl VerifyReport {
    pub fn sound(&self) -> bool {
        self.header && self.database.is_ok() && self.snapshot.is_ok()
    }
}

fn read_header(folder: &DataFolder) -> Result<Header> {
    let path = folder.header();
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::VaultMissing { path: folder.root().to_path_buf() })
        }
        Err(e) => return Err(Error::io("read", path, e)),
    };
    Header::parse(&bytes)
}

fn acquire_lock(work: &WorkingDir) -> Result<File> {
    let path = work.lock_file();
    let f = OpenOptions::new()
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
    /// nowhere else afterwards: the caller must show it once.
    pub fn create(folder: &Path, password: &SecretString, opts: &CreateOptions) -> Result<(Vault, RecoveryKey)> {
        crate::crypto::check_new_password(password)?;
        let df = DataFolder::new(folder);
        if df.header().exists() {
            return Err(Error::VaultExists { path: folder.to_path_buf() });
        }
        fsutil::create_dir_all(folder)?;
        let vault_id = uuid::Uuid::now_v7().to_string();
        let key = DataKey::generate()?;
        let recovery = RecoveryKey::generate()?;
        let params = KdfParams::calibrate(opts.kdf_target)?;
        let header = Header::create(&vault_id, &key, password, &recovery, params)?;

        let root = opts.local_root.clone().unwrap_or_else(crate::paths::local_root);
        let mut vault = Self::assemble(df, &root, header, key, OpenMode::CreateWorking)?;
        vault.store.set_meta("vault_id", &vault_id)?;
        vault.store.write(|tx| tx.put_practice(&Practice::new_default(opts.country)))?;
        // The snapshot first, then the header: a folder with a header always has data to open.
        vault.snapshot_now()?;
        fsutil::write_atomic(&vault.folder.header(), &vault.header.to_bytes())?;
        Ok((vault, recovery))
    }

    /// Unlocks the vault in `folder`. Nothing is written before the secret is proven right.
    pub fn open(folder: &Path, unlock: Unlock<'_>) -> Result<Vault> {
        Self::open_in(folder, &crate::paths::local_root(), unlock)
    }

    /// Like [`Vault::open`], with working copies under `local_root` (tests, portable setups).
    /// Tries on one vault run one at a time, and wrong ones make the next wait (`backoff.rs`):
    /// the only thing written before the secret is proven right is that local count.
    pub fn open_in(folder: &Path, local_root: &Path, unlock: Unlock<'_>) -> Result<Vault> {
        let df = DataFolder::new(folder);
        let header = read_header(&df)?;
        snapshot::check_belongs(&df, &header.vault_id)?;
        let attempt = backoff::Attempt::begin(&WorkingDir::in_root(local_root, &header.vault_id))?;
        let unwrapped = match unlock {
            Unlock::Password(p) => header.unwrap_with_password_form(p).map(|(key, old)| (key, old.then_some(p))),
            Unlock::RecoveryKey(k) => header.unwrap_with_recovery(k).map(|key| (key, None)),
        };
        attempt.settle(&unwrapped);
        let (key, rewrap) = unwrapped?;
        let mut vault = Self::open_with_key(df, local_root, header, key)?;
        if let Some(p) = rewrap {
            // A slot from before passwords were normalised: re-wrapped once under the NFC form.
            // If the folder cannot be written now, the old form keeps working and this is
            // tried again at the next unlock.
            let _ = vault.change_password(p);
        }
        Ok(vault)
    }

    fn open_with_key(folder: DataFolder, local_root: &Path, header: Header, key: DataKey) -> Result<Vault> {
        let mut vault = Self::assemble(folder, local_root, header, key, OpenMode::Working)?;
        match vault.store.meta("vault_id")? {
            Some(id) if id == vault.header.vault_id => {}
            _ => return Err(Error::DatabaseForeign),
        }
        // Merging what other computers wrote must not keep the user out: a failure is kept for
        // the status view and the next round retries. Opening writes nothing to the data folder.
        vault.last_sync = Some(vault.merge_incoming().map_err(|e| e.code()));
        Ok(vault)
    }

    /// Takes the working folder's lock (a second process gets `InUse`), restores the working
    /// copy from the newest snapshot if this computer has none, and opens it.
    fn assemble(folder: DataFolder, local_root: &Path, header: Header, key: DataKey, mode: OpenMode) -> Result<Vault> {
        let work = WorkingDir::in_root(local_root, &header.vault_id);
        fsutil::create_dir_all(work.root())?;
        let lock = acquire_lock(&work)?;
        if mode == OpenMode::Working && !work.database().exists() {
            snapshot::restore_newest(&folder, &header.vault_id, &work.database())?;
        }
        let device = Device::load_or_create(&work.device_file())?;
        let store = Store::open(&work.database(), &key, mode, &device.id)?;
        Ok(Vault {
            folder,
            work,
            header,
            device,
            store,
            key,
            last_snapshot: Instant::now(),
            opened_at: jiff::Timestamp::now(),
            last_sync: None,
            lease_written: false,
            _lock: lock,
        })
    }

    /// Sets a new password by re-wrapping the data key (the database is not re-encrypted).
    pub fn change_password(&mut self, new: &SecretString) -> Result<()> {
        crate::crypto::check_new_password(new)?;
        let mut h = self.header.clone();
        h.set_password(&self.key, new)?;
        fsutil::write_atomic(&self.folder.header(), &h.to_bytes())?;
        self.header = h;
        Ok(())
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

    pub fn id(&self) -> &str {
        &self.header.vault_id
    }

    pub fn folder(&self) -> &Path {
        self.folder.root()
    }

    pub fn data_folder(&self) -> &DataFolder {
        &self.folder
    }

    pub fn working_dir(&self) -> &WorkingDir {
        &self.work
    }

    pub fn device(&self) -> &Device {
        &self.device
    }

    pub fn kdf_params(&self) -> KdfParams {
        self.header.kdf.params
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    pub(crate) fn data_key(&self) -> &DataKey {
        &self.key
    }

    pub fn opened_at(&self) -> jiff::Timestamp {
        self.opened_at
    }

    /// What the sync round at unlock found (or the code of the error that stopped it).
    pub fn last_sync(&self) -> Option<&std::result::Result<crate::sync::SyncReport, &'static str>> {
        self.last_sync.as_ref()
    }

    /// The SQLCipher raw key as hex, for opening the database with the stock `sqlcipher` tool.
    pub fn raw_key_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(crate::crypto::hex(self.key.expose()))
    }

    /// True when something changed since this device's newest snapshot.
    pub fn is_dirty(&self) -> Result<bool> {
        let seq = self.store.change_seq()?;
        Ok(seq > snapshot::newest_seq_of(&self.folder, &self.header.vault_id, &self.device.id))
    }

    pub fn snapshot_now(&mut self) -> Result<PathBuf> {
        let seq = self.store.change_seq()?;
        let p = snapshot::write(&self.store, &self.folder, &self.header.vault_id, &self.device.id, seq)?;
        self.last_snapshot = Instant::now();
        Ok(p)
    }

    /// Takes a snapshot if something changed and the last one is older than `SNAPSHOT_INTERVAL`.
    pub fn snapshot_if_due(&mut self) -> Result<Option<PathBuf>> {
        if self.last_snapshot.elapsed() < SNAPSHOT_INTERVAL || !self.is_dirty()? {
            return Ok(None);
        }
        self.snapshot_now().map(Some)
    }

    /// Checks the working database page by page and the newest snapshot.
    pub fn verify(&self) -> Result<VerifyReport> {
        let database = self.store.check_integrity().map_err(|e| e.to_string());
        let snapshot = match snapshot::newest(&self.folder, &self.header.vault_id) {
            None => Err("no snapshot".to_string()),
            Some(s) => Store::open(&s.path, &self.key, OpenMode::ReadOnly, &self.device.id)
                .and_then(|st| {
                    st.check_integrity()?;
                    match st.meta("vault_id")? {
                        Some(id) if id == self.header.vault_id => Ok(()),
                        _ => Err(Error::DatabaseForeign),
                    }
                })
                .map(|_| s.path.display().to_string())
                .map_err(|e| e.to_string()),
        };
        Ok(VerifyReport { header: true, database, snapshot })
    }

    /// Writes the last change segment and, if anything changed, a snapshot; marks this device's
    /// lease closed; then closes the database and wipes the key.
    pub fn lock(mut self) -> Result<()> {
        let wrote = self.write_segment()?.is_some();
        let merged = self.last_sync.as_ref().is_some_and(|r| r.as_ref().is_ok_and(|r| !r.applied.is_empty()));
        if self.is_dirty()? {
            self.snapshot_now()?;
        }
        // The closed lease tells the others what this device has applied (for compaction).
        if wrote || merged || self.lease_written {
            self.heartbeat(false)?;
        }
        Ok(())
    }
}
