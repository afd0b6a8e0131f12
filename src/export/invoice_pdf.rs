//! The invoice PDF (Honorarnote in AT, Rechnung in DE), and the letter parts it shares with
//! the Honorarnote and the dunning letters: letterhead, address window, bank block with the
//! GiroCode, footer. Every field §11 UStG (AT) and §14 Abs. 4 UStG (DE) require is printed;
//! the shorter small-invoice forms are not used, as the full form is always valid.

use crate::billing::tax::{exemption_note, rate_label};
use crate::billing::{InvoiceKind, InvoiceLine, InvoiceStatus, Issuer, Payer, PayerRole};
use crate::domain::logo::Logo;
use crate::domain::money::Cents;
use crate::domain::practice::{Country, Language};
use crate::domain::service::{FeeSchedule, TaxMode};
use crate::error::Result;

use super::epc;
use super::pdf::archive::Meta;
use super::pdf::{Align, Col, Doc, LEFT, RIGHT};
use super::text::Locale;
use super::InvoiceDoc;

/// Where the address window of a DIN 5008 envelope starts (mm from top).
const WINDOW_Y: f32 = 50.0;
/// The width of the address text in the window.
const WINDOW_W: f32 = 80.0;
/// The right-hand column of the letter's facts.
const FACTS_X: f32 = 122.0;

/// Letterhead: name, profession, address and contact, top of the first page; the logo, if
/// any, above the contact lines at the right.
pub(super) fn letterhead(d: &mut Doc, who: &Issuer, logo: Option<&Logo>, loc: &Locale) {
    if let Some(logo) = logo {
        d.image_top_right(logo, RIGHT, 6.0, 50.0, 11.0);
    }
    let name = if who.practice_name.trim().is_empty() { who.full_name() } else { who.practice_name.clone() };
    d.text(LEFT, 22.0, 15.0, true, &name);
    let mut y = 28.0;
    let mut sub = Vec::new();
    if !who.practice_name.trim().is_empty() {
        sub.push(who.full_name());
    }
    if !who.profession.trim().is_empty() {
        sub.push(who.profession.clone());
    }
    if !sub.is_empty() {
        d.text(LEFT, y, 9.0, false, &sub.join(" · "));
        y += 4.5;
    }
    if !who.registration_number.trim().is_empty() {
        d.text(
            LEFT,
            y,
            8.0,
            false,
            &format!("{} {}", loc.t("Eintragungsnummer", "Registration no."), who.registration_number),
        );
    }
    let contact: Vec<String> =
        [format!("{}, {} {}", who.street, who.postal_code, who.city), who.phone.clone(), who.email.clone()]
            .into_iter()
            .filter(|s| !s.trim().is_empty() && s.trim() != ",")
            .collect();
    for (i, c) in contact.iter().enumerate() {
        d.text_right(RIGHT, 22.0 + i as f32 * 4.2, 8.5, false, c);
    }
    d.rule(LEFT, RIGHT, 38.0, 0.5);
}

/// The sender line and the recipient's address in the envelope window.
pub(super) fn address_window(d: &mut Doc, who: &Issuer, payer: &Payer) {
    let sender = format!("{} · {} · {} {}", who.payee(), who.street, who.postal_code, who.city);
    d.text(LEFT, WINDOW_Y, 7.0, false, &sender);
    d.rule(LEFT, LEFT + d.width(&sender, 7.0, false), WINDOW_Y + 1.0, 0.3);
    let p = &payer.party;
    let lines = [p.name.clone(), p.street.clone(), format!("{} {}", p.postal_code, p.city), p.country.clone()];
    let mut y = WINDOW_Y + 7.0;
    // A long line wraps inside the window (DIN 5008: 85 mm wide, the text 80 mm of it), and
    // the address stops at the window's bottom edge (45 mm tall) rather than run under it.
    let bottom = WINDOW_Y - 5.0 + 45.0;
    for l in lines.iter().filter(|l| !l.trim().is_empty()) {
        for part in d.wrap(l.trim(), WINDOW_W, 10.5, false) {
            if y > bottom {
                return;
            }
            d.text(LEFT, y, 10.5, false, &part);
            y += 5.0;
        }
    }
}

