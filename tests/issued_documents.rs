//! Documents kept as issued (GoBD): a reprint is byte for byte the file handed out, whatever
//! happened since — payments, a new logo, a new treatment method, a Storno — and on a second
//! computer after sync. Checked on real files: byte comparison, pdftotext, pdfinfo.

mod common;

use common::syncsim::{Chaos, Sim};
use common::*;
use jiff::civil::date;
use secrecy::SecretString;
use tresor::billing::BillingSettings;
use tresor::domain::client::ClientInput;
use tresor::domain::practice::Country;
use tresor::vault::{Copy, InvoiceFormat};
use tresor::{Unlock, Vault};

/// A DE practice, a client with an address, two sessions, an invoice issued on 31.03.2026.
fn issued(v: &mut Vault) -> String {
    setup_practice(v, Country::DE);
    let mut c = ClientInput::with_full_name("Bärbel Größ");
    c.street = "Lindengasse 5".into();
    c.postal_code = "80331".into();
    c.city = "München".into();
    let client = v.records_mut().add_client(c).unwrap();
    billable_session(v, client, date(2026, 3, 2), 9000);
    billable_session(v, client, date(2026, 3, 9), 9000);
    let id = v.billing_mut().draft_invoice(client, None, Some(date(2026, 3, 31))).unwrap()[0];
    v.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap()
}

#[test]
fn a_reprint_is_the_issued_file_after_payments_logo_method_dunning_and_storno() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let number = issued(&mut v);
    let first = v.documents_mut().export_invoice(&number, InvoiceFormat::Pdf).unwrap();
    assert_eq!(first.copy, Copy::Identical, "kept when it was issued, not at the first export");
    let text = pdftotext(&save(w.dir.path(), "issued.pdf", &first.bytes));
    assert!(text.contains("Bitte überweisen Sie den Betrag von 180,00 €"), "{text}");

    // Everything a re-render used to pick up.
    v.billing_mut()
        .record_payment(&number, tresor::domain::Cents::new(10000), Some(date(2026, 4, 2)), "transfer")
        .unwrap();
    v.billing_mut()
        .record_payment(&number, tresor::domain::Cents::new(-480), Some(date(2026, 4, 3)), "Korrektur")
        .unwrap();
    v.records_mut().set_logo(Some(&half_red_png(60, 20))).unwrap();
    let s =
        BillingSettings { treatment_method: "Systemische Therapie".into(), ..v.billing().billing_settings().unwrap() };
    v.billing_mut().update_billing_settings(&s).unwrap();
    // A Storno dated before its invoice, or without a reason, is refused and changes nothing.
    let e = v.billing_mut().cancel_invoice(&number, "Falscher Betrag", false, Some(date(2026, 3, 30))).unwrap_err();
    assert_eq!((e.code(), e.params()["reason"].as_str()), ("invoice.wrong_state", Some("date_before_original")));
    let later = jiff::Zoned::now().date().checked_add(jiff::Span::new().days(2)).unwrap();
    let e = v.billing_mut().cancel_invoice(&number, "Falscher Betrag", false, Some(later)).unwrap_err();
    assert_eq!(e.params()["field"].as_str(), Some("date"), "a Storno dated in the future");
    let e = v.billing_mut().cancel_invoice(&number, "  ", false, Some(date(2026, 4, 10))).unwrap_err();
    assert_eq!(e.params()["field"].as_str(), Some("reason"));
    let storno = v.billing_mut().cancel_invoice(&number, "Falscher Betrag", false, Some(date(2026, 4, 10))).unwrap();

    let again = v.documents_mut().render_invoice(&number, InvoiceFormat::Pdf).unwrap();
    assert!(again == first.bytes, "the reprint differs from the issued file");
    let text = pdftotext(&save(w.dir.path(), "reprint.pdf", &again));
    for never in ["Korrektur", "storniert", "Betrag von 0,00 €", "Zahlung erhalten", "Systemische"] {
        assert!(!text.contains(never), "a reprint shows {never:?}:\n{text}");
    }
    assert!(pdfimages_list(&save(w.dir.path(), "r.pdf", &again)).is_empty(), "the logo set later is not on it");

    // The Storno is a document of its own, kept as issued as well.
    let s1 = v.documents_mut().render_invoice(&storno.number, InvoiceFormat::Pdf).unwrap();
    v.billing_mut().record_payment(&number, tresor::domain::Cents::new(100), None, "transfer").unwrap_err();
    assert!(s1 == v.documents_mut().render_invoice(&storno.number, InvoiceFormat::Pdf).unwrap());
    let st = pdftotext(&save(w.dir.path(), "storno.pdf", &s1));
    assert!(st.contains(&format!("Stornorechnung Nr. {}", storno.number)), "{st}");
    assert!(st.contains(&format!("Rechnung Nr. {number}")), "{st}");
    for must in ["zu Rechnung Nr.", "Rechnung vom", "31.03.2026", "10.04.2026", "Grund: Falscher Betrag"] {
        assert!(st.contains(must), "{must:?} missing on the Storno:\n{st}");
    }
    // 100,00 € paid, 4,80 € corrected: 95,20 € go back.
    assert!(st.contains("Den bereits bezahlten Betrag von 95,20 € erstatte ich Ihnen zurück."), "{st}");
    for never in ["IBAN", "Bitte überweisen", "Zahlbar bis"] {
        assert!(!st.contains(never), "a Storno shows {never:?}:\n{st}");
    }
}

