//! Receipts for payments (Quittung for cash, Zahlungsbestätigung otherwise), kept as first made,
//! and the Austrian cash-register (RKSV) check. On real files: pdftotext, byte comparison.

mod common;

use common::*;
use jiff::civil::date;
use tresor::domain::client::ClientInput;
use tresor::domain::money::Cents;
use tresor::domain::practice::Country;
use tresor::vault::{CashLevel, Copy};
use tresor::Vault;

/// An invoice of 2 × `fee` cents issued on 31.03.2026 to a client with an address.
fn issued(v: &mut Vault, country: Country, fee: i64) -> String {
    setup_practice(v, country);
    let mut c = ClientInput::with_full_name("Bärbel Größ");
    c.street = "Lindengasse 5".into();
    c.postal_code = "80331".into();
    c.city = "München".into();
    let client = v.records_mut().add_client(c).unwrap();
    billable_session(v, client, date(2026, 3, 2), fee);
    billable_session(v, client, date(2026, 3, 9), fee);
    let id = v.billing_mut().draft_invoice(client, None, Some(date(2026, 3, 31))).unwrap()[0];
    v.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap()
}

#[test]
fn a_cash_payment_gets_a_quittung_in_proper_german_kept_as_made() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let number = issued(&mut v, Country::DE, 9000);
    let cash = v.billing_mut().record_payment(&number, Cents::new(9000), Some(date(2026, 4, 2)), "cash").unwrap();
    let first = v.documents_mut().export_receipt(&number, Some(cash)).unwrap();
    assert_eq!(first.copy, Copy::KeptNow);
    let text = pdftotext(&save(w.dir.path(), "q.pdf", &first.bytes));
    for must in [
        "Quittung",
        "Betrag: 90,00 €",
        &format!("Von Bärbel Größ für Rechnung Nr. {number} in bar."),
        "Betrag dankend erhalten.",
        "Rechnungsbetrag: 180,00 €.",
        "Zahlungstag",
        "02.04.2026",
        "Ort, Datum",
        "Unterschrift (Mag. Jörg Müller-Größ)",
    ] {
        assert!(text.contains(must), "{must:?} missing:\n{text}");
    }
    for never in ["per bar", "Receipt", "cash", "IBAN"] {
        assert!(!text.contains(never), "{never:?} on a German receipt:\n{text}");
    }

    // A later transfer gets a Zahlungsbestätigung; the Quittung stays what it was.
    v.records_mut().set_logo(Some(&half_red_png(60, 20))).unwrap();
    v.billing_mut().record_payment(&number, Cents::new(9000), Some(date(2026, 4, 9)), "transfer").unwrap();
    let again = v.documents_mut().export_receipt(&number, Some(cash)).unwrap();
    assert_eq!(again.copy, Copy::Identical);
    assert!(again.bytes == first.bytes, "the Quittung changed after a payment and a logo");
    let newest = v.documents_mut().export_receipt(&number, None).unwrap();
    let t = pdftotext(&save(w.dir.path(), "z.pdf", &newest.bytes));
    assert!(t.contains("Zahlungsbestätigung") && t.contains("per Überweisung."), "{t}");
}

#[test]
fn what_is_no_payment_gets_no_receipt() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let number = issued(&mut v, Country::DE, 9000);
    assert_eq!(
        v.documents_mut().export_receipt(&number, None).unwrap_err().code(),
        "record.invalid",
        "nothing paid yet"
    );
    v.billing_mut().record_payment(&number, Cents::new(10000), Some(date(2026, 4, 2)), "transfer").unwrap();
    let fix = v.billing_mut().record_payment(&number, Cents::new(-1000), Some(date(2026, 4, 3)), "transfer").unwrap();
    let e = v.documents_mut().export_receipt(&number, Some(fix)).unwrap_err();
    assert_eq!((e.code(), e.params()["field"].as_str()), ("record.invalid", Some("payment")));
    let storno = v.billing_mut().cancel_invoice(&number, "Doppelt", false, Some(date(2026, 4, 4))).unwrap();
    assert_eq!(v.documents_mut().export_receipt(&storno.number, None).unwrap_err().code(), "invoice.wrong_state");
}

#[test]
fn austrian_cash_payments_near_the_rksv_limits_are_flagged() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let number = issued(&mut v, Country::AT, 1_000_000);
    let year = |v: &Vault| v.billing().cash_check(2026).unwrap().expect("Austria");
    assert_eq!(year(&v).level, CashLevel::Below);
    // 12.000 € received (80 % of 15.000), 6.000 € of it in cash (80 % of 7.500): near.
    v.billing_mut().record_payment(&number, Cents::new(600_000), Some(date(2026, 4, 1)), "transfer").unwrap();
    v.billing_mut().record_payment(&number, Cents::new(599_999), Some(date(2026, 4, 2)), "cash").unwrap();
    assert_eq!(year(&v).level, CashLevel::Below, "one cent short of 80 % cash");
    v.billing_mut().record_payment(&number, Cents::new(1), Some(date(2026, 4, 3)), "cash").unwrap();
    let c = year(&v);
    assert_eq!((c.received, c.cash, c.level), (Cents::new(1_200_000), Cents::new(600_000), CashLevel::Approaching));
    // Over both: 20.000 € received, 8.000 € in cash.
    v.billing_mut().record_payment(&number, Cents::new(600_000), Some(date(2026, 5, 1)), "transfer").unwrap();
    v.billing_mut().record_payment(&number, Cents::new(200_000), Some(date(2026, 5, 2)), "cash").unwrap();
    assert_eq!(year(&v).level, CashLevel::Exceeded);
    // Another year's payments do not count; Germany has no such rule.
    assert_eq!(v.billing().cash_check(2027).unwrap().unwrap().level, CashLevel::Below);
    let w2 = World::new();
    let (mut de, _) = w2.create_vault();
    issued(&mut de, Country::DE, 9000);
    assert_eq!(de.billing().cash_check(2026).unwrap(), None);
}
