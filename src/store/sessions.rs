//! Session rows and their documentation revisions. A revision row is inserted, never updated or
//! deleted; a session's current text is its newest revision.

use jiff::civil::Date;
use rusqlite::{params, OptionalExtension, Row};

use crate::domain::ids::{AppointmentId, ClientId, NoteRevisionId, ServiceId, SessionId};
use crate::domain::money::Cents;
use crate::domain::session::{NoteRevision, Session, Setting};
use crate::error::{Error, Result};
use crate::hlc::Hlc;

use super::rows;
use super::{Reader, Tx};

/// The session columns plus its current documentation text.
pub(super) const COLS: &str =
    "s.id, s.client_id, s.appointment_id, s.service_id, s.date, s.minutes, s.fee_cents, s.setting, \
    coalesce((SELECT r.body FROM note_revisions r WHERE r.session_id = s.id \
              ORDER BY r.created_hlc DESC, r.id DESC LIMIT 1), ''), \
    s.created_hlc, s.updated_hlc, s.device, s.group_size";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    pub clients: u64,
    pub services: u64,
    pub appointments: u64,
    pub sessions: u64,
    pub note_revisions: u64,
    pub journal_entries: u64,
}

/// A session row as the store writes it (defaults already resolved).
#[derive(Debug, Clone)]
pub struct NewSession {
    pub client_id: ClientId,
    pub appointment_id: Option<AppointmentId>,
    pub service_id: Option<ServiceId>,
    pub date: Date,
    pub minutes: u32,
    pub fee: Cents,
    pub setting: Setting,
    pub group_size: Option<u32>,
}

pub(super) fn map_session(r: &Row<'_>) -> rusqlite::Result<Session> {
    Ok(Session {
        id: rows::parse(r, 0, "session id")?,
        client_id: rows::parse(r, 1, "client id")?,
        appointment_id: rows::parse_opt(r, 2, "appointment id")?,
        service_id: rows::parse_opt(r, 3, "service id")?,
        date: rows::parse(r, 4, "date")?,
        minutes: r.get(5)?,
        fee: Cents::new(r.get(6)?),
        setting: rows::parse_with(r, 7, Setting::parse, "setting")?,
        group_size: r.get(12)?,
        note: r.get(8)?,
        stamps: rows::stamps(r, 9)?,
    })
}

