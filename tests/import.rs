//! Import from other tools on real files: a messy German Excel workbook (written here with
//! rust_xlsxwriter) and `;`-separated CSV in Windows-1252 and UTF-8 with and without BOM,
//! into real vaults. Each bad row is reported with its number and why, the rest is imported
//! in one journaled transaction, a dry run changes nothing, a second run finds the duplicates;
//! the readers take arbitrary bytes without panicking.

mod common;

use common::*;
use jiff::civil::date;
use proptest::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use tresor::domain::money::Cents;
use tresor::domain::{Country, Field};
use tresor::import::{table, values, ImportOptions, Kind, Reason, RowIssue};
use tresor::{Problem, Vault};

/// What a dry run must leave as it was: every count, the journal and the remembered mappings.
fn fingerprint(v: &Vault) -> String {
    let r = v.store().read();
    let journal: Vec<i64> = r.journal_recent(100_000).unwrap().into_iter().map(|e| e.seq).collect();
    let mappings: Vec<Option<String>> =
        Kind::ALL.iter().map(|k| r.meta(&format!("import.mapping.{}", k.as_str())).unwrap()).collect();
    format!("{:?} {journal:?} {mappings:?}", r.stats().unwrap())
}

fn issue(row: u32, field: Field, problem: Problem) -> RowIssue {
    RowIssue { row, field, reason: Reason::Invalid, problem: Some(problem) }
}

fn vault(w: &World) -> Vault {
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    v
}

/// Clients as a practice keeps them in Excel: German headers in another order, a date cell, a
/// date typed as text, an unformatted serial, an empty line, an extra column, and bad rows.
fn messy_workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let dmy = Format::new().set_num_format("dd.mm.yyyy");
    for (col, h) in ["Nachname", "Vorname", "Geb.-Datum", "E-Mail", "PLZ", "Ort", "Honorar"].iter().enumerate() {
        sheet.write_string(0, col as u16, *h).unwrap();
    }
    let text = |sheet: &mut rust_xlsxwriter::Worksheet, row: u32, cells: &[&str]| {
        for (col, c) in cells.iter().enumerate() {
            if !c.is_empty() {
                sheet.write_string(row, col as u16, *c).unwrap();
            }
        }
    };
    // Row 2: a real date cell.
    text(sheet, 1, &["Müller", "Anna", "", "anna@example.at", "1090", "Wien", "95,00"]);
    sheet.write_datetime_with_format(1, 2, ExcelDateTime::from_ymd(1985, 2, 3).unwrap(), &dmy).unwrap();
    // Row 3: the date typed as text.
    text(sheet, 2, &["Huber", "Bernd", "17.11.1979", "", "4020", "Linz", ""]);
    // Row 4: no family name.
    text(sheet, 3, &["", "Clara", "01.01.1990", "", "", "", ""]);
    // Row 5: a date that never was.
    text(sheet, 4, &["Gruber", "Dora", "31.02.1990", "", "", "", ""]);
    // Row 6 stays empty. Row 7: an unformatted serial (33000 = 07.05.1990).
    text(sheet, 6, &["Wagner", "Emil", "", "", "", "", ""]);
    sheet.write_number(6, 2, 33000.0).unwrap();
    // Row 8: an e-mail address that is none, and a birth date in the future.
    text(sheet, 7, &["Berger", "Eva", "01.01.2999", "keine Mail", "", "", ""]);
    // Row 9: row 2 again.
    text(sheet, 8, &["Müller", "Anna", "03.02.1985", "", "", "", ""]);
    book.save_to_buffer().unwrap()
}

