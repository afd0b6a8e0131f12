//! Documents read back by real readers: pdftotext (every field §11 UStG AT / §14 Abs. 4 UStG DE
//! requires, per country and tax mode), pdffonts (embedded and subset), pdftoppm + zbarimg (the
//! GiroCode's exact payload), openpyxl (formulas, formats, cached values equal the PDF's).

mod common;

use std::path::Path;

use common::*;
use jiff::civil::date;
use tresor::billing::{LineInput, LineKind};
use tresor::domain::client::{ClientInput, Diagnosis};
use tresor::domain::money::Cents;
use tresor::domain::practice::{Country, Language, PracticeUpdate};
use tresor::domain::service::{ServiceInput, TaxMode};
use tresor::domain::session::SessionInput;
use tresor::domain::ClientId;
use tresor::vault::InvoiceFormat;
use tresor::Vault;

struct Case {
    country: Country,
    tax: TaxMode,
    lang: Language,
    /// Texts the invoice must show besides the common ones.
    expect: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        country: Country::AT,
        tax: TaxMode::AtExempt,
        lang: Language::De,
        expect: &["Honorarnote Nr. 2026-0001", "gem. § 6 Abs. 1 Z 19 UStG befreit", "UID-Nummer", "ATU13585627"],
    },
    Case {
        country: Country::AT,
        tax: TaxMode::AtSmallBusiness,
        lang: Language::De,
        expect: &["Honorarnote Nr. 2026-0001", "gem. § 6 Abs. 1 Z 27 UStG befreit"],
    },
    Case {
        country: Country::AT,
        tax: TaxMode::Taxable { rate_bp: 2000 },
        lang: Language::De,
        expect: &["Netto 20 %", "USt 20 %", "36,00 €", "1.450,56 €"],
    },
    Case {
        country: Country::DE,
        tax: TaxMode::DeExempt,
        lang: Language::De,
        expect: &["Rechnung Nr. 2026-0001", "umsatzsteuerfrei gem. § 4 Nr. 14 UStG", "USt-IdNr.", "DE123456788"],
    },
    Case {
        country: Country::DE,
        tax: TaxMode::DeSmallBusiness,
        lang: Language::De,
        expect: &["Rechnung Nr. 2026-0001", "Steuerfreie Leistung nach § 19 Abs. 1 UStG"],
    },
    Case {
        country: Country::DE,
        tax: TaxMode::Taxable { rate_bp: 1900 },
        lang: Language::De,
        expect: &["USt 19 %", "34,20 €"],
    },
    Case {
        country: Country::AT,
        tax: TaxMode::AtExempt,
        lang: Language::En,
        expect: &[
            "Invoice no. 2026-0001",
            "€1,234.56",
            "31/03/2026",
            "02/03/2026 – 09/03/2026",
            "gem. § 6 Abs. 1 Z 19 UStG befreit",
        ],
    },
];

/// A practice, a client with umlauts, two sessions of a service in `tax` and an extra item of
/// 1.234,56 €, issued on 31.03.2026. Returns the vault and the client.
fn scenario(w: &World, country: Country, tax: TaxMode, lang: Language) -> (Vault, ClientId, String) {
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, country);
    if matches!(tax, TaxMode::AtSmallBusiness | TaxMode::DeSmallBusiness) {
        v.records_mut().update_practice(&PracticeUpdate { small_business: Some(true), ..Default::default() }).unwrap();
    }
    let mut c = ClientInput::with_full_name("Bärbel Größ");
    c.street = "Lindengasse 5".into();
    c.postal_code = "1070".into();
    c.city = "Wien".into();
    c.birth_date = Some(date(1980, 1, 1));
    c.insurer = "ÖGK".into();
    c.insurance_number = "1237 010180".into();
    c.diagnoses = vec![Diagnosis { code: "F32.1".into(), text: "Mittelgradige depressive Episode".into() }];
    c.language = Some(lang);
    let client = v.records_mut().add_client(c).unwrap();
    let svc = v
        .records_mut()
        .add_service(ServiceInput {
            name: "Psychotherapie Einzel".into(),
            code: String::new(),
            minutes: 50,
            price: Cents::new(9000),
            tax,
            fee: Default::default(),
            retired: false,
        })
        .unwrap();
    for day in [2, 9] {
        v.records_mut()
            .add_session(SessionInput {
                client_id: client,
                appointment_id: None,
                service_id: Some(svc),
                date: date(2026, 3, day),
                minutes: None,
                fee: None,
                setting: None,
                group_size: None,
                note: "Stundenverlauf".into(),
            })
            .unwrap();
    }
    let id = v.billing_mut().draft_invoice(client, None, Some(date(2026, 3, 31))).unwrap()[0];
    let item = LineInput {
        kind: LineKind::Item,
        session_id: None,
        appointment_id: None,
        date: Some(date(2026, 3, 9)),
        description: "Gutachten".into(),
        minutes: None,
        setting: None,
        quantity: 1,
        unit: Cents::new(123456),
        tax: match tax {
            TaxMode::Taxable { .. } => exempt(country),
            other => other,
        },
        fee: Default::default(),
        fee_reason: String::new(),
        full_unit: None,
        group_size: None,
    };
    v.billing_mut().add_invoice_line(id, item).unwrap();
    let number = v.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap();
    (v, client, number)
}

