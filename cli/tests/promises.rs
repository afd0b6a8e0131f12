//! The promises, tested end to end through the CLI: nothing readable on disk, and nothing the
//! CLI reported as saved is lost when it is killed mid-write.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use common::*;

const M: &str = "Zqx7";

fn marker(field: &str) -> String {
    format!("{M}{field}")
}

/// Fills every field of every record kind with a marker and runs every CLI command once.
fn fill_with_markers(w: &World) -> Vec<String> {
    let mut markers = Vec::new();
    let mut m = |f: &str| {
        let s = marker(f);
        markers.push(s.clone());
        s
    };
    let practice: Vec<String> = vec![
        "--name".into(),
        m("Practitioner"),
        "--title".into(),
        m("Title"),
        "--profession".into(),
        m("Profession"),
        "--registration-number".into(),
        m("Registration"),
        "--practice-name".into(),
        m("PracticeÜberName"),
        "--address".into(),
        m("Street"),
        "--postal-code".into(),
        m("Postal"),
        "--city".into(),
        m("City"),
        "--phone".into(),
        m("Phone"),
        "--email".into(),
        format!("{}@example.at", m("mail")),
        "--tax-number".into(),
        m("TaxNo"),
        // A UID is checked to its check digit (schema 5), so it cannot carry a marker.
        "--vat-id".into(),
        "ATU13585627".into(),
        "--bank".into(),
        m("Bank"),
        "--iban".into(),
        "AT611904300234573201".into(),
    ];
    let mut args = vec!["practice", "set"];
    args.extend(practice.iter().map(String::as_str));
    w.json(&args);

    let client_fields: Vec<String> = vec![
        "--given-name".into(),
        m("Gïven"),
        "--family-name".into(),
        m("Fämily"),
        "--code-name".into(),
        m("Code"),
        "--email".into(),
        format!("{}@example.at", m("cmail")),
        "--phone".into(),
        m("CPhone"),
        "--street".into(),
        m("CStreet"),
        "--postal-code".into(),
        m("CPostal"),
        "--city".into(),
        m("CCity"),
        "--country".into(),
        m("CCountry"),
        "--insurer".into(),
        m("Insurer"),
        "--insurance-number".into(),
        m("InsNo"),
        "--diagnosis".into(),
        format!("F32.1 {}", m("Diagnose")),
        "--guardian".into(),
        m("Guardian"),
        "--bill-to".into(),
        m("BillTo"),
        "--notes".into(),
        m("FreeNotes"),
        "--birth-date".into(),
        "1979-12-24".into(),
    ];
    let mut args = vec!["client", "add"];
    args.extend(client_fields.iter().map(String::as_str));
    let client = id_of(&w.json(&args));
    w.json(&["client", "update", &client, "--notes", &m("UpdatedNotes")]);

    let service = id_of(&w.json(&[
        "service",
        "add",
        "--name",
        &m("Service"),
        "--code",
        &m("SvcCode"),
        "--minutes",
        "50",
        "--price-cents",
        "9000",
    ]));
    let link = format!("https://video.example/{}", m("Link"));
    let appt = id_of(&w.json(&[
        "appointment",
        "add",
        "--client",
        &client,
        "--start",
        "2026-12-01 10:00",
        "--service",
        &service,
        "--kind",
        "video",
        "--link",
        &link,
        "--note",
        &m("ApptNote"),
    ]));
    w.json(&[
        "appointment",
        "add",
        "--client",
        &client,
        "--start",
        "2026-12-08 10:00",
        "--weekly",
        "1",
        "--count",
        "3",
        "--note",
        &m("SeriesNote"),
    ]);
    w.json(&["appointment", "status", &appt, "no-show"]);
    let session = id_of(&w.json(&[
        "session",
        "add",
        "--client",
        &client,
        "--appointment",
        &appt,
        "--note",
        &format!("{} Prüfungsangst", m("Doku")),
    ]));
    w.json(&["session", "revise", &session, "--note", &format!("{} Schlafstörung", m("Revision"))]);

    for args in [
        vec!["practice", "show"],
        vec!["client", "list"],
        vec!["client", "show", &client],
        vec!["service", "list"],
        vec!["appointment", "list", "--from", "2026-11-01", "--to", "2026-12-31"],
        vec!["session", "list", "--client", &client],
        vec!["session", "show", &session],
        vec!["search", &marker("Revision")],
        vec!["search", &marker("Fämily")],
        vec!["journal"],
        vec!["stats"],
        vec!["verify"],
        vec!["snapshot"],
        vec!["key", "show-raw"],
    ] {
        w.json(&args);
    }
    let out = w.cli().env("TRESOR_NEW_PASSWORD", PASSWORD).args(["passwd"]).output().unwrap();
    assert_eq!(code(&out), 0);
    markers
}

