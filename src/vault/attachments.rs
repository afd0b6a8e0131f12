//! The attachments part of a vault ([`Attachments`], `vault.attachments()`): files attached to a
//! client or one of their sessions. Each is encrypted into its own file in the data folder's
//! `attachments/` (format in `crate::attachment`), written once under a random name and never
//! changed, so it syncs like snapshots and segments; its row (name, type, size, client,
//! session, lifetime) is journaled and replicated like every record. Opening one decrypts into
//! memory or into a file the user chose — never into a temp folder.

use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Read};
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::attachment as format;
use crate::domain::attachment::{clean_name, media_type, Attachment, MAX_BYTES};
use crate::domain::ids::{AttachmentId, ClientId, SessionId};
use crate::domain::Field;
use crate::error::{Error, Problem, Result};
use crate::fsutil::{self, target};
use crate::paths::FileKind;
use crate::store::NewAttachment;

use super::Vault;

/// A vault's attachments, borrowed from it: `vault.attachments()` reads and opens,
/// `vault.attachments_mut()` also adds, deletes and erases.
pub struct Attachments<V> {
    pub(super) vault: V,
}

impl<V: Deref<Target = Vault>> Attachments<V> {
    /// A client's attachments, their sessions' included, newest first.
    pub fn list(&self, client: ClientId) -> Result<Vec<Attachment>> {
        let r = self.vault.store.read();
        r.client(client)?;
        r.attachments_of(client)
    }

    pub fn get(&self, id: AttachmentId) -> Result<Attachment> {
        self.vault.store.read().attachment(id)
    }

    /// The attachment's bytes, decrypted in memory (for showing it in the window).
    pub fn read(&self, id: AttachmentId) -> Result<Zeroizing<Vec<u8>>> {
        let a = self.get(id)?;
        let mut input = self.open_file(&a)?;
        let mut out = Zeroizing::new(Vec::with_capacity(usize::try_from(a.size).unwrap_or(0)));
        let key = format::attachment_key(self.vault.data_key());
        format::open(&key, &a.id.to_string(), &mut input, &mut *out, Path::new("memory"))?;
        Ok(out)
    }

    /// Decrypts the attachment into `target`, a file the user chose: outside the data folder
    /// and the working copies, and an existing file there is replaced only with `force`. The
    /// bytes go to a temp file beside the target that becomes it once the whole file proved
    /// authentic, and is removed otherwise. Returns the path written.
    pub fn save_to(&self, id: AttachmentId, to: &Path, force: bool) -> Result<PathBuf> {
        let a = self.get(id)?;
        let work = self.vault.working_dir().root();
        let copies = work.parent().unwrap_or(work);
        let real = target::check_outside(to, &[self.vault.folder(), copies])?;
        target::check_free(&real, to, force)?;
        let mut input = self.open_file(&a)?;
        let key = format::attachment_key(self.vault.data_key());
        let tmp = fsutil::temp_path_for(&real)?;
        let result = (|| {
            let f = fsutil::create_new_private(&tmp).map_err(|e| Error::ExportFailed { path: to.into(), source: e })?;
            let mut out = BufWriter::new(f);
            format::open(&key, &a.id.to_string(), &mut input, &mut out, to)?;
            let f = out.into_inner().map_err(|e| Error::io("write", to, e.into_error()))?;
            f.sync_all().map_err(|e| Error::io("sync", to, e))?;
            drop(f);
            target::publish(&tmp, &real, to, force)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result.map(|()| to.to_path_buf())
    }

    fn path_of(&self, a: &Attachment) -> Result<PathBuf> {
        // The vocabulary check keeps other names out of the table; checked again where the name
        // becomes a path, so no row can point outside the folder.
        if !format::is_file_name(&a.file) {
            return Err(Error::AttachmentDamaged { id: a.id.to_string() });
        }
        Ok(self.vault.data_folder().attachments().join(&a.file))
    }

    /// The attachment's file, open for reading, once its size proves it whole.
    fn open_file(&self, a: &Attachment) -> Result<BufReader<File>> {
        let path = self.path_of(a)?;
        let (f, size) = fsutil::open_regular(&path, FileKind::Attachment).map_err(|e| match e {
            Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                Error::AttachmentMissing { id: a.id.to_string() }
            }
            Error::FileTooLarge { .. } | Error::NotAFile { .. } => Error::AttachmentDamaged { id: a.id.to_string() },
            e => e,
        })?;
        if size != format::sealed_len(a.size) {
            return Err(Error::AttachmentDamaged { id: a.id.to_string() });
        }
        Ok(BufReader::new(f))
    }
}

impl<V: DerefMut<Target = Vault>> Attachments<V> {
    /// Attaches the file at `source` to `client` (and one of their sessions). A file larger
    /// than [`MAX_BYTES`] is refused before a byte of it is read; nothing is written then.
    pub fn add(
        &mut self,
        client: ClientId,
        session: Option<SessionId>,
        source: &Path,
        expires_at: Option<jiff::Timestamp>,
    ) -> Result<Attachment> {
        let name = source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let meta = fs::metadata(source).map_err(|e| Error::io("read", source, e))?;
        if !meta.is_file() {
            return Err(Error::NotAFile { kind: FileKind::Attachment, path: source.to_path_buf() });
        }
        if meta.len() > MAX_BYTES {
            return Err(Error::AttachmentTooLarge { size: meta.len(), limit: MAX_BYTES });
        }
        let mut input = BufReader::new(File::open(source).map_err(|e| Error::io("read", source, e))?);
        self.add_from(client, session, &name, &mut input, source, expires_at)
    }