#[test]
fn a_messy_german_workbook_imports_its_good_rows_and_names_each_bad_one() {
    let w = World::new();
    let mut v = vault(&w);
    let file = save(&w.tmp(), "Klienten.xlsx", &messy_workbook());
    let before = fingerprint(&v);

    let columns = v.records().import_columns(Kind::Clients, &file).unwrap();
    assert_eq!(columns.columns[..3], ["Nachname", "Vorname", "Geb.-Datum"]);
    assert_eq!((columns.rows, columns.mapping.get("family_name").map(String::as_str)), (7, Some("Nachname")));
    let preview = v.records().import_preview(Kind::Clients, &file, &ImportOptions::default()).unwrap();
    assert_eq!(fingerprint(&v), before, "the dry run changed the vault");
    assert_eq!(preview.mapping["family_name"], "Nachname");
    assert_eq!(preview.mapping["birth_date"], "Geb.-Datum");
    assert!(!preview.mapping.values().any(|c| c == "Honorar"), "{:?}", preview.mapping);
    assert_eq!(preview.rows, 7, "the empty line is not a row");
    let ready: Vec<(u32, &str, Option<jiff::civil::Date>)> =
        preview.ready.iter().map(|r| (r.row, r.label.as_str(), r.date)).collect();
    assert_eq!(
        ready,
        vec![
            (2, "Anna Müller", Some(date(1985, 2, 3))),
            (3, "Bernd Huber", Some(date(1979, 11, 17))),
            (7, "Emil Wagner", Some(date(1990, 5, 7))),
        ]
    );
    let mut rejected = preview.rejected.clone();
    rejected.sort_by_key(|i| (i.row, i.field));
    assert_eq!(
        rejected,
        vec![
            issue(4, Field::FamilyName, Problem::Required),
            issue(5, Field::BirthDate, Problem::BadDate),
            issue(8, Field::BirthDate, Problem::OutOfRange),
            issue(8, Field::Email, Problem::BadFormat),
        ]
    );
    assert_eq!(preview.duplicates.iter().map(|r| r.row).collect::<Vec<_>>(), vec![9]);

    let journal_before = v.store().read().journal_recent(100_000).unwrap().len();
    let report = v.records_mut().import_file(Kind::Clients, &file, &ImportOptions::default()).unwrap();
    assert_eq!((report.imported, report.skipped_duplicates, report.rejected_rows), (3, 1, 3));
    let (list, total) = v.records().clients(&Default::default()).unwrap();
    assert_eq!(total, 3);
    let anna = list.iter().find(|c| c.family_name == "Müller").unwrap();
    let anna = v.records().client(anna.id).unwrap();
    assert_eq!((anna.data.email.as_str(), anna.data.city.as_str()), ("anna@example.at", "Wien"));
    // Journaled like any other change: one `create` per client, nothing else.
    let journal = v.store().read().journal_recent(100_000).unwrap();
    let new: Vec<_> = journal.iter().take(journal.len() - journal_before).collect();
    assert_eq!(new.len(), 3, "{new:?}");
    assert!(new.iter().all(|e| e.entity == "client" && e.op == "create"), "{new:?}");

    // The next run finds them all as duplicates and imports nothing unless asked.
    let again = v.records().import_preview(Kind::Clients, &file, &ImportOptions::default()).unwrap();
    assert!(again.ready.is_empty(), "{:?}", again.ready);
    assert_eq!(again.duplicates.iter().map(|r| r.row).collect::<Vec<_>>(), vec![2, 3, 7, 9]);
    let report = v.records_mut().import_file(Kind::Clients, &file, &ImportOptions::default()).unwrap();
    assert_eq!((report.imported, report.skipped_duplicates), (0, 4));
    assert_eq!(v.records().clients(&Default::default()).unwrap().1, 3);
    let forced = ImportOptions { duplicates: true, ..Default::default() };
    assert_eq!(v.records_mut().import_file(Kind::Clients, &file, &forced).unwrap().imported, 4);
}

/// Services as Excel on a German Windows saves "CSV (Trennzeichen-getrennt)": `;`, Windows-1252,
/// decimal comma and thousands dot.
const SERVICES_CSV: &str = "Bezeichnung;Dauer;Preis;USt\r\n\
    Einzelsitzung;50;1.234,56;\r\n\
    Erstgespräch;60 min;\"95,50 €\";0\r\n\
    Paarsitzung;achtzig;120;\r\n\
    Supervision;90;abc;20 %\r\n\
    Coaching (Gruppe);90;80,00;20\r\n";

#[test]
fn windows_1252_and_utf8_with_or_without_bom_read_alike() {
    let w = World::new();
    let latin: Vec<u8> = encoding_bytes(SERVICES_CSV);
    let variants = [
        ("cp1252.csv", latin),
        ("utf8.csv", SERVICES_CSV.as_bytes().to_vec()),
        ("bom.csv", [b"\xEF\xBB\xBF".as_slice(), SERVICES_CSV.as_bytes()].concat()),
    ];
    let mut previews = Vec::new();
    let v = vault(&w);
    for (name, bytes) in &variants {
        let file = save(&w.tmp(), name, bytes);
        previews.push(v.records().import_preview(Kind::Services, &file, &ImportOptions::default()).unwrap());
    }
    assert_eq!(previews[0], previews[1]);
    assert_eq!(previews[1], previews[2]);
    let p = &previews[0];
    let ready: Vec<(u32, &str, Option<u32>, Option<Cents>)> =
        p.ready.iter().map(|r| (r.row, r.label.as_str(), r.minutes, r.amount)).collect();
    assert_eq!(
        ready,
        vec![
            (2, "Einzelsitzung", Some(50), Some(Cents::new(123_456))),
            (3, "Erstgespräch", Some(60), Some(Cents::new(9550))),
            (6, "Coaching (Gruppe)", Some(90), Some(Cents::new(8000))),
        ]
    );
    assert_eq!(
        p.rejected,
        vec![issue(4, Field::Minutes, Problem::BadFormat), issue(5, Field::Price, Problem::BadFormat)]
    );
}

