//! Crash-safe, private file writing (temp file in the same folder, fsync, rename, fsync the
//! folder; 0600 files and 0700 folders where the platform has modes) and bounded reading of what
//! lies in the data folder: a reader sees the old file or the new one, never half of one, and
//! never more bytes than a file of its kind can have.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::paths::FileKind;

/// The prefix of our temp files; anything left with it after a crash is ours to remove.
pub const TEMP_PREFIX: &str = ".tresor-tmp-";

// ---- creating, privately ----------------------------------------------------------------------

/// Options that create a file readable by its owner only (0600) where the platform has modes.
/// Set at creation, so no other account can open the file in the moment before a chmod.
pub fn private_options() -> OpenOptions {
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o
}

/// Creates `path`, which must not exist yet, for writing, readable by its owner only.
pub fn create_new_private(path: &Path) -> io::Result<File> {
    private_options().write(true).create_new(true).open(path)
}

/// Creates an empty private file at `path` unless one exists. SQLite creates its database files
/// with mode 0644 and gives its -wal and -shm files the database file's mode, so Tresor makes
/// the file first.
pub fn ensure_private_file(path: &Path) -> Result<()> {
    match create_new_private(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::io("create", path, e)),
    }
}

/// Creates `dir` and its missing parents, each readable by its owner only (0700).
pub fn create_dir_all(dir: &Path) -> Result<()> {
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir).map_err(|e| Error::io("create folder", dir, e))
}

// ---- reading, bounded -------------------------------------------------------------------------

/// Whether a folder entry is a plain file, without following a link.
pub fn is_plain_file(e: &fs::DirEntry) -> bool {
    e.file_type().is_ok_and(|t| t.is_file())
}

/// Whether a folder entry is a real folder, without following a link: walking the data folder
/// never leaves it through a link, nor loops through one.
pub fn is_plain_dir(e: &fs::DirEntry) -> bool {
    e.file_type().is_ok_and(|t| t.is_dir())
}

/// Opens a file of `kind` for reading: a plain file (not a folder, link, pipe or device) within
/// its kind's size limit. A pipe named like one of ours would block a plain `open` for ever,
/// so the open itself does not wait and does not follow a link.
pub fn open_regular(path: &Path, kind: FileKind) -> Result<(File, u64)> {
    let meta = fs::symlink_metadata(path).map_err(|e| read_error(kind, path, e))?;
    if !meta.file_type().is_file() {
        return Err(Error::NotAFile { kind, path: path.to_path_buf() });
    }
    check_size(kind, path, meta.len())?;
    let mut o = OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut o, libc::O_NOFOLLOW | libc::O_NONBLOCK);
    let f = o.open(path).map_err(|e| read_error(kind, path, e))?;
    // The name may have been swapped between the look and the open.
    let meta = f.metadata().map_err(|e| read_error(kind, path, e))?;
    if !meta.file_type().is_file() {
        return Err(Error::NotAFile { kind, path: path.to_path_buf() });
    }
    check_size(kind, path, meta.len())?;
    Ok((f, meta.len()))
}

fn check_size(kind: FileKind, path: &Path, size: u64) -> Result<()> {
    let limit = kind.max_bytes();
    if size > limit {
        return Err(Error::FileTooLarge { kind, path: path.to_path_buf(), size, limit });
    }
    Ok(())
}

/// Reads a whole file of `kind`, at most its kind's limit (a file that grows while it is read
/// is refused, too).
pub fn read_bounded(path: &Path, kind: FileKind) -> Result<Vec<u8>> {
    let (f, size) = open_regular(path, kind)?;
    let limit = kind.max_bytes();
    let mut out = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    f.take(limit + 1).read_to_end(&mut out).map_err(|e| read_error(kind, path, e))?;
    if out.len() as u64 > limit {
        return Err(Error::FileTooLarge { kind, path: path.to_path_buf(), size: out.len() as u64, limit });
    }
    Ok(out)
}

/// Copies a file of `kind` to `dest` in a stream (temp file, fsync, rename): a snapshot is
/// never held in memory whole.
pub fn copy_atomic(from: &Path, kind: FileKind, dest: &Path) -> Result<u64> {
    copy_atomic_watched(from, kind, dest, &mut |_, _| true)
}

