//! Aggregates for reports, summed in SQL over covering indexes: a year of revenue costs a range
//! scan, not a visit to every invoice. Sums are taken in two halves (`rows::split_sum`), so an
//! amount out of range makes its month "not computable" instead of failing the report.

use jiff::civil::Date;
use jiff::ToSpan;
use rusqlite::params;

use crate::billing::model::RevenueMonth;
use crate::domain::money::Cents;
use crate::error::{Error, Problem, Result};

use super::rows;
use super::Reader;
use crate::domain::Field;

impl Reader<'_> {
    /// Per month from `from`'s month to `to`: gross invoiced (issued invoices; cancellations count
    /// negative) and received; plus what was open before the first month (`None`: a sum that
    /// the stored amounts do not allow).
    pub fn revenue(&self, from: Date, to: Date) -> Result<(Option<Cents>, Vec<RevenueMonth>)> {
        let first = from.first_of_month().to_string();
        // Two one-row aggregates side by side: the invoiced and the received halves.
        let opening = self
            .conn
            .prepare_cached(&format!(
                "SELECT * FROM (SELECT {} FROM invoices WHERE state = 'issued' AND issue_date < ?1),
                               (SELECT {} FROM payments WHERE date < ?1)",
                rows::split_sum("gross_cents"),
                rows::split_sum("amount_cents"),
            ))?
            .query_row([&first], |r| Ok((rows::split_sum_at(r, 0)?, rows::split_sum_at(r, 2)?)))?;
        let opening = match opening {
            (Some(invoiced), Some(received)) => invoiced.checked_sub(received).ok(),
            _ => None,
        };
        let per_month = |sql: &str| -> Result<Vec<(String, Option<Cents>)>> {
            let mut st = self.conn.prepare_cached(sql)?;
            let rows = st.query_map(params![first, to.to_string()], |r| Ok((r.get(0)?, rows::split_sum_at(r, 1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let invoiced = per_month(&format!(
            "SELECT substr(issue_date, 1, 7), {} FROM invoices
             WHERE state = 'issued' AND issue_date >= ?1 AND issue_date <= ?2 GROUP BY 1",
            rows::split_sum("gross_cents")
        ))?;
        let received = per_month(&format!(
            "SELECT substr(date, 1, 7), {} FROM payments WHERE date >= ?1 AND date <= ?2 GROUP BY 1",
            rows::split_sum("amount_cents")
        ))?;
        let find = |list: &[(String, Option<Cents>)], key: &str| {
            list.iter().find(|(m, _)| m == key).map_or(Some(Cents::ZERO), |(_, c)| *c)
        };
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
            m = m.checked_add(1.month()).map_err(|_| Error::invalid(Field::To, Problem::OutOfRange))?;
        }
        Ok((opening, months))
    }
}
