//! Files in the data folder that Tresor did not write under that name: a sync client's conflict
//! copies, cloud placeholders still on their way, our own temp files left by an interruption,
//! links, and anything else a person or a program put there. They are reported, never touched;
//! what the OS and sync clients keep for themselves (`.DS_Store`, `.stfolder`, …) is passed over.
//! Only what asks for a decision lights the app's attention mark ([`ForeignFile::needs_user`]).

use std::fs::{self, DirEntry};
use std::path::{Path, PathBuf};

use crate::fsutil::{self, TEMP_PREFIX};
use crate::paths::{
    is_device_id, DataFolder, FileKind, ATTACHMENT_DIR, FOLDER_ID_FILE, HEADER_FILE, LEASE_DIR, LOG_DIR, SNAPSHOT_DIR,
    SNAPSHOT_EXT,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ForeignKind {
    /// A copy of `vault.key` (by name or by content): the password was changed on two computers
    /// at once, or a copy arrived twice. `same_as_current` tells which.
    HeaderConflict,
    /// A conflict copy of a change segment: it is read and merged like any other segment.
    SegmentConflict,
    /// A conflict copy of a snapshot or lease: harmless, shown so the user may tidy up.
    OtherConflict,
    /// Our temp file from an interrupted write.
    LeftoverTemp,
    /// A cloud drive's placeholder for a file not downloaded yet (iCloud's `.name.icloud`,
    /// Nextcloud's `name.nextcloud`): read once it has arrived.
    InTransit,
    /// A symbolic link: never followed, so it can lead nowhere outside or around the folder.
    Link,
    /// A folder, pipe or device where one of Tresor's files belongs (e.g. a folder `vault.key`).
    NotAFile,
    /// Not written by Tresor at all (a folder of that kind is reported once, not walked).
    Unknown,
}

impl ForeignKind {
    /// Whether the user has to look: a differing header copy (two passwords), links, misplaced
    /// folders and files nobody expects in a folder that is synced everywhere. Conflict copies
    /// Tresor merges itself, placeholders and our own leftovers are only listed.
    pub fn needs_user(self, same_as_current: Option<bool>) -> bool {
        match self {
            ForeignKind::HeaderConflict => same_as_current != Some(true),
            ForeignKind::Link | ForeignKind::NotAFile | ForeignKind::Unknown => true,
            ForeignKind::SegmentConflict
            | ForeignKind::OtherConflict
            | ForeignKind::LeftoverTemp
            | ForeignKind::InTransit => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ForeignFile {
    #[serde(serialize_with = "lossy")]
    pub path: PathBuf,
    /// The path inside the data folder, fit to print: control characters shown as `?`, at most
    /// 200 characters. Names in the folder are anyone's, so only this is shown.
    pub shown: String,
    pub kind: ForeignKind,
    /// For header conflicts: whether the copy's bytes equal the current `vault.key`.
    pub same_as_current: Option<bool>,
    pub needs_user: bool,
}

fn lossy<S: serde::Serializer>(p: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&p.to_string_lossy())
}

/// Walks the data folder as Tresor lays it out (no deeper, never through a link) and reports
/// everything that is not one of its files.
pub fn scan(folder: &DataFolder) -> Vec<ForeignFile> {
    let mut s = Scan {
        root: folder.root(),
        current_header: fsutil::read_bounded(&folder.header(), FileKind::Header).ok(),
        out: Vec::new(),
    };
    s.top();
    s.out.sort_by(|a, b| a.path.cmp(&b.path));
    s.out
}

struct Scan<'a> {
    root: &'a Path,
    current_header: Option<Vec<u8>>,
    out: Vec<ForeignFile>,
}

/// How an entry looks without following it.
#[derive(PartialEq)]
enum Shape {
    File,
    Dir,
    Link,
    Other,
}

fn shape(e: &DirEntry) -> Shape {
    match e.file_type() {
        Ok(t) if t.is_symlink() => Shape::Link,
        Ok(t) if t.is_file() => Shape::File,
        Ok(t) if t.is_dir() => Shape::Dir,
        _ => Shape::Other,
    }
}

/// At most this many entries are read from one folder: a folder a person filled with a million
/// files must not stall a status check.
const MAX_ENTRIES: usize = 10_000;

fn entries(dir: &Path) -> Vec<DirEntry> {
    fs::read_dir(dir).map(|r| r.flatten().take(MAX_ENTRIES).collect()).unwrap_or_default()
}

impl Scan<'_> {
    fn report(&mut self, path: PathBuf, kind: ForeignKind, same_as_current: Option<bool>) {
        let rel = path.strip_prefix(self.root).unwrap_or(&path);
        let shown = printable(&rel.to_string_lossy(), 200);
        let needs_user = kind.needs_user(same_as_current);
        self.out.push(ForeignFile { path, shown, kind, same_as_current, needs_user });
    }

    /// What every entry, anywhere, is first checked for. `true` when it is dealt with.
    fn common(&mut self, e: &DirEntry, name: &str) -> bool {
        let shape = shape(e);
        if is_passed_over(name, shape == Shape::Dir) {
            return true;
        }
        let kind = if shape == Shape::Link {
            ForeignKind::Link
        } else if name.starts_with(TEMP_PREFIX) {
            ForeignKind::LeftoverTemp
        } else if is_placeholder(name) {
            ForeignKind::InTransit
        } else {
            return false;
        };
        self.report(e.path(), kind, None);
        true
    }

    fn top(&mut self) {
        for e in entries(self.root) {
            let name = e.file_name().to_string_lossy().into_owned();
            if self.common(&e, &name) {
                continue;
            }
            let path = e.path();
            match (shape(&e), name.as_str()) {
                (Shape::File, HEADER_FILE | FOLDER_ID_FILE) => {}
                (_, HEADER_FILE) => self.report(path, ForeignKind::NotAFile, None),
                (Shape::Dir, SNAPSHOT_DIR) => self.snapshots(&path),
                (Shape::Dir, LOG_DIR) => self.log(&path),
                (Shape::Dir, LEASE_DIR) => self.leases(&path),
                (Shape::Dir, ATTACHMENT_DIR) => self.attachments(&path),
                (_, SNAPSHOT_DIR | LOG_DIR | LEASE_DIR | ATTACHMENT_DIR) => {
                    self.report(path, ForeignKind::NotAFile, None)
                }
                (Shape::File, _) => match self.header_copy(&path, &name) {
                    Some(same) => self.report(path, ForeignKind::HeaderConflict, Some(same)),
                    None => self.report(path, ForeignKind::Unknown, None),
                },
                _ => self.report(path, ForeignKind::Unknown, None),
            }
        }
    }

    /// A copy of `vault.key`: named like one ("vault (1).key", "vault-MacBook-Pro.key",
    /// "vault.sync-conflict-….key"), or holding a Tresor header under any name. Returns
    /// whether its bytes equal the current header's.
    fn header_copy(&self, path: &Path, name: &str) -> Option<bool> {
        let bytes = fsutil::read_bounded(path, FileKind::Header).ok();
        let by_name = name.starts_with("vault") && name.contains(".key");
        let by_content = bytes.as_deref().is_some_and(|b| crate::header::Body::parse(b).is_ok());
        if !by_name && !by_content {
            return None;
        }
        Some(bytes.is_some() && bytes == self.current_header)
    }

    fn snapshots(&mut self, dir: &Path) {
        for e in entries(dir) {
            let name = e.file_name().to_string_lossy().into_owned();
            if self.common(&e, &name) {
                continue;
            }
            let ours = super::snapshot::parse_name(&e.path()).is_some();
            let kind = match shape(&e) {
                Shape::File if ours => continue,
                Shape::File if name.contains(&format!(".{SNAPSHOT_EXT}")) => ForeignKind::OtherConflict,
                _ if ours => ForeignKind::NotAFile,
                _ => ForeignKind::Unknown,
            };
            self.report(e.path(), kind, None);
        }
    }

    fn log(&mut self, dir: &Path) {
        for e in entries(dir) {
            let name = e.file_name().to_string_lossy().into_owned();
            if self.common(&e, &name) {
                continue;
            }
            match shape(&e) {
                Shape::Dir if is_device_id(&name) => self.device_log(&e.path()),
                _ => self.report(e.path(), ForeignKind::Unknown, None),
            }
        }
    }

    fn device_log(&mut self, dir: &Path) {
        for e in entries(dir) {
            let name = e.file_name().to_string_lossy().into_owned();
            if self.common(&e, &name) {
                continue;
            }
            let kind = match (shape(&e), super::segment::parse_name("", &e.path())) {
                (Shape::File, Some(f)) if !f.conflict_copy => continue,
                (Shape::File, Some(_)) => ForeignKind::SegmentConflict,
                (_, Some(_)) => ForeignKind::NotAFile,
                _ => ForeignKind::Unknown,
            };
            self.report(e.path(), kind, None);
        }
    }

    fn leases(&mut self, dir: &Path) {
        self.named_files(
            dir,
            |path, _| super::lease::is_lease_name(path),
            |name| name.get(..36).is_some_and(is_device_id) && name.ends_with(".json"),
        );
    }

    /// Attachment files are named by Tresor (`crate::attachment::new_file_name`) and written
    /// once; a copy a sync client made of one ("… (1).tresor-attachment") is harmless, anything
    /// else is reported.
    fn attachments(&mut self, dir: &Path) {
        self.named_files(
            dir,
            |_, name| crate::attachment::is_file_name(name),
            |name| {
                name.get(..32).is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                    && name.contains(&format!(".{}", crate::attachment::EXT))
            },
        );
    }

    /// A folder of files Tresor names (`ours`): a sync client's copy of one (`copy`) is a
    /// conflict copy, a folder under our name is not a file, anything else is unknown.
    fn named_files(&mut self, dir: &Path, ours: impl Fn(&Path, &str) -> bool, copy: impl Fn(&str) -> bool) {
        for e in entries(dir) {
            let name = e.file_name().to_string_lossy().into_owned();
            if self.common(&e, &name) {
                continue;
            }
            let ours = ours(&e.path(), &name);
            let copy = copy(&name);
            let kind = match shape(&e) {
                Shape::File if ours => continue,
                Shape::File if copy => ForeignKind::OtherConflict,
                _ if ours => ForeignKind::NotAFile,
                _ => ForeignKind::Unknown,
            };
            self.report(e.path(), kind, None);
        }
    }
}

/// What the OS and sync clients keep beside the user's files: never Tresor's, never a reason to
/// bother the user. Folders of that kind are not walked.
pub fn is_passed_over(name: &str, is_dir: bool) -> bool {
    const FILES: [&str; 8] =
        [".DS_Store", "desktop.ini", "Desktop.ini", "Thumbs.db", "Icon\r", ".localized", ".directory", ".stignore"];
    const DIRS: [&str; 12] = [
        ".stversions",
        ".stfolder",
        ".dropbox.cache",
        ".sync",
        ".tmp.drivedownload",
        ".tmp.driveupload",
        ".Trashes",
        ".fseventsd",
        ".Spotlight-V100",
        ".TemporaryItems",
        "@eaDir",
        "#recycle",
    ];
    if is_dir {
        return DIRS.contains(&name) || name.starts_with(".Trash-");
    }
    FILES.contains(&name)
        || name.starts_with("._")
        || (name.starts_with(".syncthing.") && name.ends_with(".tmp"))
        || (name.starts_with("~syncthing~") && name.ends_with(".tmp"))
        || name == ".dropbox"
        || name == ".dropbox.attr"
}

/// A cloud drive's stand-in for a file that is not downloaded yet.
pub fn is_placeholder(name: &str) -> bool {
    (name.starts_with('.') && name.ends_with(".icloud") && name.len() > ".icloud".len() + 1)
        || name.ends_with(".nextcloud")
        || name.ends_with(".owncloud")
}

/// `s` with control and invisible formatting characters as `?`, cut at `max` characters.
fn printable(s: &str, max: usize) -> String {
    let mut out: String = s
        .chars()
        .take(max)
        .map(|c| if c.is_control() || super::lease::is_invisible_format(c) { '?' } else { c })
        .collect();
    if s.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests;
