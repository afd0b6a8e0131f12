//! Nothing in the data folder can stop Tresor: stray files under any name, folders and links
//! where files belong, pipes, oversized files, hostile lease names. Every command still works,
//! what is not ours is reported and left exactly as it was.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Runs a command; fails the test if it takes longer than `limit` (a hang is a defect here).
fn run_within(mut cmd: Command, limit: Duration) -> Output {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("{cmd:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn tresor(w: &World, args: &[&str]) -> Output {
    let mut c = w.cli();
    c.args(args);
    run_within(c, Duration::from_secs(60))
}

fn ok(w: &World, args: &[&str]) -> String {
    let out = tresor(w, args);
    assert_eq!(code(&out), 0, "tresor {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// What lies below `dir`, without following links or opening pipes: for each path its kind and,
/// for files, its bytes; for links, the target.
fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            let t = e.file_type().unwrap();
            let v = if t.is_symlink() {
                format!("link {:?}", std::fs::read_link(&p).unwrap())
            } else if t.is_dir() {
                stack.push(p.clone());
                "dir".into()
            } else if t.is_file() {
                let meta = std::fs::metadata(&p).unwrap();
                if meta.len() > 1 << 20 {
                    format!("big {}", meta.len())
                } else {
                    format!("file {:?}", std::fs::read(&p).unwrap())
                }
            } else {
                "special".into()
            };
            out.insert(p, v);
        }
    }
    out
}

/// The part of `tree` that is not Tresor's own (everything but what `ours` says).
fn strays(w: &World, ours: &BTreeMap<PathBuf, String>) -> BTreeMap<PathBuf, String> {
    tree(&w.data()).into_iter().filter(|(p, _)| !ours.contains_key(p)).collect()
}

/// Every stray is still there, as it was (Tresor's own new files do not matter here).
fn untouched(w: &World, before: &BTreeMap<PathBuf, String>) {
    let now = tree(&w.data());
    for (p, v) in before {
        assert_eq!(now.get(p), Some(v), "{p:?} was touched");
    }
}

