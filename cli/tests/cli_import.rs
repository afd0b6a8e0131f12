//! `tresor import`: a small `;` CSV in Windows-1252 with one bad row, as a dry run (a table of
//! every row, nothing changed) and for real (the good rows saved, the bad one named by row and
//! reason), then again (duplicates); a mapping given with --map; a bad mapping's exit code.

mod common;

use common::*;

const CLIENTS: &[u8] = b"Nachname;Vorname;Geburtsdatum;Ort\r\n\
    M\xfcller;Anna;03.02.1985;Wien\r\n\
    Huber;Bernd;31.02.1990;Graz\r\n\
    Gruber;Clara;;Linz\r\n";

#[test]
fn import_a_german_csv_dry_run_then_for_real_then_again() {
    let w = World::new();
    w.init();
    let file = save(&w.tmp(), "Klienten.csv", CLIENTS);
    let file = file.to_str().unwrap();

    let out = w.run(&["import", "clients", file, "--dry-run"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Anna Müller"), "{text}");
    assert!(
        text.lines().any(|l| l.trim_start().starts_with("3  rejected") && l.contains("birth_date: bad_date")),
        "{text}"
    );
    assert!(text.contains("2 row(s) would be imported") && text.contains("Nothing was changed"), "{text}");
    assert_eq!(w.json(&["stats"])["clients"], 0, "the dry run saved something");

    let r = w.json(&["import", "clients", file]);
    assert_eq!((r["imported"].as_u64(), r["rejected_rows"].as_u64()), (Some(2), Some(1)));
    assert_eq!(
        r["preview"]["rejected"][0],
        serde_json::json!({"row": 3, "field": "birth_date", "reason": "invalid", "problem": "bad_date"})
    );
    assert_eq!(w.json(&["stats"])["clients"], 2);
    let journal = w.json(&["journal", "--limit", "5"]);
    assert_eq!(
        journal.as_array().unwrap().iter().filter(|e| e["entity"] == "client" && e["op"] == "create").count(),
        2
    );

    let again = w.json(&["import", "clients", file]);
    assert_eq!((again["imported"].as_u64(), again["skipped_duplicates"].as_u64()), (Some(0), Some(2)));
    assert_eq!(w.json(&["stats"])["clients"], 2);
}

#[test]
fn a_mapping_on_the_command_line_and_a_wrong_one() {
    let w = World::new();
    w.init();
    let file = save(&w.tmp(), "x.csv", b"Wer,Seit\nAnna Huber,01.01.1990\n");
    let file = file.to_str().unwrap();
    let out = w.run(&["--json", "import", "clients", file, "--dry-run"]);
    assert_eq!(code(&out), 2);
    let e: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(e["error"]["code"], "import.mapping_incomplete");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--map"));

    let out = w.run(&["--json", "import", "clients", file, "--map", "family_name=Nobody"]);
    assert_eq!(code(&out), 2);
    let e: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(e["error"]["code"], "import.unknown_column");
    let out = w.run(&["--json", "import", "clients", file, "--map", "colour=Wer"]);
    assert_eq!(code(&out), 2);
    let e: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (e["error"]["code"].as_str(), e["error"]["params"]["name"].as_str()),
        (Some("import.unknown_field"), Some("colour"))
    );
    let r = w.json(&["import", "clients", file, "--map", "family_name=Wer"]);
    assert_eq!(r["imported"], 1);
}
