//! The defects an attack run found in the CLI (issue 10), each reproduced on real files: backups
//! that replaced files, saves reported as failures, moves that could not resume, rotation by a
//! shared id prefix, silent series limits, and "nothing was changed" where something was.

#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use common::*;

/// Every JSON document a command printed on stdout (one per line).
fn docs(out: &std::process::Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A tmpfs of `size` mounted at `dir` for the life of the guard (root only; `None` with the
/// reason printed where mounting is not possible).
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).unwrap();
        let out = Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"]).arg(dir).output();
        match out {
            Ok(o) if o.status.success() => Some(Tmpfs(dir.to_path_buf())),
            Ok(o) => {
                eprintln!("SKIPPED (full disk part): cannot mount a tmpfs: {}", String::from_utf8_lossy(&o.stderr));
                None
            }
            Err(e) => {
                eprintln!("SKIPPED (full disk part): no mount command: {e}");
                None
            }
        }
    }

    /// Fills the file system to the last byte with one file, returned for freeing it later.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let p = self.0.join("filler");
        let mut f = std::fs::File::create(&p).unwrap();
        let block = vec![0u8; 4096];
        while f.write_all(&block).is_ok() {}
        let _ = f.write_all(&[0]);
        p
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// A read-only bind mount of `dir` onto itself, which even root cannot write through.
struct ReadOnly(PathBuf);

