//! Reports for the practice and its tax adviser: the invoice journal (one row per invoice, net
//! and tax per rate), the revenue report (per month: invoiced, received, open) and the session
//! protocol (per client or period), as XLSX with formulas and as PDF tables.

use jiff::civil::Date;
use rust_xlsxwriter::Workbook;

use crate::billing::tax::{rate_label, Totals};
use crate::billing::{InvoiceKind, InvoiceStatus};
use crate::domain::money::Cents;
use crate::domain::service::TaxMode;
use crate::domain::session::Setting;
use crate::error::Result;

use super::pdf::{Align, Col, Doc, LEFT, RIGHT};
use super::text::Locale;
use super::xlsx::{cell, col_name, save, Sheet};

#[derive(Debug, Clone, serde::Serialize)]
pub struct JournalRow {
    pub number: String,
    pub kind: InvoiceKind,
    pub issue_date: Date,
    pub recipient: String,
    pub client: String,
    pub totals: Totals,
    pub status: InvoiceStatus,
    pub paid_on: Option<Date>,
    /// The other half of a cancellation: for a Storno the invoice it cancels, for a cancelled
    /// invoice its Storno.
    pub link: Option<String>,
}

/// "zu 2026-0001" on a Storno, "durch 2026-0002" on the invoice it cancels.
fn link_text(r: &JournalRow, loc: &Locale) -> String {
    match (&r.link, r.kind) {
        (None, _) => String::new(),
        (Some(n), InvoiceKind::Cancellation) => format!("{} {n}", loc.t("zu", "of")),
        (Some(n), InvoiceKind::Invoice) => format!("{} {n}", loc.t("durch", "by")),
    }
}

pub use crate::billing::model::RevenueMonth;

#[derive(Debug, Clone, serde::Serialize)]
pub struct ProtocolRow {
    pub date: Date,
    pub client: String,
    pub service: String,
    pub minutes: u32,
    pub setting: Setting,
    pub fee: Cents,
    /// The invoice number(s) the session is billed on; empty while unbilled.
    pub invoice: String,
}

/// A report's heading: what and which period.
pub struct Heading<'a> {
    pub title: &'a str,
    pub practice: &'a str,
    pub from: Date,
    pub to: Date,
}

impl Heading<'_> {
    fn subtitle(&self, loc: &Locale) -> String {
        format!("{} · {} – {}", self.practice, loc.date(self.from), loc.date(self.to))
    }
}

/// The journal's amount columns: one net column per rate (all exemptions share 0 %) and one tax
/// column per taxable rate.
/// The exempt modes stay apart (each goes to its own line of the VAT return): exempt ones
/// first, then the taxable rates in order.
fn journal_rates(rows: &[JournalRow]) -> Vec<TaxMode> {
    let mut modes: Vec<TaxMode> = rows.iter().flat_map(|r| r.totals.per_rate.iter().map(|t| t.tax)).collect();
    modes.sort_by_key(|m| (m.rate_bp(), m.code()));
    modes.dedup();
    modes
}

fn net_at(t: &Totals, mode: TaxMode) -> Option<Cents> {
    Cents::sum_stored(t.per_rate.iter().filter(|r| r.tax == mode).map(|r| r.net))
}

fn tax_at(t: &Totals, mode: TaxMode) -> Option<Cents> {
    Cents::sum_stored(t.per_rate.iter().filter(|r| r.tax == mode).map(|r| r.tax_amount))
}

/// A column total over rows whose cells may already be not computable.
fn total<I: IntoIterator<Item = Option<Cents>>>(cells: I) -> Option<Cents> {
    cells.into_iter().try_fold(Cents::ZERO, |acc, c| acc.checked_add(c?).ok())
}

fn rate_name(mode: TaxMode, loc: &Locale) -> String {
    match mode {
        TaxMode::Taxable { .. } => rate_label(mode, loc.lang),
        TaxMode::AtExempt => loc.t("steuerfrei Z 19", "exempt Z 19").into(),
        TaxMode::AtSmallBusiness => loc.t("Kleinunternehmer Z 27", "small business Z 27").into(),
        TaxMode::DeExempt => loc.t("steuerfrei § 4 Nr. 14", "exempt § 4 no. 14").into(),
        TaxMode::DeSmallBusiness => loc.t("Kleinunternehmer § 19", "small business § 19").into(),
    }
}

