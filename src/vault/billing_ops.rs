//! The billing operations the CLI and the desktop shell call: draft from sessions, the
//! month-end run, issue, cancel, pay, write off, dun. Each is one transaction.

use std::collections::HashMap;

use jiff::civil::Date;
use jiff::ToSpan;

use crate::billing::dunning::next_letter;
use crate::billing::{fees, rules};
use crate::billing::{
    Balance, BillTo, BillingSettings, ClientFacts, DocSnapshot, DunningLetter, Invoice, InvoiceKind, InvoiceSummary,
    Issuer, LineInput, LineKind, NumberFormat, Payer, Payment, StornoFacts, WriteOff,
};
use crate::domain::client::Client;
use crate::domain::ids::{ClientId, DunningLetterId, InvoiceId, InvoiceLineId, PaymentId, ServiceId, WriteOffId};
use crate::domain::money::Cents;
use crate::domain::practice::{Country, Language, Practice};
use crate::domain::service::{Multiplier, Service, ServiceFee};
use crate::domain::session::Setting;
use crate::error::{Error, Problem, Result};
use crate::store::{InvoiceQuery, NewInvoice, Tx};

use super::Vault;

/// What `cancel_invoice` created.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Cancellation {
    pub id: InvoiceId,
    pub number: String,
    /// The new draft with the same lines, when one was asked for.
    pub redraft: Option<InvoiceId>,
}

/// The outcome of a month-end run.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct MonthRun {
    pub drafted: Vec<InvoiceId>,
    /// Clients whose bill could not be drafted, with the error code (e.g. a missing guardian).
    pub skipped: Vec<(ClientId, &'static str)>,
}

/// A dunning letter written by `dunning_run`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Dunned {
    pub number: String,
    pub level: u8,
    pub fee: Cents,
}

/// Parses `YYYY-MM` into the month's first and last day.
pub fn month_range(s: &str) -> Result<(Date, Date)> {
    let bad = || Error::invalid("month", Problem::BadDate);
    let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
    let first =
        jiff::civil::Date::new(y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?, 1).map_err(|_| bad())?;
    Ok((first, first.last_of_month()))
}

/// Refuses a date after `today` (an issue date, a payment, a dunning run, a Storno).
pub(super) fn not_in_future(field: &'static str, d: Date, today: Date) -> Result<Date> {
    if d > today {
        return Err(Error::invalid(field, Problem::InFuture));
    }
    Ok(d)
}

/// The word for one billed unit: Einheit (AT), Sitzung (DE), session.
pub fn unit_word(country: Country, lang: Language) -> &'static str {
    match (lang, country) {
        (Language::En, _) => "Session",
        (Language::De, Country::AT) => "Einheit",
        (Language::De, Country::DE) => "Sitzung",
    }
}

/// `amount × share / 10 000` rounded half away from zero; the last payer gets the remainder, so
/// the shares of a split always add up to the full amount.
fn shares(amount: Cents, split: &[u32]) -> Result<Vec<Cents>> {
    let mut out = Vec::with_capacity(split.len());
    let mut given = Cents::ZERO;
    for (i, bp) in split.iter().enumerate() {
        let part = if i + 1 == split.len() { amount.checked_sub(given)? } else { amount.mul_bp_rounded(*bp)? };
        given = given.checked_add(part)?;
        out.push(part);
    }
    Ok(out)
}

/// What an issued document prints besides its lines, as it is today: the practice, the
/// client's facts (treatment method included) and the diagnosis setting.
pub(crate) fn snapshot_of(
    practice: &Practice,
    settings: &BillingSettings,
    client: &Client,
    cancels: Option<(String, Date)>,
) -> Result<DocSnapshot> {
    let issuer = Issuer::from(practice);
    issuer.check_complete()?;
    Ok(DocSnapshot {
        issuer,
        client: ClientFacts::of(client, &settings.treatment_method),
        cancels,
        storno: None,
        print_diagnosis: settings.print_diagnosis,
    })
}

