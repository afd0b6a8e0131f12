//! Property tests of every reader of the data folder: names (any Unicode, any bytes), `vault.key`,
//! leases, segments, backups, attachment files, the foreign-file scan and the bounded file reader. Whatever they
//! are given, they answer with a value or a typed error and never panic or hang.
//!
//! `PROPTEST_CASES` sets the number of cases of the pure readers (256 by default, so the regular
//! suite stays fast); readers that touch the disk run a tenth of it. The million-case run and
//! its result are in docs/SECURITY.md.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use secrecy::SecretString;
use tresor::attachment;
use tresor::crypto::{DataKey, KdfParams, RecoveryKey};
use tresor::paths::{is_device_id, DataFolder, FileKind};
use tresor::sync::{foreign, lease, segment};
use tresor::vault::{snapshot, Header};

const DEV: &str = "01a22c45-2e1a-767b-bd69-51b5f3305740";
const VAULT: &str = "01a22c45-2ab1-74cd-9a1b-e44de915ff0d";

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
}

fn pure() -> ProptestConfig {
    ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() }
}

fn on_disk() -> ProptestConfig {
    ProptestConfig { cases: (cases() / 10).max(16), failure_persistence: None, ..ProptestConfig::default() }
}

/// Names as people, sync clients and other systems make them: anything, often near ours.
fn names() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9]{0,14}-?[0-9]{0,14}[ .a-z()\\-]{0,20}(\\.seg)?",
        "[ -~äöüÄÖÜß\u{308}\u{202e}\n\r\t]{0,40}",
        "[0-9a-f\\-]{30,40}(\\.json|\\.tresor-snapshot|\\.key)?",
        "_{0,3}[0-9a-fTZ]{0,20}_{0,3}[0-9a-f\\-]{0,36}_[0-9+\\-]{0,20}\\.tresor-snapshot",
        ".{0,250}",
    ]
}

#[cfg(unix)]
fn raw_name(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

fn header() -> &'static Vec<u8> {
    static H: OnceLock<Vec<u8>> = OnceLock::new();
    H.get_or_init(|| {
        let dek = DataKey::generate().unwrap();
        let rk = RecoveryKey::generate().unwrap();
        Header::create(VAULT, &dek, &SecretString::from("pw"), &rk, KdfParams::FLOOR).unwrap().to_bytes()
    })
}

/// A sealed segment (empty, so the test does not depend on the row format) and its key.
fn sealed_segment() -> &'static ([u8; 32], segment::SegmentFile, Vec<u8>) {
    static S: OnceLock<([u8; 32], segment::SegmentFile, Vec<u8>)> = OnceLock::new();
    S.get_or_init(|| {
        let key = [7u8; 32];
        let seg: segment::Segment = serde_json::from_value(serde_json::json!({
            "v": segment::FORMAT_VERSION, "vault": VAULT, "device": DEV, "device_name": "PC",
            "prev": 6, "first": 7, "last": 42, "journal": [], "rows": []
        }))
        .unwrap();
        let file = segment::parse_name(DEV, Path::new(&segment::file_name(7, 42))).unwrap();
        (key, file, segment::seal(&key, &seg).unwrap())
    })
}

/// A byte string changed the ways a sync client or a disk damages files.
fn mutated(base: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    (0..4u8, any::<usize>(), any::<u8>(), proptest::collection::vec(any::<u8>(), 0..64)).prop_map(
        move |(how, at, byte, extra)| {
            let mut b = base.to_vec();
            let i = at % (b.len() + 1);
            match how {
                0 => b.truncate(i),
                1 if i < b.len() => b[i] ^= byte.max(1),
                2 => {
                    b.splice(i..i, extra);
                }
                _ => b.extend(extra),
            }
            b
        },
    )
}

/// An attachment file of three chunks and a bit (so chunk boundaries are among the mutations),
/// its key and the plaintext.
fn sealed_attachment() -> &'static ([u8; 32], Vec<u8>, Vec<u8>) {
    static A: OnceLock<([u8; 32], Vec<u8>, Vec<u8>)> = OnceLock::new();
    A.get_or_init(|| {
        let key = [5u8; 32];
        let plain: Vec<u8> = (0..3 * attachment::CHUNK + 77).map(|i| (i % 241) as u8).collect();
        let mut file = Vec::new();
        let p = Path::new("x");
        attachment::seal(&key, VAULT, &mut &plain[..], &mut file, u64::MAX, p, p).unwrap();
        (key, plain, file)
    })
}

fn open_attachment(bytes: &[u8]) -> Result<Vec<u8>, tresor::Error> {
    let (key, _, _) = sealed_attachment();
    let mut out = Vec::new();
    attachment::open(key, VAULT, &mut &bytes[..], &mut out, Path::new("x")).map(|_| out)
}

