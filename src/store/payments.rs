//! Payments, dunning letters and write-offs: append-only rows about issued invoices. A wrong
//! payment is undone by a negative one; nothing here is ever updated or deleted.

use jiff::civil::Date;
use rusqlite::{params, OptionalExtension};

use crate::billing::{DunningLetter, Payment, WriteOff};
use crate::domain::ids::{DunningLetterId, InvoiceId, PaymentId, WriteOffId};
use crate::domain::money::Cents;
use crate::error::Result;

use super::rows;
use super::{Reader, Tx};

fn map_payment(r: &rusqlite::Row<'_>) -> rusqlite::Result<Payment> {
    Ok(Payment {
        id: rows::parse(r, 0, "payment id")?,
        invoice_id: rows::parse(r, 1, "invoice id")?,
        date: rows::parse(r, 2, "date")?,
        amount: Cents::new(r.get(3)?),
        method: r.get(4)?,
        note: r.get(5)?,
    })
}

impl Reader<'_> {
    pub fn payments_of(&self, invoice: InvoiceId) -> Result<Vec<Payment>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, invoice_id, date, amount_cents, method, note FROM payments WHERE invoice_id = ?1 ORDER BY date, created_hlc",
        )?;
        let rows = st.query_map([invoice.to_string()], map_payment)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Payments received in `[from, to]` (for the revenue report), oldest first.
    pub fn payments_between(&self, from: Date, to: Date) -> Result<Vec<Payment>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, invoice_id, date, amount_cents, method, note FROM payments WHERE date >= ?1 AND date <= ?2 ORDER BY date",
        )?;
        let rows = st.query_map([from.to_string(), to.to_string()], map_payment)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn dunning_of(&self, invoice: InvoiceId) -> Result<Vec<DunningLetter>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, invoice_id, level, date, due_date, fee_cents FROM dunning_letters WHERE invoice_id = ?1 ORDER BY level",
        )?;
        let rows = st.query_map([invoice.to_string()], |r| {
            Ok(DunningLetter {
                id: rows::parse(r, 0, "dunning id")?,
                invoice_id: rows::parse(r, 1, "invoice id")?,
                level: r.get(2)?,
                date: rows::parse(r, 3, "date")?,
                due_date: rows::parse(r, 4, "date")?,
                fee: Cents::new(r.get(5)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn write_off_of(&self, invoice: InvoiceId) -> Result<Option<WriteOff>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id, invoice_id, date, reason FROM write_offs WHERE invoice_id = ?1")?
            .query_row([invoice.to_string()], |r| {
                Ok(WriteOff {
                    id: rows::parse(r, 0, "write-off id")?,
                    invoice_id: rows::parse(r, 1, "invoice id")?,
                    date: rows::parse(r, 2, "date")?,
                    reason: r.get(3)?,
                })
            })
            .optional()?)
    }
}

impl Tx<'_> {
    pub fn insert_payment(&mut self, p: &Payment) -> Result<()> {
        let hlc = self.stamp();
        self.conn()
            .prepare_cached(
                "INSERT INTO payments(id, invoice_id, date, amount_cents, method, note, created_hlc, device)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                p.id.to_string(),
                p.invoice_id.to_string(),
                p.date.to_string(),
                p.amount.get(),
                p.method,
                p.note,
                hlc.0,
                self.device,
            ])?;
        self.journal(hlc, PaymentId::ENTITY, &p.id.to_string(), "create")
    }

    pub fn insert_dunning_letter(&mut self, d: &DunningLetter) -> Result<()> {
        let hlc = self.stamp();
        self.conn().execute(
            "INSERT INTO dunning_letters(id, invoice_id, level, date, due_date, fee_cents, created_hlc, device)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                d.id.to_string(),
                d.invoice_id.to_string(),
                d.level,
                d.date.to_string(),
                d.due_date.to_string(),
                d.fee.get(),
                hlc.0,
                self.device,
            ],
        )?;
        self.journal(hlc, DunningLetterId::ENTITY, &d.id.to_string(), "create")
    }

    pub fn insert_write_off(&mut self, w: &WriteOff) -> Result<()> {
        let hlc = self.stamp();
        self.conn().execute(
            "INSERT INTO write_offs(id, invoice_id, date, reason, created_hlc, device) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![w.id.to_string(), w.invoice_id.to_string(), w.date.to_string(), w.reason, hlc.0, self.device],
        )?;
        self.journal(hlc, WriteOffId::ENTITY, &w.id.to_string(), "create")
    }
}