/// The recipient of a draft as the client's bill-to names it today: the same payer (by its
/// slot) with its current address. A bill-to changed since the draft in who pays or in the
/// shares cannot be issued: the draft's amounts were split for the old one.
pub(super) fn payer_of(inv: &Invoice, client: &Client, bill_to: &BillTo) -> Result<Payer> {
    bill_to
        .payers(client)?
        .into_iter()
        .find(|(p, share)| p.slot == inv.payer.slot && *share == inv.share_bp && p.role == inv.payer.role)
        .map(|(p, _)| p)
        .ok_or(Error::InvoiceState { reason: "payer_changed" })
}

/// Everything drafting needs that does not change between clients of one run.
pub(super) struct DraftContext {
    pub(super) practice: Practice,
    pub(super) settings: BillingSettings,
    services: HashMap<ServiceId, Service>,
}

impl DraftContext {
    fn service(&self, id: Option<ServiceId>) -> Option<&Service> {
        id.and_then(|s| self.services.get(&s))
    }
}

/// Drafts the bill(s) of one client in `tx`: one invoice per payer, lines for unbilled sessions
/// and missed appointments in `[from, to]`. Returns no ids when there is nothing to bill.
pub(super) fn draft_client(
    tx: &mut Tx<'_>,
    ctx: &DraftContext,
    client_id: ClientId,
    from: Date,
    to: Date,
) -> Result<Vec<InvoiceId>> {
    let r = tx.read();
    let client = r.client(client_id)?;
    let bill_to = r.client_bill_to(client_id)?.unwrap_or_else(|| BillTo::default_for(&client));
    let payers = bill_to.payers(&client)?;
    let lang = client.data.language.unwrap_or(ctx.practice.language);
    let country = ctx.practice.country;
    let sessions = r.unbilled_sessions(client_id, from, to)?;
    let tz = ctx.practice.tz()?;
    let bad = |_| Error::invalid("date", Problem::OutOfRange);
    let from_utc = from.to_zoned(tz.clone()).map_err(bad)?.timestamp().as_second();
    let to_utc = to.checked_add(1.day()).map_err(bad)?.to_zoned(tz.clone()).map_err(bad)?.timestamp().as_second();
    let no_shows = r.unbilled_no_shows(client_id, from_utc, to_utc)?;

    // (line at full price, date)
    let mut full: Vec<LineInput> = Vec::with_capacity(sessions.len() + no_shows.len());
    let default_tax = rules::default_tax_mode(country, ctx.practice.small_business);
    for s in &sessions {
        let service = ctx.service(s.service_id);
        let fee = service.map(|x| x.data.fee.clone()).unwrap_or_default();
        // § 12 Abs. 2 GOÄ: the item's designation, with its minimum duration; an analog item
        // says which item it is billed "entsprechend" (§ 12 Abs. 4).
        let description = match fees::item_for(&fee) {
            Some(i) if !i.analog_of.is_empty() => format!("{} (entsprechend Nr. {} GOÄ)", i.text, i.analog_of),
            Some(i) => i.text.to_string(),
            None => service.map(|x| x.data.name.clone()).unwrap_or_else(|| unit_word(country, lang).into()),
        };
        // A GOÄ fee is computed, never typed: points × point value × multiplier.
        let unit = if fee.schedule.has_points() { fees::fee(fee.points, fee.multiplier)? } else { s.fee };
        full.push(LineInput {
            kind: LineKind::Session,
            session_id: Some(s.id),
            appointment_id: s.appointment_id,
            date: Some(s.date),
            description,
            minutes: Some(s.minutes),
            setting: Some(s.setting),
            quantity: 1,
            unit,
            tax: service.map(|x| x.data.tax).unwrap_or(default_tax),
            fee,
            fee_reason: String::new(),
            full_unit: None,
            group_size: s.group_size,
        });
    }
    for a in &no_shows {
        let service = ctx.service(a.service_id);
        let fee = if ctx.settings.no_show_fee.is_positive() {
            ctx.settings.no_show_fee
        } else {
            service.map(|x| x.data.price).unwrap_or_default()
        };
        if fee.is_zero() {
            continue;
        }
        full.push(LineInput {
            kind: LineKind::NoShow,
            session_id: None,
            appointment_id: Some(a.id),
            date: Some(a.start.to_zoned(tz.clone()).date()),
            description: match lang {
                Language::De => "Ausfallhonorar (nicht rechtzeitig abgesagter Termin)".into(),
                Language::En => "No-show fee (appointment not cancelled in time)".into(),
            },
            minutes: Some(a.minutes().max(0) as u32),
            setting: Some(Setting::Individual),
            quantity: 1,
            unit: fee,
            tax: service.map(|x| x.data.tax).unwrap_or(default_tax),
            fee: ServiceFee::default(),
            fee_reason: String::new(),
            full_unit: None,
            group_size: None,
        });
    }
    if full.is_empty() {
        return Ok(Vec::new());
    }
    full.sort_by_key(|l| l.date);
    let period_from = full.iter().filter_map(|l| l.date).min().unwrap_or(from);
    let period_to = full.iter().filter_map(|l| l.date).max().unwrap_or(to);
    let split: Vec<u32> = payers.iter().map(|(_, bp)| *bp).collect();
    let per_line: Vec<Vec<Cents>> = full.iter().map(|l| shares(l.unit, &split)).collect::<Result<_>>()?;

    let mut ids = Vec::with_capacity(payers.len());
    for (i, (payer, share_bp)) in payers.into_iter().enumerate() {
        let id = InvoiceId::new();
        tx.insert_draft(
            id,
            &NewInvoice {
                client_id,
                kind: InvoiceKind::Invoice,
                period_from,
                period_to,
                language: lang,
                payer,
                share_bp,
                cancels: None,
            },
        )?;
        // A share of a split bill keeps the full fee beside it, so the invoice shows both.
        let split_bill = split.len() > 1;
        let lines: Vec<LineInput> = full
            .iter()
            .zip(&per_line)
            .map(|(l, p)| LineInput { unit: p[i], full_unit: split_bill.then_some(l.unit), ..l.clone() })
            .collect();
        tx.add_lines(id, &lines)?;
        ids.push(id);
    }
    Ok(ids)
}

