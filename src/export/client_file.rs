//! The client file (GDPR Art. 15 access, Art. 20 portability): everything Tresor holds about one
//! client as JSON with stable field names (documented in docs/CLIENT_FILE.md), and the same
//! content as a readable PDF. The JSON types here are the format: they are written field by
//! field from the domain types, so a change in the core cannot silently change the file.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Serialize;

use crate::billing::{BillTo, Invoice, InvoiceStatus, Issuer};
use crate::domain::appointment::Appointment;
use crate::domain::client::{Client, ClientInput, ClientStatus, Diagnosis, Party};
use crate::domain::money::Cents;
use crate::domain::session::{NoteRevision, Session};
use crate::error::{Error, Result};
use crate::store::JournalEntry;

use super::pdf::{Align, Col, Doc, LEFT, RIGHT};
use super::text::Locale;

mod authority;
mod info;
mod words;

pub use authority::{authority, Authority};
pub use info::{invoice_years, Disclosure, Section, DOCUMENTATION_YEARS, KEYS};

pub const FORMAT: &str = "tresor.client_file";
pub const VERSION: u32 = 1;

/// What the vault gathers for one client; `to_json` and `client_file_pdf` render it.
#[derive(Debug, Clone)]
pub struct ClientFileData {
    pub exported_at: Timestamp,
    pub practice: Issuer,
    /// The practice's zone: every time in the PDF is shown in it.
    pub zone: TimeZone,
    /// What Art. 15 asks beyond the records that only the practice's settings can say.
    pub disclosure: Disclosure,
    pub client: Client,
    pub bill_to: BillTo,
    pub appointments: Vec<Appointment>,
    pub sessions: Vec<(Session, Vec<NoteRevision>)>,
    pub invoices: Vec<(Invoice, InvoiceStatus)>,
    pub journal: Vec<JournalEntry>,
}

#[derive(Serialize)]
struct FileJson<'a> {
    format: &'static str,
    version: u32,
    exported_at: Timestamp,
    practice: PracticeJson<'a>,
    /// Art. 15(1) a–h: the sections of the PDF, in the same language, keyed by `info::KEYS`.
    information: InformationJson,
    client: ClientJson<'a>,
    bill_to: &'a BillTo,
    appointments: Vec<AppointmentJson<'a>>,
    sessions: Vec<SessionJson<'a>>,
    invoices: Vec<InvoiceJson<'a>>,
    journal: Vec<JournalJson<'a>>,
}

#[derive(Serialize)]
struct InformationJson {
    language: &'static str,
    time_zone: String,
    documentation_years: u32,
    invoice_years: u32,
    /// When the retention rules computed it: the day the last period ends.
    retention_end: Option<Date>,
    /// The practice's tax adviser (name and address), a recipient of invoice data; or null.
    tax_adviser: Option<String>,
    /// The authority a complaint goes to; null for a German practice without its Bundesland.
    supervisory_authority: Option<Authority>,
    sections: Vec<Section>,
}

#[derive(Serialize)]
struct PracticeJson<'a> {
    name: String,
    practice_name: &'a str,
    profession: &'a str,
    street: &'a str,
    postal_code: &'a str,
    city: &'a str,
    country: &'static str,
    email: &'a str,
    phone: &'a str,
}

#[derive(Serialize)]
struct ClientJson<'a> {
    id: String,
    given_name: &'a str,
    family_name: &'a str,
    code_name: &'a str,
    birth_date: Option<Date>,
    email: &'a str,
    phone: &'a str,
    street: &'a str,
    postal_code: &'a str,
    city: &'a str,
    country: &'a str,
    insurer: &'a str,
    insurance_number: &'a str,
    diagnoses: &'a [Diagnosis],
    guardian: Option<&'a Party>,
    bill_to_party: Option<&'a Party>,
    status: &'static str,
    notes: &'a str,
    language: Option<&'static str>,
    insurance_kind: &'static str,
    insured_name: &'a str,
    insured_number: &'a str,
    medical_exam_date: Option<Date>,
    treatment_method: &'a str,
    fee_agreement_date: Option<Date>,
    salutation: &'a str,
    approved_sessions: Option<u32>,
    created_at: Timestamp,
    updated_at: Timestamp,
}

#[derive(Serialize)]
struct AppointmentJson<'a> {
    id: String,
    start: Timestamp,
    end: Timestamp,
    time_zone: &'a str,
    kind: &'static str,
    status: &'static str,
    service_id: Option<String>,
    series_id: Option<String>,
    video_link: &'a str,
    note: &'a str,
}

