//! The `.ics` export read back by a second reader, the Python `icalendar` package with
//! `recurring_ical_events` for the expansion (both in the test venv, scripts/setup.sh): the
//! weekly 09:00 series stays 09:00 across both DST changes, cancelled, moved and removed dates
//! are EXDATEs, a moved one is an event of its own, our VTIMEZONE alone gives the right offsets,
//! and no client name or note is in the bytes.

mod common;

use std::process::Command;

use common::*;
use jiff::civil::date;
use tresor::domain::appointment::{AppointmentInput, AppointmentKind, AppointmentStatus, SeriesScope};
use tresor::domain::client::ClientInput;
use tresor::domain::ids::ClientId;
use tresor::domain::practice::Country;
use tresor::domain::recurrence::{Frequency, Recurrence, SeriesEnd};
use tresor::export::ics::{write_calendar, FOLDER_FILE};
use tresor::vault::SeriesInput;
use tresor::{Error, Vault};

const NOTE: &str = "Notiz: Trennung vom Partner";
const CLIENT_NOTE: &str = "Geheimnotiz Panikattacken";

fn appointment(c: ClientId, at: jiff::civil::DateTime) -> AppointmentInput {
    AppointmentInput {
        client_id: c,
        service_id: None,
        local_start: at,
        minutes: 50,
        kind: AppointmentKind::Video,
        video_link: "https://meet.example/baerbel-groess".into(),
        note: NOTE.into(),
    }
}

/// A Vienna practice: Bärbel's weekly Monday 09:00 series from 2 March to 2 November 2026
/// (across 29 March and 25 October) with one date cancelled, one moved and one removed, and
/// a single appointment of a client with a code name.
fn practice(w: &World) -> Vault {
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let mut c = ClientInput::with_full_name("Bärbel Größ");
    c.notes = CLIENT_NOTE.into();
    let baerbel = v.records_mut().add_client(c).unwrap();
    let mut c = ClientInput::with_full_name("Konrad Zwölfer");
    c.code_name = "KZ-7".into();
    let konrad = v.records_mut().add_client(c).unwrap();
    let (_, ids) = v
        .records_mut()
        .add_series(SeriesInput {
            first: appointment(baerbel, date(2026, 3, 2).at(9, 0, 0, 0)),
            recurrence: Recurrence {
                frequency: Frequency::Weekly { interval: 1 },
                end: SeriesEnd::Until(date(2026, 11, 2)),
                exceptions: vec![],
            },
        })
        .unwrap();
    assert_eq!(ids.len(), 36);
    v.records_mut().set_appointment_status(ids[2], AppointmentStatus::Cancelled).unwrap(); // 16 March
    v.records_mut().move_appointment(ids[3], date(2026, 3, 24).at(10, 0, 0, 0), 50).unwrap(); // 23 March
    v.records_mut().remove_appointment(ids[6], SeriesScope::Only).unwrap(); // 13 April
    v.records_mut().set_appointment_status(ids[0], AppointmentStatus::Done).unwrap();
    v.records_mut().add_appointment(appointment(konrad, date(2026, 5, 5).at(14, 0, 0, 0))).unwrap();
    v
}