/// Label/value pairs in the right-hand column beside the address window.
pub(super) fn facts(d: &mut Doc, rows: &[(String, String)]) {
    let mut y = WINDOW_Y + 2.0;
    for (k, v) in rows.iter().filter(|(_, v)| !v.is_empty()) {
        d.text(FACTS_X, y, 8.5, false, k);
        d.text_right(RIGHT, y, 8.5, true, v);
        y += 4.6;
    }
}

/// The issuer's tax identifiers, as the facts column shows them.
pub(super) fn tax_ids(who: &Issuer, loc: &Locale) -> Vec<(String, String)> {
    let mut v = Vec::new();
    if !who.tax_number.trim().is_empty() {
        v.push((loc.t("Steuernummer", "Tax number").into(), who.tax_number.clone()));
    }
    if !who.vat_id.trim().is_empty() {
        let label = match who.country {
            Country::AT => loc.t("UID-Nummer", "VAT ID"),
            Country::DE => loc.t("USt-IdNr.", "VAT ID"),
        };
        v.push((label.into(), who.vat_id.clone()));
    }
    v
}

/// Bank details and, when there is something to pay, the GiroCode with that amount.
pub(super) fn bank_block(d: &mut Doc, who: &Issuer, loc: &Locale, amount: Cents, reference: &str) -> Result<()> {
    if who.iban.trim().is_empty() {
        return Ok(());
    }
    let qr = epc::payload(&who.payee(), &who.iban, &who.bic, amount, reference);
    let height = if qr.is_some() { 42.0 } else { 22.0 };
    d.ensure(height + 4.0);
    let top = d.y + 2.0;
    d.rule(LEFT, RIGHT, top - 3.0, 0.3);
    let rows = [
        (loc.t("Kontoinhaber*in", "Account holder"), who.payee()),
        ("IBAN", spaced_iban(&who.iban)),
        ("BIC", who.bic.clone()),
        (loc.t("Bank", "Bank"), who.bank.clone()),
        (loc.t("Verwendungszweck", "Reference"), reference.to_string()),
    ];
    let mut y = top + 3.0;
    for (k, v) in rows.iter().filter(|(_, v)| !v.is_empty()) {
        d.text(LEFT, y, 9.0, false, k);
        d.text(LEFT + 34.0, y, 9.0, true, v);
        y += 4.8;
    }
    if let Some(p) = qr {
        let size = 34.0;
        let x = RIGHT - size;
        draw_qr(d, &p, x, top - 1.0, size)?;
        d.text_right(
            RIGHT,
            top + size + 2.5,
            7.0,
            false,
            loc.t("GiroCode: mit der Banking-App scannen", "GiroCode: scan with your banking app"),
        );
    }
    d.y = top + height;
    Ok(())
}

fn draw_qr(d: &mut Doc, payload: &str, x: f32, y: f32, size: f32) -> Result<()> {
    let (w, dark) = epc::modules(payload)?;
    // A quiet zone of 4 modules around the code, as the QR standard asks.
    let m = size / (w as f32 + 8.0);
    let mut cells = Vec::new();
    for row in 0..w {
        let mut col = 0;
        while col < w {
            if dark[row * w + col] {
                let start = col;
                while col < w && dark[row * w + col] {
                    col += 1;
                }
                // Horizontal runs as one rectangle each: fewer path segments, smaller PDF.
                cells.push((start as u32 + 4, row as u32 + 4, (col - start) as u32, 1));
            } else {
                col += 1;
            }
        }
    }
    d.fill_grid(x, y, m, &cells);
    Ok(())
}