/// A vault with a client, written by this computer and a second one (its own working copy).
fn two_computers(w: &World) -> (String, String) {
    w.init();
    w.json(&["client", "add", "--name", "Jörg Müller"]);
    w.json(&["sync"]);
    let other = w.dir.path().join("laptop");
    let out = w.cli().env("TRESOR_HOME", &other).args(["client", "add", "--name", "Eva Egger"]).output().unwrap();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let out = w.cli().env("TRESOR_HOME", &other).args(["sync"]).output().unwrap();
    assert_eq!(code(&out), 0);
    let devices: Vec<String> = std::fs::read_dir(w.data().join("log"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let status = w.json(&["status"]);
    let me = status["devices"].as_array().unwrap().iter().find(|d| d["this_device"] == true).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let other = devices.into_iter().find(|d| *d != me).expect("the second computer's log");
    (me, other)
}

/// Every command a user runs daily, each within a minute and successful.
fn every_command_works(w: &World) -> String {
    let mut all = String::new();
    for args in [&["client", "list"][..], &["status"], &["sync"], &["verify"], &["--json", "status"]] {
        all += &ok(w, args);
    }
    all
}

#[test]
fn a_stray_file_with_an_umlaut_in_log_stops_nothing() {
    // The defect: `log/Protokoll_Müller_2026.txt` made every command panic (the name was cut at
    // byte 12, inside the ü), in `log/` as in `log/<device>/`, and so did the Mac's NFD form.
    let w = World::new();
    let (me, other) = two_computers(&w);
    let ours = tree(&w.data());
    let log = w.data().join("log");
    for dir in [log.clone(), log.join(&me), log.join(&other)] {
        std::fs::write(dir.join("Protokoll_Müller_2026.txt"), "Sitzung 3").unwrap();
        std::fs::write(dir.join("Protokoll_Mu\u{308}ller_2026.txt"), "Sitzung 4").unwrap();
    }
    let before = strays(&w, &ours);
    assert_eq!(before.len(), 6);
    every_command_works(&w);
    let status = w.json(&["status"]);
    let foreign = status["foreign"].as_array().unwrap();
    let stray: Vec<_> = foreign.iter().filter(|f| f["shown"].as_str().unwrap().contains("Protokoll")).collect();
    assert_eq!(stray.len(), 6, "{foreign:?}");
    assert!(stray.iter().all(|f| f["kind"] == "unknown" && f["needs_user"] == true));
    untouched(&w, &before);
}

#[cfg(unix)]
#[test]
fn a_hostile_data_folder_is_reported_and_left_as_it_was() {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::symlink;
    let w = World::new();
    let (me, other) = two_computers(&w);
    let ours = tree(&w.data());
    let d = w.data();
    let name = |b: &[u8]| PathBuf::from(std::ffi::OsStr::from_bytes(b));
    let mkfifo = |p: &Path| assert!(Command::new("mkfifo").arg(p).status().unwrap().success());
    for dir in [d.clone(), d.join("log"), d.join("log").join(&other), d.join("snapshots"), d.join("leases")] {
        std::fs::write(dir.join(name(b"latin1-M\xfcller.txt")), b"x").unwrap();
        std::fs::write(dir.join("zwei\nZeilen\u{1b}[31m.txt"), b"x").unwrap();
        std::fs::write(dir.join("l".repeat(250)), b"x").unwrap();
        std::fs::write(dir.join("Ärger 2.txt"), b"x").unwrap();
        symlink(dir.join("nowhere"), dir.join("dangling")).unwrap();
    }
    // Folders, pipes and links where Tresor's files belong.
    let seg = "000000000900-000000000901.seg";
    std::fs::create_dir_all(d.join("log").join(&other).join(seg)).unwrap();
    mkfifo(&d.join("log").join(&other).join("000000000902-000000000903.seg"));
    std::fs::create_dir_all(d.join("leases").join("01a22c45-2e1a-767b-bd69-51b5f3305799.json")).unwrap();
    mkfifo(&d.join("leases").join("01a22c45-2e1a-767b-bd69-51b5f3305798.json"));
    symlink("/etc/passwd", d.join("leases").join("01a22c45-2e1a-767b-bd69-51b5f3305797.json")).unwrap();
    let snap_name = std::fs::read_dir(d.join("snapshots")).unwrap().flatten().next().unwrap().file_name();
    let fake_snap = snap_name.to_string_lossy().replace("_1.tresor", "_0.tresor");
    std::fs::create_dir_all(d.join("snapshots").join(fake_snap)).unwrap();
    // Issue 10 #8: links that loop inside the folder or lead out of it.
    symlink(".", d.join("snapshots").join("a")).unwrap();
    symlink(".", d.join("snapshots").join("b")).unwrap();
    symlink("/usr", d.join("log").join(&me).join("usr")).unwrap();
    symlink("/usr", d.join("log").join("01a22c45-2e1a-767b-bd69-51b5f3305796")).unwrap();
    symlink("..", d.join("attachments")).unwrap();
    // Device folders a person or a sync client made.
    std::fs::create_dir_all(d.join("log").join(other.to_uppercase())).unwrap();
    std::fs::write(d.join("log").join(other.to_uppercase()).join("000000000001-000000000002.seg"), b"x").unwrap();
    std::fs::create_dir_all(d.join("log").join(format!("{other} (1)"))).unwrap();

    let before = strays(&w, &ours);
    let t = Instant::now();
    let printed = every_command_works(&w);
    assert!(t.elapsed() < Duration::from_secs(60));
    assert!(!printed.contains('\u{1b}'), "an escape sequence from a file name reached the terminal");
    let status = w.json(&["status"]);
    let foreign = status["foreign"].as_array().unwrap();
    let kind_of =
        |shown: &str| foreign.iter().find(|f| f["shown"] == shown).map(|f| f["kind"].as_str().unwrap().to_string());
    assert_eq!(kind_of("snapshots/a").as_deref(), Some("link"));
    assert_eq!(kind_of(&format!("log/{me}/usr")).as_deref(), Some("link"));
    assert_eq!(kind_of("attachments").as_deref(), Some("link"));
    assert_eq!(kind_of(&format!("log/{other}/{seg}")).as_deref(), Some("not_a_file"));
    assert_eq!(kind_of(&format!("log/{}", other.to_uppercase())).as_deref(), Some("unknown"));
    assert_eq!(kind_of("zwei?Zeilen?[31m.txt").as_deref(), Some("unknown"));
    assert_eq!(kind_of("latin1-M\u{FFFD}ller.txt").as_deref(), Some("unknown"));
    assert!(foreign.iter().all(|f| f["needs_user"] == true), "{foreign:#?}");
    untouched(&w, &before);
    // A third computer starts from this folder and gets both clients.
    let third = w.dir.path().join("third");
    let out = w.cli().env("TRESOR_HOME", &third).args(["--json", "client", "list"]).output().unwrap();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list["total"], 2, "{list}");
}

#[cfg(unix)]
#[test]
fn a_huge_sparse_segment_or_lease_costs_nothing() {
    // Issue 10 #13: a 3 GB segment took 22 s and 6.3 GB of memory on every command.
    let w = World::new();
    let (_me, other) = two_computers(&w);
    let big = w.data().join("log").join(&other).join("000000000900-000000000901.seg");
    std::fs::File::create(&big).unwrap().set_len(3 << 30).unwrap();
    let lease = w.data().join("leases").join(format!("{other}.json"));
    let real_lease = std::fs::read(&lease).unwrap();
    std::fs::File::options().append(true).open(&lease).unwrap().set_len(3 << 30).unwrap();
    let t = Instant::now();
    let printed = ok(&w, &["sync"]);
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    assert!(printed.contains("000000000900-000000000901.seg"), "the oversized segment is reported: {printed}");
    std::fs::write(&lease, real_lease).unwrap();
    let t = Instant::now();
    ok(&w, &["client", "list"]);
    assert!(t.elapsed() < Duration::from_secs(10));
    assert_eq!(std::fs::metadata(&big).unwrap().len(), 3 << 30, "the file was touched");
}

#[test]
fn lease_names_reach_the_terminal_only_cleaned_and_cut() {
    // Issue 10 #9: a device name from the synced folder with escape sequences, newlines and
    // megabytes reached the terminal raw.
    let w = World::new();
    let (_me, other) = two_computers(&w);
    let path = w.data().join("leases").join(format!("{other}.json"));
    let mut lease: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    lease["open"] = true.into();
    lease["heartbeat"] = jiff::Timestamp::now().to_string().into();
    for name in ["\u{1b}]0;owned\u{7}\u{1b}[2JLAPTOP\r\nfake: line\u{202e}", &"W".repeat(100_000)] {
        lease["name"] = name.into();
        std::fs::write(&path, serde_json::to_vec(&lease).unwrap()).unwrap();
        for args in [&["client", "list"][..], &["status"], &["sync"]] {
            let printed = ok(&w, args);
            assert!(
                !printed.contains('\u{1b}') && !printed.contains('\r') && !printed.contains('\u{202e}'),
                "{printed}"
            );
            assert!(!printed.contains("\nfake: line"), "{printed}");
            assert!(printed.lines().all(|l| l.chars().count() < 300), "a line is too long");
        }
        let out = tresor(&w, &["client", "list"]);
        let note = String::from_utf8_lossy(&out.stderr);
        assert!(note.contains("also open on ") && note.contains("min ago"), "{note}");
    }
    // Five megabytes: not a lease any more, and nothing of it is printed.
    lease["name"] = "X".repeat(5 << 20).into();
    std::fs::write(&path, serde_json::to_vec(&lease).unwrap()).unwrap();
    let printed = ok(&w, &["status"]);
    assert!(printed.len() < 10_000 && !printed.contains("XXXX"));
}

#[cfg(unix)]
#[test]
fn a_vault_key_that_is_no_file_is_a_typed_error_not_a_hang() {
    let w = World::new();
    w.init();
    let key = w.data().join("vault.key");
    let real = std::fs::read(&key).unwrap();
    type Make = Box<dyn Fn(&Path)>;
    let cases: Vec<(&str, Make, i32, &str)> = vec![
        ("folder", Box::new(|p: &Path| std::fs::create_dir(p).unwrap()), 5, "folder.not_a_file"),
        (
            "pipe",
            Box::new(|p: &Path| assert!(Command::new("mkfifo").arg(p).status().unwrap().success())),
            5,
            "folder.not_a_file",
        ),
        (
            "dangling link",
            Box::new(|p: &Path| std::os::unix::fs::symlink("/nowhere", p).unwrap()),
            5,
            "folder.not_a_file",
        ),
        (
            "huge",
            Box::new(|p: &Path| std::fs::File::create(p).unwrap().set_len(3 << 30).unwrap()),
            5,
            "folder.file_too_large",
        ),
        ("random bytes", Box::new(|p: &Path| std::fs::write(p, [0xff, 0, 7, 200]).unwrap()), 5, "vault.header_foreign"),
    ];
    for (what, make, exit, code_name) in cases {
        std::fs::remove_file(&key).ok();
        std::fs::remove_dir(&key).ok();
        make(&key);
        let out = tresor(&w, &["--json", "client", "list"]);
        assert_eq!(code(&out), exit, "{what}: {}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["error"]["code"], code_name, "{what}");
    }
    // Only iCloud's placeholder is there: the header is on its way. This computer's copy of
    // `vault.key` opens the practice meanwhile (issue 17); without that copy it must wait.
    std::fs::remove_file(&key).unwrap();
    std::fs::write(w.data().join(".vault.key.icloud"), b"bplist00").unwrap();
    ok(&w, &["client", "list"]);
    let copies: Vec<_> = files_below(&w.home())
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.file_name().is_some_and(|n| n == "vault.key"))
        .collect();
    assert!(!copies.is_empty(), "a local copy of the header exists");
    for c in &copies {
        std::fs::remove_file(c).unwrap();
    }
    let out = tresor(&w, &["--json", "client", "list"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((code(&out), v["error"]["code"].as_str()), (1, Some("folder.in_transit")));
    std::fs::write(&key, real).unwrap();
    ok(&w, &["client", "list"]);
}