/// Each event occurrence as `uid|summary|local start with offset|minutes`, expanded by
/// recurring_ical_events; then the offsets our VTIMEZONE alone gives for three local times.
fn read_back(ics: &std::path::Path) -> (Vec<String>, Vec<String>) {
    let script = r#"
import sys, datetime, icalendar, recurring_ical_events
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
for e in recurring_ical_events.of(cal).between(datetime.date(2026, 1, 1), datetime.date(2027, 1, 1)):
    s = e.decoded('DTSTART'); n = e.decoded('DTEND')
    print('E', str(e['UID']), str(e['SUMMARY']), s.isoformat(), int((n - s).total_seconds() // 60), sep='|')
tz = cal.walk('VTIMEZONE')[0].to_tz()
for d in [(2026, 3, 23), (2026, 3, 30), (2026, 10, 19), (2026, 10, 26)]:
    print('Z', datetime.datetime(*d, 9, 0, tzinfo=tz).utcoffset(), sep='|')
"#;
    let out = Command::new("python3").args(["-c", script]).arg(ics).output().expect("python3");
    assert!(
        out.status.success(),
        "icalendar could not read {} (the test venv needs icalendar and recurring-ical-events, scripts/setup.sh): {}",
        ics.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let (mut events, mut zone) = (Vec::new(), Vec::new());
    for l in text.lines() {
        match l.split_once('|') {
            Some(("E", rest)) => events.push(rest.to_string()),
            Some(("Z", rest)) => zone.push(rest.to_string()),
            _ => panic!("{l}"),
        }
    }
    events.sort_by_key(|e| e.split('|').nth(2).unwrap_or_default().to_string());
    (events, zone)
}

#[test]
fn the_ics_file_reads_back_with_the_series_at_nine_across_both_dst_changes_and_no_name() {
    let w = World::new();
    let v = practice(&w);
    let bytes = v.documents().render_calendar(None, None).unwrap();
    for secret in ["Bärbel", "Größ", "Konrad", "Zwölfer", NOTE, CLIENT_NOTE, "meet.example", "Trennung"] {
        assert!(!contains(&bytes, secret.as_bytes()), "{secret:?} in the .ics");
        assert!(!contains(&bytes, &utf16le(secret)), "{secret:?} (UTF-16) in the .ics");
    }
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert_eq!(text.matches("RRULE:FREQ=WEEKLY;INTERVAL=1;UNTIL=20261102T080000Z").count(), 1, "{text}");
    assert_eq!(text.matches("EXDATE;TZID=Europe/Vienna:").count(), 3, "{text}");
    let path = w.dir.path().join("praxis.ics");
    assert_eq!(write_calendar(&path, &bytes, false).unwrap(), path);
    let (events, zone) = read_back(&path);
    assert_eq!(zone, ["1:00:00", "2:00:00", "2:00:00", "1:00:00"], "our VTIMEZONE alone");

    let series: Vec<&String> = events.iter().filter(|e| e.contains("|09:00") || e.contains("T09:00")).collect();
    assert_eq!(series.len(), 33, "36 booked, one cancelled, one moved, one removed:\n{events:#?}");
    for e in &series {
        let start = e.split('|').nth(2).unwrap();
        let month: u32 = start[5..7].parse().unwrap();
        let day: u32 = start[8..10].parse().unwrap();
        let summer = (month, day) >= (3, 30) && (month, day) < (10, 26);
        let offset = if summer { "+02:00" } else { "+01:00" };
        assert!(start.ends_with(&format!("T09:00:00{offset}")), "{e}");
        assert!(e.ends_with("|50"), "{e}");
        assert!(e.split('|').nth(1).unwrap().starts_with("K-"), "the generated code name: {e}");
    }
    for gone in ["2026-03-16", "2026-03-23", "2026-04-13"] {
        assert!(!events.iter().any(|e| e.contains(&format!("{gone}T09:00"))), "{gone} must be an EXDATE");
    }
    assert!(events.iter().any(|e| e.contains("2026-03-24T10:00:00+01:00|50")), "the moved date on its own");
    assert!(events.iter().any(|e| e.contains("|KZ-7|2026-05-05T14:00:00+02:00|50")), "{events:#?}");
    assert_eq!(events.len(), 35);

    // An existing file is kept unless --force.
    match write_calendar(&path, b"other", false) {
        Err(Error::ExportExists { .. }) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn a_window_keeps_only_its_days_and_the_series_starts_inside_it() {
    let w = World::new();
    let v = practice(&w);
    let bytes = v.documents().render_calendar(Some(date(2026, 4, 1)), Some(date(2026, 4, 30))).unwrap();
    let path = save(w.dir.path(), "april.ics", &bytes);
    let (events, _) = read_back(&path);
    let days: Vec<&str> = events.iter().map(|e| &e.split('|').nth(2).unwrap()[..10]).collect();
    // Mondays in April 2026: 6, 13 (removed), 20, 27.
    assert_eq!(days, ["2026-04-06", "2026-04-20", "2026-04-27"], "{events:#?}");
    match v.documents().render_calendar(Some(date(2026, 5, 1)), Some(date(2026, 4, 1))) {
        Err(Error::Invalid { field: tresor::domain::Field::To, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_folder_export_rewrites_its_own_file_and_never_a_foreign_one() {
    let w = World::new();
    let mut v = practice(&w);
    let dir = w.dir.path().join("abo");
    std::fs::create_dir(&dir).unwrap();
    let first = v.documents().render_calendar(None, None).unwrap();
    let path = write_calendar(&dir, &first, false).unwrap();
    assert_eq!(path, dir.join(FOLDER_FILE));
    let c = v.records_mut().add_client(ClientInput::with_full_name("Neu Kundin")).unwrap();
    v.records_mut().add_appointment(appointment(c, date(2026, 6, 1).at(8, 0, 0, 0))).unwrap();
    let second = v.documents().render_calendar(None, None).unwrap();
    write_calendar(&dir, &second, false).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), second, "rewritten in place");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temp file left");

    let other = w.dir.path().join("fremd");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join(FOLDER_FILE), b"BEGIN:VCALENDAR\r\nPRODID:-//Someone else//EN\r\n").unwrap();
    match write_calendar(&other, &second, false) {
        Err(Error::ExportExists { .. }) => {}
        r => panic!("{r:?}"),
    }
    assert!(std::fs::read(other.join(FOLDER_FILE)).unwrap().starts_with(b"BEGIN:VCALENDAR\r\nPRODID:-//Someone"));
}