pub(super) fn spaced_iban(iban: &str) -> String {
    let c: Vec<char> = iban.chars().filter(|c| !c.is_whitespace()).collect();
    c.chunks(4).map(|g| g.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}

/// The footer line: who issued it and their tax ids, on every page.
pub(super) fn footer(who: &Issuer, loc: &Locale) -> String {
    let mut parts = vec![who.payee()];
    for (k, v) in tax_ids(who, loc) {
        parts.push(format!("{k} {v}"));
    }
    parts.join(" · ")
}

/// "Honorarnote Nr. 2026-0001" / "Stornorechnung Nr. …".
pub fn title(doc: &InvoiceDoc, loc: &Locale) -> String {
    let word = match doc.invoice.kind {
        InvoiceKind::Invoice => loc.invoice_word(),
        InvoiceKind::Cancellation => loc.cancellation_word(),
    };
    format!("{word} {} {}", loc.t("Nr.", "no."), doc.invoice.display_number())
}

/// A preview (a draft) or a document made now; issued invoices are kept as issued instead.
pub fn invoice_pdf(doc: &InvoiceDoc) -> Result<Vec<u8>> {
    invoice_pdf_as(doc, &Meta::now())
}

/// The invoice PDF finished with `meta` (creation date, id, PDF/A-3 and its attachments).
pub fn invoice_pdf_as(doc: &InvoiceDoc, meta: &Meta) -> Result<Vec<u8>> {
    let loc = doc.locale();
    let inv = &doc.invoice;
    let who = &doc.issuer;
    let title = title(doc, &loc);
    let mut d = Doc::new(&title)?;
    d.set_running_head(&title);
    d.set_footer(&footer(who, &loc));
    letterhead(&mut d, who, doc.logo.as_ref(), &loc);
    address_window(&mut d, who, &inv.payer);

    let storno = inv.kind == InvoiceKind::Cancellation;
    let (word, date_label) = if storno {
        (loc.cancellation_word(), loc.t("Datum", "Date"))
    } else {
        (loc.invoice_word(), loc.t("Rechnungsdatum", "Invoice date"))
    };
    let mut rows = vec![
        (format!("{word} {}", loc.t("Nr.", "no.")), inv.display_number().to_string()),
        (date_label.into(), loc.opt_date(inv.issue_date)),
        (
            loc.t("Leistungszeitraum", "Service period").into(),
            format!("{} – {}", loc.date(inv.period_from), loc.date(inv.period_to)),
        ),
    ];
    if let (true, Some((n, d))) = (storno, &doc.cancels) {
        rows.insert(1, (format!("{} {} {}", loc.t("zu", "for"), loc.invoice_word(), loc.t("Nr.", "no.")), n.clone()));
        rows.insert(2, (format!("{} {}", loc.invoice_word(), loc.t("vom", "of")), loc.date(*d)));
    }
    if inv.kind == InvoiceKind::Invoice {
        rows.push((loc.t("Zahlbar bis", "Due date").into(), loc.opt_date(inv.due_date)));
    }
    if inv.payer.role != PayerRole::Client || inv.payer.party.name != doc.client.name {
        rows.push((loc.t("Klient*in", "Client").into(), doc.client.name.clone()));
        if let Some(b) = doc.client.birth_date {
            rows.push((loc.t("geboren am", "Date of birth").into(), loc.date(b)));
        }
    }
    rows.extend(tax_ids(who, &loc));
    // AT § 11 Abs. 1 Z 3 lit. j UStG: the recipient's UID, where they have one.
    if !inv.payer.party.vat_id.trim().is_empty() {
        rows.push((loc.t("UID Empfänger", "Recipient VAT id").into(), inv.payer.party.vat_id.clone()));
    }
    facts(&mut d, &rows);

    d.y = 100.0;
    d.text(LEFT, d.y, 15.0, true, &title);
    d.y += 7.0;
    let intro = match (&doc.cancels, inv.kind) {
        (Some((n, date)), InvoiceKind::Cancellation) => format!(
            "{} {} {} {} {}.",
            loc.t("Hiermit wird die", "This cancels"),
            loc.invoice_word(),
            loc.t("Nr.", "no."),
            n,
            loc.t(
                &format!("vom {} vollständig storniert", loc.date(*date)),
                &format!("of {} in full", loc.date(*date))
            )
        ),
        _ if !inv.texts.intro.trim().is_empty() => inv.texts.intro.trim().to_string(),
        _ => loc
            .t(
                "Für meine Leistungen erlaube ich mir, folgendes Honorar in Rechnung zu stellen:",
                "For my services I charge the following fees:",
            )
            .into(),
    };
    d.paragraph(LEFT, RIGHT - LEFT, 10.0, false, &intro);
    if let (true, Some(s)) = (storno, &doc.storno) {
        d.paragraph(LEFT, RIGHT - LEFT, 10.0, false, &format!("{}: {}", loc.t("Grund", "Reason"), s.reason));
    }
    if inv.share_bp < 10_000 {
        let pct = rate_label(TaxMode::Taxable { rate_bp: inv.share_bp }, loc.lang);
        d.paragraph(
            LEFT,
            RIGHT - LEFT,
            9.0,
            false,
            &format!(
                "{} {pct}.",
                loc.t("Ihr Anteil an jeder Leistung (geteilte Rechnung):", "Your share of each service (split bill):")
            ),
        );
    }
    d.y += 3.0;

    let taxable = inv.lines.iter().any(|l| matches!(l.input.tax, TaxMode::Taxable { .. }));
    let mut cols = vec![
        Col { width: 22.0, align: Align::Left },
        Col { width: if taxable { 76.0 } else { 92.0 }, align: Align::Left },
        Col { width: 14.0, align: Align::Right },
        Col { width: 14.0, align: Align::Right },
    ];
    let mut header = vec![
        loc.t("Datum", "Date").to_string(),
        loc.t("Leistung", "Service").to_string(),
        loc.t("Min.", "Min.").to_string(),
        loc.t("Menge", "Qty").to_string(),
    ];
    if taxable {
        cols.push(Col { width: 16.0, align: Align::Right });
        header.push(loc.t("USt", "VAT").into());
    }
    cols.push(Col { width: RIGHT - LEFT - cols.iter().map(|c| c.width).sum::<f32>(), align: Align::Right });
    header.push(loc.t("Betrag", "Amount").into());
    let body: Vec<Vec<String>> = inv
        .lines
        .iter()
        .map(|l| {
            let mut r = vec![
                loc.opt_date(l.input.date),
                with_share(line_text(l, &loc), l, inv.share_bp, &loc),
                l.input.minutes.map(|m| m.to_string()).unwrap_or_default(),
                l.input.quantity.to_string(),
            ];
            if taxable {
                r.push(rate_label(l.input.tax, loc.lang));
            }
            r.push(loc.money(l.amount));
            r
        })
        .collect();
    d.table(LEFT, &cols, &header, &body, 9.0);
    diagnosis(&mut d, doc, &loc);

    totals(&mut d, doc, &loc);
    notes(&mut d, doc, &loc);
    // A Storno asks for nothing: no bank details, no payment code.
    if !storno {
        let reference = inv.display_number().to_string();
        bank_block(&mut d, who, &loc, doc.balance.due_amount()?, &reference)?;
    }
    d.finish_with(meta)
}

/// A line's text; under a fee schedule as § 12 Abs. 2 GOÄ asks: the number, the designation,
/// the multiplier and, above the threshold, the written reason.
fn line_text(l: &InvoiceLine, loc: &Locale) -> String {
    let f = &l.input.fee;
    if f.schedule == FeeSchedule::None || f.number.trim().is_empty() {
        return l.input.description.clone();
    }
    let mut s = format!("{} {} {}", loc.t("Nr.", "No."), f.number.trim(), l.input.description);
    if let Some(m) = l.input.multiplier() {
        let decimal = if loc.lang == Language::De { ',' } else { '.' };
        s.push_str(&format!(", {}-{}", m.label(decimal), loc.t("fach", "fold")));
    }
    if !l.input.fee_reason.trim().is_empty() {
        s.push_str(&format!(" ({}: {})", loc.t("Begründung", "Reason"), l.input.fee_reason.trim()));
    }
    s
}

/// A split bill's line names the full fee beside the share it bills: "… (Honorar 100,00 €,
/// Ihr Anteil 40 %)". The amount column is the share.
pub(super) fn with_share(text: String, l: &InvoiceLine, share_bp: u32, loc: &Locale) -> String {
    match l.input.full_unit {
        Some(full) if share_bp < 10_000 => format!(
            "{text} ({} {}, {} {})",
            loc.t("Honorar", "Fee"),
            loc.money(full),
            loc.t("Ihr Anteil", "your share"),
            rate_label(TaxMode::Taxable { rate_bp: share_bp }, loc.lang)
        ),
        _ => text,
    }
}

/// German private invoices name the diagnosis (GOÄ practice; a setting, as not every payer
/// wants it): printed when the practice asks for it and a line is billed under a fee schedule.
fn diagnosis(d: &mut Doc, doc: &InvoiceDoc, loc: &Locale) {
    let print = doc.invoice.snapshot.as_ref().is_some_and(|s| s.print_diagnosis);
    let private = doc.invoice.lines.iter().any(|l| l.input.fee.schedule != FeeSchedule::None);
    if !print || !private || doc.issuer.country != Country::DE || doc.client.diagnoses.is_empty() {
        return;
    }
    let list: Vec<String> =
        doc.client.diagnoses.iter().map(|x| format!("{} {}", x.code, x.text).trim().to_string()).collect();
    let s = format!("{}: {}", loc.t("Diagnose", "Diagnosis"), list.join("; "));
    d.paragraph(LEFT, RIGHT - LEFT, 9.0, false, &s);
}

/// Net, tax and gross per rate, then the total; exempt modes show only their amount.
fn totals(d: &mut Doc, doc: &InvoiceDoc, loc: &Locale) {
    let t = &doc.invoice.totals;
    let label_x = 118.0;
    d.ensure(6.0 * (t.per_rate.len() as f32 + 2.0));
    for r in &t.per_rate {
        match r.tax {
            TaxMode::Taxable { .. } => {
                let rate = rate_label(r.tax, loc.lang);
                d.text(label_x, d.y, 9.0, false, &format!("{} {rate}", loc.t("Netto", "Net")));
                d.text_right(RIGHT, d.y, 9.0, false, &loc.money(r.net));
                d.y += 4.6;
                d.text(label_x, d.y, 9.0, false, &format!("{} {rate}", loc.t("USt", "VAT")));
                d.text_right(RIGHT, d.y, 9.0, false, &loc.money(r.tax_amount));
                d.y += 4.6;
            }
            _ if t.per_rate.len() > 1 => {
                d.text(label_x, d.y, 9.0, false, loc.t("Steuerfrei (0 %)", "VAT exempt (0%)"));
                d.text_right(RIGHT, d.y, 9.0, false, &loc.money(r.net));
                d.y += 4.6;
            }
            _ => {}
        }
    }
    d.y += 1.0;
    d.text(label_x, d.y, 11.0, true, loc.t("Gesamtbetrag", "Total"));
    d.text_right(RIGHT, d.y, 11.0, true, &loc.money(t.gross));
    d.y += 8.0;
}

/// Exemption notes, payment terms, and what was paid.
fn notes(d: &mut Doc, doc: &InvoiceDoc, loc: &Locale) {
    let inv = &doc.invoice;
    let width = RIGHT - LEFT;
    let mut seen = Vec::new();
    for r in &inv.totals.per_rate {
        if let Some(n) = exemption_note(r.tax, loc.lang) {
            if !seen.contains(&n) {
                d.paragraph(LEFT, width, 9.0, false, n);
                seen.push(n);
            }
        }
    }
    for p in &inv.payments {
        let s = format!(
            "{} {} {} ({}).",
            loc.t("Zahlung erhalten am", "Payment received on"),
            loc.date(p.date),
            loc.money(p.amount),
            loc.method(&p.method)
        );
        d.paragraph(LEFT, width, 9.0, false, &s);
    }
    let b = &doc.balance;
    match (inv.kind, b.status) {
        (InvoiceKind::Cancellation, _) => {
            if let Some(paid) = doc.storno.as_ref().map(|s| s.paid).filter(|p| p.get() > 0) {
                let s = format!(
                    "{} {} {}",
                    loc.t("Den bereits bezahlten Betrag von", "The amount of"),
                    loc.money(paid),
                    loc.t("erstatte ich Ihnen zurück.", "already paid will be refunded to you."),
                );
                d.paragraph(LEFT, width, 9.0, true, &s);
            }
        }
        (_, InvoiceStatus::Paid) => d.paragraph(
            LEFT,
            width,
            9.0,
            true,
            loc.t("Der Betrag wurde vollständig bezahlt. Vielen Dank!", "Paid in full. Thank you!"),
        ),
        (_, InvoiceStatus::Cancelled) => d.paragraph(
            LEFT,
            width,
            9.0,
            true,
            loc.t("Diese Rechnung wurde storniert.", "This invoice has been cancelled."),
        ),
        _ => {
            // A draft owes nothing yet (its balance is 0) and has no due date until it is
            // issued; its preview asks for the total, without a date.
            let (amount, by) = match (b.status, inv.due_date) {
                (InvoiceStatus::Draft, _) => (Some(inv.totals.gross), String::new()),
                (_, due) => (b.due, due.map(|d| loc.date(d)).unwrap_or_default()),
            };
            let mut s = format!(
                "{} {} {}",
                loc.t("Bitte überweisen Sie den Betrag von", "Please transfer"),
                loc.money_or_not_computable(amount),
                match by.as_str() {
                    "" => loc
                        .t("ohne Abzug auf das unten angegebene Konto.", "without deduction to the account below.")
                        .to_string(),
                    by => loc
                        .t(
                            &format!("ohne Abzug bis {by} auf das unten angegebene Konto."),
                            &format!("without deduction by {by} to the account below."),
                        )
                        .to_string(),
                },
            );
            s.push(' ');
            s.push_str(loc.t(
                "Bitte geben Sie die Rechnungsnummer als Verwendungszweck an.",
                "Please quote the invoice number as the reference.",
            ));
            d.paragraph(LEFT, width, 9.0, false, &s);
            // A German consumer is in default 30 days after the due date without a reminder
            // only if the invoice says so (§ 286 Abs. 3 BGB).
            if doc.issuer.country == Country::DE && inv.payer.is_consumer() {
                d.paragraph(
                    LEFT,
                    width,
                    9.0,
                    false,
                    loc.t(
                        "Hinweis: Sie kommen spätestens 30 Tage nach Fälligkeit und Zugang dieser Rechnung in Verzug, ohne dass es einer Mahnung bedarf (§ 286 Abs. 3 BGB).",
                        "Note: you are in default at the latest 30 days after the due date and receipt of this invoice, without a reminder (§ 286 (3) BGB).",
                    ),
                );
            }
        }
    }
    let closing = inv.texts.closing.trim();
    if inv.kind == InvoiceKind::Invoice && !closing.is_empty() {
        d.y += 1.5;
        d.paragraph(LEFT, width, 9.0, false, closing);
    }
    d.y += 3.0;
}
