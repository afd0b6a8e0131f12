//! Tests of writing, renaming under a held file, and bounded reading.

use super::*;

#[test]
fn atomic_write_replaces_and_leaves_no_temp() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("f");
    write_atomic(&p, b"one").unwrap();
    write_atomic(&p, b"two").unwrap();
    assert_eq!(fs::read(&p).unwrap(), b"two");
    assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1);
}

#[test]
fn a_watched_copy_reports_each_mib_and_a_cancel_leaves_nothing() {
    let d = tempfile::tempdir().unwrap();
    let from = d.path().join("snap");
    let bytes: Vec<u8> = (0..(5u32 << 19)).map(|i| (i % 251) as u8).collect(); // 2.5 MiB
    fs::write(&from, &bytes).unwrap();
    let dest = d.path().join("copy");
    let mut heard = Vec::new();
    let n = copy_atomic_watched(&from, FileKind::Snapshot, &dest, &mut |done, total| {
        heard.push((done, total));
        true
    })
    .unwrap();
    assert_eq!(n, bytes.len() as u64);
    assert_eq!(fs::read(&dest).unwrap(), bytes);
    let total = bytes.len() as u64;
    assert_eq!(heard, vec![(1 << 20, total), (2 << 20, total), (total, total)]);

    let other = d.path().join("cancelled");
    let mut calls = 0;
    let r = copy_atomic_watched(&from, FileKind::Snapshot, &other, &mut |_, _| {
        calls += 1;
        calls < 2
    });
    assert!(matches!(r, Err(Error::Cancelled)));
    assert!(!other.exists());
    let names: Vec<_> = fs::read_dir(d.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "only the source and the first copy remain: {names:?}");
}

#[test]
fn failed_write_leaves_old_file() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("missing-dir").join("f");
    assert!(write_atomic(&p, b"x").is_err());
    assert!(!p.exists());
}

#[cfg(unix)]
#[test]
fn files_are_private_and_folders_too() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("a").join("b");
    create_dir_all(&dir).unwrap();
    for p in [d.path().join("a"), dir.clone()] {
        assert_eq!(fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o700, "{p:?}");
    }
    let f = dir.join("f");
    write_atomic(&f, b"x").unwrap();
    ensure_private_file(&dir.join("db")).unwrap();
    copy_atomic(&f, FileKind::Snapshot, &dir.join("copy")).unwrap();
    for name in ["f", "db", "copy"] {
        assert_eq!(fs::metadata(dir.join(name)).unwrap().permissions().mode() & 0o777, 0o600, "{name}");
    }
}

/// A rename that fails `n` times with Windows' raw code `code`, then renames for real.
fn windows_like(code: i32, n: usize) -> impl FnMut(&Path, &Path) -> io::Result<()> {
    let mut left = n;
    move |a, b| {
        if left > 0 {
            left -= 1;
            return Err(io::Error::from_raw_os_error(code));
        }
        fs::rename(a, b)
    }
}

#[test]
fn a_rename_refused_as_on_windows_is_retried_with_growing_waits() {
    for code in [5, 32, 33] {
        let d = tempfile::tempdir().unwrap();
        let (from, to) = (d.path().join("tmp"), d.path().join("lease.json"));
        fs::write(&from, b"new").unwrap();
        fs::write(&to, b"old").unwrap();
        let mut rename = windows_like(code, 3);
        let mut waits = Vec::new();
        let mut wait = |t: Duration| waits.push(t);
        let mut r =
            Renamer { rename: &mut rename, held: is_windows_sharing_violation, wait: &mut wait, backoff: BACKOFF };
        rename_durable_with(&from, &to, &mut r).unwrap();
        assert_eq!(fs::read(&to).unwrap(), b"new");
        assert_eq!(waits, [20, 40, 80].map(Duration::from_millis), "code {code}");
    }
}

