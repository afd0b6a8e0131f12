//! Two computers on one practice, carried by a real sync engine: two Syncthing instances on
//! loopback inside a private network namespace (`unshare --net`, only `lo` up), one data folder
//! each, shared between them. Discovery, relays, NAT traversal, upgrades, usage and crash
//! reporting are switched off in `config.xml` before the first start; inside the namespace
//! nothing could leave the machine anyway. Each computer is the `tresor` CLI with its own
//! `TRESOR_HOME`.
//!
//! The test re-runs itself inside the namespace (as root, `unshare --net`); where that or
//! `syncthing` (Debian package `syncthing`, installed by scripts/setup.sh) is missing, it says
//! why and passes without running.

mod common;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const INSIDE: &str = "TRESOR_TEST_NETNS";
const PASSWORD: &str = "correct horse battery";
/// The whole journey must finish within this.
const CONVERGE: Duration = Duration::from_secs(90);

/// Runs `body` inside a private network namespace: re-executes this test binary for `name` under
/// `unshare --net` with loopback up. Returns without running where that is not possible.
fn in_private_network(name: &str, body: impl FnOnce()) {
    if std::env::var_os(INSIDE).is_some() {
        body();
        return;
    }
    if Command::new("syncthing").arg("--version").output().is_err() {
        println!("skipped {name}: syncthing is not installed (apt-get install syncthing; scripts/setup.sh does)");
        return;
    }
    let probe = Command::new("unshare").args(["--net", "ip", "link", "set", "lo", "up"]).output();
    if !probe.as_ref().is_ok_and(|o| o.status.success()) {
        let why =
            probe.map(|o| String::from_utf8_lossy(&o.stderr).trim().to_string()).unwrap_or_else(|e| e.to_string());
        println!("skipped {name}: no private network namespace here (unshare --net: {why})");
        return;
    }
    let exe = std::env::current_exe().expect("test binary");
    let out = Command::new("unshare")
        .args(["--net", "sh", "-c", r#"ip link set lo up && exec "$0" "$@""#])
        .arg(&exe)
        .args([name, "--exact", "--nocapture", "--include-ignored", "--test-threads=1"])
        .env(INSIDE, "1")
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .status()
        .expect("run the test inside the namespace");
    assert!(out.success(), "{name} failed inside the private network namespace");
}

/// One Syncthing instance with its data folder.
struct Peer {
    home: PathBuf,
    folder: PathBuf,
    id: String,
    gui: u16,
    listen: u16,
    api_key: String,
    process: Option<Child>,
}

impl Drop for Peer {
    fn drop(&mut self) {
        if let Some(mut p) = self.process.take() {
            let _ = p.kill();
            let _ = p.wait();
        }
    }
}

/// The text of the first `<tag>…</tag>` in `xml`.
fn tag<'a>(xml: &'a str, tag: &str) -> &'a str {
    let open = format!("<{tag}>");
    let start = xml.find(&open).unwrap_or_else(|| panic!("<{tag}> in config.xml")) + open.len();
    let end = xml[start..].find(&format!("</{tag}>")).expect("closing tag") + start;
    &xml[start..end]
}

fn set_tag(xml: &mut String, name: &str, value: &str) {
    let old = format!("<{name}>{}</{name}>", tag(xml, name));
    *xml = xml.replacen(&old, &format!("<{name}>{value}</{name}>"), 1);
}

impl Peer {
    /// `syncthing generate`: the device key and a first config, which is then made local-only.
    fn generate(dir: &Path, name: &str, gui: u16, listen: u16) -> Peer {
        let home = dir.join(format!("{name}-syncthing"));
        let folder = dir.join(format!("{name}-data"));
        let out = Command::new("syncthing")
            .args(["generate", "--no-default-folder", "--skip-port-probing"])
            .arg(format!("--home={}", home.display()))
            .output()
            .expect("syncthing generate");
        assert!(out.status.success(), "syncthing generate: {}", String::from_utf8_lossy(&out.stderr));
        let xml = std::fs::read_to_string(home.join("config.xml")).expect("config.xml");
        let id = xml.split("<device id=\"").nth(1).and_then(|s| s.split('"').next()).expect("device id").to_string();
        let api_key = tag(&xml, "apikey").to_string();
        std::fs::create_dir_all(folder.join(".stfolder")).unwrap();
        Peer { home, folder, id, gui, listen, api_key, process: None }
    }

