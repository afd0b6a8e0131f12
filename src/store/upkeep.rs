//! Keeping the working copy and its snapshots trustworthy: the quick proof a snapshot passes
//! before it is trusted, the meta a snapshot carries about what it covers, and the journal
//! numbering a rebuilt working copy must continue from.

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::hlc::Hlc;

use super::Store;

impl Store {
    /// Every page authenticates (`cipher_integrity_check`: a page's HMAC covers its number, so
    /// pages can be neither altered nor moved), and with `structure` also the b-trees hold
    /// together (`quick_check`, which decrypts every page: about twice the time).
    pub fn check_pages(&self, structure: bool) -> Result<()> {
        let mut st = self.conn.prepare("PRAGMA cipher_integrity_check")?;
        let bad = st.query_map([], |r| r.get::<_, String>(0))?.count();
        if bad > 0 {
            return Err(Error::DatabaseCorrupt { detail: format!("{bad} page(s) fail authentication") });
        }
        if structure {
            let res: String = self.conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
            if res != "ok" {
                return Err(Error::DatabaseCorrupt { detail: "b-tree structure damaged".into() });
            }
        }
        Ok(())
    }

    /// The size in bytes the database says it has (its header's page count × page size); a
    /// file shorter or longer than this was cut off or added to.
    pub fn expected_len(&self) -> Result<u64> {
        // SQLCipher answers `page_size` as text (its `cipher_page_size`), SQLite as a number.
        let number = |sql: &str| -> Result<u64> {
            let v: rusqlite::types::Value = self.conn.query_row(sql, [], |r| r.get(0))?;
            Ok(match v {
                rusqlite::types::Value::Integer(i) => i.unsigned_abs(),
                rusqlite::types::Value::Text(t) => t.trim().parse().unwrap_or(0),
                _ => 0,
            })
        };
        Ok(number("PRAGMA page_count")?.saturating_mul(number("PRAGMA page_size")?))
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
            opening: super::next_opening(),
        })
    }
}

fn meta_with_prefix(conn: &Connection, prefix: &str) -> Result<Vec<(String, String)>> {
    let mut st = conn.prepare("SELECT key, value FROM meta WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key")?;
    let rows = st.query_map([prefix], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
