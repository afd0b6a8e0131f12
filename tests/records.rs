//! Practice records through the public API: validation, revisions, series, search, journal.

mod common;

use common::*;
use jiff::civil::date;
use tresor::domain::appointment::{AppointmentInput, AppointmentKind, AppointmentStatus};
use tresor::domain::client::{ClientInput, ClientStatus, Diagnosis};
use tresor::domain::money::Cents;
use tresor::domain::recurrence::{Frequency, Recurrence, SeriesEnd};
use tresor::domain::service::{ServiceInput, TaxMode};
use tresor::domain::session::SessionInput;
use tresor::domain::Field;
use tresor::store::{ClientQuery, ClientSort};
use tresor::vault::SeriesInput;
use tresor::{Error, Problem, Vault};

fn client(v: &mut Vault, name: &str) -> tresor::domain::ClientId {
    v.records_mut().add_client(ClientInput::with_full_name(name)).unwrap()
}

fn session(v: &mut Vault, c: tresor::domain::ClientId, d: jiff::civil::Date, note: &str) -> tresor::domain::SessionId {
    v.records_mut()
        .add_session(SessionInput {
            client_id: c,
            appointment_id: None,
            service_id: None,
            date: d,
            minutes: Some(50),
            fee: Some(Cents::new(9000)),
            setting: None,
            group_size: None,
            note: note.into(),
        })
        .unwrap()
}

#[test]
fn client_form_errors_name_the_field() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let mut c = ClientInput::with_full_name("Max Mustermann");
    c.insurance_number = "1238 010180".into();
    match v.records_mut().add_client(c.clone()).unwrap_err() {
        Error::Invalid { field, problem, .. } => {
            assert_eq!((field, problem), (Field::InsuranceNumber, Problem::CheckDigit))
        }
        e => panic!("{e}"),
    }
    c.insurance_number = "1237 010180".into();
    c.diagnoses = vec![Diagnosis { code: "depression".into(), text: String::new() }];
    assert!(matches!(v.records_mut().add_client(c.clone()), Err(Error::Invalid { field: Field::DiagnosisCode, .. })));
    c.diagnoses = vec![Diagnosis { code: "f32.1".into(), text: "Mittelgradige depressive Episode".into() }];
    let id = v.records_mut().add_client(c).unwrap();
    let stored = v.records().client(id).unwrap();
    assert_eq!(stored.data.diagnoses[0].code, "F32.1");
    assert_eq!(stored.data.insurance_number, "1237010180");
    assert_eq!(v.store().read().stats().unwrap().clients, 1, "a rejected client was stored");

    let mut form = ClientInput::with_full_name("Eva Egger");
    form.insurance_number = "1238 010180".into();
    assert!(matches!(
        v.records().check_client(form.clone()),
        Err(Error::Invalid { field: Field::InsuranceNumber, problem: Problem::CheckDigit, .. })
    ));
    form.insurance_number = "1237 010180".into();
    assert_eq!(v.records().check_client(form).unwrap().insurance_number, "1237010180");
    assert_eq!(v.store().read().stats().unwrap().clients, 1, "checking a form stored it");
}

#[test]
fn documentation_revisions_keep_every_earlier_text() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Bärbel Größ");
    let s = session(&mut v, c, date(2026, 11, 20), "Erstgespräch: Schlafstörungen seit dem Umzug.");
    let r2 = v.records_mut().revise_session(s, "Erstgespräch: Schlafstörungen seit dem Umzug im März.").unwrap();
    assert!(r2.is_some());
    assert!(
        v.records_mut().revise_session(s, "Erstgespräch: Schlafstörungen seit dem Umzug im März.").unwrap().is_none(),
        "an unchanged text added a revision"
    );
    let revs = v.records().revisions(s).unwrap();
    assert_eq!(revs.len(), 2);
    assert_eq!(revs[0].body, "Erstgespräch: Schlafstörungen seit dem Umzug.");
    assert!(revs[0].created <= revs[1].created);
    assert_eq!(v.records().session(s).unwrap().note, revs[1].body);

    // Search sees the current text only; the earlier one stays readable in the history.
    assert_eq!(v.records().search("März", 10).unwrap().sessions.len(), 1);
    let both = v.records().search("Umzug", 10).unwrap();
    assert_eq!(both.sessions.len(), 1, "a superseded revision is still indexed");
    v.records_mut().revise_session(s, "Erstgespräch: Schlafstörungen.").unwrap();
    assert!(v.records().search("Umzug", 10).unwrap().sessions.is_empty());
    assert!(v.verify().unwrap().sound());
}

