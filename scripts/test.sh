#!/usr/bin/env bash
# Runs every test of Tresor on a fresh Debian/Ubuntu machine: installs what is missing, then the
# Rust gates (rustfmt, clippy, the app built without the core's tools), the core's and the CLI's
# unit and black-box tests (real SQLCipher files, real PDF/XLSX/QR readers), then the
# desktop app's tests (svelte-check, vitest, the shell's Rust tests, end-to-end under Xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
scripts/setup.sh
export PATH="$PWD/target/pyenv/bin:$HOME/.cargo/bin:$PATH"
# A test run builds everything once; incremental caches would only add gigabytes to the disk.
export CARGO_INCREMENTAL=0
disk() { echo "-- disk: $(df -h --output=avail . | tail -1 | tr -d ' ') free, target $(du -sh "${CARGO_TARGET_DIR:-target}" 2>/dev/null | cut -f1)"; }
disk

echo "== Rust gates: formatting, lints, the app without the core's tools"
cargo fmt --all --check
# Every package and target, the shell included, with the CLI's and benches' features (a workspace
# build unifies the core's `tools` feature in). Lints allowed on purpose: [workspace.lints] in
# Cargo.toml. Check mode: dependencies as metadata only, build scripts (SQLCipher's C) shared with
# the test build below.
clippy_started=$(date +%s)
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "-- clippy: $(( $(date +%s) - clippy_started )) s"
# The desktop app must not link the demo, the benchmark or the plaintext twin (feature `tools`),
# through any dependency path and on any target. The CLI's tree shows the pattern still matches.
tools_in() { cargo tree -p "$1" -e features -i tresor --target all --locked | grep -c 'tresor feature "tools"' || true; }
[ "$(tools_in tresor-cli)" -gt 0 ] || { echo "gate: cannot see the tools feature in the CLI's tree" >&2; exit 1; }
[ "$(tools_in tresor-desktop)" -eq 0 ] || { echo "gate: the desktop app enables the core's tools feature" >&2; exit 1; }
disk

echo "== core and command line: unit and black-box tests"
cargo test --locked
disk

echo "== desktop app"
scripts/test-desktop.sh
disk

echo "== all tests passed in $(( $(date +%s) - started )) s"