impl Vault {
    pub fn billing_settings(&self) -> Result<BillingSettings> {
        self.store.read().billing_settings()
    }

    /// Saves the billing settings. Once invoices exist, the number format changes only from a
    /// later numbering period on (`next_number_format` from `next_format_from`): a change in the
    /// middle of one would start a second series beside the first.
    pub fn update_billing_settings(&mut self, s: &BillingSettings) -> Result<()> {
        s.validate()?;
        let current = self.billing_settings()?;
        if let Some(last) = self.store.read().last_issue_date()? {
            let from = last.year().saturating_add(1);
            if s.number_format != current.number_format {
                return Err(Error::NumberFormatLocked { from });
            }
            let scheduled = !s.next_number_format.is_empty()
                && (s.next_number_format != current.next_number_format
                    || s.next_format_from != current.next_format_from);
            if scheduled && s.next_format_from < from {
                return Err(Error::NumberFormatLocked { from });
            }
        }
        self.store.write(|tx| tx.put_billing_settings(s))
    }

    pub fn bill_to(&self, client: ClientId) -> Result<BillTo> {
        match self.store.read().client_bill_to(client)? {
            Some(b) => Ok(b),
            None => Ok(BillTo::default_for(&self.client(client)?)),
        }
    }

    /// Sets who pays for a client; checked against the client record (a guardian must exist).
    /// A payer's country must be one an invoice (and its e-invoice) can name: an ISO code or a
    /// country's name Tresor knows ("Deutschland", "AT"); empty means the practice's country.
    pub fn set_bill_to(&mut self, client: ClientId, b: &BillTo) -> Result<()> {
        b.payers(&self.client(client)?)?;
        let home = self.practice()?.country;
        let parties = [(b.party.as_ref(), "bill_to"), (b.split.as_ref().map(|s| &s.party), "split_name")];
        for (party, name) in parties {
            if let Some(p) = party {
                crate::export::einvoice::country_code(&p.country, home).map_err(|_| {
                    Error::invalid(crate::domain::client::Party::field_of(name, "country"), Problem::UnknownValue)
                })?;
            }
        }
        self.store.write(|tx| tx.put_client_bill_to(client, b))
    }

