//! Background work and the automatic lock: a sync round that waits on a data folder that does
//! not answer (a cloud file listed but not downloaded), a round that holds the vault, and a
//! round that panics. In each case the guard locks on time, the window hears about problems in
//! words, and the worker keeps going.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use secrecy::SecretString;
use tresor::domain::{ClientInput, Country};
use tresor::sync::round::FolderIo;
use tresor::{Unlock, Vault};
use tresor_desktop::error::ApiError;
use tresor_desktop::guard::{self, Decision, Reason, Watch, GRACE};
use tresor_desktop::handlers::{self as h, SyncState};
use tresor_desktop::live::{Events, Round, Worker};
use tresor_desktop::state::Shell;

const PASSWORD: &str = "Sonnenblume am Fenster 7";
const MIN: Duration = Duration::from_secs(60);

#[derive(Default)]
struct Recorded {
    synced: Mutex<Vec<SyncState>>,
    problems: Mutex<Vec<ApiError>>,
    locked: Mutex<Vec<Reason>>,
}

impl Events for Recorded {
    fn synced(&self, state: &SyncState) {
        self.synced.lock().unwrap().push(state.clone());
    }
    fn problem(&self, problem: &ApiError) {
        self.problems.lock().unwrap().push(problem.clone());
    }
    fn lock_requested(&self, _: Reason) {}
    fn locked(&self, reason: Reason) {
        self.locked.lock().unwrap().push(reason);
    }
}

fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let t = Instant::now();
    while !done() {
        assert!(t.elapsed() < limit, "waited {limit:?} for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs the guard through a sleep of the computer (the wall clock jumps two minutes past the
/// monotonic one): it asks the window first, then locks by itself after the grace time. Returns
/// how long the guard itself took; it must never wait on anything.
fn guard_locks(shell: &Shell, events: &Recorded) -> Duration {
    let (t0, w0) = (Instant::now(), SystemTime::now());
    let mut watch = Watch::new(t0, w0);
    let started = Instant::now();
    let (t1, w1) = (t0 + guard::TICK, w0 + guard::TICK + 2 * MIN);
    assert_eq!(guard::tick(shell, events, &mut watch, t1, w1), Decision::Request(Reason::Sleep));
    assert_eq!(guard::tick(shell, events, &mut watch, t1 + GRACE, w1 + GRACE), Decision::Force(Reason::Sleep));
    started.elapsed()
}

struct Desk {
    _dir: tempfile::TempDir,
    folder: PathBuf,
    shell: Shell,
}

/// A vault open in the shell, and a laptop that wrote a segment and its lease into the same
/// data folder.
fn desk_and_laptop() -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("OneDrive/Tresor");
    let opts = tresor::CreateOptions {
        kdf_target: Duration::ZERO,
        local_root: Some(dir.path().join("desk")),
        country: Country::AT,
    };
    let (v, _) = Vault::create(&folder, &SecretString::from(PASSWORD), &opts).unwrap();
    let mut laptop =
        Vault::open_in(&folder, &dir.path().join("laptop"), Unlock::Password(&SecretString::from(PASSWORD))).unwrap();
    laptop.records_mut().add_client(ClientInput::with_full_name("Zoë Öztürk")).unwrap();
    laptop.sync_now().unwrap();
    laptop.lock().unwrap();
    let shell = Shell::new(None);
    shell.install(v);
    Desk { _dir: dir, folder, shell }
}

fn unlock(desk: &Desk) {
    // Unlocking waits for the locked vault's last files, then opens a new one (TRESOR_HOME is not
    // used: the desk's working copy lives where `desk_and_laptop` made it).
    desk.shell.close_pending().unwrap();
}

#[test]
fn the_guard_locks_on_time_while_a_round_waits_on_a_cloud_file() {
    let desk = desk_and_laptop();
    let shell = desk.shell.clone();
    let events = Arc::new(Recorded::default());
    // The laptop's segment is listed but not downloaded: reading it blocks until "hydrated".
    let hydrated = Arc::new(AtomicBool::new(false));
    let reading = Arc::new(AtomicBool::new(false));
    let (hy, rd) = (hydrated.clone(), reading.clone());
    let io = FolderIo::with_reader(Duration::from_secs(60), move |p| {
        if p.extension().is_some_and(|e| e == "seg") {
            rd.store(true, Ordering::SeqCst);
            while !hy.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        std::fs::read(p)
    });
    let worker = Worker::start(shell.clone(), events.clone(), io, Arc::new(h::sync_round)).unwrap();
    wait_for("the round to reach the blocked file", Duration::from_secs(10), || reading.load(Ordering::SeqCst));

    // The window still answers while the round waits on the folder.
    let t = Instant::now();
    assert!(h::clients(&shell, &Default::default()).is_ok());
    assert!(h::sync_status(&shell).is_ok());
    assert!(t.elapsed() < Duration::from_secs(1), "the window waited on the folder: {:?}", t.elapsed());

    let took = guard_locks(&shell, &events);
    assert!(took < Duration::from_millis(200), "the guard waited: {took:?}");
    assert!(!shell.is_unlocked());
    assert_eq!(h::clients(&shell, &Default::default()).unwrap_err().code, "vault.locked");
    assert_eq!(*events.locked.lock().unwrap(), vec![Reason::Sleep]);

    // The vault closes (its last files written) without waiting for the download, and the
    // round that was waiting ends without touching it.
    let t = Instant::now();
    unlock(&desk);
    assert!(t.elapsed() < Duration::from_secs(5), "closing waited on the folder: {:?}", t.elapsed());
    hydrated.store(true, Ordering::SeqCst);
    drop(worker);
    assert!(events.problems.lock().unwrap().is_empty(), "{:?}", events.problems.lock().unwrap());
    let _ = &desk.folder;
}

#[test]
fn the_guard_locks_at_once_while_background_work_holds_the_vault() {
    let desk = desk_and_laptop();
    let shell = desk.shell.clone();
    let events = Recorded::default();
    // A long piece of database work (a snapshot of a large practice, say) holds the vault.
    let holding = Arc::new(AtomicBool::new(false));
    let (s, hd) = (shell.clone(), holding.clone());
    let holder = std::thread::spawn(move || {
        s.write(|_| {
            hd.store(true, Ordering::SeqCst);
            std::thread::sleep(Duration::from_secs(2));
            Ok(())
        })
    });
    wait_for("the vault to be held", Duration::from_secs(5), || holding.load(Ordering::SeqCst));
    let took = guard_locks(&shell, &events);
    assert!(took < Duration::from_millis(200), "the guard waited for the vault: {took:?}");
    assert!(!shell.is_unlocked());
    holder.join().unwrap().unwrap();
    unlock(&desk);
    // Nothing more happens with a locked vault, even for work that was waiting for it.
    assert_eq!(shell.write(|_| Ok(())).unwrap_err().code, "vault.locked");
}

#[test]
fn a_panicking_round_is_told_in_words_and_neither_the_worker_nor_the_guard_stops() {
    let desk = desk_and_laptop();
    let shell = desk.shell.clone();
    let events = Arc::new(Recorded::default());
    let rounds = Arc::new(AtomicUsize::new(0));
    let r = rounds.clone();
    let round: Arc<Round> = Arc::new(move |shell: &Shell, io: &FolderIo| {
        if r.fetch_add(1, Ordering::SeqCst) == 0 {
            // While holding the vault, as a bug in a merge would.
            shell.write(|_| -> tresor::Result<()> { panic!("a bug in a sync round") }).ok();
        }
        h::sync_round(shell, io)
    });
    let worker = Worker::start(shell.clone(), events.clone(), FolderIo::new(Duration::from_secs(5)), round).unwrap();
    wait_for("the panic to be reported", Duration::from_secs(10), || !events.problems.lock().unwrap().is_empty());
    assert_eq!(events.problems.lock().unwrap()[0].code, "shell.background_panic");
    assert_eq!(h::sync_status(&shell).unwrap().problem.map(|p| p.code).as_deref(), Some("shell.background_panic"));

    // The worker goes on: the next round merges the laptop's client and clears the problem.
    worker.nudge();
    wait_for("a good round", Duration::from_secs(10), || !events.synced.lock().unwrap().is_empty());
    let state = h::sync_status(&shell).unwrap();
    assert!(state.problem.is_none(), "{state:?}");
    assert_eq!(h::clients(&shell, &Default::default()).unwrap().total, 1);

    // And the vault still locks by itself.
    guard_locks(&shell, &events);
    assert!(!shell.is_unlocked());
    drop(worker);
    unlock(&desk);
    assert!(rounds.load(Ordering::SeqCst) >= 2);
}
