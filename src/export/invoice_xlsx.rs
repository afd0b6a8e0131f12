//! The invoice as a workbook: the same fields as the PDF, one row per line with real formulas
//! (net = quantity × unit price, tax rounded per line, gross = net + tax) and the sums per tax
//! mode and in total as formulas, each with its cached result from the integer cents.

use rust_xlsxwriter::Workbook;

use crate::billing::tax::{exemption_note, rate_label};
use crate::domain::service::TaxMode;
use crate::error::Result;

use super::invoice_pdf::{spaced_iban, tax_ids, title};
use super::xlsx::{cell, save, Sheet};
use super::InvoiceDoc;

/// The tax column's label of a mode: "USt 20 %", or the legal basis of an exemption. The
/// per-mode sums match on it with SUMIF, so it must never read as a number ("20 %" would).
fn mode_label(mode: TaxMode, loc: &super::Locale) -> String {
    match mode {
        TaxMode::Taxable { .. } => format!("{} {}", loc.t("USt", "VAT"), rate_label(mode, loc.lang)),
        TaxMode::AtExempt => "§ 6 Abs. 1 Z 19 UStG".into(),
        TaxMode::AtSmallBusiness => "§ 6 Abs. 1 Z 27 UStG".into(),
        TaxMode::DeExempt => "§ 4 Nr. 14 UStG".into(),
        TaxMode::DeSmallBusiness => "§ 19 UStG".into(),
    }
}

pub fn invoice_xlsx(doc: &InvoiceDoc) -> Result<Vec<u8>> {
    let loc = doc.locale();
    let inv = &doc.invoice;
    let who = &doc.issuer;
    let mut wb = Workbook::new();
    let mut s = Sheet::new(&mut wb, loc.invoice_word(), loc.lang)?;
    s.widths(&[12.0, 40.0, 9.0, 8.0, 13.0, 13.0, 9.0, 12.0, 13.0, 22.0])?;
    s.title(0, &title(doc, &loc))?;
    let p = &inv.payer.party;
    let mut facts: Vec<(String, String)> = vec![
        (loc.t("Von", "From").into(), format!("{}, {}, {} {}", who.full_name(), who.street, who.postal_code, who.city)),
        (
            loc.t("An", "To").into(),
            [p.name.as_str(), p.street.as_str(), &format!("{} {}", p.postal_code, p.city)]
                .iter()
                .filter(|x| !x.trim().is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (loc.t("Klient*in", "Client").into(), doc.client.name.clone()),
        (loc.t("Rechnungsdatum", "Invoice date").into(), loc.opt_date(inv.issue_date)),
        (
            loc.t("Leistungszeitraum", "Service period").into(),
            format!("{} – {}", loc.date(inv.period_from), loc.date(inv.period_to)),
        ),
        (loc.t("Zahlbar bis", "Due date").into(), loc.opt_date(inv.due_date)),
    ];
    facts.extend(tax_ids(who, &loc));
    if let Some((n, d)) = &doc.cancels {
        facts.push((loc.t("Storniert", "Cancels").into(), format!("{n} ({})", loc.date(*d))));
    }
    let mut row = 2;
    for (k, v) in &facts {
        s.bold(row, 0, k)?;
        s.text(row, 1, v)?;
        row += 1;
    }
    row += 1;
    let header = [
        loc.t("Datum", "Date"),
        loc.t("Leistung", "Service"),
        loc.t("Minuten", "Minutes"),
        loc.t("Menge", "Qty"),
        loc.t("Einzelpreis", "Unit price"),
        loc.t("Netto", "Net"),
        loc.t("USt-Satz", "VAT rate"),
        loc.t("USt", "VAT"),
        loc.t("Brutto", "Gross"),
        loc.t("Steuer", "Tax basis"),
    ];
    s.header(row, &header)?;
    row += 1;
    let first = row;
    for l in &inv.lines {
        let i = &l.input;
        s.date(row, 0, i.date)?;
        s.text(row, 1, &super::invoice_pdf::with_share(i.description.clone(), l, inv.share_bp, &loc))?;
        if let Some(m) = i.minutes {
            s.int(row, 2, m as i64)?;
        }
        s.int(row, 3, i.quantity)?;
        s.money(row, 4, i.unit)?;
        s.formula(row, 5, &format!("={}*{}", cell(row, 3), cell(row, 4)), l.amount, false)?;
        s.rate(row, 6, i.tax.rate_bp())?;
        // Tax in whole cents, half away from zero, from exact integers: the same rule as the
        // core (billing::tax), immune to binary fractions such as 0.145.
        let tax =
            format!("=ROUND(ROUND({f}*100,0)*ROUND({g}*10000,0)/10000,0)/100", f = cell(row, 5), g = cell(row, 6));
        s.formula(row, 7, &tax, l.tax_amount, false)?;
        s.formula(row, 8, &format!("={}+{}", cell(row, 5), cell(row, 7)), l.gross()?, false)?;
        s.text(row, 9, &mode_label(i.tax, &loc))?;
        row += 1;
    }
    let last = row.saturating_sub(1).max(first);
    let range = |col: u16| format!("{}:{}", cell(first, col), cell(last, col));
    row += 1;
    for r in &inv.totals.per_rate {
        let label = mode_label(r.tax, &loc);
        s.bold(row, 1, &format!("{} {label}", loc.t("Summe", "Subtotal")))?;
        s.text(row, 9, &label)?;
        let sumif = |col: u16| format!("=SUMIF({},{},{})", range(9), cell(row, 9), range(col));
        s.formula(row, 5, &sumif(5), r.net, false)?;
        s.formula(row, 7, &sumif(7), r.tax_amount, false)?;
        s.formula(row, 8, &sumif(8), r.gross, false)?;
        row += 1;
    }
    let total_row = row;
    s.bold(row, 1, loc.t("Gesamtbetrag", "Total"))?;
    s.formula(row, 5, &format!("=SUM({})", range(5)), inv.totals.net, true)?;
    s.formula(row, 7, &format!("=SUM({})", range(7)), inv.totals.tax, true)?;
    s.formula(row, 8, &format!("=SUM({})", range(8)), inv.totals.gross, true)?;
    row += 1;
    if !inv.payments.is_empty() {
        s.bold(row, 1, loc.t("Bezahlt", "Paid"))?;
        let paid = doc.balance.paid.ok_or(crate::Error::AmountOverflow)?;
        s.money(row, 8, paid)?;
        row += 1;
        s.bold(row, 1, loc.t("Offen", "Due"))?;
        let due = inv.totals.gross.checked_sub(paid)?;
        s.formula(row, 8, &format!("={}-{}", cell(total_row, 8), cell(row - 1, 8)), due, true)?;
        row += 1;
    }
    row += 1;
    let mut seen = Vec::new();
    for r in &inv.totals.per_rate {
        if let Some(n) = exemption_note(r.tax, loc.lang) {
            if !seen.contains(&n) {
                s.text(row, 0, n)?;
                seen.push(n);
                row += 1;
            }
        }
    }
    if !who.iban.is_empty() {
        s.text(row, 0, &format!("IBAN {}  BIC {}  {}", spaced_iban(&who.iban), who.bic, who.bank))?;
    }
    save(&mut wb)
}
