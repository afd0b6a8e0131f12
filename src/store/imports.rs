//! What an import compares its rows with: who the practice's clients are (by name and birth
//! date) and which appointments and sessions they already have, to find duplicates.

use std::collections::HashSet;

use jiff::civil::Date;

use crate::domain::ids::ClientId;
use crate::error::Result;

use super::rows;
use super::Reader;

/// A client as an import recognises one.
#[derive(Debug, Clone)]
pub struct ClientIdentity {
    pub id: ClientId,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: Option<Date>,
}

impl Reader<'_> {
    /// Every client that is not deleted, with what identifies them.
    pub fn client_identities(&self) -> Result<Vec<ClientIdentity>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id, given_name, family_name, birth_date FROM clients WHERE deleted = 0")?;
        let rows = st.query_map([], |r| {
            Ok(ClientIdentity {
                id: rows::parse(r, 0, "client id")?,
                given_name: r.get(1)?,
                family_name: r.get(2)?,
                birth_date: rows::parse_opt(r, 3, "birth date")?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// (client, start in Unix seconds) of every appointment.
    pub fn appointment_keys(&self) -> Result<HashSet<(String, i64)>> {
        let mut st = self.conn.prepare_cached("SELECT client_id, start_utc FROM appointments WHERE deleted = 0")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// (client, date `YYYY-MM-DD`) of every session.
    pub fn session_keys(&self) -> Result<HashSet<(String, String)>> {
        let mut st = self.conn.prepare_cached("SELECT client_id, date FROM sessions WHERE deleted = 0")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
