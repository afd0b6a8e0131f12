//! One-file backups: `vault.key` in the clear (it holds only wrapped keys), then the newest
//! snapshot and the attachments in sealed 1 MiB chunks (AES-256-GCM under a key derived from the
//! data key; each chunk's index and "last" flag in its associated data, so a truncated, reordered
//! or altered file is refused). Written to a temp name beside the target, fsynced, renamed.

pub mod age;

use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::crypto::{self, KEY_LEN};
use crate::error::{Error, Result};
use crate::fsutil;
use crate::paths::{DataFolder, HEADER_FILE};
use crate::store::{OpenMode, Store};
use crate::vault::{Header, Unlock, Vault};

use crate::fsutil::{first_missing, target};

const MAGIC: &[u8] = b"TRESOR-BACKUP-1\n";
const CHUNK: usize = 1 << 20;
pub const EXT: &str = "tresor-backup";

fn chunk_aad(vault: &str, index: u64, last: bool) -> Vec<u8> {
    format!("tresor-backup|1|{vault}|{index}|{}", last as u8).into_bytes()
}

fn backup_key(v: &Vault) -> Zeroizing<[u8; KEY_LEN]> {
    v.data_key().derive("tresor backup v1")
}

/// Seals what is written into chunks.
struct ChunkWriter<'k, W: Write> {
    out: W,
    key: &'k [u8; KEY_LEN],
    vault: String,
    buf: Zeroizing<Vec<u8>>,
    index: u64,
}

impl<W: Write> ChunkWriter<'_, W> {
    fn put(&mut self, mut data: &[u8]) -> Result<()> {
        while !data.is_empty() {
            let room = CHUNK - self.buf.len();
            let n = room.min(data.len());
            self.buf.extend_from_slice(&data[..n]);
            data = &data[n..];
            if self.buf.len() == CHUNK {
                self.flush_chunk(false)?;
            }
        }
        Ok(())
    }

    fn flush_chunk(&mut self, last: bool) -> Result<()> {
        let sealed = crypto::seal(self.key, &self.buf, &chunk_aad(&self.vault, self.index, last))?;
        let len = u32::try_from(sealed.len()).map_err(|_| Error::BackupCorrupt)?;
        self.out.write_all(&len.to_le_bytes()).map_err(|e| Error::io("write", "backup", e))?;
        self.out.write_all(&sealed).map_err(|e| Error::io("write", "backup", e))?;
        self.buf.clear();
        self.index += 1;
        Ok(())
    }

    fn finish(mut self) -> Result<W> {
        self.flush_chunk(true)?;
        Ok(self.out)
    }
}

/// Opens chunks in order and hands out their plaintext.
struct ChunkReader<'k, R: Read> {
    input: R,
    key: &'k [u8; KEY_LEN],
    vault: String,
    buf: Zeroizing<Vec<u8>>,
    pos: usize,
    index: u64,
    done: bool,
}