#[test]
fn session_from_an_appointment_takes_its_defaults_and_marks_it_done() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Lukas Hofer");
    let svc = v
        .records_mut()
        .add_service(ServiceInput {
            name: "Einzel".into(),
            code: "E".into(),
            minutes: 50,
            price: Cents::new(9500),
            tax: TaxMode::AtExempt,
            fee: Default::default(),
            retired: false,
        })
        .unwrap();
    let a = v
        .records_mut()
        .add_appointment(AppointmentInput {
            client_id: c,
            service_id: Some(svc),
            local_start: date(2026, 11, 23).at(9, 0, 0, 0),
            minutes: 50,
            kind: AppointmentKind::InPerson,
            video_link: String::new(),
            note: String::new(),
        })
        .unwrap();
    let s = v
        .records_mut()
        .add_session(SessionInput {
            client_id: c,
            appointment_id: Some(a),
            service_id: None,
            date: date(2026, 11, 23),
            minutes: None,
            fee: None,
            setting: None,
            group_size: None,
            note: String::new(),
        })
        .unwrap();
    let s = v.records().session(s).unwrap();
    assert_eq!((s.minutes, s.fee, s.service_id), (50, Cents::new(9500), Some(svc)));
    assert_eq!(v.records().appointment(a).unwrap().status, AppointmentStatus::Done);

    let other = client(&mut v, "Jemand Anderes");
    let wrong = v.records_mut().add_session(SessionInput {
        client_id: other,
        appointment_id: Some(a),
        service_id: None,
        date: date(2026, 11, 23),
        minutes: None,
        fee: None,
        setting: None,
        group_size: None,
        note: String::new(),
    });
    assert!(matches!(wrong, Err(Error::Invalid { field: Field::Appointment, .. })));
}

#[test]
fn weekly_series_stays_at_nine_local_across_both_dst_changes() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Sophie Pichler");
    let (_, ids) = v
        .records_mut()
        .add_series(SeriesInput {
            first: AppointmentInput {
                client_id: c,
                service_id: None,
                local_start: date(2026, 3, 16).at(9, 0, 0, 0),
                minutes: 50,
                kind: AppointmentKind::Video,
                video_link: "https://video.example/r".into(),
                note: String::new(),
            },
            recurrence: Recurrence {
                frequency: Frequency::Weekly { interval: 1 },
                end: SeriesEnd::Until(date(2026, 11, 2)),
                exceptions: vec![date(2026, 4, 6)],
            },
        })
        .unwrap();
    assert_eq!(ids.len(), 34 - 1, "16 March to 2 November is 34 Mondays, one skipped");
    let tz = v.records().practice().unwrap().tz().unwrap();
    let all = v.records().appointments_between(date(2026, 3, 1), date(2026, 11, 30)).unwrap();
    assert_eq!(all.len(), ids.len());
    let mut utc_hours = std::collections::BTreeSet::new();
    for a in &all {
        let local = a.start.to_zoned(tz.clone());
        assert_eq!((local.hour(), local.minute()), (9, 0), "{}", local);
        assert_eq!(a.minutes(), 50);
        utc_hours.insert(a.start.to_zoned(jiff::tz::TimeZone::UTC).hour());
    }
    assert_eq!(utc_hours.into_iter().collect::<Vec<_>>(), vec![7, 8], "DST did not change the UTC instant");
    assert!(all.iter().all(|a| a.start.to_zoned(tz.clone()).date() != date(2026, 4, 6)));
}

