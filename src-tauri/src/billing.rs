//! The billing commands as plain functions of the shell state (testable without a window): the
//! invoice list, the month-end run with its progress and cancel flag, one invoice's page and
//! actions, and its documents — in memory for the window, or written where the user chose in
//! the native save dialog. No billing rule lives here; each maps onto one core operation.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use data_encoding::BASE64;
use jiff::civil::Date;
use tresor::billing::{LineInput, LineKind};
use tresor::domain::ids::{InvoiceId, InvoiceLineId};
use tresor::domain::{Cents, ClientId};
use tresor::store::UnbilledClient;
use tresor::vault::{
    ClientBilling, InvoiceFormat, InvoiceList, InvoiceListQuery, InvoiceRow, InvoiceView, MonthPreview, RunOutcome,
};

use crate::error::{ApiError, ApiResult};
use crate::state::Shell;

/// Set by `cancel_billing_run`, looked at by the core between invoices. One run at a time can
/// hold the vault, so one flag serves.
static CANCEL: AtomicBool = AtomicBool::new(false);

/// Sent to the window after each invoice of a month-end run.
pub const EVENT_RUN_PROGRESS: &str = "billing-run-progress";

#[derive(Debug, Clone, Copy, serde::Serialize, specta::Type)]
pub struct RunProgress {
    pub done: u32,
    pub total: u32,
}

/// Which document of an invoice to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Pdf,
    Xlsx,
    Honorarnote,
    /// The XRechnung (EN 16931 XML) of an issued invoice, where one applies.
    Einvoice,
    /// The newest dunning letter.
    Dunning,
}

impl DocKind {
    /// The save dialog's filter: its label and extension.
    pub fn filter(self) -> (&'static str, &'static str) {
        match self {
            DocKind::Xlsx => ("Excel", "xlsx"),
            DocKind::Einvoice => ("XRechnung (XML)", "xml"),
            _ => ("PDF", "pdf"),
        }
    }
}

pub fn invoice_list(shell: &Shell, query: &InvoiceListQuery) -> ApiResult<InvoiceList> {
    shell.read(|v| v.billing().invoice_list(query))
}

/// Reads the invoice list's rows on a thread of its own, on a connection of its own, so that the
/// first opening of Abrechnung finds them read: the vault is held only to open that connection,
/// and Today loads meanwhile. A read that fails or is stopped (lock, a change) leaves the list
/// to read for itself, which reports any error to the window.
pub fn read_list_ahead(shell: &Shell) {
    let ahead = match shell.read(|v| v.billing().read_list_ahead()) {
        Ok(Some(ahead)) => ahead,
        Ok(None) => return,
        Err(e) => return crate::diag::failed("invoice list not read ahead", &e),
    };
    match std::thread::Builder::new().name("list-ahead".into()).spawn(move || ahead.run()) {
        Ok(thread) => shell.keep_reader(thread),
        // `ahead` went with the closure: the list will not wait for it.
        Err(e) => tracing::warn!(error = %e, "invoice list not read ahead: no thread"),
    }
}

pub fn search_invoices(shell: &Shell, query: &str, limit: u32) -> ApiResult<Vec<InvoiceRow>> {
    shell.read(|v| v.billing().search_invoices(query, limit))
}

pub fn unbilled_by_client(shell: &Shell) -> ApiResult<Vec<UnbilledClient>> {
    shell.read(|v| v.billing().unbilled_by_client())
}

pub fn client_billing(shell: &Shell, client: ClientId) -> ApiResult<ClientBilling> {
    shell.read(|v| v.billing().client_billing(client))
}

pub fn month_preview(shell: &Shell, month: &str) -> ApiResult<MonthPreview> {
    shell.write(|v| v.billing_mut().month_preview(month))
}

/// Runs the month: `progress` after each invoice; `cancel_billing_run` stops it with nothing kept.
pub fn issue_month(
    shell: &Shell,
    month: &str,
    clients: &[ClientId],
    date: Option<Date>,
    progress: impl FnMut(u32, u32),
) -> ApiResult<RunOutcome> {
    CANCEL.store(false, Ordering::SeqCst);
    shell.write(|v| v.billing_mut().issue_month(month, clients, date, &CANCEL, progress))
}

pub fn cancel_billing_run() {
    CANCEL.store(true, Ordering::SeqCst);
}

/// Drafts a client's bill from all their unbilled work (one draft per payer).
pub fn bill_client(shell: &Shell, client: ClientId) -> ApiResult<Vec<InvoiceId>> {
    shell.write(|v| v.billing_mut().draft_invoice(client, None, None))
}

pub fn invoice_view(shell: &Shell, id: InvoiceId) -> ApiResult<InvoiceView> {
    shell.read(|v| v.billing().invoice_view(id))
}

/// The invoice's number, or its id while a draft (what the core's document calls take).
fn key(shell: &Shell, id: InvoiceId) -> ApiResult<String> {
    shell.read(|v| Ok(v.billing().invoice(id)?.number.unwrap_or_else(|| id.to_string())))
}

