//! The month-end run as the window shows it: a preview of every draft the month would make
//! (drafted by the same code in a transaction that is rolled back), with what would stop each
//! from being issued (`rules::check_issue`) and what is worth a note (`rules::issue_notes`);
//! then drafting and issuing the chosen clients' bills in ONE transaction, with progress after
//! each invoice and a cancel flag looked at between invoices: cancelled or failed, nothing of
//! the run is kept; finished, all of it is.

use crate::domain::Field;
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::civil::Date;
use jiff::ToSpan;
use serde_json::{Map, Value};

use crate::billing::{rules, BillTo, InvoiceKind, LineKind, NumberFormat};
use crate::domain::ids::{ClientId, InvoiceId};
use crate::domain::money::Cents;
use crate::error::{Error, Problem, Result};
use crate::store::Tx;

use super::billing::{draft_client, month_range, not_in_future, payer_of, snapshot_of, DraftContext};
use super::billing_desk::role_name;
use std::ops::{Deref, DerefMut};

use super::{Billing, Vault};

/// Why a draft cannot be issued (a core error as code and parameters), or a note worth reading.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RunProblem {
    pub code: String,
    pub params: Map<String, Value>,
}

impl From<&Error> for RunProblem {
    fn from(e: &Error) -> Self {
        RunProblem { code: e.code().to_string(), params: e.params() }
    }
}

/// One draft the month would make.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DraftPreview {
    pub client_id: ClientId,
    pub client_name: String,
    pub payer_name: String,
    pub payer_role: String,
    pub sessions: u32,
    pub no_shows: u32,
    pub gross: Cents,
    /// What stops it from being issued as things are; empty when it can be.
    pub blockers: Vec<RunProblem>,
    /// Codes of `rules::issue_notes` (e.g. `svnr_missing`).
    pub notes: Vec<String>,
}

/// Every draft of the month, and the clients whose bill could not even be drafted.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MonthPreview {
    pub month: String,
    pub drafts: Vec<DraftPreview>,
    pub skipped: Vec<SkippedClient>,
    pub gross: Option<Cents>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SkippedClient {
    pub client_id: ClientId,
    pub client_name: String,
    pub problem: RunProblem,
}

/// One invoice the run issued.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RunIssued {
    pub id: InvoiceId,
    pub number: String,
    pub client_id: ClientId,
    pub gross: Cents,
}

/// What a finished run issued, and its sum.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RunOutcome {
    pub issued: Vec<RunIssued>,
    pub gross: Option<Cents>,
}

/// The month's first and last day and the same as UTC seconds (for missed appointments).
fn month_bounds(month: &str, ctx: &DraftContext) -> Result<(Date, Date, i64, i64)> {
    let (from, to) = month_range(month)?;
    let tz = ctx.practice.tz()?;
    let bad = |_| Error::invalid(Field::Month, Problem::OutOfRange);
    let from_utc = from.to_zoned(tz.clone()).map_err(bad)?.timestamp().as_second();
    let to_utc = to.checked_add(1.day()).map_err(bad)?.to_zoned(tz).map_err(bad)?.timestamp().as_second();
    Ok((from, to, from_utc, to_utc))
}

/// The drafts made, and the clients skipped with why.
type Drafted = (Vec<InvoiceId>, Vec<(ClientId, Error)>);

/// Drafts the bills of `clients` for the month in `tx`; a client that cannot be drafted is
/// returned beside the drafts when `skip` allows, else its error ends the run.
fn draft_all(
    tx: &mut Tx<'_>,
    ctx: &DraftContext,
    clients: &[ClientId],
    from: Date,
    to: Date,
    skip: bool,
) -> Result<Drafted> {
    let (mut ids, mut skipped) = (Vec::new(), Vec::new());
    for c in clients {
        match draft_client(tx, ctx, *c, from, to) {
            Ok(new) => ids.extend(new),
            Err(e @ Error::Invalid { .. }) if skip => skipped.push((*c, e)),
            Err(e) => return Err(e),
        }
    }
    Ok((ids, skipped))
}

/// Whether the draft `id` may be issued as things stand in `tx`: the same checks as
/// `Vault::issue_invoice`, in the same order.
fn check_draft(tx: &Tx<'_>, ctx: &DraftContext, id: InvoiceId) -> Result<crate::billing::Payer> {
    let r = tx.read();
    let inv = r.invoice(id)?;
    let client = r.client(inv.client_id)?;
    let snapshot = snapshot_of(&ctx.practice, &ctx.settings, &client, None)?;
    let bill_to = r.client_bill_to(inv.client_id)?.unwrap_or_else(|| BillTo::default_for(&client));
    let payer = payer_of(&inv, &client, &bill_to)?;
    rules::check_issue(&ctx.practice, &inv, &payer, &snapshot.issuer.vat_id, snapshot.client.fee_agreement_date)?;
    Ok(payer)
}

