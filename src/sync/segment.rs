//! Change segments: one sealed file per batch of this device's changes, under
//! `log/<device>/<first>-<last>.seg`, where first and last are the writer's journal positions.
//! `prev` chains a device's segments, so a reader knows when one is still missing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::crypto::{self, KEY_LEN};
use crate::error::{Error, Result};
use crate::fsutil;
use crate::paths::{is_device_id, FileKind};
use crate::store::{RawEntry, RowImage};

pub const EXT: &str = "seg";
/// The payload's format. 2: row images carry per-field stamps (`RowImage::stamps`); a row of a
/// version-1 segment counts as every field stamped with the row's `updated_hlc`.
pub const FORMAT_VERSION: u32 = 2;
/// The sealed envelope's version, bound into the associated data. It stays 1 whatever the
/// payload's format, so every version can open every segment, read its `v` and keep one from
/// a newer Tresor aside instead of calling it damaged. Change it only with a new file name.
const ENVELOPE_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Segment {
    pub v: u32,
    pub vault: String,
    pub device: String,
    pub device_name: String,
    pub prev: i64,
    pub first: i64,
    pub last: i64,
    pub journal: Vec<RawEntry>,
    pub rows: Vec<RowImage>,
}

/// A segment file found on disk, before it is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentFile {
    pub path: PathBuf,
    pub device: String,
    pub first: i64,
    pub last: i64,
    /// The name is ours with something appended by a sync client ("… (conflicted copy)").
    pub conflict_copy: bool,
}

pub fn file_name(first: i64, last: i64) -> String {
    format!("{first:012}-{last:012}.{EXT}")
}

/// Reads `<first>-<last>.seg`, also when a sync client added text before the extension
/// ("… (conflicted copy …).seg", "…-DESKTOP-AB12.seg", "… 2.seg", "….sync-conflict-….seg").
/// Total: any other name, in any encoding, is simply not a segment.
pub fn parse_name(device: &str, path: &Path) -> Option<SegmentFile> {
    let name = path.file_name()?.to_str()?;
    let b = name.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if !digits(0..12) || b.get(12) != Some(&b'-') || !digits(13..25) {
        return None;
    }
    // Bytes 0..25 are ASCII, so these are character boundaries.
    let (first, last, tail) = (name.get(..12)?, name.get(13..25)?, name.get(25..)?);
    let (first, last): (i64, i64) = (first.parse().ok()?, last.parse().ok()?);
    if first > last || !tail.ends_with(&format!(".{EXT}")) {
        return None;
    }
    Some(SegmentFile {
        path: path.to_path_buf(),
        device: device.into(),
        first,
        last,
        conflict_copy: tail != format!(".{EXT}"),
    })
}

/// Every segment file under `log/`, by device, except `except`'s. Only folders named by a
/// device id and plain files named like segments count; links are never followed (they are
/// reported by the foreign-file scan), so a link cannot lead the reader out of the data folder.
pub fn list(log_dir: &Path, except: &str) -> BTreeMap<String, Vec<SegmentFile>> {
    let mut out = BTreeMap::new();
    let Ok(devices) = std::fs::read_dir(log_dir) else {
        return out;
    };
    for d in devices.flatten() {
        let Some(device) = d.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if device == except || !is_device_id(&device) || !fsutil::is_plain_dir(&d) {
            continue;
        }
        let Ok(files) = std::fs::read_dir(d.path()) else {
            continue;
        };
        let mut found: Vec<SegmentFile> =
            files.flatten().filter(fsutil::is_plain_file).filter_map(|f| parse_name(&device, &f.path())).collect();
        found.sort_by_key(|f| (f.first, f.last, f.conflict_copy));
        out.insert(device, found);
    }
    out
}

pub(crate) fn aad(vault: &str, device: &str, first: i64, last: i64) -> Vec<u8> {
    format!("tresor-segment|{ENVELOPE_VERSION}|{vault}|{device}|{first}|{last}").into_bytes()
}

pub fn seal(key: &[u8; KEY_LEN], seg: &Segment) -> Result<Vec<u8>> {
    let plain = zeroize::Zeroizing::new(
        serde_json::to_vec(seg)
            .expect("a segment is strings, integers and maps with string keys: serde_json cannot fail on it"),
    );
    let sealed = crypto::seal(key, &super::pack::pack(&plain), &aad(&seg.vault, &seg.device, seg.first, seg.last))?;
    // Never write what no reader would read.
    let (size, limit) = (sealed.len() as u64, FileKind::Segment.max_bytes());
    if size > limit {
        return Err(Error::FileTooLarge {
            kind: FileKind::Segment,
            path: PathBuf::from(file_name(seg.first, seg.last)),
            size,
            limit,
        });
    }
    Ok(sealed)
}

/// A segment as opened: one this version reads, or one of a newer format, kept as it came.
#[derive(Debug)]
pub enum Opened {
    Current(Segment),
    Newer { v: u32, prev: Option<i64>, plain: zeroize::Zeroizing<String> },
}

/// What every format has in common: enough to tell whose segment it is and which format.
#[derive(serde::Deserialize)]
struct Head {
    v: u32,
    vault: String,
    device: String,
    #[serde(default)]
    prev: Option<i64>,
    first: i64,
    last: i64,
}

/// Opens a segment file; a partial, altered or foreign file is `SegmentUnreadable`, one that is
/// not a plain file or larger than a segment can be is refused before it is read.
pub fn open(key: &[u8; KEY_LEN], vault: &str, file: &SegmentFile) -> Result<Opened> {
    let bytes = fsutil::read_bounded(&file.path, FileKind::Segment)?;
    open_bytes(key, vault, file, &bytes)
}

