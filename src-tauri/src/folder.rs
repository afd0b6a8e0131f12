//! Settings → Data folder, Backups and the conflicts screen as plain functions of the shell state
//! (testable without a window): where the data folder is and what is in it, moving it with
//! progress, backups now and at lock/close, restoring into a new folder, a new recovery key,
//! and the conflicts of the field-level merge. Each calls one core operation; `ipc_folder.rs`
//! wraps them as Tauri commands.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use secrecy::SecretString;
use tresor::store::{Conflict, ConflictValue, Side};
use tresor::sync::cloud::{self, CloudKind};
use tresor::sync::mover::{self, MoveProgress};
use tresor::sync::ForeignKind;
use tresor::vault::backup::age::{self, BackupAge};
use tresor::{Unlock, Vault};

use crate::error::ApiResult;
use crate::handlers::{has_vault, Created};
use crate::settings::{BackupSchedule, LastBackup, Settings};
use crate::state::Shell;

/// Set by `cancel_task`, read by the long work in progress (one at a time: the window shows it
/// in a dialog). Cleared when a task starts.
static CANCEL: AtomicBool = AtomicBool::new(false);

pub fn cancel_task() {
    CANCEL.store(true, Ordering::SeqCst);
}

/// Starts a long task that `cancel_task` can stop: the watcher the core calls tells `progress`
/// how far it is and answers whether to go on.
pub fn cancellable(progress: &mut dyn FnMut(RestoreProgress)) -> impl FnMut(u64, u64) -> bool + '_ {
    CANCEL.store(false, Ordering::SeqCst);
    move |done, total| {
        progress(RestoreProgress { done, total });
        !CANCEL.load(Ordering::SeqCst)
    }
}

/// What a folder the user picked is, before anything is done with it.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct FolderCheck {
    pub path: PathBuf,
    pub exists: bool,
    /// Missing or without any entry: a move or a restore may go there.
    pub empty: bool,
    pub has_vault: bool,
    pub cloud: Option<CloudKind>,
}

pub fn inspect_folder(folder: &Path) -> FolderCheck {
    let exists = folder.is_dir();
    let empty = std::fs::read_dir(folder).map(|mut d| d.next().is_none()).unwrap_or(!folder.exists());
    FolderCheck {
        path: folder.to_path_buf(),
        exists,
        empty,
        has_vault: has_vault(folder),
        cloud: cloud::detect(folder),
    }
}

/// One computer that uses the data folder.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct DeviceView {
    pub id: String,
    /// Empty when no lease names it (a computer that only left change files).
    pub name: String,
    pub this_device: bool,
    pub open_now: bool,
    /// `2026-11-22T08:00:00Z`, when it last said it was there.
    pub last_seen: Option<String>,
}

/// A file a sync client (or a person) left in the data folder, as the core classified it.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct ForeignView {
    pub shown: String,
    pub kind: ForeignKind,
    pub same_as_current: Option<bool>,
    pub needs_user: bool,
}

#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct DataFolderInfo {
    pub path: PathBuf,
    pub files: u32,
    #[specta(type = f64)]
    pub bytes: u64,
    pub cloud: Option<CloudKind>,
    pub devices: Vec<DeviceView>,
    pub foreign: Vec<ForeignView>,
    pub conflicts: u32,
    /// Invoice numbers (and other billing facts) two computers made independently.
    pub clashes: Vec<ClashView>,
}

#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct ClashView {
    /// `series_code`, `invoice_number`, `cancellation`, `dunning_level`, `write_off`.
    pub kind: String,
    pub key: String,
    pub count: u32,
}

/// Reads the data folder (leases, files) with the vault held: an explicit look by the user, not
/// the sidebar's status, which never touches the folder.
pub fn data_folder_info(shell: &Shell) -> ApiResult<DataFolderInfo> {
    shell.read(|v| {
        let status = v.sync_status()?;
        let (files, bytes) = mover::measure(v.folder())?;
        Ok(DataFolderInfo {
            path: v.folder().to_path_buf(),
            files,
            bytes,
            cloud: cloud::detect(v.folder()),
            devices: status
                .devices
                .into_iter()
                .map(|d| DeviceView {
                    id: d.id,
                    name: d.name,
                    this_device: d.this_device,
                    open_now: d.open_now,
                    last_seen: d.last_seen.map(|t| t.to_string()),
                })
                .collect(),
            foreign: status
                .foreign
                .into_iter()
                .map(|f| ForeignView {
                    shown: f.shown,
                    kind: f.kind,
                    same_as_current: f.same_as_current,
                    needs_user: f.needs_user,
                })
                .collect(),
            conflicts: u32::try_from(status.conflicts.len()).unwrap_or(u32::MAX),
            clashes: status
                .clashes
                .into_iter()
                .map(|c| ClashView { kind: c.kind.to_string(), key: c.key, count: c.count })
                .collect(),
        })
    })
}

