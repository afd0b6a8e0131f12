//! Compaction in the app's rounds on real files, with a data folder whose every access blocks
//! until the test lets it go (a cloud drive fetching a placeholder): the vault stays free while
//! compaction reads, copies, proves from and removes in the folder, and a vault locked halfway
//! ends the compaction with nothing removed.

mod common;

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::*;
use tresor::domain::client::ClientInput;
use tresor::store::ClientQuery;
use tresor::sync::round::FolderIo;
use tresor::vault::compaction::{self, Compaction};
use tresor::vault::round;
use tresor::Vault;

const WEEK_AND_A_DAY: Duration = Duration::from_secs(8 * 24 * 3600);
const SNAPSHOT: &str = "tresor-snapshot";

/// A vault whose segments may all go: three synced clients, two snapshots holding them, every
/// segment older than the grace time. Returns it with its device id.
fn compactable(w: &World) -> (Vault, String) {
    let (mut v, _) = w.create_vault();
    for i in 0..3 {
        v.records_mut().add_client(ClientInput::with_full_name(&format!("Klient {i}"))).unwrap();
        v.sync_now().unwrap();
        v.snapshot_now().unwrap();
    }
    let me = v.device().id.clone();
    for s in segments_of(&w.data(), &me) {
        age(&s, WEEK_AND_A_DAY);
    }
    (v, me)
}

/// Folder work that blocks at each path `block` picks until the test releases it: each arrival
/// is announced on the receiver, each send on the sender lets one go (or 30 s pass, so a failing
/// test never hangs).
fn blocking_io(block: impl Fn(&Path) -> bool + Send + Sync + 'static) -> (FolderIo, Receiver<PathBuf>, Sender<()>) {
    let (arrived, arrivals) = channel();
    let (release, released) = channel::<()>();
    let (arrived, released) = (Mutex::new(arrived), Mutex::new(released));
    let io = FolderIo::new(Duration::from_secs(120)).with_gate(move |p| {
        if block(p) {
            let _ = arrived.lock().unwrap().send(p.to_path_buf());
            let _ = released.lock().unwrap().recv_timeout(Duration::from_secs(30));
        }
    });
    (io, arrivals, release)
}

fn count(v: &Vault) -> usize {
    v.records().clients(&ClientQuery { limit: 1_000, ..Default::default() }).unwrap().0.len()
}

/// Temp files in `dir` (a local copy of a snapshot made for its proof would be one).
fn temp_files(dir: &Path) -> Vec<String> {
    let names = std::fs::read_dir(dir).map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()));
    names.map(|n| n.filter(|n| n.starts_with(".tresor-tmp-")).collect()).unwrap_or_default()
}

#[test]
fn the_vault_is_free_while_compaction_reads_proves_from_and_removes_in_the_folder() {
    let w = World::new();
    let (v, me) = compactable(&w);
    let before = segments_of(&w.data(), &me).len();
    let desk = Mutex::new(v);
    let (io, arrivals, release) = blocking_io(|_| true);
    let mut touched = Vec::new();
    let phase = std::thread::scope(|s| {
        let phase = s.spawn(|| round::snapshot_phase(&desk, &io));
        loop {
            let p = match arrivals.recv_timeout(Duration::from_millis(100)) {
                Ok(p) => p,
                Err(RecvTimeoutError::Timeout) if !phase.is_finished() => continue,
                Err(_) => break,
            };
            // While the folder job waits on the "cloud drive", this computer's user works on.
            let t = Instant::now();
            let mut v = loop {
                if let Ok(v) = desk.try_lock() {
                    break v;
                }
                assert!(t.elapsed() < Duration::from_secs(5), "the vault was held while {p:?} blocked");
                std::thread::sleep(Duration::from_millis(10));
            };
            v.records_mut().add_client(ClientInput::with_full_name("Während des Wartens")).unwrap();
            drop(v);
            touched.push(p);
            release.send(()).unwrap();
        }
        phase.join().unwrap()
    });
    assert_eq!(phase.unwrap(), round::SnapshotPhase::NotDue);
    let snapshots_read = touched.iter().filter(|p| p.extension().is_some_and(|e| e == SNAPSHOT)).count();
    assert_eq!(snapshots_read, 2, "the two snapshots were read for their proof: {touched:?}");
    assert!(touched.contains(&w.data().join("leases").join(format!("{me}.json"))), "{touched:?}");
    assert!(touched.iter().filter(|p| **p == w.data().join("log").join(&me)).count() >= 2, "survey and removal");
    let left = segments_of(&w.data(), &me).len();
    assert!(left < before, "nothing was removed: {left} of {before}");
    let v = desk.into_inner().unwrap();
    assert_eq!(count(&v), 3 + touched.len(), "a change made during each blocked folder job");
    assert!(temp_files(v.working_dir().root()).is_empty(), "a local copy of a snapshot was left behind");
    assert!(lease_of(&w.data(), &me)["compacted"].as_i64().unwrap() > 0, "the floor was announced");
    v.lock().unwrap();
}