/// In the taxable cases the item is exempt, so the invoice mixes two modes and prints net, tax
/// and gross per rate.
fn exempt(country: Country) -> TaxMode {
    match country {
        Country::AT => TaxMode::AtExempt,
        Country::DE => TaxMode::DeExempt,
    }
}

const COMMON: &[&str] = &[
    "Praxis Müller-Größ",
    "Mag. Jörg Müller-Größ",
    "Währinger Straße 12/3",
    "Bärbel Größ",
    "Lindengasse 5",
    "1070 Wien",
    "Psychotherapie Einzel",
    "Gutachten",
    "1.234,56",
    "Steuernummer",
    "12 345/6789",
    "IBAN",
    "BIC",
];

#[test]
fn invoice_pdf_has_every_required_field_per_country_and_tax_mode() {
    for case in CASES {
        let w = World::new();
        let (mut v, _, number) = scenario(&w, case.country, case.tax, case.lang);
        let pdf =
            save(w.dir.path(), "invoice.pdf", &v.documents_mut().render_invoice(&number, InvoiceFormat::Pdf).unwrap());
        let text = pdftotext(&pdf);
        let mut expect: Vec<&str> = case.expect.to_vec();
        if case.lang == Language::De {
            expect.extend(COMMON);
            expect.extend([
                "31.03.2026",
                "02.03.2026 – 09.03.2026",
                "02.03.2026",
                "Leistungszeitraum",
                "Rechnungsdatum",
                "Zahlbar bis",
                "Gesamtbetrag",
                "Menge",
                "50",
            ]);
        } else {
            expect.extend(["Bärbel Größ", "Währinger Straße 12/3", "Invoice date", "Service period", "Total", "Qty"]);
        }
        for e in &expect {
            assert!(text.contains(e), "{:?}/{:?}/{:?}: {e:?} missing in\n{text}", case.country, case.tax, case.lang);
        }
        let iban = if case.country == Country::AT { "AT61 1904 3002 3457 3201" } else { "DE89 3704 0044 0532 0130 00" };
        assert!(text.contains(iban), "IBAN in groups of four");
        let size = std::fs::metadata(&pdf).unwrap().len();
        assert!(size < 40_000, "{size} bytes: the font is not subset");
    }
}

#[test]
fn invoice_pdf_embeds_a_subset_font_and_renders() {
    let w = World::new();
    let (mut v, _, number) = scenario(&w, Country::AT, TaxMode::AtExempt, Language::De);
    let pdf =
        save(w.dir.path(), "invoice.pdf", &v.documents_mut().render_invoice(&number, InvoiceFormat::Pdf).unwrap());
    let fonts = pdffonts(&pdf);
    let rows: Vec<&str> = fonts.lines().filter(|l| l.contains("NotoSans")).collect();
    assert_eq!(rows.len(), 2, "regular and bold:\n{fonts}");
    for r in rows {
        // name  type  encoding  emb sub uni  object ID
        let cols: Vec<&str> = r.split_whitespace().collect();
        assert!(cols[0].len() > 7 && cols[0].as_bytes()[6] == b'+', "subset fonts are named ABCDEF+…: {r}");
        let flags: Vec<&str> = cols.iter().rev().skip(2).take(3).copied().collect();
        assert_eq!(flags, ["yes", "yes", "yes"], "embedded, subset, unicode: {r}");
    }
    let pages = pdftoppm(&pdf, &w.dir.path().join("page"), 100);
    assert_eq!(pages.len(), pdf_pages(&pdf));
    assert!(pages.iter().all(|p| std::fs::metadata(p).unwrap().len() > 5_000));
}

#[test]
fn girocode_decodes_to_exactly_the_epc_payload() {
    for (country, iban, bic) in
        [(Country::AT, "AT611904300234573201", "GIBAATWWXXX"), (Country::DE, "DE89370400440532013000", "COBADEFFXXX")]
    {
        let w = World::new();
        let (mut v, _, number) = scenario(&w, country, exempt(country), Language::De);
        // A payment after issue changes nothing on the invoice as issued (GoBD): the code asks
        // for 2 × 90,00 + 1.234,56 = 1.414,56, as on the day it was handed out.
        v.billing_mut().record_payment(&number, Cents::new(10000), Some(date(2026, 4, 1)), "transfer").unwrap();
        let pdf =
            save(w.dir.path(), "invoice.pdf", &v.documents_mut().render_invoice(&number, InvoiceFormat::Pdf).unwrap());
        let png = &pdftoppm(&pdf, &w.dir.path().join("qr"), 150)[0];
        let expected = format!("BCD\n002\n1\nSCT\n{bic}\nJörg Müller-Größ\n{iban}\nEUR1414.56\n\n\n{number}");
        assert_eq!(zbarimg(png), expected);
    }
}

