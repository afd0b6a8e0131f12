//! The window's billing desk on real files: the month-end run's preview writes nothing, the run
//! issues all chosen bills in one transaction, a cancel or a refusal keeps nothing of it; the
//! invoice list filters, sorts, sums and pages in the core; one invoice's next dunning letter.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};

use common::*;
use jiff::civil::Date;
use jiff::ToSpan;
use tresor::domain::client::ClientInput;
use tresor::domain::money::Cents;
use tresor::domain::{ClientId, Country};
use tresor::store::InvoiceQuery;
use tresor::vault::{InvoiceFilter, InvoiceListQuery, InvoiceSort};
use tresor::{Error, Vault};

fn client(v: &mut Vault, name: &str, street: &str) -> ClientId {
    let mut c = ClientInput::with_full_name(name);
    c.street = street.into();
    c.postal_code = "1070".into();
    c.city = "Wien".into();
    v.records_mut().add_client(c).unwrap()
}

/// A practice with three clients who had sessions last month; the third has no address and
/// a bill above the small-invoice limit, so it cannot be issued.
fn practice() -> (World, Vault, String, [ClientId; 3]) {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let first = v.records().today().unwrap().first_of_month().checked_sub(1.month()).unwrap();
    let a = client(&mut v, "Anna Äpfel", "Lindengasse 5");
    let b = client(&mut v, "Bernd Öztürk", "Zollergasse 2");
    let c = client(&mut v, "Clara Ohneadresse", "");
    for d in 1..=3 {
        billable_session(&mut v, a, first.checked_add((d * 3).days()).unwrap(), 9000);
        billable_session(&mut v, b, first.checked_add((d * 3).days()).unwrap(), 12000);
        billable_session(&mut v, c, first.checked_add((d * 3).days()).unwrap(), 15000);
    }
    (w, v, first.strftime("%Y-%m").to_string(), [a, b, c])
}

fn invoice_count(v: &Vault) -> usize {
    v.billing().invoices(&InvoiceQuery { drafts: true, issued: true, ..Default::default() }).unwrap().len()
}

#[test]
fn the_preview_shows_every_draft_with_its_blockers_and_writes_nothing() {
    let (_w, mut v, month, [a, _, c]) = practice();
    let p = v.billing_mut().month_preview(&month).unwrap();
    assert_eq!(p.drafts.len(), 3);
    let anna = p.drafts.iter().find(|d| d.client_id == a).unwrap();
    assert_eq!((anna.sessions, anna.gross, anna.blockers.len()), (3, Cents::new(27000), 0));
    // No insurance number recorded: the claim form would lack the SVNR.
    assert_eq!(anna.notes, vec!["svnr_missing".to_string()]);
    let clara = p.drafts.iter().find(|d| d.client_id == c).unwrap();
    assert_eq!(clara.blockers[0].code, "invoice.recipient_incomplete");
    assert_eq!(p.gross, Some(Cents::new(27000 + 36000 + 45000)));
    assert_eq!(invoice_count(&v), 0, "the preview left a draft behind");
    // The same again: nothing of the first preview was kept.
    assert_eq!(v.billing_mut().month_preview(&month).unwrap().drafts.len(), 3);
}

#[test]
fn the_run_issues_the_chosen_bills_in_one_go_with_progress() {
    let (_w, mut v, month, [a, b, c]) = practice();
    let mut seen = Vec::new();
    let out =
        v.billing_mut().issue_month(&month, &[a, b], None, &AtomicBool::new(false), |d, t| seen.push((d, t))).unwrap();
    assert_eq!(out.issued.len(), 2);
    assert_eq!(seen, vec![(0, 2), (1, 2), (2, 2)]);
    assert_eq!(out.gross, Some(Cents::new(63000)));
    for i in &out.issued {
        let pdf = v.documents_mut().render_invoice(&i.number, tresor::vault::InvoiceFormat::Pdf).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
    }
    // Clara, left out, still has her sessions unbilled.
    let p = v.billing_mut().month_preview(&month).unwrap();
    assert_eq!(p.drafts.iter().map(|d| d.client_id).collect::<Vec<_>>(), vec![c]);
}

