//! Billing rules through the public API: drafting, gapless numbers, immutability (in the core
//! and in the database's triggers), cancellation, payments, dunning, rounding, splits, journal.

mod common;

use common::*;
use jiff::civil::{date, Date};
use tresor::billing::{BillTo, InvoiceStatus, LineInput, LineKind, PayerRole, Split};
use tresor::domain::client::{ClientInput, Party};
use tresor::domain::money::Cents;
use tresor::domain::service::{ServiceInput, TaxMode};
use tresor::domain::{ClientId, Country};
use tresor::store::InvoiceQuery;
use tresor::{Error, Vault};

fn client(v: &mut Vault, name: &str) -> ClientId {
    let mut c = ClientInput::with_full_name(name);
    c.street = "Lindengasse 5".into();
    c.postal_code = "1070".into();
    c.city = "Wien".into();
    v.records_mut().add_client(c).unwrap()
}

/// Drafts all of a client's unbilled sessions and issues the draft on `on`.
fn bill(v: &mut Vault, c: ClientId, on: Date) -> String {
    let id = v.billing_mut().draft_invoice(c, None, None).unwrap()[0];
    v.billing_mut().issue_invoice(id, Some(on)).unwrap()
}

fn vault(country: Country) -> (World, Vault) {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, country);
    (w, v)
}

fn item(text: &str, unit: i64, qty: i64, tax: TaxMode) -> LineInput {
    LineInput {
        kind: LineKind::Item,
        session_id: None,
        appointment_id: None,
        date: None,
        description: text.into(),
        minutes: None,
        setting: None,
        quantity: qty,
        unit: Cents::new(unit),
        tax,
        fee: Default::default(),
        fee_reason: String::new(),
        full_unit: None,
        group_size: None,
    }
}

#[test]
fn numbers_are_gapless_per_year_and_sessions_are_billed_once() {
    let (_w, mut v) = vault(Country::AT);
    let a = client(&mut v, "Anna Äpfel");
    let b = client(&mut v, "Bernd Öztürk");
    for d in 1..=3 {
        billable_session(&mut v, a, date(2025, 12, d), 9000);
        billable_session(&mut v, b, date(2025, 12, d), 9000);
    }
    let da = v.billing_mut().draft_invoice(a, None, Some(date(2025, 12, 31))).unwrap();
    assert_eq!(da.len(), 1);
    assert!(
        matches!(v.billing_mut().draft_invoice(a, None, None), Err(Error::NothingToBill)),
        "a drafted session was drafted again"
    );
    let na = v.billing_mut().issue_invoice(da[0], Some(date(2025, 12, 31))).unwrap();
    assert_eq!(na, "2025-0001");
    let db = v.billing_mut().draft_invoice(b, None, Some(date(2025, 12, 31))).unwrap();
    // A new year restarts the sequence; the numbers must ascend with their dates.
    assert_eq!(v.billing_mut().issue_invoice(db[0], Some(date(2026, 1, 2))).unwrap(), "2026-0001");
    billable_session(&mut v, a, date(2026, 1, 5), 9000);
    let d3 = v.billing_mut().draft_invoice(a, None, None).unwrap();
    assert!(matches!(
        v.billing_mut().issue_invoice(d3[0], Some(date(2026, 1, 1))),
        Err(Error::InvoiceState { reason: "date_before_last_issued" })
    ));
    assert_eq!(v.billing_mut().issue_invoice(d3[0], Some(date(2026, 1, 6))).unwrap(), "2026-0002");
    let inv = v.billing().invoice_by_number(&na).unwrap();
    assert_eq!(inv.lines.len(), 3);
    assert_eq!(inv.totals.gross, Cents::new(27000));
    assert_eq!((inv.period_from, inv.period_to), (date(2025, 12, 1), date(2025, 12, 3)));
    assert_eq!(inv.due_date, Some(date(2026, 1, 14)), "14 days' payment terms by default");
}

