//! This computer's copy of `vault.key` (wrapped keys only, byte for byte the data folder's file)
//! in the vault's working folder, with `data-folder.json` naming the folder it belongs to. The
//! practice then opens while the data folder is offline or not mounted, and works locally until
//! the folder is back. Which copy is used when both exist and differ: the one with the higher
//! epoch (each password change or new recovery key raises it); equal epochs take the data
//! folder's, the copy every computer shares. A data folder with an older header than this
//! computer has seen is never taken silently: the newer local copy opens, and the folder's file
//! is left as it is (`Vault::folder_key_older`), so a password change is never undone.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fsutil;
use crate::header::Body as Header;
use crate::paths::{DataFolder, FileKind, WorkingDir};

/// Which of the two copies to unlock with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Folder,
    /// The local copy is newer than the folder's: the folder's is older than this computer knows.
    Local,
}

/// Decides between the data folder's header and this computer's copy (see the module comment).
pub fn choose(folder: &Header, local: Option<&Header>) -> Choice {
    match local {
        Some(l) if l.vault_id == folder.vault_id && l.epoch_or_zero() > folder.epoch_or_zero() => Choice::Local,
        _ => Choice::Folder,
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct FolderRecord {
    folder: String,
}

/// The folder as recorded and compared: absolute, not resolved through links (that would need
/// the folder to be there).
fn folder_key(folder: &Path) -> String {
    std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf()).to_string_lossy().into_owned()
}

/// This computer's copy in `work`, when there is one and it parses.
pub fn load(work: &WorkingDir) -> Option<Header> {
    let bytes = fsutil::read_bounded(&work.header_copy(), FileKind::Header).ok()?;
    Header::parse(&bytes).ok()
}

/// Keeps `header` as this computer's copy and records `folder` beside it; writes only what
/// differs (0600, temp file and rename, like every file Tresor writes).
pub fn save(work: &WorkingDir, folder: &Path, header: &Header) -> Result<()> {
    let bytes = header.to_bytes();
    if std::fs::read(work.header_copy()).ok().as_deref() != Some(&bytes[..]) {
        fsutil::write_atomic(&work.header_copy(), &bytes)?;
    }
    let record = serde_json::to_vec(&FolderRecord { folder: folder_key(folder) })
        .map_err(|e| Error::io("write", work.folder_record(), std::io::Error::other(e)))?;
    if std::fs::read(work.folder_record()).ok().as_deref() != Some(&record[..]) {
        fsutil::write_atomic(&work.folder_record(), &record)?;
    }
    Ok(())
}

/// Whether the folder's header could not be read because the folder is away (not mounted,
/// offline, a cloud placeholder) rather than because something is wrong with it. A folder that
/// is there and holds files but no `vault.key` is not "away": that stays `vault.missing`.
pub fn folder_away(folder: &DataFolder, e: &Error) -> bool {
    match e {
        Error::InTransit { .. } | Error::FolderOffline { .. } => true,
        Error::VaultMissing { .. } => folder.check_present().is_err(),
        Error::Io { source, .. } => source.kind() != std::io::ErrorKind::NotFound || folder.check_present().is_err(),
        _ => false,
    }
}

/// The working folder and header copy recorded for `folder` under `local_root`; when several
/// (a vault made anew in the same place), the most recently written copy.
pub fn find(local_root: &Path, folder: &Path) -> Option<(WorkingDir, Header)> {
    let wanted = folder_key(folder);
    let entries = std::fs::read_dir(local_root.join("vaults")).ok()?;
    let mut best: Option<(std::time::SystemTime, WorkingDir, Header)> = None;
    for e in entries.flatten() {
        let work = WorkingDir::at(e.path());
        let Ok(bytes) = fsutil::read_bounded(&work.folder_record(), FileKind::Header) else { continue };
        let Ok(record) = serde_json::from_slice::<FolderRecord>(&bytes) else { continue };
        if record.folder != wanted {
            continue;
        }
        let Some(header) = load(&work) else { continue };
        let at = std::fs::metadata(work.header_copy()).and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH);
        if best.as_ref().is_none_or(|(t, _, _)| at > *t) {
            best = Some((at, work, header));
        }
    }
    best.map(|(_, w, h)| (w, h))
}

/// Where the folder record points (for tests and the status view).
pub fn recorded_folder(work: &WorkingDir) -> Option<PathBuf> {
    let bytes = fsutil::read_bounded(&work.folder_record(), FileKind::Header).ok()?;
    serde_json::from_slice::<FolderRecord>(&bytes).ok().map(|r| PathBuf::from(r.folder))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{DataKey, KdfParams, RecoveryKey};
    use secrecy::SecretString;

    fn header(id: &str) -> (Header, DataKey) {
        let dek = DataKey::generate().unwrap();
        let rk = RecoveryKey::generate().unwrap();
        (Header::create(id, &dek, &SecretString::from("pw"), &rk, KdfParams::FLOOR).unwrap(), dek)
    }

    #[test]
    fn the_higher_epoch_wins_and_ties_go_to_the_folder() {
        let (old, dek) = header("v1");
        let mut new = old.clone();
        new.set_password(&dek, &SecretString::from("neu und lang")).unwrap();
        assert_eq!((old.epoch, new.epoch), (None, Some(1)));
        assert_eq!(choose(&old, None), Choice::Folder);
        assert_eq!(choose(&new, Some(&old)), Choice::Folder, "the folder moved on: take it");
        assert_eq!(choose(&old, Some(&new)), Choice::Local, "the folder went back: never silently");
        let mut other = old.clone();
        other.set_recovery(&dek, &RecoveryKey::generate().unwrap()).unwrap();
        assert_eq!(choose(&other, Some(&new)), Choice::Folder, "same epoch, different change: the shared one");
        let (foreign, _) = header("v2");
        assert_eq!(choose(&foreign, Some(&new)), Choice::Folder, "another vault's copy never counts");
    }

    #[test]
    fn the_copy_is_found_by_its_folder_and_only_by_it() {
        let d = tempfile::tempdir().unwrap();
        let (h, _) = header("v1");
        let work = WorkingDir::in_root(d.path(), "v1");
        fsutil::create_dir_all(work.root()).unwrap();
        save(&work, &d.path().join("data"), &h).unwrap();
        let (w, found) = find(d.path(), &d.path().join("data")).unwrap();
        assert_eq!((w.root(), found), (work.root(), h));
        assert!(find(d.path(), &d.path().join("other")).is_none());
        assert_eq!(recorded_folder(&work).unwrap(), d.path().join("data"));
    }

    #[test]
    fn a_missing_or_empty_folder_is_away_but_a_folder_without_its_key_is_not() {
        let d = tempfile::tempdir().unwrap();
        let gone = DataFolder::new(d.path().join("gone"));
        let missing = Error::VaultMissing { path: gone.root().to_path_buf() };
        assert!(folder_away(&gone, &missing));
        std::fs::create_dir(gone.root()).unwrap();
        assert!(folder_away(&gone, &missing), "an empty mount point");
        std::fs::write(gone.root().join("notes.txt"), b"x").unwrap();
        assert!(!folder_away(&gone, &missing));
        assert!(!folder_away(&gone, &Error::HeaderCorrupt));
    }
}
