//! The practice's logo on the letterhead: set from a PNG, drawn top right on invoices,
//! Honorarnoten and dunning letters (checked by rendering the page and reading its pixels),
//! refused when the file is not a usable PNG, removable, and set from the CLI.

mod common;

use std::path::Path;

use common::*;
use jiff::civil::date;
use tresor::domain::logo::{Channels, Logo, MAX_BYTES, MAX_SIDE};
use tresor::domain::Field;
use tresor::domain::{ClientInput, Country};
use tresor::error::Problem;
use tresor::export::write_file;
use tresor::vault::InvoiceFormat;

/// The bounding box (in page fractions: left, top, right, bottom) of the pixels of a rendered
/// page that `hit` selects, and how many there are.
fn pixels_where(page: &Path, hit: impl Fn(u8, u8, u8) -> bool) -> (usize, [f32; 4]) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(page).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb, "pdftoppm writes RGB");
    let (w, h) = (info.width as usize, info.height as usize);
    let (mut n, mut bx) = (0, [f32::MAX, f32::MAX, 0.0f32, 0.0f32]);
    for y in 0..h {
        for x in 0..w {
            let p = &buf[(y * w + x) * 3..][..3];
            if hit(p[0], p[1], p[2]) {
                n += 1;
                let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
                bx = [bx[0].min(fx), bx[1].min(fy), bx[2].max(fx), bx[3].max(fy)];
            }
        }
    }
    (n, bx)
}

fn red(r: u8, g: u8, b: u8) -> bool {
    r > 180 && g < 80 && b < 80
}

fn blue(r: u8, g: u8, b: u8) -> bool {
    b > 150 && r < 80 && g < 80
}

#[test]
fn the_logo_is_drawn_top_right_on_every_letter_and_can_be_removed() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let client = v.records_mut().add_client(ClientInput::with_full_name("Bärbel Größ")).unwrap();
    billable_session(&mut v, client, date(2026, 3, 2), 9000);
    assert!(v.records().logo().unwrap().is_none());
    // Set before the documents are issued: they are kept as issued, with the logo of the day.
    v.records_mut().set_logo(Some(&half_red_png(300, 100))).unwrap();
    let id = v.billing_mut().draft_invoice(client, None, Some(date(2026, 3, 31))).unwrap()[0];
    let number = v.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap();
    v.billing_mut().dunning_run(Some(date(2026, 4, 30))).unwrap();
    let docs = [
        ("invoice", v.documents_mut().render_invoice(&number, InvoiceFormat::Pdf).unwrap()),
        ("honorarnote", v.documents_mut().render_invoice(&number, InvoiceFormat::Honorarnote).unwrap()),
        ("dunning", v.documents_mut().render_dunning_letter(&number, None).unwrap()),
    ];
    for (name, bytes) in &docs {
        let pdf = w.dir.path().join(format!("{name}.pdf"));
        write_file(&pdf, bytes, false).unwrap();
        let list = pdfimages_list(&pdf);
        assert!(
            list.iter().any(|r| r[2..5] == ["image", "300", "100"]),
            "{name}: the logo at full resolution: {list:?}"
        );
        assert!(list.iter().any(|r| r[2..5] == ["smask", "300", "100"]), "{name}: its transparency kept: {list:?}");
        let page = &pdftoppm(&pdf, &w.dir.path().join(name), 60)[0];
        let (n, [l, t, r, b]) = pixels_where(page, red);
        // In a 50 × 11 mm box at the right margin (192 mm), 6 mm from the top, the 3:1 logo is
        // 33 × 11 mm: 159–192 mm across, of which the red left half ends at 175.5 mm.
        assert!(n > 50, "{name}: the logo is drawn ({n} red pixels)");
        let near = |got: f32, mm: f32, of: f32| (got - mm / of).abs() < 0.01;
        assert!(
            near(l, 159.0, 210.0) && near(r, 175.5, 210.0) && near(t, 6.0, 297.0) && near(b, 17.0, 297.0),
            "{name}: top right, got {l} {t} {r} {b}"
        );
        assert_eq!(pixels_where(page, blue).0, 0, "{name}: the transparent half stays transparent");
        assert!(pdftotext(&pdf).contains(&number), "{name}: the text is all still there");
    }
    let size = docs[0].1.len();
    assert!(size < 40_000, "a small logo keeps the invoice small: {size} bytes");

    v.records_mut().set_logo(None).unwrap();
    assert!(v.records().logo().unwrap().is_none());
    // The issued invoice keeps the logo it was issued with; a new draft has none.
    assert!(
        v.documents_mut().render_invoice(&number, InvoiceFormat::Pdf).unwrap() == docs[0].1,
        "the issued file is kept"
    );
    billable_session(&mut v, client, date(2026, 4, 2), 9000);
    let draft = v.billing_mut().draft_invoice(client, None, Some(date(2026, 4, 30))).unwrap()[0];
    let pdf = w.dir.path().join("plain.pdf");
    write_file(&pdf, &v.documents_mut().render_invoice(&draft.to_string(), InvoiceFormat::Pdf).unwrap(), false)
        .unwrap();
    assert!(pdfimages_list(&pdf).is_empty(), "removed: no image left");
}