impl Reader<'_> {
    pub fn session(&self, id: SessionId) -> Result<Session> {
        self.conn
            .prepare_cached(&format!("SELECT {COLS} FROM sessions s WHERE s.id = ?1 AND s.deleted = 0"))?
            .query_row([id.to_string()], map_session)
            .optional()?
            .ok_or_else(|| Error::not_found(SessionId::ENTITY, id))
    }

    /// A client's sessions, newest first.
    pub fn sessions_of(&self, client: ClientId, limit: u32) -> Result<Vec<Session>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM sessions s WHERE s.client_id = ?1 AND s.deleted = 0 ORDER BY s.date DESC, s.id DESC LIMIT ?2"
        ))?;
        let rows = st.query_map(params![client.to_string(), limit], map_session)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Sessions dated within `[from, to]`, oldest first.
    pub fn sessions_between(&self, from: Date, to: Date) -> Result<Vec<Session>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM sessions s WHERE s.date >= ?1 AND s.date <= ?2 AND s.deleted = 0 ORDER BY s.date, s.id"
        ))?;
        let rows = st.query_map([from.to_string(), to.to_string()], map_session)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every documentation revision of a session, oldest first.
    /// Sessions up to `to` whose documentation is empty, oldest first, and how many in all.
    pub fn undocumented_sessions(&self, to: Date, limit: u32) -> Result<(Vec<Session>, u64)> {
        let empty = "s.deleted = 0 AND s.date <= ?1 AND coalesce((SELECT r.body FROM note_revisions r \
            WHERE r.session_id = s.id ORDER BY r.created_hlc DESC, r.id DESC LIMIT 1), '') = ''";
        let mut st = self
            .conn
            .prepare_cached(&format!("SELECT {COLS} FROM sessions s WHERE {empty} ORDER BY s.date, s.id LIMIT ?2"))?;
        let rows = st.query_map(params![to.to_string(), limit], map_session)?;
        let list = rows.collect::<rusqlite::Result<_>>()?;
        let total: i64 = self
            .conn
            .prepare_cached(&format!("SELECT count(*) FROM sessions s WHERE {empty}"))?
            .query_row([to.to_string()], |r| r.get(0))?;
        Ok((list, u64::try_from(total).unwrap_or(0)))
    }

    pub fn revisions(&self, session: SessionId) -> Result<Vec<NoteRevision>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, session_id, body, created_hlc, device FROM note_revisions
             WHERE session_id = ?1 ORDER BY created_hlc, id",
        )?;
        let rows = st.query_map([session.to_string()], |r| {
            Ok(NoteRevision {
                id: rows::parse(r, 0, "revision id")?,
                session_id: rows::parse(r, 1, "session id")?,
                body: r.get(2)?,
                created: Hlc(r.get(3)?).timestamp(),
                device: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many live records of each kind the vault holds.
    pub fn stats(&self) -> Result<Stats> {
        let count = |sql: &str| -> Result<u64> { Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64) };
        Ok(Stats {
            clients: count("SELECT count(*) FROM clients WHERE deleted = 0")?,
            services: count("SELECT count(*) FROM services WHERE deleted = 0")?,
            appointments: count("SELECT count(*) FROM appointments WHERE deleted = 0")?,
            sessions: count("SELECT count(*) FROM sessions WHERE deleted = 0")?,
            note_revisions: count("SELECT count(*) FROM note_revisions")?,
            journal_entries: count("SELECT count(*) FROM journal")?,
        })
    }
}

impl Tx<'_> {
    pub fn insert_session(&mut self, id: SessionId, s: &NewSession) -> Result<()> {
        let hlc = self.stamp();
        self.conn()
            .prepare_cached(
                "INSERT INTO sessions(id, client_id, appointment_id, service_id, date, minutes, fee_cents, setting,
                 created_hlc, updated_hlc, device, group_size) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11)",
            )?
            .execute(params![
                id.to_string(),
                s.client_id.to_string(),
                s.appointment_id.map(|a| a.to_string()),
                s.service_id.map(|a| a.to_string()),
                s.date.to_string(),
                s.minutes,
                s.fee.get(),
                s.setting.as_str(),
                hlc.0,
                self.device,
                s.group_size,
            ])?;
        self.journal(hlc, SessionId::ENTITY, &id.to_string(), "create")
    }

    /// Appends a documentation revision; it becomes the session's current text.
    pub fn add_revision(&mut self, session: SessionId, body: &str) -> Result<NoteRevisionId> {
        let exists: Option<i64> = self
            .conn()
            .prepare_cached("SELECT 1 FROM sessions WHERE id = ?1 AND deleted = 0")?
            .query_row([session.to_string()], |r| r.get(0))
            .optional()?;
        if exists.is_none() {
            return Err(Error::not_found(SessionId::ENTITY, session));
        }
        let hlc = self.stamp();
        let rev = NoteRevisionId::new();
        self.conn()
            .prepare_cached(
                "INSERT INTO note_revisions(id, session_id, body, created_hlc, device) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![rev.to_string(), session.to_string(), body, hlc.0, self.device])?;
        self.journal(hlc, NoteRevisionId::ENTITY, &rev.to_string(), "create")?;
        Ok(rev)
    }

    /// Tombstones a session. Its documentation revisions stay in the file.
    pub fn delete_session(&mut self, id: SessionId) -> Result<()> {
        self.tombstone("sessions", SessionId::ENTITY, &id.to_string())
    }
}