/// The numbers openpyxl reads, as cents (the XLSX stores doubles; two decimals round exactly).
fn cents(v: &serde_json::Value) -> i64 {
    (v.as_f64().unwrap_or_else(|| panic!("not a number: {v}")) * 100.0).round() as i64
}

#[test]
fn invoice_xlsx_has_formulas_formats_and_the_pdfs_totals() {
    let w = World::new();
    let (mut v, _, number) = scenario(&w, Country::AT, TaxMode::Taxable { rate_bp: 2000 }, Language::De);
    let inv = v.billing().invoice_by_number(&number).unwrap();
    let xlsx =
        save(w.dir.path(), "invoice.xlsx", &v.documents_mut().render_invoice(&number, InvoiceFormat::Xlsx).unwrap());
    let pdf_text = pdftotext(&save(
        w.dir.path(),
        "invoice.pdf",
        &v.documents_mut().render_invoice(&number, InvoiceFormat::Pdf).unwrap(),
    ));
    let cells = openpyxl_cells(&xlsx);
    let cells = cells.as_object().unwrap();
    let sheet = "Honorarnote";
    let at = |c: &str| cells.get(&format!("{sheet}!{c}")).unwrap_or_else(|| panic!("{c} is empty"));
    // The header row of the line table, then one row per line.
    let header_row =
        (1..40).find(|r| cells.get(&format!("{sheet}!A{r}")).and_then(|c| c["raw"].as_str()) == Some("Datum")).unwrap();
    for (i, line) in inv.lines.iter().enumerate() {
        let r = header_row + 1 + i;
        assert_eq!(at(&format!("F{r}"))["raw"], format!("=D{r}*E{r}"));
        assert_eq!(at(&format!("H{r}"))["raw"], format!("=ROUND(ROUND(F{r}*100,0)*ROUND(G{r}*10000,0)/10000,0)/100"));
        assert_eq!(at(&format!("I{r}"))["raw"], format!("=F{r}+H{r}"));
        assert_eq!(cents(&at(&format!("E{r}"))["value"]), line.input.unit.get());
        assert_eq!(cents(&at(&format!("F{r}"))["value"]), line.amount.get(), "cached net of row {r}");
        assert_eq!(cents(&at(&format!("H{r}"))["value"]), line.tax_amount.get(), "cached tax of row {r}");
        assert_eq!(cents(&at(&format!("I{r}"))["value"]), line.gross().unwrap().get());
        // What the formula computes from the row's own values (recalculated here, not cached).
        let qty = at(&format!("D{r}"))["value"].as_f64().unwrap() as i64;
        let rate_bp = (at(&format!("G{r}"))["value"].as_f64().unwrap() * 10_000.0).round() as i64;
        let net = qty * cents(&at(&format!("E{r}"))["value"]);
        let tax = (2 * net * rate_bp / 10_000 + 1) / 2;
        assert_eq!((net, tax), (line.amount.get(), line.tax_amount.get()));
        for col in ["E", "F", "H", "I"] {
            assert_eq!(at(&format!("{col}{r}"))["format"], "#,##0.00 €");
        }
    }
    let total = cells
        .iter()
        .find(|(_, c)| c["raw"].as_str().is_some_and(|f| f.starts_with("=SUM(I")))
        .map(|(_, c)| c)
        .expect("a SUM over the gross column");
    assert_eq!(cents(&total["value"]), inv.totals.gross.get());
    assert_eq!(total["format"], "#,##0.00 €");
    assert!(
        pdf_text.contains(&format!("{} €", Cents::new(cents(&total["value"])).format_de())),
        "the PDF shows the same total"
    );
    let sumifs = cells.values().filter(|c| c["raw"].as_str().is_some_and(|f| f.starts_with("=SUMIF("))).count();
    assert_eq!(sumifs, 6, "net, tax and gross for each of the two tax modes");
}

