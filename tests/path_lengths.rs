//! Every path Tresor generates stays under 240 characters below a 110-character data folder (a
//! OneDrive for Business folder such as `C:\Users\<name>\OneDrive - <a long company name>\
//! Documents\Tresor`; SharePoint refuses longer paths, and Windows' MAX_PATH is 260). The kinds
//! are built by the code that names them, on real files: `vault.key`, `folder.id`, snapshots,
//! segments, leases and their temp names, rotating backups and their temps, the move marker,
//! the attachments folder; then every file the vault left in the folders is measured too.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use tresor::domain::client::ClientInput;
use tresor::hlc::Hlc;
use tresor::paths::DataFolder;
use tresor::sync::{lease, segment};
use tresor::vault::snapshot;

const BASE: usize = 110;
const LIMIT: usize = 240;

/// A folder whose path is exactly `BASE` characters long.
fn base_of_110(root: &Path) -> PathBuf {
    let mut p = root.join("OneDrive - Praxisgemeinschaft");
    let len = p.to_string_lossy().chars().count();
    assert!(len + 2 < BASE, "the temp dir is too long for this test: {p:?}");
    p.push("x".repeat(BASE - len - 1));
    assert_eq!(p.to_string_lossy().chars().count(), BASE);
    p
}

fn chars(p: &Path) -> usize {
    p.to_string_lossy().chars().count()
}

#[test]
fn every_generated_path_stays_under_240_below_a_110_character_folder() {
    let w = World::new();
    let base = base_of_110(w.dir.path());
    let df = DataFolder::new(&base);
    let (vault, device) = (uuid::Uuid::now_v7().to_string(), uuid::Uuid::now_v7().to_string());
    // The longest of each kind: a stamp in the year 2200; a device's journal position of eight
    // digits for a snapshot (100 million changes: 270 years at 1,000 a day — the snapshot's
    // path is then 239 characters, the tightest of all; a ninth digit would make it 240), of
    // twelve for a segment.
    let far = Hlc::from_parts(7_258_118_400_000, 0);
    let snapshot = df.snapshots().join(snapshot::file_name(&vault, far, &device, 99_999_999));
    let seg = df.log().join(&device).join(segment::file_name(999_999_999_999, 999_999_999_999));
    let lease_file = df.leases().join(format!("{device}.json"));
    assert!(lease::is_lease_name(&lease_file));
    let backup = base.join(format!("tresor-{vault}-99991231T235959999Z.tresor-backup"));
    let mut kinds = vec![
        ("vault.key", df.header()),
        ("folder.id", base.join(tresor::paths::FOLDER_ID_FILE)),
        ("move marker", base.join(tresor::sync::mover::MOVE_MARKER)),
        ("attachments", df.attachments()),
        ("snapshot", snapshot.clone()),
        ("segment", seg.clone()),
        ("lease", lease_file.clone()),
        ("backup", backup.clone()),
    ];
    for (kind, p) in [("snapshot", &snapshot), ("segment", &seg), ("lease", &lease_file), ("backup", &backup)] {
        kinds.push((kind, tresor::fsutil::temp_path_for(p).unwrap()));
    }
    for (kind, p) in &kinds {
        assert!(chars(p) < LIMIT, "{kind}: {} characters: {p:?}", chars(p));
    }

    // On real files: a vault in that folder, a client, a sync, a snapshot, a rotating backup
    // into another 110-character folder; every file it left is measured.
    let opts = tresor::CreateOptions {
        kdf_target: std::time::Duration::ZERO,
        local_root: Some(w.home()),
        ..Default::default()
    };
    let (mut v, _) = tresor::Vault::create(&base, &secrecy::SecretString::from(PASSWORD), &opts).unwrap();
    v.records_mut().add_client(ClientInput::with_full_name("Anna Huber")).unwrap();
    v.sync_now().unwrap();
    v.snapshot_now().unwrap();
    let backups = base_of_110(&w.tmp());
    std::fs::create_dir_all(&backups).unwrap();
    v.backup_rotating(&backups, 3).unwrap();
    v.lock().unwrap();
    let mut seen = 0;
    for (p, _) in files_below(&base).into_iter().chain(files_below(&backups)) {
        assert!(chars(&p) < LIMIT, "{} characters: {p:?}", chars(&p));
        seen += 1;
    }
    assert!(seen >= 5, "vault.key, a snapshot or two, a segment, a lease, a backup: {seen}");
}
