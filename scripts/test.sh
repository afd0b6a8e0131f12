#!/usr/bin/env bash
# Runs every test of Tresor on a fresh Debian/Ubuntu machine: installs what is missing, then the
# core's unit and black-box tests (real SQLCipher files, real PDF/XLSX/QR readers).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/target/pyenv/bin:$HOME/.cargo/bin:$PATH"

echo "== core: unit and black-box tests"
cargo test --locked