#[test]
fn issued_invoice_cannot_be_changed_through_the_core() {
    let (_w, mut v) = vault(Country::AT);
    let a = client(&mut v, "Anna Äpfel");
    billable_session(&mut v, a, date(2026, 3, 2), 9000);
    let id = v.billing_mut().draft_invoice(a, None, None).unwrap()[0];
    let line = v.billing_mut().add_invoice_line(id, item("Befundbericht", 4000, 1, TaxMode::AtExempt)).unwrap();
    let number = v.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap();
    let immutable = |r: tresor::Result<()>| matches!(r, Err(Error::Immutable { entity: "invoice", reason: "issued" }));
    assert!(immutable(v.billing_mut().add_invoice_line(id, item("x", 1, 1, TaxMode::AtExempt)).map(|_| ())));
    assert!(immutable(v.billing_mut().remove_invoice_line(id, line)));
    assert!(immutable(v.billing_mut().delete_draft(id)));
    assert!(matches!(v.billing_mut().issue_invoice(id, None), Err(Error::Immutable { .. })));
    let after = v.billing().invoice_by_number(&number).unwrap();
    assert_eq!(after.lines.len(), 2);
    assert_eq!(after.totals.gross, Cents::new(13000));
    let e = v.billing_mut().add_invoice_line(id, item("x", 1, 1, TaxMode::AtExempt)).unwrap_err();
    assert_eq!(e.code(), "record.immutable");
}

/// Even SQL that bypasses the core (a bug, a foreign tool, a merge) cannot change an issued
/// invoice, its lines or its payments: the schema's triggers refuse, and the core maps the
/// refusal to its typed error.
#[test]
fn triggers_refuse_changes_to_issued_rows() {
    let (w, mut v) = vault(Country::AT);
    let a = client(&mut v, "Anna Äpfel");
    billable_session(&mut v, a, date(2026, 3, 2), 9000);
    let id = v.billing_mut().draft_invoice(a, None, None).unwrap()[0];
    let number = v.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap();
    v.billing_mut().record_payment(&number, Cents::new(1000), Some(date(2026, 4, 2)), "cash").unwrap();
    let key = v.raw_key_hex();
    let db = v.working_dir().database();
    drop(v);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\"; {}", key.as_str(), tresor::store::cipher_settings_sql()))
        .unwrap();
    let attempts = [
        ("invoice", "UPDATE invoices SET gross_cents = 1 WHERE number = '2026-0001'"),
        ("invoice", "UPDATE invoices SET deleted = 1 WHERE number = '2026-0001'"),
        ("invoice", "DELETE FROM invoices WHERE number = '2026-0001'"),
        ("invoice_line", "UPDATE invoice_lines SET amount_cents = 1, unit_cents = 1"),
        ("invoice_line", "DELETE FROM invoice_lines"),
        ("payment", "UPDATE payments SET amount_cents = 9000"),
        ("payment", "DELETE FROM payments"),
    ];
    for (entity, sql) in attempts {
        let e = tresor::Error::from(conn.execute(sql, []).unwrap_err());
        match e {
            Error::Immutable { entity: got, .. } => assert_eq!(got, entity, "{sql}"),
            other => panic!("{sql}: {other}"),
        }
    }
    let gross: i64 =
        conn.query_row("SELECT gross_cents FROM invoices WHERE number = ?1", [&number], |r| r.get(0)).unwrap();
    assert_eq!(gross, 9000);
    drop(conn);
    assert!(w.open_vault().unwrap().verify().unwrap().sound());
}

