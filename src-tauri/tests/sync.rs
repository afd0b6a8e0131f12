//! The window's live sync: another computer's change arrives through the data folder and a sync
//! round merges it; the sidebar learns who else has the vault open.

use secrecy::SecretString;
use std::time::Duration;

use tresor::domain::{ClientInput, Country};
use tresor::sync::round::FolderIo;
use tresor::{Unlock, Vault};
use tresor_desktop::handlers as h;
use tresor_desktop::state::Shell;

const PASSWORD: &str = "Sonnenblume am Fenster 7";

#[test]
fn a_round_merges_the_other_computers_change_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    // The core puts working copies under TRESOR_HOME; this is the only test in this binary.
    std::env::set_var("TRESOR_HOME", dir.path().join("this-computer"));
    let folder = dir.path().join("OneDrive/Tresor");
    let shell = Shell::new(None);
    let io = FolderIo::new(Duration::from_secs(5));
    h::create_vault(&shell, &folder, PASSWORD.into(), Country::AT).unwrap();
    let first = h::sync_round(&shell, &io).unwrap();
    assert!(first.others_open.is_empty());

    // The laptop: the same data folder, its own working copy.
    std::env::set_var("TRESOR_DEVICE_NAME", "LAPTOP-X");
    let mut laptop =
        Vault::open_in(&folder, &dir.path().join("laptop"), Unlock::Password(&SecretString::from(PASSWORD))).unwrap();
    std::env::remove_var("TRESOR_DEVICE_NAME");
    let id = laptop.records_mut().add_client(ClientInput::with_full_name("Zoë Öztürk")).unwrap();
    laptop.sync_now().unwrap();

    assert_eq!(h::client(&shell, id).unwrap_err().code, "record.not_found");
    let round = h::sync_round(&shell, &io).unwrap();
    assert!(round.changed >= 1, "{round:?}");
    assert_eq!(h::client(&shell, id).unwrap().display_name(), "Zoë Öztürk");
    assert_eq!(round.others_open.len(), 1);
    assert_eq!(round.others_open[0].name, "LAPTOP-X");
    assert_eq!(h::sync_status(&shell).unwrap().attention, 0);

    // A copy of vault.key equal to the current one is harmless; one that differs (the password
    // was changed on two computers at once) needs the user. The status is the last round's view:
    // asking for it never touches the data folder. Once the laptop locks, it is no longer open.
    std::fs::copy(folder.join("vault.key"), folder.join("vault (1).key")).unwrap();
    assert_eq!(h::sync_round(&shell, &io).unwrap().attention, 0);
    std::fs::write(folder.join("vault-LAPTOP-X.key"), b"{\"another\": \"header\"}").unwrap();
    assert_eq!(h::sync_status(&shell).unwrap().attention, 0, "not seen before the next round");
    laptop.lock().unwrap();
    h::sync_round(&shell, &io).unwrap();
    let after = h::sync_status(&shell).unwrap();
    assert!(after.others_open.is_empty());
    assert_eq!(after.attention, 1);
    h::lock(&shell).unwrap();
    assert_eq!(h::sync_status(&shell).unwrap_err().code, "vault.locked");
    // The final write-out runs on a thread of its own; the test process must not exit under it
    // (OpenSSL's exit-time cleanup would pull the cipher from under its last write).
    shell.close_pending().unwrap();
}