#[test]
fn honorarnote_has_what_the_insurer_needs() {
    let w = World::new();
    let (mut v, _, number) = scenario(&w, Country::AT, TaxMode::AtExempt, Language::De);
    let mut s = v.billing().billing_settings().unwrap();
    s.treatment_method = "Verhaltenstherapie".into();
    v.billing_mut().update_billing_settings(&s).unwrap();
    let first = v.documents_mut().export_invoice(&number, InvoiceFormat::Honorarnote).unwrap();
    assert_eq!(first.copy, tresor::vault::Copy::KeptNow);
    let unpaid = pdftotext(&save(w.dir.path(), "a.pdf", &first.bytes));
    assert!(unpaid.contains("Noch nicht bezahlt"));
    assert!(!unpaid.contains("Zweitschrift"), "the first print is the original:\n{unpaid}");
    v.billing_mut().record_payment(&number, Cents::new(141456), Some(date(2026, 4, 5)), "transfer").unwrap();
    let second = v.documents_mut().export_invoice(&number, InvoiceFormat::Honorarnote).unwrap();
    assert_eq!(second.copy, tresor::vault::Copy::Marked);
    let text = pdftotext(&save(w.dir.path(), "b.pdf", &second.bytes));
    assert!(!text.contains("Gutachten") && !text.contains("1.414,56"), "{text}");
    for e in [
        "Zweitschrift",
        "Honorarnote zur Einreichung",
        "Bärbel Größ",
        "1237 010180",
        "01.01.1980",
        "ÖGK",
        "F32.1 Mittelgradige depressive Episode",
        "Verhaltenstherapie",
        "02.03.2026",
        "09.03.2026",
        "50",
        "Einzel",
        "90,00 €",
        // The two sessions; the report (an extra item) is not a treatment and is not claimed.
        "180,00 €",
        "Betrag bezahlt am 05.04.2026 per Überweisung",
        "Eintragungsnummer",
        "12345",
        "Unterschrift und Stempel",
    ] {
        assert!(text.contains(e), "{e:?} missing in\n{text}");
    }
}

/// An Austrian client with a session of `minutes` on each day (`group` sizes where given).
fn claim_client(v: &mut Vault, input: ClientInput, days: &[(i8, Option<u32>)]) -> ClientId {
    let client = v.records_mut().add_client(input).unwrap();
    for (day, group_size) in days {
        v.records_mut()
            .add_session(SessionInput {
                client_id: client,
                appointment_id: None,
                service_id: None,
                date: date(2026, 3, *day),
                minutes: Some(50),
                fee: Some(Cents::new(9000)),
                setting: None,
                group_size: *group_size,
                note: String::new(),
            })
            .unwrap();
    }
    client
}

/// The claim form as pdftotext reads it.
fn claim_text(v: &mut Vault, dir: &Path, number: &str, name: &str) -> String {
    let e = v.documents_mut().export_invoice(number, InvoiceFormat::Honorarnote).unwrap();
    pdftotext(&save(dir, name, &e.bytes))
}

/// The text with every run of white space one space, so a sentence reads whole across a wrap.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_claim_form_counts_sessions_names_group_size_exam_and_the_method_frozen_at_issue() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let mut s = v.billing().billing_settings().unwrap();
    s.treatment_method = "Verhaltenstherapie".into();
    v.billing_mut().update_billing_settings(&s).unwrap();
    // No birth date, no diagnosis: their labels are left out, not printed empty.
    let mut c = ClientInput::with_full_name("Bärbel Größ");
    c.insurer = "ÖGK".into();
    c.insurance_number = "1237010180".into();
    c.treatment_method = "Systemische Familientherapie".into();
    let client = claim_client(&mut v, c, &[(2, Some(6)), (9, None), (16, None)]);
    let id = v.billing_mut().draft_invoice(client, None, Some(date(2026, 3, 31))).unwrap()[0];
    let number = v.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap();
    // Changed after issue: the form keeps the method it was issued with.
    let mut now = v.records().client(client).unwrap().data;
    now.treatment_method = "Psychoanalyse".into();
    v.records_mut().update_client(client, now.clone()).unwrap();

    let text = claim_text(&mut v, w.dir.path(), &number, "claim.pdf");
    for e in [
        "1237 010180",
        "Systemische Familientherapie",
        "Gruppe (6 Teiln.)",
        "Einzel",
        "Anzahl der Einheiten",
        "270,00 €",
        "Ärztliche Untersuchung",
        "nicht erfasst",
        "Hinweis: Das Datum der ärztlichen Untersuchung vor der zweiten Einheit",
        "(am 09.03.2026) ist nicht erfasst.",
        "Bitte legen Sie die ärztliche Bestätigung bei.",
    ] {
        assert!(flat(&text).contains(e), "{e:?} missing in\n{text}");
    }
    let count = text.lines().skip_while(|l| !l.contains("Anzahl der Einheiten")).take(3).collect::<String>();
    assert!(count.contains('3'), "three sessions: {count:?}\n{text}");
    for absent in ["Psychoanalyse", "Verhaltenstherapie", "Geburtsdatum", "Diagnose", "Versicherte Person\n\n"] {
        assert!(!text.contains(absent), "{absent:?} must not be printed:\n{text}");
    }

    // Recorded since: the reprint names it and says nothing more.
    now.medical_exam_date = Some(date(2026, 3, 5));
    v.records_mut().update_client(client, now.clone()).unwrap();
    let text = claim_text(&mut v, w.dir.path(), &number, "claim2.pdf");
    assert!(text.contains("Zweitschrift") && text.contains("05.03.2026"), "{text}");
    assert!(!text.contains("nicht erfasst") && !text.contains("Hinweis"), "{text}");
    // After the second session: the form says so.
    now.medical_exam_date = Some(date(2026, 3, 10));
    v.records_mut().update_client(client, now).unwrap();
    let text = claim_text(&mut v, w.dir.path(), &number, "claim3.pdf");
    assert!(
        flat(&text)
            .contains("Die ärztliche Untersuchung am 10.03.2026 fand nach der zweiten Einheit statt, am 09.03.2026."),
        "{text}"
    );

    // A form that claims only the first session needs no examination and has no such row.
    let mut c = ClientInput::with_full_name("Jörg Neu");
    c.insurer = "ÖGK".into();
    let first = claim_client(&mut v, c, &[(4, None)]);
    let id = v.billing_mut().draft_invoice(first, None, Some(date(2026, 3, 31))).unwrap()[0];
    let number = v.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap();
    let text = claim_text(&mut v, w.dir.path(), &number, "first.pdf");
    assert!(text.contains("Verhaltenstherapie"), "the practice's method when the client has none:\n{text}");
    for absent in ["Ärztliche Untersuchung", "Hinweis", "Versicherungsnummer", "SVNR"] {
        assert!(!text.contains(absent), "{absent:?} must not be printed:\n{text}");
    }
}

