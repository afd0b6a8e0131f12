//! The client file's Art. 15(1) a–h information (issue 16), read back with pdftotext and as
//! JSON: every section in both languages, the authority by country, no English word in a
//! German file, times in the practice's zone.

mod common;

use common::*;
use jiff::civil::date;
use tresor::domain::appointment::{AppointmentInput, AppointmentKind, AppointmentStatus};
use tresor::domain::client::{ClientInput, Diagnosis};
use tresor::domain::practice::{Country, Language};
use tresor::domain::ClientId;
use tresor::Vault;

const HEADINGS_DE: [&str; 9] = [
    "Verantwortliche Stelle",
    "Zwecke der Verarbeitung",
    "Kategorien der Daten",
    "Empfänger",
    "Speicherdauer",
    "Ihre Rechte",
    "Beschwerderecht",
    "Herkunft der Daten",
    "Automatisierte Entscheidungen",
];
const HEADINGS_EN: [&str; 9] = [
    "Controller",
    "Purposes of the processing",
    "Categories of data",
    "Recipients",
    "Storage period",
    "Your rights",
    "Right to lodge a complaint",
    "Source of the data",
    "Automated decisions",
];

/// English words (and code values) a German client file must not contain.
const ENGLISH: [&str; 34] = [
    "planned",
    "done",
    "cancelled",
    "no_show",
    "in_person",
    "phone",
    "active",
    "closed",
    "restricted",
    "at_statutory",
    "de_statutory",
    "private",
    "UTC",
    "Controller",
    "Record",
    "Appointments",
    "Sessions",
    "Invoices",
    "Revision",
    "Created",
    "Change",
    "Time",
    "create",
    "update",
    "issue",
    "note_revision",
    "session",
    "invoice",
    "client",
    "payment",
    "Recipients",
    "rights",
    "Storage",
    "GDPR",
];

/// A practice in `country` with one client who has everything the file can name.
fn practice(w: &World, country: Country, lang: Language) -> (Vault, ClientId) {
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, country);
    let mut c = ClientInput::with_full_name("Bärbel Größ");
    c.street = "Lindengasse 5".into();
    c.postal_code = "1070".into();
    c.city = "Wien".into();
    c.insurer = if country == Country::AT { "ÖGK".into() } else { "Techniker Krankenkasse".into() };
    c.insurance_kind = if country == Country::AT {
        tresor::domain::client::InsuranceKind::AtStatutory
    } else {
        tresor::domain::client::InsuranceKind::DeStatutory
    };
    c.diagnoses = vec![Diagnosis { code: "F32.1".into(), text: "Mittelgradige depressive Episode".into() }];
    c.language = Some(lang);
    let client = v.records_mut().add_client(c).unwrap();
    for (day, status) in
        [(2, AppointmentStatus::Done), (9, AppointmentStatus::Cancelled), (16, AppointmentStatus::NoShow)]
    {
        let a = AppointmentInput {
            client_id: client,
            service_id: None,
            local_start: date(2026, 3, day).at(9, 0, 0, 0),
            minutes: 50,
            kind: AppointmentKind::InPerson,
            video_link: String::new(),
            note: String::new(),
        };
        let id = v.records_mut().add_appointment(a).unwrap();
        v.records_mut().set_appointment_status(id, status).unwrap();
    }
    billable_session(&mut v, client, date(2026, 3, 2), 9000);
    let s = v.records().sessions_of(client, 10).unwrap()[0].id;
    v.records_mut().revise_session(s, "Stundenverlauf: Schlaf besser.").unwrap();
    let id = v.billing_mut().draft_invoice(client, None, Some(date(2026, 3, 31))).unwrap()[0];
    v.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap();
    (v, client)
}

fn pdf_text(w: &World, v: &Vault, client: ClientId, name: &str) -> (serde_json::Value, String) {
    let (json, pdf) = v.documents().render_client_file(client).unwrap();
    let text = pdftotext(&save(w.dir.path(), name, &pdf));
    (serde_json::from_slice(&json).unwrap(), text)
}

/// A word stands alone in the text (not inside a German word such as "Stornierung").
fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| w == word)
}

