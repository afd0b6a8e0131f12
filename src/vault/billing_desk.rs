//! The window's billing desk: the invoice list filtered, sorted, summed and paged by the core
//! (the window never adds up money), the unbilled work per client, one invoice as its page
//! shows it, and the next dunning letter of one invoice.

use crate::domain::Field;
use std::sync::Arc;

use jiff::civil::Date;

use crate::billing::dunning::next_letter;
use crate::billing::{Balance, DunningLetter, InvoiceKind, InvoiceStatus, InvoiceSummary, InvoiceTexts, PayerRole};
use crate::domain::ids::{ClientId, DunningLetterId, InvoiceId, InvoiceLineId, PaymentId};
use crate::domain::money::Cents;
use crate::error::{Error, Result};
use crate::store::{sum_known, ClientPayment, InvoiceQuery, SideReader, UnbilledClient};

use super::billing::{not_in_future, Dunned};
use std::ops::{Deref, DerefMut};

use super::list_memory::{read_rows, ListAhead, Stamp};
use super::{Billing, Vault};

/// Which invoices the list shows.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceFilter {
    #[default]
    All,
    Drafts,
    /// Issued, live and not settled (overdue ones included).
    Open,
    Overdue,
    Paid,
    /// Cancelled invoices and the Stornos that cancel them.
    Cancelled,
    WrittenOff,
}

impl InvoiceFilter {
    pub const ALL: [InvoiceFilter; 7] = [
        InvoiceFilter::All,
        InvoiceFilter::Drafts,
        InvoiceFilter::Open,
        InvoiceFilter::Overdue,
        InvoiceFilter::Paid,
        InvoiceFilter::Cancelled,
        InvoiceFilter::WrittenOff,
    ];

    fn admits(self, s: &InvoiceSummary) -> bool {
        use InvoiceStatus as S;
        let storno = s.kind == InvoiceKind::Cancellation;
        match self {
            InvoiceFilter::All => true,
            InvoiceFilter::Drafts => s.balance.status == S::Draft,
            InvoiceFilter::Open => !storno && matches!(s.balance.status, S::Open | S::PartlyPaid),
            InvoiceFilter::Overdue => !storno && s.balance.overdue,
            InvoiceFilter::Paid => !storno && s.balance.status == S::Paid,
            InvoiceFilter::Cancelled => storno || s.balance.status == S::Cancelled,
            InvoiceFilter::WrittenOff => s.balance.status == S::WrittenOff,
        }
    }
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceSort {
    /// Drafts first, then the newest number (the core's list order).
    #[default]
    Number,
    IssueDate,
    DueDate,
    Client,
    Amount,
    Due,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct InvoiceListQuery {
    #[serde(default)]
    pub filter: InvoiceFilter,
    /// Part of a number, a client's or recipient's name, or an amount as typed ("90", "1.234,56").
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub sort: InvoiceSort,
    /// Reverses the sort.
    #[serde(default)]
    pub reverse: bool,
    #[serde(default)]
    pub client: Option<ClientId>,
    pub offset: u32,
    pub limit: u32,
}

/// A row of the invoice list: the summary and the client's name.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InvoiceRow {
    pub invoice: InvoiceSummary,
    pub client_name: String,
}

/// How many invoices each filter holds (for the text typed).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FilterCount {
    pub filter: InvoiceFilter,
    pub count: u32,
}

/// One page of the list, the number of rows in all, their sums and each filter's count.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InvoiceList {
    pub items: Vec<InvoiceRow>,
    pub total: u32,
    /// The gross amounts of all rows the filter admits (Stornos count negative); `None` when
    /// they cannot be added up within range.
    pub gross: Option<Cents>,
    /// What is still owed on them.
    pub due: Option<Cents>,
    pub counts: Vec<FilterCount>,
}

/// A client's billing at a glance: the open amount, payments, unbilled sessions.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClientBilling {
    pub open: Option<Cents>,
    pub payments: Vec<ClientPayment>,
    pub unbilled: Option<UnbilledClient>,
}

