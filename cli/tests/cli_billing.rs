//! The billing commands of the CLI: the whole flow with --json, exports that refuse to overwrite
//! or to write half a file, and gapless numbering while the process is killed at random.

mod common;

use std::process::Stdio;
use std::time::Instant;

use common::*;

/// A vault made by the CLI with a complete practice and one client with two sessions.
fn world_with_sessions() -> (World, String) {
    let w = World::new();
    w.init();
    w.viennese_practice();
    let c = id_of(&w.json(&[
        "client",
        "add",
        "--name",
        "Bärbel Größ",
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
fn invoice_flow_through_the_cli() {
    let (w, c) = world_with_sessions();
    let drafts = w.json(&["invoice", "draft", "--client", &c, "--to", "2026-03-31"]);
    let id = drafts[0]["id"].as_str().unwrap().to_string();
    assert!(drafts[0]["number"].is_null());
    w.json(&["invoice", "item", &id, "--text", "Befundbericht", "--cents", "105456"]);
    let issued = w.json(&["invoice", "issue", &id, "--date", "2026-03-31"]);
    assert_eq!(issued["number"], "2026-0001");
    assert_eq!(issued["id"], id.as_str());

    let out = w.run(&["invoice", "item", &id, "--text", "nachträglich", "--cents", "100"]);
    assert_eq!(code(&out), 6, "an issued invoice refuses a new line: {}", String::from_utf8_lossy(&out.stderr));

    let paid = w.json(&["invoice", "pay", "2026-0001", "--amount", "234,56", "--date", "2026-04-02"]);
    assert_eq!(paid["status"], "partly_paid");
    assert_eq!(paid["due_cents"], 100000);
    let shown = w.json(&["invoice", "show", "2026-0001"]);
    assert_eq!(shown["invoice"]["totals"]["gross"], 123456);
    let list = w.json(&["invoice", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);

    let dir = w.dir.path().join("out");
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("2026-0001.pdf");
    let xlsx = dir.join("2026-0001.xlsx");
    let (p, x) = (pdf.to_string_lossy().into_owned(), xlsx.to_string_lossy().into_owned());
    w.json(&["invoice", "export", "2026-0001", "--pdf", &p, "--xlsx", &x]);
    assert!(pdftotext(&pdf).contains("1.234,56 €"));
    let before = std::fs::read(&pdf).unwrap();

    // An existing file is kept unless --force.
    let again = w.run(&["--json", "invoice", "export", "2026-0001", "--pdf", &p]);
    assert_eq!(code(&again), 7);
    let err: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(err["error"]["code"], "export.exists");
    assert_eq!(std::fs::read(&pdf).unwrap(), before);
    w.json(&["invoice", "export", "2026-0001", "--pdf", &p, "--force"]);

    // An unwritable place is a clear error and leaves nothing behind.
    let nowhere = w.dir.path().join("missing").join("x.pdf");
    let bad = w.run(&["--json", "invoice", "export", "2026-0001", "--pdf", &nowhere.to_string_lossy()]);
    assert_eq!(code(&bad), 7);
    let err: serde_json::Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(err["error"]["code"], "export.failed");
    assert_eq!(err["error"]["params"]["path"], nowhere.to_string_lossy().as_ref());
    assert!(!nowhere.exists());
    let names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names.len(), 2, "only the two exports, no temp files: {names:?}");

    let hn = dir.join("hn.pdf");
    w.json(&["invoice", "honorarnote", "2026-0001", "--pdf", &hn.to_string_lossy()]);
    assert!(pdftotext(&hn).contains("Honorarnote zur Einreichung"));

    // The receipt for the payment; no e-invoice for a person, with its reason and exit code 6.
    let receipt = dir.join("receipt.pdf");
    w.json(&["invoice", "receipt", "2026-0001", "--pdf", &receipt.to_string_lossy()]);
    assert!(pdftotext(&receipt).contains("Betrag dankend erhalten"));
    let xr = dir.join("x.xml");
    let out = w.run(&["--json", "invoice", "export", "2026-0001", "--xrechnung", &xr.to_string_lossy()]);
    assert_eq!(code(&out), 6);
    let err: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (err["error"]["code"].as_str(), err["error"]["params"]["reason"].as_str()),
        (Some("einvoice.not_applicable"), Some("consumer"))
    );
    assert!(!xr.exists(), "nothing written");

    let s = w.json(&["invoice", "settings", "--default-interest", "true"]);
    assert_eq!(s["default_interest"], true);
    let letters = w.json(&["dunning", "run", "--date", "2026-04-20"]);
    assert_eq!(letters[0]["level"], 1);
    let letter = dir.join("mahnung.pdf");
    w.json(&["dunning", "letter", "2026-0001", "--pdf", &letter.to_string_lossy()]);
    let text = pdftotext(&letter).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Zahlungserinnerung") && text.contains("4 % pro Jahr (§ 1000 Abs. 1 ABGB)"), "{text}");

    let cancelled = w.json(&["invoice", "cancel", "2026-0001", "--reason", "Falscher Betrag", "--redraft"]);
    assert_eq!(cancelled["number"], "2026-0002");
    assert!(cancelled["redraft"].is_string());

    for (kind, extra) in [("journal", vec![]), ("revenue", vec![]), ("protocol", vec!["--client", c.as_str()])] {
        let x = dir.join(format!("{kind}.xlsx"));
        let p = dir.join(format!("{kind}.pdf"));
        let mut args = vec!["report", kind, "--from", "2026-01-01", "--to", "2026-12-31"];
        args.extend(extra);
        let (xs, ps) = (x.to_string_lossy().into_owned(), p.to_string_lossy().into_owned());
        args.extend(["--xlsx", xs.as_str(), "--pdf", ps.as_str()]);
        w.json(&args);
        assert!(openpyxl_cells(&x).as_object().is_some_and(|m| !m.is_empty()));
        assert!(pdf_pages(&p) >= 1);
    }

    let j = dir.join("client.json");
    let cp = dir.join("client.pdf");
    w.json(&["client", "export", &c, "--json-file", &j.to_string_lossy(), "--pdf", &cp.to_string_lossy()]);
    let file: serde_json::Value = serde_json::from_slice(&std::fs::read(&j).unwrap()).unwrap();
    assert_eq!(file["invoices"].as_array().unwrap().len(), 3);

    assert_eq!(std::fs::read_dir(w.tmp()).unwrap().count(), 0, "nothing may be written to the temp folder");
}

#[test]
fn kit_prints_the_recovery_key_from_the_environment() {
    let w = World::new();
    let key = w.init();
    let pdf = w.dir.path().join("kit.pdf");
    let out = w.cli().env("TRESOR_RECOVERY_KEY", &key).args(["--json", "kit", "--pdf"]).arg(&pdf).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = pdftotext(&pdf);
    assert!(text.contains(key.split('-').next().unwrap()));
    let wrong = w
        .cli()
        .env("TRESOR_RECOVERY_KEY", "nonsense")
        .args(["kit", "--pdf"])
        .arg(w.dir.path().join("k2.pdf"))
        .output()
        .unwrap();
    assert_ne!(code(&wrong), 0);
    // A well-formed key of another vault is refused too: the kit must open this vault's data.
    let other = World::new().init();
    let k3 = w.dir.path().join("k3.pdf");
    let foreign = w.cli().env("TRESOR_RECOVERY_KEY", &other).args(["kit", "--pdf"]).arg(&k3).output().unwrap();
    assert_eq!(code(&foreign), 3, "{}", String::from_utf8_lossy(&foreign.stderr));
    assert!(!k3.exists());
}

/// Issues drafts one by one while killing the CLI (SIGKILL) at random moments: afterwards the
/// issued numbers are exactly 1..n — no gap, no duplicate — and every draft is either issued
/// with a number or still a draft without one.
#[test]
fn numbering_stays_gapless_when_the_process_is_killed() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, tresor::domain::Country::AT);
    let n_clients = 24;
    for i in 0..n_clients {
        let c = v
            .records_mut()
            .add_client(tresor::domain::ClientInput::with_full_name(&format!("Klient Nummer{i}")))
            .unwrap();
        billable_session(&mut v, c, jiff::civil::date(2026, 2, 3), 9000);
    }
    let drafts = v.billing_mut().draft_month("2026-02").unwrap().drafted;
    assert_eq!(drafts.len(), n_clients);
    drop(v);

    // How long one issue takes, to spread the kills over the whole run of the process.
    let issue = |id: &str| {
        w.cli()
            .args(["--json", "invoice", "issue", id, "--date", "2026-02-28"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let t = Instant::now();
    assert!(issue(&drafts[0].to_string()).wait().unwrap().success());
    let typical = t.elapsed();

    let mut seed: u64 = 0x5eed;
    let mut next = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        seed >> 33
    };
    let mut killed = 0;
    for id in &drafts[1..] {
        let mut child = issue(&id.to_string());
        let delay = typical.mul_f64((next() % 1000) as f64 / 800.0);
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            let _ = child.kill();
            killed += 1;
        }
        let _ = child.wait();
        // Half the killed drafts are retried, as a user would.
        if next() % 2 == 0 {
            let _ = issue(&id.to_string()).wait();
        }
    }
    assert!(killed > 3, "only {killed} runs were killed; the test proves little");

    let v = w.open_vault().unwrap();
    assert!(v.verify().unwrap().database.is_ok());
    let mut numbers: Vec<i64> = Vec::new();
    for id in &drafts {
        let inv = v.billing().invoice(*id).unwrap();
        match &inv.number {
            Some(n) => {
                assert!(inv.issue_date.is_some() && inv.snapshot.is_some(), "{n} is half issued");
                numbers.push(n.strip_prefix("2026-").unwrap().parse().unwrap());
            }
            None => assert!(inv.issue_date.is_none()),
        }
    }
    numbers.sort();
    let expected: Vec<i64> = (1..=numbers.len() as i64).collect();
    assert_eq!(numbers, expected, "gap or duplicate after {killed} kills");
    let issued_total =
        v.billing().invoices(&tresor::store::InvoiceQuery { issued: true, ..Default::default() }).unwrap().len();
    assert_eq!(issued_total, numbers.len());
}