#[test]
fn a_cancelled_or_refused_run_keeps_nothing() {
    let (_w, mut v, month, [a, b, c]) = practice();
    let cancel = AtomicBool::new(false);
    // Cancelled after the first invoice was issued inside the transaction.
    let err = v
        .billing_mut()
        .issue_month(&month, &[a, b], None, &cancel, |d, _| {
            if d == 1 {
                cancel.store(true, Ordering::Relaxed)
            }
        })
        .unwrap_err();
    assert!(matches!(err, Error::RunCancelled), "{err:?}");
    assert_eq!(invoice_count(&v), 0, "a cancelled run left invoices behind");
    // Clara's bill cannot be issued: the whole run is refused, Anna's included.
    let err = v.billing_mut().issue_month(&month, &[a, c], None, &AtomicBool::new(false), |_, _| {}).unwrap_err();
    assert_eq!(err.code(), "invoice.recipient_incomplete");
    assert_eq!(invoice_count(&v), 0);
    // The numbers stay gapless: the next real run starts at 0001.
    let out = v.billing_mut().issue_month(&month, &[a], None, &AtomicBool::new(false), |_, _| {}).unwrap();
    assert!(out.issued[0].number.ends_with("0001"), "{}", out.issued[0].number);
    assert!(matches!(v.billing_mut().issue_month(&month, &[], None, &cancel, |_, _| {}), Err(Error::NothingToBill)));
}

fn query(filter: InvoiceFilter, text: &str) -> InvoiceListQuery {
    InvoiceListQuery { filter, text: text.into(), offset: 0, limit: 100, ..Default::default() }
}

#[test]
fn the_invoice_list_filters_sorts_and_sums_in_the_core() {
    let (_w, mut v, month, [a, b, c]) = practice();
    let out = v.billing_mut().issue_month(&month, &[a, b], None, &AtomicBool::new(false), |_, _| {}).unwrap();
    v.billing_mut().draft_invoice(c, None, None).unwrap();
    let (na, nb) = (&out.issued[0].number, &out.issued[1].number);
    v.billing_mut().record_payment(nb, Cents::new(36000), None, "transfer").unwrap();

    let all = v.billing().invoice_list(&query(InvoiceFilter::All, "")).unwrap();
    assert_eq!(all.total, 3);
    assert_eq!(all.gross, Some(Cents::new(27000 + 36000 + 45000)));
    let count = |f| all.counts.iter().find(|c| c.filter == f).unwrap().count;
    assert_eq!((count(InvoiceFilter::Drafts), count(InvoiceFilter::Open), count(InvoiceFilter::Paid)), (1, 1, 1));

    let open = v.billing().invoice_list(&query(InvoiceFilter::Open, "")).unwrap();
    assert_eq!(open.items[0].invoice.number.as_deref(), Some(na.as_str()));
    assert_eq!(open.due, Some(Cents::new(27000)));
    // By name (any case), by number, by an amount as typed.
    assert_eq!(
        v.billing().invoice_list(&query(InvoiceFilter::All, "öztürk")).unwrap().items[0].client_name,
        "Bernd Öztürk"
    );
    assert_eq!(v.billing().invoice_list(&query(InvoiceFilter::All, nb)).unwrap().total, 1);
    let by_amount = v.billing().invoice_list(&query(InvoiceFilter::All, "270,00")).unwrap();
    assert_eq!(by_amount.items[0].invoice.client_id, a);

    // The global search finds the same, and nothing for empty text.
    assert_eq!(v.billing().search_invoices(nb, 10).unwrap()[0].invoice.number.as_deref(), Some(nb.as_str()));
    assert!(v.billing().search_invoices("  ", 10).unwrap().is_empty());

    let mut q = query(InvoiceFilter::All, "");
    q.sort = InvoiceSort::Amount;
    let by_gross: Vec<Cents> = v.billing().invoice_list(&q).unwrap().items.iter().map(|r| r.invoice.gross).collect();
    assert_eq!(by_gross, vec![Cents::new(45000), Cents::new(36000), Cents::new(27000)]);
    q.reverse = true;
    q.offset = 1;
    q.limit = 1;
    let page = v.billing().invoice_list(&q).unwrap();
    assert_eq!((page.total, page.items[0].invoice.gross), (3, Cents::new(36000)));

    // A change after the list was read shows at once (the cached rows are dropped).
    v.billing_mut().record_payment(na, Cents::new(27000), None, "cash").unwrap();
    assert_eq!(v.billing().invoice_list(&query(InvoiceFilter::Open, "")).unwrap().total, 0);
    assert_eq!(v.billing().client_open_amount(a).unwrap(), Some(Cents::ZERO));
    let unbilled = v.billing().unbilled_by_client().unwrap();
    assert!(unbilled.is_empty(), "drafted sessions are not unbilled: {unbilled:?}");
}

