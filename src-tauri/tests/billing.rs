//! The billing commands through the shell's handlers on a real vault: a month-end run with its
//! progress, the invoice's document in memory and saved where the user chose, a payment, the
//! save dialog's default names.

use jiff::ToSpan;
use tresor::domain::{ClientInput, Country, PracticeUpdate, SessionInput};
use tresor_desktop::billing::{self as b, DocKind};
use tresor_desktop::handlers as h;
use tresor_desktop::state::Shell;

#[test]
fn a_month_run_then_the_invoice_page_and_its_documents() {
    let dir = tempfile::tempdir().unwrap();
    // The core puts working copies under TRESOR_HOME; this is the only test in this binary.
    std::env::set_var("TRESOR_HOME", dir.path().join("home"));
    let shell = Shell::new(None);
    h::create_vault(&shell, &dir.path().join("Datenordner"), "Sonnenblume am Fenster 7".into(), Country::AT).unwrap();
    h::update_practice(
        &shell,
        &PracticeUpdate {
            practitioner_name: Some("Mag. Anna Huber".into()),
            street: Some("Währinger Straße 12/3".into()),
            postal_code: Some("1090".into()),
            city: Some("Wien".into()),
            tax_number: Some("12 345/6789".into()),
            iban: Some("AT61 1904 3002 3457 3201".into()),
            bic: Some("GIBAATWWXXX".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let mut c = ClientInput::with_full_name("Bärbel Größ");
    c.street = "Lindengasse 5".into();
    c.postal_code = "1070".into();
    c.city = "Wien".into();
    let client = h::add_client(&shell, c).unwrap();
    let first = h::today(&shell).unwrap().first_of_month().checked_sub(1.month()).unwrap();
    for d in [3, 10] {
        h::add_session(
            &shell,
            SessionInput {
                client_id: client,
                appointment_id: None,
                service_id: None,
                date: first.checked_add(d.days()).unwrap(),
                minutes: Some(50),
                fee: Some(tresor::domain::Cents::new(9000)),
                setting: None,
                group_size: None,
                note: String::new(),
            },
        )
        .unwrap();
    }
    let month = first.strftime("%Y-%m").to_string();
    assert_eq!(b::month_preview(&shell, &month).unwrap().drafts.len(), 1);
    let mut seen = Vec::new();
    let out = b::issue_month(&shell, &month, &[client], None, |d, t| seen.push((d, t))).unwrap();
    assert_eq!(seen.last(), Some(&(1, 1)));
    let id = out.issued[0].id;
    let number = out.issued[0].number.clone();

    // In memory for the viewer: the PDF as issued, base64.
    let b64 = b::invoice_document(&shell, id, DocKind::Pdf).unwrap();
    let pdf = data_encoding::BASE64.decode(b64.as_bytes()).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    // Saved where the dialog said: the same bytes.
    let path = dir.path().join("out.pdf");
    b::save_invoice_document(&shell, id, DocKind::Pdf, &path).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), pdf);
    assert_eq!(b::default_file_name(&shell, id, DocKind::Pdf, true).unwrap(), format!("Rechnung-{number}.pdf"));
    assert_eq!(b::default_file_name(&shell, id, DocKind::Xlsx, false).unwrap(), format!("Invoice-{number}.xlsx"));

    b::record_payment(&shell, id, tresor::domain::Cents::new(18000), None, "cash").unwrap();
    let view = b::invoice_view(&shell, id).unwrap();
    assert_eq!(view.balance.status, tresor::billing::InvoiceStatus::Paid);
    assert!(!view.actions.pay);
    // A cancel that arrives with no run going changes nothing of the next run.
    b::cancel_billing_run();
    assert_eq!(b::issue_month(&shell, &month, &[client], None, |_, _| {}).unwrap_err().code, "invoice.nothing_to_bill");
    assert_eq!(b::search_invoices(&shell, &number, 5).unwrap().len(), 1);
    assert_eq!(b::client_billing(&shell, client).unwrap().payments.len(), 1);
}
