//! The append-only journal: which row changed, how, when and on which device. Rows are only ever
//! inserted; nothing in Tresor updates or deletes a journal entry.

use rusqlite::params;

use crate::error::Result;
use crate::hlc::Hlc;

use super::{Reader, Tx};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct JournalEntry {
    pub seq: i64,
    pub at: jiff::Timestamp,
    pub device: String,
    pub entity: String,
    pub row_id: String,
    pub op: String,
}

impl Tx<'_> {
    pub(crate) fn journal(&self, hlc: Hlc, entity: &str, row_id: &str, op: &str) -> Result<()> {
        self.conn()
            .prepare_cached("INSERT INTO journal(hlc, device, entity, row_id, op) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![hlc.0, self.device, entity, row_id, op])?;
        Ok(())
    }
}

impl Reader<'_> {
    /// Entries about one row (or every row of a client's file, by id list), oldest first.
    pub fn journal_for(&self, row_ids: &[String]) -> Result<Vec<JournalEntry>> {
        let mut out = Vec::new();
        let mut st = self.conn.prepare_cached(
            "SELECT seq, hlc, device, entity, row_id, op FROM journal WHERE row_id = ?1 ORDER BY seq",
        )?;
        for id in row_ids {
            let rows = st.query_map([id], map_entry)?;
            for r in rows {
                out.push(r?);
            }
        }
        out.sort_by_key(|e| e.seq);
        Ok(out)
    }

    /// The newest `limit` entries, newest first.
    pub fn journal_recent(&self, limit: u32) -> Result<Vec<JournalEntry>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT seq, hlc, device, entity, row_id, op FROM journal ORDER BY seq DESC LIMIT ?1")?;
        let rows = st.query_map([limit], map_entry)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn map_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<JournalEntry> {
    Ok(JournalEntry {
        seq: r.get(0)?,
        at: Hlc(r.get(1)?).timestamp(),
        device: r.get(2)?,
        entity: r.get(3)?,
        row_id: r.get(4)?,
        op: r.get(5)?,
    })
}
