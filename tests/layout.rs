//! Layout seen on rendered pages: a long address wraps inside the envelope window, a second
//! page repeats the document's number and the table header, German documents carry no
//! English words. On real files: pdftoppm pixels, pdftotext per page.

mod common;

use std::path::Path;

use common::*;
use jiff::civil::date;
use tresor::domain::client::ClientInput;
use tresor::domain::practice::Country;
use tresor::vault::InvoiceFormat;
use tresor::Vault;

const LONG_STREET: &str =
    "Straße des 17. Juni 135, Hinterhaus, Aufgang C, 3. Stock links, Tür 12 (bei Familie Oberhuber-Schwarzenegger)";

/// An invoice with `sessions` sessions to a client living at `street`.
fn invoice(v: &mut Vault, street: &str, sessions: u8) -> String {
    setup_practice(v, Country::DE);
    let mut c = ClientInput::with_full_name("Bärbel Größ");
    c.street = street.into();
    c.postal_code = "10623".into();
    c.city = "Berlin".into();
    let client = v.records_mut().add_client(c).unwrap();
    for i in 0..sessions {
        let day = date(2026, 1, 1).checked_add(jiff::Span::new().days(i64::from(i))).unwrap();
        billable_session(v, client, day, 9000);
    }
    let id = v.billing_mut().draft_invoice(client, None, Some(date(2026, 3, 31))).unwrap()[0];
    v.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap()
}

/// How many dark pixels a page has inside a box given in mm (A4).
fn dark_in(page: &Path, [l, t, r, b]: [f32; 4]) -> usize {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(page).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let px = |mm: f32, of: f32, n: usize| ((mm / of) * n as f32) as usize;
    let mut n = 0;
    for y in px(t, 297.0, h)..px(b, 297.0, h) {
        for x in px(l, 210.0, w)..px(r, 210.0, w) {
            let p = &buf[(y * w + x) * 3..][..3];
            if p.iter().all(|&c| c < 120) {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn a_long_address_line_wraps_inside_the_window() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let number = invoice(&mut v, LONG_STREET, 2);
    let pdf = save(w.dir.path(), "a.pdf", &v.documents_mut().render_invoice(&number, InvoiceFormat::Pdf).unwrap());
    let page = &pdftoppm(&pdf, &w.dir.path().join("a"), 100)[0];
    // The window's text ends 80 mm right of the margin (22 mm); the facts begin at 122 mm.
    assert_eq!(dark_in(page, [104.0, 55.0, 120.0, 95.0]), 0, "address text runs out of the window");
    assert!(dark_in(page, [22.0, 55.0, 100.0, 95.0]) > 200, "the address is there");
    let text = pdftotext(&pdf).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Oberhuber-Schwarzenegger)"), "nothing cut off:\n{text}");
}

#[test]
fn page_two_repeats_the_number_and_the_table_header() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let number = invoice(&mut v, "Lindengasse 5", 60);
    let pdf = save(w.dir.path(), "b.pdf", &v.documents_mut().render_invoice(&number, InvoiceFormat::Pdf).unwrap());
    assert!(pdf_pages(&pdf) >= 2, "60 sessions fill more than a page");
    let p = pdf.to_string_lossy();
    let page2 =
        String::from_utf8(run_tool("pdftotext", "poppler-utils", &["-f", "2", "-l", "2", &p, "-"]).stdout).unwrap();
    assert!(page2.contains(&format!("Rechnung Nr. {number}")), "page 2 says whose it is:\n{page2}");
    for h in ["Datum", "Leistung", "Betrag"] {
        assert!(page2.contains(h), "page 2 repeats the header {h:?}:\n{page2}");
    }
    let page1 =
        String::from_utf8(run_tool("pdftotext", "poppler-utils", &["-f", "1", "-l", "1", &p, "-"]).stdout).unwrap();
    assert_eq!(page1.matches(&format!("Rechnung Nr. {number}")).count(), 1, "the title only, no running head");
}

#[test]
fn german_documents_carry_no_english_words() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let number = invoice(&mut v, "Lindengasse 5", 2);
    v.billing_mut().record_payment(&number, tresor::domain::Cents::new(5000), Some(date(2026, 4, 2)), "cash").unwrap();
    v.billing_mut().dunning_run(Some(date(2026, 5, 1))).unwrap();
    let docs = [
        ("invoice", v.documents_mut().render_invoice(&number, InvoiceFormat::Pdf).unwrap()),
        ("claim", v.documents_mut().render_invoice(&number, InvoiceFormat::Honorarnote).unwrap()),
        ("dunning", v.documents_mut().render_dunning_letter(&number, None).unwrap()),
        ("receipt", v.documents_mut().export_receipt(&number, None).unwrap().bytes),
    ];
    let english = [
        "Invoice",
        "invoice",
        "Date",
        "Amount",
        "Total",
        "Payment",
        "paid",
        "Page",
        "page",
        "cash",
        "transfer",
        "Dear",
        "Reason",
        "Receipt",
        "not computable",
        "Signature",
        "Place",
    ];
    for (name, bytes) in docs {
        let text = pdftotext(&save(w.dir.path(), &format!("{name}.pdf"), &bytes));
        for word in english {
            let hit = text
                .split(|c: char| !c.is_alphanumeric() && c != ' ')
                .any(|t| t.split_whitespace().any(|x| x == word) || (word.contains(' ') && t.contains(word)));
            assert!(!hit, "{name}: English {word:?} in\n{text}");
        }
    }
}
