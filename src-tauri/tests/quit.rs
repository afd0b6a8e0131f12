//! Quitting through the shell: every quit while a vault is open asks the window to save first
//! (once), and the exit writes the last segment and the closed lease, so a change made a moment
//! before quitting reaches the data folder.

use tresor::domain::{ClientInput, Country};
use tresor::{Unlock, Vault};
use tresor_desktop::handlers as h;
use tresor_desktop::state::{Quit, Shell};

const PASSWORD: &str = "Sonnenblume am Fenster 7";

#[test]
fn quitting_asks_the_window_once_then_writes_the_segment_and_the_closed_lease() {
    let dir = tempfile::tempdir().unwrap();
    // The core puts working copies under TRESOR_HOME; this is the only test in this binary.
    std::env::set_var("TRESOR_HOME", dir.path().join("home"));
    let folder = dir.path().join("Datenordner");
    let shell = Shell::new(None);
    assert_eq!(shell.quit_requested(), Quit::Now, "nothing open: nothing to save");

    h::create_vault(&shell, &folder, PASSWORD.into(), Country::AT).unwrap();
    let id = h::add_client(&shell, ClientInput::with_full_name("Bärbel Größ")).unwrap();
    assert_eq!(shell.quit_requested(), Quit::SaveFirst);
    assert_eq!(shell.quit_requested(), Quit::Asked, "a second Quit asked the window again");
    // The window still works until it has saved: its last autosave arrives after the request.
    let id2 = h::add_client(&shell, ClientInput::with_full_name("Zuletzt Gespeichert")).unwrap();

    assert!(shell.close_at_exit().unwrap());
    assert_eq!(h::client(&shell, id).unwrap_err().code, "vault.locked", "data after quitting");
    assert!(!shell.close_at_exit().unwrap(), "closing twice");

    let leases: Vec<_> = std::fs::read_dir(folder.join("leases")).unwrap().flatten().collect();
    assert_eq!(leases.len(), 1);
    let lease: serde_json::Value = serde_json::from_slice(&std::fs::read(leases[0].path()).unwrap()).unwrap();
    assert_eq!(lease["open"], false, "the lease still says open: {lease}");
    // Another computer finds both clients: the segment written at exit carried them.
    let other = Vault::open_in(
        &folder,
        &dir.path().join("zweiter-computer"),
        Unlock::Password(&secrecy::SecretString::from(PASSWORD)),
    )
    .unwrap();
    assert_eq!(other.records().client(id).unwrap().data.family_name, "Größ");
    assert_eq!(other.records().client(id2).unwrap().data.family_name, "Gespeichert");
}
