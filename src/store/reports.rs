//! Aggregates for reports, summed in SQL over covering indexes: a year of revenue costs a range
//! scan, not a visit to every invoice.

use jiff::civil::Date;
use jiff::ToSpan;
use rusqlite::params;

use crate::billing::model::RevenueMonth;
use crate::domain::money::Cents;
use crate::error::{Error, Problem, Result};

use super::Reader;

impl Reader<'_> {
    /// Per month from `from`'s month to `to`: gross invoiced (issued invoices; cancellations count
    /// negative) and received; plus what was open before the first month.
    pub fn revenue(&self, from: Date, to: Date) -> Result<(Cents, Vec<RevenueMonth>)> {
        let first = from.first_of_month().to_string();
        let before: (i64, i64) = self.conn.prepare_cached(
            "SELECT (SELECT coalesce(sum(gross_cents), 0) FROM invoices WHERE state = 'issued' AND issue_date < ?1),
                    (SELECT coalesce(sum(amount_cents), 0) FROM payments WHERE date < ?1)",
        )?
        .query_row([&first], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let opening = Cents(before.0).checked_sub(Cents(before.1))?;
        let per_month = |sql: &str| -> Result<Vec<(String, i64)>> {
            let mut st = self.conn.prepare_cached(sql)?;
            let rows = st.query_map(params![first, to.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let invoiced = per_month(
            "SELECT substr(issue_date, 1, 7), sum(gross_cents) FROM invoices
             WHERE state = 'issued' AND issue_date >= ?1 AND issue_date <= ?2 GROUP BY 1",
        )?;
        let received = per_month(
            "SELECT substr(date, 1, 7), sum(amount_cents) FROM payments WHERE date >= ?1 AND date <= ?2 GROUP BY 1",
        )?;
        let find =
            |list: &[(String, i64)], key: &str| Cents(list.iter().find(|(m, _)| m == key).map_or(0, |(_, c)| *c));
        let mut months = Vec::new();
        let mut m = from.first_of_month();
        while m <= to {
            let key = m.strftime("%Y-%m").to_string();
            months.push(RevenueMonth {
                year: m.year(),
                month: m.month(),
                invoiced: find(&invoiced, &key),
                received: find(&received, &key),
            });
            m = m.checked_add(1.month()).map_err(|_| Error::invalid("to", Problem::OutOfRange))?;
        }
        Ok((opening, months))
    }
}
