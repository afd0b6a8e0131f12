#!/usr/bin/env bash
# Starts Tresor: the desktop app, built (with its UI) and its system packages installed as
# needed. Pass --release for an optimised build.
exec "$(dirname "$0")/run-desktop.sh" "$@"