impl ReadOnly {
    fn mount(dir: &Path) -> Option<ReadOnly> {
        let ok = |args: &[&str]| {
            Command::new("mount").args(args).arg(dir).arg(dir).status().map(|s| s.success()).unwrap_or(false)
        };
        if !ok(&["--bind"]) {
            eprintln!("SKIPPED (read-only part): cannot bind-mount {}", dir.display());
            return None;
        }
        let guard = ReadOnly(dir.to_path_buf());
        let ro = Command::new("mount").args(["-o", "remount,ro,bind"]).arg(dir).status();
        if !ro.map(|s| s.success()).unwrap_or(false) {
            eprintln!("SKIPPED (read-only part): cannot remount read-only");
            return None;
        }
        Some(guard)
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

// ---- #2: a backup never replaces a file unasked, and never goes into the vault ---------------

#[test]
fn backup_never_replaces_a_file_unasked_nor_writes_into_the_vault() {
    let w = World::new();
    w.init();
    w.json(&["client", "add", "--name", "Anna Gruber"]);
    let doc = w.dir.path().join("Befund.docx");
    std::fs::write(&doc, b"the user's own document").unwrap();

    let out = w.run(&["--json", "backup", "--to", doc.to_str().unwrap()]);
    assert_eq!(code(&out), 7, "{}", stderr(&out));
    assert_eq!(docs(&out)[0]["error"]["code"], "export.exists");
    assert_eq!(std::fs::read(&doc).unwrap(), b"the user's own document");

    // Nothing inside the data folder or the local working copies, however the path is spelt.
    let db = files_below(&w.home()).into_iter().map(|(p, _)| p).find(|p| p.ends_with("tresor.db")).unwrap();
    let link = w.dir.path().join("harmless-looking.tresor-backup");
    std::os::unix::fs::symlink(w.data().join("vault.key"), &link).unwrap();
    let via_dots = w.dir.path().join("tmp/../data/vault.key");
    let new_inside = w.data().join("snapshots/new-folder/b.tresor-backup");
    let before_data = files_below(&w.data());
    let db_then = std::fs::read(&db).unwrap();
    for target in [w.data().join("vault.key"), via_dots, link.clone(), db.clone(), new_inside.clone()] {
        for force in [false, true] {
            let mut args = vec!["--json", "backup", "--to", target.to_str().unwrap()];
            if force {
                args.push("--force");
            }
            let out = w.run(&args);
            assert_eq!(code(&out), 7, "{target:?} force={force}: {}", stderr(&out));
            assert_eq!(docs(&out)[0]["error"]["code"], "backup.target_in_vault", "{target:?}");
        }
    }
    let out = w.run(&["backup", "--to-dir", w.data().join("backups").to_str().unwrap()]);
    assert_eq!(code(&out), 7, "{}", stderr(&out));
    assert!(!new_inside.parent().unwrap().exists() && !w.data().join("backups").exists());
    assert!(!std::fs::read(&db).unwrap().starts_with(b"TRESOR-BACKUP"), "the working copy was replaced");
    assert_eq!(std::fs::read(&db).unwrap().len(), db_then.len());
    // Only the snapshot the backup takes first may be new; vault.key is untouched.
    let key_now = std::fs::read(w.data().join("vault.key")).unwrap();
    let key_then = before_data.iter().find(|(p, _)| p.ends_with("vault.key")).unwrap().1.clone();
    assert_eq!(key_now, key_then);
    assert_eq!(code(&w.run(&["client", "list"])), 0, "the vault still opens");

    // Asked for, the user's file is replaced, and what is there then is a whole backup.
    let out = w.run(&["backup", "--to", doc.to_str().unwrap(), "--force"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let dest = w.dir.path().join("restored");
    let out = w.cli().env("TRESOR_VAULT", &dest).args(["restore", "--from", doc.to_str().unwrap()]).output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

// ---- #4: a change saved here but not written to the data folder is told as such -------------

/// `client add` with the data folder broken by `damage`, then repaired by `repair`: the save is
/// reported once, as pending (exit 8), and reaches a second computer after the repair.
fn pending_round(w: &World, name: &str, damage: impl FnOnce(), repair: impl FnOnce()) {
    // A second computer that already has a working copy: it can only learn of the client from
    // a segment, so a watermark that moved without its segment would show here.
    let laptop = w.dir.path().join("laptop");
    let laptop_list = || {
        let out =
            w.cli().env("TRESOR_HOME", &laptop).args(["--json", "client", "list", "--limit", "500"]).output().unwrap();
        assert!(matches!(code(&out), 0 | 8), "{}", stderr(&out));
        docs(&out)[0]["clients"].as_array().unwrap().clone()
    };
    laptop_list();

    damage();
    let out = w.run(&["--json", "client", "add", "--name", name]);
    assert_eq!(code(&out), 8, "{name}: {}", stderr(&out));
    let d = docs(&out);
    assert_eq!(d.len(), 1, "one JSON document: {d:?}");
    let id = d[0]["id"].as_str().expect("the id of what was saved").to_string();
    assert_eq!(d[0]["pending"]["code"], "sync.pending");
    let err = stderr(&out);
    assert!(err.contains("saved on this computer") && !err.contains("nothing was changed"), "{err}");
    let human = w.run(&["client", "add", "--name", &format!("{name} Zwei")]);
    assert_eq!(code(&human), 8);
    assert!(String::from_utf8_lossy(&human.stdout).trim().len() == 36, "the id is printed");

    // Saved here: listed once, and a read still works (and says what is still pending).
    let out = w.run(&["--json", "client", "list", "--limit", "500"]);
    assert_eq!(code(&out), 8, "{}", stderr(&out));
    let here = docs(&out)[0]["clients"].as_array().unwrap().clone();
    assert_eq!(here.iter().filter(|c| c["id"] == id.as_str()).count(), 1);

    repair();
    let out = w.run(&["client", "list"]);
    assert_eq!(code(&out), 0, "after the repair the pending write goes out: {}", stderr(&out));
    assert_eq!(code(&w.run(&["verify"])), 0);
    let there = laptop_list();
    assert_eq!(there.iter().filter(|c| c["id"] == id.as_str()).count(), 1, "{name} did not reach the laptop");
}

#[test]
fn a_save_the_data_folder_cannot_take_is_reported_as_pending_and_written_later() {
    let w = World::new();
    w.init();
    w.json(&["client", "add", "--name", "Erste Klientin"]);
    let log = w.data().join("log");
    let aside = w.dir.path().join("log-aside");
    pending_round(
        &w,
        "Log Datei",
        || {
            std::fs::rename(&log, &aside).unwrap();
            std::fs::write(&log, b"a file where a folder belongs").unwrap();
        },
        || {
            std::fs::remove_file(&log).unwrap();
            std::fs::rename(&aside, &log).unwrap();
        },
    );

    // A read-only data folder (a read-only bind mount: tests run as root, chmod stops no root).
    if let Some(probe) = ReadOnly::mount(&w.data()) {
        drop(probe);
        let guard = std::cell::RefCell::new(None);
        pending_round(
            &w,
            "Nur Lesen",
            || {
                guard.replace(ReadOnly::mount(&w.data()));
            },
            || drop(guard.borrow_mut().take()),
        );
    }
}

#[test]
fn a_full_disk_under_the_data_folder_is_pending_not_failed() {
    let w = World::new();
    let Some(fs) = Tmpfs::mount(&w.data(), "4m") else { return };
    w.init();
    w.json(&["client", "add", "--name", "Erste Klientin"]);
    let filler = std::cell::RefCell::new(None);
    pending_round(
        &w,
        "Volle Platte",
        || {
            filler.replace(Some(fs.fill()));
        },
        || std::fs::remove_file(filler.borrow_mut().take().unwrap()).unwrap(),
    );
    drop(fs);
}

// ---- #15: init and restore say what happened and clean up only what they made ----------------

#[test]
fn a_failed_init_leaves_no_working_copy_and_keeps_what_the_user_had() {
    let w = World::new();
    // The user's folder with a file of theirs, and a file where Tresor wants its snapshot folder.
    std::fs::create_dir_all(w.data()).unwrap();
    std::fs::write(w.data().join("notes.txt"), b"mine").unwrap();
    std::fs::write(w.data().join("snapshots"), b"in the way").unwrap();
    let before = files_below(&w.data());
    let out = w.run(&["init", "--kdf-ms", "0"]);
    assert_ne!(code(&out), 0);
    assert_eq!(files_below(&w.data()), before, "the user's folder changed");
    assert!(files_below(&w.home()).is_empty(), "an orphan working copy stayed: {:?}", files_below(&w.home()));
    std::fs::remove_file(w.data().join("snapshots")).unwrap();
    w.init();

    // A data folder that did not exist is gone again, with the folders made for it.
    let w = World::new();
    let deep = w.dir.path().join("a/b/Tresor");
    std::fs::create_dir_all(w.dir.path().join("a")).unwrap();
    std::fs::write(w.dir.path().join("a/b"), b"a file where a folder belongs").unwrap();
    let out = w.cli().env("TRESOR_VAULT", &deep).args(["init", "--kdf-ms", "0"]).output().unwrap();
    assert_ne!(code(&out), 0);
    assert!(files_below(&w.home()).is_empty());
    assert_eq!(std::fs::read(w.dir.path().join("a/b")).unwrap(), b"a file where a folder belongs");

    // On a full disk.
    let w = World::new();
    let Some(fs) = Tmpfs::mount(&w.data(), "2m") else { return };
    let filler = fs.fill();
    let out = w.run(&["init", "--kdf-ms", "0"]);
    assert_ne!(code(&out), 0, "init on a full disk");
    assert!(files_below(&w.home()).is_empty(), "an orphan working copy stayed");
    let left: Vec<_> = files_below(&w.data()).into_iter().map(|(p, _)| p).collect();
    assert_eq!(left, vec![filler], "init left files on the full disk");
    assert!(std::fs::read_dir(w.data()).unwrap().count() == 1, "init left folders on the full disk");
    drop(fs);
}

#[test]
fn a_failed_restore_keeps_the_empty_folder_the_user_made() {
    let w = World::new();
    w.init();
    let backup = w.dir.path().join("b.tresor-backup");
    w.json(&["backup", "--to", backup.to_str().unwrap()]);
    let bytes = std::fs::read(&backup).unwrap();
    let bad = w.dir.path().join("bad.tresor-backup");
    std::fs::write(&bad, &bytes[..bytes.len() - 100]).unwrap();

    let made_by_user = w.dir.path().join("Wiederherstellung");
    std::fs::create_dir(&made_by_user).unwrap();
    let out =
        w.cli().env("TRESOR_VAULT", &made_by_user).args(["restore", "--from", bad.to_str().unwrap()]).output().unwrap();
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert!(made_by_user.is_dir(), "the folder the user made was deleted");
    assert_eq!(std::fs::read_dir(&made_by_user).unwrap().count(), 0, "the restore left files behind");
    assert!(stderr(&out).contains("Nothing was restored"), "{}", stderr(&out));

    let not_there = w.dir.path().join("x/y/z");
    let out =
        w.cli().env("TRESOR_VAULT", &not_there).args(["restore", "--from", bad.to_str().unwrap()]).output().unwrap();
    assert_eq!(code(&out), 5);
    assert!(!w.dir.path().join("x").exists(), "folders the restore made stayed");

    let out = w
        .cli()
        .env("TRESOR_VAULT", &made_by_user)
        .args(["restore", "--from", backup.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

// ---- #12: rotation by the whole vault id --------------------------------------------------------

#[test]
fn backup_rotation_never_touches_another_vaults_backups() {
    // Two vaults made within a minute share the first 8 hex digits of their UUIDv7 ids.
    let (a, b) = loop {
        let a = World::new();
        a.init();
        let b = World::new();
        b.init();
        let id = |w: &World| std::fs::read_dir(w.home().join("vaults")).unwrap().next().unwrap().unwrap().file_name();
        let (ia, ib) = (id(&a).into_string().unwrap(), id(&b).into_string().unwrap());
        if ia[..8] == ib[..8] {
            assert_ne!(ia, ib);
            break (a, b);
        }
    };
    let dir = a.dir.path().join("usb");
    let backup = |w: &World| {
        let out = w.run(&["backup", "--to-dir", dir.to_str().unwrap(), "--keep", "2"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        std::thread::sleep(Duration::from_millis(5));
    };
    for _ in 0..3 {
        backup(&a);
    }
    let a_files: Vec<PathBuf> = files_below(&dir).into_iter().map(|(p, _)| p).collect();
    assert_eq!(a_files.len(), 2);
    // A backup of A under the name older versions gave it (8 digits), older than the rest.
    let a_id = std::fs::read_dir(a.home().join("vaults")).unwrap().next().unwrap().unwrap().file_name();
    let legacy = dir.join(format!("tresor-{}-20200101T000000000Z.tresor-backup", &a_id.to_str().unwrap()[..8]));
    std::fs::copy(&a_files[0], &legacy).unwrap();
    for _ in 0..3 {
        backup(&b);
    }
    let now: Vec<PathBuf> = files_below(&dir).into_iter().map(|(p, _)| p).collect();
    for f in a_files.iter().chain([&legacy]) {
        assert!(now.contains(f), "B's rotation deleted A's backup {}", f.display());
    }
    assert_eq!(now.len(), 5, "{now:?}");
    // A's own rotation counts its old-style backup (it is A's by its header) and removes it first.
    backup(&a);
    assert!(!legacy.exists());
    assert_eq!(files_below(&dir).len(), 4);
}

// ---- #11: move resumes, and links, FIFOs and leftovers are handled ------------------------------

#[test]
fn an_interrupted_move_resumes_to_the_same_target() {
    let w = World::new();
    w.init();
    for i in 0..3 {
        w.json(&["client", "add", "--name", &format!("Jörg Nummer{i}")]);
    }
    let target = w.dir.path().join("OneDrive/Tresor");
    // Cut off mid-copy as a kill would: no clean-up runs.
    let cut = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut n = 0;
        tresor::sync::mover::move_with(&w.data(), &target, &mut |step, _| {
            n += 1;
            if step == tresor::sync::mover::Step::Copy && n == 3 {
                panic!("killed");
            }
            Ok(())
        })
    }));
    assert!(cut.is_err());
    assert!(!files_below(&target).is_empty() && !target.join("vault.key").exists(), "a half copy without header");
    let out = w.run(&["--json", "move", "--to", target.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "resume: {}", stderr(&out));
    assert!(!w.data().exists());
    let out = w.cli().env("TRESOR_VAULT", &target).args(["--json", "client", "list"]).output().unwrap();
    assert_eq!(docs(&out)[0]["total"], 3);
    assert!(!target.join(tresor::sync::mover::MOVE_MARKER).exists());
    assert!(files_below(&target).iter().all(|(p, _)| !p.to_string_lossy().contains(".tresor-tmp-")));
}

#[test]
fn move_leaves_links_and_fifos_alone_and_never_hangs() {
    let w = World::new();
    w.init();
    w.json(&["client", "add", "--name", "Anna Gruber"]);
    let outside = w.dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), b"not the vault's").unwrap();
    std::os::unix::fs::symlink(&outside, w.data().join("link-to-outside")).unwrap();
    std::os::unix::fs::symlink(w.data().join("vault.key"), w.data().join("snapshots/key-link")).unwrap();
    let fifo = w.data().join("pipe");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());

    let target = w.dir.path().join("Dropbox/Tresor");
    let mut child = w
        .cli()
        .args(["--json", "move", "--to", target.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("move hangs on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let skipped = docs(&out)[0]["skipped"].as_array().unwrap().len();
    assert_eq!(skipped, 3, "{:?}", docs(&out));
    // Not copied, not followed, not removed.
    for name in ["link-to-outside", "snapshots/key-link", "pipe"] {
        assert!(std::fs::symlink_metadata(target.join(name)).is_err(), "{name} was carried along");
        assert!(std::fs::symlink_metadata(w.data().join(name)).is_ok(), "{name} was removed");
    }
    assert_eq!(std::fs::read(outside.join("secret.txt")).unwrap(), b"not the vault's");
    let out = w.cli().env("TRESOR_VAULT", &target).args(["verify"]).output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn a_killed_backup_leaves_no_full_size_temp_for_ever() {
    let w = World::new();
    w.init();
    assert_eq!(code(&w.run(&["demo", "--clients", "30", "--sessions", "1500"])), 0);
    let usb = w.dir.path().join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    let target = usb.join("praxis.tresor-backup");
    // Kill backups until one leaves its temp file behind (a kill mid-write).
    let temps = || -> Vec<PathBuf> {
        std::fs::read_dir(&usb)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".tresor-tmp-"))
            .collect()
    };
    for delay in [150u64, 250, 400, 600, 900, 1300] {
        let mut child = w.cli().args(["backup", "--to", target.to_str().unwrap(), "--force"]).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        child.wait().unwrap();
        if !temps().is_empty() {
            break;
        }
    }
    // A killed run's temp looks the same whether the kill came early or late: make one for sure.
    let planted = usb.join(".tresor-tmp-00aa11bb22cc-praxis.tresor-backup");
    std::fs::write(&planted, vec![7u8; 1 << 20]).unwrap();
    // Young temps may belong to a backup still running elsewhere: they stay.
    let out = w.run(&["backup", "--to", target.to_str().unwrap(), "--force"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(planted.exists(), "a fresh temp file was removed");
    for t in temps() {
        let f = std::fs::File::options().write(true).open(&t).unwrap();
        f.set_modified(SystemTime::now() - Duration::from_secs(3600)).unwrap();
    }
    let out = w.run(&["backup", "--to", target.to_str().unwrap(), "--force"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(temps().is_empty(), "leftover temp files: {:?}", temps());
}

// ---- #14 and #16: what the help shows works; no silent cuts; the warning goes with the key ---

#[test]
fn series_ends_and_dunning_fees_are_checked_and_named() {
    let w = World::new();
    w.init();
    let c = id_of(&w.json(&["client", "add", "--name", "Anna Gruber"]));
    let series = |extra: &[&str]| {
        let mut args = vec!["--json", "appointment", "add", "--client", &c, "--start", "2026-11-23 09:00"];
        args.extend_from_slice(extra);
        w.run(&args)
    };
    for until in ["2026-11-01", "9999-12-31"] {
        let out = series(&["--weekly", "1", "--until", until]);
        assert_eq!(code(&out), 2, "--until {until}: {}", String::from_utf8_lossy(&out.stdout));
        let d = docs(&out);
        assert_eq!(d[0]["error"]["params"]["field"], "until", "{d:?}");
        assert!(stderr(&out).contains("until"));
    }
    let out = series(&["--until", "2027-01-01"]);
    assert_eq!(code(&out), 2, "--until without --weekly/--monthly was ignored");
    assert!(stderr(&out).contains("--weekly"));
    let out = series(&["--weekly", "1", "--until", "2026-11-23"]);
    assert_eq!(code(&out), 0);
    assert_eq!(docs(&out)[0]["appointments"].as_array().unwrap().len(), 1);
    assert_eq!(
        w.json(&["appointment", "list", "--from", "2026-11-01", "--to", "2026-12-31"]).as_array().unwrap().len(),
        1
    );

    let s = w.json(&["invoice", "settings", "--dunning-fees", "0,500,1000"]);
    assert_eq!(s["dunning_fees"], serde_json::json!([0, 500, 1000]));
    let s = w.json(&["invoice", "settings", "--dunning-fees", "100,200,300"]);
    assert_eq!(s["dunning_fees"], serde_json::json!([100, 200, 300]));
    let out = w.run(&["invoice", "settings", "--dunning-fees", "100,200"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--dunning-fees"), "{}", stderr(&out));
}

#[test]
fn the_raw_key_never_goes_out_without_its_warning() {
    let w = World::new();
    w.init();
    for args in [&["key", "show-raw"][..], &["--json", "key", "show-raw"][..]] {
        let out = w.run(args);
        assert_eq!(code(&out), 0);
        assert!(stderr(&out).contains("WARNING"), "{args:?}: no warning on stderr");
    }
    let v = w.json(&["key", "show-raw"]);
    assert_eq!(v["raw_key"].as_str().unwrap().len(), 64);
    assert!(v["warning"].as_str().unwrap().contains("read every record"), "{v}");
}

#[test]
fn the_help_documents_exit_code_8() {
    let w = World::new();
    let help = String::from_utf8(w.run(&["--help"]).stdout).unwrap();
    assert!(help.contains("8  saved on this computer"), "{help}");
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md")).unwrap();
    assert!(readme.contains("| 8 |"), "the README's exit-code table lacks 8");
}
