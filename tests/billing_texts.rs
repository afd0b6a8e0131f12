//! The practice's own texts on invoices and dunning letters (issue 14): defaults in the billing
//! settings, a copy on each draft that can be changed until it is issued, the number of dunning
//! levels the practice sends. Checked with pdftotext on real files.

mod common;

use std::path::Path;

use common::*;
use jiff::civil::date;
use tresor::billing::{BillingSettings, InvoiceTexts};
use tresor::domain::client::ClientInput;
use tresor::domain::practice::Country;
use tresor::domain::ClientId;
use tresor::vault::InvoiceFormat;
use tresor::Vault;

fn client(v: &mut Vault) -> ClientId {
    let mut c = ClientInput::with_full_name("Bärbel Größ");
    c.street = "Lindengasse 5".into();
    c.postal_code = "1070".into();
    c.city = "Wien".into();
    v.records_mut().add_client(c).unwrap()
}

/// The PDF's text on one line: a sentence may wrap anywhere.
fn text(dir: &Path, name: &str, bytes: &[u8]) -> String {
    pdftotext(&save(dir, name, bytes)).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_draft_starts_with_the_settings_texts_can_change_them_and_prints_them_once_issued() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let s = BillingSettings {
        invoice_intro: "Für die Therapie im März stelle ich Ihnen in Rechnung:".into(),
        invoice_closing: "Absagen bitte 24 Stunden vorher.".into(),
        ..v.billing().billing_settings().unwrap()
    };
    v.billing_mut().update_billing_settings(&s).unwrap();
    assert_eq!(v.billing().billing_settings().unwrap(), s, "the texts are stored");

    let c = client(&mut v);
    billable_session(&mut v, c, date(2026, 3, 2), 9000);
    let id = v.billing_mut().draft_invoice(c, None, Some(date(2026, 3, 31))).unwrap()[0];
    let draft = v.billing().invoice(id).unwrap();
    assert_eq!(draft.texts.intro, s.invoice_intro);
    assert_eq!(draft.texts.closing, s.invoice_closing);

    // Too long a text is refused by name and changes nothing.
    let long = InvoiceTexts { intro: "x".repeat(2001), closing: String::new() };
    let e = v.billing_mut().set_invoice_texts(id, &long).unwrap_err();
    assert_eq!((e.code(), e.params()["field"].as_str()), ("record.invalid", Some("invoice_intro")));
    assert_eq!(v.billing().invoice(id).unwrap().texts, draft.texts);

    // The draft's preview asks for its total, not the 0,00 € a draft owes, and names no date
    // before it has one.
    let preview =
        text(w.dir.path(), "d.pdf", &v.documents_mut().render_invoice(&id.to_string(), InvoiceFormat::Pdf).unwrap());
    assert!(
        preview.contains("Bitte überweisen Sie den Betrag von 90,00 € ohne Abzug auf das unten angegebene Konto."),
        "{preview}"
    );

    let mine = InvoiceTexts { intro: "  Mein eigener Einleitungssatz.  ".into(), closing: "Danke!\nBis bald.".into() };
    v.billing_mut().set_invoice_texts(id, &mine).unwrap();
    let changed = v.billing().invoice(id).unwrap().texts;
    assert_eq!(changed.intro, "Mein eigener Einleitungssatz.", "trimmed");
    let number = v.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap();
    let pdf = text(w.dir.path(), "i.pdf", &v.documents_mut().render_invoice(&number, InvoiceFormat::Pdf).unwrap());
    for must in ["Mein eigener Einleitungssatz.", "Danke! Bis bald."] {
        assert!(pdf.contains(must), "{must:?} missing:\n{pdf}");
    }
    assert!(!pdf.contains("erlaube ich mir") && !pdf.contains("im März stelle"), "{pdf}");

    // Issued: frozen.
    let e = v.billing_mut().set_invoice_texts(id, &InvoiceTexts::default()).unwrap_err();
    assert_eq!(e.code(), "record.immutable");
    // A later change of the defaults does not reach it either.
    let s2 = BillingSettings { invoice_intro: "Neu.".into(), ..s };
    v.billing_mut().update_billing_settings(&s2).unwrap();
    assert_eq!(v.billing().invoice(id).unwrap().texts, changed);
}

#[test]
fn dunning_letters_print_the_level_text_and_stop_after_the_practice_levels() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let s = BillingSettings {
        dunning_levels: 2,
        dunning_texts: ["Eine freundliche Erinnerung an Ihre Rechnung.".into(), String::new(), String::new()],
        ..v.billing().billing_settings().unwrap()
    };
    v.billing_mut().update_billing_settings(&s).unwrap();
    let c = client(&mut v);
    billable_session(&mut v, c, date(2026, 3, 2), 9000);
    let id = v.billing_mut().draft_invoice(c, None, Some(date(2026, 3, 31))).unwrap()[0];
    let number = v.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap();

    assert_eq!(v.billing_mut().dunning_run(Some(date(2026, 5, 1))).unwrap().len(), 1);
    let first = text(w.dir.path(), "m1.pdf", &v.documents_mut().render_dunning_letter(&number, Some(1)).unwrap());
    assert!(first.contains("Eine freundliche Erinnerung an Ihre Rechnung."), "{first}");
    assert!(!first.contains("Aufmerksamkeit entgangen"), "the own text replaces the built-in one: {first}");

    assert_eq!(v.billing_mut().dunning_run(Some(date(2026, 6, 1))).unwrap().len(), 1);
    let second = text(w.dir.path(), "m2.pdf", &v.documents_mut().render_dunning_letter(&number, Some(2)).unwrap());
    assert!(second.contains("trotz meiner Zahlungserinnerung"), "an empty text prints the built-in one: {second}");

    assert!(v.billing_mut().dunning_run(Some(date(2026, 8, 1))).unwrap().is_empty(), "two levels, no third");
    assert_eq!(v.billing().invoice_by_number(&number).unwrap().dunning.len(), 2);
}