proptest! {
    #![proptest_config(pure())]

    /// Any bytes, or a real attachment file cut, flipped, spliced or extended: the reader
    /// answers with the plaintext only for the file as written, else `attachment.damaged`.
    #[test]
    fn attachment_files_open_only_whole_and_unaltered(bytes in prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..400),
        proptest::collection::vec(any::<u8>(), 0..400).prop_map(|mut b| { let mut v = b"TRESORA\x01".to_vec(); v.append(&mut b); v }),
        mutated(&sealed_attachment().2),
    ]) {
        let (_, plain, file) = sealed_attachment();
        match open_attachment(&bytes) {
            Ok(out) => {
                prop_assert_eq!(&bytes, file);
                prop_assert_eq!(&out, plain);
            }
            Err(e) => prop_assert_eq!(e.code(), "attachment.damaged"),
        }
    }

    #[test]
    fn attachment_file_names_are_total(name in names()) {
        if attachment::is_file_name(&name) {
            prop_assert_eq!(name.len(), 32 + 1 + attachment::EXT.len());
            prop_assert!(!name.contains('/') && !name.contains('\\') && !name.starts_with('.'));
        }
    }

    #[test]
    fn segment_names_parse_totally(name in names()) {
        if let Some(f) = segment::parse_name(DEV, Path::new(&name)) {
            prop_assert!(f.first <= f.last);
            prop_assert!(name.starts_with(&segment::file_name(f.first, f.last).replace(".seg", "")));
            prop_assert_eq!(f.conflict_copy, name != segment::file_name(f.first, f.last));
        }
    }

    #[test]
    fn our_segment_names_and_their_conflict_copies_parse(first in 0i64..1_000_000_000_000, len in 0i64..5_000, mark in "[ (a-zA-Z0-9\\-.äö)]{1,30}") {
        let last = (first + len).min(999_999_999_999);
        let ours = segment::file_name(first, last);
        let f = segment::parse_name(DEV, Path::new(&ours)).unwrap();
        prop_assert_eq!((f.first, f.last, f.conflict_copy), (first, last, false));
        let copy = ours.replace(".seg", &format!("{mark}.seg"));
        let c = segment::parse_name(DEV, Path::new(&copy)).unwrap();
        prop_assert!(c.conflict_copy && c.first == first && c.last == last);
    }

    #[test]
    fn snapshot_names_parse_totally(name in names()) {
        if let Some(s) = snapshot::parse_name(Path::new(&name)) {
            prop_assert_eq!(s.time.len(), 19);
            prop_assert!(!s.vault_id.contains('_') && !s.device.contains('_'));
        }
    }

    #[test]
    fn device_ids_are_only_canonical_uuids(name in names()) {
        if is_device_id(&name) {
            prop_assert_eq!(uuid::Uuid::parse_str(&name).map(|u| u.to_string()).ok(), Some(name.clone()));
        }
    }

    #[test]
    fn passed_over_and_placeholder_names_are_total(name in names(), dir in any::<bool>()) {
        let _ = foreign::is_passed_over(&name, dir);
        let _ = foreign::is_placeholder(&name);
    }

    #[test]
    fn lease_names_are_clean_and_short(raw in any::<String>()) {
        let c = lease::clean_name(&raw);
        prop_assert!(c.chars().count() <= lease::MAX_NAME_CHARS + 1);
        let bidi_override = |ch: char| matches!(ch, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        let shown = c.chars().any(|ch| ch.is_control() || bidi_override(ch));
        prop_assert!(!shown, "{:?}", c);
        prop_assert!(!c.starts_with(' ') && !c.ends_with(' ') && !c.contains("  "));
    }

    #[test]
    fn lease_files_parse_totally(name in names(), bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        prop_assert!(lease::parse(&name, &bytes).is_none() || name.ends_with(".json"));
    }

    #[test]
    fn leases_with_any_fields_parse_to_clean_leases(
        device in prop_oneof![Just(DEV.to_string()), names()],
        dev_name in any::<String>(),
        open in any::<bool>(),
        secs in any::<i32>(),
        series in proptest::option::of(names()),
        applied in proptest::collection::btree_map(names(), any::<i64>(), 0..4),
    ) {
        let t = jiff::Timestamp::from_second(i64::from(secs)).unwrap();
        let json = serde_json::json!({
            "device": device, "name": dev_name, "opened_at": t, "heartbeat": t, "open": open,
            "series": series, "applied": applied,
        });
        let bytes = serde_json::to_vec(&json).unwrap();
        if let Some(f) = lease::parse(&format!("{DEV}.json"), &bytes) {
            prop_assert_eq!(f.lease.device.as_str(), DEV);
            prop_assert_eq!(&f.lease.name, &lease::clean_name(&f.lease.name));
            prop_assert!(!f.lease.name.is_empty());
            prop_assert!(f.series.iter().all(|s| s.len() <= 8));
            prop_assert!(f.applied.keys().all(|k| is_device_id(k)));
            let _ = f.lease.minutes_since_seen(jiff::Timestamp::now());
            let _ = f.is_open_now(jiff::Timestamp::now());
        }
    }

    #[test]
    fn headers_parse_totally(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = Header::parse(&bytes);
    }

    #[test]
    fn damaged_headers_are_typed_errors(bytes in mutated(header())) {
        match Header::parse(&bytes) {
            Ok(h) => prop_assert_eq!(h.vault_id.as_str(), VAULT),
            Err(e) => prop_assert!(e.is_damaged_data(), "{:?}", e),
        }
    }

    #[test]
    fn segments_open_totally(bytes in prop_oneof![proptest::collection::vec(any::<u8>(), 0..500), mutated(&sealed_segment().2)]) {
        let (key, file, good) = sealed_segment();
        match segment::open_bytes(key, VAULT, file, &bytes) {
            Ok(segment::Opened::Current(seg)) => prop_assert!(bytes == *good && seg.last == 42),
            Ok(segment::Opened::Newer { .. }) => prop_assert!(false, "our own format is not newer"),
            Err(e) => prop_assert_eq!(e.code(), "sync.segment_unreadable"),
        }
    }
}