#[test]
fn a_file_held_through_every_retry_is_busy_and_other_errors_are_not_retried() {
    let d = tempfile::tempdir().unwrap();
    let (from, to) = (d.path().join("tmp"), d.path().join("vault.key"));
    fs::write(&from, b"new").unwrap();
    let mut rename = windows_like(32, usize::MAX);
    let mut waited = Duration::ZERO;
    let mut wait = |t: Duration| waited += t;
    let mut r = Renamer { rename: &mut rename, held: is_windows_sharing_violation, wait: &mut wait, backoff: BACKOFF };
    let e = rename_durable_with(&from, &to, &mut r).unwrap_err();
    assert_eq!(e.code(), "io.file_busy");
    assert!(waited >= Duration::from_secs(1) && waited <= Duration::from_secs(5), "{waited:?}");

    // ERROR_FILE_NOT_FOUND (2) or a Linux error: no retry, an I/O error.
    for e in [io::Error::from_raw_os_error(2), io::Error::from(io::ErrorKind::PermissionDenied)] {
        let kind = e.kind();
        let mut once = Some(e);
        let mut calls = 0;
        let mut rename = |_: &Path, _: &Path| {
            calls += 1;
            Err(once.take().unwrap_or_else(|| io::Error::from(kind)))
        };
        let mut wait = |_: Duration| {};
        let mut r =
            Renamer { rename: &mut rename, held: is_windows_sharing_violation, wait: &mut wait, backoff: BACKOFF };
        assert_eq!(rename_durable_with(&from, &to, &mut r).unwrap_err().code(), "io.failed");
        assert_eq!(calls, 1);
    }
    // On this platform a real rename error is final.
    assert!(!is_held_by_another_process(&io::Error::from_raw_os_error(32)) || cfg!(windows));
}

#[test]
fn a_held_lease_is_kept_for_the_next_round_and_newer_bytes_replace_it() {
    let d = tempfile::tempdir().unwrap();
    let to = d.path().join("lease.json");
    fs::write(&to, b"old").unwrap();
    let mut rename = windows_like(32, usize::MAX);
    let mut wait = |_: Duration| {};
    let mut r = Renamer { rename: &mut rename, held: is_windows_sharing_violation, wait: &mut wait, backoff: BACKOFF };
    assert_eq!(replace_or_keep_with(&to, b"round 1", &mut r).unwrap(), Replaced::Kept);
    assert_eq!(fs::read(&to).unwrap(), b"old");
    let temps = || fs::read_dir(d.path()).unwrap().filter(|e| e.as_ref().unwrap().file_name() != "lease.json").count();
    assert_eq!(temps(), 1, "the finished temp file waits beside the lease");
    // Still held in the next round: round 2's bytes replace round 1's kept file.
    assert_eq!(replace_or_keep_with(&to, b"round 2", &mut r).unwrap(), Replaced::Kept);
    assert_eq!(temps(), 1);
    // Released: the next round puts the kept file in place.
    finish_kept();
    assert_eq!(fs::read(&to).unwrap(), b"round 2");
    assert_eq!(temps(), 0);
}

#[test]
fn bounded_reads_refuse_what_is_not_a_plain_file_of_a_sane_size() {
    let d = tempfile::tempdir().unwrap();
    // A sparse file far over the segment limit: refused at once, nothing read.
    let big = d.path().join("big.seg");
    File::create(&big).unwrap().set_len(3 << 30).unwrap();
    let t = std::time::Instant::now();
    assert_eq!(read_bounded(&big, FileKind::Segment).unwrap_err().code(), "folder.file_too_large");
    assert!(t.elapsed() < Duration::from_secs(1));
    let dir = d.path().join("dir.json");
    fs::create_dir(&dir).unwrap();
    assert_eq!(read_bounded(&dir, FileKind::Lease).unwrap_err().code(), "folder.not_a_file");
    let missing = d.path().join("missing");
    assert_eq!(read_bounded(&missing, FileKind::Lease).unwrap_err().code(), "io.failed");
    let ok = d.path().join("ok");
    fs::write(&ok, b"fine").unwrap();
    assert_eq!(read_bounded(&ok, FileKind::Header).unwrap(), b"fine");
    #[cfg(unix)]
    {
        let link = d.path().join("link");
        std::os::unix::fs::symlink(&ok, &link).unwrap();
        assert_eq!(read_bounded(&link, FileKind::Header).unwrap_err().code(), "folder.not_a_file");
        let dangling = d.path().join("dangling");
        std::os::unix::fs::symlink(d.path().join("nowhere"), &dangling).unwrap();
        assert_eq!(read_bounded(&dangling, FileKind::Header).unwrap_err().code(), "folder.not_a_file");
        // A pipe would block a plain open until someone writes to it.
        let fifo = d.path().join("fifo");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        assert_eq!(read_bounded(&fifo, FileKind::Lease).unwrap_err().code(), "folder.not_a_file");
        assert_eq!(
            copy_atomic(&fifo, FileKind::Snapshot, &d.path().join("x")).unwrap_err().code(),
            "folder.not_a_file"
        );
    }
}
