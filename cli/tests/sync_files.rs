//! Moving the data folder, backups, and kill -9 while the data folder is being written.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use common::*;
use secrecy::SecretString;
use tresor::domain::client::ClientInput;
use tresor::sync::mover::{move_with, Step};
use tresor::{Unlock, Vault};

fn filled_vault(w: &World, clients: usize) -> Vec<tresor::domain::ClientId> {
    let (mut v, _) = w.create_vault();
    let ids = (0..clients)
        .map(|i| v.records_mut().add_client(ClientInput::with_full_name(&format!("Jörg Nummer{i}"))).unwrap())
        .collect();
    v.lock().unwrap();
    ids
}

#[test]
fn moving_the_data_folder_interrupted_at_every_step_leaves_a_working_vault() {
    let w = World::new();
    let ids = filled_vault(&w, 3);
    let n_files = files_below(&w.data()).len();
    assert!(n_files >= 3);
    let target = w.dir.path().join("OneDrive").join("Tresor");

    let fail_at = |step: Step, at: usize| {
        let mut seen = 0;
        move_with(&w.data(), &target, &mut |s, _| {
            if s == step {
                if seen == at {
                    return Err(std::io::Error::from(std::io::ErrorKind::StorageFull));
                }
                seen += 1;
            }
            Ok(())
        })
    };
    for step in [Step::Copy, Step::Verify] {
        for at in 0..n_files {
            assert!(fail_at(step, at).is_err(), "{step:?}/{at} did not fail");
            assert!(!target.exists() || files_below(&target).is_empty(), "{step:?}/{at}: half a copy remained");
            let v = w.open_vault().unwrap();
            assert!(v.verify().unwrap().sound(), "{step:?}/{at}");
            assert!(v.records().client(ids[2]).is_ok());
        }
    }
    // Cut off while removing the old folder: the new one is complete and verified by then, the
    // old one keeps its header until last, and running the move again finishes it.
    assert!(fail_at(Step::RemoveOld, 1).is_err());
    assert!(w.data().join("vault.key").exists(), "the header must go last");
    let v = Vault::open_in(&target, &w.home(), Unlock::Password(&SecretString::from(PASSWORD))).unwrap();
    assert!(v.records().client(ids[0]).is_ok() && v.verify().unwrap().sound());
    drop(v);
    move_with(&w.data(), &target, &mut |_, _| Ok(())).unwrap();
    assert!(!w.data().exists());
}

