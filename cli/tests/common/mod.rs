//! Helpers for the CLI's black-box tests: the core's test helpers (one file, shared with the
//! core package's tests, not copied) plus running the `tresor` binary inside a temp world.
#![allow(dead_code)]

// `CARGO_BIN_EXE_tresor` exists only in this package, so the part that runs the binary lives
// here and the rest is included from the core's tests/common.
#[path = "../../../tests/common/mod.rs"]
mod shared;
pub use shared::*;

use std::process::{Command, Output};

/// The `tresor` binary run inside a [`World`]: its folders and password in the environment.
pub trait Cli {
    /// The CLI with this world's folders and password in its environment.
    fn cli(&self) -> Command;

    fn run(&self, args: &[&str]) -> Output {
        self.cli().args(args).output().expect("run tresor")
    }

    /// Runs with --json, asserts success, and parses stdout.
    fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(out.status.success(), "tresor {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
    }

    /// The practice every billing test starts from: complete enough to issue in Austria.
    fn viennese_practice(&self) {
        self.json(&[
            "practice",
            "set",
            "--name",
            "Jörg Müller-Größ",
            "--address",
            "Währinger Straße 12/3",
            "--postal-code",
            "1090",
            "--city",
            "Wien",
            "--iban",
            "AT61 1904 3002 3457 3201",
            "--bic",
            "GIBAATWWXXX",
            "--tax-number",
            "12 345/6789",
        ]);
    }

    /// `init` with the fastest allowed KDF; returns the recovery key.
    fn init(&self) -> String {
        let v = self.json(&["init", "--kdf-ms", "0"]);
        v["recovery_key"].as_str().expect("recovery key").to_string()
    }
}

impl Cli for World {
    fn cli(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_tresor"));
        c.env("TRESOR_HOME", self.home())
            .env("TRESOR_VAULT", self.data())
            .env("TRESOR_PASSWORD", PASSWORD)
            .env("TMPDIR", self.tmp())
            .env_remove("TRESOR_RECOVERY_KEY")
            .env_remove("TRESOR_NEW_PASSWORD");
        c
    }
}