#[test]
fn cancellation_mirrors_the_original_and_frees_its_sessions() {
    let (_w, mut v) = vault(Country::DE);
    let a = client(&mut v, "Anna Äpfel");
    billable_session(&mut v, a, date(2026, 3, 2), 10000);
    billable_session(&mut v, a, date(2026, 3, 9), 10000);
    let id = v.billing_mut().draft_invoice(a, None, None).unwrap()[0];
    v.billing_mut().add_invoice_line(id, item("Supervision", 12345, 1, TaxMode::Taxable { rate_bp: 1900 })).unwrap();
    let n1 = v.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap();
    let c = v.billing_mut().cancel_invoice(&n1, "Falscher Betrag", true, Some(date(2026, 4, 2))).unwrap();
    assert_eq!(c.number, "2026-0002", "a cancellation takes the next number of the series");
    let orig = v.billing().invoice_by_number(&n1).unwrap();
    let storno = v.billing().invoice_by_number(&c.number).unwrap();
    assert_eq!(storno.cancels, Some(orig.id));
    assert_eq!(orig.cancelled_by.as_ref().map(|x| x.1.as_str()), Some("2026-0002"));
    assert_eq!(storno.totals.gross, orig.totals.gross.checked_neg().unwrap());
    assert_eq!(storno.totals.tax, orig.totals.tax.checked_neg().unwrap());
    assert_eq!(v.billing().balance(&orig).unwrap().status, InvoiceStatus::Cancelled);
    assert!(matches!(
        v.billing_mut().cancel_invoice(&n1, "Falscher Betrag", false, None),
        Err(Error::InvoiceState { reason: "already_cancelled" })
    ));
    assert!(matches!(
        v.billing_mut().cancel_invoice(&c.number, "Falscher Betrag", false, None),
        Err(Error::InvoiceState { reason: "is_cancellation" })
    ));
    assert!(matches!(
        v.billing_mut().record_payment(&n1, Cents::new(100), None, "cash"),
        Err(Error::InvoiceState { reason: "cancelled" })
    ));

    // The correction: the redraft has the same lines; change it and issue.
    let redraft = v.billing().invoice(c.redraft.unwrap()).unwrap();
    assert_eq!(redraft.lines.len(), 3);
    assert_eq!(redraft.totals, orig.totals);
    let extra = redraft.lines.iter().find(|l| l.input.kind == LineKind::Item).unwrap().id;
    v.billing_mut().remove_invoice_line(redraft.id, extra).unwrap();
    let n3 = v.billing_mut().issue_invoice(redraft.id, Some(date(2026, 4, 2))).unwrap();
    assert_eq!(n3, "2026-0003");
    assert_eq!(v.billing().invoice_by_number(&n3).unwrap().totals.gross, Cents::new(20000));

    // Every step is in the journal.
    let ops: Vec<String> = v
        .store()
        .read()
        .journal_for(&[orig.id.to_string(), storno.id.to_string()])
        .unwrap()
        .into_iter()
        .map(|e| format!("{}:{}", e.entity, e.op))
        .collect();
    assert_eq!(ops, ["invoice:create", "invoice:issue", "invoice:create", "invoice:issue", "invoice:cancel"]);
}

#[test]
fn partial_payments_move_the_status() {
    let (_w, mut v) = vault(Country::AT);
    let a = client(&mut v, "Anna Äpfel");
    billable_session(&mut v, a, date(2026, 3, 2), 9000);
    billable_session(&mut v, a, date(2026, 3, 9), 9000);
    let id = v.billing_mut().draft_invoice(a, None, None).unwrap()[0];
    let n = v.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap();
    let status = |v: &Vault| {
        let inv = v.billing().invoice_by_number(&n).unwrap();
        let b = v.billing().balance(&inv).unwrap();
        (b.status, b.due.unwrap().get())
    };
    assert_eq!(status(&v), (InvoiceStatus::Open, 18000));
    v.billing_mut().record_payment(&n, Cents::new(5000), Some(date(2026, 4, 1)), "transfer").unwrap();
    assert_eq!(status(&v), (InvoiceStatus::PartlyPaid, 13000));
    v.billing_mut().record_payment(&n, Cents::new(-1000), Some(date(2026, 4, 2)), "transfer").unwrap();
    assert_eq!(status(&v), (InvoiceStatus::PartlyPaid, 14000), "a negative payment corrects an earlier one");
    assert!(
        v.billing_mut().record_payment(&n, Cents::new(-5000), None, "transfer").is_err(),
        "payments cannot sum below zero"
    );
    v.billing_mut().record_payment(&n, Cents::new(14000), Some(date(2026, 4, 3)), "cash").unwrap();
    assert_eq!(status(&v), (InvoiceStatus::Paid, 0));
    let inv = v.billing().invoice_by_number(&n).unwrap();
    assert_eq!(inv.payments.len(), 3);
    assert_eq!(v.billing().balance(&inv).unwrap().paid_on, Some(date(2026, 4, 3)));
    assert!(matches!(v.billing_mut().write_off(&n, "uneinbringlich"), Err(Error::InvoiceState { reason: "settled" })));
    let list = v.billing().invoices(&InvoiceQuery { issued: true, ..Default::default() }).unwrap();
    assert_eq!(list[0].balance.status, InvoiceStatus::Paid);
}

