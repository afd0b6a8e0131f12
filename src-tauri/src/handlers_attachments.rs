//! The attachments' commands as plain functions of the shell state (see `handlers.rs`); each
//! maps onto one core operation of `vault.attachments()`.

use std::path::{Path, PathBuf};

use data_encoding::BASE64;
use tresor::domain::attachment::Attachment;
use tresor::domain::{AttachmentId, ClientId, SessionId};

use crate::error::ApiResult;
use crate::state::Shell;

pub fn attachments(shell: &Shell, client: ClientId) -> ApiResult<Vec<Attachment>> {
    shell.read(|v| v.attachments().list(client))
}

/// Attaches the file the user picked; a lifetime in whole days from now, if given.
pub fn add_attachment(
    shell: &Shell,
    client: ClientId,
    session: Option<SessionId>,
    path: &Path,
    keep_days: Option<u32>,
) -> ApiResult<Attachment> {
    let expires =
        keep_days.map(|d| jiff::Timestamp::now() + jiff::SignedDuration::from_hours(i64::from(d.max(1)) * 24));
    shell.write(|v| v.attachments_mut().add(client, session, path, expires))
}

/// The attachment's bytes as base64, decrypted in memory, for showing it in the window.
pub fn attachment_content(shell: &Shell, id: AttachmentId) -> ApiResult<String> {
    shell.read(|v| Ok(BASE64.encode(&v.attachments().read(id)?)))
}

/// The name the save dialog offers: the attachment's own.
pub fn attachment_name(shell: &Shell, id: AttachmentId) -> ApiResult<String> {
    shell.read(|v| Ok(v.attachments().get(id)?.name))
}

/// Writes the attachment where the user chose in the native save dialog, which asked before
/// replacing a file (hence `force`).
pub fn save_attachment(shell: &Shell, id: AttachmentId, path: &Path) -> ApiResult<PathBuf> {
    shell.read(|v| v.attachments().save_to(id, path, true))
}

pub fn delete_attachment(shell: &Shell, id: AttachmentId) -> ApiResult<()> {
    shell.write(|v| v.attachments_mut().delete(id))
}
