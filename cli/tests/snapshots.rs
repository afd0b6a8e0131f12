//! Snapshots in the data folder: checked before they are trusted, written and pruned without
//! harming another computer's work, and a restored backup shows what was restored.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use secrecy::SecretString;
use tresor::domain::client::ClientInput;
use tresor::store::ClientQuery;
use tresor::{Error, Unlock, Vault};

fn pw() -> SecretString {
    SecretString::from(PASSWORD)
}

fn open_at(folder: &Path, home: &Path) -> tresor::Result<Vault> {
    Vault::open_in(folder, home, Unlock::Password(&pw()))
}

fn snapshot_files(folder: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(folder.join("snapshots"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// A name in the snapshot scheme, `secs` seconds from now.
fn snapshot_name(vault: &str, secs: i64, device: &str, seq: i64) -> String {
    let t = jiff::Timestamp::now().checked_add(jiff::SignedDuration::from_secs(secs)).unwrap();
    let z = t.to_zoned(jiff::tz::TimeZone::UTC);
    format!("{vault}_{}{:03}Z_{device}_{seq}.tresor-snapshot", z.strftime("%Y%m%dT%H%M%S"), z.millisecond())
}

fn names(v: &Vault) -> Vec<String> {
    v.records().clients(&ClientQuery::default()).unwrap().0.into_iter().map(|c| c.family_name).collect()
}

/// A vault with one client, locked; returns its id.
fn vault_with_client(w: &World, name: &str) -> String {
    let (mut v, _) = w.create_vault();
    v.records_mut().add_client(ClientInput::with_full_name(name)).unwrap();
    let id = v.id().to_string();
    v.lock().unwrap();
    id
}

fn leftover_temps(dir: &Path) -> Vec<PathBuf> {
    files_below(dir).into_iter().map(|(p, _)| p).filter(|p| p.to_string_lossy().contains(".tresor-tmp-")).collect()
}

#[test]
fn a_damaged_newest_snapshot_is_passed_over_for_the_newest_good_one() {
    let other = World::new();
    let other_id = vault_with_client(&other, "Fremd Vault");
    let foreign = snapshot_files(&other.data()).pop().unwrap();

    type Damage = Box<dyn Fn(&Path) -> Vec<u8>>;
    let kinds: Vec<(&str, Damage)> = vec![
        ("truncated", Box::new(|good: &Path| std::fs::read(good).unwrap()[..6000].to_vec())),
        ("cut at a page boundary", Box::new(|good: &Path| std::fs::read(good).unwrap()[..4096 * 8].to_vec())),
        (
            "last page missing",
            Box::new(|good: &Path| {
                let b = std::fs::read(good).unwrap();
                b[..b.len() - 4096].to_vec()
            }),
        ),
        ("random", Box::new(|_: &Path| (0..40_000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect())),
        ("zero-byte", Box::new(|_: &Path| Vec::new())),
        ("foreign", Box::new(move |_: &Path| std::fs::read(&foreign).unwrap())),
    ];
    for (kind, bytes) in kinds {
        let w = World::new();
        let id = vault_with_client(&w, "Anna Öztürk");
        assert_ne!(id, other_id);
        let good = snapshot_files(&w.data()).pop().unwrap();
        let bad = w.data().join("snapshots").join(snapshot_name(&id, 60, "0192aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee", 99));
        std::fs::write(&bad, bytes(&good)).unwrap();

        let home = w.dir.path().join("new-computer");
        let v = open_at(&w.data(), &home).unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(names(&v), vec!["Öztürk"], "{kind}");
        assert!(v.verify().unwrap().database.is_ok(), "{kind}");
        drop(v);
        assert!(leftover_temps(&home).is_empty(), "{kind}: {:?}", leftover_temps(&home));
        // Later opens work too, also once the bad file is gone.
        std::fs::remove_file(&bad).unwrap();
        assert_eq!(names(&open_at(&w.data(), &home).unwrap()), vec!["Öztürk"], "{kind}");
    }
}

#[test]
fn when_no_snapshot_is_good_no_working_copy_is_left_behind() {
    let w = World::new();
    vault_with_client(&w, "Anna Öztürk");
    let snaps = snapshot_files(&w.data());
    let saved: Vec<(PathBuf, Vec<u8>)> = snaps.iter().map(|p| (p.clone(), std::fs::read(p).unwrap())).collect();
    for p in &snaps {
        std::fs::write(p, b"not a database at all").unwrap();
    }
    let folder_before = files_below(&w.data());
    let home = w.dir.path().join("new-computer");
    let err = open_at(&w.data(), &home).unwrap_err();
    assert_eq!(err.code(), "vault.no_good_snapshot", "{err}");
    assert!(err.to_string().contains(&snaps.len().to_string()), "{err}");
    assert_eq!(files_below(&w.data()), folder_before, "the data folder was changed");
    assert!(
        files_below(&home).iter().all(|(p, _)| !p.ends_with("tresor.db")),
        "a working copy was left: {:?}",
        files_below(&home).iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    assert!(leftover_temps(&home).is_empty());
    // Once a good snapshot is back, the same computer opens.
    for (p, b) in saved {
        std::fs::write(p, b).unwrap();
    }
    assert_eq!(names(&open_at(&w.data(), &home).unwrap()), vec!["Öztürk"]);
}

#[test]
fn a_computer_removes_only_its_own_temp_files() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let dir = w.data().join("snapshots");
    let theirs = dir.join(format!(
        ".tresor-tmp-0123456789ab-{}",
        snapshot_name(v.id(), 0, "0192aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee", 7)
    ));
    let mine = dir.join(format!(".tresor-tmp-ba9876543210-{}", snapshot_name(v.id(), -60, &v.device().id, 1)));
    std::fs::write(&theirs, b"another computer's snapshot in progress").unwrap();
    std::fs::write(&mine, b"left by an interrupted snapshot of ours").unwrap();
    v.snapshot_now().unwrap();
    assert!(theirs.exists(), "another computer's temp file was removed");
    assert!(!mine.exists(), "our own leftover stayed");
}

#[test]
fn two_computers_writing_snapshots_at_the_same_time_both_succeed() {
    let w = World::new();
    let (mut a, _) = w.create_vault();
    for i in 0..300 {
        a.records_mut().add_client(ClientInput::with_full_name(&format!("Klient Nummer{i}"))).unwrap();
    }
    a.sync_now().unwrap();
    let mut b = open_at(&w.data(), &w.dir.path().join("b-home")).unwrap();
    let ta = std::thread::spawn(move || {
        (0..6).map(|_| a.snapshot_now().map(|_| ()).map_err(|e| e.to_string())).collect::<Vec<_>>()
    });
    let tb = std::thread::spawn(move || {
        (0..6).map(|_| b.snapshot_now().map(|_| ()).map_err(|e| e.to_string())).collect::<Vec<_>>()
    });
    for r in ta.join().unwrap().into_iter().chain(tb.join().unwrap()) {
        assert_eq!(r, Ok(()));
    }
}

#[test]
fn a_snapshot_named_in_the_future_does_not_make_new_ones_disappear() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let me = v.device().id.clone();
    let good = snapshot_files(&w.data()).pop().unwrap();
    // Three snapshots written while this computer's clock ran a year ahead.
    for days in 365..368 {
        let name = snapshot_name(v.id(), days * 86_400, &me, 1);
        std::fs::copy(&good, w.data().join("snapshots").join(name)).unwrap();
    }
    for i in 0..3 {
        v.records_mut().add_client(ClientInput::with_full_name(&format!("Klient Nummer{i}"))).unwrap();
        let written = v.snapshot_now().unwrap();
        assert!(written.exists(), "the snapshot just written was pruned");
    }
    let backup = w.dir.path().join("b.tresor-backup");
    v.backup_to(&backup, false).unwrap();
    v.lock().unwrap();
    // A new computer sees every client.
    let v2 = open_at(&w.data(), &w.dir.path().join("new")).unwrap();
    assert_eq!(names(&v2).len(), 3);
}

#[test]
fn restoring_a_backup_on_the_same_computer_shows_what_was_restored() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    v.records_mut().add_client(ClientInput::with_full_name("Vor Sicherung")).unwrap();
    let backup = w.dir.path().join("b.tresor-backup");
    v.backup_to(&backup, false).unwrap();
    v.records_mut().add_client(ClientInput::with_full_name("Nach Sicherung")).unwrap();
    v.lock().unwrap();

    let restored = w.dir.path().join("restored");
    tresor::vault::backup::restore(&backup, &restored, Unlock::Password(&pw())).unwrap();
    for _ in 0..2 {
        let r = open_at(&restored, &w.home()).unwrap();
        let n = r.records().clients(&ClientQuery::default()).unwrap().0.len();
        assert_eq!(n, 1, "the restored folder shows the current state");
        r.lock().unwrap();
    }
    // The original folder keeps its own working copy and state.
    let o = open_at(&w.data(), &w.home()).unwrap();
    assert_eq!(o.records().clients(&ClientQuery::default()).unwrap().0.len(), 2);
    let _ = Error::NoSnapshot;
}

/// Opens a working copy with the stock settings and the raw key, as `sqlcipher` would.
fn raw_conn(db: &Path, key_hex: &str) -> rusqlite::Connection {
    let c = rusqlite::Connection::open(db).unwrap();
    c.execute_batch(&format!("PRAGMA key = \"x'{key_hex}'\"; {}", tresor::store::cipher_settings_sql())).unwrap();
    c
}

/// Overwrites 64 bytes in the middle of page `page` (1-based, 4 KiB pages).
fn damage_page(db: &Path, page: u64) {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new().write(true).open(db).unwrap();
    f.seek(SeekFrom::Start((page - 1) * 4096 + 1500)).unwrap();
    f.write_all(&[0xA5; 64]).unwrap();
    f.sync_all().unwrap();
}

/// A vault with a client in the data folder and one more that only this computer's working
/// copy holds (the process ended without locking). Returns the raw key.
fn vault_with_unexported_change(w: &World) -> String {
    let (mut v, _) = w.create_vault();
    v.records_mut().add_client(ClientInput::with_full_name("Anna Gesichert")).unwrap();
    let key = v.raw_key_hex().to_string();
    v.lock().unwrap();
    let mut v = w.open_vault().unwrap();
    v.records_mut().add_client(ClientInput::with_full_name("Berta Ungesichert")).unwrap();
    drop(v);
    let wal = working_db(w).with_file_name("tresor.db-wal");
    assert!(!wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0, "the WAL was not folded in");
    key
}

fn working_db(w: &World) -> PathBuf {
    let dir = std::fs::read_dir(w.home().join("vaults")).unwrap().next().unwrap().unwrap().path();
    dir.join("tresor.db")
}

#[test]
fn a_damaged_working_copy_is_named_and_rebuilt_from_the_data_folder() {
    let w = World::new();
    vault_with_unexported_change(&w);
    let db = working_db(&w);
    damage_page(&db, 1);

    let err = w.open_vault().unwrap_err();
    assert_eq!(err.code(), "vault.working_copy_damaged", "{err}");
    let out = w.run(&["client", "list"]);
    assert_eq!(code(&out), 5);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("tresor repair") && stderr.contains("not affected"), "{stderr}");
    assert!(!stderr.contains("Nothing was changed"), "{stderr}");

    let out = w.run(&["--json", "repair"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["rebuilt"], true);
    // The damaged copy could not say what it held: the report says so instead of "all safe".
    assert_eq!(r["own_changes"]["state"], "unreadable", "{r}");
    let aside = PathBuf::from(r["damaged_copy"].as_str().unwrap());
    assert!(aside.exists(), "the damaged copy was not kept");

    let v = w.open_vault().unwrap();
    assert_eq!(names(&v), vec!["Gesichert"]);
    assert!(v.verify().unwrap().sound());
    // Repairing a sound copy changes nothing.
    drop(v);
    let before = std::fs::read(&db).unwrap();
    let out = w.run(&["--json", "repair"]);
    assert_eq!(code(&out), 0);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["rebuilt"], false);
    assert_eq!(before, std::fs::read(&db).unwrap());
    // On a computer without a working copy, repair makes one and does not claim anything was lost.
    let (v, r) = Vault::repair_in(&w.data(), &w.dir.path().join("fresh"), Unlock::Password(&pw()), false).unwrap();
    assert_eq!(r.own_changes, tresor::vault::OwnChanges::NoWorkingCopy);
    assert_eq!(names(&v), vec!["Gesichert"]);
}

#[test]
fn repair_first_writes_out_what_the_damaged_copy_still_holds() {
    let w = World::new();
    let key = vault_with_unexported_change(&w);
    let db = working_db(&w);
    // Damage the journal's row index: the copy opens, but its pages no longer all check out.
    let root: i64 = raw_conn(&db, &key)
        .query_row("SELECT rootpage FROM sqlite_schema WHERE name = 'journal_row'", [], |r| r.get(0))
        .unwrap();
    damage_page(&db, root as u64);
    let v = w.open_vault().unwrap();
    let report = v.verify().unwrap();
    assert!(report.database.is_err() && report.snapshot.is_ok(), "{report:?}");
    drop(v);

    let (v, r) = Vault::repair_in(&w.data(), &w.home(), Unlock::Password(&pw()), false).unwrap();
    assert!(r.rebuilt);
    assert!(
        matches!(r.own_changes, tresor::vault::OwnChanges::Safe { written_now } if written_now >= 1),
        "{:?}",
        r.own_changes
    );
    let mut got = names(&v);
    got.sort();
    assert_eq!(got, vec!["Gesichert", "Ungesichert"]);
    assert!(v.verify().unwrap().sound());
    assert!(r.damaged_copy.unwrap().exists());
    drop(v);
    // Another computer sees the change that was only here.
    let other = open_at(&w.data(), &w.dir.path().join("other")).unwrap();
    assert_eq!(names(&other).len(), 2);
}
