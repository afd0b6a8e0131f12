//! When full snapshots are written, when segments may go, and what a computer does that needs
//! segments that are gone. The rule is in docs/ARCHITECTURE.md ("Compaction"); these tests
//! prove each part of it on real files before anything is deleted automatically.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::*;
use secrecy::SecretString;
use tresor::domain::client::ClientInput;
use tresor::store::ClientQuery;
use tresor::{Unlock, Vault};

const NOW: Duration = Duration::ZERO;

fn open_at(folder: &Path, home: &Path) -> Vault {
    Vault::open_in(folder, home, Unlock::Password(&SecretString::from(PASSWORD))).expect("open")
}

fn count(v: &Vault) -> usize {
    v.records().clients(&ClientQuery { limit: 10_000, ..Default::default() }).unwrap().0.len()
}

fn add(v: &mut Vault, name: &str) {
    v.records_mut().add_client(ClientInput::with_full_name(name)).unwrap();
}

fn snapshots(folder: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> =
        std::fs::read_dir(folder.join("snapshots")).unwrap().flatten().map(|e| e.path()).collect();
    v.sort();
    v
}

/// A: the vault with a few synced clients and two snapshots, so A's segments are compactable
/// once every computer with a lease has applied them.
fn a_with_history(w: &World, n: usize) -> Vault {
    let (mut a, _) = w.create_vault();
    for i in 0..n {
        add(&mut a, &format!("Klient A{i}"));
        a.sync_now().unwrap();
    }
    a
}

#[test]
fn a_computer_that_fell_behind_a_compaction_rebuilds_and_keeps_its_own_changes() {
    let w = World::new();
    let mut a = a_with_history(&w, 3);
    // B opens once (reads only: no lease, no segment) and later makes a change it never
    // gets to write out.
    let b_home = w.dir.path().join("b");
    let b = open_at(&w.data(), &b_home);
    assert_eq!(count(&b), 3);
    let b_id = b.device().id.clone();
    drop(b);
    let mut b = open_at(&w.data(), &b_home);
    add(&mut b, "Von Bernhard");
    drop(b);
    assert!(!w.data().join("leases").join(format!("{b_id}.json")).exists());

    // Meanwhile A works on, snapshots twice and compacts: B has no lease, so nothing waits for it.
    for i in 3..6 {
        add(&mut a, &format!("Klient A{i}"));
        a.sync_now().unwrap();
        a.snapshot_now().unwrap();
    }
    let a_id = a.device().id.clone();
    let before = segments_of(&w.data(), &a_id).len();
    let removed = a.compact_segments_older_than(NOW).unwrap();
    assert!(removed > 0 && removed < before, "removed {removed} of {before}");
    let floor = lease_of(&w.data(), &a_id)["compacted"].as_i64().unwrap();
    assert!(floor > 0, "the floor was not announced");

    // B comes back: it sees it lacks segments that are gone, rebuilds from A's snapshot, and
    // keeps its own change.
    let mut b = open_at(&w.data(), &b_home);
    let sync = b.last_sync().unwrap().as_ref().unwrap();
    assert!(sync.rebuilt_from.is_some(), "B did not notice it fell behind");
    assert_eq!(count(&b), 7, "B has A's six clients and its own");
    assert!(b.behind_compaction().unwrap().is_empty());
    assert!(b.verify().unwrap().sound());
    // B's numbering goes on where it left off: A takes B's next change too.
    add(&mut b, "Noch von Bernhard");
    b.sync_now().unwrap();
    a.sync_now().unwrap();
    assert_eq!(count(&a), 8);
    let status = a.sync_status().unwrap();
    let b_status = status.devices.iter().find(|d| d.id == b_id).unwrap();
    let b_exported = b.sync_status().unwrap().devices.iter().find(|d| d.this_device).unwrap().applied_through;
    assert_eq!(b_status.applied_through, b_exported, "A's chain of B's segments has a hole");
    assert_eq!(
        a.store().read().canonical_dump().unwrap(),
        b.store().read().canonical_dump().unwrap(),
        "A and B differ after the rebuild"
    );
}

