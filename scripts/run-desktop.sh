#!/usr/bin/env bash
# Starts the Tresor desktop app, building the UI and the shell first when needed, and
# installing the system packages, Node.js and the UI's npm packages when they are missing.
# Pass --release for an optimised build; other arguments go to the app.
set -euo pipefail
source "$(dirname "$0")/desktop-env.sh"
cd "$REPO_ROOT"

profile=debug
args=()
for a in "$@"; do
  if [ "$a" = "--release" ]; then profile=release; else args+=("$a"); fi
done

ensure_apt_packages $DESKTOP_BUILD_PACKAGES
ensure_node
ensure_rust
ensure_ui_deps
build_ui
if [ "$profile" = release ]; then build_app --release; else build_app; fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display (DISPLAY / WAYLAND_DISPLAY unset): start this from a desktop session." >&2
  exit 1
fi
exec "$CARGO_TARGET_DIR/$profile/tresor-desktop" "${args[@]}"