proptest! {
    #![proptest_config(on_disk())]

    /// Any names, as files, folders, links or sockets, anywhere in a data folder: the scan reports
    /// each once or passes over it, never follows a link and never opens a special file.
    #[test]
    fn the_foreign_scan_is_total(entries in proptest::collection::vec((0..5usize, names(), 0..4u8), 1..12)) {
        let d = tempfile::tempdir().unwrap();
        let f = DataFolder::new(d.path());
        let dirs = [d.path().to_path_buf(), f.log(), f.log().join(DEV), f.snapshots(), f.leases()];
        for dir in &dirs {
            std::fs::create_dir_all(dir).unwrap();
        }
        let mut planted = 0;
        for (at, name, shape) in entries {
            if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\0']) || name.len() > 200 {
                continue;
            }
            let p = dirs[at].join(&name);
            if std::fs::symlink_metadata(&p).is_ok() {
                continue;
            }
            let made = match shape {
                0 => std::fs::write(&p, b"x").is_ok(),
                1 => std::fs::create_dir(&p).is_ok(),
                #[cfg(unix)]
                2 => std::os::unix::fs::symlink(".", &p).is_ok(),
                // A socket: special like a pipe, made without a process per case.
                #[cfg(unix)]
                _ => std::os::unix::net::UnixListener::bind(&p).is_ok(),
                #[cfg(not(unix))]
                _ => false,
            };
            planted += usize::from(made);
        }
        let found = foreign::scan(&f);
        prop_assert!(found.len() <= planted + 3, "{} found, {} planted", found.len(), planted);
        prop_assert!(serde_json::to_string(&found).is_ok());
        prop_assert!(found.iter().all(|x| !x.shown.chars().any(char::is_control)));
        let _ = lease::read_all(&f);
        let _ = segment::list(&f.log(), "me");
        let _ = snapshot::list(&f);
    }

    /// Any bytes as `vault.key`, a lease or a segment on disk, under any name.
    #[cfg(unix)]
    #[test]
    fn bounded_reads_of_any_file_are_total(name in proptest::collection::vec(1u8..=255, 1..60), bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let name: Vec<u8> = name.into_iter().filter(|b| *b != b'/').collect();
        prop_assume!(!name.is_empty() && name != b"." && name != b"..");
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join(raw_name(&name));
        std::fs::write(&p, &bytes).unwrap();
        for kind in [FileKind::Header, FileKind::Lease, FileKind::Segment] {
            prop_assert_eq!(tresor::fsutil::read_bounded(&p, kind).unwrap(), bytes.clone());
        }
        let _ = segment::parse_name(DEV, &p);
        let _ = snapshot::parse_name(&p);
        let _ = lease::is_lease_name(&p);
    }

    /// Any bytes as a backup file: refused with a typed error, and no folder is left behind.
    #[test]
    fn backups_of_any_bytes_are_refused(bytes in prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        proptest::collection::vec(any::<u8>(), 0..300).prop_map(|mut b| { let mut v = b"TRESOR-BACKUP-1\n".to_vec(); v.append(&mut b); v }),
        mutated(header()).prop_map(|h| { let mut v = b"TRESOR-BACKUP-1\n".to_vec(); v.extend((h.len() as u32).to_le_bytes()); v.extend(h); v }),
    ]) {
        let d = tempfile::tempdir().unwrap();
        let file = d.path().join("x.tresor-backup");
        std::fs::write(&file, &bytes).unwrap();
        let dest = d.path().join("restored");
        // A wrong password: nothing may be written even when the header is whole.
        let r = tresor::vault::backup::restore(&file, &dest, tresor::Unlock::Password(&SecretString::from("not it")));
        prop_assert!(r.is_err());
        prop_assert!(!dest.join("vault.key").exists());
    }
}
