//! The import wizard's Tauri commands (issue 16): the native dialog for the file, the dry run and
//! the import. Listed in `ipc.rs`'s `commands!` under `// import`. The window passes the path the
//! user chose; the core reads the file, never the window.

use std::path::PathBuf;

use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tresor::import::{ImportOptions, ImportReport, Kind, Preview, Proposal};

use crate::error::{codes, ApiError, ApiResult};
use crate::state::Shell;

/// Picks the file to import without the native dialog (end-to-end tests).
pub const IMPORT_FILE_ENV: &str = "TRESOR_IMPORT_FILE";

/// The native open dialog for a CSV or spreadsheet file; `None` when the user cancelled.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn pick_import_file(app: AppHandle, title: String, filter: String) -> ApiResult<Option<PathBuf>> {
    if let Some(file) = std::env::var_os(IMPORT_FILE_ENV).filter(|f| !f.is_empty()) {
        return Ok(Some(PathBuf::from(file)));
    }
    let dialog = app.dialog().file().set_title(title).add_filter(filter, &["csv", "txt", "xlsx", "xlsm", "xls", "ods"]);
    match dialog.blocking_pick_file() {
        None => Ok(None),
        Some(p) => p.into_path().map(Some).map_err(|_| ApiError::new(codes::DIALOG_FAILED)),
    }
}

/// The file's columns and the proposed mapping (remembered, else guessed from the headers).
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn import_columns(shell: State<'_, Shell>, kind: Kind, path: PathBuf) -> ApiResult<Proposal> {
    crate::handlers_import::import_columns(&shell, kind, &path)
}

/// The dry run: what would be imported, the duplicates, every row that cannot be. Changes nothing.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn import_preview(
    shell: State<'_, Shell>,
    kind: Kind,
    path: PathBuf,
    options: ImportOptions,
) -> ApiResult<Preview> {
    crate::handlers_import::import_preview(&shell, kind, &path, &options)
}

/// Imports every row that can be, in one transaction.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn import_file(
    shell: State<'_, Shell>,
    kind: Kind,
    path: PathBuf,
    options: ImportOptions,
) -> ApiResult<ImportReport> {
    crate::handlers_import::import_file(&shell, kind, &path, &options)
}