pub fn issue_invoice(shell: &Shell, id: InvoiceId, date: Option<Date>) -> ApiResult<String> {
    shell.write(|v| v.billing_mut().issue_invoice(id, date))
}

/// An extra item on a draft, its tax mode the practice's default (`rules::default_tax_mode`).
pub fn add_invoice_item(
    shell: &Shell,
    id: InvoiceId,
    description: String,
    unit: Cents,
    quantity: i64,
    no_show: bool,
) -> ApiResult<InvoiceLineId> {
    shell.write(|v| {
        let p = v.records().practice()?;
        let line = LineInput {
            kind: if no_show { LineKind::NoShow } else { LineKind::Item },
            session_id: None,
            appointment_id: None,
            date: Some(v.records().today()?),
            description,
            minutes: None,
            setting: None,
            quantity,
            unit,
            tax: tresor::billing::rules::default_tax_mode(p.country, p.small_business),
            fee: Default::default(),
            fee_reason: String::new(),
            full_unit: None,
            group_size: None,
        };
        v.billing_mut().add_invoice_line(id, line)
    })
}

pub fn remove_invoice_line(shell: &Shell, id: InvoiceId, line: InvoiceLineId) -> ApiResult<()> {
    shell.write(|v| v.billing_mut().remove_invoice_line(id, line))
}

pub fn delete_draft(shell: &Shell, id: InvoiceId) -> ApiResult<()> {
    shell.write(|v| v.billing_mut().delete_draft(id))
}

pub fn record_payment(shell: &Shell, id: InvoiceId, amount: Cents, date: Option<Date>, method: &str) -> ApiResult<()> {
    let number = key(shell, id)?;
    shell.write(|v| v.billing_mut().record_payment(&number, amount, date, method)).map(|_| ())
}

pub fn write_off(shell: &Shell, id: InvoiceId, reason: &str) -> ApiResult<()> {
    let number = key(shell, id)?;
    shell.write(|v| v.billing_mut().write_off(&number, reason))
}

/// Cancels with a Storno; returns the Storno's id, to show it.
pub fn cancel_invoice(shell: &Shell, id: InvoiceId, reason: &str) -> ApiResult<InvoiceId> {
    let number = key(shell, id)?;
    shell.write(|v| v.billing_mut().cancel_invoice(&number, reason, false, None)).map(|c| c.id)
}

/// Writes the next dunning letter; returns its level.
pub fn dun_invoice(shell: &Shell, id: InvoiceId) -> ApiResult<u8> {
    let number = key(shell, id)?;
    shell.write(|v| v.billing_mut().dun_invoice(&number, None)).map(|d| d.level)
}

/// A document's bytes, made in memory: the PDF as issued (a draft's preview), the workbook, the
/// claim form, the e-invoice or the newest dunning letter.
fn document(shell: &Shell, id: InvoiceId, kind: DocKind) -> ApiResult<Vec<u8>> {
    let number = key(shell, id)?;
    shell.write(|v| match kind {
        DocKind::Pdf => v.documents_mut().render_invoice(&number, InvoiceFormat::Pdf),
        DocKind::Xlsx => v.documents_mut().render_invoice(&number, InvoiceFormat::Xlsx),
        DocKind::Honorarnote => v.documents_mut().render_invoice(&number, InvoiceFormat::Honorarnote),
        DocKind::Einvoice => v.documents_mut().export_xrechnung(&number, None).map(|e| e.bytes),
        DocKind::Dunning => v.documents_mut().render_dunning_letter(&number, None),
    })
}

/// The document as base64 for the window's viewer: it lives in the page's memory only.
pub fn invoice_document(shell: &Shell, id: InvoiceId, kind: DocKind) -> ApiResult<String> {
    Ok(BASE64.encode(&document(shell, id, kind)?))
}

/// Writes the document to `path`, chosen in the native save dialog (which asked before
/// replacing a file): the only file of it that touches the disk.
pub fn save_invoice_document(shell: &Shell, id: InvoiceId, kind: DocKind, path: &Path) -> ApiResult<()> {
    let bytes = document(shell, id, kind)?;
    tresor::export::write_file(path, &bytes, true).map_err(ApiError::from)
}

/// A default file name for the save dialog: `Rechnung-2026-0042.pdf`, `Entwurf.pdf` for a draft.
pub fn default_file_name(shell: &Shell, id: InvoiceId, kind: DocKind, german: bool) -> ApiResult<String> {
    let number = shell.read(|v| Ok(v.billing().invoice(id)?.number))?;
    let safe = number.map(|n| n.replace(['/', '\\', ':'], "-"));
    let stem = match (kind, german) {
        (DocKind::Honorarnote, _) => "Honorarnote",
        (DocKind::Dunning, true) => "Mahnung",
        (DocKind::Dunning, false) => "Reminder",
        (DocKind::Einvoice, _) => "XRechnung",
        (_, true) => "Rechnung",
        (_, false) => "Invoice",
    };
    let name = match safe {
        Some(n) => format!("{stem}-{n}"),
        None if german => format!("{stem}-Entwurf"),
        None => format!("{stem}-draft"),
    };
    Ok(format!("{name}.{}", kind.filter().1))
}