/// The file as a German Windows writes it.
fn encoding_bytes(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '€' => 0x80,
            c if (c as u32) < 256 => c as u32 as u8,
            _ => panic!("{c} has no Windows-1252 byte here"),
        })
        .collect()
}

#[test]
fn sessions_and_appointments_find_their_clients_and_services() {
    let w = World::new();
    let mut v = vault(&w);
    let clients = "Vorname;Nachname;Geburtsdatum\nAnna;Müller;03.02.1985\nBernd;Huber;\nCarla;Huber;\n";
    let f = save(&w.tmp(), "k.csv", clients.as_bytes());
    assert_eq!(v.records_mut().import_file(Kind::Clients, &f, &ImportOptions::default()).unwrap().imported, 3);
    let f = save(&w.tmp(), "l.csv", SERVICES_CSV.as_bytes());
    assert_eq!(v.records_mut().import_file(Kind::Services, &f, &ImportOptions::default()).unwrap().imported, 3);

    let sessions = "Klient;Datum;Leistung;Honorar;Dokumentation\n\
        Anna Müller;12.01.2026;Einzelsitzung;;Erstes Gespräch, Anliegen geklärt\n\
        Huber;13.01.2026;Einzelsitzung;;\n\
        Anna Müller;2026-01-19;Erstgespräch;90,00;\n\
        Zoe Niemand;20.01.2026;Einzelsitzung;;\n\
        Anna Müller;21.01.2026;Tanztherapie;;\n\
        Anna Müller;22.01.2026;;;\n";
    let f = save(&w.tmp(), "s.csv", sessions.as_bytes());
    let before = fingerprint(&v);
    let p = v.records().import_preview(Kind::Sessions, &f, &ImportOptions::default()).unwrap();
    assert_eq!(fingerprint(&v), before);
    let ready: Vec<(u32, Option<u32>, Option<Cents>)> = p.ready.iter().map(|r| (r.row, r.minutes, r.amount)).collect();
    assert_eq!(ready, vec![(2, Some(50), Some(Cents::new(123_456))), (4, Some(60), Some(Cents::new(9000)))]);
    let reasons: Vec<(u32, Field, Reason)> = p.rejected.iter().map(|i| (i.row, i.field, i.reason)).collect();
    assert_eq!(
        reasons,
        vec![
            (3, Field::FamilyName, Reason::AmbiguousClient),
            (5, Field::FamilyName, Reason::NoSuchClient),
            (6, Field::Service, Reason::NoSuchService),
            (7, Field::Minutes, Reason::Invalid),
            (7, Field::Fee, Reason::Invalid),
        ]
    );
    let report = v.records_mut().import_file(Kind::Sessions, &f, &ImportOptions::default()).unwrap();
    assert_eq!(report.imported, 2);
    let anna =
        v.records().clients(&Default::default()).unwrap().0.into_iter().find(|c| c.given_name == "Anna").unwrap();
    let s = v.records().sessions_of(anna.id, 10).unwrap();
    assert_eq!(s.len(), 2);
    assert!(s.iter().any(|s| s.note == "Erstes Gespräch, Anliegen geklärt"), "the note became a revision");
    assert_eq!(v.records().import_preview(Kind::Sessions, &f, &ImportOptions::default()).unwrap().duplicates.len(), 2);

    // Appointments: a date and a time column, in the practice's zone (Vienna, CET in March).
    let appts = "Nachname,Vorname,Termin,Beginn,Dauer\nMüller,Anna,05.03.2026,14:30,50\nMüller,Anna,06.03.2026,,50\n";
    let f = save(&w.tmp(), "t.csv", appts.as_bytes());
    let report = v.records_mut().import_file(Kind::Appointments, &f, &ImportOptions::default()).unwrap();
    assert_eq!(report.imported, 1);
    assert_eq!(report.preview.rejected, vec![issue(3, Field::Start, Problem::Required)]);
    let a = v.records().appointments_between(date(2026, 3, 5), date(2026, 3, 5)).unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].start.to_string(), "2026-03-05T13:30:00Z");
    assert_eq!(a[0].minutes(), 50);
}

