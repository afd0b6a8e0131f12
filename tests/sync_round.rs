//! The phased sync round (`sync::round`) on real files: two computers on one data folder, one of
//! whose segment files cannot be read yet (a cloud placeholder: the read blocks). The round goes
//! on without it, names it "in transit", holds the vault only between the phases, and applies the
//! file once it reads.

mod common;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use secrecy::SecretString;
use tresor::domain::client::ClientInput;
use tresor::sync::round::FolderIo;
use tresor::vault::round;
use tresor::{Unlock, Vault};

fn open(w: &World, home: &str) -> Vault {
    Vault::open_in(&w.data(), &w.dir.path().join(home), Unlock::Password(&SecretString::from(PASSWORD))).unwrap()
}

#[test]
fn a_blocked_segment_is_in_transit_and_applied_once_it_reads() {
    let w = World::new();
    let (a, _) = w.create_vault();
    a.lock().unwrap();
    let mut laptop = open(&w, "laptop");
    let desk = Mutex::new(open(&w, "home"));

    let id = laptop.records_mut().add_client(ClientInput::with_full_name("Zoë Öztürk")).unwrap();
    let seg: PathBuf = laptop.sync_now().unwrap().written.expect("a segment");

    // The desk's cloud drive has not downloaded the laptop's segment: reading it blocks.
    let hydrated = Arc::new(AtomicBool::new(false));
    let h = hydrated.clone();
    let blocked = seg.clone();
    let io = FolderIo::with_reader(Duration::from_secs(1), move |p| {
        while p == blocked && !h.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(20));
        }
        std::fs::read(p)
    });
    let t = Instant::now();
    let r = round::run(&desk, &io).unwrap();
    assert!(t.elapsed() < Duration::from_secs(8), "the round waited on the blocked file: {:?}", t.elapsed());
    assert_eq!(r.in_transit, vec![seg.clone()]);
    assert!(r.sync.applied.is_empty());
    assert!(r.foreign.is_some(), "the walk for foreign files finished");
    // While the round waited on the folder, the vault was free (this lock would have hung).
    assert_eq!(desk.lock().unwrap().records().client(id).unwrap_err().code(), "record.not_found");
    // Its own lease went out, and the laptop is seen as open.
    assert_eq!(r.sync.others_open.len(), 1);

    hydrated.store(true, Ordering::SeqCst);
    // The read that was left running finishes now; until it has, the file stays in transit.
    let t = Instant::now();
    let r = loop {
        let r = round::run(&desk, &io).unwrap();
        if r.in_transit.is_empty() || t.elapsed() > Duration::from_secs(10) {
            break r;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(r.in_transit.is_empty(), "{:?}", r.in_transit);
    assert_eq!(r.sync.applied, vec![seg]);
    assert_eq!(desk.lock().unwrap().records().client(id).unwrap().display_name(), "Zoë Öztürk");

    // The desk's own change goes out through the round and reaches the laptop.
    let mine = desk.lock().unwrap().records_mut().add_client(ClientInput::with_full_name("Jörg Müller")).unwrap();
    let r = round::run(&desk, &io).unwrap();
    let written = r.sync.written.expect("the desk's segment");
    assert!(written.exists());
    laptop.sync_now().unwrap();
    assert_eq!(laptop.records().client(mine).unwrap().display_name(), "Jörg Müller");
    // Written once: the next round seals nothing new.
    assert!(round::run(&desk, &io).unwrap().sync.written.is_none());
    desk.into_inner().unwrap().lock().unwrap();
    laptop.lock().unwrap();
}

#[test]
fn a_folder_that_does_not_answer_holds_up_neither_the_round_nor_the_vault() {
    let w = World::new();
    let (v, _) = w.create_vault();
    let desk = Mutex::new(v);
    // Every read blocks for longer than the limit: leases and segments alike.
    let io = FolderIo::with_reader(Duration::from_millis(300), |p| {
        std::thread::sleep(Duration::from_secs(4));
        std::fs::read(p)
    });
    let mut laptop = open(&w, "laptop");
    laptop.records_mut().add_client(ClientInput::with_full_name("Anna Berger")).unwrap();
    laptop.sync_now().unwrap();
    let t = Instant::now();
    let r = round::run(&desk, &io).unwrap();
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
    assert_eq!(r.in_transit.len(), 2, "the laptop's segment and lease: {:?}", r.in_transit);
    laptop.lock().unwrap();
    desk.into_inner().unwrap().lock().unwrap();
}

/// The names in a folder, sorted (none when it does not exist).
fn names(dir: &std::path::Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    n.sort();
    n
}

/// Hands out the vault like the app does, and fails if the data folder's snapshots change while
/// the vault is held.
struct Watched<'a> {
    vault: &'a Mutex<Vault>,
    snapshots: PathBuf,
    held: std::sync::atomic::AtomicUsize,
}

impl round::VaultAccess for Watched<'_> {
    fn with_vault<T>(&self, f: impl FnOnce(&mut Vault) -> tresor::Result<T>) -> tresor::Result<T> {
        self.held.fetch_add(1, Ordering::SeqCst);
        let before = names(&self.snapshots);
        let out = self.vault.with_vault(f);
        assert_eq!(names(&self.snapshots), before, "the data folder was written while the vault was held");
        out
    }
}

#[test]
fn a_due_snapshot_is_made_with_the_vault_and_copied_into_the_folder_without_it() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let snapshots = w.data().join("snapshots");
    // No snapshot in the folder: one is due as soon as anything changed.
    for n in names(&snapshots) {
        std::fs::remove_file(snapshots.join(n)).unwrap();
    }
    let id = v.records_mut().add_client(ClientInput::with_full_name("Zoë Öztürk")).unwrap();
    let work = v.working_dir().root().to_path_buf();
    let work_before = names(&work);
    let desk = Mutex::new(v);
    let access = Watched { vault: &desk, snapshots: snapshots.clone(), held: Default::default() };
    let io = FolderIo::new(Duration::from_secs(60));

    let phase = round::snapshot_phase(&access, &io).unwrap();
    let round::SnapshotPhase::Written(path) = phase else { panic!("{phase:?}") };
    assert_eq!(names(&snapshots), vec![path.file_name().unwrap().to_string_lossy().into_owned()]);
    assert!(access.held.load(Ordering::SeqCst) >= 2, "policy and making the snapshot hold the vault");
    assert_eq!(names(&work), work_before, "the local copy of the snapshot is gone once published");
    // Looked at a moment ago: the next round does not look again.
    assert_eq!(round::snapshot_phase(&access, &io).unwrap(), round::SnapshotPhase::NotDue);
    assert_eq!(names(&snapshots).len(), 1);

    // A new computer opens the practice from it.
    desk.into_inner().unwrap().lock().unwrap();
    let new = open(&w, "new computer");
    assert_eq!(new.records().client(id).unwrap().display_name(), "Zoë Öztürk");
    new.lock().unwrap();
}

#[test]
fn a_snapshot_made_but_never_published_leaves_nothing_behind() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    v.records_mut().add_client(ClientInput::with_full_name("Anna Berger")).unwrap();
    let work = v.working_dir().root().to_path_buf();
    let before = (names(&work), names(&w.data().join("snapshots")));
    let prepared = v.prepare_snapshot().unwrap();
    assert_eq!(names(&work).len(), before.0.len() + 1, "made in the working folder");
    drop(prepared);
    assert_eq!((names(&work), names(&w.data().join("snapshots"))), before);
    v.lock().unwrap();
}