#[test]
fn one_invoice_gets_its_next_dunning_letter_only_when_due() {
    let (_w, mut v, month, [a, b, _]) = practice();
    let today = v.records().today().unwrap();
    let issued_on: Date = today.checked_sub(40.days()).unwrap();
    let out = v.billing_mut().issue_month(&month, &[a, b], Some(issued_on), &AtomicBool::new(false), |_, _| {});
    // The month may have begun less than 40 days ago: issue then at its last day.
    let out = match out {
        Ok(o) => o,
        Err(_) => {
            let (_, last) = tresor::vault::month_range(&month).unwrap();
            v.billing_mut().issue_month(&month, &[a, b], Some(last), &AtomicBool::new(false), |_, _| {}).unwrap()
        }
    };
    let n = &out.issued[0].number;
    let view = v.billing().invoice_view(out.issued[0].id).unwrap();
    if view.balance.overdue {
        assert_eq!(view.actions.dun, Some(1));
        let d = v.billing_mut().dun_invoice(n, None).unwrap();
        assert_eq!(d.level, 1);
        assert!(v.documents_mut().render_dunning_letter(n, Some(1)).unwrap().starts_with(b"%PDF"));
        let e = v.billing_mut().dun_invoice(n, None).unwrap_err();
        assert!(matches!(e, Error::InvoiceState { reason: "no_letter_due" }));
    } else {
        assert_eq!(view.actions.dun, None);
        assert!(matches!(v.billing_mut().dun_invoice(n, None), Err(Error::InvoiceState { reason: "no_letter_due" })));
    }
    assert!(view.actions.pay && view.actions.cancel && !view.actions.edit);
}