#[test]
fn the_issued_pdf_carries_its_issue_time_not_1970() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let number = issued(&mut v);
    let pdf = save(w.dir.path(), "a.pdf", &v.documents_mut().render_invoice(&number, InvoiceFormat::Pdf).unwrap());
    let info =
        String::from_utf8_lossy(&run_tool("pdfinfo", "poppler-utils", &[&pdf.to_string_lossy()]).stdout).into_owned();
    let year = jiff::Zoned::now().year().to_string();
    let created = info.lines().find(|l| l.starts_with("CreationDate:")).expect("a creation date");
    assert!(created.contains(&year) && !created.contains("1970"), "{info}");
    let version = info.lines().find(|l| l.starts_with("PDF version:")).expect("a version");
    assert!(version.ends_with("1.7"), "{info}");
}

const PASSWORD_B: &str = PASSWORD;

type Computer = (std::path::PathBuf, std::path::PathBuf);

/// Computer A's and B's (data folder, working folder), and the practice A creates in its own.
fn two_computers(w: &World) -> (Computer, Computer, Vault) {
    let a = (w.dir.path().join("a-folder"), w.dir.path().join("a-home"));
    let b = (w.dir.path().join("b-folder"), w.dir.path().join("b-home"));
    let opts = tresor::CreateOptions {
        kdf_target: std::time::Duration::ZERO,
        local_root: Some(a.1.clone()),
        ..Default::default()
    };
    let (va, _) = Vault::create(&a.0, &SecretString::from(PASSWORD), &opts).unwrap();
    (a, b, va)
}

#[test]
fn a_second_computer_prints_the_same_bytes_after_sync() {
    let w = World::new();
    let (a, b, mut va) = two_computers(&w);
    let number = issued(&mut va);
    let issued_bytes = va.documents_mut().render_invoice(&number, InvoiceFormat::Pdf).unwrap();
    va.billing_mut().dunning_run(Some(date(2026, 5, 1))).unwrap();
    let letter = va.documents_mut().render_dunning_letter(&number, Some(1)).unwrap();
    va.lock().unwrap();
    let mut sim = Sim::new(vec![a.0.clone(), b.0.clone()], 3);
    sim.upload(0, Chaos::CALM);
    sim.flush();
    sim.download(1, Chaos::CALM);
    sim.flush();
    let mut vb = Vault::open_in(&b.0, &b.1, Unlock::Password(&SecretString::from(PASSWORD_B))).unwrap();
    let on_b = vb.documents_mut().export_invoice(&number, InvoiceFormat::Pdf).unwrap();
    assert_eq!(on_b.copy, Copy::Identical, "B has the kept file, it does not render its own");
    assert!(on_b.bytes == issued_bytes, "B prints other bytes");
    assert!(vb.documents_mut().render_dunning_letter(&number, Some(1)).unwrap() == letter);
    // A logo set on B changes nothing on the kept file either.
    vb.records_mut().set_logo(Some(&half_red_png(60, 20))).unwrap();
    assert!(vb.documents_mut().render_invoice(&number, InvoiceFormat::Pdf).unwrap() == issued_bytes);
}

/// Two computers sharing a folder through the simulated cloud; B has opened it once before A
/// issues anything, so what A issues reaches B as segments, not in a snapshot.
struct Pair {
    a: Computer,
    b: Computer,
    sim: Sim,
}

impl Pair {
    fn new(w: &World) -> Pair {
        let (a, b, mut va) = two_computers(w);
        setup_practice(&mut va, Country::DE);
        va.lock().unwrap();
        let mut pair = Pair { sim: Sim::new(vec![a.0.clone(), b.0.clone()], 7), a, b };
        pair.carry(0, 1);
        pair.open(1).lock().unwrap();
        pair.carry(1, 0);
        pair
    }

    fn open(&self, dev: usize) -> Vault {
        let (folder, home) = if dev == 0 { &self.a } else { &self.b };
        Vault::open_in(folder, home, Unlock::Password(&SecretString::from(PASSWORD))).unwrap()
    }

    fn carry(&mut self, from: usize, to: usize) {
        self.sim.upload(from, Chaos::CALM);
        self.sim.flush();
        self.sim.download(to, Chaos::CALM);
        self.sim.flush();
    }

    /// Bytes of all change files (segments) in A's folder.
    fn segment_bytes_of_a(&self) -> u64 {
        common::syncsim::read_tree(&self.a.0.join("log")).values().map(|b| b.len() as u64).sum()
    }
}

/// A client with an address and two sessions in March, ready to bill.
fn client_to_bill(v: &mut Vault) -> tresor::domain::ClientId {
    let mut c = ClientInput::with_full_name("Bärbel Größ");
    c.street = "Lindengasse 5".into();
    c.postal_code = "80331".into();
    c.city = "München".into();
    let client = v.records_mut().add_client(c).unwrap();
    billable_session(v, client, date(2026, 3, 2), 9000);
    billable_session(v, client, date(2026, 3, 9), 9000);
    client
}

