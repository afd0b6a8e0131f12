//! A restricted client (GDPR Art. 18) in the calendar and the invoice list, on real vaults: the
//! calendar keeps the slot as taken but says nothing of whom or what, and refuses to change it;
//! the invoice list, its sums, its filter counts and the invoice search leave the client out —
//! until the restriction is lifted; Today's overdue list and the reminders' overdue count too.
//! An erased client's kept invoices stay listed.

mod common;

use common::*;
use jiff::civil::{date, DateTime};
use tresor::domain::appointment::{AppointmentInput, AppointmentKind, SeriesScope};
use tresor::domain::client::ClientInput;
use tresor::domain::money::Cents;
use tresor::domain::{ClientId, Country};
use tresor::vault::{AppointmentChange, InvoiceFilter, InvoiceListQuery};
use tresor::Vault;

fn client(v: &mut Vault, name: &str) -> ClientId {
    v.records_mut().add_client(ClientInput::with_full_name(name)).unwrap()
}

fn appointment(v: &mut Vault, c: ClientId, at: DateTime, note: &str) -> tresor::domain::ids::AppointmentId {
    v.records_mut()
        .add_appointment(AppointmentInput {
            client_id: c,
            service_id: None,
            local_start: at,
            minutes: 50,
            kind: if note.is_empty() { AppointmentKind::InPerson } else { AppointmentKind::Video },
            video_link: if note.is_empty() { String::new() } else { "https://meet.example.org/qwzlink".into() },
            note: note.into(),
        })
        .unwrap()
}

#[test]
fn a_restricted_clients_appointment_is_a_nameless_busy_slot_that_cannot_be_changed() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let rosa = client(&mut v, "Rosa Sperrlich");
    let otto = client(&mut v, "Otto Offen");
    let at = date(2026, 4, 7).at(9, 0, 0, 0);
    let id = appointment(&mut v, rosa, at, "Qwznotiz Trauma");
    appointment(&mut v, otto, date(2026, 4, 7).at(11, 0, 0, 0), "");

    v.retention_mut().restrict(rosa).unwrap();
    let r = v.records().calendar(date(2026, 4, 6), date(2026, 4, 12)).unwrap();
    assert_eq!(r.items.len(), 2, "the slot is still taken");
    let busy = r.items.iter().find(|i| i.appointment.id == id).unwrap();
    assert!(busy.restricted);
    assert_eq!(busy.client_name, "");
    assert_eq!((busy.appointment.note.as_str(), busy.appointment.video_link.as_str()), ("", ""));
    assert_eq!(busy.appointment.service_id, None);
    assert_eq!(busy.session_id, None);
    assert_eq!(
        (busy.local_start.to_string(), busy.local_end.to_string()),
        ("2026-04-07T09:00:00".into(), "2026-04-07T09:50:00".into())
    );
    let open = r.items.iter().find(|i| i.appointment.client_id == otto).unwrap();
    assert!(!open.restricted && open.client_name == "Otto Offen");
    // Nothing of the client's name or note travels in the range at all.
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains("Sperrlich") && !json.contains("Qwznotiz") && !json.contains("qwzlink"), "{json}");

    // Frozen: no move, change or removal; the appointment is as it was.
    let before = v.store().read().canonical_dump().unwrap();
    let moved = v.records_mut().move_appointment(id, date(2026, 4, 8).at(9, 0, 0, 0), 50).unwrap_err();
    assert_eq!(moved.code(), "retention.restricted");
    let change = AppointmentChange {
        local_start: at,
        minutes: 25,
        service_id: None,
        kind: AppointmentKind::InPerson,
        video_link: String::new(),
        note: String::new(),
    };
    let changed = v.records_mut().change_appointment(id, &change, SeriesScope::Only).unwrap_err();
    assert_eq!(changed.code(), "retention.restricted");
    let removed = v.records_mut().remove_appointment(id, SeriesScope::Only).unwrap_err();
    assert_eq!(removed.code(), "retention.restricted");
    assert_eq!(v.store().read().canonical_dump().unwrap(), before);

    // Lifted: the name and the details are back, and the appointment can be moved again.
    v.retention_mut().unrestrict(rosa).unwrap();
    let r = v.records().calendar(date(2026, 4, 6), date(2026, 4, 12)).unwrap();
    let back = r.items.iter().find(|i| i.appointment.id == id).unwrap();
    assert!(!back.restricted && back.client_name == "Rosa Sperrlich" && back.appointment.note == "Qwznotiz Trauma");
    v.records_mut().move_appointment(id, date(2026, 4, 8).at(9, 0, 0, 0), 50).unwrap();
}

