//! The calendar's operations on real vault files: moving and resizing, changing one, the
//! following or all appointments of a series across both DST changes, removing, the calendar
//! range with holidays, and the Today overview.

mod common;

use common::*;
use jiff::civil::{date, Date, DateTime};
use jiff::Timestamp;
use tresor::domain::appointment::{AppointmentInput, AppointmentKind, AppointmentStatus, SeriesScope};
use tresor::domain::client::ClientInput;
use tresor::domain::ids::{AppointmentId, ClientId};
use tresor::domain::money::Cents;
use tresor::domain::recurrence::{Frequency, Recurrence, SeriesEnd};
use tresor::domain::session::SessionInput;
use tresor::domain::Field;
use tresor::vault::{AppointmentChange, SeriesInput};
use tresor::{Error, Problem, Vault};

fn client(v: &mut Vault, name: &str) -> ClientId {
    v.records_mut().add_client(ClientInput::with_full_name(name)).unwrap()
}

fn input(c: ClientId, at: DateTime) -> AppointmentInput {
    AppointmentInput {
        client_id: c,
        service_id: None,
        local_start: at,
        minutes: 50,
        kind: AppointmentKind::InPerson,
        video_link: String::new(),
        note: String::new(),
    }
}

/// A weekly 09:00 series on Mondays from 2 March to 2 November 2026: across the spring change
/// (29 March) and the autumn change (25 October) in Europe/Vienna.
fn weekly_series(v: &mut Vault, c: ClientId) -> Vec<AppointmentId> {
    v.records_mut()
        .add_series(SeriesInput {
            first: input(c, date(2026, 3, 2).at(9, 0, 0, 0)),
            recurrence: Recurrence {
                frequency: Frequency::Weekly { interval: 1 },
                end: SeriesEnd::Until(date(2026, 11, 2)),
                exceptions: vec![],
            },
        })
        .unwrap()
        .1
}

fn local(v: &Vault, id: AppointmentId) -> (Date, (i8, i8), i64) {
    let a = v.records().appointment(id).unwrap();
    let z = a.start.to_zoned(v.records().practice().unwrap().tz().unwrap());
    (z.date(), (z.hour(), z.minute()), a.minutes())
}

fn change(v: &Vault, id: AppointmentId, at: DateTime, minutes: u32) -> AppointmentChange {
    let a = v.records().appointment(id).unwrap();
    AppointmentChange {
        local_start: at,
        minutes,
        service_id: a.service_id,
        kind: a.kind,
        video_link: a.video_link,
        note: a.note,
    }
}

fn ops(v: &Vault, id: AppointmentId) -> Vec<String> {
    v.store().read().journal_for(&[id.to_string()]).unwrap().into_iter().map(|e| e.op).collect()
}

#[test]
fn drag_and_resize_move_one_appointment_and_are_journaled() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Anna Huber");
    let id = v.records_mut().add_appointment(input(c, date(2026, 3, 26).at(9, 0, 0, 0))).unwrap();
    // Dragged from Thursday 09:00 (CET) to Monday 14:30 (CEST), then stretched to 80 minutes.
    v.records_mut().move_appointment(id, date(2026, 3, 30).at(14, 30, 0, 0), 50).unwrap();
    assert_eq!(local(&v, id), (date(2026, 3, 30), (14, 30), 50));
    v.records_mut().move_appointment(id, date(2026, 3, 30).at(14, 30, 0, 0), 80).unwrap();
    assert_eq!(local(&v, id), (date(2026, 3, 30), (14, 30), 80));
    assert_eq!(ops(&v, id), vec!["create", "move", "move"]);

    // Still there after the vault is closed and opened again.
    drop(v);
    let v = w.open_vault().unwrap();
    assert_eq!(local(&v, id), (date(2026, 3, 30), (14, 30), 80));
}

