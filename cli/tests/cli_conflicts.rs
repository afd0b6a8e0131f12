//! `tresor status` and `tresor conflicts` when two computers changed the same field: both
//! values shown, one taken, and the choice carried to the other computer.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// The second computer: same data folder, its own working copy.
fn other(w: &World) -> std::process::Command {
    let mut c = w.cli();
    c.env("TRESOR_HOME", w.dir.path().join("home-b"));
    c
}

fn run_json(mut c: std::process::Command, args: &[&str]) -> serde_json::Value {
    let out = c.arg("--json").args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The segments a computer wrote since `before`, moved out of the folder (a sync delay).
fn hold_back(dir: &Path, before: &[PathBuf]) -> Vec<(PathBuf, Vec<u8>)> {
    let now = files_below(&dir.join("log"));
    let held: Vec<(PathBuf, Vec<u8>)> = now.into_iter().filter(|(p, _)| !before.contains(p)).collect();
    for (p, _) in &held {
        std::fs::remove_file(p).unwrap();
    }
    held
}

#[test]
fn status_lists_a_conflict_with_both_values_and_take_resolves_it_everywhere() {
    let w = World::new();
    w.init();
    let id = id_of(&w.json(&["client", "add", "--name", "Anna Huber"]));
    run_json(other(&w), &["client", "show", &id]);

    // A changes the phone; its segment is still on its way when B changes the phone too.
    let before: Vec<PathBuf> = files_below(&w.data().join("log")).into_iter().map(|(p, _)| p).collect();
    w.json(&["client", "update", &id, "--phone", "+43 1 111"]);
    let held = hold_back(&w.data(), &before);
    assert!(!held.is_empty());
    std::thread::sleep(std::time::Duration::from_millis(5));
    run_json(other(&w), &["client", "update", &id, "--phone", "+43 1 222"]);
    for (p, bytes) in held {
        std::fs::write(p, bytes).unwrap();
    }

    let out = other(&w).arg("status").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("field phone: kept \"+43 1 222\"") && text.contains("other \"+43 1 111\""), "{text}");
    assert!(text.contains("Anna Huber"), "{text}");

    let list = run_json(other(&w), &["conflicts"]);
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    let conflict = list[0]["id"].as_str().unwrap().to_string();
    assert_eq!(list[0]["other"]["value"], "+43 1 111");

    let bad = other(&w).args(["conflicts", "take", &conflict, "--value", "theirs"]).output().unwrap();
    assert_eq!(code(&bad), 2, "an unknown side is a usage error");
    let missing = other(&w).args(["conflicts", "take", "ffffffff", "--value", "other"]).output().unwrap();
    assert_ne!(code(&missing), 0);

    let taken = run_json(other(&w), &["conflicts", "take", &conflict, "--value", "other"]);
    assert_eq!(taken["resolution"], "other");
    assert_eq!(run_json(other(&w), &["client", "show", &id])["client"]["phone"], "+43 1 111");
    // The first computer merges the choice: the phone and the resolution.
    assert_eq!(w.json(&["client", "show", &id])["client"]["phone"], "+43 1 111");
    assert_eq!(w.json(&["conflicts"]).as_array().map(Vec::len), Some(0));
    let all = w.json(&["conflicts", "--all"]);
    assert_eq!(all[0]["resolution"], "other");
    let text = String::from_utf8_lossy(&w.run(&["conflicts"]).stdout).to_string();
    assert_eq!(text, "no conflicts\n");
}
