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
# nor the tests' look inside the vault (feature `inspect`), through any dependency path (normal
# and build; dev-dependencies are the tests') and on any target. The CLI's tree shows the pattern
# still matches.
feature_in() {
  cargo tree -p "$1" -e features,normal,build -i tresor --target all --locked | grep -c "tresor feature \"$2\"" || true
}
[ "$(feature_in tresor-cli tools)" -gt 0 ] || { echo "gate: cannot see the tools feature in the CLI's tree" >&2; exit 1; }
for f in tools inspect; do
  [ "$(feature_in tresor-desktop $f)" -eq 0 ] || { echo "gate: the desktop app enables the core's $f feature" >&2; exit 1; }
done
[ "$(feature_in tresor-cli inspect)" -eq 0 ] || { echo "gate: the command line enables the core's inspect feature" >&2; exit 1; }
# The app's Windows and macOS sleep/lock listeners cannot be built here; type-check and lint
# their code against windows-sys and core-foundation-sys as if for each platform (its own
# target dir: other RUSTFLAGS), and test what each message means.
RUSTFLAGS="--cfg tresor_check_windows --cfg tresor_check_macos" \
  cargo clippy -p tresor-oshooks --locked --target-dir target/oscheck -- -D warnings
cargo test -p tresor-oshooks --locked
disk

echo "== core and command line: unit and black-box tests"
cargo test --locked
disk

echo "== desktop app"
scripts/test-desktop.sh
disk

echo "== all tests passed in $(( $(date +%s) - started )) s"
