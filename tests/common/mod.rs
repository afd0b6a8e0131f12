//! Shared helpers for the black-box tests: a temp world (data folder, local root, temp dir) and
//! the CLI run inside it.
#![allow(dead_code)]

pub mod syncsim;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use secrecy::SecretString;
use tresor::{CreateOptions, Unlock, Vault};

pub const PASSWORD: &str = "correct horse battery";

pub struct World {
    pub dir: tempfile::TempDir,
}

impl World {
    pub fn new() -> World {
        World { dir: tempfile::tempdir().expect("temp dir") }
    }
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }
    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }
    pub fn tmp(&self) -> PathBuf {
        let t = self.dir.path().join("tmp");
        std::fs::create_dir_all(&t).expect("tmp");
        t
    }

    /// The CLI with this world's folders and password in its environment.
    pub fn cli(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_tresor"));
        c.env("TRESOR_HOME", self.home())
            .env("TRESOR_VAULT", self.data())
            .env("TRESOR_PASSWORD", PASSWORD)
            .env("TMPDIR", self.tmp())
            .env_remove("TRESOR_RECOVERY_KEY")
            .env_remove("TRESOR_NEW_PASSWORD");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cli().args(args).output().expect("run tresor")
    }

    /// Runs with --json, asserts success, and parses stdout.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(out.status.success(), "tresor {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
    }

    /// `init` with the fastest allowed KDF; returns the recovery key.
    pub fn init(&self) -> String {
        let v = self.json(&["init", "--kdf-ms", "0"]);
        v["recovery_key"].as_str().expect("recovery key").to_string()
    }

    pub fn create_vault(&self) -> (Vault, String) {
        let opts = CreateOptions { kdf_target: Duration::ZERO, local_root: Some(self.home()), ..Default::default() };
        let (v, k) = Vault::create(&self.data(), &SecretString::from(PASSWORD), &opts).expect("create");
        (v, k.display().to_string())
    }

    pub fn open_vault(&self) -> tresor::Result<Vault> {
        Vault::open_in(&self.data(), &self.home(), Unlock::Password(&SecretString::from(PASSWORD)))
    }
}

pub fn id_of(v: &serde_json::Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// Every regular file below `dir`, with its bytes.
pub fn files_below(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p) {
                out.push((p, bytes));
            }
        }
    }
    out.sort();
    out
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

pub fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}
