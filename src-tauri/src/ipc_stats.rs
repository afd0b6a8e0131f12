//! The Tauri commands of the statistics and the calendar export (listed in `ipc.rs`'s
//! `commands!` under `// statistics`); the logic is in `stats.rs`.

use std::path::PathBuf;

use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tresor::vault::{Names, Statistics};

use crate::error::{codes, ApiError, ApiResult};
use crate::ipc::Iso;
use crate::state::Shell;
use crate::stats as s;

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn statistics(shell: State<'_, Shell>, year: i16, names: Names) -> ApiResult<Statistics> {
    s::statistics(&shell, year, names)
}

/// The native save dialog for a calendar file; `None` when the user cancelled.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn pick_calendar_file(app: AppHandle, title: String, file_name: String) -> ApiResult<Option<PathBuf>> {
    let dialog = app.dialog().file().set_title(title).set_file_name(file_name).add_filter("iCalendar", &["ics"]);
    match dialog.blocking_save_file() {
        None => Ok(None),
        Some(p) => p.into_path().map(Some).map_err(|_| ApiError::new(codes::DIALOG_FAILED)),
    }
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn export_calendar(shell: State<'_, Shell>, from: Option<Iso>, to: Option<Iso>, path: PathBuf) -> ApiResult<()> {
    s::export_calendar(&shell, from.map(|d| d.0), to.map(|d| d.0), &path)
}
