//! Lease files: `leases/<device>.json`, one per computer that has the vault open, refreshed by a
//! heartbeat. Plain JSON on purpose: they hold no personal data, and "also open on LAPTOP-X since
//! 10:02" should be shown before unlocking. Anyone who can write to the synced folder can write
//! one, so a lease is read with a size limit and its name is cleaned before anyone prints it.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use jiff::Timestamp;

use crate::error::Result;
use crate::fsutil;
use crate::paths::{is_device_id, DataFolder, FileKind};

/// How long a heartbeat is trusted: a cloud drive commonly carries a file minutes late (OneDrive
/// and Google Drive batch their uploads, iCloud waits for a good moment), so a computer that
/// wrote its lease a minute ago is most likely still open. A computer that crashed is shown as
/// open for at most this long, with "last seen N minutes ago".
pub const FRESH_FOR: Duration = Duration::from_secs(15 * 60);
/// How often an open vault refreshes its lease.
pub const HEARTBEAT_EVERY: Duration = Duration::from_secs(10);
/// The longest device name shown, in characters.
pub const MAX_NAME_CHARS: usize = 64;

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Lease {
    pub device: String,
    pub name: String,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub opened_at: Timestamp,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub heartbeat: Timestamp,
}

impl Lease {
    pub fn is_fresh(&self, now: Timestamp) -> bool {
        now.duration_since(self.heartbeat).unsigned_abs() <= FRESH_FOR
    }

    /// Whole minutes since the last heartbeat, for "last seen N minutes ago" (0 for a heartbeat
    /// from a clock that runs ahead).
    pub fn minutes_since_seen(&self, now: Timestamp) -> u64 {
        let secs = now.duration_since(self.heartbeat).as_secs();
        u64::try_from(secs).unwrap_or(0) / 60
    }
}

/// The lease file: the lease, whether the vault is open there now, and how far that device
/// has applied each other device's segments (what compaction may rely on).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LeaseFile {
    #[serde(flatten)]
    pub lease: Lease,
    #[serde(default)]
    pub open: bool,
    #[serde(default)]
    pub applied: BTreeMap<String, i64>,
    /// The invoice series this device numbers in, once it has claimed one.
    #[serde(default)]
    pub series: Option<String>,
    /// This device's segments up to this position may have been removed (compaction); a
    /// computer that has applied less of it must rebuild from a snapshot (`sync/compact.rs`).
    #[serde(default)]
    pub compacted: i64,
}

impl LeaseFile {
    pub fn is_open_now(&self, now: Timestamp) -> bool {
        self.open && self.lease.is_fresh(now)
    }
}

/// Writes this device's lease. Another process holding the old one (Windows: OneDrive uploading
/// it, a virus scanner) is no error: the new lease is put in place in the next round
/// (`Replaced::Kept`; what the lease announces is not out yet).
pub fn write(folder: &DataFolder, file: &LeaseFile) -> Result<fsutil::Replaced> {
    folder.check_present()?;
    fsutil::create_dir_all(&folder.leases())?;
    fsutil::finish_kept();
    let name = format!("{}.json", file.lease.device);
    // Temp files of this device's lease that an earlier process kept and could not finish are
    // superseded now; only this device writes them (other devices' temps are theirs).
    if let Ok(entries) = std::fs::read_dir(folder.leases()) {
        for e in entries.flatten().filter(fsutil::is_plain_file) {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.starts_with(fsutil::TEMP_PREFIX) && n.ends_with(&format!("-{name}")) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    let path = path_of(folder, &file.lease.device);
    fsutil::replace_or_keep(
        &path,
        &serde_json::to_vec_pretty(file)
            .expect("a lease is strings, integers and timestamps: serde_json cannot fail on it"),
    )
}

/// Where `device` keeps its lease.
pub fn path_of(folder: &DataFolder, device: &str) -> std::path::PathBuf {
    folder.leases().join(format!("{device}.json"))
}

/// Every readable lease file; conflict copies, partial copies, folders, links and oversized
/// files are skipped (the foreign-file scan reports what is not ours; a partial copy is
/// complete on the next read).
pub fn read_all(folder: &DataFolder) -> Vec<LeaseFile> {
    let Ok(entries) = std::fs::read_dir(folder.leases()) else { return Vec::new() };
    let mut out: Vec<LeaseFile> = entries
        .flatten()
        .filter(fsutil::is_plain_file)
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            lease_device(&name)?;
            let bytes = fsutil::read_bounded(&e.path(), FileKind::Lease).ok()?;
            parse(&name, &bytes)
        })
        .collect();
    out.sort_by(|a, b| a.lease.device.cmp(&b.lease.device));
    out
}

/// The device a lease file name announces: `<device id>.json`, nothing else.
fn lease_device(file_name: &str) -> Option<&str> {
    file_name.strip_suffix(".json").filter(|d| is_device_id(d))
}

