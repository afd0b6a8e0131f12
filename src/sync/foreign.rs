//! Files in the data folder that Tresor did not write under that name: a sync client's conflict
//! copies ("… (conflicted copy …)", "…-DESKTOP-AB12…", "… (1)", Syncthing's ".sync-conflict-"),
//! our own temp files left by an interruption, and anything else. They are reported, never
//! silently ignored or deleted.

use std::path::{Path, PathBuf};

use crate::fsutil::TEMP_PREFIX;
use crate::paths::{
    DataFolder, ATTACHMENT_DIR, FOLDER_ID_FILE, HEADER_FILE, LEASE_DIR, LOG_DIR, SNAPSHOT_DIR, SNAPSHOT_EXT,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ForeignKind {
    /// A conflict copy of `vault.key`: the password was changed on two computers at once, or a
    /// copy arrived twice. `same_as_current` tells which.
    HeaderConflict,
    /// A conflict copy of a change segment: it is read and merged like any other segment.
    SegmentConflict,
    /// A conflict copy of a snapshot or lease: harmless, shown so the user may tidy up.
    OtherConflict,
    /// Our temp file from an interrupted write; removed by the next write in that folder.
    LeftoverTemp,
    /// Not written by Tresor at all.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ForeignFile {
    pub path: PathBuf,
    pub kind: ForeignKind,
    /// For header conflicts: whether the copy's bytes equal the current `vault.key`.
    pub same_as_current: Option<bool>,
}

pub fn scan(folder: &DataFolder) -> Vec<ForeignFile> {
    let mut out = Vec::new();
    let current_header = std::fs::read(folder.header()).ok();
    walk(folder.root(), &mut |path| {
        let rel = path.strip_prefix(folder.root()).unwrap_or(path);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let top = rel.components().next().and_then(|c| c.as_os_str().to_str()).unwrap_or("");
        if name.starts_with(TEMP_PREFIX) {
            out.push(ForeignFile { path: path.to_path_buf(), kind: ForeignKind::LeftoverTemp, same_as_current: None });
            return;
        }
        let kind = match top {
            _ if rel.components().count() == 1 => {
                if name == HEADER_FILE || name == FOLDER_ID_FILE {
                    return;
                }
                if looks_like_copy_of(name, "vault", "key") {
                    let same = current_header.as_deref().map(|h| std::fs::read(path).ok().as_deref() == Some(h));
                    out.push(ForeignFile {
                        path: path.to_path_buf(),
                        kind: ForeignKind::HeaderConflict,
                        same_as_current: same,
                    });
                    return;
                }
                ForeignKind::Unknown
            }
            SNAPSHOT_DIR if name.ends_with(&format!(".{SNAPSHOT_EXT}")) && !is_conflict_marked(name) => return,
            SNAPSHOT_DIR if name.contains(SNAPSHOT_EXT) => ForeignKind::OtherConflict,
            LOG_DIR => match super::segment::parse_name("", path) {
                Some(f) if !f.conflict_copy => return,
                Some(_) => ForeignKind::SegmentConflict,
                None => ForeignKind::Unknown,
            },
            LEASE_DIR if name.ends_with(".json") && !is_conflict_marked(name) => return,
            LEASE_DIR => ForeignKind::OtherConflict,
            ATTACHMENT_DIR => return,
            _ => ForeignKind::Unknown,
        };
        out.push(ForeignFile { path: path.to_path_buf(), kind, same_as_current: None });
    });
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn walk(dir: &Path, f: &mut dyn FnMut(&Path)) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, f);
        } else {
            f(&p);
        }
    }
}

/// The marks sync clients add when two versions of one file meet.
pub fn is_conflict_marked(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.contains("conflict")
        || lower.contains("konflikt")
        || lower.contains("-desktop-")
        || lower.contains("-laptop-")
        || lower.contains(".sync-conflict-")
        || has_copy_number(&lower)
}

/// "name (1).ext", "name (2)" — how Windows, Dropbox and Google Drive name a second copy.
fn has_copy_number(name: &str) -> bool {
    let Some(open) = name.rfind(" (") else {
        return false;
    };
    let rest = &name[open + 2..];
    let Some(close) = rest.find(')') else {
        return false;
    };
    !rest[..close].is_empty() && rest[..close].chars().all(|c| c.is_ascii_digit())
}

fn looks_like_copy_of(name: &str, stem: &str, ext: &str) -> bool {
    name != format!("{stem}.{ext}") && name.starts_with(stem) && name.contains(ext) && is_conflict_marked(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_conflict_names_of_common_sync_clients() {
        for n in [
            "vault (conflicted copy 2026-11-22).key",
            "vault-DESKTOP-AB12CD.key",
            "vault (1).key",
            "vault.key.sync-conflict-20261122-101010-ABCDEFG",
            "vault (Konflikt).key",
        ] {
            assert!(looks_like_copy_of(n, "vault", "key"), "{n}");
        }
        assert!(!looks_like_copy_of("vault.key", "vault", "key"));
        assert!(!is_conflict_marked("000000000001-000000000005.seg"));
        assert!(!has_copy_number("report (draft).pdf"));
    }

    #[test]
    fn a_scan_reports_what_is_not_ours() {
        let d = tempfile::tempdir().unwrap();
        let f = DataFolder::new(d.path());
        std::fs::write(f.header(), b"{}").unwrap();
        std::fs::write(d.path().join("vault (1).key"), b"{}").unwrap();
        std::fs::write(d.path().join("vault-LAPTOP-X.key"), b"{other}").unwrap();
        std::fs::create_dir_all(f.log().join("dev")).unwrap();
        std::fs::write(f.log().join("dev").join("000000000001-000000000002.seg"), b"x").unwrap();
        std::fs::write(f.log().join("dev").join("000000000001-000000000002 (conflicted copy).seg"), b"x").unwrap();
        std::fs::write(f.log().join("dev").join(format!("{TEMP_PREFIX}ab-x.seg")), b"x").unwrap();
        std::fs::write(d.path().join("Einkaufsliste.txt"), b"x").unwrap();
        let found = scan(&f);
        let kinds: Vec<ForeignKind> = found.iter().map(|f| f.kind).collect();
        assert_eq!(found.len(), 5, "{found:?}");
        assert!(kinds.contains(&ForeignKind::SegmentConflict));
        assert!(kinds.contains(&ForeignKind::LeftoverTemp));
        assert!(kinds.contains(&ForeignKind::Unknown));
        let headers: Vec<_> = found.iter().filter(|f| f.kind == ForeignKind::HeaderConflict).collect();
        assert_eq!(headers.len(), 2);
        assert!(headers.iter().any(|h| h.same_as_current == Some(true)));
        assert!(headers.iter().any(|h| h.same_as_current == Some(false)));
    }
}