/// One line of an invoice as its page lists it.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LineView {
    pub id: InvoiceLineId,
    pub kind: String,
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub date: Option<Date>,
    pub description: String,
    pub minutes: Option<u32>,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub quantity: i64,
    pub unit: Cents,
    pub amount: Cents,
    /// A GOÄ or analog item: its number and multiplier as the practice writes it ("2,3").
    pub fee_number: Option<String>,
    pub multiplier: Option<String>,
    pub fee_reason: String,
    /// Whether the multiplier can be changed here (a draft, not a split bill, a points item).
    pub multiplier_editable: bool,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PaymentView {
    pub id: PaymentId,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub date: Date,
    pub amount: Cents,
    pub method: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LetterView {
    pub id: DunningLetterId,
    pub level: u8,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub date: Date,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub due_date: Date,
    pub fee: Cents,
}

/// What can be done with the invoice now (the core's rules, so the page offers no button the
/// core would refuse).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct InvoiceActions {
    pub edit: bool,
    pub issue: bool,
    pub pay: bool,
    pub write_off: bool,
    pub cancel: bool,
    /// The level of the dunning letter due today, if one is.
    pub dun: Option<u8>,
    pub honorarnote: bool,
}

/// A payer a draft can be sent to, with the name the invoice would print.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PayerChoice {
    /// client, guardian, insurer or other.
    pub role: String,
    pub name: String,
}

/// One invoice as its page shows it.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InvoiceView {
    pub id: InvoiceId,
    pub client_id: ClientId,
    pub client_name: String,
    pub kind: InvoiceKind,
    pub number: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub issue_date: Option<Date>,
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub due_date: Option<Date>,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub period_from: Date,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub period_to: Date,
    pub payer_name: String,
    /// client, guardian, insurer or other.
    pub payer_role: String,
    /// Who else this draft can go to (the client record's payers, the current one included);
    /// empty once issued and for a share of a split bill.
    pub payer_choices: Vec<PayerChoice>,
    pub lines: Vec<LineView>,
    pub net: Cents,
    pub tax: Cents,
    pub gross: Cents,
    pub balance: Balance,
    pub payments: Vec<PaymentView>,
    pub letters: Vec<LetterView>,
    pub write_off_reason: Option<String>,
    /// The Storno that cancels this invoice, or the invoice this Storno cancels.
    pub cancelled_by: Option<String>,
    pub cancels: Option<String>,
    /// The texts above and below the lines (a draft's can be changed).
    pub texts: InvoiceTexts,
    pub actions: InvoiceActions,
}

pub(crate) fn role_name(r: PayerRole) -> &'static str {
    match r {
        PayerRole::Client => "client",
        PayerRole::Guardian => "guardian",
        PayerRole::Insurer => "insurer",
        PayerRole::Other => "other",
    }
}

fn matches_text(row: &InvoiceRow, needle: &str, amount: Option<Cents>) -> bool {
    if needle.is_empty() {
        return true;
    }
    let s = &row.invoice;
    let hit = |h: &str| h.to_lowercase().contains(needle);
    s.number.as_deref().is_some_and(hit)
        || hit(&row.client_name)
        || hit(&s.recipient)
        || amount.is_some_and(|a| s.gross == a || s.balance.due == Some(a))
}

fn sort_rows(rows: &mut [&InvoiceRow], sort: InvoiceSort) {
    match sort {
        // The core's list comes in this order already.
        InvoiceSort::Number => {}
        InvoiceSort::IssueDate => rows.sort_by_key(|r| std::cmp::Reverse(r.invoice.issue_date)),
        InvoiceSort::DueDate => rows.sort_by_key(|r| r.invoice.due_date.unwrap_or(Date::MAX)),
        InvoiceSort::Client => rows.sort_by_cached_key(|r| r.client_name.to_lowercase()),
        InvoiceSort::Amount => rows.sort_by_key(|r| std::cmp::Reverse(r.invoice.gross)),
        InvoiceSort::Due => rows.sort_by_key(|r| std::cmp::Reverse(r.invoice.balance.due)),
    }
}

impl<V: Deref<Target = Vault>> Billing<V> {
    fn list_stamp(&self) -> Result<Stamp> {
        Ok(Stamp { changes: self.vault.store.changes(), today: self.vault.records().today()? })
    }

    fn list_rows(&self, stamp: Stamp) -> Result<Arc<Vec<InvoiceRow>>> {
        self.vault.list.rows(stamp, || read_rows(self.vault.store.read(), stamp.today))
    }

    /// The invoice list's rows to be read on another thread, on a connection of their own, so
    /// that the list's first opening finds them read; `None` when they are read already.
    pub fn read_list_ahead(&self) -> Result<Option<ListAhead>> {
        let stamp = self.list_stamp()?;
        if self.vault.list.has(stamp) {
            return Ok(None);
        }
        let side = SideReader::open(&self.vault.work.database(), &self.vault.key)?;
        Ok(self.vault.list.ahead(stamp, side))
    }

