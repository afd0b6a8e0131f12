//! Change segments: one sealed file per batch of this device's changes, under
//! `log/<device>/<first>-<last>.seg`, where first and last are the writer's journal positions.
//! `prev` chains a device's segments, so a reader knows when one is still missing.

use std::path::{Path, PathBuf};

use crate::crypto::{self, KEY_LEN};
use crate::error::{Error, Result};
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

/// Reads `<first>-<last>.seg`, also when a sync client added text to it.
pub fn parse_name(device: &str, path: &Path) -> Option<SegmentFile> {
    let name = path.file_name()?.to_str()?;
    if name.starts_with(crate::fsutil::TEMP_PREFIX) || name.len() < 25 {
        return None;
    }
    let (first, rest) = name.split_at(12);
    let last = rest.strip_prefix('-')?.get(..12)?;
    let tail = &rest[13..];
    let first: i64 = first.parse().ok()?;
    let last: i64 = last.parse().ok()?;
    if !tail.contains(EXT) {
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

pub(crate) fn aad(vault: &str, device: &str, first: i64, last: i64) -> Vec<u8> {
    format!("tresor-segment|{ENVELOPE_VERSION}|{vault}|{device}|{first}|{last}").into_bytes()
}

pub fn seal(key: &[u8; KEY_LEN], seg: &Segment) -> Result<Vec<u8>> {
    let plain = zeroize::Zeroizing::new(serde_json::to_vec(seg).map_err(|_| Error::AmountOverflow)?);
    crypto::seal(key, &super::pack::pack(&plain), &aad(&seg.vault, &seg.device, seg.first, seg.last))
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

/// Opens a segment file; a partial, altered or foreign file is `SegmentUnreadable`.
pub fn open(key: &[u8; KEY_LEN], vault: &str, file: &SegmentFile) -> Result<Opened> {
    let bytes = std::fs::read(&file.path).map_err(|e| Error::io("read", &file.path, e))?;
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
}
