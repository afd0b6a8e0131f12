#!/usr/bin/env bash
# Runs every test of Tresor on a fresh Debian/Ubuntu machine: installs what is missing, then the
# core's unit and black-box tests (real SQLCipher files, real PDF/XLSX/QR readers), then the
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

echo "== core: unit and black-box tests"
cargo test --locked
disk

echo "== desktop app"
scripts/test-desktop.sh
disk

echo "== all tests passed in $(( $(date +%s) - started )) s"
