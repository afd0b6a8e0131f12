//! Dunning letters as letters: a salutation from the recipient, a closing and signature, the
//! optional default interest at the statutory rate, no dates in the future; and the § 286
//! Abs. 3 BGB note on invoices to German consumers. Checked with pdftotext on real files.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use jiff::civil::date;
use jiff::ToSpan;
use tresor::billing::{BillTo, BillingSettings, PayerRole};
use tresor::domain::client::{ClientInput, Party};
use tresor::domain::practice::Country;
use tresor::export::write_file;
use tresor::vault::InvoiceFormat;
use tresor::Vault;

/// An invoice issued on 31.03.2026 (due 14 days later) to the client, or to a company.
fn issued(v: &mut Vault, country: Country, company: bool) -> String {
    setup_practice(v, country);
    let mut c = ClientInput::with_full_name("Bärbel Größ");
    c.street = "Lindengasse 5".into();
    c.postal_code = "1070".into();
    c.city = "Wien".into();
    let client = v.records_mut().add_client(c).unwrap();
    if company {
        let party = Party {
            name: "Klinik Süd GmbH".into(),
            street: "Hauptstraße 1".into(),
            postal_code: "1010".into(),
            city: "Wien".into(),
            business: true,
            ..Default::default()
        };
        v.billing_mut()
            .set_bill_to(client, &BillTo { role: PayerRole::Other, party: Some(party), split: None })
            .unwrap();
    }
    billable_session(v, client, date(2026, 3, 2), 9000);
    let id = v.billing_mut().draft_invoice(client, None, Some(date(2026, 3, 31))).unwrap()[0];
    v.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap()
}

fn text(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p: PathBuf = dir.join(name);
    write_file(&p, bytes, false).unwrap();
    // One line: a sentence may wrap anywhere.
    pdftotext(&p).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_reminder_to_a_german_consumer_is_a_letter_and_the_invoice_names_the_30_days() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let number = issued(&mut v, Country::DE, false);
    let invoice = text(w.dir.path(), "i.pdf", &v.documents_mut().render_invoice(&number, InvoiceFormat::Pdf).unwrap());
    assert!(invoice.contains("30 Tage nach Fälligkeit und Zugang dieser Rechnung in Verzug"), "{invoice}");
    assert!(invoice.contains("§ 286 Abs. 3 BGB"), "{invoice}");

    // Not written ahead of time: a letter dated the day after tomorrow is refused.
    let later = jiff::Zoned::now().date().checked_add(2.days()).unwrap();
    let e = v.billing_mut().dunning_run(Some(later)).unwrap_err();
    assert_eq!((e.code(), e.params()["field"].as_str()), ("record.invalid", Some("date")));
    assert!(v.billing().invoice_by_number(&number).unwrap().dunning.is_empty(), "the refused run wrote nothing");

    v.billing_mut().dunning_run(Some(date(2026, 5, 1))).unwrap();
    let letter = text(w.dir.path(), "m1.pdf", &v.documents_mut().render_dunning_letter(&number, Some(1)).unwrap());
    for must in ["Guten Tag Bärbel Größ,", "Mit freundlichen Grüßen", "Mag. Jörg Müller-Größ", "01.05.2026"] {
        assert!(letter.contains(must), "{must:?} missing:\n{letter}");
    }
    assert!(!letter.contains("Damen und Herren") && !letter.contains("Verzugszinsen"), "{letter}");

    // Interest chosen: the next letter claims it at the consumer rate; the first stays as sent.
    let s = BillingSettings { default_interest: true, ..v.billing().billing_settings().unwrap() };
    v.billing_mut().update_billing_settings(&s).unwrap();
    assert!(v.billing().billing_settings().unwrap().default_interest, "the setting is stored");
    v.billing_mut().dunning_run(Some(date(2026, 5, 20))).unwrap();
    let second = text(w.dir.path(), "m2.pdf", &v.documents_mut().render_dunning_letter(&number, Some(2)).unwrap());
    assert!(second.contains("5 Prozentpunkten über dem Basiszinssatz (§ 288 Abs. 1 BGB)"), "{second}");
    let first_again =
        text(w.dir.path(), "m1b.pdf", &v.documents_mut().render_dunning_letter(&number, Some(1)).unwrap());
    assert_eq!(first_again, letter);
}

#[test]
fn a_reminder_to_an_austrian_company_addresses_it_and_claims_the_business_rate() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let number = issued(&mut v, Country::AT, true);
    let invoice = text(w.dir.path(), "i.pdf", &v.documents_mut().render_invoice(&number, InvoiceFormat::Pdf).unwrap());
    assert!(!invoice.contains("§ 286"), "no German consumer note in Austria:\n{invoice}");
    let s = BillingSettings { default_interest: true, ..v.billing().billing_settings().unwrap() };
    v.billing_mut().update_billing_settings(&s).unwrap();
    v.billing_mut().dunning_run(Some(date(2026, 5, 1))).unwrap();
    let letter = text(w.dir.path(), "m.pdf", &v.documents_mut().render_dunning_letter(&number, None).unwrap());
    for must in ["Sehr geehrte Damen und Herren,", "9,2 Prozentpunkten über dem Basiszinssatz (§ 456 UGB)"] {
        assert!(letter.contains(must), "{must:?} missing:\n{letter}");
    }
}
