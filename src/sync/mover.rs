//! Moving the data folder (e.g. into a synced drive): copy every file, verify every byte, then
//! remove the old folder. Until the last step the old folder is untouched, so an interruption at
//! any point (kill, full disk, read-only target) leaves a working vault behind, and running the
//! move again to the same target resumes it (a marker file in the target says whose copy it is).
//! Only regular files and folders are moved; links, FIFOs and devices are reported, never
//! followed, read or removed.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::fsutil;
use crate::paths::HEADER_FILE;

/// The steps of a move, for progress reports and for tests that interrupt each one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Copy,
    Verify,
    RemoveOld,
}

/// Written into the target first, holding the source's `vault.key`: a target with it is an
/// interrupted move of this vault, to be resumed. Removed once every file is verified.
pub const MOVE_MARKER: &str = ".tresor-move-in-progress";

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct MoveReport {
    pub files: usize,
    pub bytes: u64,
    /// Entries that are not regular files or folders (links, FIFOs, sockets, devices), relative
    /// to the old folder: not moved, and left where they are.
    pub skipped: Vec<PathBuf>,
}

/// How far a move is: the step, and the files and bytes of that step done before the current file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MoveProgress {
    pub step: Step,
    pub files_done: u32,
    pub files: u32,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub bytes_done: u64,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub bytes: u64,
}

/// Moves `from` to `to` like [`move_with`], telling `watch` before each file of each step how
/// far it is. `watch` returning `false` during copying or verifying cancels the move: the copies
/// made so far are removed, the old folder was never touched, and the answer is
/// [`Error::Cancelled`]. Once every file is verified the old folder is removed and the move no
/// longer stops (half a removal would help nobody).
pub fn move_watched(from: &Path, to: &Path, watch: &mut dyn FnMut(MoveProgress) -> bool) -> Result<MoveReport> {
    let sizes: Vec<(PathBuf, u64)> = match list_files(from) {
        Ok((files, _)) => files
            .into_iter()
            .map(|rel| {
                let n = fs::symlink_metadata(from.join(&rel)).map(|m| m.len()).unwrap_or(0);
                (rel, n)
            })
            .collect(),
        // `move_with` gives the precise error (a missing vault, an unreadable folder).
        Err(_) => Vec::new(),
    };
    let files = u32::try_from(sizes.len()).unwrap_or(u32::MAX);
    let bytes: u64 = sizes.iter().map(|(_, n)| n).sum();
    let size_of: std::collections::HashMap<&Path, u64> = sizes.iter().map(|(r, n)| (r.as_path(), *n)).collect();
    let mut at = MoveProgress { step: Step::Copy, files_done: 0, files, bytes_done: 0, bytes };
    let mut cancelled = false;
    let result = move_with(from, to, &mut |step, rel| {
        if step != at.step {
            at = MoveProgress { step, files_done: 0, files, bytes_done: 0, bytes };
        }
        let go_on = watch(at);
        at.files_done = at.files_done.saturating_add(1);
        at.bytes_done += size_of.get(rel).copied().unwrap_or(0);
        if !go_on && step != Step::RemoveOld {
            cancelled = true;
            return Err(std::io::Error::new(std::io::ErrorKind::Interrupted, "cancelled"));
        }
        Ok(())
    });
    match result {
        Err(_) if cancelled => Err(Error::Cancelled),
        other => other,
    }
}

/// How many files and bytes a move of `dir` would carry (links and our temp files left out).
pub fn measure(dir: &Path) -> Result<(u32, u64)> {
    let (files, _) = list_files(dir)?;
    let bytes = files.iter().map(|rel| fs::symlink_metadata(dir.join(rel)).map(|m| m.len()).unwrap_or(0)).sum();
    Ok((u32::try_from(files.len()).unwrap_or(u32::MAX), bytes))
}

