//! The vault's life through the shell's handlers: create, work, lock, a wrong password with its
//! growing wait, the right one, and the recovery key.

use std::time::Duration;

use tresor::domain::{ClientInput, Country};
use tresor_desktop::handlers::{self as h, Secret};
use tresor_desktop::state::Shell;

const PASSWORD: &str = "Sonnenblume am Fenster 7";
/// A 2×2 red PNG.
const TINY_PNG: &str = "89504E470D0A1A0A0000000D4948445200000002000000020802000000FDD49A730000001049444154789C6338212202440C100A001D1E03C17C127D190000000049454E44AE426082";

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// The PNG bytes behind a logo's `data:` URL, as the window's `<img>` would decode them.
fn preview_bytes(logo: &h::LogoInfo) -> Vec<u8> {
    let b64 = logo.data_url.strip_prefix("data:image/png;base64,").expect("a PNG data URL");
    data_encoding::BASE64.decode(b64.as_bytes()).unwrap()
}

#[test]
fn create_lock_unlock_wrong_then_right_then_recovery_key() {
    let dir = tempfile::tempdir().unwrap();
    // The core puts working copies under TRESOR_HOME; this is the only test in this binary.
    std::env::set_var("TRESOR_HOME", dir.path().join("home"));
    let folder = dir.path().join("Datenordner");
    let settings = dir.path().join("config/settings.json");
    let shell = Shell::new(Some(settings.clone()));

    let created = h::create_vault(&shell, &folder, PASSWORD.into(), Country::AT).unwrap();
    assert_eq!(created.recovery_key.split('-').count(), 8);
    assert!(h::app_state(&shell).unlocked);
    let id = h::add_client(&shell, ClientInput::with_full_name("Bärbel Größ")).unwrap();

    let logo = dir.path().join("logo.png");
    std::fs::write(&logo, hex(TINY_PNG)).unwrap();
    assert_eq!(h::logo(&shell).unwrap(), None);
    let set = h::set_logo(&shell, Some(&logo)).unwrap().unwrap();
    assert_eq!((set.width, set.height), (2, 2));
    assert_eq!(preview_bytes(&set), hex(TINY_PNG), "the preview shows the very file chosen");
    let not_png = dir.path().join("logo.txt");
    std::fs::write(&not_png, "kein Bild").unwrap();
    assert_eq!(h::set_logo(&shell, Some(&not_png)).unwrap_err().code, "record.invalid");
    assert_eq!(h::set_logo(&shell, Some(&dir.path().join("fehlt.png"))).unwrap_err().code, "io.failed");
    assert_eq!(h::logo(&shell).unwrap(), Some(set), "kept after the failures");
    assert_eq!(h::set_logo(&shell, None).unwrap(), None);

    let kit = dir.path().join("Notfallblatt.pdf");
    h::save_emergency_kit(&shell, &created.recovery_key, &kit).unwrap();
    assert!(std::fs::read(&kit).unwrap().starts_with(b"%PDF"));
    // The path comes from the native save dialog, which already asked before replacing a file.
    std::fs::write(&kit, b"an older kit").unwrap();
    h::save_emergency_kit(&shell, &created.recovery_key, &kit).unwrap();
    assert!(std::fs::read(&kit).unwrap().starts_with(b"%PDF"), "the confirmed file is replaced");
    assert_eq!(h::save_emergency_kit(&shell, "not a key", &kit).unwrap_err().code, "vault.recovery_key_malformed");

    assert!(h::lock(&shell).unwrap());
    assert_eq!(h::client(&shell, id).unwrap_err().code, "vault.locked");
    let state = h::app_state(&shell);
    assert!(!state.unlocked && state.folder_has_vault);
    assert_eq!(state.data_folder, folder, "the last data folder is offered again");
    assert!(std::fs::read_to_string(&settings).unwrap().contains("Datenordner"));

    let wrong = h::unlock(&shell, &folder, Secret::Password("falsches Passwort".into()), &mut |_| {}).unwrap_err();
    assert_eq!(wrong.code, "vault.wrong_secret");
    assert_eq!((wrong.params["attempts"].as_u64(), wrong.params["wait_seconds"].as_u64()), (Some(1), Some(1)));
    let too_soon = h::unlock(&shell, &folder, Secret::Password(PASSWORD.into()), &mut |_| {}).unwrap_err();
    assert_eq!(too_soon.code, "unlock.wait");
    assert!(!shell.is_unlocked());

    std::thread::sleep(Duration::from_millis(1100));
    h::unlock(&shell, &folder, Secret::Password(PASSWORD.into()), &mut |_| {}).unwrap();
    assert_eq!(h::client(&shell, id).unwrap().display_name(), "Bärbel Größ");
    h::lock(&shell).unwrap();

    let typo = h::unlock(&shell, &folder, Secret::RecoveryKey("ABCDE".into()), &mut |_| {}).unwrap_err();
    assert_eq!(typo.code, "vault.recovery_key_malformed");
    h::unlock(&shell, &folder, Secret::RecoveryKey(created.recovery_key.to_lowercase()), &mut |_| {}).unwrap();
    assert_eq!(h::client(&shell, id).unwrap().display_name(), "Bärbel Größ");
    h::lock(&shell).unwrap();
    // The final write-out runs on a thread of its own; the test process must not exit under it
    // (OpenSSL's exit-time cleanup would pull the cipher from under its last write).
    shell.close_pending().unwrap();
}
