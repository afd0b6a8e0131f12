//! `tresor retention …` and `tresor client restrict|unrestrict`, black-box: the delete rule with
//! its exit code and hint, restriction hiding a client, erasure with and without a reason, the
//! log, the period, and an appointment note that expires.

mod common;

use common::*;

fn client_with_session(w: &World, name: &str, date: &str) -> String {
    let c = id_of(&w.json(&["client", "add", "--name", name]));
    w.json(&[
        "session",
        "add",
        "--client",
        &c,
        "--date",
        date,
        "--minutes",
        "50",
        "--fee-cents",
        "9000",
        "--note",
        "Notiz",
    ]);
    c
}

#[test]
fn delete_restrict_erase_and_the_log_through_the_cli() {
    let w = World::new();
    w.init();
    let kept = client_with_session(&w, "Kira Kept", "2025-03-01");
    let old = client_with_session(&w, "Otto Old", "2010-03-01");

    // Inside retention: refused, exit 6, the hint names both ways out, nothing deleted.
    let out = w.run(&["client", "delete", &kept]);
    assert_eq!(code(&out), 6, "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2035-03-01") && err.contains("restrict") && err.contains("--reason"), "{err}");
    assert_eq!(w.json(&["client", "list"])["total"], 2);

    let due = w.json(&["retention", "list"]);
    let due: Vec<&str> = due.as_array().unwrap().iter().map(|i| i["client_id"].as_str().unwrap()).collect();
    assert_eq!(due, vec![old.as_str()]);

    w.json(&["client", "restrict", &kept]);
    assert_eq!(w.json(&["client", "list"])["total"], 1);
    assert_eq!(w.json(&["client", "list", "--restricted"])["total"], 1);
    assert_eq!(code(&w.run(&["client", "update", &kept, "--city", "Graz"])), 6);
    w.json(&["client", "unrestrict", &kept]);
    assert_eq!(w.json(&["client", "list"])["total"], 2);

    // Erasure inside retention needs a reason.
    assert_eq!(code(&w.run(&["retention", "erase", &kept])), 6);
    w.json(&["retention", "erase", &old]);
    w.json(&["retention", "erase", &kept, "--reason", "Widerruf"]);
    let log = w.json(&["retention", "log"]);
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!((log[0]["reason"].as_str(), log[0]["early"].as_bool()), (Some("Widerruf"), Some(true)));
    assert_eq!((log[1]["reason"].as_str(), log[1]["early"].as_bool()), (Some(""), Some(false)));
    assert_eq!(w.json(&["client", "list"])["total"], 0);

    // The period is the practice's.
    assert_eq!(w.json(&["retention", "policy", "--years", "12"])["years"], 12);
    assert_eq!(code(&w.run(&["retention", "policy", "--years", "0"])), 2);
    assert_eq!(w.json(&["retention", "policy"])["years"], 12);
}

#[test]
fn a_note_lifetime_is_set_refused_out_of_range_and_cleared() {
    let w = World::new();
    w.init();
    let c = id_of(&w.json(&["client", "add", "--name", "Nora Note"]));
    let added = w.json(&["appointment", "add", "--client", &c, "--start", "2026-03-02 09:00", "--note", "Rückruf"]);
    let a = id_of(&added);
    let set = w.json(&["retention", "note-lifetime", &a, "--days", "30"]);
    let expires: jiff::Timestamp = set["expires"].as_str().expect("an instant").parse().unwrap();
    let days = (expires - jiff::Timestamp::now()).get_seconds() / 86_400;
    assert!((29..=30).contains(&days), "{days} days");
    // Ten years at most, one day at least: refused, and the lifetime stays.
    for bad in ["0", "3651"] {
        assert_eq!(code(&w.run(&["retention", "note-lifetime", &a, "--days", bad])), 2, "--days {bad}");
    }
    let listed = || w.json(&["appointment", "list", "--from", "2026-03-01", "--to", "2026-03-31"]);
    let expiry = |list: serde_json::Value| list.to_string().contains(set["expires"].as_str().unwrap());
    assert!(expiry(listed()), "the list shows the lifetime: {}", listed());
    assert!(w.json(&["retention", "note-lifetime", &a, "--clear"])["expires"].is_null());
    assert!(!expiry(listed()), "cleared: {}", listed());
}

#[test]
fn the_tax_adviser_for_the_access_file_is_a_practice_field() {
    let w = World::new();
    w.init();
    let p = w.json(&["practice", "set", "--tax-adviser", "Steuerkanzlei Huber, Ring 1, 1010 Wien"]);
    assert_eq!(p["tax_adviser"], "Steuerkanzlei Huber, Ring 1, 1010 Wien");
    // Two lines are refused by name (exit 2) and change nothing.
    let out = w.run(&["practice", "set", "--tax-adviser", "Kanzlei\nRing 1"]);
    assert_eq!(code(&out), 2, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tax_adviser"));
    assert_eq!(w.json(&["practice", "show"])["tax_adviser"], "Steuerkanzlei Huber, Ring 1, 1010 Wien");
}
