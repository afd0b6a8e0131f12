#!/usr/bin/env bash
# Fails when a built Tresor binary links an OpenSSL or anything from Homebrew/MacPorts: on macOS,
# SQLCipher must use CommonCrypto (Security.framework), which every Mac has; a Homebrew
# libcrypto would exist only on the build machine.
#
#   scripts/check-macos-binary.sh BINARY       macOS: checks `otool -L BINARY`
#   scripts/check-macos-binary.sh --ldd BINARY the same rules on `ldd BINARY` (Linux), to see the
#                                              check at work: the Linux build links the system's
#                                              libcrypto on purpose, so this reports it and fails
#   scripts/check-macos-binary.sh --self-test  the rules against recorded otool outputs
set -euo pipefail

# Reads a linkage listing on stdin; prints what is wrong; returns 1 if anything is.
check_listing() {
  local bad=0 line lib
  while IFS= read -r line; do
    lib=$(printf '%s\n' "$line" | sed -e 's/^[[:space:]]*//' -e 's/ (compatibility.*$//' -e 's/ (0x.*$//')
    case "$lib" in
      */opt/homebrew/*|/usr/local/opt/*|/usr/local/Cellar/*|/usr/local/lib/*|/opt/local/*)
        echo "links a library that only this build machine has: $lib"; bad=1 ;;
      *libssl*|*libcrypto*)
        echo "links OpenSSL (SQLCipher should use CommonCrypto): $lib"; bad=1 ;;
    esac
  done
  return $bad
}

# What a good macOS build links must include the Security framework (CommonCrypto).
require_security() {
  grep -q 'Security.framework' || { echo "does not link Security.framework: SQLCipher without CommonCrypto?"; return 1; }
}

self_test() {
  local good bad_brew bad_ssl
  good='/x/tresor-desktop:
	/System/Library/Frameworks/Security.framework/Versions/A/Security (compatibility version 1.0.0, current version 61123.1.1)
	/System/Library/Frameworks/CoreFoundation.framework/Versions/A/CoreFoundation (compatibility version 150.0.0, current version 2420.0.0)
	/System/Library/Frameworks/WebKit.framework/Versions/A/WebKit (compatibility version 1.0.0, current version 619.1.1)
	/usr/lib/libSystem.B.dylib (compatibility version 1.0.0, current version 1345.100.2)'
  bad_brew="$good
	/opt/homebrew/opt/openssl@3/lib/libcrypto.3.dylib (compatibility version 3.0.0, current version 3.0.0)"
  bad_ssl="$good
	@rpath/libssl.3.dylib (compatibility version 3.0.0, current version 3.0.0)"
  printf '%s\n' "$good" | check_listing >/dev/null && printf '%s\n' "$good" | require_security \
    || { echo "self-test: a clean build was refused"; return 1; }
  ! printf '%s\n' "$bad_brew" | check_listing >/dev/null || { echo "self-test: Homebrew libcrypto passed"; return 1; }
  ! printf '%s\n' "$bad_ssl" | check_listing >/dev/null || { echo "self-test: a bundled libssl passed"; return 1; }
  ! printf '%s\n' "${good/Security.framework/Nothing.framework}" | require_security >/dev/null \
    || { echo "self-test: a build without Security.framework passed"; return 1; }
  echo "self-test passed"
}

case "${1:-}" in
  --self-test) self_test ;;
  --ldd)
    listing=$(ldd "${2:?binary}")
    if printf '%s\n' "$listing" | check_listing; then echo "ok: no OpenSSL or Homebrew library in ${2}"; else exit 1; fi ;;
  ""|-h|--help) sed -n '2,12p' "$0"; exit 2 ;;
  *)
    listing=$(otool -L "$1")
    printf '%s\n' "$listing" | check_listing || exit 1
    printf '%s\n' "$listing" | require_security || exit 1
    echo "ok: $1 links CommonCrypto (Security.framework) and no OpenSSL or Homebrew library" ;;
esac