#[test]
fn dunning_goes_through_three_levels_with_fees() {
    let (_w, mut v) = vault(Country::AT);
    let a = client(&mut v, "Anna Äpfel");
    let b = client(&mut v, "Bernd Öztürk");
    billable_session(&mut v, a, date(2026, 1, 5), 9000);
    billable_session(&mut v, b, date(2026, 1, 5), 9000);
    let na = bill(&mut v, a, date(2026, 1, 31));
    let nb = bill(&mut v, b, date(2026, 1, 31));
    v.billing_mut().record_payment(&nb, Cents::new(9000), Some(date(2026, 2, 10)), "transfer").unwrap();
    // Due 14.02.; nothing on the due date, level 1 the day after, then every 14 days.
    assert!(v.billing_mut().dunning_run(Some(date(2026, 2, 14))).unwrap().is_empty());
    let runs = [(date(2026, 2, 15), 1, 0), (date(2026, 3, 2), 2, 500), (date(2026, 3, 17), 3, 1000)];
    for (day, level, fee) in runs {
        let letters = v.billing_mut().dunning_run(Some(day)).unwrap();
        assert_eq!(letters.len(), 1, "{day}");
        assert_eq!(
            (letters[0].number.as_str(), letters[0].level, letters[0].fee),
            (na.as_str(), level, Cents::new(fee))
        );
        assert!(v.billing_mut().dunning_run(Some(day)).unwrap().is_empty(), "the same level twice on {day}");
    }
    assert!(v.billing_mut().dunning_run(Some(date(2026, 6, 1))).unwrap().is_empty(), "more than three levels");
    let inv = v.billing().invoice_by_number(&na).unwrap();
    let bal = v.billing().balance(&inv).unwrap();
    assert_eq!((bal.dunning_level, bal.fees, bal.due), (3, Some(Cents::new(1500)), Some(Cents::new(10500))));
    v.billing_mut().record_payment(&na, Cents::new(10500), None, "transfer").unwrap();
    let inv = v.billing().invoice_by_number(&na).unwrap();
    assert_eq!(v.billing().balance(&inv).unwrap().status, InvoiceStatus::Paid);
}

#[test]
fn write_off_needs_a_reason_and_ends_dunning() {
    let (_w, mut v) = vault(Country::AT);
    let a = client(&mut v, "Anna Äpfel");
    billable_session(&mut v, a, date(2026, 1, 5), 9000);
    let n = bill(&mut v, a, date(2026, 1, 31));
    assert!(v.billing_mut().write_off(&n, " ").is_err());
    v.billing_mut().write_off(&n, "Klientin verzogen, unbekannt").unwrap();
    let inv = v.billing().invoice_by_number(&n).unwrap();
    assert_eq!(v.billing().balance(&inv).unwrap().status, InvoiceStatus::WrittenOff);
    assert!(v.billing_mut().dunning_run(Some(date(2026, 6, 1))).unwrap().is_empty());
}