#[test]
fn a_vault_locked_mid_compaction_ends_it_and_removes_nothing() {
    // Locked while a snapshot is read for its proof, and while the lease that announces the
    // floor is written (the last step before removing).
    for at in ["snapshot", "lease"] {
        let w = World::new();
        let (v, me) = compactable(&w);
        let before = segments_of(&w.data(), &me);
        let work = v.working_dir().root().to_path_buf();
        let lease = w.data().join("leases").join(format!("{me}.json"));
        let floor_before = lease_of(&w.data(), &me)["compacted"].as_i64().unwrap_or(0);
        let slot = Mutex::new(Some(v));
        let watched = lease.clone();
        let (io, arrivals, release) = blocking_io(move |p| match at {
            "snapshot" => p.extension().is_some_and(|e| e == SNAPSHOT),
            _ => p == watched,
        });
        let result = std::thread::scope(|s| {
            let run = s.spawn(|| compaction::compact(&slot, &io, Duration::ZERO));
            let p = arrivals.recv_timeout(Duration::from_secs(30)).expect("the folder job started");
            // The app locks: the vault is gone before the blocked read or write finishes.
            drop(slot.lock().unwrap().take());
            release.send(()).unwrap();
            (p, run.join().unwrap())
        });
        let (p, result) = result;
        assert!(at != "lease" || p == lease, "{at}: {p:?}");
        assert_eq!(result.map_err(|e| e.code()), Err("vault.locked"), "{at}");
        assert_eq!(segments_of(&w.data(), &me), before, "{at}: a segment was removed after the lock");
        assert!(temp_files(&work).is_empty(), "{at}: a local copy of a snapshot was left behind");
        let floor = lease_of(&w.data(), &me)["compacted"].as_i64().unwrap_or(0);
        // The floor may be announced (it only makes a computer that lacks these rebuild); it
        // never goes back.
        assert!(floor >= floor_before, "{at}");
        assert_eq!(floor > floor_before, at == "lease", "{at}: floor {floor_before} → {floor}");
    }
}

#[test]
fn the_command_line_form_still_compacts_in_one_call() {
    let w = World::new();
    let (mut v, me) = compactable(&w);
    let before = segments_of(&w.data(), &me).len();
    let removed = v.compact_segments().unwrap();
    assert!(removed > 0 && segments_of(&w.data(), &me).len() == before - removed, "{removed} of {before}");
    // What is left is not in both snapshots: the phased form removes nothing more.
    let slot = Mutex::new(Some(v));
    assert_eq!(
        compaction::compact(&slot, &FolderIo::new(Duration::from_secs(60)), Duration::ZERO).unwrap(),
        Compaction::Nothing
    );
    slot.into_inner().unwrap().unwrap().lock().unwrap();
}

/// Hands out the vault and records how long each piece of work held it.
struct Timed {
    vault: Mutex<Vault>,
    holds: Mutex<Vec<Duration>>,
}

impl round::VaultAccess for Timed {
    fn with_vault<T>(&self, f: impl FnOnce(&mut Vault) -> tresor::Result<T>) -> tresor::Result<T> {
        let mut v = self.vault.lock().unwrap();
        let t = Instant::now();
        let out = f(&mut v);
        self.holds.lock().unwrap().push(t.elapsed());
        out
    }
}

/// A measurement, not a check (docs/ARCHITECTURE.md, "Compaction off the vault's lock"): how
/// long compaction holds the vault on the ten-year practice, against how long it takes.
/// `cargo test --test compaction_unlocked -- --ignored --nocapture`
#[cfg(feature = "tools")]
#[test]
#[ignore = "a measurement: generates the ten-year practice"]
fn how_long_compaction_holds_the_vault_on_the_ten_year_practice() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let opts = tresor::demo::DemoOptions { clients: 150, sessions: 12_000, years: 10, seed: 1 };
    tresor::demo::generate(&mut v, &opts, |_| {}).unwrap();
    for name in ["Erste", "Zweite"] {
        v.records_mut().add_client(ClientInput::with_full_name(name)).unwrap();
        v.sync_now().unwrap();
        v.snapshot_now().unwrap();
    }
    let me = v.device().id.clone();
    for s in segments_of(&w.data(), &me) {
        age(&s, WEEK_AND_A_DAY);
    }
    let size: u64 = std::fs::read_dir(w.data().join("snapshots"))
        .unwrap()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .max()
        .unwrap_or(0);
    // For comparison: making a snapshot holds the vault for `VACUUM INTO` and its full proof.
    v.records_mut().add_client(ClientInput::with_full_name("Dritte")).unwrap();
    let t = Instant::now();
    drop(v.prepare_snapshot().unwrap());
    println!("making a snapshot in the working folder held the vault {} ms", t.elapsed().as_millis());
    let timed = Timed { vault: Mutex::new(v), holds: Mutex::new(Vec::new()) };
    let t = Instant::now();
    let done = compaction::compact(&timed, &FolderIo::new(Duration::from_secs(600)), Duration::ZERO).unwrap();
    let total = t.elapsed();
    let holds = timed.holds.lock().unwrap().clone();
    let held: Duration = holds.iter().sum();
    println!(
        "snapshot {:.1} MB, {done:?}: {} ms in all, the vault held {} ms in {} pieces (longest {} ms)",
        size as f64 / 1e6,
        total.as_millis(),
        held.as_millis(),
        holds.len(),
        holds.iter().max().copied().unwrap_or_default().as_millis()
    );
    assert!(matches!(done, Compaction::Removed(_)), "{done:?}");
}