    /// Attaches what `input` yields under `name`; `source` names it in errors. Everything is
    /// checked before the file is written; a failure afterwards removes it again.
    pub fn add_from(
        &mut self,
        client: ClientId,
        session: Option<SessionId>,
        name: &str,
        input: &mut impl Read,
        source: &Path,
        expires_at: Option<jiff::Timestamp>,
    ) -> Result<Attachment> {
        let name = clean_name(name)?;
        self.check_owner(client, session)?;
        if expires_at.is_some_and(|t| t <= jiff::Timestamp::now()) {
            return Err(Error::invalid(Field::Until, Problem::OutOfRange));
        }
        let dir = self.vault.data_folder().attachments();
        fsutil::create_dir_all(&dir)?;
        let id = AttachmentId::new();
        let file = format::new_file_name()?;
        let dest = dir.join(&file);
        let size = self.write_file(id, input, source, &dest)?;
        let row = NewAttachment {
            id,
            client,
            session,
            file: &file,
            name: &name,
            media_type: media_type(&name),
            size,
            expires_at,
        };
        let saved = self.vault.store.write(|tx| tx.insert_attachment(&row)).and_then(|()| self.get(id));
        if saved.is_err() {
            let _ = fs::remove_file(&dest);
        }
        saved
    }

    fn check_owner(&self, client: ClientId, session: Option<SessionId>) -> Result<()> {
        let r = self.vault.store.read();
        r.client(client)?;
        if let Some(s) = session {
            if r.session(s)?.client_id != client {
                return Err(Error::not_found(SessionId::ENTITY, s));
            }
        }
        Ok(())
    }

    /// Encrypts into a private temp file beside `dest`, fsyncs it and renames it into place.
    fn write_file(&self, id: AttachmentId, input: &mut impl Read, source: &Path, dest: &Path) -> Result<u64> {
        let key = format::attachment_key(self.vault.data_key());
        let tmp = fsutil::temp_path_for(dest)?;
        let result = (|| {
            let f = fsutil::create_new_private(&tmp).map_err(|e| Error::io("create", &tmp, e))?;
            let mut out = BufWriter::new(f);
            let size = format::seal(&key, &id.to_string(), input, &mut out, MAX_BYTES, source, dest)?;
            let f = out.into_inner().map_err(|e| Error::io("write", &tmp, e.into_error()))?;
            f.sync_all().map_err(|e| Error::io("sync", &tmp, e))?;
            drop(f);
            fsutil::rename_durable(&tmp, dest)?;
            Ok(size)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }

    /// Deletes an attachment: its row becomes a tombstone without name or type (journaled, so
    /// the other computers delete it too) and its file is removed from the data folder.
    pub fn delete(&mut self, id: AttachmentId) -> Result<()> {
        let a = self.get(id)?;
        let path = self.path_of(&a);
        self.vault.store.write(|tx| tx.delete_attachment(id))?;
        if let Ok(p) = path {
            remove_file(&p)?;
        }
        Ok(())
    }

    /// Removes the files of erased attachments (`files` as the client's rows named them before
    /// its erasure removed them with the rest of the client, `vault/retention.rs`).
    pub(crate) fn remove_files(&self, files: &[String]) -> Result<()> {
        let dir = self.vault.data_folder().attachments();
        for f in files.iter().filter(|f| format::is_file_name(f)) {
            remove_file(&dir.join(f))?;
        }
        Ok(())
    }

    /// Removes the files of attachments deleted on another computer: the row's tombstone
    /// arrives with the merge, and a sync client may not carry the file's removal (or not yet).
    /// Best effort; returns how many files went.
    pub fn tidy(&mut self) -> Result<usize> {
        let dir = self.vault.data_folder().attachments();
        let mut removed = 0;
        for (file, _) in self.vault.store.read().attachment_files()?.into_iter().filter(|(_, deleted)| *deleted) {
            let path = dir.join(&file);
            if format::is_file_name(&file) && path.exists() && remove_file(&path).is_ok() {
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Deletes every attachment whose lifetime ended by `now` (see [`Attachments::delete`]).
    /// Called at unlock. Returns how many.
    pub fn purge_expired(&mut self, now: jiff::Timestamp) -> Result<usize> {
        let due = self.vault.store.read().attachments_expired(now)?;
        for a in &due {
            self.delete(a.id)?;
        }
        Ok(due.len())
    }
}

/// Removes a file; one that is gone already (another computer removed it, and the folder has
/// synced) is fine.
fn remove_file(p: &Path) -> Result<()> {
    match fs::remove_file(p) {
        Ok(()) => {
            fsutil::sync_dir(p.parent().unwrap_or_else(|| Path::new(".")));
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("remove", p, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_that_names_a_path_is_damage_not_a_path() {
        let dir = tempfile::tempdir().unwrap();
        let v = crate::vault::test_vault(dir.path());
        let a = Attachment {
            id: AttachmentId::new(),
            client_id: ClientId::new(),
            session_id: None,
            name: "x".into(),
            media_type: "text/plain".into(),
            size: 0,
            expires_at: None,
            stamps: crate::domain::Stamps {
                created: jiff::Timestamp::UNIX_EPOCH,
                updated: jiff::Timestamp::UNIX_EPOCH,
                device: String::new(),
            },
            viewable: false,
            file: "../vault.key".into(),
        };
        assert!(matches!(v.attachments().path_of(&a), Err(Error::AttachmentDamaged { .. })));
    }
}
