//! Issue 10 #21: every file Tresor writes is readable by its owner only (0600) and every folder
//! it makes is closed to other accounts (0700), in the data folder and the working folder alike.
#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::*;

/// Every file and folder below `root` (and `root` itself) with its permission bits; links are
/// not followed.
fn modes(root: &Path) -> Vec<(PathBuf, bool, u32)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(p) = stack.pop() {
        let meta = std::fs::symlink_metadata(&p).unwrap();
        if meta.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().flatten().map(|e| e.path()));
        }
        out.push((p, meta.is_dir(), meta.permissions().mode() & 0o777));
    }
    out.sort();
    out
}

fn assert_private(root: &Path) -> usize {
    let all = modes(root);
    let open: Vec<_> = all
        .iter()
        .filter(|(_, dir, mode)| *mode != if *dir { 0o700 } else { 0o600 })
        .map(|(p, dir, mode)| format!("{} {mode:o}{}", p.display(), if *dir { " (folder)" } else { "" }))
        .collect();
    assert!(open.is_empty(), "readable by others:\n{}", open.join("\n"));
    all.len()
}

#[test]
fn every_file_tresor_writes_is_private_after_a_working_day() {
    let w = World::new();
    w.init();
    w.json(&["practice", "set", "--name", "Mag. Jörg Weiß", "--country", "AT", "--iban", "AT611904300234573201"]);
    let client = id_of(&w.json(&["client", "add", "--name", "Bärbel Größ"]));
    let service =
        id_of(&w.json(&["service", "add", "--name", "Einzeltherapie", "--minutes", "50", "--price-cents", "9000"]));
    w.json(&["appointment", "add", "--client", &client, "--start", "2026-11-23 09:00", "--service", &service]);
    w.json(&["session", "add", "--client", &client, "--service", &service, "--note", "Erstgespräch"]);
    assert_eq!(code(&w.run(&["demo", "--clients", "5", "--sessions", "50"])), 0);
    w.json(&["sync"]);
    let out = w.cli().env("TRESOR_NEW_PASSWORD", "another good password").arg("passwd").output().unwrap();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let backups = w.dir.path().join("backups");
    let out = w
        .cli()
        .env("TRESOR_PASSWORD", "another good password")
        .args(["backup", "--to-dir", backups.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    // A second computer in the same folder, and a folder restored from the backup.
    let laptop = w.dir.path().join("laptop");
    let out = w
        .cli()
        .env("TRESOR_HOME", &laptop)
        .env("TRESOR_PASSWORD", "another good password")
        .args(["client", "add", "--name", "Eva Egger"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let backup = std::fs::read_dir(&backups).unwrap().flatten().next().unwrap().path();
    let restored = w.dir.path().join("restored");
    let out = w
        .cli()
        .env("TRESOR_VAULT", &restored)
        .env("TRESOR_HOME", w.dir.path().join("restored-home"))
        .env("TRESOR_PASSWORD", "another good password")
        .args(["restore", "--from", backup.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));

    let mut n = 0;
    for root in [w.data(), w.home(), laptop, restored, backups] {
        n += assert_private(&root);
    }
    // vault.key, snapshots, segments of two devices, leases, the database with -wal and -shm,
    // device.json and the lock, and their folders.
    assert!(n >= 20, "only {n} files and folders were checked");
    let db = std::fs::read_dir(w.home().join("vaults")).unwrap().flatten().next().unwrap().path();
    assert!(db.join("tresor.db-wal").exists() || db.join("tresor.db").exists());
}
