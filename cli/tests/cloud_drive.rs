//! A cloud drive at the file-system boundary (OneDrive Files On-Demand, iCloud "optimise
//! storage", Google Drive streaming), played on real folders: files listed but not downloaded
//! yet (reading fails, or would block), iCloud's stand-ins, renames refused while the drive holds
//! a file (as Windows refuses them), names that differ only in case, names a Mac wrote in NFD.
#![cfg(unix)]

mod common;

use std::collections::BTreeSet;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use tresor::fsutil::{self, Backoff, Renamer, Replaced};

/// The uid the files this process creates belong to (0 when the tests run as root).
fn my_uid(w: &World) -> u32 {
    let probe = w.dir.path().join("uid-probe");
    std::fs::write(&probe, b"").unwrap();
    let uid = std::fs::metadata(&probe).unwrap().uid();
    std::fs::remove_file(probe).unwrap();
    uid
}

/// An account without privileges, for playing placeholders: root reads a file whatever its
/// mode, so as root the CLI runs as `nobody` (setpriv, util-linux) on a world given to it.
struct Reader {
    as_nobody: bool,
}

impl Reader {
    fn new(w: &World) -> Option<Reader> {
        if my_uid(w) != 0 {
            return Some(Reader { as_nobody: false });
        }
        let have = Command::new("setpriv").arg("--version").output().is_ok_and(|o| o.status.success());
        if !have {
            println!("skipped: running as root without setpriv, so an unreadable file cannot be played");
            return None;
        }
        Some(Reader { as_nobody: true })
    }

    fn run(&self, w: &World, home: &Path, args: &[&str]) -> Output {
        let mut c = if self.as_nobody {
            chown_tree(w.dir.path(), 65534);
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_tresor")]);
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_tresor"))
        };
        c.env("TRESOR_HOME", home)
            .env("TRESOR_VAULT", w.data())
            .env("TRESOR_PASSWORD", PASSWORD)
            .env("TMPDIR", w.tmp())
            .env_remove("TRESOR_RECOVERY_KEY")
            .args(args);
        let start = Instant::now();
        let mut child = c.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
        while child.try_wait().unwrap().is_none() {
            assert!(start.elapsed() < Duration::from_secs(60), "tresor {args:?} blocked on a placeholder");
            std::thread::sleep(Duration::from_millis(20));
        }
        child.wait_with_output().unwrap()
    }
}