/// Starts a long demo, lets it report `batches` saved batches, then SIGKILLs it.
/// Returns the last progress it reported.
fn demo_killed_after(w: &World, batches: usize) -> (u64, u64) {
    let mut child = w
        .cli()
        .args(["demo", "--clients", "300", "--sessions", "40000", "--seed", &batches.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut last = (0, 0);
    let mut seen = 0;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        // "saved: C clients, S sessions, A appointments"
        if let Some(rest) = line.strip_prefix("saved: ") {
            let nums: Vec<u64> = rest.split(|c: char| !c.is_ascii_digit()).filter_map(|s| s.parse().ok()).collect();
            last = (nums[0], nums[1]);
            seen += 1;
            if seen == batches {
                break;
            }
        }
    }
    // SIGKILL: no destructor, no final snapshot, a transaction possibly half-written.
    child.kill().unwrap();
    child.wait().unwrap();
    last
}

fn stats(w: &World) -> (u64, u64) {
    let s = w.json(&["stats"]);
    (s["clients"].as_u64().unwrap(), s["sessions"].as_u64().unwrap())
}

#[test]
fn nothing_readable_on_disk_and_nothing_saved_is_lost_after_kill_9() {
    let w = World::new();
    w.init();
    let markers = fill_with_markers(&w);

    for batches in [1, 3, 6] {
        let (clients0, sessions0) = stats(&w);
        let (c, s) = demo_killed_after(&w, batches);
        assert!(c > 0, "the demo reported nothing before the kill");
        let out = w.run(&["verify"]);
        assert_eq!(code(&out), 0, "verify after kill: {}", String::from_utf8_lossy(&out.stdout));
        let (clients1, sessions1) = stats(&w);
        assert!(clients1 >= clients0 + c, "clients reported saved are missing: {clients1} < {clients0} + {c}");
        assert!(sessions1 >= sessions0 + s, "sessions reported saved are missing: {sessions1} < {sessions0} + {s}");
    }

    // The scan itself must be able to fail: a planted plaintext marker is found.
    let planted = w.tmp().join("planted");
    std::fs::write(&planted, utf16le(&markers[0])).unwrap();
    assert!(files_below(&w.tmp()).iter().any(|(_, b)| contains(b, &utf16le(&markers[0]))));
    std::fs::remove_file(&planted).unwrap();

    let mut scanned = 0;
    for root in [w.data(), w.home(), w.tmp()] {
        for (path, bytes) in files_below(&root) {
            scanned += 1;
            assert!(!bytes.starts_with(b"SQLite format 3"), "{} is a plaintext SQLite file", path.display());
            for m in &markers {
                assert!(!contains(&bytes, m.as_bytes()), "{m} in {} (UTF-8)", path.display());
                assert!(!contains(&bytes, &utf16le(m)), "{m} in {} (UTF-16)", path.display());
            }
            assert!(!contains(&bytes, "Prüfungsangst".as_bytes()), "note text in {}", path.display());
        }
    }
    assert!(scanned >= 5, "scanned only {scanned} files");
    // The data is all there, just not readable without the key.
    let found = w.json(&["search", &marker("Revision")]);
    assert_eq!(found["sessions"].as_array().unwrap().len(), 1);
}