fn kind_word(kind: InvoiceKind, loc: &Locale) -> &'static str {
    match kind {
        InvoiceKind::Invoice => loc.invoice_word(),
        InvoiceKind::Cancellation => loc.cancellation_word(),
    }
}

pub fn journal_xlsx(h: &Heading<'_>, rows: &[JournalRow], loc: &Locale) -> Result<Vec<u8>> {
    let rates = journal_rates(rows);
    let mut wb = Workbook::new();
    let mut s = Sheet::new(&mut wb, loc.t("Rechnungsausgangsbuch", "Invoice journal"), loc.lang)?;
    s.title(0, h.title)?;
    s.text(1, 0, &h.subtitle(loc))?;
    let mut header: Vec<String> = [
        loc.t("Nummer", "Number"),
        loc.t("Art", "Kind"),
        loc.t("Datum", "Date"),
        loc.t("Empfänger*in", "Recipient"),
        loc.t("Klient*in", "Client"),
    ]
    .map(String::from)
    .to_vec();
    let mut amount_cols: Vec<(TaxMode, bool)> = Vec::new();
    for &mode in &rates {
        header.push(format!("{} {}", loc.t("Netto", "Net"), rate_name(mode, loc)));
        amount_cols.push((mode, false));
        if mode.rate_bp() > 0 {
            header.push(format!("{} {}", loc.t("USt", "VAT"), rate_name(mode, loc)));
            amount_cols.push((mode, true));
        }
    }
    let gross_col = 5 + amount_cols.len() as u16;
    header.extend(
        [
            loc.t("Brutto", "Gross"),
            loc.t("Status", "Status"),
            loc.t("Bezahlt am", "Paid on"),
            loc.t("Storno", "Cancellation"),
        ]
        .map(String::from),
    );
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut widths = vec![14.0, 16.0, 11.0, 28.0, 24.0];
    widths.extend(std::iter::repeat_n(13.0, amount_cols.len() + 1));
    widths.extend([16.0, 11.0, 16.0]);
    s.widths(&widths)?;
    s.header(3, &header_refs)?;
    let first = 4u32;
    let mut row = first;
    for r in rows {
        s.text(row, 0, &r.number)?;
        s.text(row, 1, kind_word(r.kind, loc))?;
        s.date(row, 2, Some(r.issue_date))?;
        s.text(row, 3, &r.recipient)?;
        s.text(row, 4, &r.client)?;
        for (i, &(bp, is_tax)) in amount_cols.iter().enumerate() {
            let v = if is_tax { tax_at(&r.totals, bp) } else { net_at(&r.totals, bp) };
            s.money_or_not_computable(row, 5 + i as u16, v, loc)?;
        }
        let gross = format!("=SUM({}:{})", cell(row, 5), cell(row, gross_col - 1));
        s.formula(row, gross_col, &gross, r.totals.gross, false)?;
        s.text(row, gross_col + 1, loc.status(r.status))?;
        s.date(row, gross_col + 2, r.paid_on)?;
        s.text(row, gross_col + 3, &link_text(r, loc))?;
        row += 1;
    }
    let last = row.saturating_sub(1).max(first);
    s.bold(row, 0, loc.t("Summe", "Total"))?;
    for c in 5..=gross_col {
        let sum = match c.checked_sub(5).and_then(|i| amount_cols.get(i as usize)) {
            Some(&(bp, true)) => total(rows.iter().map(|r| tax_at(&r.totals, bp))),
            Some(&(bp, false)) => total(rows.iter().map(|r| net_at(&r.totals, bp))),
            None => total(rows.iter().map(|r| Some(r.totals.gross))),
        };
        let col = col_name(c);
        s.formula_or_not_computable((row, c), &format!("=SUM({col}{}:{col}{})", first + 1, last + 1), sum, true, loc)?;
    }
    save(&mut wb)
}