    /// Whether the invoice list's rows are read for the present state and day.
    pub fn invoice_list_ready(&self) -> Result<bool> {
        Ok(self.vault.list.ready(self.list_stamp()?))
    }

    /// Drops the list's rows (on lock they go with the vault anyway).
    pub fn forget_invoice_list(&self) {
        self.vault.list.forget();
    }

    /// One page of the invoice list with the count, sums and filter counts of the whole.
    pub fn invoice_list(&self, q: &InvoiceListQuery) -> Result<InvoiceList> {
        let rows = self.list_rows(self.list_stamp()?)?;
        let needle = q.text.trim().to_lowercase();
        let amount = if needle.chars().any(|c| c.is_ascii_digit()) { Cents::parse_amount(&needle).ok() } else { None };
        let matching: Vec<&InvoiceRow> = rows
            .iter()
            .filter(|r| q.client.is_none_or(|c| r.invoice.client_id == c))
            .filter(|r| matches_text(r, &needle, amount))
            .collect();
        let counts = InvoiceFilter::ALL
            .iter()
            .map(|f| FilterCount { filter: *f, count: matching.iter().filter(|r| f.admits(&r.invoice)).count() as u32 })
            .collect();
        let mut shown: Vec<&InvoiceRow> = matching.into_iter().filter(|r| q.filter.admits(&r.invoice)).collect();
        sort_rows(&mut shown, q.sort);
        if q.reverse {
            shown.reverse();
        }
        let gross = sum_known(shown.iter().map(|r| Some(r.invoice.gross)));
        let due = sum_known(shown.iter().map(|r| r.invoice.balance.due));
        let items =
            shown.iter().skip(q.offset as usize).take(q.limit.min(500) as usize).map(|r| (*r).clone()).collect();
        Ok(InvoiceList { items, total: shown.len() as u32, gross, due, counts })
    }

    /// Invoices for the global search (Ctrl/Cmd+K): by number, client or recipient name, or an
    /// amount as typed; the newest numbers first. Nothing for empty text.
    pub fn search_invoices(&self, text: &str, limit: u32) -> Result<Vec<InvoiceRow>> {
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        let q = InvoiceListQuery { text: text.to_string(), limit: limit.clamp(1, 50), ..Default::default() };
        Ok(self.invoice_list(&q)?.items)
    }

    /// Unbilled sessions grouped by client, with their fees summed.
    pub fn unbilled_by_client(&self) -> Result<Vec<UnbilledClient>> {
        self.vault.store.read().unbilled_by_client(None)
    }

    /// What a client still owes on their issued invoices today.
    pub fn client_open_amount(&self, client: ClientId) -> Result<Option<Cents>> {
        let q = InvoiceQuery { client: Some(client), issued: true, ..Default::default() };
        let list = self.invoices(&q)?;
        Ok(sum_known(list.iter().filter(|s| s.kind == InvoiceKind::Invoice).map(|s| s.balance.due)))
    }

    /// What the client page shows of billing: what is owed, and the payments received.
    pub fn client_billing(&self, client: ClientId) -> Result<ClientBilling> {
        Ok(ClientBilling {
            open: self.client_open_amount(client)?,
            payments: self.vault.store.read().client_payments(client)?,
            unbilled: self.vault.store.read().unbilled_by_client(Some(client))?.into_iter().next(),
        })
    }

