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
use tresor::sync::round::{self, FolderIo};
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

    let id = laptop.add_client(ClientInput::with_full_name("Zoë Öztürk")).unwrap();
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
    assert_eq!(desk.lock().unwrap().client(id).unwrap_err().code(), "record.not_found");
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
    assert_eq!(desk.lock().unwrap().client(id).unwrap().display_name(), "Zoë Öztürk");

    // The desk's own change goes out through the round and reaches the laptop.
    let mine = desk.lock().unwrap().add_client(ClientInput::with_full_name("Jörg Müller")).unwrap();
    let r = round::run(&desk, &io).unwrap();
    let written = r.sync.written.expect("the desk's segment");
    assert!(written.exists());
    laptop.sync_now().unwrap();
    assert_eq!(laptop.client(mine).unwrap().display_name(), "Jörg Müller");
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
    laptop.add_client(ClientInput::with_full_name("Anna Berger")).unwrap();
    laptop.sync_now().unwrap();
    let t = Instant::now();
    let r = round::run(&desk, &io).unwrap();
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
    assert_eq!(r.in_transit.len(), 2, "the laptop's segment and lease: {:?}", r.in_transit);
    laptop.lock().unwrap();
    desk.into_inner().unwrap().lock().unwrap();
}
