//! Payments, write-offs and the dunning run.

use std::ops::{Deref, DerefMut};

use jiff::civil::Date;

use crate::billing::dunning::next_letter;
use crate::billing::{Balance, DunningLetter, Invoice, InvoiceKind, Payment, WriteOff};
use crate::domain::ids::{DunningLetterId, PaymentId, WriteOffId};
use crate::domain::money::Cents;
use crate::error::{Error, Problem, Result};

use super::{not_in_future, Billing, Dunned};
use crate::domain::Field;
use crate::vault::Vault;

impl<V: Deref<Target = Vault>> Billing<V> {
    /// Records a payment (partial payments add up; a negative amount corrects an earlier one).
    pub fn record_payment(&mut self, number: &str, amount: Cents, date: Option<Date>, method: &str) -> Result<PaymentId>
    where
        V: DerefMut,
    {
        amount.bounded(Field::Amount)?;
        let inv = self.invoice_by_number(number)?;
        let today = self.vault.records().today()?;
        let balance = Balance::of_invoice(&inv, today);
        self.require_payable(&inv, &balance)?;
        if amount.is_zero() {
            return Err(Error::invalid(Field::Amount, Problem::OutOfRange));
        }
        // Only the payments need to add up: a payment still lands on an invoice whose fees are
        // out of range (a file from before fees were bounded).
        let paid = balance.paid.ok_or(Error::AmountOverflow)?;
        if paid.checked_add(amount)?.is_negative() {
            return Err(Error::invalid(Field::Amount, Problem::OutOfRange));
        }
        crate::domain::validate::line(Field::Method, method)?;
        let p = Payment {
            id: PaymentId::new(),
            invoice_id: inv.id,
            date: not_in_future(Field::Date, date.unwrap_or(today), today)?,
            amount,
            method: if method.trim().is_empty() { "transfer".into() } else { method.trim().into() },
            note: String::new(),
        };
        self.vault.store.write(|tx| tx.insert_payment(&p))?;
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
    pub fn write_off(&mut self, number: &str, reason: &str) -> Result<()>
    where
        V: DerefMut,
    {
        crate::domain::validate::line(Field::Reason, reason)?;
        let inv = self.invoice_by_number(number)?;
        let today = self.vault.records().today()?;
        let b = Balance::of_invoice(&inv, today);
        self.require_payable(&inv, &b)?;
        if !b.due_amount()?.is_positive() {
            return Err(Error::InvoiceState { reason: "settled" });
        }
        let w = WriteOff { id: WriteOffId::new(), invoice_id: inv.id, date: today, reason: reason.trim().into() };
        self.vault.store.write(|tx| tx.insert_write_off(&w))
    }

    /// Writes the dunning letters that are due on `date` (default today): level 1 after the
    /// due date, 2 and 3 after each letter's own deadline.
    pub fn dunning_run(&mut self, date: Option<Date>) -> Result<Vec<Dunned>>
    where
        V: DerefMut,
    {
        let now = self.vault.records().today()?;
        // A letter is dated the day it is written: never a date still to come.
        let today = not_in_future(Field::Date, date.unwrap_or(now), now)?;
        let settings = self.billing_settings()?;
        let ids = self.vault.store.read().overdue_invoice_ids(today)?;
        let mut letters = Vec::new();
        let mut out = Vec::new();
        for (id, _) in ids {
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
        let ctx = self.vault.documents().issue_context()?;
        self.vault.store.write(|tx| {
            letters.iter().try_for_each(|l| {
                tx.insert_dunning_letter(l)?;
                crate::vault::documents::issued::keep_dunning_letter(tx, l, &ctx).map(|_| ())
            })
        })?;
        Ok(out)
    }
}