#[test]
fn hostile_search_syntax_works_or_says_clearly_what_is_wrong() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Jürgen Müller");
    session(&mut v, c, date(2026, 11, 2), "Angst vor Prüfungen (besonders \"mündlich\") und Schlafstörungen.");
    let inputs = [
        "\"angst",
        "angst\"",
        "(angst",
        "angst)",
        "angst*",
        "*",
        "NEAR(angst",
        "angst AND",
        "OR",
        "\"\"\"",
        "prüf*",
        "a:b",
        "^angst",
        "-angst",
        "angst -",
        "{angst}",
        "angst NOT schlaf",
        "'",
        "\u{0}",
        "😀",
        "%",
        "_",
    ];
    for q in inputs {
        match v.records().search(q, 10) {
            Ok(_) => {}
            Err(Error::EmptySearch) => {}
            Err(e) => panic!("{q:?} gave {e}"),
        }
    }
    assert_eq!(v.records().search("\"angst", 10).unwrap().sessions.len(), 1);
    assert_eq!(v.records().search("prüf*", 10).unwrap().sessions.len(), 1);
    assert_eq!(v.records().search("mündlich", 10).unwrap().sessions.len(), 1);
    assert!(matches!(v.records().search("(((", 10), Err(Error::EmptySearch)));
}

#[test]
fn umlauts_match_with_and_without_diacritics() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Jürgen Müller");
    session(&mut v, c, date(2026, 11, 2), "Gespräch über Übergänge.");
    for q in ["Müller", "müller", "Muller", "Mül"] {
        assert_eq!(v.records().search(q, 10).unwrap().clients.len(), 1, "{q}");
    }
    for q in ["Übergänge", "ubergange", "\"über Übergänge\""] {
        assert_eq!(v.records().search(q, 10).unwrap().sessions.len(), 1, "{q}");
    }
    let hit = &v.records().search("übergänge", 10).unwrap().sessions[0];
    assert!(hit.snippet.iter().any(|p| p.hit && p.text == "Übergänge"), "{:?}", hit.snippet);
}

#[test]
fn client_search_matches_name_prefixes_without_touching_documentation() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Jürgen Müller");
    client(&mut v, "Anna Muhr");
    session(&mut v, c, date(2026, 11, 2), "Müdigkeit am Morgen.");
    let hits = v.records().search_clients("Mül", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].client.id, c);
    assert_eq!(v.records().search_clients("mu", 10).unwrap().len(), 2);
    assert!(
        v.records().search_clients("Müdigkeit", 10).unwrap().is_empty(),
        "documentation leaked into the client search"
    );
    assert!(matches!(v.records().search_clients("  ", 10), Err(Error::EmptySearch)));
}

#[test]
fn client_list_filters_sorts_and_keeps_umlauts_in_place() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    for n in ["Z Zeller", "Ä Ärger", "A Auer", "O Özdemir", "O Ofner"] {
        client(&mut v, n);
    }
    let closed = v
        .records_mut()
        .add_client(ClientInput { status: Some(ClientStatus::Closed), ..ClientInput::with_full_name("B Brunner") })
        .unwrap();
    let (list, total) = v.records().clients(&ClientQuery::default()).unwrap();
    let names: Vec<_> = list.iter().map(|c| c.family_name.as_str()).collect();
    assert_eq!(names, vec!["Ärger", "Auer", "Brunner", "Ofner", "Özdemir", "Zeller"]);
    assert_eq!(total, 6);
    let (closed_only, n) =
        v.records().clients(&ClientQuery { status: Some(ClientStatus::Closed), ..Default::default() }).unwrap();
    assert_eq!((closed_only[0].id, n), (closed, 1));
    let (desc, _) =
        v.records().clients(&ClientQuery { sort: ClientSort::NameDesc, limit: 2, ..Default::default() }).unwrap();
    assert_eq!(desc[0].family_name, "Zeller");
    assert_eq!(desc.len(), 2);
}