    /// Writes the local-only settings and the shared folder into `config.xml` (before the first
    /// start, so nothing is ever announced).
    fn configure(&self, other: &Peer) {
        let path = self.home.join("config.xml");
        let mut xml = std::fs::read_to_string(&path).unwrap();
        for (name, value) in [
            ("globalAnnounceEnabled", "false"),
            ("localAnnounceEnabled", "false"),
            ("relaysEnabled", "false"),
            ("natEnabled", "false"),
            ("startBrowser", "false"),
            ("urAccepted", "-1"),
            ("autoUpgradeIntervalH", "0"),
            ("crashReportingEnabled", "false"),
            ("announceLANAddresses", "false"),
            ("reconnectionIntervalS", "1"),
            ("stunServer", ""),
            ("globalAnnounceServer", ""),
        ] {
            set_tag(&mut xml, name, value);
        }
        set_tag(&mut xml, "listenAddress", &format!("tcp://127.0.0.1:{}", self.listen));
        let shared = format!(
            r#"<folder id="tresor" label="Tresor" path="{path}" type="sendreceive" rescanIntervalS="5" fsWatcherEnabled="true" fsWatcherDelayS="1" ignorePerms="false" autoNormalize="true">
        <device id="{me}"></device>
        <device id="{other}"></device>
        <minDiskFree unit="%">0</minDiskFree>
        <maxConflicts>10</maxConflicts>
    </folder>
    <device id="{other}" name="other" compression="metadata" introducer="false">
        <address>tcp://127.0.0.1:{port}</address>
    </device>
    <gui "#,
            path = self.folder.display(),
            me = self.id,
            other = other.id,
            port = other.listen,
        );
        xml = xml.replacen("<gui ", &shared, 1);
        std::fs::write(&path, xml).unwrap();
    }

    fn start(&mut self) {
        let log = std::fs::File::create(self.home.join("syncthing.log")).unwrap();
        let child = Command::new("syncthing")
            .args(["serve", "--no-browser", "--no-restart", "--no-upgrade"])
            .arg(format!("--home={}", self.home.display()))
            .arg(format!("--gui-address=127.0.0.1:{}", self.gui))
            .env("STNODEFAULTFOLDER", "1")
            .env("STNOUPGRADE", "1")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start syncthing");
        self.process = Some(child);
        let t = Instant::now();
        while self.rest("GET", "/rest/system/ping").is_none() {
            assert!(t.elapsed() < Duration::from_secs(30), "syncthing did not start: {}", self.log());
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.home.join("syncthing.log")).unwrap_or_default()
    }

    /// A call to Syncthing's REST API on loopback; `None` when it does not answer (yet).
    fn rest(&self, method: &str, path: &str) -> Option<String> {
        let mut s = TcpStream::connect(("127.0.0.1", self.gui)).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
        let req = format!(
            "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nX-API-Key: {}\r\nContent-Length: 0\r\n\r\n",
            self.api_key
        );
        s.write_all(req.as_bytes()).ok()?;
        let mut resp = String::new();
        s.read_to_string(&mut resp).ok()?;
        let ok = resp.starts_with("HTTP/1.0 200") || resp.starts_with("HTTP/1.1 200");
        ok.then(|| resp.split("\r\n\r\n").nth(1).unwrap_or("").to_string())
    }

    /// Takes this computer off the network as far as the other is concerned, or back.
    fn pause_other(&self, other: &Peer, paused: bool) {
        let action = if paused { "pause" } else { "resume" };
        self.rest("POST", &format!("/rest/system/{action}?device={}", other.id))
            .unwrap_or_else(|| panic!("{action} failed: {}", self.log()));
    }

    fn scan(&self) {
        let _ = self.rest("POST", "/rest/db/scan?folder=tresor");
    }
}

/// A computer: the CLI with its own working copies on one of the two data folders.
struct Computer<'a> {
    peer: &'a Peer,
    home: PathBuf,
    password: String,
}

impl Computer<'_> {
    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_tresor"))
            .env("TRESOR_HOME", &self.home)
            .env("TRESOR_VAULT", &self.peer.folder)
            .env("TRESOR_PASSWORD", &self.password)
            .env_remove("TRESOR_RECOVERY_KEY")
            .env_remove("TRESOR_NEW_PASSWORD")
            .args(args)
            .output()
            .expect("run tresor")
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(out.status.success(), "tresor {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("json")
    }

    fn passwd(&mut self, new: &str) {
        let out = Command::new(env!("CARGO_BIN_EXE_tresor"))
            .env("TRESOR_HOME", &self.home)
            .env("TRESOR_VAULT", &self.peer.folder)
            .env("TRESOR_PASSWORD", &self.password)
            .env("TRESOR_NEW_PASSWORD", new)
            .arg("passwd")
            .output()
            .unwrap();
        assert!(out.status.success(), "passwd: {}", String::from_utf8_lossy(&out.stderr));
        self.password = new.to_string();
    }

    fn add_client(&self, name: &str) -> String {
        common::id_of(&self.json(&["client", "add", "--name", name]))
    }

    fn client_names(&self) -> Vec<String> {
        let list = self.json(&["client", "list", "--limit", "1000"]);
        let mut names: Vec<String> = list["clients"]
            .as_array()
            .expect("clients")
            .iter()
            .map(|c| format!("{} {}", c["given_name"].as_str().unwrap_or(""), c["family_name"].as_str().unwrap_or("")))
            .collect();
        names.sort();
        names
    }
}

