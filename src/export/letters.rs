//! The Honorarnote for reimbursement by an Austrian health insurer (ÖGK style) and the dunning
//! letters (Zahlungserinnerung, Mahnung, letzte Mahnung).

use crate::billing::{DunningLetter, InvoiceStatus, LineKind, PayerRole};
use crate::domain::money::Cents;
use crate::domain::practice::Country;
use crate::domain::validate::spaced_svnr;
use crate::error::{Error, Problem, Result};

use super::invoice_pdf::{address_window, bank_block, facts, footer, letterhead, tax_ids};
use super::pdf::archive::Meta;
use super::pdf::{Align, Col, Doc, LEFT, RIGHT};
use super::InvoiceDoc;

/// The claim form a client hands to their insurer: who was treated (with social-insurance
/// number and birth date), for what (ICD-10), how (method), each session's date, duration,
/// setting and fee, whether it was paid, and room for signature and stamp.
pub fn honorarnote_pdf(doc: &InvoiceDoc) -> Result<Vec<u8>> {
    honorarnote_pdf_as(doc, &Meta::now())
}

/// The claim form finished with `meta`, as it is kept when first printed.
pub fn honorarnote_pdf_as(doc: &InvoiceDoc, meta: &Meta) -> Result<Vec<u8>> {
    let loc = doc.locale();
    let inv = &doc.invoice;
    let who = &doc.issuer;
    let c = &doc.client;
    let title = format!(
        "{} {} {}",
        loc.t("Honorarnote zur Einreichung", "Claim form for reimbursement"),
        loc.t("Nr.", "no."),
        inv.display_number()
    );
    let mut d = Doc::new(&title)?;
    d.set_running_head(&title);
    d.set_footer(&footer(who, &loc));
    letterhead(&mut d, who, doc.logo.as_ref(), &loc);
    address_window(&mut d, who, &inv.payer);
    let mut rows = vec![
        (loc.t("Honorarnote Nr.", "Invoice no.").to_string(), inv.display_number().to_string()),
        (loc.t("Datum", "Date").into(), loc.opt_date(inv.issue_date)),
    ];
    rows.extend(tax_ids(who, &loc));
    facts(&mut d, &rows);

    d.y = 96.0;
    d.text(LEFT, d.y, 14.0, true, &title);
    d.y += 8.0;
    // A co-insured child or spouse: the insured person the ÖGK pays through, with their SVNR.
    let insured = if !c.insured_name.trim().is_empty() {
        format!("{}, {} {}", c.insured_name.trim(), loc.t("SVNR", "SSN"), spaced_svnr(&c.insured_number))
            .trim()
            .to_string()
    } else if c.insurance_number.is_empty() {
        inv.payer.party.name.clone()
    } else {
        c.name.clone()
    };
    let diagnoses: Vec<String> =
        c.diagnoses.iter().map(|x| format!("{} {}", x.code, x.text).trim().to_string()).collect();
    let method =
        if doc.treatment_method.trim().is_empty() { who.profession.clone() } else { doc.treatment_method.clone() };
    let patient = [
        (loc.t("Patient*in", "Patient"), c.name.clone()),
        (loc.t("Geburtsdatum", "Date of birth"), loc.opt_date(c.birth_date)),
        (loc.t("Versicherungsnummer", "Social insurance no."), spaced_svnr(&c.insurance_number)),
        (loc.t("Versicherungsträger", "Insurer"), c.insurer.clone()),
        (loc.t("Versicherte Person", "Insured person"), insured),
        (loc.t("Diagnose (ICD-10)", "Diagnosis (ICD-10)"), diagnoses.join("; ")),
        (loc.t("Behandlungsmethode", "Treatment method"), method),
        (loc.t("Behandler*in", "Therapist"), [who.full_name(), who.profession.clone()].join(", ")),
        (loc.t("Eintragungsnummer", "Registration no."), who.registration_number.clone()),
    ];
    for (k, v) in patient {
        d.text(LEFT, d.y, 9.5, false, k);
        let lines = d.wrap(&v, RIGHT - LEFT - 48.0, 9.5, true);
        for l in lines {
            d.text(LEFT + 48.0, d.y, 9.5, true, &l);
            d.y += 5.0;
        }
    }
    d.y += 4.0;
    let cols = [
        Col { width: 28.0, align: Align::Left },
        Col { width: 62.0, align: Align::Left },
        Col { width: 26.0, align: Align::Right },
        Col { width: 24.0, align: Align::Left },
        Col { width: RIGHT - LEFT - 140.0, align: Align::Right },
    ];
    let header = [
        loc.t("Datum", "Date"),
        loc.t("Leistung", "Service"),
        loc.t("Dauer (Min.)", "Duration (min)"),
        loc.t("Setting", "Setting"),
        loc.t("Betrag", "Amount"),
    ]
    .map(String::from);
    // Only rendered treatments are claimed: no no-show fees, no extra items.
    let treatments: Vec<_> = inv.lines.iter().filter(|l| l.input.kind == LineKind::Session).collect();
    let body: Vec<Vec<String>> = treatments
        .iter()
        .map(|l| {
            Ok(vec![
                loc.opt_date(l.input.date),
                l.input.description.clone(),
                l.input.minutes.map(|m| m.to_string()).unwrap_or_default(),
                l.input.setting.map(|s| loc.setting(s).to_string()).unwrap_or_default(),
                loc.money(l.gross()?),
            ])
        })
        .collect::<Result<_>>()?;
    d.table(LEFT, &cols, &header, &body, 9.0);
    let total = Cents::sum(treatments.iter().map(|l| l.gross()).collect::<Result<Vec<_>>>()?)?;
    d.text(118.0, d.y, 11.0, true, loc.t("Gesamtbetrag", "Total"));
    d.text_right(RIGHT, d.y, 11.0, true, &loc.money(total));
    d.y += 8.0;
    if doc.balance.status == InvoiceStatus::Paid {
        let last = inv.payments.iter().max_by_key(|p| p.date);
        let how = last.map(|p| loc.paid_by(&p.method)).unwrap_or_default();
        let s =
            format!("{} {} {how}.", loc.t("Betrag bezahlt am", "Paid in full on"), loc.opt_date(doc.balance.paid_on));
        d.paragraph(LEFT, RIGHT - LEFT, 10.0, true, &s);
    } else {
        d.paragraph(LEFT, RIGHT - LEFT, 9.0, false, loc.t("Noch nicht bezahlt.", "Not paid yet."));
    }
    d.y += 18.0;
    d.ensure(20.0);
    d.rule(LEFT, LEFT + 60.0, d.y, 0.4);
    d.rule(RIGHT - 70.0, RIGHT, d.y, 0.4);
    d.y += 4.0;
    d.text(LEFT, d.y, 8.0, false, loc.t("Ort, Datum", "Place, date"));
    d.text(RIGHT - 70.0, d.y, 8.0, false, loc.t("Unterschrift und Stempel", "Signature and stamp"));
    d.finish_with(meta)
}

