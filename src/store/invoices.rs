//! Invoice and invoice-line rows: drafts, issuing with the next gapless number, and the reads
//! that billing and the reports need. Issued rows are never written again (see the triggers in
//! `0002_billing.sql`); every method here that changes an invoice checks that it is a draft.

use jiff::civil::Date;
use rusqlite::{params, OptionalExtension, Row};

use crate::billing::rules;
use crate::billing::status::BalanceFacts;
use crate::billing::tax::{line_tax, Totals};
use crate::billing::{
    Balance, DocSnapshot, Invoice, InvoiceKind, InvoiceLine, InvoiceSummary, InvoiceTexts, LineInput, LineKind,
    NumberFormat, Payer,
};
use crate::domain::ids::{ClientId, InvoiceId, InvoiceLineId};
use crate::domain::money::Cents;
use crate::domain::practice::Language;
use crate::domain::service::{FeeSchedule, Multiplier, ServiceFee, TaxMode};
use crate::domain::session::Setting;
use crate::error::{Error, Problem, Result};

use super::rows;
use super::{Reader, Tx};
use crate::domain::Field;

const COLS: &str = "i.id, i.client_id, i.kind, i.number, i.issue_date, i.due_date, i.period_from, i.period_to, \
    i.language, i.payer, i.share_bp, i.cancels, i.snapshot, i.created_hlc, i.updated_hlc, i.device, i.intro_text, i.closing_text";

const LINE_COLS: &str = "id, position, kind, session_id, appointment_id, date, description, minutes, setting, \
    quantity, unit_cents, amount_cents, tax_mode, tax_rate_bp, tax_cents, fee_schedule, fee_number, fee_points, \
    fee_multiplier, fee_reason, full_unit_cents, group_size";

/// "This invoice is live": not deleted, not a cancellation, and not cancelled by one.
const LIVE: &str =
    "i.deleted = 0 AND i.kind = 'invoice' AND NOT EXISTS (SELECT 1 FROM invoices c WHERE c.cancels = i.id)";

/// The invoice list's SQL for `q` (parameters: client, from, to). A function of its own so
/// the test below can ask SQLite how it runs it.
fn list_sql(q: &InvoiceQuery) -> String {
    // `state IN ('draft', 'issued')` is written out always: it is the partial index's own term.
    let states = match (q.drafts, q.issued) {
        (true, false) => "('draft', 'issued') AND i.state = 'draft'",
        (false, true) => "('draft', 'issued') AND i.state = 'issued'",
        _ => "('draft', 'issued')",
    };
    // Written out rather than `(?1 IS NULL OR client_id = ?1)`: with the OR the planner
    // cannot use the client index and walks every invoice (7.8 ms for one client's invoices
    // among 12,911; 0.1 ms with the index).
    // One client's few invoices come by the client index: `+` keeps the planner from walking
    // the whole list's index for them (it would, being covering, without statistics).
    let (client, live) = if q.client.is_some() {
        ("i.client_id = ?1", "+i.deleted = 0 AND +i.state")
    } else {
        ("?1 IS NULL", "i.deleted = 0 AND i.state")
    };
    // Payments and fees are summed in halves (`rows::split_sum`): a stored amount out of
    // range makes that invoice's balance "not computable" instead of failing the list.
    // For all invoices they are summed once per table and joined; probing both tables eight
    // times per invoice took ~0.1 s of the 20,200 invoices' list (docs/DESKTOP.md). For one
    // client's few invoices the probes are cheaper than summing every payment.
    let (joins, paid, fees) = if q.client.is_some() {
        let of_payments = |e: String| format!("(SELECT {e} FROM payments p WHERE p.invoice_id = i.id)");
        let of_letters = |e: String| format!("(SELECT {e} FROM dunning_letters d WHERE d.invoice_id = i.id)");
        (
            String::new(),
            format!(
                "{}, {}, {}",
                of_payments(rows::sum_high("amount_cents")),
                of_payments(rows::sum_low("amount_cents")),
                of_payments("max(date)".into())
            ),
            format!(
                "{}, {}, {}",
                of_letters(rows::sum_high("fee_cents")),
                of_letters(rows::sum_low("fee_cents")),
                of_letters("coalesce(max(level), 0)".into())
            ),
        )
    } else {
        (
            format!(
                "LEFT JOIN (SELECT invoice_id, {} AS hi, {} AS lo, max(date) AS last
                            FROM payments GROUP BY invoice_id) p ON p.invoice_id = i.id
                 LEFT JOIN (SELECT invoice_id, {} AS hi, {} AS lo, max(level) AS level
                            FROM dunning_letters GROUP BY invoice_id) d ON d.invoice_id = i.id",
                rows::sum_high("amount_cents"),
                rows::sum_low("amount_cents"),
                rows::sum_high("fee_cents"),
                rows::sum_low("fee_cents"),
            ),
            "coalesce(p.hi, 0), coalesce(p.lo, 0), p.last".to_string(),
            "coalesce(d.hi, 0), coalesce(d.lo, 0), coalesce(d.level, 0)".to_string(),
        )
    };
    // Every column of `i` read here is in the index `invoices_list` (schema 14), so no
    // invoice row (with its issued document) is read; `i.state` orders as the index does
    // (drafts first: only 'draft' and 'issued' pass).
    format!(
        "SELECT i.id, i.client_id, i.kind, i.number, i.issue_date, i.due_date,
           coalesce(json_extract(i.payer, '$.party.name'), ''), i.gross_cents, i.state,
           {paid}, {fees},
           EXISTS (SELECT 1 FROM invoices c WHERE c.cancels = i.id),
           EXISTS (SELECT 1 FROM write_offs w WHERE w.invoice_id = i.id)
         FROM invoices i {joins}
         WHERE {live} IN {states} AND {client}
           AND (?2 IS NULL OR i.issue_date >= ?2) AND (?3 IS NULL OR i.issue_date <= ?3)
         ORDER BY i.state, i.period DESC, i.series, i.seq DESC, i.created_hlc DESC",
    )
}