/// [`copy_atomic`], telling `watch(bytes_copied, file_size)` after each MiB: a snapshot read
/// from a cloud drive that is still downloading it can take minutes. `watch` returning `false`
/// cancels ([`Error::Cancelled`]); the temp file goes and `dest` is untouched.
pub fn copy_atomic_watched(
    from: &Path,
    kind: FileKind,
    dest: &Path,
    watch: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<u64> {
    let (mut f, size) = open_regular(from, kind)?;
    let limit = kind.max_bytes();
    let tmp = temp_path_for(dest)?;
    let result = (|| {
        let mut out = create_new_private(&tmp).map_err(|e| Error::io("create", &tmp, e))?;
        let mut buf = vec![0u8; 1 << 20];
        let mut n = 0u64;
        loop {
            let got = read_full(&mut f, &mut buf).map_err(|e| read_error(kind, from, e))?;
            if got == 0 {
                break;
            }
            n += got as u64;
            if n > limit {
                return Err(Error::FileTooLarge { kind, path: from.to_path_buf(), size: n, limit });
            }
            out.write_all(&buf[..got]).map_err(|e| Error::io("write", &tmp, e))?;
            if !watch(n, size.max(n)) {
                return Err(Error::Cancelled);
            }
        }
        out.sync_all().map_err(|e| Error::io("sync", &tmp, e))?;
        drop(out);
        rename_durable(&tmp, dest)?;
        Ok(n)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Fills `buf` as far as the file goes (a short read is not the end on every file system).
fn read_full(f: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match f.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// A read that failed because a cloud drive has not downloaded the file yet is "in transit"
/// (Windows reports it with its ERROR_CLOUD_FILE_* codes); anything else is an I/O error.
fn read_error(kind: FileKind, path: &Path, e: io::Error) -> Error {
    if is_cloud_placeholder_error(&e) {
        return Error::InTransit { kind, path: path.to_path_buf() };
    }
    Error::io("read", path, e)
}

/// Windows' ERROR_CLOUD_FILE_* codes (winerror.h, 358–404): the provider is not running, the
/// file is not hydrated, the request was cancelled … The same numbers mean other things
/// elsewhere, hence Windows only.
pub fn is_cloud_placeholder_error(e: &io::Error) -> bool {
    cfg!(windows) && e.raw_os_error().is_some_and(|c| (358..=404).contains(&c))
}

// ---- renaming, patiently ----------------------------------------------------------------------

/// How often, and how patiently, a rename is retried while another process holds the file.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub tries: u32,
    pub first: Duration,
    pub max: Duration,
}

/// Eight tries over about 2.5 s: a virus scanner or OneDrive usually lets go of a new file
/// within a second.
pub const BACKOFF: Backoff = Backoff { tries: 8, first: Duration::from_millis(20), max: Duration::from_millis(800) };

/// Windows' ERROR_ACCESS_DENIED (5), ERROR_SHARING_VIOLATION (32) and ERROR_LOCK_VIOLATION (33):
/// what a rename gets while an antivirus, OneDrive or the indexer has the file open. Checked on
/// the raw code on any platform, so tests on Linux can play Windows.
pub fn is_windows_sharing_violation(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(5 | 32 | 33))
}

/// Whether a failed rename may succeed when tried again: another process holds the file. Only
/// Windows refuses a rename for that; elsewhere a failed rename is final.
pub fn is_held_by_another_process(e: &io::Error) -> bool {
    cfg!(windows) && is_windows_sharing_violation(e)
}

/// The parts of a rename that tests replace: the rename itself, which errors mean "held by
/// another process, try again", and how to wait.
pub struct Renamer<'a> {
    pub rename: &'a mut dyn FnMut(&Path, &Path) -> io::Result<()>,
    pub held: fn(&io::Error) -> bool,
    pub wait: &'a mut dyn FnMut(Duration),
    pub backoff: Backoff,
}

impl Renamer<'_> {
    /// Renames, retrying with doubling waits while the file is held. Returns the last error.
    pub fn run(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        let mut delay = self.backoff.first;
        let mut attempt = 1;
        loop {
            match (self.rename)(from, to) {
                Ok(()) => return Ok(()),
                Err(e) if (self.held)(&e) && attempt < self.backoff.tries => {
                    (self.wait)(delay);
                    delay = (delay * 2).min(self.backoff.max);
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// Renames `from` over `to` (retrying while another process holds either) and makes the rename
/// durable. A file still held after the retries is `FileBusy`.
pub fn rename_durable(from: &Path, to: &Path) -> Result<()> {
    let mut rename = |a: &Path, b: &Path| fs::rename(a, b);
    let mut wait = std::thread::sleep;
    let mut r = Renamer { rename: &mut rename, held: is_held_by_another_process, wait: &mut wait, backoff: BACKOFF };
    rename_durable_with(from, to, &mut r)
}

/// [`rename_durable`] with the rename's parts given (tests simulate Windows with it).
pub fn rename_durable_with(from: &Path, to: &Path, r: &mut Renamer<'_>) -> Result<()> {
    r.run(from, to).map_err(|e| busy_or_io(to, e, r.held))?;
    sync_dir(to.parent().unwrap_or_else(|| Path::new(".")));
    Ok(())
}

fn busy_or_io(to: &Path, e: io::Error, held: fn(&io::Error) -> bool) -> Error {
    // Access denied (5) is what Windows answers for a target open without delete sharing; a
    // real lack of permission would have failed the temp file's creation in the same folder.
    if held(&e) {
        return Error::FileBusy { path: to.to_path_buf() };
    }
    Error::io("rename", to, e)
}

// ---- writing whole files ----------------------------------------------------------------------

/// Writes `bytes` to `path` atomically. Fails, leaving `path` untouched and no temp file, if
/// anything goes wrong.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = write_temp(path, bytes)?;
    let result = rename_durable(&tmp, path);
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Whether [`replace_or_keep`] put the file in place or kept it for the next round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replaced {
    Done,
    /// Another process held the file through every retry; the complete temp file waits beside
    /// it and [`finish_kept`] (or the next write of that file) puts it in place.
    Kept,
}

/// Complete temp files whose rename another process blocked, by target.
static KEPT: Mutex<BTreeMap<PathBuf, PathBuf>> = Mutex::new(BTreeMap::new());

fn kept() -> std::sync::MutexGuard<'static, BTreeMap<PathBuf, PathBuf>> {
    KEPT.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Replaces `path` with `bytes` like [`write_atomic`], except that a file another process holds
/// through every retry is not an error: the finished temp file is kept for the next round. For
/// files rewritten again and again (the lease), where a late copy is better than none.
pub fn replace_or_keep(path: &Path, bytes: &[u8]) -> Result<Replaced> {
    let mut rename = |a: &Path, b: &Path| fs::rename(a, b);
    let mut wait = std::thread::sleep;
    let mut r = Renamer { rename: &mut rename, held: is_held_by_another_process, wait: &mut wait, backoff: BACKOFF };
    replace_or_keep_with(path, bytes, &mut r)
}

/// [`replace_or_keep`] with the rename's parts given.
pub fn replace_or_keep_with(path: &Path, bytes: &[u8], r: &mut Renamer<'_>) -> Result<Replaced> {
    // Newer bytes for the same file make a kept one obsolete.
    if let Some(old) = kept().remove(path) {
        let _ = fs::remove_file(old);
    }
    let tmp = write_temp(path, bytes)?;
    match rename_durable_with(&tmp, path, r) {
        Ok(()) => Ok(Replaced::Done),
        Err(Error::FileBusy { .. }) => {
            kept().insert(path.to_path_buf(), tmp);
            Ok(Replaced::Kept)
        }
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Tries once more to put every kept temp file in place; returns how many are still waiting.
pub fn finish_kept() -> usize {
    let mut k = kept();
    k.retain(|target, tmp| match fs::rename(tmp.as_path(), target) {
        Ok(()) => {
            sync_dir(target.parent().unwrap_or_else(|| Path::new(".")));
            false
        }
        // Gone (someone tidied up): nothing left to finish.
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(_) => true,
    });
    k.len()
}

/// Writes `bytes` to a fresh private temp file beside `path` and fsyncs it.
fn write_temp(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
    let tmp = temp_path_for(path)?;
    let result = (|| {
        let mut f = create_new_private(&tmp).map_err(|e| Error::io("create", &tmp, e))?;
        f.write_all(bytes).map_err(|e| Error::io("write", &tmp, e))?;
        f.sync_all().map_err(|e| Error::io("sync", &tmp, e))
    })();
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// The most of the final name a temp name carries: its end, which holds the device and the
/// extension. A snapshot's name is 116 characters; whole, its temp name was 141, and the path
/// passed OneDrive for Business's limit below a 110-character folder (`tests/path_lengths.rs`).
pub const TEMP_TAIL: usize = 80;

/// A fresh temp name next to `path` (same folder, so rename is atomic):
/// `.tresor-tmp-<12 hex>-<the final name's last TEMP_TAIL characters>`.
pub fn temp_path_for(path: &Path) -> Result<PathBuf> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let skip = name.chars().count().saturating_sub(TEMP_TAIL);
    let tail = name.char_indices().nth(skip).map_or(name, |(i, _)| &name[i..]);
    let tag: [u8; 6] = crate::crypto::random_array()?;
    Ok(dir.join(format!("{TEMP_PREFIX}{}-{tail}", crate::crypto::hex(&tag))))
}

/// fsyncs a directory so a rename survives power loss. Not possible on every platform (Windows
/// cannot open directories this way), so failure is not an error.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

pub fn sync_file(path: &Path) -> Result<()> {
    let f = File::open(path).map_err(|e| Error::io("open", path, e))?;
    f.sync_all().map_err(|e| Error::io("sync", path, e))
}

/// Removes our own leftovers from an interrupted write in `dir`.
pub fn remove_stale_temps(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

/// The outermost folder of `path` (itself included) that does not exist yet.
pub(crate) fn first_missing(path: &std::path::Path) -> Option<std::path::PathBuf> {
    let mut top = None;
    for p in path.ancestors().filter(|p| !p.as_os_str().is_empty()) {
        if std::fs::symlink_metadata(p).is_ok() {
            break;
        }
        top = Some(p.to_path_buf());
    }
    top
}

pub(crate) mod target;

#[cfg(test)]
mod tests;