#[test]
fn dunning_letters_show_fees_and_a_code_for_what_is_owed() {
    let w = World::new();
    let (mut v, _, number) = scenario(&w, Country::DE, TaxMode::DeExempt, Language::De);
    v.billing_mut().dunning_run(Some(date(2026, 4, 15))).unwrap();
    v.billing_mut().dunning_run(Some(date(2026, 4, 30))).unwrap();
    let first =
        pdftotext(&save(w.dir.path(), "1.pdf", &v.documents_mut().render_dunning_letter(&number, Some(1)).unwrap()));
    assert!(
        first.contains("Zahlungserinnerung") && first.contains("2026-0001") && first.contains("1.414,56 €"),
        "{first}"
    );
    let second_pdf = save(w.dir.path(), "2.pdf", &v.documents_mut().render_dunning_letter(&number, None).unwrap());
    let second = pdftotext(&second_pdf);
    for e in [
        "Mahnung",
        "Mahngebühren",
        "5,00 €",
        "Offener Betrag",
        "1.419,56 €",
        "14.05.2026",
        "Rechnung 2026-0001 vom 31.03.2026",
    ] {
        assert!(second.contains(e), "{e:?} missing in\n{second}");
    }
    let png = &pdftoppm(&second_pdf, &w.dir.path().join("d"), 150)[0];
    assert!(zbarimg(png).contains("\nEUR1419.56\n"));
}

