//! The billing part of a vault ([`Billing`], `vault.billing()`): settings, who pays, the
//! invoices and their balances; drafting (`billing/draft.rs`), issuing and cancelling
//! (`billing/issue.rs`), payments, write-offs and dunning (`billing/payments.rs`), the Austrian
//! cash-register check (`billing/cash.rs`). The rules are in `crate::billing`; each operation
//! here runs them and writes in one transaction. Printing is the documents part (`documents.rs`).

mod cash;
mod draft;
mod issue;
mod payments;

use std::ops::{Deref, DerefMut};

use jiff::civil::Date;

use crate::billing::{Balance, BillTo, BillingSettings, Invoice, InvoiceSummary};
use crate::domain::ids::{ClientId, InvoiceId};
use crate::domain::money::Cents;
use crate::domain::practice::{Country, Language};
use crate::error::{Error, Problem, Result};
use crate::store::InvoiceQuery;

use super::Vault;

use crate::domain::Field;
pub use cash::{CashCheck, CashLevel, RKSV_CASH, RKSV_TURNOVER};
// For the window's billing desk and month-end run (`vault/billing_desk.rs`, `vault/month_run.rs`).
pub(crate) use draft::{draft_client, DraftContext};
pub(crate) use issue::{payer_of, snapshot_of};

/// A vault's billing, borrowed from it: `vault.billing()` reads, `vault.billing_mut()` also
/// drafts, issues, cancels and records payments.
pub struct Billing<V> {
    pub(super) vault: V,
}

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
    let bad = || Error::invalid(Field::Month, Problem::BadDate);
    let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
    let first =
        jiff::civil::Date::new(y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?, 1).map_err(|_| bad())?;
    Ok((first, first.last_of_month()))
}

/// Refuses a date after `today` (an issue date, a payment, a dunning run, a Storno).
pub(crate) fn not_in_future(field: crate::domain::Field, d: Date, today: Date) -> Result<Date> {
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

impl<V: Deref<Target = Vault>> Billing<V> {
    pub fn billing_settings(&self) -> Result<BillingSettings> {
        self.vault.store.read().billing_settings()
    }

    /// Saves the billing settings. Once invoices exist, the number format changes only from a
    /// later numbering period on (`next_number_format` from `next_format_from`): a change in the
    /// middle of one would start a second series beside the first.
    pub fn update_billing_settings(&mut self, s: &BillingSettings) -> Result<()>
    where
        V: DerefMut,
    {
        s.validate()?;
        let current = self.billing_settings()?;
        if let Some(last) = self.vault.store.read().last_issue_date()? {
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
        self.vault.store.write(|tx| tx.put_billing_settings(s))
    }

    pub fn bill_to(&self, client: ClientId) -> Result<BillTo> {
        match self.vault.store.read().client_bill_to(client)? {
            Some(b) => Ok(b),
            None => Ok(BillTo::default_for(&self.vault.records().client(client)?)),
        }
    }

    /// Sets who pays for a client; checked against the client record (a guardian must exist).
    /// A payer's country must be one an invoice (and its e-invoice) can name: an ISO code or a
    /// country's name Tresor knows ("Deutschland", "AT"); empty means the practice's country.
    pub fn set_bill_to(&mut self, client: ClientId, b: &BillTo) -> Result<()>
    where
        V: DerefMut,
    {
        b.payers(&self.vault.records().client(client)?)?;
        let home = self.vault.records().practice()?.country;
        let parties = [(b.party.as_ref(), Field::BillTo), (b.split.as_ref().map(|s| &s.party), Field::SplitName)];
        for (party, name) in parties {
            if let Some(p) = party {
                crate::export::einvoice::country_code(&p.country, home).map_err(|_| {
                    Error::invalid(crate::domain::client::Party::field_of(name, Field::Country), Problem::UnknownValue)
                })?;
            }
        }
        self.vault.store.write(|tx| tx.put_client_bill_to(client, b))
    }

    pub fn invoice(&self, id: InvoiceId) -> Result<Invoice> {
        self.vault.store.read().invoice(id)
    }

    pub fn invoice_by_number(&self, number: &str) -> Result<Invoice> {
        self.vault.store.read().invoice_by_number(number)
    }

    /// An invoice by number, or a draft by id (what the CLI's NUMBER arguments accept).
    pub(crate) fn find_invoice(&self, number_or_id: &str) -> Result<Invoice> {
        match number_or_id.parse::<InvoiceId>() {
            Ok(id) => self.invoice(id),
            Err(_) => self.invoice_by_number(number_or_id),
        }
    }

    pub fn invoices(&self, q: &InvoiceQuery) -> Result<Vec<InvoiceSummary>> {
        self.vault.store.read().invoices(q, self.vault.records().today()?)
    }

    pub fn balance(&self, inv: &Invoice) -> Result<Balance> {
        Ok(Balance::of_invoice(inv, self.vault.records().today()?))
    }
}