#[test]
fn compaction_waits_for_every_computer_with_a_recent_lease() {
    let w = World::new();
    let mut a = a_with_history(&w, 2);
    let a_id = a.device().id.clone();
    // B applies what is there now and says so in its lease, then goes quiet.
    let b_home = w.dir.path().join("b");
    let mut b = open_at(&w.data(), &b_home);
    b.sync_now().unwrap();
    let b_id = b.device().id.clone();
    drop(b);
    for i in 2..5 {
        add(&mut a, &format!("Klient A{i}"));
        a.sync_now().unwrap();
        a.snapshot_now().unwrap();
    }
    let b_applied = lease_of(&w.data(), &b_id)["applied"][&a_id].as_i64().unwrap();
    a.compact_segments_older_than(NOW).unwrap();
    let left: Vec<i64> = segments_of(&w.data(), &a_id)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy()[13..25].parse().unwrap())
        .collect();
    assert!(left.iter().all(|last| *last > b_applied), "a segment B has not applied went: {left:?} vs {b_applied}");
    assert!(!left.is_empty());

    // A lease not refreshed for longer than the limit no longer holds compaction back.
    let lease = w.data().join("leases").join(format!("{b_id}.json"));
    let mut l: serde_json::Value = serde_json::from_slice(&std::fs::read(&lease).unwrap()).unwrap();
    l["heartbeat"] = serde_json::json!("2020-01-01T00:00:00Z");
    std::fs::write(&lease, serde_json::to_vec(&l).unwrap()).unwrap();
    let removed = a.compact_segments_older_than(NOW).unwrap();
    assert!(removed > 0, "a forgotten lease still held compaction back");
    // And B, back after all that, catches up.
    let b = open_at(&w.data(), &b_home);
    assert_eq!(count(&b), 5);
}

#[test]
fn nothing_goes_within_the_grace_time_or_without_two_good_snapshots() {
    let w = World::new();
    let mut a = a_with_history(&w, 3);
    let a_id = a.device().id.clone();
    let n = segments_of(&w.data(), &a_id).len();
    // One snapshot holds them all; the one a new computer would fall back to does not.
    a.snapshot_now().unwrap();
    assert_eq!(a.compact_segments_older_than(NOW).unwrap(), 0);
    add(&mut a, "Klient Neu");
    a.sync_now().unwrap();
    a.snapshot_now().unwrap();
    // Both hold them, but the files are younger than the grace time.
    assert_eq!(a.compact_segments().unwrap(), 0);
    for s in segments_of(&w.data(), &a_id) {
        age(&s, Duration::from_secs(8 * 24 * 3600));
    }
    assert_eq!(a.compact_segments().unwrap(), n);
    // A damaged newest snapshot does not count as one of the two.
    add(&mut a, "Klient Neu2");
    a.sync_now().unwrap();
    let newest = a.snapshot_now().unwrap();
    std::fs::write(&newest, b"damaged on its way").unwrap();
    assert_eq!(a.compact_segments_older_than(NOW).unwrap(), 0);
    // A new computer starts from the good one plus the segments since.
    let c = open_at(&w.data(), &w.dir.path().join("c"));
    assert_eq!(count(&c), 5);
}

#[test]
fn a_new_computer_passes_over_a_snapshot_older_than_the_compaction() {
    let w = World::new();
    let mut a = a_with_history(&w, 2);
    let stale = snapshots(&w.data()).pop().unwrap();
    let stale_bytes = std::fs::read(&stale).unwrap();
    for i in 2..5 {
        add(&mut a, &format!("Klient A{i}"));
        a.sync_now().unwrap();
        a.snapshot_now().unwrap();
    }
    assert!(a.compact_segments_older_than(NOW).unwrap() > 0);
    // The stale state comes back under a name that sorts first (another computer's copy).
    let name = snapshots(&w.data())
        .pop()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .replace(&a.device().id, "0192aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee");
    std::fs::write(w.data().join("snapshots").join(&name), &stale_bytes).unwrap();
    drop(a);
    let c = open_at(&w.data(), &w.dir.path().join("c"));
    assert_eq!(count(&c), 5, "the new computer started from a snapshot that lacks removed segments");
    let report = c.verify().unwrap();
    assert!(report.sound(), "{report:?}");
}