    pub(super) fn draft_context(&self) -> Result<DraftContext> {
        let services = self.services()?.into_iter().map(|s| (s.id, s)).collect();
        Ok(DraftContext { practice: self.practice()?, settings: self.billing_settings()?, services })
    }

    /// Drafts a client's bill from their unbilled sessions (and missed appointments) in the
    /// range, all of them by default: one draft per payer.
    pub fn draft_invoice(&mut self, client: ClientId, from: Option<Date>, to: Option<Date>) -> Result<Vec<InvoiceId>> {
        let ctx = self.draft_context()?;
        let from = from.unwrap_or(jiff::civil::date(1900, 1, 1));
        let to = match to {
            Some(t) => t,
            None => self.today()?,
        };
        if from > to {
            return Err(Error::invalid("from", Problem::OutOfRange));
        }
        let ids = self.store.write(|tx| draft_client(tx, &ctx, client, from, to))?;
        if ids.is_empty() {
            return Err(Error::NothingToBill);
        }
        Ok(ids)
    }

    /// The month-end run: one draft per client (and payer) with unbilled work in `month`
    /// (`YYYY-MM`). A client whose bill cannot be drafted is skipped and reported.
    pub fn draft_month(&mut self, month: &str) -> Result<MonthRun> {
        let (from, to) = month_range(month)?;
        let ctx = self.draft_context()?;
        let tz = ctx.practice.tz()?;
        let bad = |_| Error::invalid("month", Problem::OutOfRange);
        let from_utc = from.to_zoned(tz.clone()).map_err(bad)?.timestamp().as_second();
        let to_utc = to.checked_add(1.day()).map_err(bad)?.to_zoned(tz).map_err(bad)?.timestamp().as_second();
        let clients = self.store.read().clients_with_unbilled(from, to, from_utc, to_utc)?;
        self.store.write(|tx| {
            let mut run = MonthRun::default();
            for c in clients {
                match draft_client(tx, &ctx, c, from, to) {
                    Ok(ids) => run.drafted.extend(ids),
                    Err(e @ Error::Invalid { .. }) => run.skipped.push((c, e.code())),
                    Err(e) => return Err(e),
                }
            }
            Ok(run)
        })
    }

    /// Adds an extra item (or any line) to a draft. Its tax mode must be one the practice may
    /// print; a GOÄ item's amount is computed from its points and multiplier.
    pub fn add_invoice_line(&mut self, invoice: InvoiceId, mut line: LineInput) -> Result<InvoiceLineId> {
        let p = self.practice()?;
        rules::check_tax_mode(p.country, p.small_business, line.tax)?;
        rules::check_fee_schedule(p.country, line.fee.schedule)?;
        if line.fee.schedule.has_points() {
            line.unit = fees::fee(line.fee.points, line.fee.multiplier)?;
            fees::check_line(
                &line.fee,
                &line.fee_reason,
                self.client(self.invoice(invoice)?.client_id)?.data.fee_agreement_date,
                line.date,
            )?;
        }
        line.validate()?;
        let ids = self.store.write(|tx| tx.add_lines(invoice, std::slice::from_ref(&line)))?;
        ids.into_iter().next().ok_or(Error::InvoiceState { reason: "empty" })
    }

    /// Sets a draft line's GOÄ multiplier and the written reason above the threshold; the
    /// amount follows (points × point value × multiplier). Above 3,5 only with the client's fee
    /// agreement (§ 2 GOÄ). A split bill's shares are drafted together and not changed here.
    pub fn set_line_fee(
        &mut self,
        invoice: InvoiceId,
        line: InvoiceLineId,
        multiplier: Multiplier,
        reason: &str,
    ) -> Result<()> {
        let inv = self.invoice(invoice)?;
        inv.require_draft()?;
        if inv.share_bp < 10_000 {
            return Err(Error::InvoiceState { reason: "split_bill" });
        }
        let l = inv.lines.iter().find(|l| l.id == line).ok_or_else(|| Error::not_found(InvoiceLineId::ENTITY, line))?;
        if !l.input.fee.schedule.has_points() {
            return Err(Error::invalid("fee_multiplier", Problem::NotAllowed));
        }
        let agreement = self.client(inv.client_id)?.data.fee_agreement_date;
        let fee = ServiceFee { multiplier, ..l.input.fee.clone() };
        fees::check_line(&fee, reason, agreement, l.input.date)?;
        let unit = fees::fee(fee.points, multiplier)?;
        let changed = LineInput { fee, fee_reason: reason.trim().to_string(), unit, ..l.input.clone() };
        self.store.write(|tx| tx.update_line_fee(invoice, line, &changed))
    }