#[test]
fn reports_read_back_with_their_totals() {
    let w = World::new();
    let (mut v, client, number) = scenario(&w, Country::AT, TaxMode::Taxable { rate_bp: 2000 }, Language::De);
    v.billing_mut().record_payment(&number, Cents::new(50000), Some(date(2026, 4, 2)), "transfer").unwrap();
    let c = v.billing_mut().cancel_invoice(&number, "Falscher Betrag", true, Some(date(2026, 4, 3))).unwrap();
    let n2 = v.billing_mut().issue_invoice(c.redraft.unwrap(), Some(date(2026, 4, 3))).unwrap();
    v.billing_mut().record_payment(&n2, Cents::new(20000), Some(date(2026, 5, 4)), "cash").unwrap();
    let gross = v.billing().invoice_by_number(&n2).unwrap().totals.gross;

    let (xlsx, pdf) = v.documents().render_journal(date(2026, 1, 1), date(2026, 12, 31)).unwrap();
    let cells = openpyxl_cells(&save(w.dir.path(), "journal.xlsx", &xlsx));
    let text = pdftotext(&save(w.dir.path(), "journal.pdf", &pdf)).split_whitespace().collect::<Vec<_>>().join(" ");
    for e in [
        "Rechnungsausgangsbuch",
        "2026-0001",
        "2026-0002",
        "2026-0003",
        "storniert (durch 2026-0002)",
        "(zu 2026-0001)",
        "teilweise bezahlt",
        "-1.450,56 €",
    ] {
        assert!(text.contains(e), "{e:?} missing in\n{text}");
    }
    let sheet = cells.as_object().unwrap();
    let sums: Vec<&serde_json::Value> = sheet
        .values()
        .filter(|c| c["raw"].as_str().is_some_and(|f| f.starts_with("=SUM(") && f.contains(":")))
        .collect();
    assert!(!sums.is_empty());
    // The grand total of gross: invoice + cancellation cancel out, the re-issue remains.
    let gross_total = sheet
        .iter()
        .filter(|(k, c)| k.contains("!I") && c["raw"].as_str().is_some_and(|f| f.starts_with("=SUM(I")))
        .map(|(_, c)| cents(&c["value"]))
        .next();
    assert_eq!(gross_total, Some(gross.get()), "{sheet:#?}");
    // The Storno column links both halves of the cancellation.
    let links: Vec<&str> = sheet
        .iter()
        .filter(|(k, _)| k.starts_with("Rechnungsausgangsbuch!"))
        .filter_map(|(_, c)| c["raw"].as_str())
        .filter(|t| t.starts_with("zu ") || t.starts_with("durch "))
        .collect();
    assert_eq!(links.len(), 2, "{links:?}");
    assert!(links.contains(&"durch 2026-0002") && links.contains(&"zu 2026-0001"), "{links:?}");

    let (xlsx, pdf) = v.documents().render_revenue(date(2026, 3, 1), date(2026, 5, 31)).unwrap();
    let cells = openpyxl_cells(&save(w.dir.path(), "revenue.xlsx", &xlsx));
    let rev = cells.as_object().unwrap();
    let get = |c: &str| &rev[&format!("Umsatz!{c}")];
    assert_eq!(get("A6")["raw"], "März 2026");
    assert_eq!(cents(&get("B6")["value"]), gross.get());
    assert_eq!(cents(&get("B7")["value"]), 0, "April: cancellation and re-issue cancel out");
    assert_eq!(cents(&get("C7")["value"]), 50000);
    assert_eq!(get("D8")["raw"], "=D7+B8-C8");
    assert_eq!(cents(&get("D8")["value"]), gross.checked_sub(Cents::new(70000)).unwrap().get());
    assert_eq!(get("D6")["format"], "#,##0.00 €");
    assert!(pdftotext(&save(w.dir.path(), "revenue.pdf", &pdf)).contains("Mai 2026"));

    let (xlsx, pdf) = v.documents().render_protocol(Some(client), date(2026, 3, 1), date(2026, 3, 31)).unwrap();
    let cells = openpyxl_cells(&save(w.dir.path(), "protocol.xlsx", &xlsx));
    let p = cells.as_object().unwrap();
    assert_eq!(p["Sitzungsprotokoll!D7"]["raw"], "=SUM(D5:D6)");
    assert_eq!(p["Sitzungsprotokoll!D7"]["value"].as_f64(), Some(100.0));
    assert_eq!(cents(&p["Sitzungsprotokoll!F7"]["value"]), 18000);
    assert_eq!(p["Sitzungsprotokoll!G5"]["raw"], "2026-0003", "billed on the re-issued invoice, not the cancelled one");
    let text = pdftotext(&save(w.dir.path(), "protocol.pdf", &pdf));
    assert!(text.contains("Sitzungsprotokoll") && text.contains("Bärbel Größ") && text.contains("180,00 €"), "{text}");
}

