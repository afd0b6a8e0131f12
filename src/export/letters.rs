//! The Honorarnote for reimbursement by an Austrian health insurer (ÖGK style) and the dunning
//! letters (Zahlungserinnerung, Mahnung, letzte Mahnung).

use jiff::civil::Date;

use crate::billing::tax::rate_label;
use crate::billing::{line_tax, DunningLetter, InvoiceLine, InvoiceStatus, LineKind};
use crate::domain::money::Cents;
use crate::domain::practice::Country;
use crate::domain::service::TaxMode;
use crate::domain::session::Setting;
use crate::domain::validate::spaced_svnr;
use crate::error::{Error, Problem, Result};

use super::invoice_pdf::{address_window, bank_block, facts, footer, letterhead, tax_ids};
use super::pdf::archive::Meta;
use super::pdf::{Align, Col, Doc, LEFT, RIGHT};
use super::{InvoiceDoc, Locale};
use crate::domain::Field;

/// What the claim form states besides the invoice: where the client's sessions stand.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaimFacts {
    /// The date of the client's second session, when this form claims it or a later one: the
    /// ÖGK reimburses from the second session on only after a medical examination (§ 135
    /// Abs. 1 Z 3 ASVG), so the form needs the examination's date.
    pub second_session: Option<Date>,
    /// The examination's date: as frozen at issue, else as recorded since (a fact about the
    /// past, entered late, is still the fact).
    pub medical_exam_date: Option<Date>,
    /// A split bill: every share of it, this invoice's included, in the order of the payers.
    /// The claim is made once, on the first payer's invoice, with the full fee of each session.
    pub split: Vec<SplitPart>,
}

/// One invoice of a split bill as the claim form names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitPart {
    /// Its number ("ENTWURF/DRAFT" for a draft).
    pub number: String,
    pub share_bp: u32,
    /// When it was paid in full; `None` while anything is open.
    pub paid_on: Option<Date>,
}

impl ClaimFacts {
    /// The examination the ÖGK needs before the second session is not recorded.
    pub fn exam_missing(&self) -> bool {
        self.second_session.is_some() && self.medical_exam_date.is_none()
    }

    /// The examination is recorded, but after the second session.
    pub fn exam_late(&self) -> bool {
        matches!((self.second_session, self.medical_exam_date), (Some(s), Some(e)) if e > s)
    }
}

/// The claim form a client hands to their insurer: who was treated (with social-insurance
/// number and birth date), for what (ICD-10), how (method), each session's date, duration,
/// setting (with the group's size) and fee, the number of sessions, the medical examination
/// before the second session, whether it was paid, and room for signature and stamp.
pub fn honorarnote_pdf(doc: &InvoiceDoc, claim: &ClaimFacts) -> Result<Vec<u8>> {
    honorarnote_pdf_as(doc, claim, &Meta::now())
}