    pub fn remove_invoice_line(&mut self, invoice: InvoiceId, line: InvoiceLineId) -> Result<()> {
        self.store.write(|tx| tx.remove_line(invoice, line))
    }

    pub fn delete_draft(&mut self, invoice: InvoiceId) -> Result<()> {
        self.store.write(|tx| tx.delete_draft(invoice))
    }

    /// What an issued document prints besides its lines, as it is today: the practice, the
    /// client's facts (treatment method included) and the diagnosis setting.
    fn snapshot_for(&self, client: ClientId, cancels: Option<(String, Date)>) -> Result<DocSnapshot> {
        snapshot_of(&self.practice()?, &self.billing_settings()?, &self.client(client)?, cancels)
    }

    /// The recipient of a draft as the client's bill-to names it today: the same payer (by its
    /// slot) with its current address. A bill-to changed since the draft in who pays or in the
    /// shares cannot be issued: the draft's amounts were split for the old one.
    fn payer_at_issue(&self, inv: &Invoice) -> Result<Payer> {
        payer_of(inv, &self.client(inv.client_id)?, &self.bill_to(inv.client_id)?)
    }

    /// What the law asks of an invoice before it gets a number (`rules::check_issue`).
    fn check_issuable(&self, inv: &Invoice, payer: &Payer, snapshot: &DocSnapshot) -> Result<()> {
        let p = self.practice()?;
        rules::check_issue(&p, inv, payer, &snapshot.issuer.vat_id, snapshot.client.fee_agreement_date)
    }

    /// Issues a draft with the next number of this device's series (gapless, in the same
    /// transaction). The recipient and the client's facts are taken now, at issue, so an
    /// address changed since the draft is the one printed; everything the law asks of the
    /// invoice is checked first, and a refusal changes nothing. The issue date is today or
    /// earlier. After this the invoice can never change. Returns the number.
    pub fn issue_invoice(&mut self, id: InvoiceId, issue_date: Option<Date>) -> Result<String> {
        let inv = self.invoice(id)?;
        inv.require_draft()?;
        let today = self.today()?;
        let date = not_in_future("date", issue_date.unwrap_or(today), today)?;
        let snapshot = self.snapshot_for(inv.client_id, None)?;
        let payer = self.payer_at_issue(&inv)?;
        self.check_issuable(&inv, &payer, &snapshot)?;
        let settings = self.billing_settings()?;
        let format = NumberFormat::parse(settings.format_for(date.year()))?;
        let due = date
            .checked_add((settings.payment_days as i64).days())
            .map_err(|_| Error::invalid("date", Problem::OutOfRange))?;
        self.ensure_series()?;
        let ctx = self.issue_context()?;
        self.store.write(|tx| {
            let number = tx.issue_invoice(id, date, due, &format, &snapshot, &payer)?;
            // The document as issued, in the same transaction (vault/issued_docs.rs).
            super::issued_docs::keep_issued_invoice(tx, id, &ctx)?;
            Ok(number)
        })
    }

