//! Where a backup may go and how it gets there: never into the vault's own folders (paths
//! resolved through links and `..`), an existing file only with `force`, and temp files of
//! interrupted backups removed once nobody writes them any more.

use std::fs::{self, File};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::error::{Error, Result};
use crate::fsutil::TEMP_PREFIX;

/// A temp file untouched this long and not locked by a writer is a leftover of a killed backup.
pub const STALE_AFTER: Duration = Duration::from_secs(60);

/// The absolute path `p` names, with every existing part resolved through symlinks and `..`
/// applied after that (as the OS does). Parts that do not exist yet are kept as written: they
/// cannot be links. (A dangling link as the last part stays too: a backup replaces such a link
/// itself by rename, or is refused by the hard link; it never writes through it.)
pub fn resolve(p: &Path) -> Result<PathBuf> {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().map_err(|e| Error::io("read", ".", e))?.join(p)
    };
    let mut cur = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => cur.push(c),
            Component::CurDir => {}
            // `cur` is already free of links, so its parent is the real parent.
            Component::ParentDir => {
                cur.pop();
            }
            Component::Normal(n) => {
                cur.push(n);
                if let Ok(real) = cur.canonicalize() {
                    cur = real;
                }
            }
        }
    }
    Ok(cur)
}

/// Refuses a target inside any of `forbidden` (each resolved the same way).
pub fn check_outside(target: &Path, forbidden: &[&Path]) -> Result<PathBuf> {
    let real = resolve(target)?;
    for f in forbidden {
        let f = resolve(f)?;
        if real.starts_with(&f) {
            return Err(Error::BackupTargetInVault { path: target.to_path_buf() });
        }
    }
    Ok(real)
}

/// Refuses an existing target unless `force`; a folder is never a target.
pub fn check_free(target: &Path, shown: &Path, force: bool) -> Result<()> {
    match fs::symlink_metadata(target) {
        Ok(m) if m.is_dir() => Err(Error::ExportFailed {
            path: shown.to_path_buf(),
            source: std::io::Error::from(std::io::ErrorKind::IsADirectory),
        }),
        Ok(_) if !force => Err(Error::ExportExists { path: shown.to_path_buf() }),
        _ => Ok(()),
    }
}

/// Puts the finished temp file in place. Without `force` a hard link is made, which never
/// replaces a file that appeared meanwhile; where the file system has no hard links (FAT and
/// exFAT USB sticks) the existence check right before the rename has to do.
pub fn publish(tmp: &Path, target: &Path, shown: &Path, force: bool) -> Result<()> {
    if !force {
        match fs::hard_link(tmp, target) {
            Ok(()) => {
                let _ = fs::remove_file(tmp);
                crate::fsutil::sync_dir(target.parent().unwrap_or_else(|| Path::new(".")));
                return Ok(());
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(Error::ExportExists { path: shown.to_path_buf() })
            }
            Err(_) => check_free(target, shown, false)?,
        }
    }
    crate::fsutil::rename_durable(tmp, target)
}

/// Removes temp files in `dir` that `ours(name)` claims (the part after the temp prefix and
/// tag), that no process holds locked and that nobody wrote to for `STALE_AFTER`: what a killed
/// backup left behind. Another computer's backup in progress is written to, so it stays.
pub fn remove_stale_temps(dir: &Path, ours: impl Fn(&str) -> bool) -> usize {
    let Ok(entries) = fs::read_dir(dir) else { return 0 };
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TEMP_PREFIX)) else { continue };
        // `<12 hex>-<name>`, as `fsutil::temp_path_for` makes them.
        let Some(target_name) = rest.get(13..).filter(|_| rest.as_bytes().get(12) == Some(&b'-')) else { continue };
        if !ours(target_name) || !e.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let idle = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age >= STALE_AFTER);
        let unlocked = File::open(e.path()).is_ok_and(|f| f.try_lock().is_ok());
        if idle && unlocked && fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_dots_are_resolved_before_the_check() {
        let d = tempfile::tempdir().unwrap();
        let vault = d.path().join("V");
        fs::create_dir_all(vault.join("snapshots")).unwrap();
        fs::write(vault.join("vault.key"), b"{}").unwrap();
        let elsewhere = d.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        let forbidden = [vault.as_path()];
        for bad in [
            vault.join("vault.key"),
            vault.join("new/deeper/file"),
            elsewhere.join("../V/snapshots/x"),
            elsewhere.join("missing/../../V/x"),
        ] {
            assert!(
                matches!(check_outside(&bad, &forbidden), Err(Error::BackupTargetInVault { .. })),
                "{}",
                bad.display()
            );
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&vault, d.path().join("link")).unwrap();
            assert!(check_outside(&d.path().join("link/vault.key"), &forbidden).is_err());
            std::os::unix::fs::symlink(vault.join("vault.key"), elsewhere.join("to-key")).unwrap();
            assert!(check_outside(&elsewhere.join("to-key"), &forbidden).is_err());
        }
        assert!(check_outside(&elsewhere.join("b.tresor-backup"), &forbidden).is_ok());
        assert!(check_outside(&d.path().join("V-backups/b"), &forbidden).is_ok(), "a sibling is not inside");
    }

    #[test]
    fn only_idle_unlocked_temps_of_ours_are_removed() {
        let d = tempfile::tempdir().unwrap();
        let mk = |name: &str, age: u64| {
            let p = d.path().join(name);
            fs::write(&p, b"x").unwrap();
            let f = File::options().write(true).open(&p).unwrap();
            f.set_modified(SystemTime::now() - Duration::from_secs(age)).unwrap();
            p
        };
        let stale = mk(".tresor-tmp-0123456789ab-b.tresor-backup", 600);
        let fresh = mk(".tresor-tmp-0123456789ac-b.tresor-backup", 0);
        let other = mk(".tresor-tmp-0123456789ad-other.file", 600);
        let held = mk(".tresor-tmp-0123456789ae-b.tresor-backup", 600);
        let lock = File::open(&held).unwrap();
        lock.lock().unwrap();
        assert_eq!(remove_stale_temps(d.path(), |n| n == "b.tresor-backup"), 1);
        assert!(!stale.exists() && fresh.exists() && other.exists() && held.exists());
    }
}
