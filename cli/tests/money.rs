//! Amounts out of range (issue 10 item 3): every amount a person types is refused above the
//! limit with the field and the limit named, and a vault from before amounts were bounded —
//! a dunning fee or a payment of i64::MAX on file — still lists, shows, pays, exports and
//! reports, with the sums it cannot compute said to be not computable.

mod common;

use common::*;
use jiff::civil::date;
use tresor::domain::money::Cents;
use tresor::domain::{ClientInput, Country};

const HUGE: &str = "9223372036854775807";

/// A practice with one client, one session and (with `issue`) invoice 2026-0001 issued.
fn world(issue: bool) -> (World, String, String) {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let mut c = ClientInput::with_full_name("Bärbel Größ");
    c.street = "Lindengasse 5".into();
    c.postal_code = "1070".into();
    c.city = "Wien".into();
    let client = v.records_mut().add_client(c).unwrap();
    billable_session(&mut v, client, date(2026, 1, 5), 9000);
    let draft = v.billing_mut().draft_invoice(client, None, None).unwrap()[0];
    if issue {
        v.billing_mut().issue_invoice(draft, Some(date(2026, 1, 31))).unwrap();
    }
    (w, client.to_string(), draft.to_string())
}

#[test]
fn amounts_above_the_limit_are_refused_naming_field_and_limit() {
    let (w, client, draft) = world(false);
    let before = w.open_vault().unwrap().billing().billing_settings().unwrap();
    let cases: [(&str, Vec<&str>); 6] = [
        ("dunning_fees", vec!["invoice", "settings", "--dunning-fees", "0", "500", HUGE]),
        ("no_show_fee", vec!["invoice", "settings", "--no-show-fee-cents", "100000001"]),
        ("fee", vec!["session", "add", "--client", &client, "--date", "2026-01-12", "--fee-cents", HUGE]),
        ("price", vec!["service", "add", "--name", "Einzel", "--minutes", "50", "--price-cents", HUGE]),
        ("amount", vec!["invoice", "item", &draft, "--text", "Bericht", "--cents=-100000001"]),
        // Checked before the invoice is even looked up.
        ("amount", vec!["invoice", "pay", "2026-9999", "--amount", HUGE]),
    ];
    for (field, args) in cases {
        let mut all = vec!["--json"];
        all.extend_from_slice(&args);
        let out = w.run(&all);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(code(&out), 2, "{args:?}: {stderr}");
        let e: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{args:?}: {stderr}"));
        assert_eq!(e["error"]["code"], "money.too_large", "{args:?}");
        assert_eq!(e["error"]["params"]["field"], field, "{args:?}");
        assert_eq!(e["error"]["params"]["max"], 1_000_000, "{args:?}");
        assert!(stderr.contains(field) && stderr.contains("1000000.00"), "{args:?}: {stderr}");
    }
    let v = w.open_vault().unwrap();
    assert_eq!(v.billing().billing_settings().unwrap(), before, "a refused setting changes nothing");
    assert_eq!(v.records().sessions_of(client.parse().unwrap(), 10).unwrap().len(), 1);
    assert!(v.records().services().unwrap().is_empty());
    assert_eq!(v.billing().invoice(draft.parse().unwrap()).unwrap().lines.len(), 1);
    // The limit itself is allowed.
    drop(v);
    w.json(&["invoice", "settings", "--dunning-fees", "0", "500", "100000000"]);
}

