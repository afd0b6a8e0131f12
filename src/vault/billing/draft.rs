//! Drafting: a client's bill from unbilled sessions and missed appointments (one draft per
//! payer), the month-end run, and changing a draft's lines.

use std::ops::{Deref, DerefMut};

use std::collections::HashMap;

use jiff::civil::Date;
use jiff::ToSpan;

use crate::billing::{fees, rules};
use crate::billing::{BillTo, BillingSettings, InvoiceKind, InvoiceTexts, LineInput, LineKind, PayerRole};
use crate::domain::ids::{ClientId, InvoiceId, InvoiceLineId, ServiceId};
use crate::domain::money::Cents;
use crate::domain::practice::{Language, Practice};
use crate::domain::service::{Multiplier, Service, ServiceFee};
use crate::domain::session::Setting;
use crate::error::{Error, Problem, Result};
use crate::store::{NewInvoice, Tx};

use super::{month_range, unit_word, Billing, MonthRun};
use crate::domain::Field;
use crate::vault::Vault;

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

/// Everything drafting needs that does not change between clients of one run.
pub(crate) struct DraftContext {
    pub(crate) practice: Practice,
    pub(crate) settings: BillingSettings,
    services: HashMap<ServiceId, Service>,
}

impl DraftContext {
    fn service(&self, id: Option<ServiceId>) -> Option<&Service> {
        id.and_then(|s| self.services.get(&s))
    }
}

/// Drafts the bill(s) of one client in `tx`: one invoice per payer, lines for unbilled sessions
/// and missed appointments in `[from, to]`. Returns no ids when there is nothing to bill.
pub(crate) fn draft_client(
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
    let bad = |_| Error::invalid(Field::Date, Problem::OutOfRange);
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
                texts: InvoiceTexts::from_settings(&ctx.settings),
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

impl<V: Deref<Target = Vault>> Billing<V> {
    pub(crate) fn draft_context(&self) -> Result<DraftContext> {
        let services = self.vault.records().services()?.into_iter().map(|s| (s.id, s)).collect();
        Ok(DraftContext { practice: self.vault.records().practice()?, settings: self.billing_settings()?, services })
    }

    /// Drafts a client's bill from their unbilled sessions (and missed appointments) in the
    /// range, all of them by default: one draft per payer.
    pub fn draft_invoice(&mut self, client: ClientId, from: Option<Date>, to: Option<Date>) -> Result<Vec<InvoiceId>>
    where
        V: DerefMut,
    {
        self.vault.retention().ensure_open(client)?;
        let ctx = self.draft_context()?;
        let from = from.unwrap_or(jiff::civil::date(1900, 1, 1));
        let to = match to {
            Some(t) => t,
            None => self.vault.records().today()?,
        };
        if from > to {
            return Err(Error::invalid(Field::From, Problem::OutOfRange));
        }
        let ids = self.vault.store.write(|tx| draft_client(tx, &ctx, client, from, to))?;
        if ids.is_empty() {
            return Err(Error::NothingToBill);
        }
        Ok(ids)
    }

    /// The month-end run: one draft per client (and payer) with unbilled work in `month`
    /// (`YYYY-MM`). A client whose bill cannot be drafted is skipped and reported.
    pub fn draft_month(&mut self, month: &str) -> Result<MonthRun>
    where
        V: DerefMut,
    {
        let (from, to) = month_range(month)?;
        let ctx = self.draft_context()?;
        let tz = ctx.practice.tz()?;
        let bad = |_| Error::invalid(Field::Month, Problem::OutOfRange);
        let from_utc = from.to_zoned(tz.clone()).map_err(bad)?.timestamp().as_second();
        let to_utc = to.checked_add(1.day()).map_err(bad)?.to_zoned(tz).map_err(bad)?.timestamp().as_second();
        let clients = self.vault.store.read().clients_with_unbilled(from, to, from_utc, to_utc)?;
        self.vault.store.write(|tx| {
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
    pub fn add_invoice_line(&mut self, invoice: InvoiceId, mut line: LineInput) -> Result<InvoiceLineId>
    where
        V: DerefMut,
    {
        let p = self.vault.records().practice()?;
        rules::check_tax_mode(p.country, p.small_business, line.tax)?;
        rules::check_fee_schedule(p.country, line.fee.schedule)?;
        if line.fee.schedule.has_points() {
            line.unit = fees::fee(line.fee.points, line.fee.multiplier)?;
            fees::check_line(
                &line.fee,
                &line.fee_reason,
                self.vault.records().client(self.invoice(invoice)?.client_id)?.data.fee_agreement_date,
                line.date,
            )?;
        }
        line.validate()?;
        let ids = self.vault.store.write(|tx| tx.add_lines(invoice, std::slice::from_ref(&line)))?;
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
    ) -> Result<()>
    where
        V: DerefMut,
    {
        let inv = self.invoice(invoice)?;
        inv.require_draft()?;
        if inv.share_bp < 10_000 {
            return Err(Error::InvoiceState { reason: "split_bill" });
        }
        let l = inv.lines.iter().find(|l| l.id == line).ok_or_else(|| Error::not_found(InvoiceLineId::ENTITY, line))?;
        if !l.input.fee.schedule.has_points() {
            return Err(Error::invalid(Field::FeeMultiplier, Problem::NotAllowed));
        }
        let agreement = self.vault.records().client(inv.client_id)?.data.fee_agreement_date;
        let fee = ServiceFee { multiplier, ..l.input.fee.clone() };
        fees::check_line(&fee, reason, agreement, l.input.date)?;
        let unit = fees::fee(fee.points, multiplier)?;
        let changed = LineInput { fee, fee_reason: reason.trim().to_string(), unit, ..l.input.clone() };
        self.vault.store.write(|tx| tx.update_line_fee(invoice, line, &changed))
    }

    /// Changes who a draft goes to: the client, their guardian, their insurer or another payer
    /// from the client record. Refused once issued (`invoice.immutable`) and for a share of a
    /// split bill, whose amount was split for its payer.
    pub fn set_draft_payer(&mut self, invoice: InvoiceId, role: PayerRole) -> Result<()>
    where
        V: DerefMut,
    {
        let inv = self.invoice(invoice)?;
        if !inv.is_draft() {
            return Err(Error::Immutable { entity: "invoice", reason: "issued" });
        }
        if inv.share_bp != 10_000 {
            return Err(Error::invalid(Field::Payer, Problem::NotAllowed));
        }
        let client = self.vault.records().client(inv.client_id)?;
        let payer = self.bill_to(inv.client_id)?.payer_as(&client, role)?;
        self.vault.store.write(|tx| tx.set_draft_payer(invoice, &payer))
    }

    /// Changes a draft's texts above and below its lines; refused once issued.
    pub fn set_invoice_texts(&mut self, invoice: InvoiceId, texts: &InvoiceTexts) -> Result<()>
    where
        V: DerefMut,
    {
        let texts = InvoiceTexts { intro: texts.intro.trim().to_string(), closing: texts.closing.trim().to_string() };
        self.vault.store.write(|tx| tx.set_invoice_texts(invoice, &texts))
    }

    pub fn remove_invoice_line(&mut self, invoice: InvoiceId, line: InvoiceLineId) -> Result<()>
    where
        V: DerefMut,
    {
        self.vault.store.write(|tx| tx.remove_line(invoice, line))
    }

    pub fn delete_draft(&mut self, invoice: InvoiceId) -> Result<()>
    where
        V: DerefMut,
    {
        self.vault.store.write(|tx| tx.delete_draft(invoice))
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
