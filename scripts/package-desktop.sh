#!/usr/bin/env bash
# Builds the release app and its Debian package (.deb) with the Tauri CLI from npm. AppImage
# bundling downloads tools from the internet and is not attempted. On Windows and macOS the
# same tauri.conf.json builds MSI/NSIS and DMG (see docs/DESKTOP.md).
set -euo pipefail
source "$(dirname "$0")/desktop-env.sh"
cd "$REPO_ROOT"
ensure_apt_packages $DESKTOP_BUILD_PACKAGES
ensure_node
ensure_rust
ensure_ui_deps
say "tauri build --bundles deb"
(cd src-tauri && "$REPO_ROOT/ui/node_modules/.bin/tauri" build --bundles deb)
ls -l "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb
