//! Issuing a draft (the next number of this computer's series, the document kept in the same
//! transaction) and cancelling an issued invoice with a Storno.

use std::ops::{Deref, DerefMut};

use jiff::civil::Date;
use jiff::ToSpan;

use crate::billing::rules;
use crate::billing::{
    Balance, ClientFacts, DocSnapshot, Invoice, InvoiceKind, Issuer, LineInput, NumberFormat, Payer, StornoFacts,
};
use crate::domain::ids::{ClientId, InvoiceId};
use crate::error::{Error, Problem, Result};
use crate::store::NewInvoice;

use super::{not_in_future, Billing, Cancellation};
use crate::domain::Field;
use crate::vault::Vault;

impl<V: Deref<Target = Vault>> Billing<V> {
    /// What an issued document prints besides its lines, as it is today: the practice, the
    /// client's facts (treatment method included) and the diagnosis setting.
    fn snapshot_for(&self, client: ClientId, cancels: Option<(String, Date)>) -> Result<DocSnapshot> {
        let records = self.vault.records();
        snapshot_of(&records.practice()?, &self.billing_settings()?, &records.client(client)?, cancels)
    }

    /// The recipient of a draft as the client's bill-to names it today: the same payer (by its
    /// slot) with its current address. A bill-to changed since the draft in who pays or in the
    /// shares cannot be issued: the draft's amounts were split for the old one. A payer chosen on
    /// the draft (`Payer::chosen`) stays that role, with its address as the record has it now.
    fn payer_at_issue(&self, inv: &Invoice) -> Result<Payer> {
        payer_of(inv, &self.vault.records().client(inv.client_id)?, &self.bill_to(inv.client_id)?)
    }

    /// What the law asks of an invoice before it gets a number (`rules::check_issue`).
    fn check_issuable(&self, inv: &Invoice, payer: &Payer, snapshot: &DocSnapshot) -> Result<()> {
        let p = self.vault.records().practice()?;
        rules::check_issue(&p, inv, payer, &snapshot.issuer.vat_id, snapshot.client.fee_agreement_date)
    }

    /// Issues a draft with the next number of this device's series (gapless, in the same
    /// transaction). The recipient and the client's facts are taken now, at issue, so an
    /// address changed since the draft is the one printed; everything the law asks of the
    /// invoice is checked first, and a refusal changes nothing. The issue date is today or
    /// earlier. After this the invoice can never change. Returns the number.
    pub fn issue_invoice(&mut self, id: InvoiceId, issue_date: Option<Date>) -> Result<String>
    where
        V: DerefMut,
    {
        let inv = self.invoice(id)?;
        inv.require_draft()?;
        let today = self.vault.records().today()?;
        let date = not_in_future(Field::Date, issue_date.unwrap_or(today), today)?;
        let snapshot = self.snapshot_for(inv.client_id, None)?;
        let payer = self.payer_at_issue(&inv)?;
        self.check_issuable(&inv, &payer, &snapshot)?;
        let settings = self.billing_settings()?;
        let format = NumberFormat::parse(settings.format_for(date.year()))?;
        let due = date
            .checked_add((settings.payment_days as i64).days())
            .map_err(|_| Error::invalid(Field::Date, Problem::OutOfRange))?;
        self.vault.ensure_series()?;
        let ctx = self.vault.documents().issue_context()?;
        self.vault.store.write(|tx| {
            let number = tx.issue_invoice(id, date, due, &format, &snapshot, &payer)?;
            // The document as issued, in the same transaction (vault/documents/issued.rs).
            crate::vault::documents::issued::keep_issued_invoice(tx, id, &ctx)?;
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
    ) -> Result<Cancellation>
    where
        V: DerefMut,
    {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::invalid(Field::Reason, Problem::Required));
        }
        if reason.chars().count() > 500 {
            return Err(Error::invalid(Field::Reason, Problem::TooLong));
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
        let today = self.vault.records().today()?;
        let date = not_in_future(Field::Date, date.unwrap_or(today), today)?;
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
            // The Storno prints its own sentence; a redraft starts with the original's texts.
            texts: orig.texts.clone(),
        };
        let copy = |sign: i64| -> Result<Vec<LineInput>> {
            orig.lines
                .iter()
                .map(|l| Ok(LineInput { unit: l.input.unit.checked_mul(sign)?, ..l.input.clone() }))
                .collect()
        };
        let (negated, same) = (copy(-1)?, copy(1)?);
        self.vault.ensure_series()?;
        let ctx = self.vault.documents().issue_context()?;
        self.vault.store.write(|tx| {
            let id = InvoiceId::new();
            tx.insert_draft(id, &header(InvoiceKind::Cancellation, Some(orig.id)))?;
            tx.add_lines(id, &negated)?;
            let number = tx.issue_invoice(id, date, date, &format, &snapshot, &orig.payer)?;
            crate::vault::documents::issued::keep_issued_invoice(tx, id, &ctx)?;
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
}

/// What an issued document prints besides its lines, as it is today: the practice, the
/// client's facts (treatment method included) and the diagnosis setting.
pub(crate) fn snapshot_of(
    practice: &crate::domain::practice::Practice,
    settings: &crate::billing::BillingSettings,
    client: &crate::domain::client::Client,
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
/// shares cannot be issued: the draft's amounts were split for the old one. A payer chosen on
/// the draft (`Payer::chosen`) stays that role, with its address as the record has it now.
pub(crate) fn payer_of(
    inv: &Invoice,
    client: &crate::domain::client::Client,
    bill_to: &crate::billing::BillTo,
) -> Result<Payer> {
    if inv.payer.chosen && inv.share_bp == 10_000 {
        return bill_to.payer_as(client, inv.payer.role);
    }
    bill_to
        .payers(client)?
        .into_iter()
        .find(|(p, share)| p.slot == inv.payer.slot && *share == inv.share_bp && p.role == inv.payer.role)
        .map(|(p, _)| p)
        .ok_or(Error::InvoiceState { reason: "payer_changed" })
}