/// A new draft's header.
#[derive(Debug, Clone)]
pub struct NewInvoice {
    pub client_id: ClientId,
    pub kind: InvoiceKind,
    pub period_from: Date,
    pub period_to: Date,
    pub language: Language,
    pub payer: Payer,
    pub share_bp: u32,
    pub cancels: Option<InvoiceId>,
    pub texts: InvoiceTexts,
}

/// Which invoices a list or report wants.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct InvoiceQuery {
    pub client: Option<ClientId>,
    /// Issue dates (drafts have none and are listed only with `drafts`).
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub drafts: bool,
    pub issued: bool,
}

fn map_line(r: &Row<'_>) -> rusqlite::Result<InvoiceLine> {
    let mode: String = r.get(12)?;
    let rate: u32 = r.get(13)?;
    Ok(InvoiceLine {
        id: rows::parse(r, 0, "line id")?,
        position: r.get(1)?,
        input: LineInput {
            kind: rows::parse_with(r, 2, LineKind::parse, "line kind")?,
            session_id: rows::parse_opt(r, 3, "session id")?,
            appointment_id: rows::parse_opt(r, 4, "appointment id")?,
            date: rows::parse_opt(r, 5, "date")?,
            description: r.get(6)?,
            minutes: r.get(7)?,
            setting: r
                .get::<_, Option<String>>(8)?
                .map(|s| Setting::parse(&s))
                .transpose()
                .map_err(|_| rows::bad(8, rows::BadValue("setting")))?,
            quantity: r.get(9)?,
            unit: Cents::new(r.get(10)?),
            tax: TaxMode::from_parts(&mode, rate).map_err(|_| rows::bad(12, rows::BadValue("tax mode")))?,
            fee: ServiceFee {
                schedule: rows::parse_with(r, 15, FeeSchedule::parse, "fee schedule")?,
                number: r.get(16)?,
                points: r.get(17)?,
                multiplier: Multiplier(r.get(18)?),
            },
            fee_reason: r.get(19)?,
            full_unit: r.get::<_, Option<i64>>(20)?.map(Cents::new),
            group_size: r.get(21)?,
        },
        amount: Cents::new(r.get(11)?),
        tax_amount: Cents::new(r.get(14)?),
    })
}

/// The invoice header; lines, payments and the rest are filled in by `Reader::invoice`.
fn map_invoice(r: &Row<'_>) -> rusqlite::Result<Invoice> {
    Ok(Invoice {
        id: rows::parse(r, 0, "invoice id")?,
        client_id: rows::parse(r, 1, "client id")?,
        kind: rows::parse_with(r, 2, InvoiceKind::parse, "invoice kind")?,
        number: r.get(3)?,
        issue_date: rows::parse_opt(r, 4, "date")?,
        due_date: rows::parse_opt(r, 5, "date")?,
        period_from: rows::parse(r, 6, "date")?,
        period_to: rows::parse(r, 7, "date")?,
        language: rows::parse_with(r, 8, Language::parse, "language")?,
        payer: rows::json(r, 9)?,
        share_bp: r.get(10)?,
        cancels: rows::parse_opt(r, 11, "invoice id")?,
        texts: InvoiceTexts { intro: r.get(16)?, closing: r.get(17)? },
        cancelled_by: None,
        snapshot: rows::json_opt::<DocSnapshot>(r, 12)?,
        lines: Vec::new(),
        totals: Totals::default(),
        payments: Vec::new(),
        dunning: Vec::new(),
        write_off: None,
        stamps: rows::stamps(r, 13)?,
    })
}