#[test]
fn the_mapping_is_remembered_and_an_explicit_one_is_checked() {
    let w = World::new();
    let mut v = vault(&w);
    let csv = "Klient-Nr;Wer;Wann\n1;Anna Müller;01.01.1980\n";
    let f = save(&w.tmp(), "a.csv", csv.as_bytes());
    let none = v.records().import_preview(Kind::Clients, &f, &ImportOptions::default()).unwrap_err();
    assert_eq!((none.code(), none.params()["field"].as_str()), ("import.mapping_incomplete", Some("family_name")));
    let map = tresor::import::mapping::parse_arg("family_name=Wer,birth_date=Wann").unwrap();
    let opts = ImportOptions { mapping: Some(map.clone()), duplicates: false };
    let r = v.records_mut().import_file(Kind::Clients, &f, &opts).unwrap();
    assert_eq!(r.imported, 1);
    // The next file of that kind is proposed the same mapping.
    let f2 = save(&w.tmp(), "b.csv", "Wer;Wann;Sonst\nBerta Bauer;02.02.1982;x\n".as_bytes());
    assert_eq!(v.records().import_preview(Kind::Clients, &f2, &ImportOptions::default()).unwrap().mapping, map);
    let bad = ImportOptions {
        mapping: Some(tresor::import::mapping::parse_arg("family_name=Gibtsnicht").unwrap()),
        duplicates: false,
    };
    assert_eq!(v.records().import_preview(Kind::Clients, &f2, &bad).unwrap_err().code(), "import.unknown_column");
}

#[test]
fn files_too_large_or_unreadable_are_refused_and_change_nothing() {
    let w = World::new();
    let mut v = vault(&w);
    let before = fingerprint(&v);
    let mut many = String::from("Nachname\n");
    for i in 0..=table::MAX_ROWS {
        many.push_str(&format!("N{i}\n"));
    }
    let f = save(&w.tmp(), "many.csv", many.as_bytes());
    let e = v.records_mut().import_file(Kind::Clients, &f, &ImportOptions::default()).unwrap_err();
    assert_eq!((e.code(), e.params()["unit"].as_str()), ("import.too_large", Some("rows")));
    let f = save(&w.tmp(), "big.csv", &vec![b'a'; table::MAX_BYTES as usize + 1]);
    assert_eq!(
        v.records_mut().import_file(Kind::Clients, &f, &ImportOptions::default()).unwrap_err().code(),
        "import.too_large"
    );
    let f = save(&w.tmp(), "broken.xlsx", b"PK\x03\x04 not really a workbook");
    let e = v.records_mut().import_file(Kind::Clients, &f, &ImportOptions::default()).unwrap_err();
    assert_eq!((e.code(), e.params()["reason"].as_str()), ("import.unreadable", Some("spreadsheet")));
    let f = save(&w.tmp(), "empty.csv", b"\n\n");
    assert_eq!(
        v.records_mut().import_file(Kind::Clients, &f, &ImportOptions::default()).unwrap_err().code(),
        "import.unreadable"
    );
    assert_eq!(fingerprint(&v), before);
}

proptest! {
    // PROPTEST_CASES sets the number of cases (256 by default), as in reader_props.rs.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Whatever the bytes, the reader answers with a table or a typed error.
    #[test]
    fn the_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048), zip in any::<bool>()) {
        let bytes = if zip { [b"PK\x03\x04".as_slice(), &bytes].concat() } else { bytes };
        let _ = table::read(&bytes);
    }

    /// Delimited text near what exports hold: quotes, separators, line ends, BOMs, umlauts.
    #[test]
    fn delimited_text_never_panics(text in "(\u{feff})?[a-zäöüß0-9;,\t\"\r\n .:€-]{0,400}") {
        if let Ok(t) = table::read(text.as_bytes()) {
            // Row numbers follow the lines: after the header's, each above the one before.
            prop_assert!(t.rows.iter().all(|r| r.number >= 2));
            prop_assert!(t.rows.windows(2).all(|w| w[0].number < w[1].number));
        }
    }

    /// Cell values: every parser answers with a value or a problem.
    #[test]
    fn value_parsers_never_panic(s in "[0-9.,:\\- €%a-zA-Z]{0,30}", n in any::<f64>()) {
        for c in [table::Cell::Text(s.clone()), table::Cell::Number(n)] {
            let _ = (values::date(&c), values::time(&c), values::cents(&c), values::minutes(&c), values::rate_bp(&c));
        }
    }
}

/// A real workbook with odd cells (errors, booleans, huge numbers, far dates) reads as a table.
#[test]
fn odd_workbook_cells_read_without_panic() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Datum").unwrap();
    sheet.write_number(1, 0, f64::MAX).unwrap();
    sheet.write_number(2, 0, -5.0).unwrap();
    sheet.write_boolean(3, 0, true).unwrap();
    sheet.write_formula(4, 0, "=1/0").unwrap();
    let fmt = Format::new().set_num_format("dd.mm.yyyy");
    sheet.write_datetime_with_format(5, 0, ExcelDateTime::from_ymd(9999, 12, 31).unwrap(), &fmt).unwrap();
    let t = table::read(&book.save_to_buffer().unwrap()).unwrap();
    assert_eq!(t.rows.len(), 5);
    for r in &t.rows {
        let _ = values::date(&r.cells[0]);
    }
}