#[test]
fn the_austrian_file_in_german_has_every_art_15_section_and_no_english_word() {
    let w = World::new();
    let (v, client) = practice(&w, Country::AT, Language::De);
    let (j, text) = pdf_text(&w, &v, client, "at.pdf");
    for h in HEADINGS_DE {
        assert!(text.contains(h), "{h:?} missing in\n{text}");
    }
    for e in [
        // The controller's full address.
        "Mag. Jörg Müller-Größ",
        "Währinger Straße 12/3, 1090 Wien, Österreich",
        "praxis@example.at",
        // Recipients: the client's insurer; purposes and the storage rules of Austria.
        "ÖGK",
        "Psychotherapiegesetz 2024",
        "zehn Jahre nach der letzten Sitzung",
        "sieben Jahre nach dem Ende des Jahres",
        "§ 132 BAO",
        "Ihre letzte Sitzung war am 02.03.2026",
        "Berichtigung",
        "Löschung",
        "Einschränkung der Verarbeitung",
        "widersprechen",
        "Österreichische Datenschutzbehörde, Barichgasse 40–42, 1030 Wien",
        // Codes in words.
        "stattgefunden",
        "abgesagt",
        "nicht erschienen",
        "gesetzlich (Österreich)",
        "angelegt",
        "ausgestellt",
    ] {
        assert!(text.contains(e), "{e:?} missing in\n{text}");
    }
    let english: Vec<&str> = ENGLISH.iter().copied().filter(|word| has_word(&text, word)).collect();
    assert!(english.is_empty(), "English words {english:?} in the German file:\n{text}");

    let info = &j["information"];
    assert_eq!(info["language"], "de");
    assert_eq!(info["time_zone"], "Europe/Vienna");
    assert_eq!(info["documentation_years"], 10);
    assert_eq!(info["invoice_years"], 7);
    let keys: Vec<&str> = info["sections"].as_array().unwrap().iter().map(|s| s["key"].as_str().unwrap()).collect();
    assert_eq!(keys, tresor::export::client_file::KEYS);
    let headings: Vec<&str> =
        info["sections"].as_array().unwrap().iter().map(|s| s["heading"].as_str().unwrap()).collect();
    assert_eq!(headings, HEADINGS_DE);
}

#[test]
fn the_german_file_names_eight_years_and_the_state_authority() {
    let w = World::new();
    let (v, client) = practice(&w, Country::DE, Language::De);
    let (j, text) = pdf_text(&w, &v, client, "de.pdf");
    for h in HEADINGS_DE {
        assert!(text.contains(h), "{h:?} missing in\n{text}");
    }
    for e in [
        "Deutschland",
        "§ 630f",
        "acht Jahre nach dem Ende des Jahres",
        "§ 147 AO",
        "Techniker Krankenkasse",
        "Aufsichtsbehörde für den Datenschutz des Bundeslandes",
        "(München)",
        "gesetzlich (Deutschland)",
    ] {
        assert!(text.contains(e), "{e:?} missing in\n{text}");
    }
    assert!(!text.contains("Barichgasse"), "no Austrian authority in a German practice's file");
    let english: Vec<&str> = ENGLISH.iter().copied().filter(|word| has_word(&text, word)).collect();
    assert!(english.is_empty(), "English words {english:?} in the German file:\n{text}");
    assert_eq!(j["information"]["invoice_years"], 8);
    assert_eq!(j["information"]["time_zone"], "Europe/Berlin");
}

#[test]
fn the_english_file_has_the_same_sections_and_dates_in_the_practice_zone() {
    let w = World::new();
    let (v, client) = practice(&w, Country::AT, Language::En);
    let (j, text) = pdf_text(&w, &v, client, "en.pdf");
    for h in HEADINGS_EN {
        assert!(text.contains(h), "{h:?} missing in\n{text}");
    }
    assert!(text.contains("Austrian Data Protection Authority") && text.contains("seven years"), "{text}");
    assert!(!text.contains("UTC"), "times are in the practice's zone:\n{text}");
    let headings: Vec<&str> =
        j["information"]["sections"].as_array().unwrap().iter().map(|s| s["heading"].as_str().unwrap()).collect();
    assert_eq!(headings, HEADINGS_EN);

    // The appointment at 09:00 Vienna (08:00 UTC in March) is shown at 09:00; the journal's
    // creation times are in the zone too: the stamp of "created" must equal the local time.
    assert!(text.contains("02/03/2026") && text.contains("09:00"), "{text}");
    let created: jiff::Timestamp = j["journal"][0]["at"].as_str().unwrap().parse().unwrap();
    let local = created.to_zoned(jiff::tz::TimeZone::get("Europe/Vienna").unwrap());
    let shown = format!("{} {}", local.strftime("%d/%m/%Y"), local.strftime("%H:%M"));
    assert!(text.contains(&shown), "{shown} missing in\n{text}");
}