#[test]
fn an_issued_invoice_travels_as_its_hash_and_the_other_computer_renders_the_same_bytes() {
    let w = World::new();
    let mut pair = Pair::new(&w);
    let mut va = pair.open(0);
    let client = client_to_bill(&mut va);
    va.lock().unwrap();
    let before = pair.segment_bytes_of_a();
    let mut va = pair.open(0);
    let id = va.billing_mut().draft_invoice(client, None, Some(date(2026, 3, 31))).unwrap()[0];
    let number = va.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap();
    va.billing_mut().dunning_run(Some(date(2026, 5, 1))).unwrap();
    let invoice = va.documents_mut().render_invoice(&number, InvoiceFormat::Pdf).unwrap();
    let letter = va.documents_mut().render_dunning_letter(&number, Some(1)).unwrap();
    va.lock().unwrap();
    let written = pair.segment_bytes_of_a() - before;
    // The two PDFs alone are ~60 KB; their rows without the files are a few KB.
    assert!(invoice.len() + letter.len() > 40_000, "the documents are smaller than thought");
    assert!(written < 12_000, "issuing and a dunning letter wrote {written} bytes of segments");

    pair.carry(0, 1);
    let mut vb = pair.open(1);
    let on_b = vb.documents_mut().export_invoice(&number, InvoiceFormat::Pdf).unwrap();
    assert_eq!(on_b.copy, Copy::Identical, "B rendered and kept it when it merged A's rows");
    assert!(on_b.bytes == invoice, "B's copy differs from the issued file");
    assert!(vb.documents_mut().render_dunning_letter(&number, Some(1)).unwrap() == letter);
    assert!(vb.sync_status().unwrap().kept_aside.is_empty(), "nothing waits on B");
}

/// A issues an invoice while B sets a logo; then A's changes reach B. Rendered on B the invoice
/// would carry B's logo, so B cannot reproduce it. Returns its number and the issued bytes.
fn issued_on_a_while_b_sets_a_logo(pair: &mut Pair) -> (String, Vec<u8>) {
    let mut va = pair.open(0);
    let client = client_to_bill(&mut va);
    let id = va.billing_mut().draft_invoice(client, None, Some(date(2026, 3, 31))).unwrap()[0];
    let number = va.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap();
    let invoice = va.documents_mut().render_invoice(&number, InvoiceFormat::Pdf).unwrap();
    va.lock().unwrap();
    let mut vb = pair.open(1);
    vb.records_mut().set_logo(Some(&half_red_png(60, 20))).unwrap();
    vb.lock().unwrap();
    pair.carry(0, 1);
    (number, invoice)
}

#[test]
fn a_document_the_other_computer_cannot_render_identically_is_asked_for_and_arrives_whole() {
    let w = World::new();
    let mut pair = Pair::new(&w);
    let (number, invoice) = issued_on_a_while_b_sets_a_logo(&mut pair);
    let mut vb = pair.open(1);
    let e = vb.documents_mut().export_invoice(&number, InvoiceFormat::Pdf).unwrap_err();
    assert_eq!((e.code(), e.params()["kind"].as_str()), ("document.pending", Some("invoice")));
    assert_eq!(vb.sync_status().unwrap().kept_aside.len(), 1, "the document waits on B");
    assert!(vb.billing().invoice_by_number(&number).is_ok(), "the invoice itself is there");
    vb.lock().unwrap();

    // B's request reaches A, A sends the document whole, and it reaches B.
    pair.carry(1, 0);
    pair.open(0).lock().unwrap();
    pair.carry(0, 1);
    let mut vb = pair.open(1);
    let on_b = vb.documents_mut().export_invoice(&number, InvoiceFormat::Pdf).unwrap();
    assert_eq!(on_b.copy, Copy::Identical);
    assert!(on_b.bytes == invoice, "B's copy differs from the issued file");
    assert!(vb.sync_status().unwrap().kept_aside.is_empty(), "nothing waits on B any more");
    assert!(pdfimages_list(&save(w.dir.path(), "b.pdf", &on_b.bytes)).is_empty(), "not B's logo");
}

#[test]
fn a_waiting_document_is_rendered_when_its_export_asks_and_it_can_be() {
    let w = World::new();
    let mut pair = Pair::new(&w);
    let (number, invoice) = issued_on_a_while_b_sets_a_logo(&mut pair);
    let mut vb = pair.open(1);
    assert_eq!(vb.sync_status().unwrap().kept_aside.len(), 1, "with B's logo it cannot be rendered");
    // Without the logo again, B's export renders it, and it is the issued file.
    vb.records_mut().set_logo(None).unwrap();
    let on_b = vb.documents_mut().export_invoice(&number, InvoiceFormat::Pdf).unwrap();
    assert_eq!(on_b.copy, Copy::Identical);
    assert!(on_b.bytes == invoice, "B's copy differs from the issued file");
    assert!(vb.sync_status().unwrap().kept_aside.is_empty());
}