#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct Moved {
    pub path: PathBuf,
    pub files: u32,
    #[specta(type = f64)]
    pub bytes: u64,
    /// Entries that were neither files nor folders (links, pipes) and stayed where they were.
    pub skipped: Vec<String>,
}

/// Moves the open vault's data folder to `to` (copy, verify, remove the old one); the vault
/// goes on working there. `progress` hears before each file; `cancel_task` stops it while
/// copying or verifying, with nothing left in `to` and the old folder untouched.
pub fn move_data_folder(shell: &Shell, to: &Path, progress: &mut dyn FnMut(MoveProgress)) -> ApiResult<Moved> {
    CANCEL.store(false, Ordering::SeqCst);
    let report = shell.write(|v| {
        v.move_folder(to, &mut |p| {
            progress(p);
            !CANCEL.load(Ordering::SeqCst)
        })
    })?;
    shell.update_settings(|s| s.last_data_folder = Some(to.to_path_buf()));
    Ok(Moved {
        path: to.to_path_buf(),
        files: u32::try_from(report.files).unwrap_or(u32::MAX),
        bytes: report.bytes,
        skipped: report.skipped.iter().map(|p| p.to_string_lossy().into_owned()).collect(),
    })
}

// ----- conflicts -----

#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct ConflictSide {
    /// As the field stores it: text, a number, `null` for empty.
    pub value: serde_json::Value,
    pub at: String,
    /// The computer's name, or the start of its id when no lease names it.
    pub computer: String,
}

#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct ConflictView {
    pub id: String,
    pub entity: String,
    pub row_id: String,
    /// The field; `deleted` when one computer deleted the record the other changed.
    pub field: String,
    /// A few words naming the record (the client's name).
    pub record: Option<String>,
    /// The value the record holds now (the newer change).
    pub kept: ConflictSide,
    /// The other computer's concurrent value.
    pub other: ConflictSide,
    pub resolution: Option<Side>,
}

fn side(s: ConflictValue) -> ConflictSide {
    let computer =
        if s.device_name.is_empty() { s.device.get(..8).unwrap_or(&s.device).to_string() } else { s.device_name };
    ConflictSide { value: s.value, at: s.at.to_string(), computer }
}

fn view(c: Conflict) -> ConflictView {
    ConflictView {
        id: c.id,
        entity: c.entity,
        row_id: c.row_id,
        field: c.field,
        record: c.record,
        kept: side(c.kept),
        other: side(c.other),
        resolution: c.resolution,
    }
}

pub fn conflicts(shell: &Shell, all: bool) -> ApiResult<Vec<ConflictView>> {
    shell.read(|v| v.conflicts(all)).map(|l| l.into_iter().map(view).collect())
}

/// Keeps one side (a journaled change like any other, carried to the other computers).
pub fn resolve_conflict(shell: &Shell, id: &str, side: Side) -> ApiResult<ConflictView> {
    shell.write(|v| v.resolve_conflict(id, side)).map(view)
}

// ----- backups -----

#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct BackupDone {
    pub path: PathBuf,
    #[specta(type = f64)]
    pub bytes: u64,
    pub at: String,
}

/// A backup into `dir` now, keeping the newest `keep` there (the schedule's number, else 10).
pub fn backup_now(shell: &Shell, dir: &Path) -> ApiResult<BackupDone> {
    let keep = shell.settings().backup.map_or(DEFAULT_KEEP, |b| b.keep);
    let (report, vault) = shell.write(|v| Ok((v.backup_rotating(dir, keep as usize)?, v.id().to_string())))?;
    let at = jiff::Timestamp::now().to_string();
    shell.update_settings(|s| {
        s.last_backup = Some(LastBackup { vault_id: vault, at: at.clone(), path: report.path.clone() })
    });
    Ok(BackupDone { path: report.path, bytes: report.bytes, at })
}