#[test]
fn client_file_holds_everything_in_json_and_pdf() {
    let w = World::new();
    let (mut v, client, number) = scenario(&w, Country::AT, TaxMode::AtExempt, Language::De);
    let s = v.records().sessions_of(client, 10).unwrap()[0].id;
    v.records_mut().revise_session(s, "Stundenverlauf, ergänzt: Schlaf besser.").unwrap();
    v.billing_mut().record_payment(&number, Cents::new(1000), Some(date(2026, 4, 1)), "cash").unwrap();
    let (json, pdf) = v.documents().render_client_file(client).unwrap();
    let j: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(j["format"], "tresor.client_file");
    assert_eq!(j["version"], 1);
    assert_eq!(j["client"]["family_name"], "Größ");
    assert_eq!(j["client"]["insurance_number"], "1237010180");
    assert_eq!(j["client"]["diagnoses"][0]["code"], "F32.1");
    assert_eq!(j["sessions"].as_array().unwrap().len(), 2);
    let revisions: Vec<usize> =
        j["sessions"].as_array().unwrap().iter().map(|s| s["revisions"].as_array().unwrap().len()).collect();
    assert_eq!(revisions.iter().sum::<usize>(), 3, "every documentation revision");
    assert_eq!(j["invoices"][0]["number"], number);
    assert_eq!(j["invoices"][0]["gross_cents"], 141456);
    assert_eq!(j["invoices"][0]["payments"][0]["amount_cents"], 1000);
    assert_eq!(j["invoices"][0]["status"], "partly_paid");
    let ops: Vec<String> = j["journal"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{}:{}", e["entity"].as_str().unwrap(), e["op"].as_str().unwrap()))
        .collect();
    for e in ["client:create", "session:create", "note_revision:create", "invoice:issue", "payment:create"] {
        assert!(ops.iter().any(|o| o == e), "{e} missing in {ops:?}");
    }
    let text = pdftotext(&save(w.dir.path(), "file.pdf", &pdf));
    for e in
        ["Bärbel Größ", "Schlaf besser", "Fassung 2", "2026-0001", "teilweise bezahlt", "Änderungsprotokoll", "F32.1"]
    {
        assert!(text.contains(e), "{e:?} missing in\n{text}");
    }
}

/// Issue 13 item 5: the GDPR file left out seven of the client's fields (insurance kind,
/// co-insured person, medical examination, treatment method, fee agreement, salutation, and in
/// the PDF the language). It is now built by exhaustive destructuring, and holds them all.
#[test]
fn client_file_holds_every_client_field() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let mut c = ClientInput::with_full_name("Lena Größ");
    c.insurance_kind = tresor::domain::client::InsuranceKind::AtStatutory;
    c.insured_name = "Bärbel Größ".into();
    c.insured_number = "1237 010180".into();
    c.medical_exam_date = Some(date(2026, 2, 3));
    c.treatment_method = "Systemische Familientherapie".into();
    c.fee_agreement_date = Some(date(2026, 1, 20));
    c.salutation = "Liebe Lena,".into();
    c.language = Some(Language::En);
    let client = v.records_mut().add_client(c).unwrap();
    let (json, pdf) = v.documents().render_client_file(client).unwrap();
    let j: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let got = &j["client"];
    assert_eq!(got["insurance_kind"], "at_statutory");
    assert_eq!(got["insured_name"], "Bärbel Größ");
    assert_eq!(got["insured_number"], "1237010180");
    assert_eq!(got["medical_exam_date"], "2026-02-03");
    assert_eq!(got["treatment_method"], "Systemische Familientherapie");
    assert_eq!(got["fee_agreement_date"], "2026-01-20");
    assert_eq!(got["salutation"], "Liebe Lena,");
    assert_eq!(got["language"], "en");
    let text = pdftotext(&save(w.dir.path(), "every_field.pdf", &pdf));
    // The file is in the client's language (English here); a trailing comma is trimmed from a line.
    for e in
        ["Bärbel Größ", "1237010180", "Systemische Familientherapie", "Liebe Lena", "statutory (Austria)", "03/02/2026"]
    {
        assert!(text.contains(e), "{e:?} missing in\n{text}");
    }
}

/// Issue 10 item 10: a client named in Arabic used to get an empty name and empty notes in the
/// GDPR file. Arabic and Hebrew come out shaped, right to left and extractable; what no
/// embedded font has (Chinese, emoji) is a visible box with a note on the page, never nothing.
#[test]
fn a_client_file_in_arabic_and_hebrew_shows_every_character() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let mut c = ClientInput::with_full_name("مريم الخطيب");
    c.city = "חיפה".into();
    let client = v.records_mut().add_client(c).unwrap();
    let note = "ملاحظة: المريضة تشعر بتحسن كبير. Hebräisch: שלום עליכם. 王芳 😀 Ende.";
    let s = SessionInput {
        client_id: client,
        appointment_id: None,
        service_id: None,
        date: date(2026, 3, 2),
        minutes: Some(50),
        fee: Some(Cents::new(9000)),
        setting: None,
        group_size: None,
        note: note.into(),
    };
    v.records_mut().add_session(s).unwrap();
    let (_, pdf) = v.documents().render_client_file(client).unwrap();
    let pdf = save(w.dir.path(), "arabic.pdf", &pdf);
    let fonts = pdffonts(&pdf);
    for face in ["NotoSansArabic-Bold", "NotoSansArabic-Regular", "NotoSansHebrew-Regular", "NotoSans-Regular"] {
        assert!(fonts.contains(&format!("+{face} ")), "{face} embedded as a subset:\n{fonts}");
    }
    let text = pdftotext(&pdf);
    // pdftotext gives right-to-left words back in logical order (between embedding marks).
    let words = text.replace(['\u{202B}', '\u{202C}'], "");
    for expected in ["مريم الخطيب", "المريضة تشعر بتحسن كبير", "ملاحظة", "שלום עליכם", "חיפה", "Hebräisch", "Ende"]
    {
        assert!(words.contains(expected), "{expected:?} missing in\n{text}");
    }
    assert_eq!(words.matches('\u{FFFD}').count(), 4, "two ideographs, one emoji and the note's own box:\n{text}");
    assert!(words.contains("Zeichen ohne Schrift in diesem PDF"), "the box is explained on its page:\n{text}");
    let pages = pdftoppm(&pdf, &w.dir.path().join("arabic"), 100);
    assert!(pages.iter().all(|p| std::fs::metadata(p).unwrap().len() > 5_000));

    // A client whose file needs no fallback face gets none, and no note.
    let plain = v.records_mut().add_client(ClientInput::with_full_name("Jörg Müller-Größ")).unwrap();
    let (_, pdf) = v.documents().render_client_file(plain).unwrap();
    let pdf = save(w.dir.path(), "plain.pdf", &pdf);
    let fonts = pdffonts(&pdf);
    assert_eq!(fonts.lines().filter(|l| l.contains("NotoSans")).count(), 2, "{fonts}");
    assert!(!pdftotext(&pdf).contains("Zeichen ohne Schrift"));
}