#[test]
fn every_change_is_journaled_and_deletes_are_tombstones() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Anna Huber");
    let mut changed = v.records().client(c).unwrap().data;
    changed.city = "Graz".into();
    v.records_mut().update_client(c, changed).unwrap();
    let s = session(&mut v, c, date(2026, 11, 3), "Notiz");
    v.records_mut().delete_session(s).unwrap();
    v.records_mut().delete_client(c).unwrap();
    assert!(matches!(v.records().client(c), Err(Error::NotFound { .. })));
    assert!(matches!(v.records().session(s), Err(Error::NotFound { .. })));

    let r = v.store().read();
    let ops: Vec<String> = r.journal_for(&[c.to_string()]).unwrap().into_iter().map(|e| e.op).collect();
    assert_eq!(ops, vec!["create", "update", "delete"]);
    let ops: Vec<String> = r.journal_for(&[s.to_string()]).unwrap().into_iter().map(|e| e.op).collect();
    assert_eq!(ops, vec!["create", "delete"]);
    let entries = r.journal_recent(100).unwrap();
    assert!(entries.iter().all(|e| e.device == v.device().id));
    assert!(entries.windows(2).all(|p| p[0].seq > p[1].seq));
}

#[test]
fn practice_profile_round_trips_and_rejects_bad_iban() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let change = tresor::domain::PracticeUpdate {
        practitioner_name: Some("Mag. Dr. Brigitte Öhlinger".into()),
        iban: Some("AT61 1904 3002 3457 3201".into()),
        bic: Some("BKAUATWW".into()),
        country: Some("AT".into()),
        ..Default::default()
    };
    let p = v.records_mut().update_practice(&change).unwrap();
    assert_eq!(p.iban, "AT611904300234573201");
    let bad = tresor::domain::PracticeUpdate { iban: Some("AT61 1904 3002 3457 3209".into()), ..Default::default() };
    assert!(matches!(v.records_mut().update_practice(&bad), Err(Error::Invalid { field: Field::Iban, .. })));
    assert_eq!(v.records().practice().unwrap().practitioner_name, "Mag. Dr. Brigitte Öhlinger");
}

/// The form marks every wrong field from one answer: the error names them all, in the order of
/// the form, and the first is also `field`/`problem` as before (the UI's wire shape).
#[test]
fn a_validation_error_names_every_wrong_field_at_once() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let mut c = ClientInput::with_full_name("Max Mustermann");
    c.family_name = "  ".into();
    c.email = "max@".into();
    c.insurance_number = "1238 010180".into();
    c.diagnoses = vec![Diagnosis { code: "depression".into(), text: String::new() }];
    let e = v.records_mut().add_client(c).unwrap_err();
    assert_eq!(e.code(), "record.invalid");
    let p = e.params();
    assert_eq!(p["field"], "family_name");
    assert_eq!(p["problem"], "required");
    assert_eq!(
        p["fields"],
        serde_json::json!([
            { "field": "family_name", "problem": "required" },
            { "field": "email", "problem": "bad_format" },
            { "field": "insurance_number", "problem": "check_digit" },
            { "field": "diagnosis_code", "problem": "bad_format" },
        ])
    );
    assert!(v.records().clients(&ClientQuery::default()).unwrap().0.is_empty(), "nothing was saved");

    let bad_service = ServiceInput {
        name: String::new(),
        code: String::new(),
        minutes: 0,
        price: Cents::new(-1),
        tax: TaxMode::AtExempt,
        fee: Default::default(),
        retired: false,
    };
    let fields: Vec<_> =
        v.records_mut().add_service(bad_service).unwrap_err().fields().into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, [Field::Name, Field::Minutes, Field::Price]);

    let bad_practice = tresor::domain::practice::PracticeUpdate {
        iban: Some("AT00 1234".into()),
        email: Some("praxis@".into()),
        time_zone: Some("Mars/Olympus".into()),
        ..Default::default()
    };
    let fields: Vec<_> =
        v.records_mut().update_practice(&bad_practice).unwrap_err().fields().into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, [Field::Email, Field::Iban, Field::TimeZone]);
    // A single wrong field keeps the shape: one entry in `fields`.
    let one = Error::invalid(Field::Iban, Problem::CheckDigit).params();
    assert_eq!(one["fields"], serde_json::json!([{ "field": "iban", "problem": "check_digit" }]));
}