#[test]
fn bad_moves_are_refused_and_change_nothing() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Anna Huber");
    let id = v.records_mut().add_appointment(input(c, date(2026, 5, 4).at(9, 0, 0, 0))).unwrap();
    let before = v.records().appointment(id).unwrap();
    let e = v.records_mut().move_appointment(id, date(2026, 5, 4).at(10, 0, 0, 0), 0).unwrap_err();
    assert!(matches!(e, Error::Invalid { field: Field::Minutes, problem: Problem::OutOfRange, .. }), "{e:?}");
    let mut video = change(&v, id, date(2026, 5, 4).at(10, 0, 0, 0), 50);
    video.kind = AppointmentKind::Video;
    let e = v.records_mut().change_appointment(id, &video, SeriesScope::Only).unwrap_err();
    assert!(matches!(e, Error::Invalid { field: Field::VideoLink, problem: Problem::Required, .. }), "{e:?}");
    assert_eq!(v.records().appointment(id).unwrap(), before);

    // A held appointment stays where it was held.
    v.records_mut().set_appointment_status(id, AppointmentStatus::Done).unwrap();
    let e = v.records_mut().move_appointment(id, date(2026, 5, 5).at(9, 0, 0, 0), 50).unwrap_err();
    assert!(matches!(e, Error::Invalid { field: Field::Status, problem: Problem::NotAllowed, .. }), "{e:?}");
    let missing = AppointmentId::new();
    assert!(matches!(
        v.records_mut().move_appointment(missing, date(2026, 5, 5).at(9, 0, 0, 0), 50),
        Err(Error::NotFound { .. })
    ));
    assert_eq!(ops(&v, id), vec!["create", "done"]);
}

#[test]
fn this_and_following_moves_the_rest_of_a_series_and_keeps_local_time_across_dst() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Sophie Pichler");
    let ids = weekly_series(&mut v, c);
    assert_eq!(ids.len(), 36);
    // The first Monday was held; from 16 March on the series moves to Tuesdays at 10:00.
    v.records_mut().set_appointment_status(ids[0], AppointmentStatus::Done).unwrap();
    let from = ids[2]; // 16 March
    let moved = change(&v, from, date(2026, 3, 17).at(10, 0, 0, 0), 50);
    let changed = v.records_mut().change_appointment(from, &moved, SeriesScope::Following).unwrap();
    assert_eq!(changed.len(), 34);
    assert_eq!(local(&v, ids[0]), (date(2026, 3, 2), (9, 0), 50), "held: untouched");
    assert_eq!(local(&v, ids[1]), (date(2026, 3, 9), (9, 0), 50), "before: untouched");
    for (k, id) in ids.iter().enumerate().skip(2) {
        let (day, time, _) = local(&v, *id);
        assert_eq!(time, (10, 0), "{day}");
        assert_eq!(day, date(2026, 3, 17).checked_add(jiff::Span::new().weeks(k as i64 - 2)).unwrap());
    }
    // Both sides of each change: CET before 29 March and after 25 October.
    for d in [date(2026, 3, 24), date(2026, 3, 31), date(2026, 10, 20), date(2026, 10, 27)] {
        let on_day = v.records().appointments_between(d, d).unwrap();
        assert_eq!(on_day.len(), 1, "{d}");
        let z = on_day[0].start.to_zoned(v.records().practice().unwrap().tz().unwrap());
        assert_eq!((z.hour(), z.minute()), (10, 0), "{d}");
    }
}

#[test]
fn all_of_a_series_changes_kind_and_length_but_only_this_changes_one() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Sophie Pichler");
    let ids = weekly_series(&mut v, c);
    // Only the 13 April one moves to 11:00.
    let one = ids[6];
    let moved = change(&v, one, date(2026, 4, 13).at(11, 0, 0, 0), 50);
    v.records_mut().change_appointment(one, &moved, SeriesScope::Only).unwrap();
    assert_eq!(local(&v, one), (date(2026, 4, 13), (11, 0), 50));
    assert_eq!(local(&v, ids[7]), (date(2026, 4, 20), (9, 0), 50));

    // All become video, 60 minutes, at 09:00 — chosen from an appointment late in the series.
    let last = ids[35];
    let mut all = change(&v, last, date(2026, 11, 2).at(9, 0, 0, 0), 60);
    all.kind = AppointmentKind::Video;
    all.video_link = "https://video.example/room".into();
    v.records_mut().change_appointment(last, &all, SeriesScope::All).unwrap();
    for id in &ids {
        let a = v.records().appointment(*id).unwrap();
        assert_eq!(
            (a.kind, a.minutes(), a.video_link.as_str()),
            (AppointmentKind::Video, 60, "https://video.example/room")
        );
        assert_eq!(local(&v, *id).1, (9, 0));
    }
    assert_eq!(local(&v, one).0, date(2026, 4, 13), "a date changed alone keeps its date");
    assert_eq!(ops(&v, ids[10]), vec!["create", "move", "update"]);
}