impl<R: Read> ChunkReader<'_, R> {
    fn next_chunk(&mut self) -> Result<()> {
        let mut len = [0u8; 4];
        self.input.read_exact(&mut len).map_err(|_| Error::BackupCorrupt)?;
        let len = u32::from_le_bytes(len) as usize;
        if len > CHUNK + 64 {
            return Err(Error::BackupCorrupt);
        }
        let mut sealed = vec![0u8; len];
        self.input.read_exact(&mut sealed).map_err(|_| Error::BackupCorrupt)?;
        for last in [false, true] {
            if let Some(plain) = crypto::open_sealed(self.key, &sealed, &chunk_aad(&self.vault, self.index, last)) {
                self.buf = plain;
                self.pos = 0;
                self.index += 1;
                self.done = last;
                return Ok(());
            }
        }
        Err(Error::BackupCorrupt)
    }

    fn take(&mut self, mut out: &mut [u8]) -> Result<()> {
        while !out.is_empty() {
            if self.pos == self.buf.len() {
                if self.done {
                    return Err(Error::BackupCorrupt);
                }
                self.next_chunk()?;
                continue;
            }
            let n = (self.buf.len() - self.pos).min(out.len());
            out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
            self.pos += n;
            out = &mut out[n..];
        }
        Ok(())
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct BackupReport {
    pub path: PathBuf,
    pub files: usize,
    pub bytes: u64,
}

impl Vault {
    /// Writes one encrypted, verified backup file: a fresh snapshot, attachments and the header.
    /// `target` must lie outside the data folder and the local working copies, and an existing
    /// file there is replaced only with `force`.
    pub fn backup_to(&mut self, target: &Path, force: bool) -> Result<BackupReport> {
        let real = self.backup_target(target)?;
        target::check_free(&real, target, force)?;
        if let Some(name) = real.file_name().and_then(|n| n.to_str()).map(str::to_string) {
            if let Some(dir) = real.parent() {
                target::remove_stale_temps(dir, |n| n == name);
            }
        }
        self.write_backup_file(&real, target, force)
    }

    /// Resolves `target` and refuses it inside the vault's own folders: the data folder (its
    /// `vault.key`!) and the local folder of working copies (the live database).
    fn backup_target(&self, target: &Path) -> Result<PathBuf> {
        let work = self.working_dir().root();
        let copies = work.parent().unwrap_or(work);
        target::check_outside(target, &[self.folder(), copies])
    }

    fn write_backup_file(&mut self, real: &Path, shown: &Path, force: bool) -> Result<BackupReport> {
        let snapshot = self.snapshot_now()?;
        let header = fsutil::read_bounded(&self.data_folder().header(), crate::paths::FileKind::Header)?;
        let mut files: Vec<(String, PathBuf)> = vec![(rel_name(self.data_folder(), &snapshot), snapshot)];
        if let Ok(entries) = fs::read_dir(self.data_folder().attachments()) {
            // Links are not followed: a link in the folder must not carry another file along.
            for e in entries.flatten().filter(fsutil::is_plain_file) {
                files.push((rel_name(self.data_folder(), &e.path()), e.path()));
            }
        }
        if let Some(dir) = real.parent().filter(|p| !p.as_os_str().is_empty()) {
            fsutil::create_dir_all(dir)?;
        }
        let tmp = fsutil::temp_path_for(real)?;
        let key = backup_key(self);
        let result = write_backup(&tmp, &key, self.id(), &header, &files).and_then(|bytes| {
            fsutil::sync_file(&tmp)?;
            target::publish(&tmp, real, shown, force)?;
            Ok(bytes)
        });
        match result {
            Ok(bytes) => Ok(BackupReport { path: shown.to_path_buf(), files: files.len() + 1, bytes }),
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                Err(e)
            }
        }
    }

    /// A backup into `dir` named by time, keeping the newest `keep` of this vault's backups there.
    /// A backup is this vault's by its whole id (in the name, or for older names in its header):
    /// two vaults made within a minute share the first digits of their ids.
    pub fn backup_rotating(&mut self, dir: &Path, keep: usize) -> Result<BackupReport> {
        let real_dir = self.backup_target(dir)?;
        let now = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC);
        let prefix = format!("tresor-{}-", self.id());
        let name = format!("{prefix}{}.{EXT}", now.strftime("%Y%m%dT%H%M%S%3fZ"));
        target::remove_stale_temps(&real_dir, |n| n.starts_with(&prefix) && n.ends_with(EXT));
        let report = self.write_backup_file(&real_dir.join(&name), &dir.join(&name), false)?;
        let mut mine: Vec<(String, PathBuf)> = fs::read_dir(&real_dir)
            .map_err(|e| Error::io("read folder", dir, e))?
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| {
                let n = e.file_name().to_str()?.to_string();
                let time = backup_time(&n)?;
                let ours = n.starts_with(&prefix)
                    || (is_legacy_name(&n, self.id()) && backup_vault_id(&e.path()).as_deref() == Some(self.id()));
                (ours && n != name).then(|| (time.to_string(), e.path()))
            })
            .collect();
        mine.sort();
        // The one just written always stays and counts.
        let excess = mine.len().saturating_sub(keep.max(1) - 1);
        for (_, old) in &mine[..excess] {
            let _ = fs::remove_file(old);
        }
        Ok(report)
    }
}

/// The time part of a rotating backup's name (`tresor-<id>-<YYYYMMDDTHHMMSSmmmZ>.tresor-backup`).
fn backup_time(name: &str) -> Option<&str> {
    let stem = name.strip_prefix("tresor-")?.strip_suffix(EXT)?.strip_suffix('.')?;
    let time = stem.get(stem.len().checked_sub(19)?..)?;
    (time.len() == 19 && time.ends_with('Z') && stem.len() > 20).then_some(time)
}

/// Names made before the whole id went into them: `tresor-<first 8 of the id>-<time>…`.
fn is_legacy_name(name: &str, id: &str) -> bool {
    id.get(..8).is_some_and(|short| {
        name.strip_prefix("tresor-").is_some_and(|r| {
            r.starts_with(short) && r.as_bytes().get(8) == Some(&b'-') && r.len() == 8 + 1 + 19 + 1 + EXT.len()
        })
    })
}

