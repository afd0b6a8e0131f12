//! The Tauri commands of the Reports, Payments and billing-settings screens (listed in
//! `ipc.rs`'s `commands!` under `// reports`); the logic is in `reports.rs`.

use std::path::PathBuf;

use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tresor::billing::BillingSettings;
use tresor::domain::Language;
use tresor::vault::{Names, PaymentList, ReportView};

use crate::error::{codes, ApiError, ApiResult};
use crate::ipc::Iso;
use crate::reports::{self as r, ExportFormat, ExportOutcome, ReportKind};
use crate::state::Shell;

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn report_view(
    shell: State<'_, Shell>,
    from: Iso,
    to: Iso,
    names: Names,
    language: Language,
) -> ApiResult<ReportView> {
    r::report_view(&shell, from.0, to.0, names, language)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn payment_list(
    shell: State<'_, Shell>,
    from: Iso,
    to: Iso,
    names: Names,
    language: Language,
) -> ApiResult<PaymentList> {
    r::payment_list(&shell, from.0, to.0, names, language)
}

/// The native save dialog for a report, filtered to its format; `None` when the user cancelled.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn pick_export_file(
    app: AppHandle,
    title: String,
    file_name: String,
    format: ExportFormat,
) -> ApiResult<Option<PathBuf>> {
    let (name, extensions) = format.filter();
    let dialog = app.dialog().file().set_title(title).set_file_name(file_name).add_filter(name, extensions);
    match dialog.blocking_save_file() {
        None => Ok(None),
        Some(p) => p.into_path().map(Some).map_err(|_| ApiError::new(codes::DIALOG_FAILED)),
    }
}

#[allow(clippy::too_many_arguments)]
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn export_report(
    shell: State<'_, Shell>,
    job: u32,
    report: ReportKind,
    format: ExportFormat,
    from: Iso,
    to: Iso,
    names: Names,
    path: PathBuf,
) -> ApiResult<ExportOutcome> {
    r::export_report(&shell, job, report, format, from.0, to.0, names, &path)
}

/// Cancels a running export (no vault content: allowed while locked).
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn cancel_export(job: u32) -> ApiResult<()> {
    r::cancel_export(job);
    Ok(())
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn billing_settings(shell: State<'_, Shell>) -> ApiResult<BillingSettings> {
    r::billing_settings(&shell)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn update_billing_settings(shell: State<'_, Shell>, settings: BillingSettings) -> ApiResult<BillingSettings> {
    r::update_billing_settings(&shell, &settings)
}