#[test]
fn removing_the_rest_of_a_series_ends_it_and_keeps_what_was_held() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Sophie Pichler");
    let ids = weekly_series(&mut v, c);
    v.records_mut().set_appointment_status(ids[0], AppointmentStatus::Done).unwrap();
    let removed = v.records_mut().remove_appointment(ids[10], SeriesScope::Following).unwrap();
    assert_eq!(removed.len(), 26);
    assert_eq!(v.records().appointments_between(date(2026, 3, 1), date(2026, 12, 31)).unwrap().len(), 10);
    assert!(matches!(v.records().appointment(ids[20]), Err(Error::NotFound { .. })));
    assert_eq!(ops(&v, ids[20]), vec!["create", "delete"]);
    let e = v.records_mut().remove_appointment(ids[0], SeriesScope::All).unwrap_err();
    assert!(matches!(e, Error::Invalid { field: Field::Status, .. }), "a held appointment is not removed: {e:?}");
}

#[test]
fn calendar_range_shows_local_times_names_holidays_and_working_hours() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Anna Huber");
    let id = v.records_mut().add_appointment(input(c, date(2026, 4, 7).at(9, 0, 0, 0))).unwrap();
    let s = v
        .records_mut()
        .add_session(SessionInput {
            client_id: c,
            appointment_id: Some(id),
            service_id: None,
            date: date(2026, 4, 7),
            minutes: None,
            fee: Some(Cents::new(9000)),
            setting: None,
            group_size: None,
            note: String::new(),
        })
        .unwrap();
    let r = v.records().calendar(date(2026, 4, 6), date(2026, 4, 12)).unwrap();
    assert_eq!(r.items.len(), 1);
    assert_eq!(r.items[0].client_name, "Anna Huber");
    assert_eq!(r.items[0].local_start.to_string(), "2026-04-07T09:00:00");
    assert_eq!(r.items[0].local_end.to_string(), "2026-04-07T09:50:00");
    assert_eq!(r.items[0].session_id, Some(s));
    assert_eq!(r.holidays.iter().map(|h| h.name_de).collect::<Vec<_>>(), vec!["Ostermontag"]);
    assert_eq!(r.working_hours, tresor::domain::WorkingHours::default(), "Monday to Friday, 08:00–18:00");
    assert_eq!(r.time_zone, "Europe/Vienna");
    let e = v.records().calendar(date(2026, 4, 6), date(2026, 4, 5)).unwrap_err();
    assert!(matches!(e, Error::Invalid { field: Field::To, .. }));
}

#[test]
fn the_calendar_shades_the_practice_bundesland_holidays() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let region = |r: &str| tresor::domain::PracticeUpdate { holiday_region: Some(r.into()), ..Default::default() };
    // A region of another country is refused by name and changes nothing.
    let e = v.records_mut().update_practice(&region("DE-BY")).unwrap_err();
    assert!(matches!(e, Error::Invalid { field: Field::HolidayRegion, .. }), "{e:?}");
    assert_eq!(v.records().practice().unwrap().holiday_region, "");
    let november = |v: &tresor::Vault| {
        let r = v.records().calendar(date(2026, 11, 9), date(2026, 11, 22)).unwrap();
        r.holidays.iter().map(|h| h.name_de).collect::<Vec<_>>()
    };
    assert!(november(&v).is_empty(), "no nationwide holiday in these weeks");
    v.records_mut().update_practice(&region("AT-9")).unwrap();
    assert_eq!(v.records().practice().unwrap().holiday_region, "AT-9", "stored");
    assert_eq!(november(&v), vec!["Leopolditag (Landesfeiertag)"]);
}

