//! Unlocking while the data folder is away (cloud drive offline, network share not mounted): the
//! practice opens from this computer's copy of `vault.key`, works locally, writes nothing where
//! the folder should be, and syncs once the folder is back. Which copy of the header wins when
//! they differ. Real SQLCipher files in temp dirs.

mod common;

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use common::*;
use secrecy::SecretString;
use tresor::domain::client::ClientInput;
use tresor::sync::round::FolderIo;
use tresor::vault::round;
use tresor::{Error, Unlock, Vault};

fn open(data: &Path, home: &Path, pw: &str) -> tresor::Result<Vault> {
    Vault::open_in(data, home, Unlock::Password(&SecretString::from(pw)))
}

fn names(v: &Vault) -> Vec<String> {
    let q = tresor::store::ClientQuery { limit: 100, ..Default::default() };
    let mut n: Vec<String> = v.records().clients(&q).unwrap().0.into_iter().map(|c| c.family_name).collect();
    n.sort();
    n
}

#[test]
fn the_practice_opens_from_the_local_key_copy_while_the_folder_is_away_and_syncs_when_it_is_back() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    v.records_mut().add_client(ClientInput::with_full_name("Anna Huber")).unwrap();
    v.lock().unwrap();
    let copy = w
        .home()
        .join("vaults")
        .join(std::fs::read_dir(w.home().join("vaults")).unwrap().next().unwrap().unwrap().file_name());
    assert_eq!(std::fs::read(copy.join("vault.key")).unwrap(), std::fs::read(w.data().join("vault.key")).unwrap());

    let away = w.dir.path().join("away");
    std::fs::rename(w.data(), &away).unwrap();
    // Not mounted: the path is gone. An empty mount point. A link to a share that is not there.
    for state in ["gone", "empty mount point", "dangling link"] {
        match state {
            "empty mount point" => std::fs::create_dir(w.data()).unwrap(),
            "dangling link" => {
                std::fs::remove_dir(w.data()).unwrap();
                std::os::unix::fs::symlink(w.dir.path().join("share-not-mounted"), w.data()).unwrap();
            }
            _ => {}
        }
        let mut v = w.open_vault().unwrap_or_else(|e| panic!("{state}: {e}"));
        assert!(v.is_offline(), "{state}");
        assert!(names(&v).contains(&"Huber".to_string()), "{state}");
        let family = state.split(' ').next().unwrap_or(state);
        v.records_mut().add_client(ClientInput::with_full_name(&format!("Eva {family}"))).unwrap();
        // Nothing is created where the folder should be; the change waits in the working copy.
        let err = v.lock().unwrap_err();
        assert_eq!(err.code(), "folder.offline", "{state}");
        match state {
            "gone" => assert!(!w.data().exists()),
            "empty mount point" => assert_eq!(std::fs::read_dir(w.data()).unwrap().count(), 0),
            _ => assert!(!w.dir.path().join("share-not-mounted").exists()),
        }
    }
    assert!(matches!(open(&w.data(), &w.home(), "falsches Passwort"), Err(Error::WrongSecret)));

    // A round while the folder is away says so and writes nothing.
    std::thread::sleep(Duration::from_millis(1100)); // the back-off of the wrong password above
    let v = Mutex::new(w.open_vault().unwrap());
    let io = FolderIo::new(Duration::from_secs(5));
    let r = round::run(&v, &io).unwrap();
    assert!(r.folder_offline);
    assert!(v.lock().unwrap().is_offline());
    assert!(!w.dir.path().join("share-not-mounted").exists());

    // The folder is back: the next round ends working locally and writes the waiting changes.
    std::fs::remove_file(w.data()).unwrap();
    std::fs::rename(&away, w.data()).unwrap();
    let r = round::run(&v, &io).unwrap();
    assert!(!r.folder_offline);
    assert!(!v.lock().unwrap().is_offline());
    assert!(r.sync.written.is_some(), "{r:?}");
    v.into_inner().unwrap().lock().unwrap();

    // Another computer sees what was typed while the folder was away.
    let other = open(&w.data(), &w.dir.path().join("other"), PASSWORD).unwrap();
    assert_eq!(names(&other), ["Huber", "dangling", "empty", "gone"]);
}

