//! SQLCipher storage. All SQL in Tresor lives under this module; the rest of the core speaks in
//! domain types. Every write goes through a [`Tx`], which stamps rows with the device's hybrid
//! logical clock and appends to the journal in the same transaction.

mod appointments;
mod aside;
mod attachments;
mod billing_settings;
mod billing_views;
mod clashes;
mod clients;
mod conflicts;
mod documents;
mod imports;
mod invoices;
mod journal;
mod merge;
mod migrate;
mod open;
mod payments;
mod practice;
mod replicate;
mod reports;
mod retention;
mod rows;
mod search;
mod services;
mod sessions;
mod stamps;
mod upkeep;
mod vocab;

use std::ops::Deref;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension};

use crate::crypto::DataKey;
use crate::error::{Error, Result};
use crate::hlc::{Clock, Hlc};

pub use appointments::{AppointmentDetails, NewAppointment, SeriesRow};
pub use aside::{KeptAside, Retry};
pub use attachments::NewAttachment;
pub use billing_views::{sum_known, ClientPayment, UnbilledClient};
pub use clashes::Clash;
pub use clients::{ClientQuery, ClientSort};
pub use conflicts::{Conflict, ConflictValue, Side};
pub use documents::{
    carries_whole, sha256_hex, strip_reproducible, DocumentKind, IssuedDocument, ENTITY as DOCUMENT_ENTITY, WANT,
};
pub use imports::ClientIdentity;
pub use invoices::{InvoiceQuery, NewInvoice};
pub use journal::JournalEntry;
pub use migrate::SCHEMA_VERSION;
pub use open::{cipher_settings_sql, OpenMode};
pub use replicate::{
    merge_document, Applied, DocMerge, DocState, DocumentRule, Merge, MergeCounts, RawEntry, RowImage, DOCUMENT,
    REPLICATED,
};
pub use retention::{
    touches as touches_erased, ClientTable, Erasure, Removed, RetentionRow, CLIENT_DATA, ENTITY as ERASURE_ENTITY,
};
pub use search::{CappedCount, ClientHit, SearchResults, SessionHit, Snippet, SnippetPart};
pub use sessions::{NewSession, Stats};
pub use stamps::{RowStamps, Stamp};

/// Page-cache size in KiB. With SQLCipher every cache miss decrypts a page, so a cache that holds
/// the working set is what keeps encrypted reads close to plain SQLite (see docs/PERFORMANCE.md).
pub const CACHE_KIB: i64 = 64 * 1024;

pub struct Store {
    conn: Connection,
    mode: OpenMode,
    clock: Clock,
    device: String,
    /// Which opening of a store this is in the process: a working copy rebuilt or swapped starts
    /// counting its changes at 0 again, and must not pass for the one before (`changes`).
    opening: u64,
}

/// A read-only connection of its own beside a working copy's store: a long read on another
/// thread, while the store's owner goes on using the store.
pub struct SideReader {
    conn: Connection,
}

impl SideReader {
    /// Opens the working copy at `path` once more, read-only.
    pub fn open(path: &Path, key: &DataKey) -> Result<SideReader> {
        let conn = open::connect(path, key, OpenMode::Beside)?;
        migrate::check_version(&conn)?;
        Ok(SideReader { conn })
    }

    pub fn read(&self) -> Reader<'_> {
        Reader { conn: &self.conn }
    }

    /// What stops a read of this connection from another thread.
    pub fn stopper(&self) -> Stopper {
        Stopper(self.conn.get_interrupt_handle())
    }
}

/// Stops the read a [`SideReader`] is running; the read then fails.
pub struct Stopper(rusqlite::InterruptHandle);

impl Stopper {
    pub fn stop(&self) {
        self.0.interrupt();
    }
}

fn next_opening() -> u64 {
    static OPENINGS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    OPENINGS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Read access, shared by [`Store`] and [`Tx`].
#[derive(Clone, Copy)]
pub struct Reader<'c> {
    conn: &'c Connection,
}

/// A write transaction. Dropped without `commit`, it rolls back.
pub struct Tx<'a> {
    tx: rusqlite::Transaction<'a>,
    clock: &'a mut Clock,
    device: &'a str,
}

impl Store {
    /// Opens (and, for a new file, creates) an encrypted database and brings its schema up to date.
    pub fn open(path: &Path, key: &DataKey, mode: OpenMode, device: &str) -> Result<Store> {
        let conn = open::connect(path, key, mode)?;
        // Merging touches many tables with a handful of statements each; the default cache
        // of 16 would prepare them again for every row.
        conn.set_prepared_statement_cache_capacity(64);
        if mode.writable() {
            migrate::migrate(&conn)?;
            stamps::install_triggers(&conn)?;
        } else {
            migrate::check_version(&conn)?;
        }
        let last: Option<i64> = conn.query_row("SELECT max(hlc) FROM journal", [], |r| r.get(0)).optional()?.flatten();
        Ok(Store {
            conn,
            mode,
            clock: Clock::new(Hlc(last.unwrap_or(0))),
            device: device.to_string(),
            opening: next_opening(),
        })
    }