fn chown_tree(root: &Path, uid: u32) {
    let mut stack = vec![root.to_path_buf()];
    while let Some(p) = stack.pop() {
        let meta = std::fs::symlink_metadata(&p).unwrap();
        if meta.file_type().is_symlink() {
            continue;
        }
        std::os::unix::fs::chown(&p, Some(uid), Some(uid)).unwrap();
        if meta.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().flatten().map(|e| e.path()));
        }
    }
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn clients(r: &Reader, w: &World, home: &Path) -> u64 {
    let out = r.run(w, home, &["--json", "client", "list"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["total"].as_u64().unwrap()
}

/// This computer (home) and a laptop (its own working copy) that added one client and synced.
/// Returns the laptop's newest segment.
fn laptop_adds_a_client(r: &Reader, w: &World, name: &str) -> PathBuf {
    let laptop = w.dir.path().join("laptop");
    for args in [&["client", "add", "--name", name][..], &["sync"]] {
        let out = r.run(w, &laptop, args);
        assert_eq!(code(&out), 0, "{}", text(&out));
    }
    let mut newest: Option<PathBuf> = None;
    for dev in std::fs::read_dir(w.data().join("log")).unwrap().flatten() {
        for f in std::fs::read_dir(dev.path()).unwrap().flatten() {
            let m = f.metadata().unwrap().modified().unwrap();
            if newest.as_ref().is_none_or(|n| std::fs::metadata(n).unwrap().modified().unwrap() < m) {
                newest = Some(f.path());
            }
        }
    }
    newest.unwrap()
}

#[test]
fn a_file_listed_but_not_downloaded_is_skipped_and_retried_never_fatal() {
    let w = World::new();
    w.init();
    let Some(r) = Reader::new(&w) else { return };
    let home = w.home();
    let one = clients(&r, &w, &home);

    // 1. Reading fails (EACCES, as a placeholder of a drive that is not running answers).
    let seg = laptop_adds_a_client(&r, &w, "Eva Egger");
    let mode = std::fs::metadata(&seg).unwrap().permissions().mode();
    std::fs::set_permissions(&seg, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = r.run(&w, &home, &["sync"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(text(&out).contains("cannot read"), "{}", text(&out));
    assert_eq!(clients(&r, &w, &home), one, "nothing from the placeholder yet");
    std::fs::set_permissions(&seg, std::fs::Permissions::from_mode(mode)).unwrap();
    assert_eq!(clients(&r, &w, &home), one + 1, "downloaded: merged in the next round");

    // 2. Reading would block (a pipe stands where the file will be).
    let seg = laptop_adds_a_client(&r, &w, "Fritz Fink");
    let bytes = std::fs::read(&seg).unwrap();
    std::fs::remove_file(&seg).unwrap();
    assert!(Command::new("mkfifo").arg(&seg).status().unwrap().success());
    let out = r.run(&w, &home, &["sync"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(clients(&r, &w, &home), one + 1);
    std::fs::remove_file(&seg).unwrap();
    std::fs::write(&seg, &bytes).unwrap();
    r.run(&w, &home, &["sync"]);
    assert_eq!(clients(&r, &w, &home), one + 2);

    // 3. iCloud's stand-in: the file is gone, `.name.icloud` is there. In transit, not the user's
    //    business; the lease likewise.
    let seg = laptop_adds_a_client(&r, &w, "Gerda Gans");
    let bytes = std::fs::read(&seg).unwrap();
    let stub = seg.with_file_name(format!(".{}.icloud", seg.file_name().unwrap().to_string_lossy()));
    std::fs::rename(&seg, &stub).unwrap();
    let leases: Vec<PathBuf> =
        std::fs::read_dir(w.data().join("leases")).unwrap().flatten().map(|e| e.path()).collect();
    for l in &leases {
        std::fs::set_permissions(l, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    let out = r.run(&w, &home, &["--json", "status"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let stubs: Vec<_> = status["foreign"].as_array().unwrap().iter().filter(|f| f["kind"] == "in_transit").collect();
    assert_eq!(stubs.len(), 1, "{status}");
    assert_eq!(stubs[0]["needs_user"], false);
    for l in &leases {
        std::fs::set_permissions(l, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    std::fs::remove_file(&stub).unwrap();
    std::fs::write(&seg, &bytes).unwrap();
    r.run(&w, &home, &["sync"]);
    assert_eq!(clients(&r, &w, &home), one + 3);
}

/// A drive that holds files (uploading them, or a scanner reading them): renames of a held path
/// are refused with Windows' ERROR_SHARING_VIOLATION until it lets go.
#[derive(Clone, Default)]
struct Drive {
    held: Arc<Mutex<BTreeSet<PathBuf>>>,
}

impl Drive {
    fn hold(&self, p: &Path) {
        self.held.lock().unwrap().insert(p.to_path_buf());
    }
    fn release_after(&self, p: &Path, after: Duration) -> std::thread::JoinHandle<()> {
        let (held, p) = (self.held.clone(), p.to_path_buf());
        std::thread::spawn(move || {
            std::thread::sleep(after);
            held.lock().unwrap().remove(&p);
        })
    }
    fn rename(&self, a: &Path, b: &Path) -> std::io::Result<()> {
        let held = self.held.lock().unwrap();
        if held.contains(a) || held.contains(b) {
            return Err(std::io::Error::from_raw_os_error(32));
        }
        std::fs::rename(a, b)
    }
}

#[test]
fn a_rename_refused_as_on_windows_is_retried_with_back_off() {
    let w = World::new();
    w.init();
    let key = w.data().join("vault.key");
    let before = std::fs::read(&key).unwrap();
    let drive = Drive::default();
    // OneDrive uploads vault.key for 300 ms: the rename waits and then succeeds.
    drive.hold(&key);
    let release = drive.release_after(&key, Duration::from_millis(300));
    let tmp = w.data().join(format!("{}new", fsutil::TEMP_PREFIX));
    std::fs::write(&tmp, b"new header").unwrap();
    let d = drive.clone();
    let mut rename = move |a: &Path, b: &Path| d.rename(a, b);
    let mut waited = Vec::new();
    let mut wait = |t: Duration| {
        waited.push(t);
        std::thread::sleep(t);
    };
    let mut r = Renamer {
        rename: &mut rename,
        held: fsutil::is_windows_sharing_violation,
        wait: &mut wait,
        backoff: fsutil::BACKOFF,
    };
    fsutil::rename_durable_with(&tmp, &key, &mut r).unwrap();
    release.join().unwrap();
    assert_eq!(std::fs::read(&key).unwrap(), b"new header");
    assert!(waited.len() >= 3 && waited.windows(2).all(|p| p[1] >= p[0]), "{waited:?}");
    std::fs::write(&key, &before).unwrap();

    // A lease held for longer than the retries last: kept for the next round, not an error.
    let lease = std::fs::read_dir(w.data().join("leases")).unwrap().flatten().next().unwrap().path();
    drive.hold(&lease);
    let d = drive.clone();
    let mut rename = move |a: &Path, b: &Path| d.rename(a, b);
    let mut wait = |_: Duration| {};
    let quick = Backoff { tries: 3, first: Duration::from_millis(1), max: Duration::from_millis(2) };
    let mut r =
        Renamer { rename: &mut rename, held: fsutil::is_windows_sharing_violation, wait: &mut wait, backoff: quick };
    assert_eq!(fsutil::replace_or_keep_with(&lease, b"{\"newer\": true}", &mut r).unwrap(), Replaced::Kept);
    // The vault still opens and works meanwhile.
    assert_eq!(code(&w.run(&["client", "list"])), 0);
    drive.release_after(&lease, Duration::ZERO).join().unwrap();
    assert_eq!(fsutil::finish_kept(), 0);
    assert_eq!(std::fs::read(&lease).unwrap(), b"{\"newer\": true}");
    let temps = std::fs::read_dir(w.data().join("leases"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(fsutil::TEMP_PREFIX))
        .count();
    assert_eq!(temps, 0);
}

#[test]
fn names_that_differ_only_in_case_are_not_taken_for_ours() {
    let w = World::new();
    w.init();
    w.json(&["client", "add", "--name", "Jörg Müller"]);
    w.json(&["sync"]);
    let d = w.data();
    let me = std::fs::read_dir(d.join("log")).unwrap().flatten().next().unwrap().file_name().into_string().unwrap();
    std::fs::copy(d.join("vault.key"), d.join("Vault.key")).unwrap();
    std::fs::create_dir_all(d.join("LOG").join(&me)).unwrap();
    std::fs::create_dir_all(d.join("Snapshots")).unwrap();
    std::fs::create_dir_all(d.join("log").join(me.to_uppercase())).unwrap();
    let seg = std::fs::read_dir(d.join("log").join(&me)).unwrap().flatten().next().unwrap().path();
    std::fs::copy(&seg, d.join("log").join(me.to_uppercase()).join(seg.file_name().unwrap())).unwrap();
    std::fs::copy(&seg, seg.with_extension("SEG")).unwrap();
    std::fs::copy(
        d.join("leases").join(format!("{me}.json")),
        d.join("leases").join(format!("{}.json", me.to_uppercase())),
    )
    .unwrap();
    for args in [&["client", "list"][..], &["sync"], &["verify"]] {
        let out = w.run(args);
        assert_eq!(code(&out), 0, "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let status = w.json(&["status"]);
    let foreign: Vec<(String, String, bool)> = status["foreign"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["shown"].as_str().unwrap().into(), f["kind"].as_str().unwrap().into(), f["needs_user"] == true))
        .collect();
    let seg_name = seg.file_name().unwrap().to_string_lossy().replace(".seg", ".SEG");
    let expect = [
        ("LOG".to_string(), "unknown", true),
        ("Snapshots".into(), "unknown", true),
        ("Vault.key".into(), "header_conflict", false),
        (format!("leases/{}.json", me.to_uppercase()), "unknown", true),
        (format!("log/{}", me.to_uppercase()), "unknown", true),
        (format!("log/{me}/{seg_name}"), "unknown", true),
    ];
    for (shown, kind, needs) in expect {
        assert!(foreign.contains(&(shown.clone(), kind.into(), needs)), "{shown}: {foreign:?}");
    }
    assert_eq!(status["devices"].as_array().unwrap().len(), 1, "an upper-case copy is no second device");
}

#[test]
fn names_written_in_nfd_by_a_mac_work() {
    let w = World::new();
    // The data folder, as a Mac's sync client wrote it: "Praxis Müller" decomposed.
    let nfd = w.dir.path().join("Praxis Mu\u{308}ller");
    let run = |home: &Path, args: &[&str]| {
        let out = w.cli().env("TRESOR_VAULT", &nfd).env("TRESOR_HOME", home).args(args).output().unwrap();
        assert_eq!(code(&out), 0, "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
    };
    run(&w.home(), &["init", "--kdf-ms", "0"]);
    run(&w.home(), &["client", "add", "--name", "Jo\u{308}rg Mu\u{308}ller"]);
    run(&w.home(), &["sync"]);
    let mac = w.dir.path().join("mac");
    let out = w
        .cli()
        .env("TRESOR_VAULT", &nfd)
        .env("TRESOR_HOME", &mac)
        .env("TRESOR_DEVICE_NAME", "Jo\u{308}rgs MacBook")
        .args(["sync"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::write(nfd.join("Befund Mu\u{308}ller.pdf"), b"x").unwrap();
    let status = run(&w.home(), &["status"]);
    assert!(status.contains("Jörgs MacBook"), "the Mac's name, in NFC like every device name: {status}");
    assert!(status.contains("Befund Mu\u{308}ller.pdf"), "{status}");
    let list = run(&mac, &["client", "list"]);
    assert!(list.contains("Mu\u{308}ller") || list.contains("Müller"), "{list}");
}
