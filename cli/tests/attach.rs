//! `tresor attach` as a user drives it: add to a client and a session, list, get into a file
//! (never replacing one unasked), delete; bad input and a damaged file with their exit codes.

mod common;

use common::*;

fn session(w: &World, client: &str) -> String {
    id_of(&w.json(&[
        "session",
        "add",
        "--client",
        client,
        "--date",
        "2026-11-01",
        "--minutes",
        "50",
        "--fee-cents",
        "8000",
    ]))
}

#[test]
fn attach_add_list_get_delete() {
    let w = World::new();
    w.init();
    let c = id_of(&w.json(&["client", "add", "--name", "Bärbel Größ"]));
    let s = session(&w, &c);
    let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let src = save(&w.tmp(), "Einverständnis Größ.pdf", &bytes);
    let a = id_of(&w.json(&["attach", "add", &c, src.to_str().unwrap()]));
    let b = id_of(&w.json(&["attach", "add", &c, src.to_str().unwrap(), "--session", &s, "--keep-days", "30"]));

    let list = w.json(&["attach", "list", &c]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["id"], b.as_str(), "newest first");
    assert_eq!(list[0]["session_id"], s.as_str());
    assert!(list[0]["expires_at"].is_string());
    assert_eq!(list[1]["name"], "Einverständnis Größ.pdf");
    assert_eq!(list[1]["size"], 200_000);
    assert_eq!(list[1]["media_type"], "application/pdf");
    assert!(list[1].get("file").is_none(), "the file's name in the folder is not shown");
    let human = w.run(&["attach", "list", &c]);
    assert!(String::from_utf8_lossy(&human.stdout).contains("Einverständnis Größ.pdf"));

    let to = w.tmp().join("kopie.pdf");
    w.json(&["attach", "get", &a, "--to", to.to_str().unwrap()]);
    assert_eq!(std::fs::read(&to).unwrap(), bytes);
    std::fs::write(&to, b"meins").unwrap();
    let out = w.run(&["attach", "get", &a, "--to", to.to_str().unwrap()]);
    assert_eq!(code(&out), 7, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read(&to).unwrap(), b"meins", "not replaced unasked");
    w.json(&["attach", "get", &a, "--to", to.to_str().unwrap(), "--force"]);
    assert_eq!(std::fs::read(&to).unwrap(), bytes);

    w.json(&["attach", "delete", &a]);
    assert_eq!(w.json(&["attach", "list", &c]).as_array().unwrap().len(), 1);
    let out = w.run(&["--json", "attach", "get", &a, "--to", w.tmp().join("x.pdf").to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    assert!(String::from_utf8_lossy(&out.stdout).contains("record.not_found"));
    // Nothing in the data folder names the file or holds its bytes.
    for (path, content) in files_below(&w.data()) {
        assert!(!path.to_string_lossy().contains("Einverst"), "{}", path.display());
        assert!(!contains(&content, &bytes[1000..1100]), "{}", path.display());
    }
}

#[test]
fn attach_refuses_bad_input_and_reports_a_damaged_file() {
    let w = World::new();
    w.init();
    let c = id_of(&w.json(&["client", "add", "--name", "Jürgen Müller"]));
    let src = save(&w.tmp(), "brief.txt", b"Sehr geehrter Herr M\xc3\xbcller");
    let err = |args: &[&str], exit: i32, code_text: &str| {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = w.run(&all);
        assert_eq!(code(&out), exit, "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains(code_text), "{args:?}");
    };
    err(&["attach", "add", "kein-client", src.to_str().unwrap()], 1, "record.not_found");
    err(&["attach", "add", &c, w.tmp().join("fehlt.pdf").to_str().unwrap()], 1, "io.failed");
    let big = w.tmp().join("aufnahme.wav");
    std::fs::File::create(&big).unwrap().set_len(tresor::domain::attachment::MAX_BYTES + 1).unwrap();
    err(&["attach", "add", &c, big.to_str().unwrap()], 2, "attachment.too_large");
    assert!(w.json(&["attach", "list", &c]).as_array().unwrap().is_empty(), "nothing was attached");

    let id = id_of(&w.json(&["attach", "add", &c, src.to_str().unwrap()]));
    let file = std::fs::read_dir(w.data().join("attachments")).unwrap().next().unwrap().unwrap().path();
    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&file, &bytes).unwrap();
    let to = w.tmp().join("brief-kopie.txt");
    err(&["attach", "get", &id, "--to", to.to_str().unwrap()], 5, "attachment.damaged");
    assert!(!to.exists());
    std::fs::remove_file(&file).unwrap();
    err(&["attach", "get", &id, "--to", to.to_str().unwrap()], 1, "attachment.missing");
    // The rest of the vault works on.
    assert_eq!(w.json(&["client", "show", &c])["client"]["family_name"], "Müller");
}