#[test]
fn the_calendar_shades_the_practice_working_hours_after_a_lock() {
    use tresor::domain::{DaySpan, PracticeUpdate, WorkingHours};
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let mut hours = WorkingHours::default();
    hours.days[1] = Some(DaySpan { start_minute: 12 * 60, end_minute: 20 * 60 });
    hours.days[4] = None;
    hours.days[5] = Some(DaySpan { start_minute: 9 * 60, end_minute: 13 * 60 + 30 });
    // A wrong day is refused by its field and changes nothing.
    let mut wrong = hours.clone();
    wrong.days[2] = Some(DaySpan { start_minute: 18 * 60, end_minute: 9 * 60 });
    let e = v.records_mut().update_practice(&PracticeUpdate { working_hours: Some(wrong), ..Default::default() });
    assert!(
        matches!(e, Err(Error::Invalid { field: Field::HoursWednesday, problem: Problem::OutOfRange, .. })),
        "{e:?}"
    );
    assert_eq!(v.records().practice().unwrap().working_hours, WorkingHours::default());
    v.records_mut()
        .update_practice(&PracticeUpdate { working_hours: Some(hours.clone()), ..Default::default() })
        .unwrap();
    v.lock().unwrap();
    let v = w.open_vault().unwrap();
    let r = v.records().calendar(date(2026, 11, 9), date(2026, 11, 15)).unwrap();
    assert_eq!(r.working_hours, hours);
    assert_eq!(
        r.working_hours.span(jiff::civil::Weekday::Tuesday),
        Some(DaySpan { start_minute: 720, end_minute: 1200 })
    );
    assert!(!r.working_hours.works_on(jiff::civil::Weekday::Friday));
    // The change is journaled like every practice field (it travels to the other computers).
    let journal = v.store().read().canonical_dump().unwrap();
    let practice = journal.iter().find(|i| i.entity == "practice").expect("the practice row");
    assert!(practice.cols.get("working_hours").and_then(|j| j.as_str()).is_some_and(|s| s.contains("1200")));
}

#[test]
fn today_lists_what_is_planned_and_what_is_left_to_do() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let anna = client(&mut v, "Anna Huber");
    let max = client(&mut v, "Max Gruber");
    // "Now" is Tuesday 10 November 2026, 12:00 in Vienna.
    let now: Timestamp = "2026-11-10T11:00:00Z".parse().unwrap();
    let held = v.records_mut().add_appointment(input(anna, date(2026, 11, 10).at(8, 0, 0, 0))).unwrap();
    let later = v.records_mut().add_appointment(input(max, date(2026, 11, 10).at(15, 0, 0, 0))).unwrap();
    let tomorrow = v.records_mut().add_appointment(input(anna, date(2026, 11, 11).at(9, 0, 0, 0))).unwrap();
    let documented = v.records_mut().add_appointment(input(max, date(2026, 11, 9).at(9, 0, 0, 0))).unwrap();
    let empty_note = v
        .records_mut()
        .add_session(SessionInput {
            client_id: max,
            appointment_id: Some(documented),
            service_id: None,
            date: date(2026, 11, 9),
            minutes: None,
            fee: Some(Cents::new(9000)),
            setting: None,
            group_size: None,
            note: String::new(),
        })
        .unwrap();

    let t = v.records().today_overview(now).unwrap();
    assert_eq!((t.today, t.tomorrow), (date(2026, 11, 10), date(2026, 11, 11)));
    let ids = |l: &[tresor::vault::CalendarItem]| l.iter().map(|i| i.appointment.id).collect::<Vec<_>>();
    assert_eq!(ids(&t.today_items), vec![held, later]);
    assert_eq!(ids(&t.tomorrow_items), vec![tomorrow]);
    assert_eq!(ids(&t.unrecorded), vec![held], "over, still planned: to record");
    assert_eq!(t.undocumented.iter().map(|s| s.session.id).collect::<Vec<_>>(), vec![empty_note]);
    assert_eq!(t.undocumented[0].client_name, "Max Gruber");
    assert_eq!((t.undocumented_total, t.unbilled_total), (1, 1));
    assert!(t.overdue.is_empty());
    assert_eq!(t.open_conflicts, 0);

    // Documenting it takes it off the list; billing it would take it off the other.
    v.records_mut().revise_session(empty_note, "Verlauf: stabil").unwrap();
    let t = v.records().today_overview(now).unwrap();
    assert!(t.undocumented.is_empty());
    assert_eq!(t.unbilled.len(), 1);
}
