//! Issue 16 through the CLI: `calendar export` (a file, refusing to overwrite; a folder with
//! its fixed file), `stats --year/--client`, `client update --approved-sessions`, and
//! `report … --anonymous` whose XLSX (openpyxl) and PDF (pdftotext) name no client.

mod common;

use common::*;

fn world() -> (World, String) {
    let w = World::new();
    w.init();
    w.viennese_practice();
    let c = id_of(&w.json(&[
        "client",
        "add",
        "--name",
        "Bärbel Kranewitter",
        "--code-name",
        "BG-1",
        "--street",
        "Lindengasse 5",
        "--postal-code",
        "1070",
        "--city",
        "Wien",
    ]));
    for d in ["2026-03-02", "2026-03-09"] {
        w.json(&["session", "add", "--client", &c, "--date", d, "--minutes", "50", "--fee-cents", "9000"]);
    }
    (w, c)
}

#[test]
fn calendar_export_writes_a_file_once_and_a_folder_again_and_again() {
    let (w, c) = world();
    w.json(&[
        "appointment",
        "add",
        "--client",
        &c,
        "--start",
        "2026-03-02 09:00",
        "--weekly",
        "1",
        "--until",
        "2026-04-27",
        "--note",
        "Geheime Notiz",
    ]);
    let file = w.dir.path().join("praxis.ics");
    let f = file.to_str().unwrap();
    let out = w.json(&["calendar", "export", "--to", f, "--from", "2026-03-01", "--to-date", "2026-04-30"]);
    assert_eq!(out["ics"], f);
    let bytes = std::fs::read(&file).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.contains("SUMMARY:BG-1") && text.contains("RRULE:FREQ=WEEKLY"), "{text}");
    for secret in ["Bärbel", "Kranewitter", "Geheime Notiz"] {
        assert!(!text.contains(secret), "{secret} in the .ics");
    }
    let again = w.run(&["calendar", "export", "--to", f]);
    assert_eq!(code(&again), 7, "an existing file is kept: {}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(std::fs::read(&file).unwrap(), bytes);
    let bad = w.run(&["calendar", "export", "--to", f, "--force", "--from", "2026-05-01", "--to-date", "2026-04-01"]);
    assert_eq!(code(&bad), 2);
    assert_eq!(std::fs::read(&file).unwrap(), bytes, "a refused export changes nothing");

    let dir = w.dir.path().join("abo");
    std::fs::create_dir(&dir).unwrap();
    for _ in 0..2 {
        let out = w.json(&["calendar", "export", "--to", dir.to_str().unwrap()]);
        assert_eq!(out["ics"], dir.join("tresor.ics").to_str().unwrap());
    }
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

#[test]
fn stats_give_the_series_and_the_contingent_left() {
    let (w, c) = world();
    w.json(&["client", "update", &c, "--approved-sessions", "20"]);
    let s = w.json(&["stats", "--year", "2026", "--client", &c, "--anonymous"]);
    assert_eq!(s["year"], 2026);
    assert_eq!(s["months"][2]["period"]["sessions"], 2);
    assert_eq!(s["months"][2]["period"]["minutes"], 100);
    assert_eq!(s["clients"][0]["label"], "BG-1");
    assert_eq!(s["clients"][0]["sessions_left"], 18);
    assert_eq!(s["clients"][0]["last_session"], "2026-03-09");
    let human = w.run(&["stats", "--year", "2026"]);
    assert_eq!(code(&human), 0);
    assert!(String::from_utf8_lossy(&human.stdout).contains("Bärbel Kranewitter"));
    // Without --year or --client: the record counts, as before.
    assert_eq!(w.json(&["stats"])["sessions"], 2);
    let bad = w.run(&["client", "update", &c, "--approved-sessions", "zwanzig"]);
    assert_eq!(code(&bad), 2);
}

#[test]
fn anonymous_reports_name_no_client_in_xlsx_or_pdf() {
    let (w, c) = world();
    let drafts = w.json(&["invoice", "draft", "--client", &c, "--to", "2026-03-31"]);
    let id = drafts[0]["id"].as_str().unwrap().to_string();
    w.json(&["invoice", "issue", &id, "--date", "2026-03-31"]);
    let dir = w.dir.path();
    for kind in ["journal", "protocol", "revenue"] {
        let xlsx = dir.join(format!("{kind}.xlsx"));
        let pdf = dir.join(format!("{kind}.pdf"));
        w.json(&[
            "report",
            kind,
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--xlsx",
            xlsx.to_str().unwrap(),
            "--pdf",
            pdf.to_str().unwrap(),
            "--anonymous",
        ]);
        let cells = openpyxl_cells(&xlsx).to_string();
        let text = pdftotext(&pdf);
        for name in ["Bärbel", "Kranewitter"] {
            assert!(!cells.contains(name), "{name} in the {kind} workbook: {cells}");
            assert!(!text.contains(name), "{name} in the {kind} PDF:\n{text}");
        }
        if kind != "revenue" {
            assert!(cells.contains("BG-1") && text.contains("BG-1"), "{kind}: the code name instead:\n{text}");
        }
    }
    // Without --anonymous the journal names the client (so the test above can fail).
    let pdf = dir.join("named.pdf");
    w.json(&["report", "journal", "--from", "2026-01-01", "--to", "2026-12-31", "--pdf", pdf.to_str().unwrap()]);
    assert!(pdftotext(&pdf).contains("Bärbel Kranewitter"));
}
