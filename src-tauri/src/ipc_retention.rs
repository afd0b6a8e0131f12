//! The retention commands (issue 16): a client's retention, what is due, restriction (GDPR
//! Art. 18), erasure (Art. 17) and its log, the practice's period. Listed in `ipc.rs`'s
//! `commands!` under `// retention`; each calls `handlers_retention.rs`.

use tauri::State;
use tresor::domain::retention::RetentionPolicy;
use tresor::domain::{Appointment, AppointmentId, ClientId};
use tresor::store::Erasure;
use tresor::vault::{ErasureReport, RetentionItem};

use crate::error::ApiResult;
use crate::handlers_retention as h;
use crate::state::Shell;

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn retention_of(shell: State<'_, Shell>, client: ClientId) -> ApiResult<RetentionItem> {
    h::retention_of(&shell, client)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn retention_due(shell: State<'_, Shell>) -> ApiResult<Vec<RetentionItem>> {
    h::retention_due(&shell)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn retention_policy(shell: State<'_, Shell>) -> ApiResult<RetentionPolicy> {
    h::retention_policy(&shell)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn set_retention_policy(shell: State<'_, Shell>, policy: RetentionPolicy) -> ApiResult<RetentionPolicy> {
    h::set_retention_policy(&shell, policy)
}

/// Restricts (`restricted: true`) or lifts the restriction of a client.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn restrict_client(shell: State<'_, Shell>, client: ClientId, restricted: bool) -> ApiResult<()> {
    h::restrict_client(&shell, client, restricted)
}

/// Erases a client for good; before the end of the retention only with a reason.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn erase_client(shell: State<'_, Shell>, client: ClientId, reason: String) -> ApiResult<ErasureReport> {
    h::erase_client(&shell, client, &reason)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn erasure_log(shell: State<'_, Shell>) -> ApiResult<Vec<Erasure>> {
    h::erasure_log(&shell)
}

/// Gives an appointment's note a lifetime in days from now (`null`: kept); returns the
/// appointment with the instant its note goes.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn set_note_lifetime(
    shell: State<'_, Shell>,
    appointment: AppointmentId,
    days: Option<u32>,
) -> ApiResult<Appointment> {
    h::set_note_lifetime(&shell, appointment, days)
}
