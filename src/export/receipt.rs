//! The receipt for one payment: a Quittung (§ 368 BGB) for cash, a Zahlungsbestätigung for
//! other ways of paying. It states who paid how much for which invoice, when and how, "Betrag
//! dankend erhalten", and has the place and date filled in and a line for the signature.
//! For Austrian cash payments the RKSV limits are the practitioner's business, not the
//! client's: they are checked in `vault/billing/cash.rs`, not printed here.

use crate::billing::Payment;
use crate::error::Result;

use super::invoice_pdf::{address_window, facts, footer, letterhead, tax_ids};
use super::pdf::archive::Meta;
use super::pdf::{Doc, LEFT, RIGHT};
use super::InvoiceDoc;

/// The title: "Quittung" for cash, "Zahlungsbestätigung" otherwise.
pub fn receipt_title(doc: &InvoiceDoc, p: &Payment) -> &'static str {
    let loc = doc.locale();
    if p.method == "cash" {
        loc.t("Quittung", "Receipt")
    } else {
        loc.t("Zahlungsbestätigung", "Payment confirmation")
    }
}

/// The receipt for payment `p` of the invoice in `doc`, finished with `meta`.
pub fn receipt_pdf_as(doc: &InvoiceDoc, p: &Payment, meta: &Meta) -> Result<Vec<u8>> {
    let loc = doc.locale();
    let inv = &doc.invoice;
    let who = &doc.issuer;
    let title = receipt_title(doc, p);
    let mut d = Doc::new(title)?;
    d.set_footer(&footer(who, &loc));
    letterhead(&mut d, who, doc.logo.as_ref(), &loc);
    address_window(&mut d, who, &inv.payer);
    let mut rows = vec![
        (format!("{} {}", loc.invoice_word(), loc.t("Nr.", "no.")), inv.display_number().to_string()),
        (format!("{} {}", loc.invoice_word(), loc.t("vom", "of")), loc.opt_date(inv.issue_date)),
        (loc.t("Zahlungstag", "Payment date").into(), loc.date(p.date)),
    ];
    rows.extend(tax_ids(who, &loc));
    facts(&mut d, &rows);

    d.y = 100.0;
    d.text(LEFT, d.y, 15.0, true, title);
    d.y += 9.0;
    let width = RIGHT - LEFT;
    d.text(LEFT, d.y, 12.0, true, &format!("{} {}", loc.t("Betrag:", "Amount:"), loc.money(p.amount)));
    d.y += 8.0;
    let line = format!(
        "{} {} {} {} {} {} {}",
        loc.t("Von", "From"),
        inv.payer.party.name.trim(),
        loc.t("für", "for"),
        loc.invoice_word(),
        loc.t("Nr.", "no."),
        inv.display_number(),
        loc.paid_by(&p.method),
    );
    d.paragraph(LEFT, width, 10.0, false, &format!("{}.", line.trim_end()));
    d.paragraph(LEFT, width, 10.0, true, loc.t("Betrag dankend erhalten.", "Amount received with thanks."));
    let gross = inv.totals.gross;
    if p.amount != gross {
        let of = format!("{} {}.", loc.t("Rechnungsbetrag:", "Invoice total:"), loc.money(gross));
        d.paragraph(LEFT, width, 9.0, false, &of);
    }
    // The place and date are printed; the signature is the practitioner's, by hand.
    d.y += 22.0;
    d.ensure(20.0);
    let place = format!("{}, {}", who.city.trim(), loc.date(p.date));
    d.text(LEFT, d.y - 1.5, 10.0, false, &place);
    d.rule(LEFT, LEFT + 60.0, d.y, 0.4);
    d.rule(RIGHT - 70.0, RIGHT, d.y, 0.4);
    d.y += 4.0;
    d.text(LEFT, d.y, 8.0, false, loc.t("Ort, Datum", "Place, date"));
    d.text(RIGHT - 70.0, d.y, 8.0, false, &format!("{} ({})", loc.t("Unterschrift", "Signature"), who.full_name()));
    d.finish_with(meta)
}