    /// One invoice (a draft by id, an issued one by id as well) as its page shows it.
    pub fn invoice_view(&self, id: InvoiceId) -> Result<InvoiceView> {
        let inv = self.invoice(id)?;
        let today = self.vault.records().today()?;
        let balance = Balance::of_invoice(&inv, today);
        let client_name = match &inv.snapshot {
            Some(s) => s.client.name.clone(),
            None => self.vault.records().client(inv.client_id)?.display_name(),
        };
        let cancels = match inv.cancels {
            Some(c) => self.invoice(c)?.number,
            None => None,
        };
        let payable = inv.kind == InvoiceKind::Invoice
            && matches!(balance.status, InvoiceStatus::Open | InvoiceStatus::PartlyPaid | InvoiceStatus::Paid);
        let owed = balance.due.is_some_and(|d| d.is_positive());
        let dun = match (inv.due_date, payable) {
            (Some(due), true) => {
                next_letter(&balance, due, &inv.dunning, &self.billing_settings()?, today)?.map(|(l, _, _)| l)
            }
            _ => None,
        };
        let live = inv.kind == InvoiceKind::Invoice && inv.cancelled_by.is_none();
        let payer_choices = if inv.is_draft() && inv.share_bp == 10_000 {
            let client = self.vault.records().client(inv.client_id)?;
            let choices = self.bill_to(inv.client_id)?.choices(&client);
            choices.into_iter().map(|(r, name)| PayerChoice { role: role_name(r).into(), name }).collect()
        } else {
            Vec::new()
        };
        let decimal = match self.vault.records().practice()?.language {
            crate::domain::practice::Language::De => ',',
            crate::domain::practice::Language::En => '.',
        };
        let actions = InvoiceActions {
            edit: inv.is_draft(),
            issue: inv.is_draft(),
            pay: payable && owed,
            write_off: payable && owed,
            cancel: !inv.is_draft() && live && inv.write_off.is_none(),
            dun,
            honorarnote: live && inv.payer.slot == 0,
        };
        Ok(InvoiceView {
            id: inv.id,
            client_id: inv.client_id,
            client_name,
            kind: inv.kind,
            number: inv.number.clone(),
            issue_date: inv.issue_date,
            due_date: inv.due_date,
            period_from: inv.period_from,
            period_to: inv.period_to,
            payer_name: inv.payer.party.name.clone(),
            payer_role: role_name(inv.payer.role).into(),
            payer_choices,
            lines: inv
                .lines
                .iter()
                .map(|l| LineView {
                    id: l.id,
                    kind: l.input.kind.as_str().into(),
                    date: l.input.date,
                    description: l.input.description.clone(),
                    minutes: l.input.minutes,
                    quantity: l.input.quantity,
                    unit: l.input.unit,
                    amount: l.amount,
                    fee_number: l.input.fee.schedule.has_points().then(|| l.input.fee.number.clone()),
                    multiplier: l.input.fee.schedule.has_points().then(|| l.input.fee.multiplier.label(decimal)),
                    fee_reason: l.input.fee_reason.clone(),
                    multiplier_editable: inv.is_draft() && inv.share_bp == 10_000 && l.input.fee.schedule.has_points(),
                })
                .collect(),
            net: inv.totals.net,
            tax: inv.totals.tax,
            gross: inv.totals.gross,
            balance,
            payments: inv
                .payments
                .iter()
                .map(|p| PaymentView { id: p.id, date: p.date, amount: p.amount, method: p.method.clone() })
                .collect(),
            letters: inv.dunning.iter().map(letter_view).collect(),
            write_off_reason: inv.write_off.as_ref().map(|w| w.reason.clone()),
            cancelled_by: inv.cancelled_by.as_ref().map(|(_, n)| n.clone()),
            cancels,
            texts: inv.texts.clone(),
            actions,
        })
    }

    /// Writes the next dunning letter of one invoice, when one is due on `date` (default
    /// today), and keeps it as written; refused with `invoice.wrong_state` (`no_letter_due`)
    /// otherwise.
    pub fn dun_invoice(&mut self, number: &str, date: Option<Date>) -> Result<Dunned>
    where
        V: DerefMut,
    {
        let now = self.vault.records().today()?;
        let today = not_in_future(Field::Date, date.unwrap_or(now), now)?;
        let inv = self.invoice_by_number(number)?;
        let due = inv.due_date.ok_or(Error::InvoiceState { reason: "draft" })?;
        if inv.kind != InvoiceKind::Invoice {
            return Err(Error::InvoiceState { reason: "is_cancellation" });
        }
        let balance = Balance::of_invoice(&inv, today);
        let (level, fee, deadline) = next_letter(&balance, due, &inv.dunning, &self.billing_settings()?, today)?
            .ok_or(Error::InvoiceState { reason: "no_letter_due" })?;
        let letter = DunningLetter {
            id: DunningLetterId::new(),
            invoice_id: inv.id,
            level,
            date: today,
            due_date: deadline,
            fee,
        };
        let ctx = self.vault.documents().issue_context()?;
        self.vault.store.write(|tx| {
            tx.insert_dunning_letter(&letter)?;
            super::documents::issued::keep_dunning_letter(tx, &letter, &ctx).map(|_| ())
        })?;
        Ok(Dunned { number: number.to_string(), level, fee })
    }
}

fn letter_view(l: &DunningLetter) -> LetterView {
    LetterView { id: l.id, level: l.level, date: l.date, due_date: l.due_date, fee: l.fee }
}