/// Parses a lease file named `file_name`. Total: anything that is not a lease of the device its
/// name announces is `None`; the device name comes back cleaned ([`clean_name`]).
pub fn parse(file_name: &str, bytes: &[u8]) -> Option<LeaseFile> {
    let device = lease_device(file_name)?;
    let mut f: LeaseFile = serde_json::from_slice(bytes).ok()?;
    if f.lease.device != device {
        return None;
    }
    f.lease.name = clean_name(&f.lease.name);
    if f.lease.name.is_empty() {
        f.lease.name = device.get(..8).unwrap_or(device).to_string();
    }
    f.series = f.series.filter(|s| s.len() <= 8 && s.bytes().all(|b| b.is_ascii_uppercase()));
    f.applied.retain(|d, _| is_device_id(d));
    Some(f)
}

/// A device name fit for a terminal or a window: no control or invisible formatting characters
/// (escape sequences, newlines, bidirectional overrides), whitespace runs as one space, at most
/// [`MAX_NAME_CHARS`] characters ("…" when cut).
pub fn clean_name(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    let mut space = false;
    for c in raw.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if c.is_control() || is_invisible_format(c) {
            continue;
        }
        let need = if space { 2 } else { 1 };
        if chars + need > MAX_NAME_CHARS {
            out.push('…');
            return out;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
        chars += need;
    }
    out
}

/// Unicode format characters (category Cf) and separators that change how text around them is
/// shown without being visible themselves.
pub(crate) fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// Whether `p` is named like a lease (`<device id>.json`).
pub fn is_lease_name(p: &Path) -> bool {
    p.file_name().and_then(|n| n.to_str()).and_then(lease_device).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEV: &str = "01a22c45-2e1a-767b-bd69-51b5f3305740";

    fn lease_json(device: &str, name: &str) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({
            "device": device, "name": name, "opened_at": "2026-11-22T10:00:00Z",
            "heartbeat": "2026-11-22T10:05:00Z", "open": true, "series": "B"
        }))
        .unwrap()
    }

    #[test]
    fn names_from_the_folder_are_cleaned_and_cut() {
        assert_eq!(clean_name("LAPTOP-X"), "LAPTOP-X");
        assert_eq!(clean_name("\u{1b}[2J\u{1b}]0;pwned\u{7}Praxis\nMüller  PC\r\n"), "[2J]0;pwnedPraxis Müller PC");
        assert_eq!(clean_name("abc\u{202E}fdp.exe\u{200B}"), "abcfdp.exe");
        let long = clean_name(&"x".repeat(5_000_000));
        assert_eq!(long.chars().count(), MAX_NAME_CHARS + 1);
        assert!(long.ends_with('…'));
        assert_eq!(clean_name(" \n\t "), "");
    }

    #[test]
    fn a_lease_must_be_the_device_its_name_announces() {
        let f = parse(&format!("{DEV}.json"), &lease_json(DEV, "\u{1b}[31mPC\n")).unwrap();
        assert_eq!(f.lease.name, "[31mPC");
        assert_eq!(f.series.as_deref(), Some("B"));
        let other = "01a22c45-2e1a-767b-bd69-51b5f3305741";
        assert!(parse(&format!("{other}.json"), &lease_json(DEV, "PC")).is_none());
        assert!(parse(&format!("{DEV} (1).json"), &lease_json(DEV, "PC")).is_none());
        assert!(parse("x.json", &lease_json("x", "PC")).is_none());
        assert!(parse(&format!("{DEV}.json"), b"\xff\xfe{").is_none());
        assert_eq!(parse(&format!("{DEV}.json"), &lease_json(DEV, "\u{7}")).unwrap().lease.name, &DEV[..8]);
    }

    #[test]
    fn writing_a_lease_tidies_only_this_devices_leftover_temps() {
        let d = tempfile::tempdir().unwrap();
        let folder = DataFolder::new(d.path());
        std::fs::create_dir_all(folder.leases()).unwrap();
        let other = "01a22c45-2e1a-767b-bd69-51b5f3305741";
        let mine = folder.leases().join(format!("{}0a0b0c-{DEV}.json", fsutil::TEMP_PREFIX));
        let theirs = folder.leases().join(format!("{}0a0b0c-{other}.json", fsutil::TEMP_PREFIX));
        std::fs::write(&mine, b"x").unwrap();
        std::fs::write(&theirs, b"x").unwrap();
        let f = parse(&format!("{DEV}.json"), &lease_json(DEV, "PC")).unwrap();
        write(&folder, &f).unwrap();
        assert!(!mine.exists() && theirs.exists());
        assert_eq!(read_all(&folder).len(), 1);
    }

    #[test]
    fn a_lease_is_trusted_for_minutes_and_says_how_long_ago_it_was_seen() {
        let f = parse(&format!("{DEV}.json"), &lease_json(DEV, "PC")).unwrap();
        let beat = f.lease.heartbeat;
        let at = |mins: i64| beat.checked_add(jiff::SignedDuration::from_mins(mins)).unwrap();
        assert!(f.is_open_now(at(3)), "a cloud drive's lag of a few minutes");
        assert_eq!(f.lease.minutes_since_seen(at(3)), 3);
        assert!(!f.is_open_now(at(16)));
        assert_eq!(f.lease.minutes_since_seen(at(-2)), 0);
    }
}
