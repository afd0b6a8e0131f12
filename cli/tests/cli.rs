//! The `tresor` command line, black-box: outputs, exit codes, damaged files, interop.

mod common;

use std::process::Command;

use common::*;

#[test]
fn a_practice_day_through_the_cli() {
    let w = World::new();
    let key = w.init();
    assert_eq!(key.len(), 47, "{key}");
    w.json(&[
        "practice",
        "set",
        "--name",
        "Mag. Jörg Weiß",
        "--address",
        "Lindengasse 5",
        "--city",
        "Wien",
        "--country",
        "AT",
        "--iban",
        "AT611904300234573201",
        "--bic",
        "BKAUATWW",
        "--tax-number",
        "12 345/6789",
    ]);
    let practice = w.json(&["practice", "show"]);
    assert_eq!(practice["practitioner_name"], "Mag. Jörg Weiß");
    assert_eq!(practice["street"], "Lindengasse 5");

    let client = id_of(&w.json(&[
        "client",
        "add",
        "--name",
        "Bärbel Größ",
        "--birth-date",
        "1980-03-04",
        "--insurance-number",
        "1237 010180",
        "--diagnosis",
        "F41.1 Generalisierte Angststörung",
    ]));
    let service =
        id_of(&w.json(&["service", "add", "--name", "Einzeltherapie", "--minutes", "50", "--price-cents", "9000"]));
    let series = w.json(&[
        "appointment",
        "add",
        "--client",
        &client,
        "--start",
        "2026-11-23 09:00",
        "--service",
        &service,
        "--weekly",
        "1",
        "--count",
        "4",
    ]);
    let first = series["appointments"][0].as_str().unwrap().to_string();
    assert_eq!(series["appointments"].as_array().unwrap().len(), 4);
    let listed = w.json(&["appointment", "list", "--from", "2026-11-23", "--to", "2026-12-31"]);
    assert_eq!(listed.as_array().unwrap().len(), 4);

    let session = id_of(&w.json(&[
        "session",
        "add",
        "--client",
        &client,
        "--appointment",
        &first,
        "--note",
        "Erstgespräch, Prüfungsangst.",
    ]));
    let shown = w.json(&["session", "show", &session]);
    assert_eq!(shown["session"]["fee"], 9000);
    assert_eq!(shown["session"]["date"], "2026-11-23");
    w.json(&["session", "revise", &session, "--note", "Erstgespräch, Prüfungsangst und Schlafprobleme."]);
    let shown = w.json(&["session", "show", &session]);
    assert_eq!(shown["revisions"].as_array().unwrap().len(), 2);
    assert_eq!(shown["revisions"][0]["body"], "Erstgespräch, Prüfungsangst.");

    let found = w.json(&["search", "schlafprobleme"]);
    assert_eq!(found["sessions"][0]["session_id"], session.as_str());
    let clients = w.json(&["client", "list"]);
    assert_eq!(clients["total"], 1);
    let timeline = w.json(&["client", "show", &client]);
    assert_eq!(timeline["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(timeline["appointments"].as_array().unwrap().len(), 4);

    let out = w.run(&["verify"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
    let human = String::from_utf8(w.run(&["client", "list"]).stdout).unwrap();
    assert!(human.contains("Größ, Bärbel") && human.contains("04.03.1980"), "{human}");
}

#[test]
fn working_hours_are_set_one_day_at_a_time_and_a_wrong_day_changes_nothing() {
    let w = World::new();
    w.init();
    let p = w.json(&["practice", "set", "--hours", "tue=12:00-20:00", "--hours", "fr=frei"]);
    let days = &p["working_hours"]["days"];
    assert_eq!(days[0], serde_json::json!({ "start_minute": 480, "end_minute": 1080 }), "Monday stays");
    assert_eq!(days[1], serde_json::json!({ "start_minute": 720, "end_minute": 1200 }));
    assert!(days[4].is_null() && days[5].is_null());
    let shown = String::from_utf8(w.run(&["practice", "show"]).stdout).unwrap();
    assert!(shown.contains("Tue 12:00-20:00") && shown.contains("Fri off"), "{shown}");
    let bad = w.cli().args(["--json", "practice", "set", "--hours", "wed=18:00-09:00"]).output().unwrap();
    assert_eq!(code(&bad), 2);
    let v: serde_json::Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(v["error"]["params"]["field"], "hours_wednesday");
    assert_eq!(w.json(&["practice", "show"])["working_hours"]["days"], *days, "nothing changed");
}

#[test]
fn exit_codes_follow_the_documented_table() {
    let w = World::new();
    assert_eq!(code(&w.run(&["client", "list"])), 2, "no vault yet");
    w.init();
    assert_eq!(code(&w.run(&["init", "--kdf-ms", "0"])), 2, "vault exists");
    assert_eq!(code(&w.run(&["client", "frobnicate"])), 2);
    assert_eq!(code(&w.run(&["client", "add", "--name", "X Y", "--birth-date", "1980-02-30"])), 2);
    assert_eq!(code(&w.run(&["client", "add", "--name", "X Y", "--insurance-number", "1238010180"])), 2);
    assert_eq!(code(&w.run(&["client", "show", "01890000-0000-7000-8000-000000000000"])), 1);
    let wrong = w.cli().env("TRESOR_PASSWORD", "not the password").args(["client", "list"]).output().unwrap();
    assert_eq!(code(&wrong), 3);
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("password"));
    // A wrong password makes the next try wait (tests/unlock.rs); this one waits it out.
    std::thread::sleep(tresor::vault::unlock_delay_after(1));
    let json = w.cli().env("TRESOR_PASSWORD", "not the password").args(["--json", "client", "list"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["error"]["code"], "vault.wrong_secret");
    let typo = w
        .cli()
        .env_remove("TRESOR_PASSWORD")
        .env("TRESOR_RECOVERY_KEY", "AAAAA-AAAAA")
        .args(["client", "list"])
        .output()
        .unwrap();
    assert_eq!(code(&typo), 3);

    let help = String::from_utf8(w.run(&["--help"]).stdout).unwrap();
    for line in ["3  cannot unlock", "4  the vault is in use", "5  damaged or foreign data"] {
        assert!(help.contains(line), "--help lacks {line:?}");
    }
}

#[test]
fn a_vault_open_elsewhere_gives_exit_code_4() {
    let w = World::new();
    let (held, _) = w.create_vault();
    let out = w.run(&["client", "list"]);
    assert_eq!(code(&out), 4, "{}", String::from_utf8_lossy(&out.stderr));
    drop(held);
    assert_eq!(code(&w.run(&["client", "list"])), 0);
}

#[test]
fn damaged_header_or_database_gives_exit_code_5_and_changes_nothing() {
    let w = World::new();
    w.init();
    w.json(&["client", "add", "--name", "Anna Gruber"]);
    let header = w.data().join("vault.key");
    let good = std::fs::read(&header).unwrap();
    let all = |w: &World| {
        let mut f = files_below(&w.data());
        f.extend(files_below(&w.home()));
        f
    };

    std::fs::write(&header, &good[..good.len() - 40]).unwrap();
    let before = all(&w);
    let out = w.run(&["client", "list"]);
    assert_eq!(code(&out), 5);
    assert!(String::from_utf8_lossy(&out.stderr).contains("truncated"));
    assert_eq!(before, all(&w));

    std::fs::write(&header, &good).unwrap();
    let db = files_below(&w.home()).into_iter().find(|(p, _)| p.ends_with("tresor.db")).unwrap().0;
    let mut bytes = std::fs::read(&db).unwrap();
    assert!(bytes.len() > 8 * 4096);
    // Damage a page in the middle; page 1 stays intact so the vault opens and verify must find it.
    for b in &mut bytes[5 * 4096 + 100..5 * 4096 + 140] {
        *b ^= 0x5a;
    }
    std::fs::write(&db, &bytes).unwrap();
    let before = all(&w);
    let out = w.run(&["verify"]);
    assert_eq!(code(&out), 5, "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("FAILED"));
    assert_eq!(before, all(&w), "verify changed files");

    // Damage on page 1 is caught at open.
    bytes[100] ^= 0xff;
    std::fs::write(&db, &bytes).unwrap();
    let before = all(&w);
    let out = w.run(&["client", "list"]);
    assert_eq!(code(&out), 5, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(before, all(&w));
}

#[test]
fn password_change_and_recovery_through_the_cli() {
    let w = World::new();
    let key = w.init();
    let out = w.cli().env("TRESOR_NEW_PASSWORD", "second password!").args(["passwd"]).output().unwrap();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(code(&w.run(&["client", "list"])), 3, "old password still works");
    std::thread::sleep(tresor::vault::unlock_delay_after(1));
    let new = w.cli().env("TRESOR_PASSWORD", "second password!").args(["client", "list"]).output().unwrap();
    assert_eq!(code(&new), 0);

    let typo = key.replacen(|c: char| c.is_ascii_alphanumeric(), "U", 1);
    let out = w
        .cli()
        .env("TRESOR_RECOVERY_KEY", &typo)
        .env("TRESOR_NEW_PASSWORD", "third password!")
        .args(["recover"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 3);
    assert!(String::from_utf8_lossy(&out.stderr).contains("group 1"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = w
        .cli()
        .env("TRESOR_RECOVERY_KEY", &key)
        .env("TRESOR_NEW_PASSWORD", "third password!")
        .args(["recover"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0);
    let third = w.cli().env("TRESOR_PASSWORD", "third password!").args(["client", "list"]).output().unwrap();
    assert_eq!(code(&third), 0);
    // Unlocking with the recovery key alone works for any command.
    let rk = w
        .cli()
        .env_remove("TRESOR_PASSWORD")
        .env("TRESOR_RECOVERY_KEY", &key)
        .args(["client", "list"])
        .output()
        .unwrap();
    assert_eq!(code(&rk), 0);
}

#[test]
fn hostile_search_text_never_crashes_the_cli() {
    let w = World::new();
    w.init();
    let c = id_of(&w.json(&["client", "add", "--name", "Jürgen Müller"]));
    w.json(&[
        "session",
        "add",
        "--client",
        &c,
        "--date",
        "2026-11-01",
        "--minutes",
        "50",
        "--fee-cents",
        "8000",
        "--note",
        "Angst (sozial)",
    ]);
    for q in ["\"angst", "(sozial", "angst OR", "NEAR(", "*", "\"", ")))", "a\"b\"c"] {
        let out = w.run(&["--json", "search", q]);
        assert!(matches!(code(&out), 0 | 2), "{q:?}: {}", String::from_utf8_lossy(&out.stderr));
        if code(&out) == 2 {
            assert!(String::from_utf8_lossy(&out.stdout).contains("search.empty"), "{q:?}");
        }
    }
}

#[test]
fn the_stock_sqlcipher_tool_reads_a_snapshot_with_the_raw_key() {
    let w = World::new();
    w.init();
    w.json(&["client", "add", "--name", "Zoë Größ-Öztürk"]);
    // Small edits travel as change files; a snapshot holding them is taken on request (README).
    w.json(&["snapshot"]);
    let key = w.json(&["key", "show-raw"])["raw_key"].as_str().unwrap().to_string();
    let snap = files_below(&w.data().join("snapshots")).into_iter().map(|(p, _)| p).next_back().unwrap();
    let version = Command::new("sqlcipher").arg("-version").output();
    let Ok(version) = version else {
        panic!("the stock `sqlcipher` tool is missing: apt-get install sqlcipher");
    };
    eprintln!("stock sqlcipher {}", String::from_utf8_lossy(&version.stdout).trim());
    // SQLCipher 3.x needs only the page size; 4.x also needs the SHA-1 settings (README).
    let script = format!(
        "PRAGMA key = \"x'{key}'\";\nPRAGMA cipher_page_size = 4096;\nPRAGMA cipher_hmac_algorithm = HMAC_SHA1;\nPRAGMA cipher_kdf_algorithm = PBKDF2_HMAC_SHA1;\nSELECT given_name || '|' || family_name FROM clients;\n"
    );
    let out = Command::new("sqlcipher")
        .arg(&snap)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(script.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Zoë|Größ-Öztürk"), "stdout: {text}\nstderr: {}", String::from_utf8_lossy(&out.stderr));
}
