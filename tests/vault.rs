//! The vault through the public API, on real SQLCipher files in temp dirs.

mod common;

use std::time::{Duration, Instant};

use common::*;
use secrecy::SecretString;
use tresor::crypto::{KdfParams, RecoveryKey};
use tresor::domain::client::ClientInput;
use tresor::{CreateOptions, Error, Unlock, Vault};

fn snapshot_of_all(w: &World) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut all = files_below(&w.data());
    all.extend(files_below(&w.home()));
    all
}

#[test]
fn create_open_with_password_and_with_recovery_key() {
    let w = World::new();
    let (mut v, key) = w.create_vault();
    let id = v.records_mut().add_client(ClientInput::with_full_name("Jörg Größ")).unwrap();
    v.lock().unwrap();

    let v = w.open_vault().unwrap();
    assert_eq!(v.records().client(id).unwrap().data.family_name, "Größ");
    drop(v);
    let rk = RecoveryKey::parse(&key).unwrap();
    let v = Vault::open_in(&w.data(), &w.home(), Unlock::RecoveryKey(&rk)).unwrap();
    assert_eq!(v.records().client(id).unwrap().data.given_name, "Jörg");
}

#[test]
fn wrong_password_is_a_typed_error_and_writes_nothing() {
    let w = World::new();
    let (v, _) = w.create_vault();
    v.lock().unwrap();
    let before = snapshot_of_all(&w);
    let err =
        Vault::open_in(&w.data(), &w.home(), Unlock::Password(&SecretString::from("wrong password"))).unwrap_err();
    assert!(matches!(err, Error::WrongSecret), "{err}");
    assert_eq!(err.code(), "vault.wrong_secret");
    // Only this computer's count of wrong tries (and the lock that orders them) is written,
    // in the local working folder; the data folder and the working copy are untouched.
    let after = snapshot_of_all(&w);
    let unlock_files = |f: &&(std::path::PathBuf, Vec<u8>)| {
        let name = f.0.file_name().unwrap().to_string_lossy();
        f.0.starts_with(w.home()) && (name == "unlock-attempts.json" || name == "unlock.lock")
    };
    assert_eq!(after.iter().filter(unlock_files).count(), 2, "{:?}", after.iter().map(|f| &f.0).collect::<Vec<_>>());
    let rest: Vec<_> = after.iter().filter(|f| !unlock_files(f)).cloned().collect();
    assert_eq!(before, rest);
}

#[test]
fn password_change_rewraps_and_recovery_key_keeps_working() {
    let w = World::new();
    let (mut v, key) = w.create_vault();
    let db_before = std::fs::read(v.working_dir().database()).unwrap();
    let t = Instant::now();
    v.change_password(&SecretString::from("a brand new secret")).unwrap();
    eprintln!("password change took {:?} (two KDF runs at the floor)", t.elapsed());
    // Only the header changed: the database was not re-encrypted.
    assert_eq!(db_before, std::fs::read(v.working_dir().database()).unwrap());
    drop(v);

    assert!(matches!(w.open_vault(), Err(Error::WrongSecret)));
    std::thread::sleep(tresor::vault::unlock_delay_after(1));
    let new = SecretString::from("a brand new secret");
    Vault::open_in(&w.data(), &w.home(), Unlock::Password(&new)).unwrap();
    let rk = RecoveryKey::parse(&key).unwrap();
    Vault::open_in(&w.data(), &w.home(), Unlock::RecoveryKey(&rk)).unwrap();
}

#[test]
fn recovery_key_sets_a_new_password() {
    let w = World::new();
    let (v, key) = w.create_vault();
    drop(v);
    let rk = RecoveryKey::parse(&key).unwrap();
    Vault::reset_password(&w.data(), &rk, &SecretString::from("after recovery")).unwrap();
    assert!(matches!(w.open_vault(), Err(Error::WrongSecret)));
    std::thread::sleep(tresor::vault::unlock_delay_after(1));
    let pw = SecretString::from("after recovery");
    Vault::open_in(&w.data(), &w.home(), Unlock::Password(&pw)).unwrap();

    let wrong = RecoveryKey::generate().unwrap();
    let err = Vault::reset_password(&w.data(), &wrong, &SecretString::from("whatever long")).unwrap_err();
    assert!(matches!(err, Error::WrongSecret));
}

#[test]
fn short_passwords_are_refused() {
    let w = World::new();
    let opts = CreateOptions { kdf_target: Duration::ZERO, local_root: Some(w.home()), ..Default::default() };
    let err = Vault::create(&w.data(), &SecretString::from("short"), &opts).unwrap_err();
    assert_eq!(err.code(), "record.invalid");
    assert!(!w.data().join("vault.key").exists());
}

#[test]
fn a_second_open_of_the_same_vault_is_refused() {
    let w = World::new();
    let (v, _) = w.create_vault();
    assert!(matches!(w.open_vault(), Err(Error::InUse)));
    drop(v);
    w.open_vault().unwrap();
}

#[test]
fn a_new_computer_restores_the_working_copy_from_the_newest_snapshot() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let id = v.records_mut().add_client(ClientInput::with_full_name("Anna Öztürk")).unwrap();
    v.lock().unwrap();

    let other_home = w.dir.path().join("second-computer");
    let v2 = Vault::open_in(&w.data(), &other_home, Unlock::Password(&SecretString::from(PASSWORD))).unwrap();
    assert_eq!(v2.records().client(id).unwrap().data.family_name, "Öztürk");
    assert!(v2.working_dir().database().starts_with(&other_home));
    assert!(!v2.working_dir().database().starts_with(w.data()));
}