#[test]
fn a_file_that_is_not_a_usable_png_changes_nothing() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let png = half_red_png(40, 20);
    v.records_mut().set_logo(Some(&png)).unwrap();
    let journal = v.store().read().journal_recent(100).unwrap().len();
    for bad in [&b"%PDF-1.7 not a picture"[..], &png[..png.len() / 2], &half_red_png(1300, 10)] {
        let err = v.records_mut().set_logo(Some(bad)).unwrap_err();
        assert_eq!(err.code(), "record.invalid", "{err}");
    }
    assert_eq!(v.records().logo().unwrap().map(|l| (l.width, l.height)), Some((40, 20)), "the old logo stays");
    assert_eq!(v.store().read().journal_recent(100).unwrap().len(), journal, "nothing was written");
}

#[test]
fn a_huge_file_is_refused_as_too_large_without_reading_it_whole() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    // Sparse: 4 GB on paper, nothing on disk; reading it whole would take minutes and the memory.
    let huge = w.dir.path().join("Urlaub.mov");
    std::fs::File::create(&huge).unwrap().set_len(4 << 30).unwrap();
    // An endless source proves only the limit is read: reading it whole would never return.
    let endless = std::path::Path::new("/dev/zero");
    for file in [huge.as_path(), endless].into_iter().filter(|f| f.exists()) {
        match v.records_mut().set_logo_file(Some(file)) {
            Err(tresor::Error::Invalid { field: Field::Logo, problem: Problem::TooLong, .. }) => {}
            other => panic!("{file:?}: {other:?}"),
        }
    }
    assert!(v.records().logo().unwrap().is_none());
}

#[test]
fn the_cli_sets_and_removes_the_logo() {
    let w = World::new();
    w.init();
    let file = w.dir.path().join("logo.png");
    std::fs::write(&file, half_red_png(60, 30)).unwrap();
    let set = w.json(&["practice", "logo", &file.to_string_lossy()]);
    assert_eq!(set["logo"], serde_json::json!({ "width": 60, "height": 30 }));

    let text = w.dir.path().join("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    let out = w.run(&["practice", "logo", &text.to_string_lossy()]);
    assert_ne!(code(&out), 0);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("logo") && !err.contains("panicked"), "{err}");
    let missing = w.run(&["practice", "logo", &w.dir.path().join("nope.png").to_string_lossy()]);
    assert_ne!(code(&missing), 0);

    let v = w.open_vault().unwrap();
    assert_eq!(v.records().logo().unwrap().map(|l| l.width), Some(60), "a failed call kept the logo");
    v.lock().unwrap();
    assert_eq!(w.json(&["practice", "logo", "--remove"])["logo"], serde_json::Value::Null);
    assert!(w.open_vault().unwrap().records().logo().unwrap().is_none());
}

#[test]
fn a_png_decodes_to_its_pixels() {
    let logo = Logo::from_png(&half_red_png(4, 2)).unwrap();
    assert_eq!((logo.width, logo.height, logo.channels), (4, 2, Channels::Rgba));
    assert_eq!(logo.pixels.len(), 4 * 2 * 4);
    assert_eq!(&logo.pixels[..4], &[220, 0, 0, 255]);
    assert_eq!(&logo.pixels[12..16], &[0, 0, 220, 0]);
}

#[test]
fn what_is_not_a_usable_png_is_refused_by_name() {
    let problem = |b: &[u8]| match Logo::from_png(b) {
        Err(tresor::Error::Invalid { field: Field::Logo, problem, .. }) => problem,
        other => panic!("{other:?}"),
    };
    assert_eq!(problem(b"\xff\xd8\xff\xe0 a jpeg"), Problem::BadFormat);
    assert_eq!(problem(&[]), Problem::BadFormat);
    let png = half_red_png(8, 8);
    assert_eq!(problem(&png[..png.len() - 20]), Problem::BadFormat);
    assert_eq!(problem(&half_red_png(MAX_SIDE + 1, 1)), Problem::OutOfRange);
    assert_eq!(problem(&vec![0; MAX_BYTES + 1]), Problem::TooLong);
}