pub fn journal_pdf(h: &Heading<'_>, rows: &[JournalRow], loc: &Locale) -> Result<Vec<u8>> {
    let cols = [
        Col { width: 22.0, align: Align::Left },
        Col { width: 20.0, align: Align::Left },
        Col { width: 36.0, align: Align::Left },
        Col { width: 23.0, align: Align::Right },
        Col { width: 18.0, align: Align::Right },
        Col { width: 24.0, align: Align::Right },
        Col { width: RIGHT - LEFT - 143.0, align: Align::Left },
    ];
    let header = [
        loc.t("Nummer", "Number"),
        loc.t("Datum", "Date"),
        loc.t("Empfänger*in", "Recipient"),
        loc.t("Netto", "Net"),
        loc.t("USt", "VAT"),
        loc.t("Brutto", "Gross"),
        loc.t("Status", "Status"),
    ]
    .map(String::from);
    let mut body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.number.clone(),
                loc.date(r.issue_date),
                r.recipient.clone(),
                loc.money(r.totals.net),
                loc.money(r.totals.tax),
                loc.money(r.totals.gross),
                match link_text(r, loc) {
                    l if l.is_empty() => loc.status(r.status).into(),
                    l => format!("{} ({l})", loc.status(r.status)),
                },
            ]
        })
        .collect();
    let sum = |f: fn(&Totals) -> Cents| loc.money_or_not_computable(total(rows.iter().map(|r| Some(f(&r.totals)))));
    body.push(vec![
        loc.t("Summe", "Total").into(),
        String::new(),
        String::new(),
        sum(|t| t.net),
        sum(|t| t.tax),
        sum(|t| t.gross),
        String::new(),
    ]);
    table_pdf(h, &cols, &header, &body, loc)
}

/// Months from `from` to `to` with what was invoiced and received; `opening` is what was open
/// before the first month. "Open" is a running formula: previous open + invoiced − received.
pub fn revenue_xlsx(h: &Heading<'_>, opening: Option<Cents>, months: &[RevenueMonth], loc: &Locale) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let mut s = Sheet::new(&mut wb, loc.t("Umsatz", "Revenue"), loc.lang)?;
    s.widths(&[18.0, 15.0, 15.0, 15.0])?;
    s.title(0, h.title)?;
    s.text(1, 0, &h.subtitle(loc))?;
    s.header(
        3,
        &[
            loc.t("Monat", "Month"),
            loc.t("Fakturiert", "Invoiced"),
            loc.t("Eingegangen", "Received"),
            loc.t("Offen", "Open"),
        ],
    )?;
    s.bold(4, 0, loc.t("Offen davor", "Open before"))?;
    s.money_or_not_computable(4, 3, opening, loc)?;
    let mut open = opening;
    let mut row = 5;
    for m in months {
        s.text(row, 0, &format!("{} {}", loc.month(m.month), m.year))?;
        s.money_or_not_computable(row, 1, m.invoiced, loc)?;
        s.money_or_not_computable(row, 2, m.received, loc)?;
        open = running_open(open, m);
        let f = format!("={}+{}-{}", cell(row - 1, 3), cell(row, 1), cell(row, 2));
        s.formula_or_not_computable((row, 3), &f, open, false, loc)?;
        row += 1;
    }
    s.bold(row, 0, loc.t("Summe", "Total"))?;
    let invoiced = total(months.iter().map(|m| m.invoiced));
    let received = total(months.iter().map(|m| m.received));
    let last = row.saturating_sub(1).max(5);
    s.formula_or_not_computable((row, 1), &format!("=SUM(B6:{})", cell(last, 1)), invoiced, true, loc)?;
    s.formula_or_not_computable((row, 2), &format!("=SUM(C6:{})", cell(last, 2)), received, true, loc)?;
    s.formula_or_not_computable((row, 3), &format!("={}", cell(last, 3)), open, true, loc)?;
    save(&mut wb)
}

/// What is open after month `m`: previous open + invoiced − received, once one is not
/// computable every later one is not either.
fn running_open(open: Option<Cents>, m: &RevenueMonth) -> Option<Cents> {
    open?.checked_add(m.invoiced?).ok()?.checked_sub(m.received?).ok()
}

pub fn revenue_pdf(h: &Heading<'_>, opening: Option<Cents>, months: &[RevenueMonth], loc: &Locale) -> Result<Vec<u8>> {
    let cols = [
        Col { width: 50.0, align: Align::Left },
        Col { width: 40.0, align: Align::Right },
        Col { width: 40.0, align: Align::Right },
        Col { width: RIGHT - LEFT - 130.0, align: Align::Right },
    ];
    let header = [
        loc.t("Monat", "Month"),
        loc.t("Fakturiert", "Invoiced"),
        loc.t("Eingegangen", "Received"),
        loc.t("Offen", "Open"),
    ]
    .map(String::from);
    let mut open = opening;
    let money = |c: Option<Cents>| loc.money_or_not_computable(c);
    let mut body = vec![vec![loc.t("Offen davor", "Open before").into(), String::new(), String::new(), money(opening)]];
    for m in months {
        open = running_open(open, m);
        body.push(vec![
            format!("{} {}", loc.month(m.month), m.year),
            money(m.invoiced),
            money(m.received),
            money(open),
        ]);
    }
    body.push(vec![
        loc.t("Summe", "Total").into(),
        money(total(months.iter().map(|m| m.invoiced))),
        money(total(months.iter().map(|m| m.received))),
        money(open),
    ]);
    table_pdf(h, &cols, &header, &body, loc)
}