#[test]
fn rounding_is_per_line_across_many_lines() {
    let (_w, mut v) = vault(Country::DE);
    let a = client(&mut v, "Anna Äpfel");
    billable_session(&mut v, a, date(2026, 3, 2), 10000);
    let id = v.billing_mut().draft_invoice(a, None, None).unwrap()[0];
    // 250 lines whose exact tax has half a cent or less: per-line rounding is what is printed.
    let t19 = TaxMode::Taxable { rate_bp: 1900 };
    let t7 = TaxMode::Taxable { rate_bp: 700 };
    let mut expected_tax = 0i64;
    for i in 0..250i64 {
        let (unit, mode) = if i % 2 == 0 { (150 + i, t19) } else { (50 + i, t7) };
        v.billing_mut().add_invoice_line(id, item(&format!("Material {i}"), unit, 1, mode)).unwrap();
        let bp = mode.rate_bp() as i64;
        let exact2 = unit * bp * 2; // twice the tax in 1/10 000 cent, to round half away from zero
        expected_tax += (exact2 / 10_000 + 1) / 2;
    }
    let inv = v.billing().invoice(id).unwrap();
    assert_eq!(inv.lines.len(), 251);
    assert_eq!(inv.totals.tax, Cents::new(expected_tax));
    assert_eq!(inv.totals.tax, Cents::sum(inv.lines.iter().map(|l| l.tax_amount)).unwrap());
    assert_eq!(inv.totals.gross, inv.totals.net.checked_add(inv.totals.tax).unwrap());
    assert_eq!(Cents::sum(inv.totals.per_rate.iter().map(|r| r.gross)).unwrap(), inv.totals.gross);
    let n = v.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap();
    let c = v.billing_mut().cancel_invoice(&n, "Falscher Betrag", false, Some(date(2026, 4, 1))).unwrap();
    assert_eq!(v.billing().invoice_by_number(&c.number).unwrap().totals.tax, Cents::new(-expected_tax));
}

#[test]
fn a_split_bill_makes_two_invoices_whose_shares_add_up() {
    let (_w, mut v) = vault(Country::AT);
    let mut input = ClientInput::with_full_name("Lena Kind");
    input.guardian = Some(Party {
        name: "Maria Kind".into(),
        street: "Hauptstraße 1".into(),
        postal_code: "8010".into(),
        city: "Graz".into(),
        ..Default::default()
    });
    let c = v.records_mut().add_client(input).unwrap();
    let other = Party {
        name: "Peter Kind".into(),
        street: "Ringstraße 2".into(),
        postal_code: "4020".into(),
        city: "Linz".into(),
        ..Default::default()
    };
    v.billing_mut()
        .set_bill_to(
            c,
            &BillTo { role: PayerRole::Guardian, party: None, split: Some(Split { party: other, share_bp: 4000 }) },
        )
        .unwrap();
    billable_session(&mut v, c, date(2026, 3, 2), 9001);
    billable_session(&mut v, c, date(2026, 3, 9), 9001);
    let ids = v.billing_mut().draft_invoice(c, None, None).unwrap();
    assert_eq!(ids.len(), 2);
    let first = v.billing().invoice(ids[0]).unwrap();
    let second = v.billing().invoice(ids[1]).unwrap();
    assert_eq!(first.payer.party.name, "Maria Kind");
    assert_eq!(second.payer.party.name, "Peter Kind");
    assert_eq!((first.share_bp, second.share_bp), (6000, 4000));
    assert_eq!(first.totals.gross.checked_add(second.totals.gross).unwrap(), Cents::new(18002));
    assert_eq!(first.lines[0].amount, Cents::new(5401));
    v.billing_mut().issue_invoice(ids[0], Some(date(2026, 3, 31))).unwrap();
    v.billing_mut().issue_invoice(ids[1], Some(date(2026, 3, 31))).unwrap();
    assert!(matches!(v.billing_mut().draft_invoice(c, None, None), Err(Error::NothingToBill)));

    // A guardian is required for a guardian bill.
    let lone = client(&mut v, "Ohne Vormund");
    assert!(v
        .billing_mut()
        .set_bill_to(lone, &BillTo { role: PayerRole::Guardian, party: None, split: None })
        .is_err());
}