#[test]
fn full_snapshots_only_when_they_pay_for_themselves() {
    let w = World::new();
    let (mut a, _) = w.create_vault();
    let size = std::fs::metadata(snapshots(&w.data()).pop().unwrap()).unwrap().len();
    // Edits of a working day: segments only.
    for i in 0..20 {
        add(&mut a, &format!("Klient Nummer{i}"));
        a.sync_now().unwrap();
        assert!(!a.snapshot_due().unwrap(), "a snapshot was due after {i} edits");
    }
    let seg_bytes: u64 =
        segments_of(&w.data(), &a.device().id).iter().map(|p| std::fs::metadata(p).unwrap().len()).sum();
    assert!(seg_bytes * 4 < size * 2, "test setup: {seg_bytes} bytes of segments against a {size}-byte snapshot");
    // A quarter of the snapshot in segments, but the snapshot is from today: not yet.
    let mut i = 20;
    while tresor::sync::compact::segment_bytes_since(&tresor::paths::DataFolder::new(w.data()), SystemTime::UNIX_EPOCH)
        * 4
        < size
    {
        add(&mut a, &format!("Klient Nummer{i}"));
        a.sync_now().unwrap();
        i += 1;
    }
    assert!(!a.snapshot_due().unwrap(), "a snapshot younger than the minimum gap");
    // A day later it pays for itself.
    for s in snapshots(&w.data()) {
        age(&s, Duration::from_secs(21 * 3600));
    }
    for s in segments_of(&w.data(), &a.device().id) {
        age(&s, Duration::from_secs(22 * 3600));
    }
    assert!(!a.snapshot_due().unwrap(), "segments older than the snapshot were counted");
    add(&mut a, "Klient Heute");
    a.sync_now().unwrap();
    while !a.snapshot_due().unwrap() {
        add(&mut a, &format!("Klient Nummer{i}"));
        a.sync_now().unwrap();
        i += 1;
        assert!(i < 5000);
    }
    let n = snapshots(&w.data()).len();
    a.lock().unwrap();
    assert_eq!(snapshots(&w.data()).len(), n + 1, "lock did not write the due snapshot");
    // A bulk import outgrows the snapshot at once: no waiting a day for that.
    let mut a = w.open_vault().unwrap();
    let size = snapshots(&w.data()).iter().map(|p| std::fs::metadata(p).unwrap().len()).max().unwrap();
    let folder = tresor::paths::DataFolder::new(w.data());
    let since = |f: &tresor::paths::DataFolder| {
        let newest =
            snapshots(&w.data()).iter().map(|p| std::fs::metadata(p).unwrap().modified().unwrap()).max().unwrap();
        tresor::sync::compact::segment_bytes_since(f, newest)
    };
    while since(&folder) < size {
        for _ in 0..50 {
            add(&mut a, &format!("Import Nummer{i}"));
            i += 1;
        }
        a.sync_now().unwrap();
    }
    assert!(a.snapshot_due().unwrap());
}

#[test]
fn a_working_copy_made_anew_goes_on_with_its_computers_numbering() {
    let w = World::new();
    let a = a_with_history(&w, 3);
    let a_id = a.device().id.clone();
    let mut b = open_at(&w.data(), &w.dir.path().join("b"));
    b.sync_now().unwrap();
    // A's working copy is lost (deleted by hand); its device file stays.
    let db = a.working_dir().database();
    drop(a);
    std::fs::remove_file(&db).unwrap();
    let mut a = w.open_vault().unwrap();
    assert_eq!(a.device().id, a_id, "the computer kept its identity");
    assert_eq!(count(&a), 3, "the segments after the snapshot were applied back");
    // Its next change is numbered after everything it published, so B takes it.
    add(&mut a, "Nach dem Neuaufbau");
    a.sync_now().unwrap();
    let r = b.sync_now().unwrap();
    assert_eq!(r.applied.len(), 1, "{r:?}");
    assert_eq!(count(&b), 4);
    let exported = a.sync_status().unwrap().devices.iter().find(|d| d.this_device).unwrap().applied_through;
    let seen = b.sync_status().unwrap().devices.iter().find(|d| d.id == a_id).unwrap().applied_through;
    assert_eq!(seen, exported, "B's chain of A's segments has a hole");
}
