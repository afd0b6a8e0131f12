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

/// Issue 15: building the working copy on a second computer shows progress and can be
/// cancelled without leaving a half-built copy behind.
#[test]
fn a_new_computer_hears_the_copy_of_the_snapshot_and_can_cancel_it() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let id = v.records_mut().add_client(ClientInput::with_full_name("Anna Öztürk")).unwrap();
    v.lock().unwrap();
    let other_home = w.dir.path().join("second-computer");
    let pw = SecretString::from(PASSWORD);

    let mut heard = Vec::new();
    let cancelled = Vault::open_watched(&w.data(), &other_home, Unlock::Password(&pw), &mut |done, total| {
        heard.push((done, total));
        false
    });
    assert!(matches!(cancelled, Err(Error::Cancelled)), "{cancelled:?}");
    assert_eq!(heard.len(), 1);
    let leftovers: Vec<_> = files_below(&other_home)
        .into_iter()
        .filter(|(p, _)| p.to_string_lossy().contains("tresor.db") || p.to_string_lossy().contains(".tresor-tmp-"))
        .map(|(p, _)| p)
        .collect();
    assert!(leftovers.is_empty(), "a cancelled build leaves {leftovers:?}");

    let mut heard = Vec::new();
    let v2 = Vault::open_watched(&w.data(), &other_home, Unlock::Password(&pw), &mut |done, total| {
        heard.push((done, total));
        true
    })
    .unwrap();
    assert_eq!(v2.records().client(id).unwrap().data.family_name, "Öztürk");
    let (done, total) = *heard.last().unwrap();
    assert!(done > 0 && done == total, "{heard:?}");
    assert!(heard.windows(2).all(|p| p[0].0 < p[1].0));
    v2.lock().unwrap();
    // A computer that has its working copy builds nothing and hears nothing.
    let mut again = 0;
    Vault::open_watched(&w.data(), &other_home, Unlock::Password(&pw), &mut |_, _| {
        again += 1;
        true
    })
    .unwrap();
    assert_eq!(again, 0);
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

#[test]
fn closing_at_exit_writes_the_segment_and_the_closed_lease_and_leaves_the_snapshot_for_later() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let snapshots = || std::fs::read_dir(w.data().join("snapshots")).unwrap().count();
    let before = snapshots();
    // Enough changes that locking would take a snapshot: the segments outgrow the snapshot.
    let mut i = 0;
    while !v.snapshot_due().unwrap() {
        for _ in 0..100 {
            v.records_mut().add_client(ClientInput::with_full_name(&format!("Klientin Nummer {i}"))).unwrap();
            i += 1;
        }
        v.sync_now().unwrap();
        assert!(i < 20_000, "no snapshot became due");
    }
    let last = v.records_mut().add_client(ClientInput::with_full_name("Zuletzt Beendet")).unwrap();
    let device = v.device().id.clone();
    v.close_at_exit().unwrap();

    assert_eq!(snapshots(), before, "quitting wrote a snapshot under the shutdown deadline");
    let lease: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.data().join("leases").join(format!("{device}.json"))).unwrap())
            .unwrap();
    assert_eq!(lease["open"], serde_json::Value::Bool(false), "the lease still says open: {lease}");
    // The last change travelled in the segment: a second computer has it.
    let other =
        Vault::open_in(&w.data(), &w.dir.path().join("b"), Unlock::Password(&SecretString::from(PASSWORD))).unwrap();
    assert_eq!(other.records().client(last).unwrap().data.family_name, "Beendet");
    drop(other);
    // The snapshot comes with the next lock on this computer.
    let v = w.open_vault().unwrap();
    v.lock().unwrap();
    assert!(snapshots() > before, "the postponed snapshot was never written");
}

#[test]
fn a_new_vault_is_refused_where_a_half_synced_one_lies() {
    let password = SecretString::from(PASSWORD);
    let opts =
        |w: &World| CreateOptions { kdf_target: Duration::ZERO, local_root: Some(w.home()), ..Default::default() };
    // iCloud has listed the key file but not downloaded it; or only the log has arrived so far.
    for part in [".vault.key.icloud", "log/0190aaaa-0000-7000-8000-000000000001/000000000001.seg", "snapshots/x.snap"] {
        let w = World::new();
        let p = w.data().join(part);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, b"not ours to overwrite").unwrap();
        let before = files_below(&w.data());
        let err = Vault::create(&w.data(), &password, &opts(&w)).unwrap_err();
        assert!(matches!(err, Error::VaultExists { .. }), "{part}: {err:?}");
        assert_eq!(files_below(&w.data()), before, "{part}: the folder was changed");
    }
    // Empty folders (a previous try, or a sync client's skeleton) are no vault.
    let w = World::new();
    std::fs::create_dir_all(w.data().join("log")).unwrap();
    Vault::create(&w.data(), &password, &opts(&w)).unwrap();
}

#[test]
fn move_can_be_cancelled_and_leaves_nothing_behind() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let id = v.records_mut().add_client(ClientInput::with_full_name("Anna Berger")).unwrap();
    v.snapshot_now().unwrap();
    let before = files_below(&w.data());
    let to = w.dir.path().join("cloud/Tresor");
    let mut seen = Vec::new();
    let err = v
        .move_folder(&to, &mut |p| {
            seen.push(p);
            // Cancelled while verifying: every file is copied by then.
            p.step != tresor::sync::mover::Step::Verify
        })
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert_eq!(err.code(), "task.cancelled");
    assert!(!w.dir.path().join("cloud").exists(), "the target it made is gone again");
    let after = files_below(&w.data());
    // Only the final segment written before copying is new; nothing was removed or changed.
    assert!(before.iter().all(|f| after.contains(f)), "the old folder was never touched");
    // The vault still works in the old folder.
    assert_eq!(v.folder(), w.data());
    v.records_mut().add_client(ClientInput::with_full_name("Berta Gruber")).unwrap();
    assert_eq!(v.records().client(id).unwrap().data.family_name, "Berger");
    let copy = seen.iter().filter(|p| p.step == tresor::sync::mover::Step::Copy).count() as u32;
    assert_eq!(copy, seen[0].files, "one report before each file copied");
    v.lock().unwrap();
    w.open_vault().unwrap();
}