#[test]
fn month_end_run_drafts_one_invoice_per_client_and_no_shows() {
    let (_w, mut v) = vault(Country::AT);
    let svc = v
        .records_mut()
        .add_service(ServiceInput {
            name: "Psychotherapie Einzel".into(),
            code: "PT".into(),
            minutes: 50,
            price: Cents::new(9500),
            tax: TaxMode::AtExempt,
            fee: Default::default(),
            retired: false,
        })
        .unwrap();
    let clients: Vec<ClientId> =
        ["Anna Äpfel", "Bernd Öztürk", "Cäcilia Weiß"].iter().map(|n| client(&mut v, n)).collect();
    for (i, c) in clients.iter().enumerate() {
        for d in 0..=i as i8 {
            billable_session(&mut v, *c, date(2026, 2, 2 + d), 9000);
        }
    }
    billable_session(&mut v, clients[0], date(2026, 3, 2), 9000);
    // A missed appointment of Anna's in February becomes an Ausfallhonorar at the service price.
    let appt = v
        .records_mut()
        .add_appointment(tresor::domain::AppointmentInput {
            client_id: clients[0],
            service_id: Some(svc),
            local_start: date(2026, 2, 20).at(10, 0, 0, 0),
            minutes: 50,
            kind: tresor::domain::AppointmentKind::InPerson,
            video_link: String::new(),
            note: String::new(),
        })
        .unwrap();
    v.records_mut().set_appointment_status(appt, tresor::domain::AppointmentStatus::NoShow).unwrap();
    let run = v.billing_mut().draft_month("2026-02").unwrap();
    assert_eq!(run.drafted.len(), 3);
    assert!(run.skipped.is_empty());
    let anna = v
        .billing()
        .invoice(
            run.drafted.iter().copied().find(|id| v.billing().invoice(*id).unwrap().client_id == clients[0]).unwrap(),
        )
        .unwrap();
    assert_eq!(anna.lines.len(), 2, "one session and the no-show, not March's session");
    let no_show = anna.lines.iter().find(|l| l.input.kind == LineKind::NoShow).unwrap();
    assert_eq!(no_show.amount, Cents::new(9500));
    assert!(no_show.input.description.contains("Ausfallhonorar"));
    assert!(v.billing_mut().draft_month("2026-02").unwrap().drafted.is_empty(), "the run is idempotent");
    assert_eq!(v.billing_mut().draft_month("2026-03").unwrap().drafted.len(), 1);
}

#[test]
fn number_format_is_a_setting() {
    let (_w, mut v) = vault(Country::DE);
    let mut s = v.billing().billing_settings().unwrap();
    s.number_format = "RE-{year}/{seq:3}".into();
    assert!(v.billing_mut().update_billing_settings(&s).is_err(), "a slash is refused (it would make a bad file name)");
    s.number_format = "RE{year}-{seq:3}".into();
    s.payment_days = 30;
    v.billing_mut().update_billing_settings(&s).unwrap();
    let a = client(&mut v, "Anna Äpfel");
    billable_session(&mut v, a, date(2026, 3, 2), 9000);
    let id = v.billing_mut().draft_invoice(a, None, None).unwrap()[0];
    assert_eq!(v.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap(), "RE2026-001");
    assert_eq!(v.billing().invoice_by_number("RE2026-001").unwrap().due_date, Some(date(2026, 4, 30)));
}

#[test]
fn issuing_needs_a_complete_practice_profile() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let a = client(&mut v, "Anna Äpfel");
    billable_session(&mut v, a, date(2026, 3, 2), 9000);
    let id = v.billing_mut().draft_invoice(a, None, None).unwrap()[0];
    assert!(matches!(v.billing_mut().issue_invoice(id, None), Err(Error::PracticeIncomplete { .. })));
    assert!(v.billing().invoice(id).unwrap().number.is_none(), "a refused issue left a number behind");
}
