//! The fee forms' Tauri wrappers (listed in `ipc.rs`'s `commands!` under `// fee`); the work
//! is in `fee.rs`.

use tauri::State;
use tresor::domain::ids::InvoiceId;
use tresor::domain::service::{FeeForm, FeePreview};

use crate::error::ApiResult;
use crate::fee as f;
use crate::state::Shell;

/// What a service's fee schedule as typed comes to; saves nothing.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn preview_service_fee(shell: State<'_, Shell>, form: FeeForm) -> ApiResult<FeePreview> {
    f::preview_service_fee(&shell, &form)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn set_draft_payer(shell: State<'_, Shell>, id: InvoiceId, role: String) -> ApiResult<()> {
    f::set_draft_payer(&shell, id, &role)
}
