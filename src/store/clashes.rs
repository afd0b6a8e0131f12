//! Billing facts that two computers created independently while offline and that the core's
//! rules would have prevented on one computer: the same series code, the same invoice number,
//! two cancellations of one invoice, two dunning letters of one level, two write-offs. Both
//! documents exist and are kept; this finds them so the user can correct (cancel and reissue).

use crate::error::Result;

use super::Reader;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Clash {
    /// `series_code`, `invoice_number`, `cancellation`, `dunning_level`, `write_off`.
    pub kind: &'static str,
    /// The code, number or invoice id concerned.
    pub key: String,
    pub count: u32,
}

const QUERIES: &[(&str, &str)] = &[
    ("series_code", "SELECT code, count(*) FROM invoice_series WHERE deleted = 0 GROUP BY code HAVING count(*) > 1"),
    (
        "invoice_number",
        "SELECT number, count(*) FROM invoices WHERE number IS NOT NULL AND deleted = 0 GROUP BY number HAVING count(*) > 1",
    ),
    (
        "cancellation",
        "SELECT cancels, count(*) FROM invoices WHERE cancels IS NOT NULL AND state = 'issued' GROUP BY cancels HAVING count(*) > 1",
    ),
    (
        "dunning_level",
        "SELECT invoice_id || ' level ' || level, count(*) FROM dunning_letters GROUP BY invoice_id, level HAVING count(*) > 1",
    ),
    ("write_off", "SELECT invoice_id, count(*) FROM write_offs GROUP BY invoice_id HAVING count(*) > 1"),
];

impl Reader<'_> {
    pub fn billing_clashes(&self) -> Result<Vec<Clash>> {
        let mut out = Vec::new();
        for (kind, sql) in QUERIES {
            let mut st = self.conn.prepare_cached(sql)?;
            let rows = st.query_map([], |r| Ok(Clash { kind, key: r.get(0)?, count: r.get(1)? }))?;
            for r in rows {
                out.push(r?);
            }
        }
        Ok(out)
    }
}