#[test]
fn without_a_working_copy_the_folder_is_needed_and_a_folder_without_its_key_is_no_offline_case() {
    let w = World::new();
    let (v, _) = w.create_vault();
    v.lock().unwrap();
    // A computer that never opened this folder has no copy to open from.
    let away = w.dir.path().join("away");
    std::fs::rename(w.data(), &away).unwrap();
    assert_eq!(open(&w.data(), &w.dir.path().join("new"), PASSWORD).unwrap_err().code(), "vault.missing");
    // This computer without its working copy (removed): it cannot work locally.
    let work = std::fs::read_dir(w.home().join("vaults")).unwrap().next().unwrap().unwrap().path();
    std::fs::remove_file(work.join("tresor.db")).unwrap();
    assert_eq!(w.open_vault().unwrap_err().code(), "folder.offline");
    // A folder that is there but lost its vault.key is not "offline": that stays an error.
    std::fs::rename(&away, w.data()).unwrap();
    std::fs::remove_file(w.data().join("vault.key")).unwrap();
    assert_eq!(w.open_vault().unwrap_err().code(), "vault.missing");
}

/// Computer B keeps an old copy while A changes the password; once the folder is back, B uses the
/// new header. A folder whose `vault.key` went back to the old one (a sync client restoring an
/// old version) does not undo the change on B: B keeps the newer copy, and the folder's file is
/// left as it is.
#[test]
fn a_password_changed_elsewhere_wins_and_an_older_folder_header_never_undoes_it() {
    let w = World::new();
    let (a, _) = w.create_vault();
    a.lock().unwrap();
    let home_b = w.dir.path().join("b");
    open(&w.data(), &home_b, PASSWORD).unwrap().lock().unwrap();
    let old_header = std::fs::read(w.data().join("vault.key")).unwrap();

    let mut a = w.open_vault().unwrap();
    a.change_password(&SecretString::from("ein neues langes Passwort")).unwrap();
    a.lock().unwrap();
    let new_header = std::fs::read(w.data().join("vault.key")).unwrap();
    assert!(String::from_utf8_lossy(&new_header).contains("\"epoch\": 1"));

    // B, folder away: only its old copy, so the old password opens it there (nothing newer known).
    let away = w.dir.path().join("away");
    std::fs::rename(w.data(), &away).unwrap();
    let b = open(&w.data(), &home_b, PASSWORD).unwrap();
    assert!(b.is_offline());
    drop(b);

    // Folder back: the new header wins and becomes B's copy.
    std::fs::rename(&away, w.data()).unwrap();
    assert!(matches!(open(&w.data(), &home_b, PASSWORD), Err(Error::WrongSecret)));
    std::thread::sleep(Duration::from_millis(1100));
    let b = open(&w.data(), &home_b, "ein neues langes Passwort").unwrap();
    assert!(!b.is_offline() && !b.folder_key_older());
    drop(b);
    let b_work = std::fs::read_dir(home_b.join("vaults")).unwrap().next().unwrap().unwrap().path();
    assert_eq!(std::fs::read(b_work.join("vault.key")).unwrap(), new_header);

    // The folder's vault.key goes back to the old one: no silent downgrade on B.
    std::fs::write(w.data().join("vault.key"), &old_header).unwrap();
    assert!(matches!(open(&w.data(), &home_b, PASSWORD), Err(Error::WrongSecret)));
    std::thread::sleep(Duration::from_millis(1100));
    let b = open(&w.data(), &home_b, "ein neues langes Passwort").unwrap();
    assert!(b.folder_key_older() && !b.is_offline());
    drop(b);
    assert_eq!(std::fs::read(w.data().join("vault.key")).unwrap(), old_header, "the folder's file is left alone");
    assert_eq!(std::fs::read(b_work.join("vault.key")).unwrap(), new_header);
}

/// While B is open, A changes the password: B's next round takes the new header as its copy, so
/// B opens with the new password even when the folder is away afterwards.
#[test]
fn a_round_refreshes_the_copy_when_the_folders_header_changes() {
    let w = World::new();
    let (a, _) = w.create_vault();
    a.lock().unwrap();
    let home_b = w.dir.path().join("b");
    let b = Mutex::new(open(&w.data(), &home_b, PASSWORD).unwrap());
    let mut a = w.open_vault().unwrap();
    a.change_password(&SecretString::from("ein neues langes Passwort")).unwrap();
    let io = FolderIo::new(Duration::from_secs(5));
    round::run(&b, &io).unwrap();
    b.into_inner().unwrap().lock().unwrap();
    a.lock().unwrap();

    std::fs::rename(w.data(), w.dir.path().join("away")).unwrap();
    let b = open(&w.data(), &home_b, "ein neues langes Passwort").unwrap();
    assert!(b.is_offline());
}

/// After a move, the local copy belongs to the new place: that is the folder found offline.
#[test]
fn after_a_move_the_new_folder_opens_offline() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let moved = w.dir.path().join("moved");
    v.move_folder(&moved, &mut |_| true).unwrap();
    v.lock().unwrap();
    std::fs::rename(&moved, w.dir.path().join("away")).unwrap();
    let v = open(&moved, &w.home(), PASSWORD).unwrap();
    assert!(v.is_offline());
}