pub const DEFAULT_KEEP: u32 = 10;

/// Stores (or with `None` removes) the schedule: a backup into `dir` when the vault locks or the
/// app closes, at most once a day, keeping the newest `keep`.
pub fn set_backup_schedule(shell: &Shell, schedule: Option<BackupSchedule>) -> Settings {
    shell.update_settings(|s| s.backup = schedule.map(|b| BackupSchedule { keep: b.keep.clamp(1, 100), ..b }))
}

/// When this vault's last backup made here was, if the settings know one.
fn last_backup_of(settings: &Settings, vault_id: &str) -> Option<jiff::Timestamp> {
    settings.last_backup.as_ref().filter(|l| l.vault_id == vault_id).and_then(|l| l.at.parse().ok())
}

/// Whether the schedule wants a backup now: the core's rule (none made today, in the
/// computer's time zone), asked only when a schedule at close is set.
pub fn backup_due(settings: &Settings, vault_id: &str, now: jiff::Timestamp) -> bool {
    let Some(b) = &settings.backup else { return false };
    b.at_close && age::scheduled_due(last_backup_of(settings, vault_id), now, &jiff::tz::TimeZone::system())
}

/// How the open vault's last backup stands, for "Today" (the core's rule; shown, not decided).
pub fn backup_age(shell: &Shell) -> ApiResult<BackupAge> {
    let vault_id = shell.read(|v| Ok(v.id().to_string()))?;
    let last = last_backup_of(&shell.settings(), &vault_id);
    let tz = jiff::tz::TimeZone::system();
    Ok(BackupAge::of(last, jiff::Timestamp::now(), &tz, age::REMIND_AFTER_DAYS))
}

/// Run by the shell while it closes a vault (lock or quit): the scheduled backup, if one is due.
/// A failure is logged and shown nowhere else; the close goes on.
pub fn scheduled_backup(shell: &Shell, v: &mut Vault) {
    let settings = shell.settings();
    if !backup_due(&settings, v.id(), jiff::Timestamp::now()) {
        return;
    }
    let Some(b) = settings.backup else { return };
    match v.backup_rotating(&b.dir, b.keep as usize) {
        Ok(r) => {
            let at = jiff::Timestamp::now().to_string();
            let vault_id = v.id().to_string();
            shell.update_settings(|s| s.last_backup = Some(LastBackup { vault_id, at, path: r.path }));
            tracing::info!("scheduled backup written");
        }
        Err(e) => crate::diag::failed("scheduled backup failed", &crate::error::ApiError::from(e)),
    }
}

/// How far a restore or the first working copy is: bytes written of the backup's or the
/// snapshot's size.
#[derive(Debug, Clone, Copy, serde::Serialize, specta::Type)]
pub struct RestoreProgress {
    #[specta(type = f64)]
    pub done: u64,
    #[specta(type = f64)]
    pub total: u64,
}

/// Restores a backup file into `into` (a new, empty folder), checking every snapshot; the window
/// then opens it with the password. Unlocks with the password or the recovery key that was valid
/// when the backup was made. `progress` hears after each MiB; `cancel_task` stops it, and what
/// it made is removed.
pub fn restore_backup(
    file: &Path,
    into: &Path,
    secret: crate::handlers::Secret,
    progress: &mut dyn FnMut(RestoreProgress),
) -> ApiResult<u32> {
    let mut watch = cancellable(progress);
    let n = match secret {
        crate::handlers::Secret::Password(p) => {
            tresor::vault::backup::restore_watched(file, into, Unlock::Password(&SecretString::from(p)), &mut watch)?
        }
        crate::handlers::Secret::RecoveryKey(k) => {
            let key = tresor::crypto::RecoveryKey::parse(&k)?;
            tresor::vault::backup::restore_watched(file, into, Unlock::RecoveryKey(&key), &mut watch)?
        }
    };
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

// ----- security -----

/// A new recovery key, shown once; the old one stops working at once.
pub fn new_recovery_key(shell: &Shell) -> ApiResult<Created> {
    let key = shell.write(|v| v.new_recovery_key())?;
    Ok(Created { recovery_key: key.display().to_string() })
}