#[derive(Serialize)]
struct RevisionJson<'a> {
    id: String,
    created_at: Timestamp,
    device: &'a str,
    body: &'a str,
}

#[derive(Serialize)]
struct SessionJson<'a> {
    id: String,
    date: Date,
    minutes: u32,
    fee_cents: i64,
    setting: &'static str,
    service_id: Option<String>,
    appointment_id: Option<String>,
    revisions: Vec<RevisionJson<'a>>,
}

#[derive(Serialize)]
struct LineJson<'a> {
    id: String,
    kind: &'static str,
    session_id: Option<String>,
    appointment_id: Option<String>,
    date: Option<Date>,
    description: &'a str,
    minutes: Option<u32>,
    quantity: i64,
    unit_cents: i64,
    net_cents: i64,
    tax_mode: &'static str,
    tax_rate_bp: u32,
    tax_cents: i64,
}

#[derive(Serialize)]
struct PaymentJson<'a> {
    id: String,
    date: Date,
    amount_cents: i64,
    method: &'a str,
}

#[derive(Serialize)]
struct DunningJson {
    id: String,
    level: u8,
    date: Date,
    due_date: Date,
    fee_cents: i64,
}

#[derive(Serialize)]
struct InvoiceJson<'a> {
    id: String,
    kind: &'static str,
    number: Option<&'a str>,
    status: &'static str,
    issue_date: Option<Date>,
    due_date: Option<Date>,
    period_from: Date,
    period_to: Date,
    recipient: &'a Party,
    recipient_role: crate::billing::PayerRole,
    share_bp: u32,
    cancels: Option<String>,
    cancelled_by: Option<&'a str>,
    net_cents: i64,
    tax_cents: i64,
    gross_cents: i64,
    lines: Vec<LineJson<'a>>,
    payments: Vec<PaymentJson<'a>>,
    dunning_letters: Vec<DunningJson>,
    write_off_reason: Option<&'a str>,
}

#[derive(Serialize)]
struct JournalJson<'a> {
    seq: i64,
    at: Timestamp,
    device: &'a str,
    entity: &'a str,
    row_id: &'a str,
    op: &'a str,
}

fn opt_id(x: Option<impl ToString>) -> Option<String> {
    x.map(|v| v.to_string())
}

