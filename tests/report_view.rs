//! The Reports screen's figures and the payments list through the public API, on a real vault:
//! per month and per client, invoiced and received money, sessions, hours, the no-show rate,
//! and the anonymised mode (code names instead of names) in the figures and in the exports.

mod common;

use common::*;
use jiff::civil::date;
use tresor::domain::client::ClientInput;
use tresor::domain::money::Cents;
use tresor::domain::{AppointmentInput, AppointmentKind, AppointmentStatus, ClientId, Country, Language};
use tresor::vault::Names;
use tresor::Vault;

fn client(v: &mut Vault, name: &str, code: &str) -> ClientId {
    let mut c = ClientInput::with_full_name(name);
    c.code_name = code.into();
    c.street = "Lindengasse 5".into();
    c.postal_code = "1070".into();
    c.city = "Wien".into();
    v.records_mut().add_client(c).unwrap()
}

/// Anna: three sessions in February (billed, half paid in March) and one missed appointment;
/// Bernd (no code name): one session in March, unbilled.
fn practice(w: &World) -> (Vault, ClientId, ClientId, String) {
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let anna = client(&mut v, "Anna Äpfel", "AÄ-7");
    let bernd = client(&mut v, "Bernd Öztürk", "");
    for d in [2, 9, 16] {
        billable_session(&mut v, anna, date(2026, 2, d), 9000);
    }
    billable_session(&mut v, bernd, date(2026, 3, 3), 12000);
    let appt = v
        .records_mut()
        .add_appointment(AppointmentInput {
            client_id: anna,
            service_id: None,
            local_start: date(2026, 2, 23).at(10, 0, 0, 0),
            minutes: 50,
            kind: AppointmentKind::InPerson,
            video_link: String::new(),
            note: String::new(),
        })
        .unwrap();
    v.records_mut().set_appointment_status(appt, AppointmentStatus::NoShow).unwrap();
    let draft = v.billing_mut().draft_invoice(anna, Some(date(2026, 2, 1)), Some(date(2026, 2, 28))).unwrap()[0];
    let number = v.billing_mut().issue_invoice(draft, Some(date(2026, 2, 28))).unwrap();
    v.billing_mut().record_payment(&number, Cents::new(13500), Some(date(2026, 3, 10)), "transfer").unwrap();
    (v, anna, bernd, number)
}

#[test]
fn report_view_sums_months_and_clients_with_texts_in_the_language_asked() {
    let w = World::new();
    let (v, _, _, number) = practice(&w);
    let gross = v.billing().invoice_by_number(&number).unwrap().totals.gross;
    let r = v.documents().report_view(date(2026, 1, 15), date(2026, 3, 2), Names::Full, Language::De).unwrap();
    assert_eq!((r.from, r.to), (date(2026, 1, 1), date(2026, 3, 31)), "whole months");
    assert_eq!(r.period, "01.01.2026 – 31.03.2026");
    let labels: Vec<&str> = r.months.iter().map(|m| m.label.as_str()).collect();
    assert_eq!(labels, ["Jänner 2026", "Februar 2026", "März 2026"]);
    let feb = &r.months[1];
    assert_eq!(feb.figures.invoiced, Some(gross));
    assert_eq!(feb.figures.received, Some(Cents::ZERO));
    assert_eq!((feb.figures.sessions, feb.figures.minutes, feb.figures.no_shows), (3, 150, 1));
    assert_eq!(feb.figures.no_show_bp, Some(2500));
    assert_eq!(feb.text.no_show_rate, "25,0 %");
    assert_eq!(feb.text.hours, "2,5 h");
    assert_eq!(r.months[2].figures.received, Some(Cents::new(13500)));
    assert_eq!(r.months[2].text.received, "135,00 €");
    assert_eq!(r.total.figures.sessions, 4);
    assert_eq!(r.total.figures.invoiced, Some(gross));
    assert_eq!(r.total.label, "Summe");
    let names: Vec<&str> = r.clients.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(names, ["Anna Äpfel", "Bernd Öztürk"]);
    assert_eq!(r.clients[0].figures.invoiced, Some(gross));
    assert_eq!(r.clients[0].figures.received, Some(Cents::new(13500)));
    assert_eq!(r.clients[1].figures.invoiced, Some(Cents::ZERO), "Bernd is not billed yet");
    assert_eq!(r.clients[1].figures.no_show_bp, Some(0));

    let en = v.documents().report_view(date(2026, 3, 1), date(2026, 3, 31), Names::Full, Language::En).unwrap();
    assert_eq!(en.months[0].label, "March 2026");
    assert_eq!(en.total.text.received, "€135.00");
    assert_eq!(en.total.label, "Total");
    let bad = v.documents().report_view(date(2026, 3, 1), date(2026, 2, 1), Names::Full, Language::De).unwrap_err();
    assert_eq!(bad.code(), "record.invalid");
}