#[test]
fn the_file_names_the_retention_end_the_tax_adviser_and_the_states_authority() {
    let w = World::new();
    let (mut v, client) = practice(&w, Country::DE, Language::De);
    let u = tresor::domain::PracticeUpdate {
        holiday_region: Some("DE-BY".into()),
        tax_adviser: Some("  Steuerkanzlei Qwzberater, Ludwigstraße 8, 80539 München ".into()),
        ..Default::default()
    };
    v.records_mut().update_practice(&u).unwrap();
    let (j, text) = pdf_text(&w, &v, client, "de-by.pdf");
    // Documentation 10 years after the last session (2026-03-02) outlasts the invoice's 8 years
    // after the end of 2026 (2035-01-01).
    for e in [
        "endet die Aufbewahrung am 02.03.2036",
        "Steuerkanzlei Qwzberater, Ludwigstraße 8, 80539 München",
        "Steuerberatung der Praxis, nur Rechnungsdaten",
        "Bayerisches Landesamt für Datenschutzaufsicht, Promenade 18, 91522 Ansbach",
        "Bundeslandes wenden, in dem Sie wohnen",
    ] {
        assert!(text.replace('\n', " ").contains(e), "{e:?} missing in\n{text}");
    }
    let english: Vec<&str> = ENGLISH.iter().copied().filter(|word| has_word(&text, word)).collect();
    assert!(english.is_empty(), "English words {english:?} in the German file:\n{text}");
    let info = &j["information"];
    assert_eq!(info["retention_end"], "2036-03-02");
    assert_eq!(info["tax_adviser"], "Steuerkanzlei Qwzberater, Ludwigstraße 8, 80539 München");
    assert_eq!(info["supervisory_authority"]["name"], "Bayerisches Landesamt für Datenschutzaufsicht");
    assert_eq!(info["supervisory_authority"]["address"], "Promenade 18, 91522 Ansbach");

    // The practice's own period counts, and a tax adviser on two lines is refused by name.
    v.retention_mut().set_policy(tresor::domain::retention::RetentionPolicy { years: 12, minors_age: 18 }).unwrap();
    let (j, text) = pdf_text(&w, &v, client, "de-12.pdf");
    assert!(text.contains("Die Dokumentation wird 12 Jahre nach der letzten Sitzung"), "{text}");
    assert_eq!(j["information"]["documentation_years"], 12);
    assert_eq!(j["information"]["retention_end"], "2038-03-02");
    let bad = tresor::domain::PracticeUpdate { tax_adviser: Some("Kanzlei\nRing 1".into()), ..Default::default() };
    let e = v.records_mut().update_practice(&bad).unwrap_err();
    assert!(matches!(&e, tresor::Error::Invalid { field: tresor::domain::Field::TaxAdviser, .. }), "{e:?}");
    assert_eq!(v.records().practice().unwrap().tax_adviser, "Steuerkanzlei Qwzberater, Ludwigstraße 8, 80539 München");
}

#[test]
fn without_a_tax_adviser_or_a_state_the_file_says_neither() {
    let w = World::new();
    let (v, client) = practice(&w, Country::DE, Language::De);
    let (j, text) = pdf_text(&w, &v, client, "de-none.pdf");
    assert!(!text.contains("Steuerberatung der Praxis"), "{text}");
    assert!(text.contains("endet die Aufbewahrung am 02.03.2036"), "{text}");
    assert_eq!(j["information"]["tax_adviser"], serde_json::Value::Null);
    assert_eq!(j["information"]["supervisory_authority"], serde_json::Value::Null);
}