/// The client file as pretty-printed JSON (UTF-8); the Art. 15 texts in `loc`'s language.
pub fn to_json(f: &ClientFileData, loc: &Locale) -> Result<Vec<u8>> {
    // Every field of the client by name, no `..`: a new field does not compile until it is
    // placed in the file (Art. 15 GDPR: everything held).
    let ClientInput {
        given_name,
        family_name,
        code_name,
        birth_date,
        email,
        phone,
        street,
        postal_code,
        city,
        country,
        insurer,
        insurance_number,
        diagnoses,
        guardian,
        bill_to,
        status,
        notes,
        language,
        insurance_kind,
        insured_name,
        insured_number,
        medical_exam_date,
        treatment_method,
        fee_agreement_date,
        salutation,
        approved_sessions,
    } = &f.client.data;
    let p = &f.practice;
    let file = FileJson {
        format: FORMAT,
        version: VERSION,
        exported_at: f.exported_at,
        practice: PracticeJson {
            name: p.full_name(),
            practice_name: &p.practice_name,
            profession: &p.profession,
            street: &p.street,
            postal_code: &p.postal_code,
            city: &p.city,
            country: p.country.as_str(),
            email: &p.email,
            phone: &p.phone,
        },
        information: InformationJson {
            language: loc.lang.as_str(),
            time_zone: f.zone.iana_name().unwrap_or("UTC").to_string(),
            documentation_years: u32::from(f.disclosure.documentation_years),
            invoice_years: invoice_years(p.country),
            retention_end: f.disclosure.retention_end,
            tax_adviser: f.disclosure.tax_adviser.clone(),
            supervisory_authority: f.disclosure.authority,
            sections: info::sections(f, loc),
        },
        client: ClientJson {
            id: f.client.id.to_string(),
            given_name,
            family_name,
            code_name,
            birth_date: *birth_date,
            email,
            phone,
            street,
            postal_code,
            city,
            country,
            insurer,
            insurance_number,
            diagnoses,
            guardian: guardian.as_ref(),
            bill_to_party: bill_to.as_ref(),
            status: status.unwrap_or(ClientStatus::Active).as_str(),
            notes,
            language: language.map(|l| l.as_str()),
            insurance_kind: insurance_kind.as_str(),
            insured_name,
            insured_number,
            medical_exam_date: *medical_exam_date,
            treatment_method,
            fee_agreement_date: *fee_agreement_date,
            salutation,
            approved_sessions: *approved_sessions,
            created_at: f.client.stamps.created,
            updated_at: f.client.stamps.updated,
        },
        bill_to: &f.bill_to,
        appointments: f
            .appointments
            .iter()
            .map(|a| AppointmentJson {
                id: a.id.to_string(),
                start: a.start,
                end: a.end,
                time_zone: &a.time_zone,
                kind: a.kind.as_str(),
                status: a.status.as_str(),
                service_id: opt_id(a.service_id),
                series_id: opt_id(a.series_id),
                video_link: &a.video_link,
                note: &a.note,
            })
            .collect(),
        sessions: f
            .sessions
            .iter()
            .map(|(s, revs)| SessionJson {
                id: s.id.to_string(),
                date: s.date,
                minutes: s.minutes,
                fee_cents: s.fee.get(),
                setting: s.setting.as_str(),
                service_id: opt_id(s.service_id),
                appointment_id: opt_id(s.appointment_id),
                revisions: revs
                    .iter()
                    .map(|r| RevisionJson {
                        id: r.id.to_string(),
                        created_at: r.created,
                        device: &r.device,
                        body: &r.body,
                    })
                    .collect(),
            })
            .collect(),
        invoices: f.invoices.iter().map(|(i, st)| invoice_json(i, *st)).collect(),
        journal: f
            .journal
            .iter()
            .map(|j| JournalJson {
                seq: j.seq,
                at: j.at,
                device: &j.device,
                entity: &j.entity,
                row_id: &j.row_id,
                op: &j.op,
            })
            .collect(),
    };
    serde_json::to_vec_pretty(&file).map_err(|e| Error::Render { detail: format!("client file: {e}") })
}

fn invoice_json(i: &Invoice, status: InvoiceStatus) -> InvoiceJson<'_> {
    InvoiceJson {
        id: i.id.to_string(),
        kind: i.kind.as_str(),
        number: i.number.as_deref(),
        status: status.as_str(),
        issue_date: i.issue_date,
        due_date: i.due_date,
        period_from: i.period_from,
        period_to: i.period_to,
        recipient: &i.payer.party,
        recipient_role: i.payer.role,
        share_bp: i.share_bp,
        cancels: opt_id(i.cancels),
        cancelled_by: i.cancelled_by.as_ref().map(|(_, n)| n.as_str()),
        net_cents: i.totals.net.get(),
        tax_cents: i.totals.tax.get(),
        gross_cents: i.totals.gross.get(),
        lines: i
            .lines
            .iter()
            .map(|l| LineJson {
                id: l.id.to_string(),
                kind: l.input.kind.as_str(),
                session_id: opt_id(l.input.session_id),
                appointment_id: opt_id(l.input.appointment_id),
                date: l.input.date,
                description: &l.input.description,
                minutes: l.input.minutes,
                quantity: l.input.quantity,
                unit_cents: l.input.unit.get(),
                net_cents: l.amount.get(),
                tax_mode: l.input.tax.code(),
                tax_rate_bp: l.input.tax.rate_bp(),
                tax_cents: l.tax_amount.get(),
            })
            .collect(),
        payments: i
            .payments
            .iter()
            .map(|p| PaymentJson {
                id: p.id.to_string(),
                date: p.date,
                amount_cents: p.amount.get(),
                method: &p.method,
            })
            .collect(),
        dunning_letters: i
            .dunning
            .iter()
            .map(|d| DunningJson {
                id: d.id.to_string(),
                level: d.level,
                date: d.date,
                due_date: d.due_date,
                fee_cents: d.fee.get(),
            })
            .collect(),
        write_off_reason: i.write_off.as_ref().map(|w| w.reason.as_str()),
    }
}