#[test]
fn small_edits_write_segments_not_snapshots() {
    let w = World::new();
    let (v, _) = w.create_vault();
    assert!(!v.is_dirty().unwrap());
    let count = || std::fs::read_dir(w.data().join("snapshots")).unwrap().count();
    let n = count();
    v.lock().unwrap();
    let mut v = w.open_vault().unwrap();
    v.lock().unwrap();
    assert_eq!(count(), n, "an unchanged vault took a snapshot");

    for i in 0..5 {
        let mut v2 = w.open_vault().unwrap();
        v2.records_mut().add_client(ClientInput::with_full_name(&format!("Client {i}"))).unwrap();
        assert!(!v2.snapshot_due().unwrap(), "a snapshot is due after {i} small edits");
        v2.lock().unwrap();
    }
    assert_eq!(count(), n, "small edits wrote full snapshots");
    // An explicit snapshot is always written; only the newest few of this computer are kept.
    v = w.open_vault().unwrap();
    for _ in 0..3 {
        v.snapshot_now().unwrap();
        v.records_mut().add_client(ClientInput::with_full_name("One More")).unwrap();
    }
    assert_eq!(count(), tresor::vault::snapshot::KEEP_PER_DEVICE);
    assert!(v.verify().unwrap().sound());
}

#[test]
fn header_damage_is_classified_and_changes_nothing() {
    let w = World::new();
    let (v, _) = w.create_vault();
    v.lock().unwrap();
    let header_path = w.data().join("vault.key");
    let good = std::fs::read(&header_path).unwrap();
    let text = String::from_utf8(good.clone()).unwrap();

    let other = World::new();
    let (ov, _) = other.create_vault();
    ov.lock().unwrap();
    let other_header = std::fs::read(other.data().join("vault.key")).unwrap();

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated", good[..good.len() / 3].to_vec(), "vault.header_truncated"),
        ("empty", Vec::new(), "vault.header_truncated"),
        ("garbled", text.replacen("argon2id", "argon2ix", 1).into_bytes(), "vault.header_corrupt"),
        ("foreign", b"SQLite format 3\0 not ours".to_vec(), "vault.header_foreign"),
        ("newer", text.replace("\"version\": 1", "\"version\": 2").into_bytes(), "vault.header_unsupported_version"),
        ("other vault", other_header, "vault.header_other_vault"),
    ];
    for (name, bytes, want) in cases {
        std::fs::write(&header_path, &bytes).unwrap();
        let before = snapshot_of_all(&w);
        let err = w.open_vault().unwrap_err();
        assert_eq!(err.code(), want, "{name}: {err}");
        assert!(err.is_damaged_data(), "{name}");
        assert_eq!(before, snapshot_of_all(&w), "{name} changed files");
    }
    std::fs::write(&header_path, &good).unwrap();
    w.open_vault().unwrap();
}

#[test]
fn a_working_database_from_another_vault_is_refused() {
    let w = World::new();
    let (v, _) = w.create_vault();
    let mine = v.working_dir().database();
    v.lock().unwrap();
    let other = World::new();
    let (ov, _) = other.create_vault();
    let theirs = ov.working_dir().database();
    ov.lock().unwrap();
    std::fs::copy(&theirs, &mine).unwrap();
    // The key is proven by vault.key, so a working copy it cannot read is this computer's
    // damage (`tresor repair` rebuilds it from the data folder, which is not affected).
    let err = w.open_vault().unwrap_err();
    assert_eq!(err.code(), "vault.working_copy_damaged", "{err}");
}

#[test]
fn calibration_targets_the_unlock_time_and_respects_the_floor() {
    let w = World::new();
    let opts = CreateOptions { local_root: Some(w.home()), ..Default::default() };
    let (v, _) = Vault::create(&w.data(), &SecretString::from(PASSWORD), &opts).unwrap();
    let p = v.kdf_params();
    assert!(p.m_kib >= KdfParams::FLOOR.m_kib && p.t >= KdfParams::FLOOR.t);
    drop(v);
    let t = Instant::now();
    w.open_vault().unwrap();
    eprintln!("unlock with calibrated params {p:?}: {:?}", t.elapsed());
}

/// A damaged `device.json` (in this computer's working folder) is a damaged working copy, not a
/// damaged database, and `repair` mends it: this computer goes on under a new identity, the
/// records are all there.
#[test]
fn a_damaged_device_file_is_a_damaged_working_copy_that_repair_mends() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    v.records_mut().add_client(ClientInput::with_full_name("Bärbel Größ")).unwrap();
    drop(v);
    let (path, _) = files_below(&w.home()).into_iter().find(|(p, _)| p.ends_with("device.json")).expect("device.json");
    std::fs::write(&path, b"{ not json").unwrap();
    let e = w.open_vault().unwrap_err();
    assert_eq!(e.code(), "vault.working_copy_damaged", "{e}");
    let pw = SecretString::from(PASSWORD);
    let (v, report) = Vault::repair_in(&w.data(), &w.home(), Unlock::Password(&pw), false).unwrap();
    assert!(report.new_device);
    assert_eq!(v.records().clients(&Default::default()).unwrap().1, 1);
}
