//! Unlocking under attack (issue 10 items 18 and 20): wrong passwords tried in parallel run one
//! after another and each makes the next wait longer, the wait survives a restart and lives in
//! the local working folder only; the CLI process cannot be core-dumped or traced while it
//! holds the password.

mod common;

use std::fs::File;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::*;
use secrecy::SecretString;
use tresor::{Unlock, Vault};

/// The vault's local working folder (where the unlock lock and the count live).
fn working_dir(w: &World) -> std::path::PathBuf {
    let vaults = w.home().join("vaults");
    let mut dirs: Vec<_> = std::fs::read_dir(&vaults).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(dirs.len(), 1);
    dirs.pop().unwrap()
}

fn wrong(w: &World) -> Child {
    w.cli()
        .args(["--json", "client", "list"])
        .env("TRESOR_PASSWORD", "not the password")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn error_code(out: &std::process::Output) -> String {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    v["error"]["code"].as_str().unwrap_or_default().to_string()
}

#[test]
fn parallel_wrong_passwords_run_one_at_a_time_and_each_makes_the_next_wait() {
    let w = World::new();
    drop(w.create_vault());
    let tries: Vec<Child> = (0..4).map(|_| wrong(&w)).collect();
    let outs: Vec<_> = tries.into_iter().map(|c| c.wait_with_output().unwrap()).collect();
    let codes: Vec<String> = outs.iter().map(error_code).collect();
    assert!(outs.iter().all(|o| code(o) == 3), "every refusal is 'cannot unlock': {codes:?}");
    let derived = codes.iter().filter(|c| *c == "vault.wrong_secret").count();
    assert!(derived >= 1, "{codes:?}");
    assert!(codes.iter().any(|c| c == "unlock.wait"), "tries queued behind a wrong one must wait: {codes:?}");
    // No try was lost: the count on disk is the number of passwords actually tried.
    let (failures, wait) = tresor::vault::unlock_wait_in(&w.data(), &w.home());
    assert_eq!(failures as usize, derived, "{codes:?}");
    assert!(wait > Duration::ZERO && wait <= tresor::vault::unlock_delay_after(failures));
    let waited = outs.iter().find(|o| error_code(o) == "unlock.wait").unwrap();
    let e: serde_json::Value = serde_json::from_slice(&waited.stdout).unwrap();
    assert!(e["error"]["params"]["seconds"].as_u64().unwrap() >= 1);
    assert!(String::from_utf8_lossy(&waited.stderr).contains("try again in"));
}

#[test]
fn the_wait_survives_a_restart_and_stays_on_this_computer() {
    let w = World::new();
    drop(w.create_vault());
    let pw = SecretString::from(PASSWORD);
    let bad = SecretString::from("not the password");
    assert_eq!(Vault::open_in(&w.data(), &w.home(), Unlock::Password(&bad)).unwrap_err().code(), "vault.wrong_secret");
    // A new process (a restart) is refused at once, even with the right password.
    let started = Instant::now();
    let out = w.run(&["--json", "client", "list"]);
    assert_eq!((code(&out), error_code(&out)), (3, "unlock.wait".to_string()));
    assert!(started.elapsed() < Duration::from_secs(5), "refused without deriving a key");
    // Once the wait is over, the right password opens and the count is cleared.
    std::thread::sleep(tresor::vault::unlock_delay_after(1) + Duration::from_millis(200));
    assert!(Vault::open_in(&w.data(), &w.home(), Unlock::Password(&bad)).is_err());
    assert_eq!(tresor::vault::unlock_wait_in(&w.data(), &w.home()).0, 2, "the count grows");
    std::thread::sleep(tresor::vault::unlock_delay_after(2) + Duration::from_millis(200));
    drop(Vault::open_in(&w.data(), &w.home(), Unlock::Password(&pw)).unwrap());
    assert_eq!(tresor::vault::unlock_wait_in(&w.data(), &w.home()), (0, Duration::ZERO));
    // The count and the lock are local: nothing about tries reaches the synced data folder.
    let in_data: Vec<_> = files_below(&w.data()).into_iter().map(|(p, _)| p).collect();
    assert!(in_data.iter().all(|p| !p.to_string_lossy().contains("unlock")), "{in_data:?}");
    assert!(working_dir(&w).join("unlock.lock").is_file());
}

#[cfg(target_os = "linux")]
#[test]
fn the_cli_holding_a_password_cannot_be_core_dumped_or_traced() {
    use fs_lock::*;
    let w = World::new();
    drop(w.create_vault());
    // Hold the unlock lock, so the CLI waits there with the password already in memory.
    let lock = hold(&working_dir(&w).join("unlock.lock"));
    let mut child = w
        .cli()
        .args(["client", "list"])
        .env("TRESOR_TEST_REPORT_HARDENING", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let limits = format!("/proc/{}/limits", child.id());
    let deadline = Instant::now() + Duration::from_secs(20);
    let core = loop {
        let text = std::fs::read_to_string(&limits).unwrap();
        let line = text.lines().find(|l| l.starts_with("Max core file size")).unwrap().to_string();
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields[4..6] == ["0", "0"] || Instant::now() > deadline {
            break line;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(child.try_wait().unwrap().is_none(), "still waiting at the lock");
    assert!(core.split_whitespace().skip(4).take(2).all(|f| f == "0"), "{core}");
    drop(lock);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report = stderr.lines().find_map(|l| l.strip_prefix("hardening ")).expect("the test report");
    let h: serde_json::Value = serde_json::from_str(report).unwrap();
    assert_eq!(h["dumpable"], false, "{report}");
    assert_eq!(h["core_limit"], serde_json::json!([0, 0]), "{report}");
}

#[cfg(target_os = "linux")]
mod fs_lock {
    use super::File;

    pub fn hold(path: &std::path::Path) -> File {
        let f = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(path).unwrap();
        f.lock().unwrap();
        f
    }
}
