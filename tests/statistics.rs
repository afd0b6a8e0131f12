//! The statistics series on a real vault (issue 16): ISO weeks, months and years of sessions and
//! hours, money per month, no-show and cancellation rates, and per client the sessions so far,
//! last session, open amount and what is left of an approved contingent.

mod common;

use common::*;
use jiff::civil::date;
use jiff::ToSpan;
use tresor::domain::appointment::{AppointmentInput, AppointmentKind, AppointmentStatus};
use tresor::domain::client::{ClientInput, InsuranceKind};
use tresor::domain::money::Cents;
use tresor::domain::practice::Country;
use tresor::domain::{ClientId, Field};
use tresor::vault::Names;
use tresor::{Error, Problem, Vault};

fn client(v: &mut Vault, name: &str, code: &str, approved: Option<u32>) -> ClientId {
    let mut c = ClientInput::with_full_name(name);
    c.code_name = code.into();
    c.insurer = "ÖGK".into();
    c.insurance_kind = InsuranceKind::AtStatutory;
    c.approved_sessions = approved;
    c.street = "Lindengasse 5".into();
    c.postal_code = "1070".into();
    c.city = "Wien".into();
    v.records_mut().add_client(c).unwrap()
}

/// Bärbel: 20 sessions approved, 2 in December 2025 and 12 Mondays from 5 January 2026, the
/// first six billed on 1 February and 100 € paid; four March appointments (held, missed, two
/// cancelled). Konrad: 11 Tuesdays from 6 January, no approval recorded, one planned in April.
fn practice(w: &World) -> (Vault, ClientId, ClientId) {
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let b = client(&mut v, "Bärbel Größ", "BG", Some(20));
    let k = client(&mut v, "Konrad Zwölfer", "KZ", None);
    for d in [date(2025, 12, 22), date(2025, 12, 29)] {
        billable_session(&mut v, b, d, 9000);
    }
    for i in 0..12 {
        billable_session(&mut v, b, date(2026, 1, 5).checked_add((7 * i).days()).unwrap(), 9000);
    }
    for i in 0..11 {
        billable_session(&mut v, k, date(2026, 1, 6).checked_add((7 * i).days()).unwrap(), 9000);
    }
    let id = v.billing_mut().draft_invoice(b, None, Some(date(2026, 1, 31))).unwrap()[0];
    let number = v.billing_mut().issue_invoice(id, Some(date(2026, 2, 1))).unwrap();
    v.billing_mut().record_payment(&number, Cents::new(10_000), Some(date(2026, 2, 15)), "transfer").unwrap();
    let book = |v: &mut Vault, c, at: jiff::civil::DateTime| {
        let a = AppointmentInput {
            client_id: c,
            service_id: None,
            local_start: at,
            minutes: 50,
            kind: AppointmentKind::InPerson,
            video_link: String::new(),
            note: String::new(),
        };
        v.records_mut().add_appointment(a).unwrap()
    };
    for (day, status) in [
        (3, AppointmentStatus::Done),
        (10, AppointmentStatus::NoShow),
        (17, AppointmentStatus::Cancelled),
        (24, AppointmentStatus::Cancelled),
    ] {
        let id = book(&mut v, b, date(2026, 3, day).at(9, 0, 0, 0));
        v.records_mut().set_appointment_status(id, status).unwrap();
    }
    book(&mut v, k, date(2026, 4, 7).at(11, 0, 0, 0));
    (v, b, k)
}

