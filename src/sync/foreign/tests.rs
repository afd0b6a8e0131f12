//! The classification of what lies in a data folder, spelled as each sync client spells it.

use super::*;
use crate::crypto::{DataKey, KdfParams, RecoveryKey};
use secrecy::SecretString;

const DEV: &str = "01a22c45-2e1a-767b-bd69-51b5f3305740";
const VAULT: &str = "01a22c45-2ab1-74cd-9a1b-e44de915ff0d";

/// How each client names a second version of `stem.ext`.
fn spellings(stem: &str, ext: &str) -> Vec<String> {
    [
        " (conflicted copy 2026-11-22)",                     // Dropbox
        " (Jörg Müller's conflicted copy 2026-11-22)",       // Dropbox, with the user's name
        " (In Konflikt stehende Kopie von Jörg 2026-11-22)", // Dropbox, German
        "-DESKTOP-AB12CD",                                   // OneDrive on Windows
        "-MacBook-Pro",                                      // OneDrive on a Mac
        "-Jörgs-MacBook-Air",
        " 2",                                     // iCloud
        " (1)",                                   // Google Drive, Windows
        ".sync-conflict-20261122-101010-ABCDEFG", // Syncthing
        " (conflicted copy 2026-11-22 101010)",   // Nextcloud
    ]
    .iter()
    .map(|mark| format!("{stem}{mark}.{ext}"))
    .collect()
}

fn header_bytes() -> Vec<u8> {
    let dek = DataKey::generate().unwrap();
    let rk = RecoveryKey::generate().unwrap();
    crate::header::Body::create(VAULT, &dek, &SecretString::from("pw"), &rk, KdfParams::FLOOR).unwrap().to_bytes()
}

fn kinds_of(found: &[ForeignFile], rel: &str) -> Vec<ForeignKind> {
    found.iter().filter(|f| f.shown == rel).map(|f| f.kind).collect()
}

#[test]
fn conflict_copies_in_every_clients_spelling_are_found() {
    let d = tempfile::tempdir().unwrap();
    let f = DataFolder::new(d.path());
    let header = header_bytes();
    fs::write(f.header(), &header).unwrap();
    let log = f.log().join(DEV);
    fs::create_dir_all(&log).unwrap();
    fs::create_dir_all(f.snapshots()).unwrap();
    fs::create_dir_all(f.leases()).unwrap();
    let snap = format!("{VAULT}_20261122T101010123Z_{DEV}_42");
    let seg = "000000000007-000000000042";
    fs::write(log.join(format!("{seg}.seg")), b"x").unwrap();
    fs::write(f.snapshots().join(format!("{snap}.{SNAPSHOT_EXT}")), b"x").unwrap();
    fs::write(f.leases().join(format!("{DEV}.json")), b"{}").unwrap();
    let mut expect = Vec::new();
    for (i, name) in spellings("vault", "key").into_iter().enumerate() {
        // Every second copy differs from the current header.
        fs::write(d.path().join(&name), if i % 2 == 0 { header.clone() } else { b"{\"other\": 1}".to_vec() }).unwrap();
        expect.push((name, ForeignKind::HeaderConflict, i % 2 != 0));
    }
    for name in spellings(seg, "seg") {
        fs::write(log.join(&name), b"x").unwrap();
        expect.push((format!("log/{DEV}/{name}"), ForeignKind::SegmentConflict, false));
    }
    for name in spellings(&snap, SNAPSHOT_EXT) {
        fs::write(f.snapshots().join(&name), b"x").unwrap();
        expect.push((format!("snapshots/{name}"), ForeignKind::OtherConflict, false));
    }
    for name in spellings(DEV, "json") {
        fs::write(f.leases().join(&name), b"{}").unwrap();
        expect.push((format!("leases/{name}"), ForeignKind::OtherConflict, false));
    }
    let found = scan(&f);
    assert_eq!(found.len(), expect.len(), "{found:#?}");
    for (rel, kind, needs_user) in expect {
        let hit = found.iter().find(|f| f.shown == rel).unwrap_or_else(|| panic!("{rel} not found"));
        assert_eq!((hit.kind, hit.needs_user), (kind, needs_user), "{rel}");
    }
}

#[test]
fn a_header_copy_is_known_by_its_content_under_any_name() {
    let d = tempfile::tempdir().unwrap();
    let f = DataFolder::new(d.path());
    let header = header_bytes();
    fs::write(f.header(), &header).unwrap();
    fs::write(d.path().join("Vault.key"), &header).unwrap();
    fs::write(d.path().join("Sicherung Passwort alt"), header_bytes()).unwrap();
    let found = scan(&f);
    let by = |n: &str| found.iter().find(|x| x.shown == n).map(|x| (x.kind, x.same_as_current, x.needs_user));
    assert_eq!(by("Vault.key"), Some((ForeignKind::HeaderConflict, Some(true), false)));
    assert_eq!(by("Sicherung Passwort alt"), Some((ForeignKind::HeaderConflict, Some(false), true)));
}