/// The letter for one dunning level: what was invoiced, paid and charged, the new deadline, the
/// bank details and a GiroCode for what is still owed.
pub fn dunning_pdf(doc: &InvoiceDoc, letter: &DunningLetter) -> Result<Vec<u8>> {
    dunning_pdf_as(doc, letter, false, &Meta::now())
}

/// "Guten Tag Bärbel Größ," to a person (Tresor knows no form of address, and a name needs no
/// guessed gender); "Sehr geehrte Damen und Herren," to an organisation.
pub fn salutation(doc: &InvoiceDoc) -> String {
    let loc = doc.locale();
    let p = &doc.invoice.payer;
    let name = p.party.name.trim();
    if is_person(doc) && !name.is_empty() {
        format!("{} {name},", loc.t("Guten Tag", "Dear"))
    } else {
        loc.t("Sehr geehrte Damen und Herren,", "Dear Sir or Madam,").into()
    }
}

/// Whether the invoice goes to a person (the client or a guardian), i.e. a consumer.
pub fn is_person(doc: &InvoiceDoc) -> bool {
    matches!(doc.invoice.payer.role, PayerRole::Client | PayerRole::Guardian)
}

/// The statutory default interest the letter claims: for consumers 5 points above the base
/// rate (§ 288 Abs. 1 BGB) or 4 % a year (§ 1000 Abs. 1 ABGB), for businesses 9 points
/// (§ 288 Abs. 2 BGB) or 9.2 points (§ 456 UGB).
fn interest_sentence(doc: &InvoiceDoc) -> String {
    let loc = doc.locale();
    let rate = match (doc.issuer.country, is_person(doc)) {
        (Country::DE, true) => loc.t(
            "5 Prozentpunkten über dem Basiszinssatz (§ 288 Abs. 1 BGB)",
            "5 percentage points above the base rate (§ 288 (1) BGB)",
        ),
        (Country::DE, false) => loc.t(
            "9 Prozentpunkten über dem Basiszinssatz (§ 288 Abs. 2 BGB)",
            "9 percentage points above the base rate (§ 288 (2) BGB)",
        ),
        (Country::AT, true) => loc.t("4 % pro Jahr (§ 1000 Abs. 1 ABGB)", "4 % a year (§ 1000 (1) ABGB)"),
        (Country::AT, false) => loc.t(
            "9,2 Prozentpunkten über dem Basiszinssatz (§ 456 UGB)",
            "9.2 percentage points above the base rate (§ 456 UGB)",
        ),
    };
    format!(
        "{} {rate}.",
        loc.t(
            "Für die Dauer des Verzugs berechne ich Verzugszinsen in Höhe von",
            "For the period of default I charge interest at"
        )
    )
}