#[test]
fn the_year_adds_up_by_week_month_and_year_with_rates_and_money() {
    let w = World::new();
    let (v, b, k) = practice(&w);
    let s = v.documents().statistics(2026, None, Names::Full).unwrap();

    // 2026 begins on a Thursday: 53 ISO weeks, the first from Monday 29 December 2025.
    assert_eq!(s.weeks.len(), 53);
    assert_eq!((s.weeks[0].key.as_str(), s.weeks[0].start), ("2026-W01", date(2025, 12, 29)));
    assert_eq!(s.weeks[0].sessions, 1, "29 December 2025 is in week 1 of 2026");
    assert_eq!((s.weeks[1].sessions, s.weeks[1].minutes), (2, 100), "5 and 6 January");
    assert_eq!(s.weeks.iter().map(|w| w.sessions).sum::<u32>(), 24);

    assert_eq!(s.months.len(), 12);
    let jan = &s.months[0];
    assert_eq!((jan.period.key.as_str(), jan.period.sessions, jan.period.minutes), ("2026-01", 8, 400));
    assert_eq!(s.months.iter().map(|m| m.period.sessions).sum::<u32>(), 23);
    let feb = &s.months[1];
    assert_eq!(feb.invoiced, Some(Cents::new(54_000)), "six sessions of 90 € billed in February");
    assert_eq!(feb.received, Some(Cents::new(10_000)));
    assert_eq!(jan.invoiced, Some(Cents::ZERO));
    let mar = &s.months[2];
    assert_eq!((mar.appointments, mar.no_shows, mar.cancellations), (4, 1, 2));

    let years: Vec<(&str, u32)> = s.years.iter().map(|y| (y.key.as_str(), y.sessions)).collect();
    assert_eq!(years, [("2025", 2), ("2026", 23)]);

    assert_eq!((s.rates.appointments, s.rates.no_shows, s.rates.cancellations), (5, 1, 2));
    assert_eq!(s.rates.cancellation_bp, Some(4000), "2 of 5 appointments");
    assert_eq!(s.rates.no_show_bp, Some(417), "1 missed of 23 held + 1 missed");

    let labels: Vec<&str> = s.clients.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["Bärbel Größ", "Konrad Zwölfer"]);
    let bc = &s.clients[0];
    assert_eq!(bc.client_id, b);
    assert_eq!((bc.sessions, bc.last_session), (14, Some(date(2026, 3, 23))));
    assert_eq!(bc.open, Some(Cents::new(44_000)));
    assert_eq!((bc.approved_sessions, bc.sessions_left, bc.needs_approval), (Some(20), Some(6), false));
    let kc = &s.clients[1];
    assert_eq!((kc.client_id, kc.sessions, kc.open), (k, 11, Some(Cents::ZERO)));
    assert!(kc.needs_approval, "an ÖGK client past the tenth session without an approval");
    assert_eq!(kc.sessions_left, None);
}

#[test]
fn one_client_by_code_name_and_a_year_without_sessions() {
    let w = World::new();
    let (mut v, _, k) = practice(&w);
    let s = v.documents().statistics(2026, Some(k), Names::Coded).unwrap();
    assert_eq!(s.clients.len(), 1);
    assert_eq!(s.clients[0].label, "KZ");

    // Recording the approval clears the flag and shows what is left.
    let mut input = v.records().client(k).unwrap().data;
    input.approved_sessions = Some(15);
    v.records_mut().update_client(k, input.clone()).unwrap();
    let c = &v.documents().statistics(2026, Some(k), Names::Coded).unwrap().clients[0];
    assert_eq!((c.sessions_left, c.needs_approval), (Some(4), false));

    // A year before any session: every week and month zero, the years run to the last one.
    let old = v.documents().statistics(2024, None, Names::Full).unwrap();
    assert_eq!(old.weeks.len(), 52);
    assert!(old.weeks.iter().all(|w| w.sessions == 0) && old.months.iter().all(|m| m.period.sessions == 0));
    assert_eq!(old.rates.no_show_bp, None);

    // Bad input is refused by field and changes nothing.
    input.approved_sessions = Some(0);
    match v.records_mut().update_client(k, input) {
        Err(Error::Invalid { field: Field::ApprovedSessions, problem: Problem::OutOfRange, .. }) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(v.records().client(k).unwrap().data.approved_sessions, Some(15));
    match v.documents().statistics(-5, None, Names::Full) {
        Err(Error::Invalid { field: Field::Year, .. }) => {}
        other => panic!("{other:?}"),
    }
}