/// The vault id in a backup's header (in the clear at its start), if it is a backup at all.
fn backup_vault_id(path: &Path) -> Option<String> {
    let mut input = File::open(path).ok()?;
    let mut magic = [0u8; 16];
    input.read_exact(&mut magic).ok()?;
    let mut len = [0u8; 4];
    input.read_exact(&mut len).ok()?;
    let len = u32::from_le_bytes(len) as usize;
    if magic != MAGIC || len > 1 << 20 {
        return None;
    }
    let mut header = vec![0u8; len];
    input.read_exact(&mut header).ok()?;
    Header::parse(&header).ok().map(|h| h.vault_id)
}

fn rel_name(folder: &DataFolder, p: &Path) -> String {
    p.strip_prefix(folder.root()).unwrap_or(p).to_string_lossy().replace('\\', "/")
}

fn write_backup(
    tmp: &Path,
    key: &[u8; KEY_LEN],
    vault: &str,
    header: &[u8],
    files: &[(String, PathBuf)],
) -> Result<u64> {
    let f = fsutil::create_new_private(tmp).map_err(|e| Error::io("create", tmp, e))?;
    // Held while writing, so a second backup never takes this file for a killed one's leftover.
    let _ = f.try_lock();
    let mut out = BufWriter::new(f);
    let io = |e| Error::io("write", tmp, e);
    out.write_all(MAGIC).map_err(io)?;
    out.write_all(&(header.len() as u32).to_le_bytes()).map_err(io)?;
    out.write_all(header).map_err(io)?;
    let mut w = ChunkWriter { out, key, vault: vault.into(), buf: Zeroizing::new(Vec::with_capacity(CHUNK)), index: 0 };
    let mut total = 0u64;
    for (name, path) in files {
        let size = fs::metadata(path).map_err(|e| Error::io("read", path, e))?.len();
        w.put(&[1])?;
        w.put(&(name.len() as u16).to_le_bytes())?;
        w.put(name.as_bytes())?;
        w.put(&size.to_le_bytes())?;
        let mut input = BufReader::new(File::open(path).map_err(|e| Error::io("read", path, e))?);
        let mut buf = vec![0u8; 1 << 16];
        let mut left = size;
        while left > 0 {
            let n = input.read(&mut buf).map_err(|e| Error::io("read", path, e))?;
            if n == 0 {
                return Err(Error::io("read", path, std::io::Error::other("file shrank while being backed up")));
            }
            let n = n.min(left as usize);
            w.put(&buf[..n])?;
            left -= n as u64;
        }
        total += size;
    }
    w.put(&[0])?;
    let mut out = w.finish()?;
    out.flush().map_err(io)?;
    Ok(total)
}

/// Restores a backup into `folder`, which must be new or empty, then checks it: the header
/// unlocks with the given secret and every restored snapshot passes its integrity checks.
pub fn restore(from: &Path, folder: &Path, unlock: Unlock<'_>) -> Result<usize> {
    restore_watched(from, folder, unlock, &mut |_, _| true)
}

/// [`restore`], telling `watch(bytes_written, backup_size)` after each MiB it writes. `watch`
/// returning `false` cancels ([`Error::Cancelled`]): what the restore made is removed, as after
/// any failure. The checks at the end report nothing and do not stop.
pub fn restore_watched(
    from: &Path,
    folder: &Path,
    unlock: Unlock<'_>,
    watch: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<usize> {
    let total = fs::metadata(from).map(|m| m.len()).unwrap_or(0);
    let mut input = BufReader::new(File::open(from).map_err(|e| Error::io("open", from, e))?);
    let mut magic = [0u8; 16];
    input.read_exact(&mut magic).map_err(|_| Error::BackupCorrupt)?;
    if magic != MAGIC {
        return Err(Error::BackupCorrupt);
    }
    let mut len = [0u8; 4];
    input.read_exact(&mut len).map_err(|_| Error::BackupCorrupt)?;
    let len = u32::from_le_bytes(len) as usize;
    if len > 1 << 20 {
        return Err(Error::BackupCorrupt);
    }
    let mut header_bytes = vec![0u8; len];
    input.read_exact(&mut header_bytes).map_err(|_| Error::BackupCorrupt)?;
    let header = Header::parse(&header_bytes)?;
    let dek = match unlock {
        Unlock::Password(p) => header.unwrap_with_password(p)?,
        Unlock::RecoveryKey(k) => header.unwrap_with_recovery(k)?,
    };
    if fs::read_dir(folder).map(|mut d| d.next().is_some()).unwrap_or(false) {
        return Err(Error::TargetNotEmpty { path: folder.to_path_buf() });
    }
    // On failure only what the restore made goes: the folders it created, or, in an empty
    // folder the user made, what it put there. The user's folder itself stays.
    let made = first_missing(folder);
    let key = dek.derive("tresor backup v1");
    let mut progress = Progress { done: 0, total, watch };
    let result = restore_files(&mut input, &key, &header.vault_id, folder, &mut progress).and_then(|snapshots| {
        for s in &snapshots {
            let store = Store::open(s, &dek, OpenMode::ReadOnly, "restore")?;
            store.check_integrity()?;
            if store.meta("vault_id")?.as_deref() != Some(header.vault_id.as_str()) {
                return Err(Error::DatabaseForeign);
            }
        }
        // A folder of its own, also on the computer it was backed up from (issue 10 #6).
        crate::vault::mark_restored(folder)?;
        // The header last: only a checked folder becomes a vault.
        fsutil::write_atomic(&folder.join(HEADER_FILE), &header_bytes)?;
        Ok(snapshots.len())
    });
    if result.is_err() {
        match &made {
            Some(top) => {
                let _ = fs::remove_dir_all(top);
            }
            None => {
                for e in fs::read_dir(folder).into_iter().flatten().flatten() {
                    let _ = match e.file_type() {
                        Ok(t) if t.is_dir() => fs::remove_dir_all(e.path()),
                        _ => fs::remove_file(e.path()),
                    };
                }
            }
        }
    }
    result
}

struct Progress<'w> {
    done: u64,
    total: u64,
    watch: &'w mut dyn FnMut(u64, u64) -> bool,
}

