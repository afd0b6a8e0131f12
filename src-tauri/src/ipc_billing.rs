//! The billing commands' Tauri wrappers (listed in `ipc.rs`'s `commands!` under `// billing`);
//! the work is in `billing.rs`.

use std::path::PathBuf;

use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;
use tresor::domain::ids::{InvoiceId, InvoiceLineId};
use tresor::domain::{Cents, ClientId};
use tresor::store::UnbilledClient;
use tresor::vault::{ClientBilling, InvoiceList, InvoiceListQuery, InvoiceRow, InvoiceView, MonthPreview, RunOutcome};

use crate::billing::{self as b, DocKind, RunProgress};
use crate::error::{codes, ApiError, ApiResult};
use crate::ipc::Iso;
use crate::state::Shell;

/// End-to-end tests only: the save dialog answers with this folder and the default file name
/// instead of opening (like `TRESOR_DATA_FOLDER`, a native dialog cannot be driven).
pub const SAVE_DIR_ENV: &str = "TRESOR_SAVE_DIR";

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn invoice_list(shell: State<'_, Shell>, query: InvoiceListQuery) -> ApiResult<InvoiceList> {
    b::invoice_list(&shell, &query)
}

/// Invoices for the global search (Ctrl/Cmd+K), beside `search`'s clients and documentation.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn search_invoices(shell: State<'_, Shell>, query: String, limit: u32) -> ApiResult<Vec<InvoiceRow>> {
    b::search_invoices(&shell, &query, limit)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn unbilled_by_client(shell: State<'_, Shell>) -> ApiResult<Vec<UnbilledClient>> {
    b::unbilled_by_client(&shell)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn client_billing(shell: State<'_, Shell>, client: ClientId) -> ApiResult<ClientBilling> {
    b::client_billing(&shell, client)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn month_preview(shell: State<'_, Shell>, month: String) -> ApiResult<MonthPreview> {
    b::month_preview(&shell, &month)
}

/// Issues the chosen clients' bills of the month; `billing-run-progress` after each invoice.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn issue_month(
    app: AppHandle,
    shell: State<'_, Shell>,
    month: String,
    clients: Vec<ClientId>,
    date: Option<Iso>,
) -> ApiResult<RunOutcome> {
    b::issue_month(&shell, &month, &clients, date.map(|d| d.0), |done, total| {
        let _ = app.emit(b::EVENT_RUN_PROGRESS, RunProgress { done, total });
    })
}

/// Stops a running month-end run; nothing of it is kept. Touches no data, so it is allowed
/// while locked too.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn cancel_billing_run() -> ApiResult<()> {
    b::cancel_billing_run();
    Ok(())
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn bill_client(shell: State<'_, Shell>, client: ClientId) -> ApiResult<Vec<InvoiceId>> {
    b::bill_client(&shell, client)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn invoice_view(shell: State<'_, Shell>, id: InvoiceId) -> ApiResult<InvoiceView> {
    b::invoice_view(&shell, id)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn issue_invoice(shell: State<'_, Shell>, id: InvoiceId, date: Option<Iso>) -> ApiResult<String> {
    b::issue_invoice(&shell, id, date.map(|d| d.0))
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn add_invoice_item(
    shell: State<'_, Shell>,
    id: InvoiceId,
    description: String,
    unit: Cents,
    quantity: i32,
    no_show: bool,
) -> ApiResult<InvoiceLineId> {
    b::add_invoice_item(&shell, id, description, unit, quantity.into(), no_show)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn remove_invoice_line(shell: State<'_, Shell>, id: InvoiceId, line: InvoiceLineId) -> ApiResult<()> {
    b::remove_invoice_line(&shell, id, line)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn delete_draft(shell: State<'_, Shell>, id: InvoiceId) -> ApiResult<()> {
    b::delete_draft(&shell, id)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn record_payment(
    shell: State<'_, Shell>,
    id: InvoiceId,
    amount: Cents,
    date: Option<Iso>,
    method: String,
) -> ApiResult<()> {
    b::record_payment(&shell, id, amount, date.map(|d| d.0), &method)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn write_off(shell: State<'_, Shell>, id: InvoiceId, reason: String) -> ApiResult<()> {
    b::write_off(&shell, id, &reason)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn cancel_invoice(shell: State<'_, Shell>, id: InvoiceId, reason: String) -> ApiResult<InvoiceId> {
    b::cancel_invoice(&shell, id, &reason)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn dun_invoice(shell: State<'_, Shell>, id: InvoiceId) -> ApiResult<u8> {
    b::dun_invoice(&shell, id)
}

/// A document of the invoice as base64, for the viewer in the window (never a file).
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn invoice_document(shell: State<'_, Shell>, id: InvoiceId, kind: DocKind) -> ApiResult<String> {
    b::invoice_document(&shell, id, kind)
}

/// The native save dialog for a document of the invoice, with its file filter and a default
/// name (`Rechnung-2026-0042.pdf`); `None` when the user cancelled.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn pick_invoice_file(
    app: AppHandle,
    shell: State<'_, Shell>,
    id: InvoiceId,
    kind: DocKind,
    title: String,
) -> ApiResult<Option<PathBuf>> {
    let german = shell.settings().language.as_deref() != Some("en");
    let name = b::default_file_name(&shell, id, kind, german)?;
    if let Some(dir) = std::env::var_os(SAVE_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(Some(PathBuf::from(dir).join(name)));
    }
    let (label, ext) = kind.filter();
    let dialog = app.dialog().file().set_title(title).set_file_name(name).add_filter(label, &[ext]);
    match dialog.blocking_save_file() {
        None => Ok(None),
        Some(p) => p.into_path().map(Some).map_err(|_| ApiError::new(codes::DIALOG_FAILED)),
    }
}

/// Writes the document where the user chose in `pick_invoice_file`.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn save_invoice_document(shell: State<'_, Shell>, id: InvoiceId, kind: DocKind, path: PathBuf) -> ApiResult<()> {
    b::save_invoice_document(&shell, id, kind, &path)
}