#[test]
fn anonymised_reports_show_code_names_and_never_the_names() {
    let w = World::new();
    let (v, _, bernd, _) = practice(&w);
    let bernd_code = tresor::vault::code_name(&v.records().client(bernd).unwrap());
    assert!(bernd_code.starts_with("K-") && bernd_code.len() == 8, "{bernd_code}");
    let r = v.documents().report_view(date(2026, 1, 1), date(2026, 12, 31), Names::Coded, Language::De).unwrap();
    let names: Vec<&str> = r.clients.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(names, ["AÄ-7", bernd_code.as_str()]);
    let list = v.documents().payment_list(date(2026, 1, 1), date(2026, 12, 31), Names::Coded, Language::De).unwrap();
    assert_eq!(list.payments[0].client, "AÄ-7");

    let (xlsx, pdf) = v.documents().render_journal_named(date(2026, 1, 1), date(2026, 12, 31), Names::Coded).unwrap();
    let (pxlsx, ppdf) =
        v.documents().render_protocol_named(None, date(2026, 1, 1), date(2026, 12, 31), Names::Coded).unwrap();
    let mut texts = vec![pdftotext(&save(w.dir.path(), "j.pdf", &pdf)), pdftotext(&save(w.dir.path(), "p.pdf", &ppdf))];
    for (name, bytes) in [("j.xlsx", &xlsx), ("p.xlsx", &pxlsx)] {
        texts.push(openpyxl_cells(&save(w.dir.path(), name, bytes)).to_string());
    }
    for text in &texts {
        assert!(text.contains("AÄ-7"), "{text}");
        for name in ["Anna", "Äpfel", "Bernd", "Öztürk"] {
            assert!(!text.contains(name), "{name} in an anonymised report:\n{text}");
        }
    }
    assert!(texts[1].contains(&bernd_code), "the protocol lists Bernd's session by its code");
    let (_, full) = v.documents().render_journal(date(2026, 1, 1), date(2026, 12, 31)).unwrap();
    assert!(pdftotext(&save(w.dir.path(), "f.pdf", &full)).contains("Anna Äpfel"), "the normal journal names");
}

#[test]
fn payment_list_lists_a_period_with_its_sum() {
    let w = World::new();
    let (mut v, _, _, number) = practice(&w);
    v.billing_mut().record_payment(&number, Cents::new(4500), Some(date(2026, 4, 2)), "cash").unwrap();
    let all = v.documents().payment_list(date(2026, 3, 1), date(2026, 4, 30), Names::Full, Language::De).unwrap();
    assert_eq!(all.payments.len(), 2);
    assert_eq!(all.total, Some(Cents::new(18000)));
    assert_eq!(all.total_text, "180,00 €");
    let first = &all.payments[0];
    assert_eq!(
        (first.date_text.as_str(), first.invoice.as_str(), first.client.as_str()),
        ("10.03.2026", number.as_str(), "Anna Äpfel")
    );
    assert_eq!(first.amount_text, "135,00 €");
    let april = v.documents().payment_list(date(2026, 4, 1), date(2026, 4, 30), Names::Full, Language::En).unwrap();
    assert_eq!(april.payments.len(), 1);
    assert_eq!(april.total_text, "€45.00");
    assert_eq!(april.period, "01/04/2026 – 30/04/2026");
    let none = v.documents().payment_list(date(2026, 5, 1), date(2026, 5, 31), Names::Full, Language::De).unwrap();
    assert!(none.payments.is_empty());
    assert_eq!(none.total_text, "0,00 €");
}