#[test]
fn what_the_os_and_sync_clients_keep_is_passed_over_and_placeholders_are_in_transit() {
    let d = tempfile::tempdir().unwrap();
    let f = DataFolder::new(d.path());
    let log = f.log().join(DEV);
    fs::create_dir_all(&log).unwrap();
    fs::create_dir_all(f.leases()).unwrap();
    for name in [".DS_Store", "desktop.ini", "Icon\r", "._vault.key", "Thumbs.db", ".stignore"] {
        fs::write(d.path().join(name), b"x").unwrap();
        fs::write(log.join(name), b"x").unwrap();
    }
    fs::write(log.join(".syncthing.000000000007-000000000042.seg.tmp"), b"x").unwrap();
    fs::write(log.join("~syncthing~000000000007-000000000042.seg.tmp"), b"x").unwrap();
    for dir in [".stversions", ".stfolder", ".dropbox.cache", ".Trash-1000"] {
        fs::create_dir_all(d.path().join(dir).join("log")).unwrap();
        fs::write(d.path().join(dir).join("log").join("x.seg"), b"x").unwrap();
    }
    fs::write(log.join(".000000000007-000000000042.seg.icloud"), b"x").unwrap();
    fs::write(f.leases().join(format!(".{DEV}.json.icloud")), b"x").unwrap();
    fs::write(d.path().join(".vault.key.icloud"), b"x").unwrap();
    fs::write(log.join("000000000007-000000000042.seg.nextcloud"), b"").unwrap();
    fs::write(log.join(format!("{TEMP_PREFIX}ab12-000000000007-000000000042.seg")), b"x").unwrap();
    let found = scan(&f);
    let kinds: Vec<(ForeignKind, bool)> = found.iter().map(|f| (f.kind, f.needs_user)).collect();
    assert_eq!(
        kinds,
        [
            (ForeignKind::InTransit, false),
            (ForeignKind::InTransit, false),
            (ForeignKind::InTransit, false),
            (ForeignKind::LeftoverTemp, false),
            (ForeignKind::InTransit, false),
        ],
        "{found:#?}"
    );
    assert!(found.iter().all(|f| !f.needs_user));
}

#[test]
fn strays_links_and_folders_in_the_wrong_place_need_the_user() {
    let d = tempfile::tempdir().unwrap();
    let f = DataFolder::new(d.path());
    let log = f.log().join(DEV);
    fs::create_dir_all(&log).unwrap();
    fs::create_dir_all(f.leases().join(format!("{DEV}.json"))).unwrap();
    fs::create_dir_all(log.join("000000000007-000000000042.seg")).unwrap();
    fs::create_dir_all(d.path().join(HEADER_FILE)).unwrap();
    fs::write(f.log().join("Protokoll_Müller_2026.txt"), b"x").unwrap();
    fs::write(log.join("Protokoll_Mu\u{308}ller_2026.txt"), b"x").unwrap();
    fs::create_dir_all(d.path().join("Befunde").join("2026")).unwrap();
    fs::write(d.path().join("Befunde").join("2026").join("a.pdf"), b"x").unwrap();
    fs::write(d.path().join("bad\n\u{1b}[2Jname"), b"x").unwrap();
    let mut expect: Vec<(String, ForeignKind)> = vec![
        ("vault.key".into(), ForeignKind::NotAFile),
        (format!("leases/{DEV}.json"), ForeignKind::NotAFile),
        (format!("log/{DEV}/000000000007-000000000042.seg"), ForeignKind::NotAFile),
        ("log/Protokoll_Müller_2026.txt".into(), ForeignKind::Unknown),
        (format!("log/{DEV}/Protokoll_Mu\u{308}ller_2026.txt"), ForeignKind::Unknown),
        ("Befunde".into(), ForeignKind::Unknown),
        ("bad??[2Jname".into(), ForeignKind::Unknown),
    ];
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        fs::create_dir_all(f.snapshots()).unwrap();
        symlink(".", f.snapshots().join("a")).unwrap();
        symlink("..", f.snapshots().join("b")).unwrap();
        symlink("/usr", log.join("usr")).unwrap();
        symlink(d.path().join("nowhere"), f.leases().join("dangling.json")).unwrap();
        use std::os::unix::ffi::OsStrExt;
        fs::write(d.path().join(std::ffi::OsStr::from_bytes(b"latin1-M\xfcller.txt")), b"x").unwrap();
        for rel in ["snapshots/a", "snapshots/b", &format!("log/{DEV}/usr"), "leases/dangling.json"] {
            expect.push((rel.to_string(), ForeignKind::Link));
        }
        expect.push(("latin1-M\u{FFFD}ller.txt".into(), ForeignKind::Unknown));
    }
    let found = scan(&f);
    assert_eq!(found.len(), expect.len(), "{found:#?}");
    for (rel, kind) in &expect {
        assert_eq!(kinds_of(&found, rel), [*kind], "{rel}: {found:#?}");
    }
    assert!(found.iter().all(|f| f.needs_user));
    // The report serialises, whatever the names' bytes.
    assert!(serde_json::to_string(&found).is_ok());
}