#[test]
fn the_list_read_ahead_serves_the_first_opening_only_while_nothing_changed() {
    let (_w, mut v, month, [a, b, _]) = practice();
    let out = v.billing_mut().issue_month(&month, &[a, b], None, &AtomicBool::new(false), |_, _| {}).unwrap();
    assert!(!v.billing().invoice_list_ready().unwrap());

    // Read on another thread, on its own connection, while the vault stays usable here.
    let ahead = v.billing().read_list_ahead().unwrap().expect("nothing read yet");
    assert!(v.billing().read_list_ahead().unwrap().is_none(), "a second read ahead of the same rows");
    std::thread::spawn(move || ahead.run()).join().unwrap();
    assert!(v.billing().invoice_list_ready().unwrap());
    assert!(v.billing().read_list_ahead().unwrap().is_none(), "the rows are read");
    assert_eq!(v.billing().invoice_list(&query(InvoiceFilter::Open, "")).unwrap().total, 2);

    // A read ahead that a change overtakes is not served: the list reads the change.
    v.billing().forget_invoice_list();
    let stale = v.billing().read_list_ahead().unwrap().unwrap();
    v.billing_mut().record_payment(&out.issued[0].number, out.issued[0].gross, None, "cash").unwrap();
    std::thread::spawn(move || stale.run()).join().unwrap();
    assert!(!v.billing().invoice_list_ready().unwrap());
    assert_eq!(v.billing().invoice_list(&query(InvoiceFilter::Open, "")).unwrap().total, 1);

    // The list waits for a read ahead under way rather than reading twice; one never run (its
    // thread did not start) is not waited for.
    let pending = v.billing().read_list_ahead().unwrap();
    assert!(pending.is_none(), "the list's own read is kept");
    v.billing().forget_invoice_list();
    let slow = v.billing().read_list_ahead().unwrap().unwrap();
    let runner = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(800));
        slow.run()
    });
    let asked = std::time::Instant::now();
    assert_eq!(v.billing().invoice_list(&query(InvoiceFilter::Paid, "")).unwrap().total, 1);
    assert!(asked.elapsed() >= std::time::Duration::from_millis(400), "did not wait for the read ahead");
    runner.join().unwrap();
    v.billing().forget_invoice_list();
    drop(v.billing().read_list_ahead().unwrap().unwrap());
    assert_eq!(v.billing().invoice_list(&query(InvoiceFilter::All, "")).unwrap().total, 2);

    // A read ahead outlives a locked vault without harm (locking stops it; its connection closes).
    v.billing().forget_invoice_list();
    let orphan = v.billing().read_list_ahead().unwrap().unwrap();
    drop(v);
    orphan.run();
}

/// Times the invoice list on a demo practice made by `tresor demo --invoices` (run by hand:
/// `TRESOR_VAULT=… TRESOR_HOME=… TRESOR_PASSWORD=… cargo test --test billing_desk -- --ignored`).
#[test]
#[ignore]
fn time_the_invoice_list_on_a_demo_practice() {
    let folder = std::env::var("TRESOR_VAULT").unwrap();
    let pw = secrecy::SecretString::from(std::env::var("TRESOR_PASSWORD").unwrap());
    let v = Vault::open(std::path::Path::new(&folder), tresor::Unlock::Password(&pw)).unwrap();
    let t = std::time::Instant::now();
    let ahead = v.billing().read_list_ahead().unwrap().unwrap();
    std::thread::spawn(move || ahead.run()).join().unwrap();
    let read_ahead = t.elapsed();
    let t = std::time::Instant::now();
    v.billing().invoice_list(&query(InvoiceFilter::All, "")).unwrap();
    println!("read ahead: {read_ahead:?}, then the list: {:?}", t.elapsed());
    for _ in 0..2 {
        let t = std::time::Instant::now();
        let n = v.billing().unbilled_by_client().unwrap().len();
        println!("unbilled by client ({n}): {:?}", t.elapsed());
    }
    v.billing().forget_invoice_list();
    for (f, text) in
        [(InvoiceFilter::All, ""), (InvoiceFilter::All, ""), (InvoiceFilter::Open, ""), (InvoiceFilter::All, "gruber")]
    {
        let t = std::time::Instant::now();
        let l = v.billing().invoice_list(&query(f, text)).unwrap();
        let t2 = std::time::Instant::now();
        v.billing().forget_invoice_list();
        v.billing().invoice_list(&query(f, text)).unwrap();
        println!("uncached again: {:?}", t2.elapsed());
        let t3 = std::time::Instant::now();
        let n = v.billing().invoices(&InvoiceQuery { drafts: true, issued: true, ..Default::default() }).unwrap().len();
        println!("core list of {n}: {:?}", t3.elapsed());
        println!("{f:?} {text:?}: {} rows, {:?}", l.total, t.elapsed());
    }
    // The reminders' tick (every 30 s in the app) counts the overdue invoices.
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let facts = v.records().reminder_facts(jiff::Timestamp::now()).unwrap();
        println!("reminder facts ({} overdue): {:?}", facts.overdue_invoices, t.elapsed());
    }
}
