#!/usr/bin/env bash
# The universal macOS build (Apple silicon + Intel in one .app and .dmg), signed and notarised
# when the Apple variables are set (docs/DESKTOP.md, "Signing and notarization"). Run on a Mac
# with Xcode's command line tools, Rust (rustup) and Node.js.
#   APPLE_SIGNING_IDENTITY   "Developer ID Application: <Name> (<TEAMID>)" from the keychain
#   APPLE_CERTIFICATE, APPLE_CERTIFICATE_PASSWORD   (CI) the .p12 as base64 and its password
#   APPLE_API_ISSUER, APPLE_API_KEY, APPLE_API_KEY_PATH   notarisation with an App Store
#                            Connect API key (or APPLE_ID, APPLE_PASSWORD, APPLE_TEAM_ID)
set -euo pipefail
cd "$(dirname "$0")/.."
# SQLCipher must use CommonCrypto: an OPENSSL_DIR (Homebrew) would make libsqlite3-sys link
# Homebrew's libcrypto instead, which other Macs do not have.
unset OPENSSL_DIR OPENSSL_LIB_DIR OPENSSL_INCLUDE_DIR SQLCIPHER_OPENSSL_DIR SQLCIPHER_OPENSSL_LIB_DIR SQLCIPHER_OPENSSL_INCLUDE_DIR
rustup target add aarch64-apple-darwin x86_64-apple-darwin
(cd ui && npm ci)
(cd src-tauri && ../ui/node_modules/.bin/tauri build --target universal-apple-darwin --bundles app,dmg)
app="target/universal-apple-darwin/release/bundle/macos/Tresor.app"
scripts/check-macos-binary.sh "$app/Contents/MacOS/tresor-desktop"
lipo -archs "$app/Contents/MacOS/tresor-desktop"
codesign --verify --deep --strict --verbose=2 "$app" || echo "not signed (APPLE_SIGNING_IDENTITY not set)"
