//! Keeping the working copy and its snapshots trustworthy: the quick proof a snapshot passes
//! before it is trusted, the meta a snapshot carries about what it covers, and the journal
//! numbering a rebuilt working copy must continue from.

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::hlc::Hlc;

use super::Store;

impl Store {
    /// Every page authenticates (`cipher_integrity_check`), the b-trees hold together
    /// (`quick_check`: what a truncated or spliced file fails), and the schema is one this build
    /// reads. Cheaper than [`Store::check_integrity`], which also cross-checks every index.
    pub fn check_pages(&self) -> Result<()> {
        let mut st = self.conn.prepare("PRAGMA cipher_integrity_check")?;
        let bad = st.query_map([], |r| r.get::<_, String>(0))?.count();
        if bad > 0 {
            return Err(Error::DatabaseCorrupt { detail: format!("{bad} page(s) fail authentication") });
        }
        let res: String = self.conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if res != "ok" {
            return Err(Error::DatabaseCorrupt { detail: "b-tree structure damaged".into() });
        }
        Ok(())
    }

    /// Every meta entry whose key starts with `prefix`.
    pub fn meta_with_prefix(&self, prefix: &str) -> Result<Vec<(String, String)>> {
        meta_with_prefix(&self.conn, prefix)
    }

    /// The newest stamp this copy holds or has seen: what the data's "age" is, by the same
    /// hybrid logical clock that orders every change (never a bare wall clock).
    pub fn last_stamp(&self) -> Hlc {
        self.clock.last()
    }

    /// Makes the next journal entry get a position after `min`. A rebuilt working copy starts
    /// from someone's snapshot with that computer's numbering; this computer's next change must
    /// still come after every position it has already published.
    pub fn raise_journal_seq(&mut self, min: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        let n = tx.execute("UPDATE sqlite_sequence SET seq = ?1 WHERE name = 'journal' AND seq < ?1", [min])?;
        let exists: i64 =
            tx.query_row("SELECT count(*) FROM sqlite_sequence WHERE name = 'journal'", [], |r| r.get(0))?;
        if n == 0 && exists == 0 {
            tx.execute("INSERT INTO sqlite_sequence(name, seq) VALUES ('journal', ?1)", [min])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// How many of `device`'s journal entries lie after `after` (its changes not exported yet).
    pub fn count_changes_since(&self, device: &str, after: i64) -> Result<u64> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM journal WHERE seq > ?1 AND device = ?2",
            rusqlite::params![after, device],
            |r| r.get(0),
        )?;
        Ok(n.unsigned_abs())
    }

    /// A store with no file behind it, held for the moment a working copy's file is swapped.
    /// Nothing is ever written to it.
    pub(crate) fn placeholder() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        Ok(Store {
            conn,
            mode: super::OpenMode::ReadOnly,
            clock: crate::hlc::Clock::new(Hlc(0)),
            device: String::new(),
        })
    }
}

fn meta_with_prefix(conn: &Connection, prefix: &str) -> Result<Vec<(String, String)>> {
    let mut st = conn.prepare("SELECT key, value FROM meta WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key")?;
    let rows = st.query_map([prefix], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