#[test]
fn emergency_kit_holds_the_key_and_what_to_do() {
    let w = World::new();
    let (mut v, key) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let pdf = save(w.dir.path(), "kit.pdf", &v.documents().emergency_kit(&key).unwrap());
    let text = pdftotext(&pdf);
    let groups: Vec<&str> = key.split('-').collect();
    assert!(text.contains("Notfallblatt") && text.contains("Praxis Müller-Größ") && text.contains(v.id()), "{text}");
    for g in groups {
        assert!(text.contains(g), "group {g} missing in\n{text}");
    }
    assert_eq!(pdf_pages(&pdf), 1);
    let en = tresor::export::emergency_kit_pdf("Practice", "vault-1", &key, Language::En).unwrap();
    assert!(pdftotext(&save(w.dir.path(), "kit-en.pdf", &en)).contains("Emergency kit"));
}

#[test]
fn a_long_invoice_continues_on_more_pages() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::DE);
    let mut c = ClientInput::with_full_name("Viele Termine");
    (c.street, c.postal_code, c.city) = ("Lindwurmstraße 3".into(), "80337".into(), "München".into());
    let c = v.records_mut().add_client(c).unwrap();
    for i in 0..80 {
        billable_session(&mut v, c, date(2025, 1, 1).checked_add(jiff::Span::new().days(i * 4)).unwrap(), 10000);
    }
    let id = v.billing_mut().draft_invoice(c, None, Some(date(2025, 12, 31))).unwrap()[0];
    let number = v.billing_mut().issue_invoice(id, Some(date(2026, 1, 5))).unwrap();
    let pdf = save(w.dir.path(), "long.pdf", &v.documents_mut().render_invoice(&number, InvoiceFormat::Pdf).unwrap());
    let pages = pdf_pages(&pdf);
    assert!(pages >= 3, "{pages} pages");
    let text = pdftotext(&pdf);
    assert_eq!(text.matches("Sitzung").count(), 80, "every session once:\n{text}");
    assert!(text.contains("8.000,00 €") && text.contains(&format!("{pages} / {pages}")));
    assert_eq!(pdftoppm(&pdf, &w.dir.path().join("long"), 50).len(), pages);
}

#[test]
fn the_journal_keeps_each_exempt_mode_in_its_own_column() {
    use tresor::billing::{InvoiceKind, InvoiceStatus, RateTotal, Totals};
    use tresor::export::reports::{journal_xlsx, Heading, JournalRow};
    let w = World::new();
    let row = |number: &str, tax: TaxMode, net: i64| JournalRow {
        number: number.into(),
        kind: InvoiceKind::Invoice,
        issue_date: date(2026, 3, 31),
        recipient: "Bärbel Größ".into(),
        client: "Bärbel Größ".into(),
        totals: Totals {
            per_rate: vec![RateTotal { tax, net: Cents::new(net), tax_amount: Cents::ZERO, gross: Cents::new(net) }],
            net: Cents::new(net),
            tax: Cents::ZERO,
            gross: Cents::new(net),
        },
        status: InvoiceStatus::Open,
        paid_on: None,
        link: None,
    };
    let rows = [row("2026-0001", TaxMode::AtExempt, 9000), row("2026-0002", TaxMode::AtSmallBusiness, 5000)];
    let h =
        Heading { title: "Rechnungsausgangsbuch", practice: "Praxis", from: date(2026, 1, 1), to: date(2026, 12, 31) };
    let loc = tresor::export::Locale::new(Language::De, Country::AT);
    let cells = openpyxl_cells(&save(w.dir.path(), "j.xlsx", &journal_xlsx(&h, &rows, &loc).unwrap()));
    let sheet = cells.as_object().unwrap();
    let at = |c: &str| &sheet[&format!("Rechnungsausgangsbuch!{c}")];
    assert_eq!(at("F4")["raw"], "Netto steuerfrei Z 19");
    assert_eq!(at("G4")["raw"], "Netto Kleinunternehmer Z 27");
    assert_eq!((cents(&at("F5")["value"]), cents(&at("G5")["value"])), (9000, 0));
    assert_eq!((cents(&at("F6")["value"]), cents(&at("G6")["value"])), (0, 5000));
}