/// The same content for reading: record, appointments, sessions with every revision, invoices
/// with payments, and the change journal.
pub fn client_file_pdf(f: &ClientFileData, loc: &Locale) -> Result<Vec<u8>> {
    let c = &f.client.data;
    let title =
        format!("{} – {}", loc.t("Auskunft über gespeicherte Daten", "Personal data held"), f.client.display_name());
    let mut d = Doc::new(&title)?;
    d.set_footer(&format!("{} · {}", f.practice.full_name(), f.client.display_name()));
    let width = RIGHT - LEFT;
    d.text(LEFT, d.y, 15.0, true, &title);
    d.y += 6.0;
    d.paragraph(
        LEFT,
        width,
        8.5,
        false,
        &format!(
            "{} {} · {} {}",
            loc.t("Verantwortlich:", "Controller:"),
            f.practice.full_name(),
            loc.t("Erstellt:", "Created:"),
            when(loc, f.exported_at, &f.zone)
        ),
    );
    d.y += 3.0;
    for s in info::sections(f, loc) {
        section(&mut d, &s.heading);
        for para in &s.paragraphs {
            d.ensure(5.0);
            d.paragraph(LEFT, width, 9.0, false, para);
            d.y += 0.8;
        }
    }
    section(&mut d, loc.t("Stammdaten", "Record"));
    let party = |p: &Option<Party>| {
        p.as_ref().map(|p| format!("{}, {}, {} {}", p.name, p.street, p.postal_code, p.city)).unwrap_or_default()
    };
    // Every field of the client by name, no `..`, as in `to_json`.
    let ClientInput {
        given_name: _,
        family_name: _,
        code_name,
        birth_date,
        email,
        phone,
        street,
        postal_code,
        city,
        country,
        insurer,
        insurance_number,
        diagnoses,
        guardian,
        bill_to,
        status,
        notes,
        language,
        insurance_kind,
        insured_name,
        insured_number,
        medical_exam_date,
        treatment_method,
        fee_agreement_date,
        salutation,
        approved_sessions,
    } = c;
    let fields = [
        // The name fields, as the display name shows them.
        (loc.t("Name", "Name"), f.client.display_name()),
        (loc.t("Kurzname", "Code name"), code_name.clone()),
        (loc.t("Anrede", "Salutation"), salutation.clone()),
        (loc.t("Geburtsdatum", "Date of birth"), loc.opt_date(*birth_date)),
        (loc.t("Adresse", "Address"), format!("{street}, {postal_code} {city} {country}")),
        (loc.t("E-Mail", "Email"), email.clone()),
        (loc.t("Telefon", "Phone"), phone.clone()),
        (loc.t("Sprache", "Language"), language.map(|l| words::language(loc, l).to_string()).unwrap_or_default()),
        (loc.t("Versicherung", "Insurance"), format!("{insurer} {insurance_number}")),
        (loc.t("Art der Versicherung", "Insurance type"), words::insurance(loc, *insurance_kind).into()),
        (loc.t("Mitversichert bei", "Co-insured with"), format!("{insured_name} {insured_number}")),
        (
            loc.t("Diagnosen", "Diagnoses"),
            diagnoses.iter().map(|x| format!("{} {}", x.code, x.text)).collect::<Vec<_>>().join("; "),
        ),
        (loc.t("Ärztliche Untersuchung", "Medical examination"), loc.opt_date(*medical_exam_date)),
        (loc.t("Behandlungsmethode", "Treatment method"), treatment_method.clone()),
        (loc.t("Honorarvereinbarung vom", "Fee agreement of"), loc.opt_date(*fee_agreement_date)),
        (
            loc.t("Bewilligte Sitzungen", "Approved sessions"),
            approved_sessions.map(|n| n.to_string()).unwrap_or_default(),
        ),
        (loc.t("Erziehungsberechtigte*r", "Guardian"), party(guardian)),
        (loc.t("Rechnungsempfänger*in", "Bill to"), party(bill_to)),
        (loc.t("Status", "Status"), words::client_status(loc, status.unwrap_or(ClientStatus::Active)).into()),
        (loc.t("Notizen", "Notes"), notes.clone()),
    ];
    for (k, v) in fields {
        let v = v.trim().trim_matches(',').trim().to_string();
        if v.is_empty() {
            continue;
        }
        d.ensure(5.0);
        d.text(LEFT, d.y, 9.0, false, k);
        for (i, l) in d.wrap(&v, width - 45.0, 9.0, false).into_iter().enumerate() {
            if i > 0 {
                d.ensure(4.7);
            }
            d.text(LEFT + 45.0, d.y, 9.0, false, &l);
            d.y += 4.7;
        }
    }
    section(&mut d, loc.t("Termine", "Appointments"));
    let rows: Vec<Vec<String>> = f
        .appointments
        .iter()
        .map(|a| {
            let z = a.start.to_zoned(f.zone.clone());
            vec![
                loc.date(z.date()),
                z.strftime("%H:%M").to_string(),
                a.minutes().to_string(),
                words::kind(loc, a.kind).into(),
                words::appointment_status(loc, a.status).into(),
            ]
        })
        .collect();
    let cols = [
        Col { width: 26.0, align: Align::Left },
        Col { width: 18.0, align: Align::Left },
        Col { width: 18.0, align: Align::Right },
        Col { width: 30.0, align: Align::Left },
        Col { width: width - 92.0, align: Align::Left },
    ];
    let header = [
        loc.t("Datum", "Date"),
        loc.t("Zeit", "Time"),
        loc.t("Minuten", "Minutes"),
        loc.t("Art", "Kind"),
        loc.t("Status", "Status"),
    ]
    .map(String::from);
    d.table(LEFT, &cols, &header, &rows, 8.5);

    section(&mut d, loc.t("Sitzungen und Dokumentation", "Sessions and documentation"));
    for (s, revs) in &f.sessions {
        d.ensure(12.0);
        let head =
            format!("{} · {} min · {} · {}", loc.date(s.date), s.minutes, loc.setting(s.setting), loc.money(s.fee));
        d.paragraph(LEFT, width, 9.5, true, &head);
        for (i, r) in revs.iter().enumerate() {
            let label = format!("{} {} ({})", loc.t("Fassung", "Revision"), i + 1, when(loc, r.created, &f.zone));
            d.paragraph(LEFT + 4.0, width - 4.0, 8.0, false, &label);
            d.paragraph(LEFT + 4.0, width - 4.0, 9.0, false, &r.body);
        }
        d.y += 2.0;
    }

    section(&mut d, loc.t("Rechnungen und Zahlungen", "Invoices and payments"));
    let rows: Vec<Vec<String>> = f
        .invoices
        .iter()
        .map(|(i, st)| {
            let paid = Cents::sum_stored(i.payments.iter().map(|p| p.amount));
            vec![
                i.display_number().into(),
                loc.opt_date(i.issue_date),
                i.payer.party.name.clone(),
                loc.money(i.totals.gross),
                loc.money_or_not_computable(paid),
                loc.status(*st).into(),
            ]
        })
        .collect();
    let cols = [
        Col { width: 30.0, align: Align::Left },
        Col { width: 22.0, align: Align::Left },
        Col { width: 44.0, align: Align::Left },
        Col { width: 24.0, align: Align::Right },
        Col { width: 24.0, align: Align::Right },
        Col { width: width - 144.0, align: Align::Left },
    ];
    let header = [
        loc.t("Nummer", "Number"),
        loc.t("Datum", "Date"),
        loc.t("Empfänger*in", "Recipient"),
        loc.t("Betrag", "Amount"),
        loc.t("Bezahlt", "Paid"),
        loc.t("Status", "Status"),
    ]
    .map(String::from);
    d.table(LEFT, &cols, &header, &rows, 8.5);

    section(&mut d, loc.t("Änderungsprotokoll", "Change journal"));
    let rows: Vec<Vec<String>> = f
        .journal
        .iter()
        .map(|j| vec![when(loc, j.at, &f.zone), words::entity(loc, &j.entity), words::op(loc, &j.op), j.row_id.clone()])
        .collect();
    let cols = [
        Col { width: 36.0, align: Align::Left },
        Col { width: 30.0, align: Align::Left },
        Col { width: 22.0, align: Align::Left },
        Col { width: width - 88.0, align: Align::Left },
    ];
    let header =
        [loc.t("Zeit", "Time"), loc.t("Datensatz", "Record"), loc.t("Änderung", "Change"), "ID"].map(String::from);
    d.table(LEFT, &cols, &header, &rows, 7.5);
    d.finish()
}

/// A moment as the practice reads it: date in the file's format, time in the practice's zone.
fn when(loc: &Locale, t: Timestamp, zone: &TimeZone) -> String {
    let z = t.to_zoned(zone.clone());
    format!("{} {}", loc.date(z.date()), z.strftime("%H:%M"))
}

fn section(d: &mut Doc, title: &str) {
    d.ensure(16.0);
    d.y += 4.0;
    d.text(LEFT, d.y, 12.0, true, title);
    d.rule(LEFT, RIGHT, d.y + 1.5, 0.4);
    d.y += 7.0;
}
