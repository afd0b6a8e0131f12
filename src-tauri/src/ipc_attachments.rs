//! The attachments' Tauri commands (issue 16); each calls one function of
//! `handlers_attachments.rs`. Listed in `ipc.rs`'s `commands!` under `// attachments`.

use std::path::PathBuf;

use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tresor::domain::attachment::Attachment;
use tresor::domain::{AttachmentId, ClientId, SessionId};

use crate::error::{codes, ApiError, ApiResult};
use crate::handlers_attachments as h;
use crate::ipc_billing::SAVE_DIR_ENV;
use crate::state::Shell;

/// Picks the file to attach without the native dialog (end-to-end tests).
pub const ATTACH_FILE_ENV: &str = "TRESOR_ATTACH_FILE";

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn attachments(shell: State<'_, Shell>, client: ClientId) -> ApiResult<Vec<Attachment>> {
    h::attachments(&shell, client)
}

/// The native open dialog for a file to attach; `None` when the user cancelled.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn pick_attachment_file(app: AppHandle, title: String) -> ApiResult<Option<PathBuf>> {
    if let Some(file) = std::env::var_os(ATTACH_FILE_ENV).filter(|f| !f.is_empty()) {
        return Ok(Some(PathBuf::from(file)));
    }
    match app.dialog().file().set_title(title).blocking_pick_file() {
        None => Ok(None),
        Some(p) => p.into_path().map(Some).map_err(|_| ApiError::new(codes::DIALOG_FAILED)),
    }
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn add_attachment(
    shell: State<'_, Shell>,
    client: ClientId,
    session: Option<SessionId>,
    path: PathBuf,
    keep_days: Option<u32>,
) -> ApiResult<Attachment> {
    h::add_attachment(&shell, client, session, &path, keep_days)
}

/// The attachment's bytes (base64), decrypted in memory for the window.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn attachment_content(shell: State<'_, Shell>, id: AttachmentId) -> ApiResult<String> {
    h::attachment_content(&shell, id)
}

/// The native save dialog, offering the attachment's name; `None` when the user cancelled.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn pick_attachment_target(
    app: AppHandle,
    shell: State<'_, Shell>,
    id: AttachmentId,
    title: String,
) -> ApiResult<Option<PathBuf>> {
    let name = h::attachment_name(&shell, id)?;
    if let Some(dir) = std::env::var_os(SAVE_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(Some(PathBuf::from(dir).join(name)));
    }
    match app.dialog().file().set_title(title).set_file_name(name).blocking_save_file() {
        None => Ok(None),
        Some(p) => p.into_path().map(Some).map_err(|_| ApiError::new(codes::DIALOG_FAILED)),
    }
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn save_attachment(shell: State<'_, Shell>, id: AttachmentId, path: PathBuf) -> ApiResult<PathBuf> {
    h::save_attachment(&shell, id, &path)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn delete_attachment(shell: State<'_, Shell>, id: AttachmentId) -> ApiResult<()> {
    h::delete_attachment(&shell, id)
}
