//! Settings → Data folder and Backups through the shell's handlers, on real files: the folder's
//! facts, a move with progress and a cancelled one, a backup now and by the schedule at lock, a
//! restore into a new folder, and a new recovery key.

use tresor::domain::{ClientInput, Country};
use tresor::sync::cloud::CloudKind;
use tresor::sync::mover::Step;
use tresor_desktop::folder as f;
use tresor_desktop::handlers::{self as h, Secret};
use tresor_desktop::settings::{BackupSchedule, LastBackup, Settings};
use tresor_desktop::state::Shell;

const PASSWORD: &str = "Sonnenblume am Fenster 7";

#[test]
fn data_folder_move_backup_restore_and_a_new_recovery_key() {
    let dir = tempfile::tempdir().unwrap();
    // The core puts working copies under TRESOR_HOME; this is the only test in this binary.
    std::env::set_var("TRESOR_HOME", dir.path().join("home"));
    let folder = dir.path().join("Dokumente/Tresor");
    let shell = Shell::new(Some(dir.path().join("config/settings.json")));
    h::create_vault(&shell, &folder, PASSWORD.into(), Country::AT).unwrap();
    let id = h::add_client(&shell, ClientInput::with_full_name("Bärbel Größ")).unwrap();

    let info = f::data_folder_info(&shell).unwrap();
    assert_eq!(info.path, folder);
    assert!(info.files >= 1 && info.bytes > 0);
    assert_eq!(info.cloud, None);
    assert_eq!(info.devices.len(), 1);
    assert!(info.devices[0].this_device);

    // Picked in the dialog: an empty folder in a Dropbox.
    let to = dir.path().join("Dropbox/Praxis");
    std::fs::create_dir_all(&to).unwrap();
    let check = f::inspect_folder(&to);
    assert!(check.empty && !check.has_vault);
    assert_eq!(check.cloud, Some(CloudKind::Dropbox));

    // Cancelled while copying: nothing is left in the target, the vault works where it was.
    let mut steps = Vec::new();
    let err = f::move_data_folder(&shell, &to, &mut |p| {
        steps.push(p.step);
        f::cancel_task();
    })
    .unwrap_err();
    assert_eq!(err.code, "task.cancelled");
    assert_eq!(steps, vec![Step::Copy]);
    assert!(f::inspect_folder(&to).empty, "nothing of the attempt stays");
    assert_eq!(h::data_folder(&shell).unwrap(), folder);
    assert_eq!(h::client(&shell, id).unwrap().data.family_name, "Größ");

    let mut seen = Vec::new();
    let moved = f::move_data_folder(&shell, &to, &mut |p| seen.push(p)).unwrap();
    assert_eq!(moved.path, to);
    assert!(seen.iter().any(|p| p.step == Step::Verify) && seen.iter().any(|p| p.step == Step::RemoveOld));
    assert!(!folder.join("vault.key").exists());
    assert_eq!(f::data_folder_info(&shell).unwrap().cloud, Some(CloudKind::Dropbox));
    assert_eq!(shell.settings().last_data_folder.as_deref(), Some(to.as_path()), "the next start offers it");
    h::update_client(&shell, id, ClientInput::with_full_name("Bärbel Huber")).unwrap();

    // A backup now: the date of the last good one is kept for Settings and Today.
    let usb = dir.path().join("USB");
    let done = f::backup_now(&shell, &usb).unwrap();
    assert!(done.path.starts_with(&usb) && done.bytes > 0);
    let last = shell.settings().last_backup.unwrap();
    let vault_id = h::vault_info(&shell).unwrap().id;
    assert_eq!(last.vault_id, vault_id);
    assert_eq!(h::app_state(&shell).settings.last_backup, Some(last.clone()), "the window reads it from app_state");

    // The schedule: due at the next lock only when no backup was made today.
    let s = f::set_backup_schedule(&shell, Some(BackupSchedule { dir: usb.clone(), keep: 500, at_close: true }));
    assert_eq!(s.backup.as_ref().unwrap().keep, 100, "kept within bounds");
    let now = jiff::Timestamp::now();
    assert!(!f::backup_due(&s, &vault_id, now));
    let yesterday = Settings {
        last_backup: Some(LastBackup { at: (now - jiff::SignedDuration::from_hours(48)).to_string(), ..last }),
        ..s.clone()
    };
    assert!(f::backup_due(&yesterday, &vault_id, now));
    assert!(f::backup_due(&Settings { last_backup: None, ..s.clone() }, &vault_id, now));
    shell.update_settings(|s| s.last_backup = None);
    assert!(h::lock(&shell).unwrap());
    shell.close_pending().unwrap();
    assert_eq!(std::fs::read_dir(&usb).unwrap().count(), 2, "the lock wrote the scheduled backup");
    assert!(shell.settings().last_backup.is_some());

    // Restore the first backup into a new folder, then open it.
    let restored = dir.path().join("Wiederhergestellt");
    let wrong = f::restore_backup(&done.path, &restored, Secret::Password("falsch falsch falsch".into()), &mut |_| {});
    assert_eq!(wrong.unwrap_err().code, "vault.wrong_secret");
    assert!(!restored.exists(), "a refused restore makes nothing");
    assert!(f::restore_backup(&done.path, &restored, Secret::Password(PASSWORD.into()), &mut |_| {}).unwrap() >= 1);
    std::thread::sleep(std::time::Duration::from_millis(1100)); // the wait after the wrong password
                                                                // A folder this computer has no working copy of: the first unlock builds one and says how
                                                                // far it is; a cancel leaves the vault locked and the next unlock builds it again.
    f::cancel_task();
    let mut heard = Vec::new();
    let cancelled = h::unlock(&shell, &restored, Secret::Password(PASSWORD.into()), &mut |p| {
        heard.push((p.done, p.total));
        f::cancel_task();
    });
    assert_eq!(cancelled.unwrap_err().code, "task.cancelled");
    assert!(!shell.is_unlocked());
    assert_eq!(heard.len(), 1, "a cancel stops at the next MiB");
    heard.clear();
    h::unlock(&shell, &restored, Secret::Password(PASSWORD.into()), &mut |p| heard.push((p.done, p.total))).unwrap();
    assert!(heard.last().is_some_and(|&(done, total)| done > 0 && done == total), "{heard:?}");
    assert_eq!(h::client(&shell, id).unwrap().data.family_name, "Huber");

    // A new recovery key opens the vault; the window shows it once.
    let key = f::new_recovery_key(&shell).unwrap().recovery_key;
    h::lock(&shell).unwrap();
    h::unlock(&shell, &restored, Secret::RecoveryKey(key), &mut |_| {}).unwrap();
    h::lock(&shell).unwrap();
    // The final write-out runs on a thread of its own; the test process must not exit under it
    // (OpenSSL's exit-time cleanup would pull the cipher from under its last write).
    shell.close_pending().unwrap();
}