/// Writes rows as a Tresor from before the bound did, straight into the working copy.
fn write_as_an_old_version(w: &World, sql: &str) {
    let v = w.open_vault().unwrap();
    let key = v.raw_key_hex();
    let db = v.working_dir().database();
    drop(v);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\"; {}", key.as_str(), tresor::store::cipher_settings_sql()))
        .unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn a_vault_holding_a_fee_of_i64_max_still_lists_shows_pays_exports_and_reports() {
    let (w, client, _) = world(true);
    let letters = w.json(&["dunning", "run", "--date", "2026-02-20"]);
    assert_eq!(letters[0]["level"], 1);
    write_as_an_old_version(
        &w,
        &format!(
            "INSERT INTO dunning_letters(id, invoice_id, level, date, due_date, fee_cents, created_hlc, device)
             SELECT '01890000-0000-7000-8000-0000000000d3', id, 2, '2026-03-10', '2026-03-24', 500, 1, 'old'
               FROM invoices WHERE number = '2026-0001';
             INSERT INTO dunning_letters(id, invoice_id, level, date, due_date, fee_cents, created_hlc, device)
             SELECT '01890000-0000-7000-8000-0000000000d4', id, 3, '2026-03-30', '2026-04-13', {HUGE}, 2, 'old'
               FROM invoices WHERE number = '2026-0001';"
        ),
    );

    let list = w.json(&["invoice", "list"]);
    assert_eq!(list[0]["number"], "2026-0001");
    assert_eq!(list[0]["balance"]["status"], "not_computable");
    assert!(list[0]["balance"]["due"].is_null() && list[0]["balance"]["fees"].is_null());
    assert_eq!(list[0]["balance"]["paid"], 0);
    let text = String::from_utf8(w.run(&["invoice", "list"]).stdout).unwrap();
    assert!(text.contains("not_computable"), "{text}");

    let shown = w.json(&["invoice", "show", "2026-0001"]);
    assert_eq!(shown["invoice"]["dunning"][2]["fee"].as_i64(), Some(i64::MAX), "the record is shown as stored");
    assert!(shown["balance"]["due"].is_null());
    let text = String::from_utf8(w.run(&["invoice", "show", "2026-0001"]).stdout).unwrap();
    assert!(text.contains("open nicht berechenbar"), "{text}");

    let timeline = w.json(&["client", "show", &client]);
    assert_eq!(timeline["invoices"][0]["balance"]["status"], "not_computable");

    let out = w.tmp();
    let (j, p) = (out.join("client.json"), out.join("client.pdf"));
    w.json(&["client", "export", &client, "--json-file", j.to_str().unwrap(), "--pdf", p.to_str().unwrap()]);
    let file: serde_json::Value = serde_json::from_slice(&std::fs::read(&j).unwrap()).unwrap();
    assert_eq!(file["invoices"][0]["status"], "not_computable");
    assert_eq!(file["invoices"][0]["dunning_letters"][2]["fee_cents"].as_i64(), Some(i64::MAX));
    let text = pdftotext(&p);
    // "Beträge nicht berechenbar" wraps in its narrow column.
    assert!(text.contains("Beträge nicht") && text.contains("berechenbar"), "{text}");

    for report in ["journal", "revenue"] {
        let (x, p) = (out.join(format!("{report}.xlsx")), out.join(format!("{report}.pdf")));
        let args = ["report", report, "--from", "2026-01-01", "--to", "2026-12-31"];
        w.json(&[&args[..], &["--xlsx", x.to_str().unwrap(), "--pdf", p.to_str().unwrap()]].concat());
    }

    // Payments need only the payments to add up; the dunning run passes the invoice by.
    let paid = w.json(&["invoice", "pay", "2026-0001", "--amount-cents", "9000", "--date", "2026-04-01"]);
    assert_eq!(paid["status"], "not_computable");
    assert!(paid["due_cents"].is_null());
    assert_eq!(w.json(&["dunning", "run", "--date", "2026-06-01"]).as_array().unwrap().len(), 0);
    let letter = w.run(&["dunning", "letter", "2026-0001", "--pdf", out.join("l.pdf").to_str().unwrap()]);
    assert_eq!(code(&letter), 1, "a letter that would print a wrong sum is refused");
    assert!(String::from_utf8_lossy(&letter.stderr).contains("amount out of range"));

    // Cancelling still works, and the cancelled invoice reads as cancelled.
    let storno = w.json(&["invoice", "cancel", "2026-0001", "--reason", "Doppelt ausgestellt"]);
    assert_eq!(storno["number"], "2026-0002");
    let list = w.json(&["invoice", "list"]);
    let status: Vec<&str> = list.as_array().unwrap().iter().map(|i| i["balance"]["status"].as_str().unwrap()).collect();
    assert_eq!(status, ["cancelled", "cancelled"]);
}

#[test]
fn a_payment_of_i64_max_on_file_makes_its_sums_not_computable_not_fatal() {
    let (w, client, _) = world(true);
    w.json(&["invoice", "pay", "2026-0001", "--amount-cents", "100", "--date", "2026-02-01"]);
    write_as_an_old_version(
        &w,
        &format!(
            "INSERT INTO payments(id, invoice_id, date, amount_cents, method, note, created_hlc, device)
             SELECT '01890000-0000-7000-8000-0000000000e1', id, '2026-02-02', {HUGE}, 'transfer', '', 1, 'old'
               FROM invoices WHERE number = '2026-0001';"
        ),
    );
    let list = w.json(&["invoice", "list"]);
    assert_eq!(list[0]["balance"]["status"], "not_computable");
    assert!(list[0]["balance"]["paid"].is_null());
    let out = w.tmp();
    let (x, p) = (out.join("revenue.xlsx"), out.join("revenue.pdf"));
    let (xs, ps) = (x.to_str().unwrap(), p.to_str().unwrap());
    w.json(&["report", "revenue", "--from", "2026-01-01", "--to", "2026-03-31", "--xlsx", xs, "--pdf", ps]);
    let text = pdftotext(&p);
    assert!(text.contains("nicht berechenbar"), "February's receipts: {text}");
    assert!(text.contains("90,00 €"), "January's invoiced amount is still there: {text}");
    let (j, p) = (out.join("c.json"), out.join("c.pdf"));
    w.json(&["client", "export", &client, "--json-file", j.to_str().unwrap(), "--pdf", p.to_str().unwrap()]);
    let text = pdftotext(&p);
    assert!(text.contains("berechenbar"), "the paid column says it cannot add up: {text}");
    // A new payment on top of one that already fills the range is refused, not wrapped.
    let more = w.run(&["invoice", "pay", "2026-0001", "--amount-cents", "1"]);
    assert_eq!(code(&more), 1);
    assert_eq!(Cents::MAX_ENTRY, Cents::new(100_000_000));
}