/// Every file of a data folder with its bytes, leaving out Syncthing's own marker and temp files.
fn tree(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().to_string();
            if name == ".stfolder" || name.starts_with(".syncthing.") || name.starts_with("~syncthing~") {
                continue;
            }
            if p.is_dir() {
                walk(root, &p, out);
            } else if let Ok(b) = std::fs::read(&p) {
                out.push((p.strip_prefix(root).unwrap().to_path_buf(), b));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

/// Waits until both data folders hold the same files with the same bytes.
fn converge(a: &Peer, b: &Peer, deadline: Instant) {
    a.scan();
    b.scan();
    let mut same_since: Option<Instant> = None;
    loop {
        if tree(&a.folder) == tree(&b.folder) {
            // Equal for a moment, not just between two transfers.
            if same_since.get_or_insert_with(Instant::now).elapsed() > Duration::from_secs(2) {
                return;
            }
        } else {
            same_since = None;
        }
        if Instant::now() > deadline {
            let names = |t: Vec<(PathBuf, Vec<u8>)>| t.into_iter().map(|(p, _)| p).collect::<Vec<_>>();
            panic!(
                "the folders did not converge:\nA {:?}\nB {:?}\n--- A's log\n{}\n--- B's log\n{}",
                names(tree(&a.folder)),
                names(tree(&b.folder)),
                a.log(),
                b.log()
            );
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Two Syncthing peers sharing one folder, A's holding a new vault that B has received.
fn two_peers(dir: &Path) -> (Peer, Peer) {
    let mut a = Peer::generate(dir, "a", 18384, 22001);
    let mut b = Peer::generate(dir, "b", 18385, 22002);
    a.configure(&b);
    b.configure(&a);
    a.start();
    b.start();
    (a, b)
}

#[test]
fn two_computers_over_syncthing_converge_and_lose_nothing() {
    in_private_network("two_computers_over_syncthing_converge_and_lose_nothing", || {
        let dir = tempfile::tempdir().unwrap();
        let started = Instant::now();
        let deadline = || Instant::now() + CONVERGE;
        let (a, b) = two_peers(dir.path());
        let mut desk = Computer { peer: &a, home: dir.path().join("desk-home"), password: PASSWORD.into() };
        let mut laptop = Computer { peer: &b, home: dir.path().join("laptop-home"), password: PASSWORD.into() };
        let init = desk.run(&["init", "--kdf-ms", "0"]);
        assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
        converge(&a, &b, deadline());
        assert!(laptop.client_names().is_empty(), "the laptop opens the vault Syncthing brought");

        // Both work at the same time; each command writes its segment and lease.
        let session = {
            let c = desk.add_client("Anna Berger");
            common::id_of(&desk.json(&[
                "session",
                "add",
                "--client",
                &c,
                "--minutes",
                "50",
                "--fee-cents",
                "9000",
                "--note",
                "Erstgespräch.",
            ]))
        };
        for i in 1..=3 {
            desk.add_client(&format!("Desk Klientin{i}"));
            laptop.add_client(&format!("Laptop Klient{i}"));
        }
        converge(&a, &b, deadline());
        desk.json(&["sync"]);
        laptop.json(&["sync"]);
        converge(&a, &b, deadline());
        let all = desk.client_names();
        assert_eq!(all.len(), 7, "{all:?}");
        assert_eq!(laptop.client_names(), all);

        // The laptop goes offline. Meanwhile both document the same session (revisions are
        // append-only: both stay), both add clients, and the desk changes the password.
        a.pause_other(&b, true);
        b.pause_other(&a, true);
        std::thread::sleep(Duration::from_secs(1));
        desk.json(&["session", "revise", &session, "--note", "Erstgespräch, am Schreibtisch ergänzt."]);
        laptop.json(&["session", "revise", &session, "--note", "Erstgespräch, unterwegs ergänzt."]);
        desk.add_client("Offline Desk");
        laptop.add_client("Offline Laptop");
        desk.passwd("ein neues Passwort für beide");
        std::thread::sleep(Duration::from_secs(3));
        assert_ne!(tree(&a.folder), tree(&b.folder), "the laptop was really away");
        a.pause_other(&b, false);
        b.pause_other(&a, false);
        converge(&a, &b, deadline());

        // The laptop now needs the new password (the same vault.key arrived), and both hold
        // everything.
        assert_eq!(laptop.run(&["client", "list"]).status.code(), Some(3), "the old password still opens");
        // A wrong password makes the next try on this computer wait a second.
        std::thread::sleep(Duration::from_millis(1100));
        laptop.password = desk.password.clone();
        laptop.json(&["sync"]);
        desk.json(&["sync"]);
        converge(&a, &b, deadline());
        let all = desk.client_names();
        assert_eq!(all.len(), 9, "{all:?}");
        assert_eq!(laptop.client_names(), all);
        for c in [&desk, &laptop] {
            let shown = c.json(&["session", "show", &session]);
            let bodies: Vec<&str> =
                shown["revisions"].as_array().unwrap().iter().filter_map(|r| r["body"].as_str()).collect();
            assert_eq!(bodies.len(), 3, "{bodies:?}");
            assert!(bodies.contains(&"Erstgespräch, am Schreibtisch ergänzt."));
            assert!(bodies.contains(&"Erstgespräch, unterwegs ergänzt."));
        }

        // Both change the password while apart: Syncthing keeps one vault.key and renames the
        // other to a `.sync-conflict-` copy, which `tresor status` names on both computers.
        a.pause_other(&b, true);
        b.pause_other(&a, true);
        std::thread::sleep(Duration::from_secs(1));
        desk.passwd("Passwort vom Schreibtisch");
        std::thread::sleep(Duration::from_millis(1100));
        laptop.passwd("Passwort vom Laptop");
        a.pause_other(&b, false);
        b.pause_other(&a, false);
        converge(&a, &b, deadline());
        // Syncthing keeps the newer vault.key (the laptop's) on both sides.
        desk.password = laptop.password.clone();
        for c in [&desk, &laptop] {
            let status = c.json(&["status"]);
            let foreign = status["foreign"].as_array().expect("foreign files");
            let conflict = foreign
                .iter()
                .find(|f| f["path"].as_str().is_some_and(|p| p.contains(".sync-conflict-")))
                .unwrap_or_else(|| panic!("status names no Syncthing conflict copy: {status}"));
            assert_eq!(conflict["kind"], "header_conflict", "{conflict}");
            assert_eq!(conflict["same_as_current"], false, "{conflict}");
            assert_eq!(c.client_names().len(), 9);
        }
        println!("syncthing journey took {:?}", started.elapsed());
    });
}

/// Different fields of one client changed on two computers while apart both survive (the
/// per-field merge, carried by a real sync engine).
#[test]
fn different_fields_of_one_client_both_survive_over_syncthing() {
    in_private_network("different_fields_of_one_client_both_survive_over_syncthing", || {
        let dir = tempfile::tempdir().unwrap();
        let deadline = || Instant::now() + CONVERGE;
        let (a, b) = two_peers(dir.path());
        let desk = Computer { peer: &a, home: dir.path().join("desk-home"), password: PASSWORD.into() };
        let laptop = Computer { peer: &b, home: dir.path().join("laptop-home"), password: PASSWORD.into() };
        assert!(desk.run(&["init", "--kdf-ms", "0"]).status.success());
        let client = desk.add_client("Jörg Müller");
        converge(&a, &b, deadline());
        laptop.json(&["sync"]);
        converge(&a, &b, deadline());

        a.pause_other(&b, true);
        b.pause_other(&a, true);
        std::thread::sleep(Duration::from_secs(1));
        desk.json(&["client", "update", &client, "--phone", "+43 660 1234567"]);
        laptop.json(&["client", "update", &client, "--city", "Graz"]);
        a.pause_other(&b, false);
        b.pause_other(&a, false);
        converge(&a, &b, deadline());
        desk.json(&["sync"]);
        laptop.json(&["sync"]);
        converge(&a, &b, deadline());
        for c in [&desk, &laptop] {
            let shown = c.json(&["client", "show", &client]);
            let data = &shown["client"];
            assert_eq!(data["phone"], "+43 660 1234567", "{shown}");
            assert_eq!(data["city"], "Graz", "{shown}");
        }
    });
}