/// Opens a segment whose bytes were read elsewhere (the app reads the data folder on a worker
/// with time limits, see `sync::round`).
pub fn open_bytes(key: &[u8; KEY_LEN], vault: &str, file: &SegmentFile, bytes: &[u8]) -> Result<Opened> {
    let unreadable = || Error::SegmentUnreadable { path: file.path.clone() };
    let plain =
        crypto::open_sealed(key, bytes, &aad(vault, &file.device, file.first, file.last)).ok_or_else(unreadable)?;
    let json = super::pack::unpack(&plain).ok_or_else(unreadable)?;
    decode(&json, vault, file).ok_or_else(unreadable)
}

/// Reads a segment's plaintext (also one kept aside earlier): `None` if it is not a segment of
/// this vault and file.
pub fn decode(plain: &[u8], vault: &str, file: &SegmentFile) -> Option<Opened> {
    let ours = |device: &str, v: &str, first: i64, last: i64| {
        device == file.device && v == vault && first == file.first && last == file.last
    };
    // Parsed once in the common case; only a segment this version cannot read is parsed again
    // for what every format has.
    if let Ok(seg) = serde_json::from_slice::<Segment>(plain) {
        if seg.v <= FORMAT_VERSION {
            return ours(&seg.device, &seg.vault, seg.first, seg.last).then_some(Opened::Current(seg));
        }
    }
    let head: Head = serde_json::from_slice(plain).ok()?;
    if !ours(&head.device, &head.vault, head.first, head.last) || head.v <= FORMAT_VERSION {
        return None;
    }
    let text = std::str::from_utf8(plain).ok()?;
    Some(Opened::Newer { v: head.v, prev: head.prev, plain: zeroize::Zeroizing::new(text.to_string()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_with_and_without_sync_client_additions() {
        let n = file_name(7, 42);
        let f = parse_name("d", Path::new(&n)).unwrap();
        assert_eq!((f.first, f.last, f.conflict_copy), (7, 42, false));
        let c = parse_name("d", Path::new("000000000007-000000000042 (conflicted copy 2026-11-22).seg")).unwrap();
        assert!(c.conflict_copy && c.last == 42);
        let s = parse_name("d", Path::new("000000000007-000000000042.sync-conflict-20261122-120000-ABC.seg")).unwrap();
        assert!(s.conflict_copy);
        assert!(parse_name("d", Path::new("notes.txt")).is_none());
        assert!(parse_name("d", Path::new(".tresor-tmp-abc-000000000007-000000000042.seg")).is_none());
    }

    const DEV: &str = "01a22c45-2e1a-767b-bd69-51b5f3305740";

    fn valid_json() -> Vec<u8> {
        let seg = Segment {
            v: FORMAT_VERSION,
            vault: "v".into(),
            device: DEV.into(),
            device_name: "PC".into(),
            prev: 6,
            first: 7,
            last: 42,
            journal: Vec::new(),
            rows: Vec::new(),
        };
        serde_json::to_vec(&seg).unwrap()
    }

    use proptest::prelude::*;

    proptest! {
        /// What decrypts under our key is still checked: any plaintext, also a damaged segment
        /// sealed by a buggy or newer writer, opens or is `SegmentUnreadable`.
        #[test]
        fn any_authenticated_plaintext_opens_or_is_unreadable(
            plain in prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..400),
                (any::<usize>(), proptest::collection::vec(any::<u8>(), 0..8)).prop_map(|(at, junk)| {
                    let mut v = valid_json();
                    let i = at % v.len();
                    v.splice(i..i, junk);
                    v
                }),
            ]
        ) {
            let key = [3u8; KEY_LEN];
            let file = parse_name(DEV, Path::new(&file_name(7, 42))).unwrap();
            let sealed = crypto::seal(&key, &plain, &aad("v", DEV, 7, 42)).unwrap();
            match open_bytes(&key, "v", &file, &sealed) {
                Ok(Opened::Current(seg)) => prop_assert_eq!((seg.first, seg.last), (7, 42)),
                Ok(Opened::Newer { .. }) => prop_assert!(false, "a format this version writes is not newer"),
                Err(e) => prop_assert_eq!(e.code(), "sync.segment_unreadable"),
            }
        }
    }

    #[test]
    fn names_that_are_not_segments_are_not_ours_whatever_their_bytes() {
        for n in [
            "Protokoll_Müller_2026.txt",
            "Protokoll_Mu\u{308}ller_2026.txt",
            "000000000007-000000000042",
            "000000000007-000000000042.seg.icloud",
            ".000000000007-000000000042.seg.icloud",
            "000000000042-000000000007.seg",
            "00000000000ü-000000000042.seg",
            "+00000000007-000000000042.seg",
            "000000000007_000000000042.seg",
            "000000000007-000000000042\n.seg\n",
            "",
        ] {
            assert!(parse_name("d", Path::new(n)).is_none(), "{n:?}");
        }
        for conflict in [
            "000000000007-000000000042 2.seg",
            "000000000007-000000000042-MacBook-Pro.seg",
            "000000000007-000000000042 (1).seg",
        ] {
            assert!(parse_name("d", Path::new(conflict)).unwrap().conflict_copy, "{conflict}");
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let raw = std::ffi::OsStr::from_bytes(b"000000000007-000000000042\xff.seg");
            assert!(parse_name("d", Path::new(raw)).is_none());
        }
    }
}
