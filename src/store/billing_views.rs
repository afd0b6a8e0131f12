//! Reads for the window's billing desk: unbilled work summed per client, the client names the
//! invoice list searches, and a rolled-back transaction for the month-end run's preview.

use std::collections::HashMap;

use crate::domain::ids::ClientId;
use crate::domain::money::Cents;
use crate::error::Result;

use super::rows;
use super::{Reader, Store, Tx};

/// One client's unbilled sessions (live, on no live invoice), summed.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnbilledClient {
    pub client_id: ClientId,
    pub name: String,
    pub sessions: u32,
    /// The sessions' fees; `None` when the stored fees cannot be added up within range.
    pub total: Option<Cents>,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub first: jiff::civil::Date,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub last: jiff::civil::Date,
}

/// A payment received, with the number of the invoice it paid (a client's timeline).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClientPayment {
    pub id: crate::domain::ids::PaymentId,
    pub invoice_id: crate::domain::ids::InvoiceId,
    pub number: String,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub date: jiff::civil::Date,
    pub amount: Cents,
    pub method: String,
}

impl Reader<'_> {
    /// A client's payments, newest first.
    pub fn client_payments(&self, client: ClientId) -> Result<Vec<ClientPayment>> {
        let mut st = self.conn.prepare_cached(
            "SELECT p.id, p.invoice_id, coalesce(i.number, ''), p.date, p.amount_cents, p.method
             FROM payments p JOIN invoices i ON i.id = p.invoice_id
             WHERE i.client_id = ?1 AND i.deleted = 0
             ORDER BY p.date DESC, p.created_hlc DESC",
        )?;
        let out = st.query_map([client.to_string()], |r| {
            Ok(ClientPayment {
                id: rows::parse(r, 0, "payment id")?,
                invoice_id: rows::parse(r, 1, "invoice id")?,
                number: r.get(2)?,
                date: rows::parse(r, 3, "date")?,
                amount: Cents::new(r.get(4)?),
                method: r.get(5)?,
            })
        })?;
        Ok(out.collect::<rusqlite::Result<_>>()?)
    }

    /// Unbilled sessions grouped by client (or of one client), the oldest unbilled work first.
    pub fn unbilled_by_client(&self, client: Option<ClientId>) -> Result<Vec<UnbilledClient>> {
        // Written out rather than `(?1 IS NULL OR …)`, which keeps the planner off the index.
        let one = if client.is_some() { "s.client_id = ?1" } else { "?1 IS NULL" };
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT s.client_id, c.given_name || ' ' || c.family_name, count(*), {}, {}, min(s.date), max(s.date)
             FROM sessions s JOIN clients c ON c.id = s.client_id AND c.deleted = 0 AND c.restricted_since IS NULL
             WHERE s.deleted = 0 AND {one}
               AND NOT EXISTS (SELECT 1 FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
                               WHERE l.session_id = s.id AND l.deleted = 0 AND i.deleted = 0
                                 AND i.kind = 'invoice'
                                 AND NOT EXISTS (SELECT 1 FROM invoices x WHERE x.cancels = i.id))
             GROUP BY s.client_id ORDER BY min(s.date), c.sort_key",
            rows::sum_high("s.fee_cents"),
            rows::sum_low("s.fee_cents"),
        ))?;
        let out = st.query_map([client.map(|c| c.to_string())], |r| {
            Ok(UnbilledClient {
                client_id: rows::parse(r, 0, "client id")?,
                name: r.get(1)?,
                sessions: r.get(2)?,
                total: rows::split_sum_at(r, 3)?,
                first: rows::parse(r, 5, "date")?,
                last: rows::parse(r, 6, "date")?,
            })
        })?;
        Ok(out.collect::<rusqlite::Result<_>>()?)
    }

    /// Every client's display name (given and family name), for searching the invoice list.
    pub fn client_names(&self) -> Result<HashMap<ClientId, String>> {
        let mut st = self.conn.prepare_cached("SELECT id, given_name || ' ' || family_name FROM clients")?;
        let out = st.query_map([], |r| Ok((rows::parse(r, 0, "client id")?, r.get(1)?)))?;
        Ok(out.collect::<rusqlite::Result<_>>()?)
    }
}

impl Store {
    /// Runs `f` in a transaction that is always rolled back: what the month-end run would make,
    /// computed by the same code that makes it, leaving nothing behind.
    pub fn dry_run<T>(&mut self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut t = Tx { tx, clock: &mut self.clock, device: &self.device };
        let out = f(&mut t);
        t.tx.rollback()?;
        out
    }

    /// Which opening this is, and the rows changed through its connection since (own writes and
    /// merges alike): a cache of derived rows is fresh while this pair stands still.
    pub fn changes(&self) -> (u64, u64) {
        (self.opening, self.conn.total_changes())
    }
}

/// Adds up cents that may be absent, `None` once one is absent or the sum leaves the range.
pub fn sum_known(items: impl IntoIterator<Item = Option<Cents>>) -> Option<Cents> {
    items.into_iter().try_fold(Cents::ZERO, |acc, c| c.and_then(|c| acc.checked_add(c).ok()))
}
