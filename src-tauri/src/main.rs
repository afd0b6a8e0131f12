// No console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Before any password is typed: no core dumps, no ptrace by the same user (where the OS
    // has them; Windows and macOS: docs/SECURITY.md).
    tresor::process::harden();
    tresor_desktop::run();
}