/// A practice in Austria with two clients, Rosa (whom the tests restrict) and Otto, and today.
fn rosa_and_otto(w: &World) -> (Vault, ClientId, ClientId, jiff::civil::Date) {
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let rosa = client(&mut v, "Rosa Sperrlich");
    let otto = client(&mut v, "Otto Offen");
    let t = v.records().today().unwrap();
    (v, rosa, otto, t)
}

fn list(v: &Vault, filter: InvoiceFilter, text: &str) -> tresor::vault::InvoiceList {
    let q = InvoiceListQuery { filter, text: text.into(), limit: 100, ..Default::default() };
    v.billing().invoice_list(&q).unwrap()
}

fn count(l: &tresor::vault::InvoiceList, f: InvoiceFilter) -> u32 {
    l.counts.iter().find(|c| c.filter == f).map(|c| c.count).unwrap()
}

#[test]
fn the_invoice_list_its_sums_counts_and_search_leave_a_restricted_client_out() {
    let w = World::new();
    let (mut v, rosa, otto, t) = rosa_and_otto(&w);
    billable_session(&mut v, rosa, t, 12_000);
    billable_session(&mut v, otto, t, 9_000);
    let r_inv = v.billing_mut().draft_invoice(rosa, None, None).unwrap()[0];
    let number = v.billing_mut().issue_invoice(r_inv, Some(t)).unwrap();
    v.billing_mut().draft_invoice(otto, None, None).unwrap();

    let all = list(&v, InvoiceFilter::All, "");
    assert_eq!((all.total, all.gross), (2, Some(Cents::new(21_000))));

    v.retention_mut().restrict(rosa).unwrap();
    let all = list(&v, InvoiceFilter::All, "");
    assert_eq!(all.total, 1);
    assert!(all.items.iter().all(|r| r.invoice.client_id == otto));
    assert_eq!((all.gross, count(&all, InvoiceFilter::All)), (Some(Cents::new(9_000)), 1));
    let open = list(&v, InvoiceFilter::Open, "");
    assert_eq!((open.total, open.due, count(&open, InvoiceFilter::Open)), (0, Some(Cents::ZERO), 0));
    assert_eq!(list(&v, InvoiceFilter::All, "Sperrlich").total, 0);
    assert!(v.billing().search_invoices(&number, 10).unwrap().is_empty());

    v.retention_mut().unrestrict(rosa).unwrap();
    let all = list(&v, InvoiceFilter::All, "");
    assert_eq!((all.total, all.gross), (2, Some(Cents::new(21_000))));
    assert_eq!(v.billing().search_invoices(&number, 10).unwrap().len(), 1);
}

#[test]
fn an_erased_clients_kept_invoice_stays_in_the_list_under_the_code_name() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let mut input = ClientInput::with_full_name("Erna Weg");
    input.code_name = "KL-3".into();
    let c = v.records_mut().add_client(input).unwrap();
    let t = v.records().today().unwrap();
    billable_session(&mut v, c, t, 9_000);
    let inv = v.billing_mut().draft_invoice(c, None, None).unwrap()[0];
    v.billing_mut().issue_invoice(inv, Some(t)).unwrap();
    v.retention_mut().erase(c, "Antrag auf Löschung", t).unwrap();
    let all = list(&v, InvoiceFilter::All, "");
    assert_eq!(all.total, 1);
    assert_eq!(all.items[0].client_name.trim(), "KL-3");
}

#[test]
fn overdue_invoices_of_a_restricted_client_are_neither_counted_nor_listed() {
    let w = World::new();
    let (mut v, rosa, otto, t) = rosa_and_otto(&w);
    let long_ago = t.checked_sub(jiff::Span::new().days(60)).unwrap();
    for (c, fee) in [(rosa, 12_000), (otto, 9_000)] {
        billable_session(&mut v, c, long_ago, fee);
        let inv = v.billing_mut().draft_invoice(c, None, None).unwrap()[0];
        v.billing_mut().issue_invoice(inv, Some(long_ago)).unwrap();
    }
    let now = jiff::Timestamp::now();
    let seen = |v: &Vault| {
        let overdue: Vec<ClientId> =
            v.records().today_overview(now).unwrap().overdue.iter().map(|i| i.invoice.client_id).collect();
        (v.records().reminder_facts(now).unwrap().overdue_invoices, overdue)
    };
    let (n, listed) = seen(&v);
    assert_eq!((n, listed.len()), (2, 2));

    v.retention_mut().restrict(rosa).unwrap();
    assert_eq!(seen(&v), (1, vec![otto]));
    v.retention_mut().unrestrict(rosa).unwrap();
    assert_eq!(seen(&v).0, 2);
}