#[test]
fn move_reports_progress_and_the_vault_goes_on_in_the_new_folder() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let id = v.records_mut().add_client(ClientInput::with_full_name("Anna Berger")).unwrap();
    let to = w.dir.path().join("OneDrive/Tresor");
    let mut last = None;
    let r = v
        .move_folder(&to, &mut |p| {
            if let Some(prev) = last {
                let prev: tresor::sync::mover::MoveProgress = prev;
                assert!(p.step != prev.step || p.bytes_done >= prev.bytes_done, "progress never goes back");
            }
            last = Some(p);
            true
        })
        .unwrap();
    assert!(r.files > 0 && r.bytes > 0);
    let last = last.unwrap();
    assert_eq!(last.step, tresor::sync::mover::Step::RemoveOld);
    assert!(!w.data().exists(), "the old folder is gone");
    assert_eq!(v.folder(), to);
    assert_eq!(tresor::sync::cloud::detect(&to), Some(tresor::sync::cloud::CloudKind::OneDrive));
    // Working on: the next change goes into the new folder, and it opens there.
    v.records_mut().update_client(id, ClientInput::with_full_name("Anna Huber")).unwrap();
    v.lock().unwrap();
    let v = Vault::open_in(&to, &w.home(), Unlock::Password(&SecretString::from(PASSWORD))).unwrap();
    assert_eq!(v.records().client(id).unwrap().data.family_name, "Huber");
    assert!(!w.data().exists(), "nothing was written into the old place");
}

#[test]
fn a_new_recovery_key_opens_the_vault_and_the_old_one_no_longer_does() {
    let w = World::new();
    let (mut v, old) = w.create_vault();
    let new = v.new_recovery_key().unwrap();
    assert_ne!(new.display().as_str(), old);
    v.lock().unwrap();
    let old = RecoveryKey::parse(&old).unwrap();
    let err = Vault::open_in(&w.data(), &w.home(), Unlock::RecoveryKey(&old)).unwrap_err();
    assert!(matches!(err, Error::WrongSecret), "{err:?}");
    // The wrong key costs the usual wait before the next try.
    std::thread::sleep(Duration::from_millis(1100));
    let v = Vault::open_in(&w.data(), &w.home(), Unlock::RecoveryKey(&new)).unwrap();
    drop(v);
    // The password still works, and the new key sets a new one.
    w.open_vault().unwrap();
    Vault::reset_password(&w.data(), &new, &SecretString::from("ein ganz neues Passwort")).unwrap();
}

/// The figure in docs/DESKTOP.md: `cargo test --release --test vault -- --ignored move_of_100_mb --nocapture`.
#[test]
#[ignore = "a measurement; writes 100 MB"]
fn move_of_100_mb_is_measured() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let attachments = w.data().join("attachments");
    std::fs::create_dir_all(&attachments).unwrap();
    // 100 files of 1 MiB of incompressible bytes, as attachments would be.
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    for i in 0..100 {
        let bytes: Vec<u8> = (0..1 << 20)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed as u8
            })
            .collect();
        std::fs::write(attachments.join(format!("{i:03}.bin")), bytes).unwrap();
    }
    let started = Instant::now();
    let mut reports = 0;
    let r = v
        .move_folder(&w.dir.path().join("OneDrive/Tresor"), &mut |_| {
            reports += 1;
            true
        })
        .unwrap();
    println!(
        "moved {} files, {} bytes in {:.2} s with {reports} progress reports",
        r.files,
        r.bytes,
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn restore_reports_progress_and_a_cancelled_one_leaves_nothing() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let id = v.records_mut().add_client(ClientInput::with_full_name("Anna Berger")).unwrap();
    let attachments = w.data().join("attachments");
    std::fs::create_dir_all(&attachments).unwrap();
    std::fs::write(attachments.join("befund.bin"), vec![7u8; 3 << 20]).unwrap();
    let file = w.tmp().join("praxis.tresor-backup");
    v.backup_to(&file, false).unwrap();
    v.lock().unwrap();
    let password = SecretString::from(PASSWORD);

    let into = w.dir.path().join("restored");
    let mut asked = 0;
    let err = tresor::vault::backup::restore_watched(&file, &into, Unlock::Password(&password), &mut |_, _| {
        asked += 1;
        false
    })
    .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert_eq!(asked, 1, "it stops at the first question");
    assert!(!into.exists(), "nothing of the cancelled restore stays");

    let mut seen = Vec::new();
    let n = tresor::vault::backup::restore_watched(&file, &into, Unlock::Password(&password), &mut |done, total| {
        seen.push((done, total));
        true
    })
    .unwrap();
    assert!(n >= 1);
    assert!(seen.len() >= 3, "{seen:?}");
    assert!(seen.windows(2).all(|p| p[0].0 < p[1].0), "progress only goes forward");
    assert!(seen.iter().all(|&(done, total)| done <= total), "{seen:?}");
    let v = Vault::open_in(&into, &w.dir.path().join("home2"), Unlock::Password(&password)).unwrap();
    assert_eq!(v.records().client(id).unwrap().data.family_name, "Berger");
}
