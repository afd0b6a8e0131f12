//! The Tauri commands of Settings → Data folder and Backups, the conflicts screen and the new
//! recovery key; each calls `folder.rs`. Listed in `ipc.rs`'s `commands!` under `// folder`.

use std::path::PathBuf;

use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;
use tresor::store::Side;

use crate::error::{codes, ApiError, ApiResult};
use crate::folder::{self as f, BackupDone, ConflictView, DataFolderInfo, FolderCheck, Moved};
use crate::handlers::{Created, Secret};
use crate::settings::{BackupSchedule, Settings};
use crate::state::Shell;

/// Sent to the window before each file of a move: a `MoveProgress`.
pub const EVENT_FOLDER_PROGRESS: &str = "folder-progress";
/// Sent to the window after each MiB a restore writes: a `RestoreProgress`.
pub const EVENT_RESTORE_PROGRESS: &str = "restore-progress";
/// Sent to the window after each MiB of the snapshot an unlock copies to build this computer's
/// first working copy: a `RestoreProgress`.
pub const EVENT_BUILD_PROGRESS: &str = "build-progress";

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn inspect_folder(folder: PathBuf) -> ApiResult<FolderCheck> {
    Ok(f::inspect_folder(&folder))
}

/// Asks the long work in progress (a move) to stop; it stops between two files.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn cancel_task() -> ApiResult<()> {
    f::cancel_task();
    Ok(())
}

/// The native open dialog for a backup file; `None` when the user cancelled.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn pick_backup_file(app: AppHandle, title: String) -> ApiResult<Option<PathBuf>> {
    let ext = tresor::vault::backup::EXT;
    match app.dialog().file().set_title(title).add_filter("Tresor", &[ext]).blocking_pick_file() {
        None => Ok(None),
        Some(p) => p.into_path().map(Some).map_err(|_| ApiError::new(codes::DIALOG_FAILED)),
    }
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn restore_backup(app: AppHandle, file: PathBuf, into: PathBuf, secret: Secret) -> ApiResult<u32> {
    f::restore_backup(&file, &into, secret, &mut |p| {
        let _ = app.emit(EVENT_RESTORE_PROGRESS, p);
    })
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn set_backup_schedule(shell: State<'_, Shell>, schedule: Option<BackupSchedule>) -> ApiResult<Settings> {
    Ok(f::set_backup_schedule(&shell, schedule))
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn data_folder_info(shell: State<'_, Shell>) -> ApiResult<DataFolderInfo> {
    f::data_folder_info(&shell)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn move_data_folder(app: AppHandle, shell: State<'_, Shell>, to: PathBuf) -> ApiResult<Moved> {
    f::move_data_folder(&shell, &to, &mut |p| {
        let _ = app.emit(EVENT_FOLDER_PROGRESS, p);
    })
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn conflicts(shell: State<'_, Shell>, all: bool) -> ApiResult<Vec<ConflictView>> {
    f::conflicts(&shell, all)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn resolve_conflict(shell: State<'_, Shell>, id: String, side: Side) -> ApiResult<ConflictView> {
    f::resolve_conflict(&shell, &id, side)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn backup_now(shell: State<'_, Shell>, dir: PathBuf) -> ApiResult<BackupDone> {
    f::backup_now(&shell, &dir)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn new_recovery_key(shell: State<'_, Shell>) -> ApiResult<Created> {
    f::new_recovery_key(&shell)
}