impl Reader<'_> {
    pub fn invoice(&self, id: InvoiceId) -> Result<Invoice> {
        let head = self
            .conn
            .prepare_cached(&format!("SELECT {COLS} FROM invoices i WHERE i.id = ?1 AND i.deleted = 0"))?
            .query_row([id.to_string()], map_invoice)
            .optional()?
            .ok_or_else(|| Error::not_found(InvoiceId::ENTITY, id))?;
        self.complete(head)
    }

    pub fn invoice_by_number(&self, number: &str) -> Result<Invoice> {
        let head = self
            .conn
            .prepare_cached(&format!("SELECT {COLS} FROM invoices i WHERE i.number = ?1"))?
            .query_row([number.trim()], map_invoice)
            .optional()?
            .ok_or_else(|| Error::not_found(InvoiceId::ENTITY, number))?;
        self.complete(head)
    }

    /// Every invoice of a client, drafts included, oldest first.
    pub fn invoices_of(&self, client: ClientId) -> Result<Vec<Invoice>> {
        let heads: Vec<Invoice> = {
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT {COLS} FROM invoices i WHERE i.client_id = ?1 AND i.deleted = 0 ORDER BY i.created_hlc"
            ))?;
            let rows = st.query_map([client.to_string()], map_invoice)?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        heads.into_iter().map(|h| self.complete(h)).collect()
    }

    fn complete(&self, mut inv: Invoice) -> Result<Invoice> {
        let id = inv.id.to_string();
        inv.lines = {
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT {LINE_COLS} FROM invoice_lines WHERE invoice_id = ?1 AND deleted = 0 ORDER BY position, id"
            ))?;
            let rows = st.query_map([&id], map_line)?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        inv.totals = Totals::of(&inv.lines)?;
        inv.cancelled_by = self
            .conn
            .prepare_cached("SELECT id, number FROM invoices WHERE cancels = ?1 AND number IS NOT NULL")?
            .query_row([&id], |r| Ok((rows::parse(r, 0, "invoice id")?, r.get(1)?)))
            .optional()?;
        inv.payments = self.payments_of(inv.id)?;
        inv.dunning = self.dunning_of(inv.id)?;
        inv.write_off = self.write_off_of(inv.id)?;
        Ok(inv)
    }

    /// The invoice list with each invoice's balance on `today`, newest first.
    pub fn invoices(&self, q: &InvoiceQuery, today: Date) -> Result<Vec<InvoiceSummary>> {
        let sql = list_sql(q);
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map(
            params![q.client.map(|c| c.to_string()), q.from.map(|d| d.to_string()), q.to.map(|d| d.to_string())],
            |r| {
                // Only the name is listed: read from the JSON by SQLite (decoding every payer
                // made the list of 20,000 invoices several times slower).
                let recipient: String = r.get(6)?;
                let kind = rows::parse_with(r, 2, InvoiceKind::parse, "invoice kind")?;
                let due_date = rows::parse_opt(r, 5, "date")?;
                let facts = BalanceFacts {
                    kind,
                    issued: r.get::<_, String>(8)? == "issued",
                    gross: Cents::new(r.get(7)?),
                    paid: rows::split_sum_at(r, 9)?,
                    last_payment: rows::parse_opt(r, 11, "date")?,
                    fees: rows::split_sum_at(r, 12)?,
                    dunning_level: r.get(14)?,
                    cancelled: r.get(15)?,
                    written_off: r.get(16)?,
                    due_date,
                };
                Ok(InvoiceSummary {
                    id: rows::parse(r, 0, "invoice id")?,
                    client_id: rows::parse(r, 1, "client id")?,
                    kind,
                    number: r.get(3)?,
                    issue_date: rows::parse_opt(r, 4, "date")?,
                    due_date,
                    recipient,
                    gross: facts.gross,
                    balance: Balance::of(&facts, today),
                })
            },
        )?;
        let out = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(out)
    }

    /// Issued invoices that may need a dunning letter: live, not written off, past their due
    /// date, with something still owed. One whose sums are not computable is left out. The
    /// partial term lets it read the list's covering index instead of each issued invoice's row
    /// and document: the reminders ask every 30 s (20,200 invoices: 185 ms cold, 58 ms warm
    /// before; 45 ms after). Each with its client, so views can leave restricted clients out.
    pub fn overdue_invoice_ids(&self, today: Date) -> Result<Vec<(InvoiceId, ClientId)>> {
        let of_payments = |e: String| format!("(SELECT {e} FROM payments p WHERE p.invoice_id = i.id)");
        let of_letters = |e: String| format!("(SELECT {e} FROM dunning_letters d WHERE d.invoice_id = i.id)");
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT i.id, i.gross_cents, {}, {}, {}, {}, i.client_id
             FROM invoices i WHERE i.state IN ('draft', 'issued') AND i.state = 'issued' AND {LIVE} AND i.due_date < ?1
               AND NOT EXISTS (SELECT 1 FROM write_offs w WHERE w.invoice_id = i.id)
             ORDER BY i.period, i.series, i.seq",
            of_letters(rows::sum_high("fee_cents")),
            of_letters(rows::sum_low("fee_cents")),
            of_payments(rows::sum_high("amount_cents")),
            of_payments(rows::sum_low("amount_cents")),
        ))?;
        let rows = st.query_map([today.to_string()], |r| {
            let id: InvoiceId = rows::parse(r, 0, "invoice id")?;
            let gross = Cents::new(r.get(1)?);
            let open = match (rows::split_sum_at(r, 2)?, rows::split_sum_at(r, 4)?) {
                (Some(fees), Some(paid)) => gross.checked_add(fees).and_then(|o| o.checked_sub(paid)).ok(),
                _ => None,
            };
            let client: ClientId = rows::parse(r, 6, "client id")?;
            Ok(open.is_some_and(Cents::is_positive).then_some((id, client)))
        })?;
        Ok(rows.filter_map(|r| r.transpose()).collect::<rusqlite::Result<_>>()?)
    }

    /// A client's sessions in `[from, to]` that are on no live invoice (drafts count as live).
    pub fn unbilled_sessions(&self, client: ClientId, from: Date, to: Date) -> Result<Vec<crate::domain::Session>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {} FROM sessions s WHERE s.client_id = ?1 AND s.date >= ?2 AND s.date <= ?3 AND s.deleted = 0
               AND NOT EXISTS (SELECT 1 FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
                               WHERE l.session_id = s.id AND l.deleted = 0 AND {LIVE})
             ORDER BY s.date, s.id",
            super::sessions::COLS
        ))?;
        let rows =
            st.query_map(params![client.to_string(), from.to_string(), to.to_string()], super::sessions::map_session)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Sessions up to `to` that are on no live invoice, across all clients, oldest first, and
    /// how many there are in all.
    pub fn unbilled_sessions_all(&self, to: Date, limit: u32) -> Result<(Vec<crate::domain::Session>, u64)> {
        let unbilled = format!(
            "s.date <= ?1 AND s.deleted = 0
               AND NOT EXISTS (SELECT 1 FROM clients c WHERE c.id = s.client_id AND c.restricted_since IS NOT NULL)
               AND NOT EXISTS (SELECT 1 FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
                               WHERE l.session_id = s.id AND l.deleted = 0 AND {LIVE})"
        );
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {} FROM sessions s WHERE {unbilled} ORDER BY s.date, s.id LIMIT ?2",
            super::sessions::COLS
        ))?;
        let rows = st.query_map(params![to.to_string(), limit], super::sessions::map_session)?;
        let list = rows.collect::<rusqlite::Result<_>>()?;
        let total: i64 = self
            .conn
            .prepare_cached(&format!("SELECT count(*) FROM sessions s WHERE {unbilled}"))?
            .query_row([to.to_string()], |r| r.get(0))?;
        Ok((list, u64::try_from(total).unwrap_or(0)))
    }

    /// A client's missed appointments starting in `[from_utc, to_utc)` that are on no live invoice.
    pub fn unbilled_no_shows(
        &self,
        client: ClientId,
        from_utc: i64,
        to_utc: i64,
    ) -> Result<Vec<crate::domain::Appointment>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {} FROM appointments a WHERE a.client_id = ?1 AND a.start_utc >= ?2 AND a.start_utc < ?3
               AND a.deleted = 0 AND a.status = 'no_show'
               AND NOT EXISTS (SELECT 1 FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
                               WHERE l.appointment_id = a.id AND l.deleted = 0 AND {LIVE})
             ORDER BY a.start_utc",
            super::appointments::COLS
        ))?;
        let rows = st.query_map(params![client.to_string(), from_utc, to_utc], super::appointments::map_appointment)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Clients with at least one unbilled session or missed appointment in the range.
    pub fn clients_with_unbilled(&self, from: Date, to: Date, from_utc: i64, to_utc: i64) -> Result<Vec<ClientId>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT client_id FROM (
               SELECT s.client_id FROM sessions s WHERE s.date >= ?1 AND s.date <= ?2 AND s.deleted = 0
                 AND NOT EXISTS (SELECT 1 FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
                                 WHERE l.session_id = s.id AND l.deleted = 0 AND {LIVE})
               UNION
               SELECT a.client_id FROM appointments a WHERE a.start_utc >= ?3 AND a.start_utc < ?4
                 AND a.deleted = 0 AND a.status = 'no_show'
                 AND NOT EXISTS (SELECT 1 FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
                                 WHERE l.appointment_id = a.id AND l.deleted = 0 AND {LIVE}))
             JOIN clients c ON c.id = client_id WHERE c.deleted = 0 AND c.restricted_since IS NULL ORDER BY c.sort_key"
        ))?;
        let rows = st.query_map(params![from.to_string(), to.to_string(), from_utc, to_utc], |r| {
            rows::parse(r, 0, "client id")
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The newest issue date of any issued invoice (a number format changes only after it).
    pub fn last_issue_date(&self) -> Result<Option<Date>> {
        let d: Option<String> = self
            .conn
            .prepare_cached("SELECT max(issue_date) FROM invoices WHERE state = 'issued'")?
            .query_row([], |r| r.get(0))?;
        d.map(|d| d.parse::<Date>().map_err(|_| Error::invalid(Field::Date, Problem::BadDate))).transpose()
    }

    /// The other live, issued invoices that bill a session of `invoice` (the shares of a split
    /// bill): their ids, in number order.
    pub fn split_partners(&self, invoice: InvoiceId) -> Result<Vec<InvoiceId>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT DISTINCT i.id FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
             WHERE l.deleted = 0 AND {LIVE} AND i.state = 'issued' AND i.id <> ?1 AND l.session_id IN
               (SELECT session_id FROM invoice_lines WHERE invoice_id = ?1 AND deleted = 0 AND session_id IS NOT NULL)
             ORDER BY i.number"
        ))?;
        let rows = st.query_map([invoice.to_string()], |r| rows::parse(r, 0, "invoice id"))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The numbers of the live invoices each session is on (for the session protocol).
    pub fn session_invoice_numbers(&self, session: crate::domain::SessionId) -> Result<Vec<String>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT i.number FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
             WHERE l.session_id = ?1 AND l.deleted = 0 AND i.number IS NOT NULL AND {LIVE} ORDER BY i.number"
        ))?;
        let rows = st.query_map([session.to_string()], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Tx<'_> {
    fn require_draft(&self, id: InvoiceId) -> Result<()> {
        let state: Option<String> = self
            .conn()
            .prepare_cached("SELECT state FROM invoices WHERE id = ?1 AND deleted = 0")?
            .query_row([id.to_string()], |r| r.get(0))
            .optional()?;
        match state.as_deref() {
            None => Err(Error::not_found(InvoiceId::ENTITY, id)),
            Some("draft") => Ok(()),
            Some(_) => Err(Error::Immutable { entity: "invoice", reason: "issued" }),
        }
    }

    pub fn insert_draft(&mut self, id: InvoiceId, n: &NewInvoice) -> Result<()> {
        let hlc = self.stamp();
        self.conn()
            .prepare_cached(
                "INSERT INTO invoices(id, client_id, kind, state, period_from, period_to, language, payer, share_bp,
                 cancels, created_hlc, updated_hlc, device, intro_text, closing_text)
                 VALUES (?1, ?2, ?3, 'draft', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13)",
            )?
            .execute(params![
                id.to_string(),
                n.client_id.to_string(),
                n.kind.as_str(),
                n.period_from.to_string(),
                n.period_to.to_string(),
                n.language.as_str(),
                rows::to_json(&n.payer),
                n.share_bp,
                n.cancels.map(|c| c.to_string()),
                hlc.0,
                self.device,
                n.texts.intro,
                n.texts.closing,
            ])?;
        self.journal(hlc, InvoiceId::ENTITY, &id.to_string(), "create")
    }

    /// Appends lines to a draft and refreshes its totals. A session already on another live
    /// invoice is refused: each session is billed once (per payer share).
    pub fn add_lines(&mut self, invoice: InvoiceId, lines: &[LineInput]) -> Result<Vec<InvoiceLineId>> {
        self.require_draft(invoice)?;
        let mut position: u32 = self
            .conn()
            .prepare_cached("SELECT coalesce(max(position), 0) FROM invoice_lines WHERE invoice_id = ?1")?
            .query_row([invoice.to_string()], |r| r.get(0))?;
        let mut ids = Vec::with_capacity(lines.len());
        for l in lines {
            l.validate()?;
            position += 1;
            let id = InvoiceLineId::new();
            let amount = l.amount()?;
            let tax = line_tax(amount, l.tax)?;
            let hlc = self.stamp();
            self.conn()
                .prepare_cached(
                    "INSERT INTO invoice_lines(id, invoice_id, position, kind, session_id, appointment_id, date,
                     description, minutes, setting, quantity, unit_cents, amount_cents, tax_mode, tax_rate_bp, tax_cents,
                     created_hlc, updated_hlc, device, fee_schedule, fee_number, fee_points, fee_multiplier, fee_reason,
                     full_unit_cents, group_size)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17, ?18,
                     ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
                )?
                .execute(params![
                    id.to_string(), invoice.to_string(), position, l.kind.as_str(), l.session_id.map(|s| s.to_string()),
                    l.appointment_id.map(|a| a.to_string()), l.date.map(|d| d.to_string()), l.description, l.minutes,
                    l.setting.map(|s| s.as_str()), l.quantity, l.unit.get(), amount.get(), l.tax.code(), l.tax.rate_bp(), tax.get(),
                    hlc.0, self.device, l.fee.schedule.as_str(), l.fee.number, l.fee.points, l.fee.multiplier.0,
                    l.fee_reason, l.full_unit.map(|c| c.get()), l.group_size,
                ])?;
            self.journal(hlc, InvoiceLineId::ENTITY, &id.to_string(), "create")?;
            ids.push(id);
        }
        self.check_billed_once(invoice)?;
        self.refresh_totals(invoice)?;
        Ok(ids)
    }

    /// Fails when a session (or missed appointment) of `invoice` is billed beyond 100 % across
    /// live invoices.
    fn check_billed_once(&self, invoice: InvoiceId) -> Result<()> {
        let over: Option<String> = self
            .conn()
            .prepare_cached(&format!(
                "SELECT item FROM (
                   SELECT coalesce(l.session_id, l.appointment_id) AS item, i.share_bp AS share
                   FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
                   WHERE l.deleted = 0 AND {LIVE} AND (
                     l.session_id IN (SELECT session_id FROM invoice_lines WHERE invoice_id = ?1 AND deleted = 0)
                     OR l.appointment_id IN (SELECT appointment_id FROM invoice_lines WHERE invoice_id = ?1 AND deleted = 0)))
                 GROUP BY item HAVING sum(share) > 10000 LIMIT 1"
            ))?
            .query_row([invoice.to_string()], |r| r.get(0))
            .optional()?;
        match over {
            Some(id) => Err(Error::SessionBilled { id }),
            None => Ok(()),
        }
    }

    /// Changes a draft's payer (an issued invoice's recipient is frozen with it).
    pub fn set_draft_payer(&mut self, id: InvoiceId, payer: &Payer) -> Result<()> {
        self.require_draft(id)?;
        let hlc = self.stamp();
        self.conn().execute(
            "UPDATE invoices SET payer = ?2, updated_hlc = ?3, device = ?4 WHERE id = ?1 AND state = 'draft'",
            params![id.to_string(), rows::to_json(payer), hlc.0, self.device],
        )?;
        self.journal(hlc, InvoiceId::ENTITY, &id.to_string(), "update")
    }

    /// Changes a draft's texts (an issued invoice's are frozen with it).
    pub fn set_invoice_texts(&mut self, id: InvoiceId, texts: &InvoiceTexts) -> Result<()> {
        self.require_draft(id)?;
        texts.validate()?;
        let hlc = self.stamp();
        self.conn().execute(
            "UPDATE invoices SET intro_text = ?2, closing_text = ?3, updated_hlc = ?4, device = ?5
             WHERE id = ?1 AND state = 'draft'",
            params![id.to_string(), texts.intro, texts.closing, hlc.0, self.device],
        )?;
        self.journal(hlc, InvoiceId::ENTITY, &id.to_string(), "update")
    }

    /// Changes a draft line's multiplier, reason and the amounts that follow from them.
    pub fn update_line_fee(&mut self, invoice: InvoiceId, line: InvoiceLineId, l: &LineInput) -> Result<()> {
        self.require_draft(invoice)?;
        l.validate()?;
        let amount = l.amount()?;
        let tax = line_tax(amount, l.tax)?;
        let hlc = self.stamp();
        let n = self.conn().execute(
            "UPDATE invoice_lines SET fee_multiplier = ?3, fee_reason = ?4, unit_cents = ?5, amount_cents = ?6,
             tax_cents = ?7, full_unit_cents = ?8, updated_hlc = ?9, device = ?10
             WHERE id = ?1 AND invoice_id = ?2 AND deleted = 0",
            params![
                line.to_string(),
                invoice.to_string(),
                l.fee.multiplier.0,
                l.fee_reason,
                l.unit.get(),
                amount.get(),
                tax.get(),
                l.full_unit.map(|c| c.get()),
                hlc.0,
                self.device
            ],
        )?;
        if n == 0 {
            return Err(Error::not_found(InvoiceLineId::ENTITY, line));
        }
        self.journal(hlc, InvoiceLineId::ENTITY, &line.to_string(), "update")?;
        self.refresh_totals(invoice)
    }

    pub fn remove_line(&mut self, invoice: InvoiceId, line: InvoiceLineId) -> Result<()> {
        self.require_draft(invoice)?;
        let hlc = self.stamp();
        let n = self.conn().execute(
            "UPDATE invoice_lines SET deleted = 1, updated_hlc = ?3, device = ?4 WHERE id = ?1 AND invoice_id = ?2 AND deleted = 0",
            params![line.to_string(), invoice.to_string(), hlc.0, self.device],
        )?;
        if n == 0 {
            return Err(Error::not_found(InvoiceLineId::ENTITY, line));
        }
        self.journal(hlc, InvoiceLineId::ENTITY, &line.to_string(), "delete")?;
        self.refresh_totals(invoice)
    }

    /// Tombstones a draft and its lines, which frees its sessions for another invoice.
    pub fn delete_draft(&mut self, id: InvoiceId) -> Result<()> {
        self.require_draft(id)?;
        let hlc = self.stamp();
        self.conn().execute(
            "UPDATE invoice_lines SET deleted = 1, updated_hlc = ?2, device = ?3 WHERE invoice_id = ?1 AND deleted = 0",
            params![id.to_string(), hlc.0, self.device],
        )?;
        self.conn().execute(
            "UPDATE invoices SET deleted = 1, updated_hlc = ?2, device = ?3 WHERE id = ?1",
            params![id.to_string(), hlc.0, self.device],
        )?;
        self.journal(hlc, InvoiceId::ENTITY, &id.to_string(), "delete")
    }

    /// Journals an event about an issued invoice whose row itself does not change (its
    /// cancellation is a new invoice; the journal says so about the original too).
    pub fn journal_invoice(&mut self, id: InvoiceId, op: &str) -> Result<()> {
        let hlc = self.stamp();
        self.journal(hlc, InvoiceId::ENTITY, &id.to_string(), op)
    }

    pub(super) fn refresh_totals(&mut self, id: InvoiceId) -> Result<()> {
        let t = self.read().invoice_totals(id)?;
        self.conn()
            .prepare_cached("UPDATE invoices SET net_cents = ?2, tax_cents = ?3, gross_cents = ?4 WHERE id = ?1")?
            .execute(params![id.to_string(), t.net.get(), t.tax.get(), t.gross.get()])?;
        Ok(())
    }

    /// Issues a draft: the next number of this device's series is taken in this transaction,
    /// so a crash either leaves the draft a draft or the number used — never a gap, never twice.
    pub fn issue_invoice(
        &mut self,
        id: InvoiceId,
        issue_date: Date,
        due_date: Date,
        format: &NumberFormat,
        snapshot: &DocSnapshot,
        payer: &Payer,
    ) -> Result<String> {
        self.require_draft(id)?;
        let t = self.read().invoice_totals(id)?;
        let lines: i64 = self
            .conn()
            .prepare_cached("SELECT count(*) FROM invoice_lines WHERE invoice_id = ?1 AND deleted = 0")?
            .query_row([id.to_string()], |r| r.get(0))?;
        rules::check_has_lines(lines.unsigned_abs())?;
        self.check_billed_once(id)?;
        let series = self.claim_series()?;
        let period = format.period(issue_date.year());
        // Two queries, as SQLite answers a lone max() from an index but not two in one query.
        let last_seq: i64 = self
            .conn()
            .prepare_cached("SELECT coalesce(max(seq), 0) FROM invoices WHERE series = ?1 AND period = ?2")?
            .query_row(params![series, period], |r| r.get(0))?;
        let last_date: Option<String> = self
            .conn()
            .prepare_cached("SELECT max(issue_date) FROM invoices WHERE series = ?1 AND period = ?2")?
            .query_row(params![series, period], |r| r.get(0))?;
        let last_date: Option<Date> = last_date
            .map(|d| d.parse())
            .transpose()
            .map_err(|_| Error::DatabaseCorrupt { detail: "an issued invoice's date is not a date".into() })?;
        rules::check_numbering(&series, format, last_date, issue_date)?;
        let seq = last_seq + 1;
        let number = format.render(issue_date.year(), &series, seq);
        // A number's text is unique on this computer (a changed format could repeat one).
        let taken: bool = self
            .conn()
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM invoices WHERE number = ?1)")?
            .query_row([&number], |r| r.get(0))?;
        if taken {
            return Err(Error::invalid(Field::NumberFormat, Problem::NotAllowed));
        }
        let hlc = self.stamp();
        self.conn()
            .prepare_cached(
                "UPDATE invoices SET state = 'issued', number = ?2, series = ?3, period = ?4, seq = ?5, issue_date = ?6,
                 due_date = ?7, snapshot = ?8, net_cents = ?9, tax_cents = ?10, gross_cents = ?11, updated_hlc = ?12,
                 device = ?13, payer = ?14 WHERE id = ?1 AND state = 'draft'",
            )?
            .execute(params![
                id.to_string(), number, series, period, seq, issue_date.to_string(), due_date.to_string(),
                rows::to_json(snapshot), t.net.get(), t.tax.get(), t.gross.get(), hlc.0, self.device,
                rows::to_json(payer),
            ])
            .map_err(|e| {
                // The unique index: another number with this text exists (a format change).
                // Any other failure keeps its own code.
                let unique = matches!(&e, rusqlite::Error::SqliteFailure(f, _)
                    if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE);
                if unique {
                    Error::invalid(Field::NumberFormat, Problem::NotAllowed)
                } else {
                    Error::from(e)
                }
            })?;
        self.journal(hlc, InvoiceId::ENTITY, &id.to_string(), "issue")?;
        // Every line (tombstones too) travels with the issue, so another computer can make its
        // copy of this document exactly the issued one (see sync's merge of issued invoices).
        let lines: Vec<String> = {
            let mut st = self.conn().prepare_cached("SELECT id FROM invoice_lines WHERE invoice_id = ?1")?;
            let rows = st.query_map([id.to_string()], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for line in &lines {
            self.journal(hlc, "invoice_line", line, "issue")?;
        }
        Ok(number)
    }
}