impl Progress<'_> {
    /// Counts `n` bytes written; asks `watch` at each new MiB whether to go on.
    fn add(&mut self, n: u64) -> Result<()> {
        let before = self.done >> 20;
        self.done += n;
        if self.done >> 20 != before && !(self.watch)(self.done, self.total) {
            return Err(Error::Cancelled);
        }
        Ok(())
    }
}

fn restore_files(
    input: &mut impl Read,
    key: &[u8; KEY_LEN],
    vault: &str,
    folder: &Path,
    progress: &mut Progress<'_>,
) -> Result<Vec<PathBuf>> {
    let mut r =
        ChunkReader { input, key, vault: vault.into(), buf: Zeroizing::new(Vec::new()), pos: 0, index: 0, done: false };
    let mut snapshots = Vec::new();
    loop {
        let mut kind = [0u8; 1];
        r.take(&mut kind)?;
        if kind[0] == 0 {
            break;
        }
        let mut nlen = [0u8; 2];
        r.take(&mut nlen)?;
        let mut name = vec![0u8; u16::from_le_bytes(nlen) as usize];
        r.take(&mut name)?;
        let name = String::from_utf8(name).map_err(|_| Error::BackupCorrupt)?;
        // Only plain relative names inside the folder.
        if name.split('/').any(|c| c.is_empty() || c == "." || c == "..") || name.contains('\\') {
            return Err(Error::BackupCorrupt);
        }
        let mut size = [0u8; 8];
        r.take(&mut size)?;
        let mut left = u64::from_le_bytes(size);
        let dest = folder.join(&name);
        if let Some(p) = dest.parent() {
            fsutil::create_dir_all(p)?;
        }
        let tmp = fsutil::temp_path_for(&dest)?;
        let mut out = BufWriter::new(fsutil::create_new_private(&tmp).map_err(|e| Error::io("create", &tmp, e))?);
        let mut buf = vec![0u8; 1 << 16];
        while left > 0 {
            let n = (left as usize).min(buf.len());
            r.take(&mut buf[..n])?;
            out.write_all(&buf[..n]).map_err(|e| Error::io("write", &tmp, e))?;
            left -= n as u64;
            if let Err(e) = progress.add(n as u64) {
                drop(out);
                let _ = fs::remove_file(&tmp);
                return Err(e);
            }
        }
        out.flush().map_err(|e| Error::io("write", &tmp, e))?;
        drop(out);
        fsutil::sync_file(&tmp)?;
        fsutil::rename_durable(&tmp, &dest)?;
        if name.ends_with(crate::paths::SNAPSHOT_EXT) {
            snapshots.push(dest);
        }
    }
    // The end mark may close a full chunk, followed by an empty last one.
    while !r.done && r.pos == r.buf.len() {
        r.next_chunk()?;
    }
    if !r.done || r.pos != r.buf.len() {
        return Err(Error::BackupCorrupt);
    }
    let mut trailing = [0u8; 1];
    if r.input.read(&mut trailing).unwrap_or(0) != 0 {
        return Err(Error::BackupCorrupt);
    }
    Ok(snapshots)
}