/// The claim form finished with `meta`, as it is kept when first printed.
pub fn honorarnote_pdf_as(doc: &InvoiceDoc, claim: &ClaimFacts, meta: &Meta) -> Result<Vec<u8>> {
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
        match spaced_svnr(&c.insured_number) {
            n if n.is_empty() => c.insured_name.trim().to_string(),
            n => format!("{}, {} {n}", c.insured_name.trim(), loc.t("SVNR", "SSN")),
        }
    } else if c.insurance_number.is_empty() {
        inv.payer.party.name.clone()
    } else {
        c.name.clone()
    };
    let diagnoses: Vec<String> =
        c.diagnoses.iter().map(|x| format!("{} {}", x.code, x.text).trim().to_string()).collect();
    // The method frozen at issue; an invoice issued before it was frozen has the setting's.
    let method =
        if c.treatment_method.trim().is_empty() { doc.treatment_method.trim() } else { c.treatment_method.trim() };
    // Only rendered treatments are claimed: no no-show fees, no extra items.
    let treatments: Vec<_> = inv.lines.iter().filter(|l| l.input.kind == LineKind::Session).collect();
    let exam = match claim.medical_exam_date {
        Some(e) => loc.date(e),
        None if claim.second_session.is_some() => loc.t("nicht erfasst", "not recorded").into(),
        None => String::new(),
    };
    let therapist = [who.full_name(), who.profession.trim().to_string()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let patient = [
        (loc.t("Patient*in", "Patient"), c.name.clone()),
        (loc.t("Geburtsdatum", "Date of birth"), loc.opt_date(c.birth_date)),
        (loc.t("Versicherungsnummer", "Social insurance no."), spaced_svnr(&c.insurance_number)),
        (loc.t("Versicherungsträger", "Insurer"), c.insurer.clone()),
        (loc.t("Versicherte Person", "Insured person"), insured),
        (loc.t("Diagnose (ICD-10)", "Diagnosis (ICD-10)"), diagnoses.join("; ")),
        (loc.t("Behandlungsmethode", "Treatment method"), method.to_string()),
        (loc.t("Ärztliche Untersuchung", "Medical examination"), exam),
        (loc.t("Behandler*in", "Therapist"), therapist),
        (loc.t("Eintragungsnummer", "Registration no."), who.registration_number.clone()),
        (unit_count_label(&loc), treatments.len().to_string()),
    ];
    // A label without a value says nothing and is left out.
    for (k, v) in patient.into_iter().filter(|(_, v)| !v.trim().is_empty()) {
        d.text(LEFT, d.y, 9.5, false, k);
        let lines = d.wrap(&v, RIGHT - LEFT - 48.0, 9.5, true);
        for l in lines {
            d.text(LEFT + 48.0, d.y, 9.5, true, &l);
            d.y += 5.0;
        }
    }
    exam_note(&mut d, claim, &loc);
    d.y += 4.0;
    let cols = [
        Col { width: 24.0, align: Align::Left },
        Col { width: 56.0, align: Align::Left },
        Col { width: 24.0, align: Align::Right },
        Col { width: 36.0, align: Align::Left },
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
    let body: Vec<Vec<String>> = treatments
        .iter()
        .map(|l| {
            Ok(vec![
                loc.opt_date(l.input.date),
                l.input.description.clone(),
                l.input.minutes.map(|m| m.to_string()).unwrap_or_default(),
                setting_text(l, &loc),
                loc.money(full_gross(l)?),
            ])
        })
        .collect::<Result<_>>()?;
    d.table(LEFT, &cols, &header, &body, 9.0);
    let total = Cents::sum(treatments.iter().map(|l| full_gross(l)).collect::<Result<Vec<_>>>()?)?;
    d.text(118.0, d.y, 11.0, true, loc.t("Gesamtbetrag", "Total"));
    d.text_right(RIGHT, d.y, 11.0, true, &loc.money(total));
    d.y += 8.0;
    if !claim.split.is_empty() {
        split_paid(&mut d, claim, &loc);
    } else if doc.balance.status == InvoiceStatus::Paid {
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

/// A session's whole fee (gross): on a split bill the full fee, not this payer's share, as the
/// claim is made once for the session.
fn full_gross(l: &InvoiceLine) -> Result<Cents> {
    match l.input.full_unit {
        Some(full) => {
            let net = full.checked_mul(l.input.quantity)?;
            net.checked_add(line_tax(net, l.input.tax)?)
        }
        None => l.gross(),
    }
}

/// A split bill's claim: which invoices share the fee and whether all of them are paid.
fn split_paid(d: &mut Doc, claim: &ClaimFacts, loc: &Locale) {
    let parts: Vec<String> = claim
        .split
        .iter()
        .map(|p| {
            let pct = rate_label(TaxMode::Taxable { rate_bp: p.share_bp }, loc.lang);
            let state = match p.paid_on {
                Some(on) => format!("{} {}", loc.t("bezahlt am", "paid on"), loc.date(on)),
                None => loc.t("offen", "open").into(),
            };
            format!("{} {} ({pct}, {state})", loc.t("Nr.", "no."), p.number)
        })
        .collect();
    let s = format!(
        "{} {}.",
        loc.t(
            "Geteilte Rechnung: Das Honorar jeder Einheit ist aufgeteilt auf",
            "Split bill: the fee of each session is shared by"
        ),
        parts.join(loc.t(" und ", " and "))
    );
    d.paragraph(LEFT, RIGHT - LEFT, 9.0, false, &s);
    // Paid in full only when every share is billed on a standing invoice and paid: a share
    // whose invoice was cancelled is not paid, whatever the others say.
    let whole = claim.split.iter().map(|p| p.share_bp).sum::<u32>() >= 10_000;
    let all = claim.split.iter().map(|p| p.paid_on).collect::<Option<Vec<_>>>().filter(|_| whole);
    match all.and_then(|dates| dates.into_iter().max()) {
        Some(on) => {
            let s = format!("{} {}.", loc.t("Betrag zur Gänze bezahlt am", "Paid in full on"), loc.date(on));
            d.paragraph(LEFT, RIGHT - LEFT, 10.0, true, &s);
        }
        None => {
            d.paragraph(LEFT, RIGHT - LEFT, 9.0, false, loc.t("Noch nicht zur Gänze bezahlt.", "Not paid in full yet."))
        }
    }
}

/// "Anzahl der Einheiten" (AT), "Anzahl der Sitzungen" (DE), "Number of sessions".
fn unit_count_label(loc: &Locale) -> &'static str {
    match loc.country {
        Country::AT => loc.t("Anzahl der Einheiten", "Number of sessions"),
        Country::DE => loc.t("Anzahl der Sitzungen", "Number of sessions"),
    }
}

/// "Einzel", or "Gruppe (6 Teiln.)" with the group's size, which the insurer's rate depends on.
fn setting_text(l: &InvoiceLine, loc: &Locale) -> String {
    let Some(s) = l.input.setting else { return String::new() };
    match (s, l.input.group_size) {
        (Setting::Group, Some(n)) => format!("{} ({n} {})", loc.setting(s), loc.t("Teiln.", "participants")),
        _ => loc.setting(s).to_string(),
    }
}

/// Said on the form where the examination before the second session is not recorded, or was
/// after it: the insurer would refuse the claim, so the client sees why and what to attach.
fn exam_note(d: &mut Doc, claim: &ClaimFacts, loc: &Locale) {
    let (Some(second), exam) = (claim.second_session, claim.medical_exam_date) else { return };
    let s = match exam {
        None => format!(
            "{} {}{}",
            loc.t(
                "Hinweis: Das Datum der ärztlichen Untersuchung vor der zweiten Einheit",
                "Note: the date of the medical examination before the second session"
            ),
            loc.t(
                &format!("(am {}) ist nicht erfasst.", loc.date(second)),
                &format!("(on {}) is not recorded.", loc.date(second))
            ),
            loc.t(" Bitte legen Sie die ärztliche Bestätigung bei.", " Please attach the physician's confirmation."),
        ),
        Some(e) if e > second => format!(
            "{} {} {} {}.",
            loc.t("Hinweis: Die ärztliche Untersuchung am", "Note: the medical examination on"),
            loc.date(e),
            loc.t("fand nach der zweiten Einheit statt, am", "took place after the second session, on"),
            loc.date(second)
        ),
        Some(_) => return,
    };
    d.y += 1.0;
    d.paragraph(LEFT, RIGHT - LEFT, 9.5, true, &s);
}

/// The letter for one dunning level: what was invoiced, paid and charged, the new deadline, the
/// bank details and a GiroCode for what is still owed.
pub fn dunning_pdf(doc: &InvoiceDoc, letter: &DunningLetter) -> Result<Vec<u8>> {
    dunning_pdf_as(doc, letter, false, "", &Meta::now())
}

/// The letter's opening (see [`crate::billing::Payer::salutation`]).
pub fn salutation(doc: &InvoiceDoc) -> String {
    doc.invoice.payer.salutation(doc.invoice.language)
}

/// Whether the recipient is a consumer (the interest rate and the notice differ).
pub fn is_person(doc: &InvoiceDoc) -> bool {
    doc.invoice.payer.is_consumer()
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
/// `text`: the practice's opening paragraph for this level ('' for the built-in wording).
pub fn dunning_pdf_as(
    doc: &InvoiceDoc,
    letter: &DunningLetter,
    interest: bool,
    text: &str,
    meta: &Meta,
) -> Result<Vec<u8>> {
    let loc = doc.locale();
    let inv = &doc.invoice;
    let who = &doc.issuer;
    let number = inv.number.as_deref().ok_or(Error::InvoiceState { reason: "draft" })?;
    let issue = inv.issue_date.ok_or(Error::InvoiceState { reason: "draft" })?;
    if !doc.invoice.dunning.iter().any(|l| l.id == letter.id) {
        return Err(Error::invalid(Field::Level, Problem::UnknownValue));
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
        _ if !text.trim().is_empty() => text.trim(),
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