/// Moves `from` to `to`. `hook(step, path)` runs before each file of each step; tests make it
/// fail to simulate an interruption there.
pub fn move_with(
    from: &Path,
    to: &Path,
    hook: &mut dyn FnMut(Step, &Path) -> std::io::Result<()>,
) -> Result<MoveReport> {
    if !from.join(HEADER_FILE).exists() {
        return Err(Error::VaultMissing { path: from.to_path_buf() });
    }
    // Resolved through links and `..`, also where the target does not exist yet.
    let from_c = crate::fsutil::target::resolve(from)?;
    let to_c = crate::fsutil::target::resolve(to)?;
    if to_c.starts_with(&from_c) || from_c.starts_with(&to_c) {
        return Err(Error::TargetNotEmpty { path: to.to_path_buf() });
    }
    // A target holding this vault's own header, or the marker of a move of it, is an earlier,
    // interrupted move: resume it.
    let header = fs::read(from.join(HEADER_FILE)).map_err(|e| Error::io("read", from.join(HEADER_FILE), e))?;
    let marker = to.join(MOVE_MARKER);
    let resuming = fs::read(to.join(HEADER_FILE)).ok().as_ref() == Some(&header)
        || fs::read(&marker).ok().as_ref() == Some(&header);
    if !resuming && fs::read_dir(to).map(|mut d| d.next().is_some()).unwrap_or(false) {
        return Err(Error::TargetNotEmpty { path: to.to_path_buf() });
    }
    let (files, skipped) = list_files(from)?;
    let created_target = crate::fsutil::first_missing(to);
    let result = fsutil::create_dir_all(to)
        .and_then(|_| {
            if resuming {
                // Temp files of the killed attempt; the vault's lock keeps any other move out.
                remove_temps_below(to);
            }
            fsutil::write_atomic(&marker, &header)
        })
        .and_then(|_| copy_and_verify(from, to, &files, hook));
    let mut report = match result {
        Ok(r) => r,
        Err(e) => {
            // Leave no half copy behind; the old folder was never touched.
            if resuming {
                return Err(e);
            }
            if let Some(top) = created_target {
                let _ = fs::remove_dir_all(top);
            } else {
                for rel in &files {
                    let _ = fs::remove_file(to.join(rel));
                }
                let _ = fs::remove_file(&marker);
            }
            return Err(e);
        }
    };
    report.skipped = skipped;
    fs::remove_file(&marker).map_err(|e| Error::io("remove", &marker, e))?;
    fsutil::sync_dir(to);
    // The header goes last: a folder that still has vault.key is still a whole vault.
    let mut order: Vec<&PathBuf> = files.iter().filter(|r| r.as_os_str() != HEADER_FILE).collect();
    order.extend(files.iter().filter(|r| r.as_os_str() == HEADER_FILE));
    for rel in order {
        hook(Step::RemoveOld, rel).map_err(|e| Error::io("remove", from.join(rel), e))?;
        fs::remove_file(from.join(rel)).map_err(|e| Error::io("remove", from.join(rel), e))?;
    }
    let _ = remove_empty_dirs(from);
    Ok(report)
}

fn copy_and_verify(
    from: &Path,
    to: &Path,
    files: &[PathBuf],
    hook: &mut dyn FnMut(Step, &Path) -> std::io::Result<()>,
) -> Result<MoveReport> {
    let mut report = MoveReport::default();
    for rel in files {
        hook(Step::Copy, rel).map_err(|e| Error::io("copy", to.join(rel), e))?;
        let src = from.join(rel);
        let dst = to.join(rel);
        if let Some(parent) = dst.parent() {
            fsutil::create_dir_all(parent)?;
        }
        let tmp = fsutil::temp_path_for(&dst)?;
        let copied = fs::copy(&src, &tmp)
            .map_err(|e| Error::io("copy", &dst, e))
            .and_then(|n| fsutil::sync_file(&tmp).map(|_| n))
            .and_then(|n| fsutil::rename_durable(&tmp, &dst).map(|_| n));
        match copied {
            Ok(n) => report.bytes += n,
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                return Err(e);
            }
        }
        report.files += 1;
    }
    for rel in files {
        hook(Step::Verify, rel).map_err(|e| Error::io("verify", to.join(rel), e))?;
        if digest(&from.join(rel))? != digest(&to.join(rel))? {
            return Err(Error::io("verify", to.join(rel), std::io::Error::other("the copy differs from the original")));
        }
    }
    Ok(report)
}

/// Every regular file below `root`, relative to it, and every entry that is neither a file nor
/// a folder (not followed: a link to `/usr` or a FIFO must not be read). Our own leftover temp
/// files are not carried along.
fn list_files(root: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let (mut out, mut odd) = (Vec::new(), Vec::new());
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = root.join(&rel);
        for e in fs::read_dir(&dir).map_err(|e| Error::io("read folder", &dir, e))? {
            let e = e.map_err(|e| Error::io("read folder", &dir, e))?;
            let name = e.file_name();
            let child = rel.join(&name);
            let kind = e.file_type().map_err(|e| Error::io("read folder", &dir, e))?;
            if kind.is_dir() {
                stack.push(child);
            } else if !kind.is_file() {
                odd.push(child);
            } else if !name.to_string_lossy().starts_with(fsutil::TEMP_PREFIX) {
                out.push(child);
            }
        }
    }
    out.sort();
    odd.sort();
    Ok((out, odd))
}

fn remove_temps_below(dir: &Path) {
    for e in fs::read_dir(dir).into_iter().flatten().flatten() {
        match e.file_type() {
            Ok(t) if t.is_dir() => remove_temps_below(&e.path()),
            Ok(t) if t.is_file() && e.file_name().to_string_lossy().starts_with(fsutil::TEMP_PREFIX) => {
                let _ = fs::remove_file(e.path());
            }
            _ => {}
        }
    }
}

fn digest(path: &Path) -> Result<[u8; 32]> {
    let mut f = fs::File::open(path).map_err(|e| Error::io("read", path, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).map_err(|e| Error::io("read", path, e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().into())
}

/// Removes `dir` and the folders below it that are empty; links are not followed.
fn remove_empty_dirs(dir: &Path) -> std::io::Result<()> {
    for e in fs::read_dir(dir)?.flatten() {
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = remove_empty_dirs(&e.path());
        }
    }
    fs::remove_dir(dir)
}
