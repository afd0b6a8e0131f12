# Shared by test-desktop.sh, run-desktop.sh and package-desktop.sh: installs what the desktop
# app needs when it is missing (Debian/Ubuntu, as root or with sudo), and nothing when it is
# there. Sourced, not run.

# Build: WebKitGTK 4.1, GTK 3, librsvg, appindicator, OpenSSL (SQLCipher), xdo.
DESKTOP_BUILD_PACKAGES="libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libssl-dev libxdo-dev build-essential pkg-config file"
# End-to-end tests: a virtual X server and WebKit's WebDriver.
DESKTOP_TEST_PACKAGES="xvfb xauth webkit2gtk-driver"
# Vite 8 and the test tools need Node.js 20.19 or newer.
NODE_MIN_MAJOR=20
NODE_MIN_MINOR=19

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$REPO_ROOT/target}

say() { printf '\n== %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root (or sudo) for: $*" >&2; return 1; fi
}

ensure_apt_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing system packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

node_ok() {
  command -v node >/dev/null || return 1
  local v major minor
  v=$(node -p 'process.versions.node') || return 1
  major=${v%%.*}; minor=${v#*.}; minor=${minor%%.*}
  [ "$major" -gt "$NODE_MIN_MAJOR" ] || { [ "$major" -eq "$NODE_MIN_MAJOR" ] && [ "$minor" -ge "$NODE_MIN_MINOR" ]; }
}

ensure_node() {
  node_ok && return 0
  if ! command -v npm >/dev/null; then
    say "installing Node.js and npm from Debian"
    ensure_apt_packages nodejs npm
  fi
  if ! node_ok; then
    # Debian 12 ships Node 18; the npm registry carries current Node builds as the `node` package.
    say "Node.js $(node -v 2>/dev/null || echo none) is too old; installing Node 22 from the npm registry"
    as_root npm install -g --no-audit --no-fund node@22
    hash -r
  fi
  node_ok || { echo "Node.js >= $NODE_MIN_MAJOR.$NODE_MIN_MINOR is needed (found $(node -v 2>/dev/null || echo none))" >&2; return 1; }
}

ensure_rust() {
  command -v cargo >/dev/null && return 0
  # rustup installs into ~/.cargo/bin, which a fresh login shell may not have on its PATH yet.
  export PATH="$HOME/.cargo/bin:$PATH"
  command -v cargo >/dev/null && return 0
  echo "cargo is missing: install the Rust toolchain (rustup, 1.89 or newer) first" >&2
  return 1
}

# npm install when node_modules is missing or older than the lock file.
ensure_ui_deps() {
  local ui=$REPO_ROOT/ui
  if [ ! -f "$ui/node_modules/.package-lock.json" ] || [ "$ui/package-lock.json" -nt "$ui/node_modules/.package-lock.json" ]; then
    # Not `npm ci`: the registry here serves @tauri-apps/cli's binary only for this platform, so
    # the lock file cannot list the other platforms' optional packages and npm 11's `ci` refuses
    # it. `npm install` installs exactly the locked versions and leaves the lock file as it is.
    say "npm install (ui, from package-lock.json)"
    (cd "$ui" && npm install --no-audit --no-fund)
  fi
}

ensure_tauri_driver() {
  command -v tauri-driver >/dev/null && return 0
  export PATH="$HOME/.cargo/bin:$PATH"
  command -v tauri-driver >/dev/null && return 0
  say "cargo install tauri-driver (about 3 minutes)"
  cargo install tauri-driver --locked
}

build_ui() {
  say "building the UI"
  (cd "$REPO_ROOT/ui" && npm run build)
}

# The shell serves the built UI from the binary only with the custom-protocol feature; without
# it the window would point at the dev server.
build_app() {
  say "building the desktop app ($*)"
  (cd "$REPO_ROOT" && cargo build -p tresor-desktop --features tresor-desktop/custom-protocol --locked "$@")
}
