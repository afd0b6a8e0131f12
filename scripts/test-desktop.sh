#!/usr/bin/env bash
# Tests the desktop app: svelte-check and the UI unit tests (vitest), the shell's Rust tests
# (every data command refused while locked, the vault's life through the handlers), and the
# end-to-end journeys on the real window under Xvfb (tauri-driver → WebKitWebDriver).
# Installs what is missing first. Exits non-zero on any failure.
set -euo pipefail
source "$(dirname "$0")/desktop-env.sh"
cd "$REPO_ROOT"
started=$(date +%s)

ensure_apt_packages $DESKTOP_BUILD_PACKAGES $DESKTOP_TEST_PACKAGES
ensure_node
ensure_rust
ensure_ui_deps
ensure_tauri_driver

say "UI: svelte-check"
(cd ui && npm run check)
say "UI: unit tests"
(cd ui && npm test)
build_ui

# Tests and the app share one feature set, so the dependencies are compiled once.
say "shell: Rust tests"
cargo test -p tresor-desktop --features custom-protocol --locked
# The app and the command line (which makes the 2,000-client practice for the list test) in one
# build: built apart, the core's dependencies would be compiled twice with different features.
build_app -p tresor

say "end-to-end tests under Xvfb"
e2e_started=$(date +%s)
export TRESOR_APP="$CARGO_TARGET_DIR/debug/tresor-desktop"
export TRESOR_CLI="$CARGO_TARGET_DIR/debug/tresor"
export TRESOR_SCREENSHOTS="${TRESOR_SCREENSHOTS:-$REPO_ROOT/ui/e2e/screenshots}"
(cd ui && xvfb-run -a --server-args="-screen 0 1400x1000x24" npm run e2e)

now=$(date +%s)
say "desktop tests passed in $((now - started)) s (end-to-end: $((now - e2e_started)) s); screenshots in $TRESOR_SCREENSHOTS"