    /// Cancels an issued invoice with a Storno of its own number, dated `date` (today by
    /// default; never before the original nor in the future), which states `reason` and, when
    /// the original had been paid, that the amount is refunded; with `redraft`, also a new draft
    /// of the same lines to correct.
    pub fn cancel_invoice(
        &mut self,
        number: &str,
        reason: &str,
        redraft: bool,
        date: Option<Date>,
    ) -> Result<Cancellation> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::invalid("reason", Problem::Required));
        }
        if reason.chars().count() > 500 {
            return Err(Error::invalid("reason", Problem::TooLong));
        }
        let orig = self.invoice_by_number(number)?;
        if orig.kind == InvoiceKind::Cancellation {
            return Err(Error::InvoiceState { reason: "is_cancellation" });
        }
        if orig.cancelled_by.is_some() {
            return Err(Error::InvoiceState { reason: "already_cancelled" });
        }
        if orig.write_off.is_some() {
            return Err(Error::InvoiceState { reason: "written_off" });
        }
        let (orig_number, orig_date) = match (&orig.number, orig.issue_date) {
            (Some(n), Some(d)) => (n.clone(), d),
            _ => return Err(Error::InvoiceState { reason: "draft" }),
        };
        let today = self.today()?;
        let date = not_in_future("date", date.unwrap_or(today), today)?;
        if date < orig_date {
            return Err(Error::InvoiceState { reason: "date_before_original" });
        }
        let paid = Balance::of_invoice(&orig, date).paid.ok_or(Error::AmountOverflow)?;
        let mut snapshot = self.snapshot_for(orig.client_id, Some((orig_number, orig_date)))?;
        snapshot.storno = Some(StornoFacts { reason: reason.to_string(), paid });
        let format = NumberFormat::parse(self.billing_settings()?.format_for(date.year()))?;
        let header = |kind, cancels| NewInvoice {
            client_id: orig.client_id,
            kind,
            period_from: orig.period_from,
            period_to: orig.period_to,
            language: orig.language,
            payer: orig.payer.clone(),
            share_bp: orig.share_bp,
            cancels,
        };
        let copy = |sign: i64| -> Result<Vec<LineInput>> {
            orig.lines
                .iter()
                .map(|l| Ok(LineInput { unit: l.input.unit.checked_mul(sign)?, ..l.input.clone() }))
                .collect()
        };
        let (negated, same) = (copy(-1)?, copy(1)?);
        self.ensure_series()?;
        let ctx = self.issue_context()?;
        self.store.write(|tx| {
            let id = InvoiceId::new();
            tx.insert_draft(id, &header(InvoiceKind::Cancellation, Some(orig.id)))?;
            tx.add_lines(id, &negated)?;
            let number = tx.issue_invoice(id, date, date, &format, &snapshot, &orig.payer)?;
            super::issued_docs::keep_issued_invoice(tx, id, &ctx)?;
            tx.journal_invoice(orig.id, "cancel")?;
            let redraft = if redraft {
                let new = InvoiceId::new();
                tx.insert_draft(new, &header(InvoiceKind::Invoice, None))?;
                tx.add_lines(new, &same)?;
                Some(new)
            } else {
                None
            };
            Ok(Cancellation { id, number, redraft })
        })
    }

    /// Records a payment (partial payments add up; a negative amount corrects an earlier one).
    pub fn record_payment(
        &mut self,
        number: &str,
        amount: Cents,
        date: Option<Date>,
        method: &str,
    ) -> Result<PaymentId> {
        amount.bounded("amount")?;
        let inv = self.invoice_by_number(number)?;
        let today = self.today()?;
        let balance = Balance::of_invoice(&inv, today);
        self.require_payable(&inv, &balance)?;
        if amount.is_zero() {
            return Err(Error::invalid("amount", Problem::OutOfRange));
        }
        // Only the payments need to add up: a payment still lands on an invoice whose fees are
        // out of range (a file from before fees were bounded).
        let paid = balance.paid.ok_or(Error::AmountOverflow)?;
        if paid.checked_add(amount)?.is_negative() {
            return Err(Error::invalid("amount", Problem::OutOfRange));
        }
        crate::domain::validate::line("method", method)?;
        let p = Payment {
            id: PaymentId::new(),
            invoice_id: inv.id,
            date: not_in_future("date", date.unwrap_or(today), today)?,
            amount,
            method: if method.trim().is_empty() { "transfer".into() } else { method.trim().into() },
            note: String::new(),
        };
        self.store.write(|tx| tx.insert_payment(&p))?;
        Ok(p.id)
    }

    fn require_payable(&self, inv: &Invoice, b: &Balance) -> Result<()> {
        use crate::billing::InvoiceStatus as S;
        match b.status {
            S::Draft => Err(Error::InvoiceState { reason: "draft" }),
            S::Cancelled => Err(Error::InvoiceState { reason: "cancelled" }),
            S::WrittenOff => Err(Error::InvoiceState { reason: "written_off" }),
            _ if inv.kind == InvoiceKind::Cancellation => Err(Error::InvoiceState { reason: "is_cancellation" }),
            _ => Ok(()),
        }
    }

    /// Writes off what is still owed (uncollectable), with a reason.
    pub fn write_off(&mut self, number: &str, reason: &str) -> Result<()> {
        crate::domain::validate::line("reason", reason)?;
        let inv = self.invoice_by_number(number)?;
        let today = self.today()?;
        let b = Balance::of_invoice(&inv, today);
        self.require_payable(&inv, &b)?;
        if !b.due_amount()?.is_positive() {
            return Err(Error::InvoiceState { reason: "settled" });
        }
        let w = WriteOff { id: WriteOffId::new(), invoice_id: inv.id, date: today, reason: reason.trim().into() };
        self.store.write(|tx| tx.insert_write_off(&w))
    }

    pub fn invoice(&self, id: InvoiceId) -> Result<Invoice> {
        self.store.read().invoice(id)
    }

    pub fn invoice_by_number(&self, number: &str) -> Result<Invoice> {
        self.store.read().invoice_by_number(number)
    }

    /// An invoice by number, or a draft by id (what the CLI's NUMBER arguments accept).
    pub(crate) fn find_invoice(&self, number_or_id: &str) -> Result<Invoice> {
        match number_or_id.parse::<InvoiceId>() {
            Ok(id) => self.invoice(id),
            Err(_) => self.invoice_by_number(number_or_id),
        }
    }

    pub fn invoices(&self, q: &InvoiceQuery) -> Result<Vec<InvoiceSummary>> {
        self.store.read().invoices(q, self.today()?)
    }

    pub fn balance(&self, inv: &Invoice) -> Result<Balance> {
        Ok(Balance::of_invoice(inv, self.today()?))
    }

    /// Writes the dunning letters that are due on `date` (default today): level 1 after the
    /// due date, 2 and 3 after each letter's own deadline.
    pub fn dunning_run(&mut self, date: Option<Date>) -> Result<Vec<Dunned>> {
        let now = self.today()?;
        // A letter is dated the day it is written: never a date still to come.
        let today = not_in_future("date", date.unwrap_or(now), now)?;
        let settings = self.billing_settings()?;
        let ids = self.store.read().overdue_invoice_ids(today)?;
        let mut letters = Vec::new();
        let mut out = Vec::new();
        for id in ids {
            let inv = self.invoice(id)?;
            let (Some(number), Some(due)) = (inv.number.clone(), inv.due_date) else { continue };
            let balance = Balance::of_invoice(&inv, today);
            if let Some((level, fee, deadline)) = next_letter(&balance, due, &inv.dunning, &settings, today)? {
                letters.push(DunningLetter {
                    id: DunningLetterId::new(),
                    invoice_id: id,
                    level,
                    date: today,
                    due_date: deadline,
                    fee,
                });
                out.push(Dunned { number, level, fee });
            }
        }
        let ctx = self.issue_context()?;
        self.store.write(|tx| {
            letters.iter().try_for_each(|l| {
                tx.insert_dunning_letter(l)?;
                super::issued_docs::keep_dunning_letter(tx, l, &ctx).map(|_| ())
            })
        })?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_shares_add_up() {
        assert_eq!(shares(Cents::new(9001), &[6000, 4000]).unwrap(), vec![Cents::new(5401), Cents::new(3600)]);
        assert_eq!(Cents::sum(shares(Cents::new(-9001), &[6000, 4000]).unwrap()).unwrap(), Cents::new(-9001));
        assert_eq!(shares(Cents::new(100), &[10_000]).unwrap(), vec![Cents::new(100)]);
        assert_eq!(month_range("2026-02").unwrap(), (jiff::civil::date(2026, 2, 1), jiff::civil::date(2026, 2, 28)));
        assert!(month_range("2026-13").is_err());
    }
}