#[test]
fn a_completed_move_switches_folders_and_a_full_disk_changes_nothing() {
    let w = World::new();
    let ids = filled_vault(&w, 2);
    // A target that cannot be created (a file stands where its parent folder should be).
    let blocker = w.dir.path().join("blocker");
    std::fs::write(&blocker, b"x").unwrap();
    let before = files_below(&w.data());
    let out = w.run(&["move", "--to", blocker.join("Tresor").to_str().unwrap()]);
    assert_ne!(code(&out), 0);
    assert_eq!(before, files_below(&w.data()), "a failed move changed the old folder");

    let target = w.dir.path().join("Dropbox").join("Tresor");
    let out = w.run(&["move", "--to", target.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!w.data().join("vault.key").exists());
    let v = Vault::open_in(&target, &w.home(), Unlock::Password(&SecretString::from(PASSWORD))).unwrap();
    assert!(v.records().client(ids[1]).is_ok());
    assert!(v.verify().unwrap().sound());
}

#[test]
fn restore_from_backup_equals_the_original() {
    let w = World::new();
    filled_vault(&w, 5);
    let backups = w.dir.path().join("backups");
    for _ in 0..4 {
        w.json(&["backup", "--to-dir", backups.to_str().unwrap(), "--keep", "3"]);
        std::thread::sleep(Duration::from_millis(5));
    }
    let files: Vec<_> = files_below(&backups);
    assert_eq!(files.len(), 3, "rotation keeps three");
    let newest = files.iter().map(|(p, _)| p.clone()).max().unwrap();
    for (_, bytes) in &files {
        assert!(!contains(bytes, "Nummer".as_bytes()), "a backup holds plaintext");
    }

    let restored = w.dir.path().join("restored");
    let out =
        w.cli().env("TRESOR_VAULT", &restored).args(["restore", "--from", newest.to_str().unwrap()]).output().unwrap();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let original = w.open_vault().unwrap();
    let other_home = w.dir.path().join("other-home");
    let copy = Vault::open_in(&restored, &other_home, Unlock::Password(&SecretString::from(PASSWORD))).unwrap();
    assert_eq!(original.store().read().canonical_dump().unwrap(), copy.store().read().canonical_dump().unwrap());
    drop(copy);

    // Wrong password, truncated or altered backups are refused and leave no folder behind.
    let bytes = std::fs::read(&newest).unwrap();
    let cases: Vec<(&str, Vec<u8>, i32)> = vec![
        ("truncated", bytes[..bytes.len() - 100].to_vec(), 5),
        (
            "altered",
            {
                let mut b = bytes.clone();
                let i = b.len() - 50;
                b[i] ^= 1;
                b
            },
            5,
        ),
        ("foreign", b"PK\x03\x04 a zip".to_vec(), 5),
    ];
    for (name, data, want) in cases {
        let f = w.dir.path().join(format!("{name}.tresor-backup"));
        std::fs::write(&f, data).unwrap();
        let dest = w.dir.path().join(format!("restore-{name}"));
        let out = w.cli().env("TRESOR_VAULT", &dest).args(["restore", "--from", f.to_str().unwrap()]).output().unwrap();
        assert_eq!(code(&out), want, "{name}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(!dest.join("vault.key").exists(), "{name}");
    }
    let dest = w.dir.path().join("restore-wrong-pw");
    let out = w
        .cli()
        .env("TRESOR_VAULT", &dest)
        .env("TRESOR_PASSWORD", "wrong password!")
        .args(["restore", "--from", newest.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(code(&out), 3);
}

#[test]
fn kill_9_while_writing_the_data_folder_never_leaves_a_half_file_in_use() {
    let w = World::new();
    w.init();
    let key = w.json(&["key", "show-raw"]);
    assert!(key["raw_key"].is_string());
    // Each round kills a command at a different moment: during the demo's batches, its final
    // segments and snapshot, a backup, a password change (header) and a sync (lease).
    let rounds: &[(&[&str], u64)] = &[
        (&["demo", "--clients", "100", "--sessions", "12000", "--seed", "3"], 900),
        (&["demo", "--clients", "100", "--sessions", "6000", "--seed", "4"], 1600),
        (&["backup", "--to", "BACKUP"], 150),
        (&["passwd"], 400),
        (&["sync"], 100),
        (&["demo", "--clients", "20", "--sessions", "3000", "--seed", "5"], 2500),
    ];
    let backup = w.dir.path().join("backup.tresor-backup");
    for (args, after_ms) in rounds {
        let args: Vec<&str> = args.iter().map(|a| if *a == "BACKUP" { backup.to_str().unwrap() } else { a }).collect();
        let mut child = w
            .cli()
            .env("TRESOR_NEW_PASSWORD", PASSWORD)
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout).lines().map_while(Result::ok).filter(|l| l.starts_with("saved:")).count()
        });
        std::thread::sleep(Duration::from_millis(*after_ms));
        let _ = child.kill();
        child.wait().unwrap();
        let _ = reader.join();

        // Whatever was cut off: the vault opens, verifies, and every file in use is whole.
        let out = w.run(&["verify"]);
        assert_eq!(code(&out), 0, "{args:?}: {}", String::from_utf8_lossy(&out.stdout));
        let header = std::fs::read(w.data().join("vault.key")).unwrap();
        assert!(header.ends_with(b"}\n"), "{args:?}: vault.key is partial");
        if backup.exists() {
            let dest = w.dir.path().join(format!("r{after_ms}"));
            let out = w
                .cli()
                .env("TRESOR_VAULT", &dest)
                .args(["restore", "--from", backup.to_str().unwrap()])
                .output()
                .unwrap();
            assert_eq!(code(&out), 0, "a backup file that exists must be whole");
        }
    }
    // Killed processes wrote nothing half; what they committed locally goes out with the next
    // clean sync, and a second computer starting from this folder merges every segment in it.
    w.json(&["sync"]);
    let status = w.json(&["status"]);
    assert!(!status["devices"].as_array().unwrap().is_empty());
    let other_home = w.dir.path().join("second");
    let v = Vault::open_in(&w.data(), &other_home, Unlock::Password(&SecretString::from(PASSWORD))).unwrap();
    let sync = v.last_sync().unwrap().as_ref().unwrap();
    assert!(sync.unreadable.is_empty(), "unreadable segments after kills: {:?}", sync.unreadable);
    let here = w.open_vault().unwrap();
    assert_eq!(here.store().read().stats().unwrap().clients, v.store().read().stats().unwrap().clients);
}

#[test]
fn segments_everyone_has_applied_are_compacted() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    for i in 0..3 {
        v.records_mut().add_client(ClientInput::with_full_name(&format!("A B{i}"))).unwrap();
        v.sync_now().unwrap();
    }
    let log = w.data().join("log").join(&v.device().id);
    let before = std::fs::read_dir(&log).unwrap().count();
    assert!(before >= 3);
    // A second device (same folder, own working copy) applies them and says so in its lease.
    let other_home = w.dir.path().join("second");
    let mut v2 = Vault::open_in(&w.data(), &other_home, Unlock::Password(&SecretString::from(PASSWORD))).unwrap();
    v2.sync_now().unwrap();
    // Not covered by a snapshot yet: nothing may go.
    let now = std::time::Duration::ZERO;
    assert_eq!(v.compact_segments_older_than(now).unwrap(), 0);
    // One snapshot holds them, but the one a new computer falls back to does not.
    v.snapshot_now().unwrap();
    assert_eq!(v.compact_segments_older_than(now).unwrap(), 0);
    v.records_mut().add_client(ClientInput::with_full_name("A B3")).unwrap();
    v.sync_now().unwrap();
    v2.sync_now().unwrap();
    v.snapshot_now().unwrap();
    let removed = v.compact_segments_older_than(now).unwrap();
    assert_eq!(removed, before, "every segment in both snapshots went, the newest stayed");
    // Within the grace time nothing goes, whatever else holds.
    assert_eq!(v.compact_segments().unwrap(), 0);
    drop(v2);
    // A third computer starts from the snapshot and still has everything.
    let third = Vault::open_in(&w.data(), &w.dir.path().join("third"), Unlock::Password(&SecretString::from(PASSWORD)))
        .unwrap();
    assert_eq!(third.store().read().stats().unwrap().clients, 4);
}

#[test]
fn the_cli_says_when_another_computer_has_the_vault_open() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    v.sync_now().unwrap();
    // Another computer: same data folder, its own working copy.
    let out = w.cli().env("TRESOR_HOME", w.dir.path().join("laptop")).args(["client", "list"]).output().unwrap();
    assert_eq!(code(&out), 0);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("also open on {}", v.device().name)), "{err}");
    // Once it is locked, nobody is mentioned.
    v.lock().unwrap();
    let out = w.cli().env("TRESOR_HOME", w.dir.path().join("laptop")).args(["client", "list"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("also open"));
}