/// The dunning letter finished with `meta`, as it is kept when written; `interest`: claim
/// default interest.
pub fn dunning_pdf_as(doc: &InvoiceDoc, letter: &DunningLetter, interest: bool, meta: &Meta) -> Result<Vec<u8>> {
    let loc = doc.locale();
    let inv = &doc.invoice;
    let who = &doc.issuer;
    let number = inv.number.as_deref().ok_or(Error::InvoiceState { reason: "draft" })?;
    let issue = inv.issue_date.ok_or(Error::InvoiceState { reason: "draft" })?;
    if !doc.invoice.dunning.iter().any(|l| l.id == letter.id) {
        return Err(Error::invalid("level", Problem::UnknownValue));
    }
    let title = loc.dunning_title(letter.level);
    let mut d = Doc::new(title)?;
    d.set_running_head(&format!("{title} · {} {} {number}", loc.invoice_word(), loc.t("Nr.", "no.")));
    d.set_footer(&footer(who, &loc));
    letterhead(&mut d, who, doc.logo.as_ref(), &loc);
    address_window(&mut d, who, &inv.payer);
    facts(
        &mut d,
        &[
            (loc.t("Datum", "Date").into(), loc.date(letter.date)),
            (format!("{} {}", loc.invoice_word(), loc.t("Nr.", "no.")), number.into()),
            (loc.t("Rechnungsdatum", "Invoice date").into(), loc.date(issue)),
        ],
    );
    d.y = 100.0;
    d.text(LEFT, d.y, 15.0, true, title);
    d.y += 8.0;
    let opening = match letter.level {
        1 => loc.t(
            "sicher ist es Ihrer Aufmerksamkeit entgangen: Für die unten genannte Rechnung konnte ich bis heute keinen Zahlungseingang feststellen.",
            "you may have overlooked it: I have not yet received payment for the invoice below.",
        ),
        2 => loc.t(
            "trotz meiner Zahlungserinnerung ist der folgende Betrag noch offen.",
            "despite my reminder, the amount below is still outstanding.",
        ),
        _ => loc.t(
            "trotz zweier Schreiben ist der folgende Betrag noch immer offen. Dies ist die letzte Mahnung vor weiteren Schritten.",
            "despite two letters, the amount below is still outstanding. This is the final reminder before further steps.",
        ),
    };
    d.paragraph(LEFT, RIGHT - LEFT, 10.0, false, &salutation(doc));
    d.y += 1.5;
    d.paragraph(LEFT, RIGHT - LEFT, 10.0, false, opening);
    d.y += 4.0;
    // Fees up to and including this letter, so a reprint of an earlier level reads as it did.
    let fees = Cents::sum(inv.dunning.iter().filter(|l| l.level <= letter.level).map(|l| l.fee))?;
    let paid = doc.balance.paid.ok_or(Error::AmountOverflow)?;
    let owed = inv.totals.gross.checked_add(fees)?.checked_sub(paid)?;
    let rows = [
        (
            format!(
                "{} {} {}",
                loc.invoice_word(),
                number,
                loc.t(&format!("vom {}", loc.date(issue)), &format!("of {}", loc.date(issue)))
            ),
            inv.totals.gross,
        ),
        (loc.t("bereits bezahlt", "already paid").to_string(), paid.checked_neg()?),
        (loc.t("Mahngebühren", "Dunning fees").to_string(), fees),
    ];
    for (k, v) in rows {
        d.text(LEFT, d.y, 10.0, false, &k);
        d.text_right(RIGHT, d.y, 10.0, false, &loc.money(v));
        d.y += 5.0;
    }
    d.rule(118.0, RIGHT, d.y - 3.5, 0.5);
    d.text(LEFT, d.y + 1.0, 11.0, true, loc.t("Offener Betrag", "Amount due"));
    d.text_right(RIGHT, d.y + 1.0, 11.0, true, &loc.money(owed));
    d.y += 10.0;
    let deadline = loc.date(letter.due_date);
    d.paragraph(
        LEFT,
        RIGHT - LEFT,
        10.0,
        false,
        &format!(
            "{} {deadline} {}",
            loc.t("Bitte überweisen Sie den offenen Betrag bis", "Please transfer the amount due by"),
            loc.t("auf das unten angegebene Konto. Sollten Sie inzwischen bezahlt haben, betrachten Sie dieses Schreiben bitte als gegenstandslos.", "to the account below. If you have paid in the meantime, please disregard this letter."),
        ),
    );
    if interest {
        d.paragraph(LEFT, RIGHT - LEFT, 10.0, false, &interest_sentence(doc));
    }
    d.y += 3.0;
    d.paragraph(LEFT, RIGHT - LEFT, 10.0, false, loc.t("Mit freundlichen Grüßen", "Kind regards"));
    d.y += 8.0;
    d.paragraph(LEFT, RIGHT - LEFT, 10.0, false, &who.full_name());
    d.y += 4.0;
    bank_block(&mut d, who, &loc, owed, number)?;
    d.finish_with(meta)
}