    pub fn read(&self) -> Reader<'_> {
        Reader { conn: &self.conn }
    }

    pub fn device(&self) -> &str {
        &self.device
    }

    /// Runs `f` in one IMMEDIATE transaction: all of it is committed, or none of it.
    pub fn write<T>(&mut self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut t = Tx { tx, clock: &mut self.clock, device: &self.device };
        let out = f(&mut t)?;
        t.tx.commit()?;
        Ok(out)
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        meta_get(&self.conn, key)
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )?;
        Ok(())
    }

    /// The local journal position: grows with every change, so "changed since X" is a comparison.
    pub fn change_seq(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT coalesce(max(seq), 0) FROM journal", [], |r| r.get(0))?)
    }

    /// Writes a consistent encrypted copy (same key, same cipher settings) to `dest`.
    pub fn vacuum_into(&self, dest: &Path) -> Result<()> {
        let dest_s = dest
            .to_str()
            .ok_or_else(|| Error::io("snapshot", dest, std::io::Error::other("path is not valid UTF-8")))?;
        // VACUUM INTO fills an empty file it finds; made here, it is private from the start.
        crate::fsutil::ensure_private_file(dest)?;
        self.conn.execute("VACUUM INTO ?1", [dest_s])?;
        Ok(())
    }

    /// `cipher_integrity_check` (every page's HMAC) and `integrity_check` (the b-trees).
    pub fn check_integrity(&self) -> Result<()> {
        let mut bad: Vec<String> = Vec::new();
        let mut st = self.conn.prepare("PRAGMA cipher_integrity_check")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        for r in rows {
            bad.push(r?);
        }
        if !bad.is_empty() {
            return Err(Error::DatabaseCorrupt { detail: format!("{} page(s) fail authentication", bad.len()) });
        }
        let res: String = self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if res != "ok" {
            return Err(Error::DatabaseCorrupt { detail: "b-tree structure damaged".into() });
        }
        // FTS5's check is spelled as an INSERT, which a read-only (snapshot) connection refuses.
        if self.mode.writable() {
            // rank 1 also compares the index with its content table; notes_fts indexes only the
            // current revisions, so only its own structure is checked (rank 0).
            for (table, against_content) in [("notes_fts", 0), ("clients_fts", 1)] {
                let sql = format!("INSERT INTO {table}({table}, rank) VALUES ('integrity-check', {against_content})");
                if self.conn.execute(&sql, []).is_err() {
                    return Err(Error::DatabaseCorrupt { detail: "full-text index out of step".into() });
                }
            }
        }
        Ok(())
    }

    /// Writes a plaintext copy with the same schema and rows, for the benchmark's side-by-side
    /// figures. Only `tresor bench` calls this, on a generated demo practice in its own folder:
    /// Tresor never writes a practitioner's records unencrypted; the app is built without it.
    #[cfg(feature = "tools")]
    pub fn export_plain_twin(&self, dest: &Path) -> Result<()> {
        let dest_s = dest.to_str().ok_or(Error::NoEncryption)?;
        self.conn.execute("ATTACH DATABASE ?1 AS plain KEY ''", [dest_s])?;
        let result = self.conn.query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(()));
        self.conn.execute_batch("DETACH DATABASE plain")?;
        Ok(result?)
    }

    /// Opens such a plaintext twin with the same pragmas as the working copy.
    #[cfg(feature = "tools")]
    pub fn open_plain_twin(path: &Path) -> Result<Store> {
        let conn = open::connect_plain(path)?;
        Ok(Store {
            conn,
            mode: OpenMode::Working,
            clock: Clock::new(Hlc(0)),
            device: "benchmark".into(),
            opening: next_opening(),
        })
    }

    /// Runs `f` (an erasure) with `secure_delete` on, so every page it frees is overwritten
    /// with zeros, then rewrites the whole file (`VACUUM`) and empties the WAL: afterwards no
    /// byte of what was removed is left in the working copy.
    pub fn write_erasing<T>(&mut self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("PRAGMA secure_delete = ON")?;
        let out = self.write(f);
        let finish = self.conn.execute_batch("PRAGMA secure_delete = FAST");
        let out = out?;
        finish?;
        self.conn.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(out)
    }

    /// Folds the WAL into the main file, so that a copy of the file alone is complete.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
        Ok(())
    }
}

impl<'a> Tx<'a> {
    pub fn read(&self) -> Reader<'_> {
        Reader { conn: self.tx.deref() }
    }

    /// A fresh stamp for a row written in this transaction.
    fn stamp(&mut self) -> Hlc {
        self.clock.tick()
    }

    fn conn(&self) -> &Connection {
        self.tx.deref()
    }

    pub fn device(&self) -> &str {
        self.device
    }

    /// Marks a row deleted (records are never removed) and journals it.
    fn tombstone(&mut self, table: &str, entity: &'static str, id: &str) -> Result<()> {
        let hlc = self.stamp();
        let sql =
            format!("UPDATE {table} SET deleted = 1, updated_hlc = ?2, device = ?3 WHERE id = ?1 AND deleted = 0");
        let n = self.conn().prepare_cached(&sql)?.execute(rusqlite::params![id, hlc.0, self.device])?;
        if n == 0 {
            return Err(Error::not_found(entity, id));
        }
        self.journal(hlc, entity, id, "delete")
    }
}

fn meta_get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

impl Reader<'_> {
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        meta_get(self.conn, key)
    }
}
