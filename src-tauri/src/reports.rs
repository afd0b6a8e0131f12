//! The Reports, Payments and billing-settings screens' handlers: each calls one core operation.
//! An export renders in the core, then is written only to the path the user chose in the native
//! save dialog, unless the window cancelled it meanwhile (then nothing is written at all).

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use jiff::civil::Date;
use tresor::billing::BillingSettings;
use tresor::domain::Language;
use tresor::vault::{Names, PaymentList, ReportView};

use crate::error::ApiResult;
use crate::state::Shell;

/// Which report to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// Per month: invoiced, received, open (Umsatzübersicht).
    Revenue,
    /// The invoice journal for the tax adviser (Rechnungsausgangsbuch).
    Journal,
    /// Every session of the period (Sitzungsprotokoll).
    Protocol,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Pdf,
    Xlsx,
}

impl ExportFormat {
    /// The save dialog's filter: its name and extensions.
    pub fn filter(self) -> (&'static str, &'static [&'static str]) {
        match self {
            ExportFormat::Pdf => ("PDF", &["pdf"]),
            ExportFormat::Xlsx => ("Excel", &["xlsx"]),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ExportOutcome {
    Saved,
    /// The window cancelled the export before it was written: no file was made or changed.
    Cancelled,
}

/// Export jobs the window asked to cancel; an export looks here before it writes.
static CANCELLED: Mutex<BTreeSet<u32>> = Mutex::new(BTreeSet::new());

fn cancelled() -> std::sync::MutexGuard<'static, BTreeSet<u32>> {
    CANCELLED.lock().unwrap_or_else(PoisonError::into_inner)
}

pub fn report_view(shell: &Shell, from: Date, to: Date, names: Names, language: Language) -> ApiResult<ReportView> {
    shell.read(|v| v.documents().report_view(from, to, names, language))
}

pub fn payment_list(shell: &Shell, from: Date, to: Date, names: Names, language: Language) -> ApiResult<PaymentList> {
    shell.read(|v| v.documents().payment_list(from, to, names, language))
}

/// Asks the running export `job` to stop; an export already written stays written.
pub fn cancel_export(job: u32) {
    cancelled().insert(job);
}

/// Renders `report` for `[from, to]` and writes it to `path` (already confirmed in the save
/// dialog, so an existing file there is replaced), unless job `job` was cancelled meanwhile.
#[allow(clippy::too_many_arguments)]
pub fn export_report(
    shell: &Shell,
    job: u32,
    report: ReportKind,
    format: ExportFormat,
    from: Date,
    to: Date,
    names: Names,
    path: &Path,
) -> ApiResult<ExportOutcome> {
    let result = (|| {
        let (xlsx, pdf) = shell.read(|v| match report {
            ReportKind::Revenue => v.documents().render_revenue(from, to),
            ReportKind::Journal => v.documents().render_journal_named(from, to, names),
            ReportKind::Protocol => v.documents().render_protocol_named(None, from, to, names),
        })?;
        if cancelled().contains(&job) {
            return Ok(ExportOutcome::Cancelled);
        }
        let bytes = match format {
            ExportFormat::Pdf => pdf,
            ExportFormat::Xlsx => xlsx,
        };
        tresor::export::write_file(path, &bytes, true)?;
        Ok(ExportOutcome::Saved)
    })();
    cancelled().remove(&job);
    result
}

pub fn billing_settings(shell: &Shell) -> ApiResult<BillingSettings> {
    shell.read(|v| v.billing().billing_settings())
}

/// Saves the settings (the core validates every field) and returns them as stored.
pub fn update_billing_settings(shell: &Shell, settings: &BillingSettings) -> ApiResult<BillingSettings> {
    shell.write(|v| {
        v.billing_mut().update_billing_settings(settings)?;
        v.billing().billing_settings()
    })
}