impl Reader<'_> {
    fn invoice_totals(&self, id: InvoiceId) -> Result<Totals> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {LINE_COLS} FROM invoice_lines WHERE invoice_id = ?1 AND deleted = 0 ORDER BY position"
        ))?;
        let lines = st.query_map([id.to_string()], map_line)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Totals::of(&lines)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::practice::PracticeUpdate;
    use crate::domain::{Cents, ClientInput, SessionInput};

    /// The whole invoice list is read from the index `invoices_list` in its order: no invoice
    /// row (each carrying its issued document in overflow pages) and no sort. Reading the rows
    /// made opening a list of 20,200 invoices take half a second (docs/DESKTOP.md).
    #[test]
    fn the_whole_list_reads_only_its_covering_index_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let v = crate::vault::test_vault(dir.path());
        let q = super::InvoiceQuery { drafts: true, issued: true, ..Default::default() };
        let conn = &v.store().conn;
        let mut st = conn.prepare(&format!("EXPLAIN QUERY PLAN {}", super::list_sql(&q))).unwrap();
        let plan: Vec<String> =
            st.query_map([None::<String>, None, None], |r| r.get(3)).unwrap().map(|r| r.unwrap()).collect();
        let plan = plan.join("\n");
        assert!(plan.contains("i USING COVERING INDEX invoices_list"), "{plan}");
        assert!(!plan.contains("TEMP B-TREE FOR ORDER BY"), "{plan}");
        // One client's invoices still come by the client index.
        let q = super::InvoiceQuery { client: Some(crate::domain::ClientId::new()), ..q };
        let mut st = conn.prepare(&format!("EXPLAIN QUERY PLAN {}", super::list_sql(&q))).unwrap();
        let plan: Vec<String> = st.query_map(["x", "", ""], |r| r.get(3)).unwrap().map(|r| r.unwrap()).collect();
        assert!(plan.join("\n").contains("invoices_by_client"), "{plan:?}");
        // Other queries cannot use it (partial index): the billed-once check of every issue
        // goes from the session's lines to their invoices, not through every invoice.
        let mut st = conn
            .prepare(&format!(
                "EXPLAIN QUERY PLAN SELECT l.id FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
                 WHERE l.deleted = 0 AND {} AND l.session_id IN ('a', 'b')",
                super::LIVE
            ))
            .unwrap();
        let plan: Vec<String> = st.query_map([], |r| r.get(3)).unwrap().map(|r| r.unwrap()).collect();
        assert!(!plan.join("\n").contains("invoices_list"), "{plan:?}");
    }

    /// Issuing mapped every SQLite failure to "invalid number_format"; only the unique index
    /// on the number means that, anything else keeps its own code.
    #[test]
    fn a_database_failure_while_issuing_is_not_a_number_format_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = crate::vault::test_vault(dir.path());
        let practice = PracticeUpdate {
            practitioner_name: Some("Jörg Müller".into()),
            street: Some("Währinger Straße 12".into()),
            postal_code: Some("1090".into()),
            city: Some("Wien".into()),
            country: Some("AT".into()),
            iban: Some("AT61 1904 3002 3457 3201".into()),
            ..Default::default()
        };
        v.records_mut().update_practice(&practice).unwrap();
        let client = v.records_mut().add_client(ClientInput::with_full_name("Bärbel Größ")).unwrap();
        v.records_mut()
            .add_session(SessionInput {
                client_id: client,
                appointment_id: None,
                service_id: None,
                date: jiff::civil::date(2026, 3, 2),
                minutes: Some(50),
                fee: Some(Cents::new(9000)),
                setting: None,
                group_size: None,
                note: String::new(),
            })
            .unwrap();
        let id = v.billing_mut().draft_invoice(client, None, None).unwrap()[0];
        // A failure of the database itself at the moment of the number (here: a trigger).
        v.store()
            .conn
            .execute_batch(
                "CREATE TEMP TRIGGER fail_issue BEFORE UPDATE OF state ON main.invoices
                 BEGIN SELECT RAISE(ABORT, 'simulated failure'); END;",
            )
            .unwrap();
        let e = v.billing_mut().issue_invoice(id, Some(jiff::civil::date(2026, 3, 3))).unwrap_err();
        assert_eq!(e.code(), "store.failed", "{e}");
        v.store().conn.execute_batch("DROP TRIGGER temp.fail_issue").unwrap();
        assert!(
            v.billing_mut().issue_invoice(id, Some(jiff::civil::date(2026, 3, 3))).is_ok(),
            "nothing was changed by the failure"
        );
    }
}