impl<V: Deref<Target = Vault>> Billing<V> {
    /// Every draft the month-end run of `month` (`YYYY-MM`) would make, with what stops each
    /// from being issued. Nothing is written: the drafts are made and rolled back.
    pub fn month_preview(&mut self, month: &str) -> Result<MonthPreview>
    where
        V: DerefMut,
    {
        let ctx = self.draft_context()?;
        let (from, to, from_utc, to_utc) = month_bounds(month, &ctx)?;
        let clients = self.vault.store.read().clients_with_unbilled(from, to, from_utc, to_utc)?;
        let country = ctx.practice.country;
        self.vault.store.dry_run(|tx| {
            let (ids, skipped) = draft_all(tx, &ctx, &clients, from, to, true)?;
            let mut drafts = Vec::with_capacity(ids.len());
            for id in ids {
                let blockers = match check_draft(tx, &ctx, id) {
                    Ok(_) => vec![],
                    Err(e) => vec![RunProblem::from(&e)],
                };
                let r = tx.read();
                let inv = r.invoice(id)?;
                let client = r.client(inv.client_id)?;
                let facts = crate::billing::ClientFacts::of(&client, &ctx.settings.treatment_method);
                let count = |k: LineKind| inv.lines.iter().filter(|l| l.input.kind == k).count() as u32;
                drafts.push(DraftPreview {
                    client_id: inv.client_id,
                    client_name: client.display_name(),
                    payer_name: inv.payer.party.name.clone(),
                    payer_role: role_name(inv.payer.role).into(),
                    sessions: count(LineKind::Session),
                    no_shows: count(LineKind::NoShow),
                    gross: inv.totals.gross,
                    blockers,
                    notes: rules::issue_notes(country, &facts).into_iter().map(String::from).collect(),
                });
            }
            let skipped = skipped
                .iter()
                .map(|(c, e)| {
                    Ok(SkippedClient {
                        client_id: *c,
                        client_name: tx.read().client(*c)?.display_name(),
                        problem: RunProblem::from(e),
                    })
                })
                .collect::<Result<_>>()?;
            let gross = crate::store::sum_known(drafts.iter().map(|d| Some(d.gross)));
            Ok(MonthPreview { month: month.trim().to_string(), drafts, skipped, gross })
        })
    }

    /// Drafts and issues the month's bills of `clients` in one transaction, dated `date`
    /// (today by default). `progress(done, total)` follows each invoice; `cancel` is looked at
    /// before each one and before the commit. Any refusal or a cancel leaves nothing of the
    /// run behind (`billing.run_cancelled` for a cancel): no draft, no number used.
    pub fn issue_month(
        &mut self,
        month: &str,
        clients: &[ClientId],
        date: Option<Date>,
        cancel: &AtomicBool,
        mut progress: impl FnMut(u32, u32),
    ) -> Result<RunOutcome>
    where
        V: DerefMut,
    {
        if clients.is_empty() {
            return Err(Error::NothingToBill);
        }
        let ctx = self.draft_context()?;
        let (from, to, _, _) = month_bounds(month, &ctx)?;
        let today = self.vault.records().today()?;
        let date = not_in_future(Field::Date, date.unwrap_or(today), today)?;
        let format = NumberFormat::parse(ctx.settings.format_for(date.year()))?;
        let due = date
            .checked_add((ctx.settings.payment_days as i64).days())
            .map_err(|_| Error::invalid(Field::Date, Problem::OutOfRange))?;
        self.vault.ensure_series()?;
        let issue_ctx = self.vault.documents().issue_context()?;
        self.vault.store.write(|tx| {
            let (ids, _) = draft_all(tx, &ctx, clients, from, to, false)?;
            if ids.is_empty() {
                return Err(Error::NothingToBill);
            }
            let total = ids.len() as u32;
            progress(0, total);
            let mut issued = Vec::with_capacity(ids.len());
            for (k, id) in ids.into_iter().enumerate() {
                if cancel.load(Ordering::Relaxed) {
                    return Err(Error::RunCancelled);
                }
                let payer = check_draft(tx, &ctx, id)?;
                let inv = tx.read().invoice(id)?;
                let client = tx.read().client(inv.client_id)?;
                let snapshot = snapshot_of(&ctx.practice, &ctx.settings, &client, None)?;
                let number = tx.issue_invoice(id, date, due, &format, &snapshot, &payer)?;
                super::documents::issued::keep_issued_invoice(tx, id, &issue_ctx)?;
                debug_assert_eq!(inv.kind, InvoiceKind::Invoice);
                issued.push(RunIssued { id, number, client_id: inv.client_id, gross: inv.totals.gross });
                progress(k as u32 + 1, total);
            }
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::RunCancelled);
            }
            let gross = crate::store::sum_known(issued.iter().map(|i| Some(i.gross)));
            Ok(RunOutcome { issued, gross })
        })
    }
}