fn protocol_header(loc: &Locale) -> [String; 7] {
    [
        loc.t("Datum", "Date"),
        loc.t("Klient*in", "Client"),
        loc.t("Leistung", "Service"),
        loc.t("Minuten", "Minutes"),
        loc.t("Setting", "Setting"),
        loc.t("Honorar", "Fee"),
        loc.t("Rechnung", "Invoice"),
    ]
    .map(String::from)
}

pub fn protocol_xlsx(h: &Heading<'_>, rows: &[ProtocolRow], loc: &Locale) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let mut s = Sheet::new(&mut wb, loc.t("Sitzungsprotokoll", "Session protocol"), loc.lang)?;
    s.widths(&[12.0, 26.0, 30.0, 9.0, 10.0, 13.0, 16.0])?;
    s.title(0, h.title)?;
    s.text(1, 0, &h.subtitle(loc))?;
    let header = protocol_header(loc);
    s.header(3, &header.each_ref().map(String::as_str))?;
    let first = 4u32;
    let mut row = first;
    for r in rows {
        s.date(row, 0, Some(r.date))?;
        s.text(row, 1, &r.client)?;
        s.text(row, 2, &r.service)?;
        s.int(row, 3, r.minutes as i64)?;
        s.text(row, 4, loc.setting(r.setting))?;
        s.money(row, 5, r.fee)?;
        s.text(row, 6, &r.invoice)?;
        row += 1;
    }
    let last = row.saturating_sub(1).max(first);
    s.bold(row, 0, &format!("{} ({})", loc.t("Summe", "Total"), rows.len()))?;
    s.int_formula(row, 3, &format!("=SUM(D{}:D{})", first + 1, last + 1), rows.iter().map(|r| r.minutes as i64).sum())?;
    let fees = total(rows.iter().map(|r| Some(r.fee)));
    s.formula_or_not_computable((row, 5), &format!("=SUM(F{}:F{})", first + 1, last + 1), fees, true, loc)?;
    save(&mut wb)
}

pub fn protocol_pdf(h: &Heading<'_>, rows: &[ProtocolRow], loc: &Locale) -> Result<Vec<u8>> {
    let cols = [
        Col { width: 20.0, align: Align::Left },
        Col { width: 36.0, align: Align::Left },
        Col { width: 42.0, align: Align::Left },
        Col { width: 14.0, align: Align::Right },
        Col { width: 16.0, align: Align::Left },
        Col { width: 20.0, align: Align::Right },
        Col { width: RIGHT - LEFT - 148.0, align: Align::Left },
    ];
    let mut body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                loc.date(r.date),
                r.client.clone(),
                r.service.clone(),
                r.minutes.to_string(),
                loc.setting(r.setting).into(),
                loc.money(r.fee),
                r.invoice.clone(),
            ]
        })
        .collect();
    body.push(vec![
        format!("{} ({})", loc.t("Summe", "Total"), rows.len()),
        String::new(),
        String::new(),
        rows.iter().map(|r| r.minutes as u64).sum::<u64>().to_string(),
        String::new(),
        loc.money_or_not_computable(total(rows.iter().map(|r| Some(r.fee)))),
        String::new(),
    ]);
    table_pdf(h, &cols, &protocol_header(loc), &body, loc)
}

fn table_pdf(h: &Heading<'_>, cols: &[Col], header: &[String], body: &[Vec<String>], loc: &Locale) -> Result<Vec<u8>> {
    let mut d = Doc::new(h.title)?;
    d.set_footer(&h.subtitle(loc));
    d.text(LEFT, d.y, 15.0, true, h.title);
    d.y += 6.0;
    d.text(LEFT, d.y, 9.0, false, &h.subtitle(loc));
    d.y += 9.0;
    d.table(LEFT, cols, header, body, 8.5);
    d.finish()
}
