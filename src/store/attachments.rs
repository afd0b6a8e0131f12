//! Attachment rows: what the client page lists about each attached file. The bytes are not
//! here but in an encrypted file in the data folder (`crate::attachment`, `vault/attachments.rs`).

use rusqlite::{params, OptionalExtension, Row};

use crate::domain::attachment::Attachment;
use crate::domain::ids::{AttachmentId, ClientId, SessionId};
use crate::error::{Error, Result};

use super::rows;
use super::{Reader, Tx};

const SELECT: &str = "SELECT id, client_id, session_id, name, media_type, size, expires_at,
    created_hlc, updated_hlc, device, file FROM attachments";

/// A new attachment row, its file already written.
pub struct NewAttachment<'a> {
    pub id: AttachmentId,
    pub client: ClientId,
    pub session: Option<SessionId>,
    pub file: &'a str,
    pub name: &'a str,
    pub media_type: &'a str,
    pub size: u64,
    pub expires_at: Option<jiff::Timestamp>,
}

fn map(r: &Row<'_>) -> rusqlite::Result<Attachment> {
    let media_type: String = r.get(4)?;
    let size = u64::try_from(r.get::<_, i64>(5)?).map_err(|e| rows::bad(5, e))?;
    Ok(Attachment {
        id: rows::parse(r, 0, "attachment id")?,
        client_id: rows::parse(r, 1, "client id")?,
        session_id: rows::parse_opt(r, 2, "session id")?,
        name: r.get(3)?,
        viewable: crate::domain::attachment::viewable(&media_type, size),
        media_type,
        size,
        expires_at: rows::parse_opt(r, 6, "expiry")?,
        stamps: rows::stamps(r, 7)?,
        file: r.get(10)?,
    })
}

impl Reader<'_> {
    pub fn attachment(&self, id: AttachmentId) -> Result<Attachment> {
        self.conn
            .prepare_cached(&format!("{SELECT} WHERE id = ?1 AND deleted = 0"))?
            .query_row([id.to_string()], map)
            .optional()?
            .ok_or_else(|| Error::not_found(AttachmentId::ENTITY, id))
    }

    /// A client's attachments (their sessions' included), newest first.
    pub fn attachments_of(&self, client: ClientId) -> Result<Vec<Attachment>> {
        let mut st =
            self.conn.prepare_cached(&format!("{SELECT} WHERE client_id = ?1 AND deleted = 0 ORDER BY id DESC"))?;
        let list = st.query_map([client.to_string()], map)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(list)
    }

    /// Attachments whose lifetime ended at `now`.
    pub fn attachments_expired(&self, now: jiff::Timestamp) -> Result<Vec<Attachment>> {
        // RFC 3339 UTC texts with a "Z" compare as times only when written alike; compared here
        // as timestamps instead, over the few rows that have a lifetime at all.
        let mut st = self.conn.prepare_cached(&format!("{SELECT} WHERE expires_at IS NOT NULL AND deleted = 0"))?;
        let all = st.query_map([], map)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(all.into_iter().filter(|a| a.expires_at.is_some_and(|t| t <= now)).collect())
    }

    /// The file names of a client's attachments, deleted rows' included: what a client's erasure
    /// removes from the data folder once its rows are gone.
    pub fn attachment_files_of(&self, client: ClientId) -> Result<Vec<String>> {
        let mut st = self.conn.prepare_cached("SELECT file FROM attachments WHERE client_id = ?1")?;
        let list = st.query_map([client.to_string()], |r| r.get(0))?;
        Ok(list.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Every file name a row refers to, deleted rows' included (a deleted row's file is removed
    /// with it; a file still there is tidied away by `Attachments::tidy`).
    pub fn attachment_files(&self) -> Result<Vec<(String, bool)>> {
        let mut st = self.conn.prepare_cached("SELECT file, deleted FROM attachments")?;
        let list = st.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? != 0)))?;
        Ok(list.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

impl Tx<'_> {
    pub fn insert_attachment(&mut self, a: &NewAttachment<'_>) -> Result<()> {
        let hlc = self.stamp();
        let size =
            i64::try_from(a.size).map_err(|_| Error::AttachmentTooLarge { size: a.size, limit: i64::MAX as u64 })?;
        self.conn()
            .prepare_cached(
                "INSERT INTO attachments(id, client_id, session_id, file, name, media_type, size, expires_at,
                 created_hlc, updated_hlc, device) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)",
            )?
            .execute(params![
                a.id.to_string(),
                a.client.to_string(),
                a.session.map(|s| s.to_string()),
                a.file,
                a.name,
                a.media_type,
                size,
                a.expires_at.map(|t| t.to_string()),
                hlc.0,
                self.device,
            ])?;
        self.journal(hlc, AttachmentId::ENTITY, &a.id.to_string(), "create")
    }

    /// Deletes an attachment: a tombstone that also blanks its name and type, so neither stays
    /// in the database, its snapshots or the segments after it. Journaled like every change.
    pub fn delete_attachment(&mut self, id: AttachmentId) -> Result<()> {
        let hlc = self.stamp();
        let n = self
            .conn()
            .prepare_cached(
                "UPDATE attachments SET deleted = 1, name = '', media_type = '', expires_at = NULL,
                 updated_hlc = ?2, device = ?3 WHERE id = ?1 AND deleted = 0",
            )?
            .execute(params![id.to_string(), hlc.0, self.device])?;
        if n == 0 {
            return Err(Error::not_found(AttachmentId::ENTITY, id));
        }
        self.journal(hlc, AttachmentId::ENTITY, &id.to_string(), "delete")
    }
}
