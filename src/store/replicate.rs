//! Rows as they travel between devices: the full image of a row, read and written generically
//! for every replicated table, and merged per row: the newest hybrid-logical-clock stamp wins;
//! append-only tables (documentation revisions) keep every row from every device.

use std::collections::BTreeMap;

use rusqlite::types::{Value, ValueRef};
use rusqlite::{params, OptionalExtension};
use serde_json::Value as Json;

use crate::error::{Error, Result};
use crate::hlc::Hlc;

use super::{Reader, Tx};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// The row with the greater `(updated_hlc, device)` wins, tombstones included.
    LastWriterWins,
    /// Rows are only ever inserted; both sides' rows are kept.
    AppendOnly,
}

/// Every table whose rows replicate, by the entity name the journal uses.
pub const REPLICATED: &[(&str, &str, Merge)] = &[
    ("practice", "practice", Merge::LastWriterWins),
    ("practice_logo", "practice_logo", Merge::LastWriterWins),
    ("client", "clients", Merge::LastWriterWins),
    ("service", "services", Merge::LastWriterWins),
    ("appointment_series", "appointment_series", Merge::LastWriterWins),
    ("appointment", "appointments", Merge::LastWriterWins),
    ("session", "sessions", Merge::LastWriterWins),
    ("note_revision", "note_revisions", Merge::AppendOnly),
    ("billing_settings", "billing_settings", Merge::LastWriterWins),
    ("invoice_series", "invoice_series", Merge::LastWriterWins),
    ("client_billing", "client_billing", Merge::LastWriterWins),
    ("invoice", "invoices", Merge::LastWriterWins),
    ("invoice_line", "invoice_lines", Merge::LastWriterWins),
    ("payment", "payments", Merge::AppendOnly),
    ("dunning_letter", "dunning_letters", Merge::AppendOnly),
    ("write_off", "write_offs", Merge::AppendOnly),
];

/// Local-only columns that never travel (the integer key FTS refers to).
const LOCAL_COLUMNS: &[&str] = &["n"];

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RowImage {
    pub entity: String,
    pub id: String,
    pub cols: BTreeMap<String, Json>,
}

/// A journal entry as it travels: the device is the segment's, `seq` the writer's own position.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RawEntry {
    pub seq: i64,
    pub hlc: i64,
    pub entity: String,
    pub row_id: String,
    pub op: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Inserted,
    Updated,
    /// Ours was newer, or the append-only row was there already.
    Kept,
    /// Theirs would change a row that is immutable here (an issued invoice and what hangs on
    /// it): ours stays, the segment goes on.
    Refused,
}

fn table_of(entity: &str) -> Option<(&'static str, Merge)> {
    REPLICATED.iter().find(|(e, _, _)| *e == entity).map(|(_, t, m)| (*t, *m))
}

fn to_json(v: ValueRef<'_>) -> Json {
    match v {
        ValueRef::Null => Json::Null,
        ValueRef::Integer(i) => Json::from(i),
        ValueRef::Real(f) => Json::from(f),
        ValueRef::Text(t) => Json::from(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => serde_json::json!({ "b64": data_encoding::BASE64.encode(b) }),
    }
}

fn from_json(v: &Json) -> Result<Value> {
    Ok(match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Integer(*b as i64),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Real(n.as_f64().unwrap_or(0.0)),
        },
        Json::String(s) => Value::Text(s.clone()),
        Json::Object(o) => match o.get("b64").and_then(Json::as_str) {
            Some(b) => Value::Blob(data_encoding::BASE64.decode(b.as_bytes()).map_err(|_| bad_row())?),
            None => return Err(bad_row()),
        },
        Json::Array(_) => return Err(bad_row()),
    })
}

fn bad_row() -> Error {
    Error::DatabaseCorrupt { detail: "a replicated row does not fit this schema".into() }
}

fn columns(conn: &rusqlite::Connection, table: &str) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached(&format!("PRAGMA table_info({table})"))?;
    let cols = st.query_map([], |r| r.get::<_, String>(1))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(cols.into_iter().filter(|c| !LOCAL_COLUMNS.contains(&c.as_str())).collect())
}

impl Reader<'_> {
    /// This device's journal entries after `after_seq`, oldest first, with their raw stamps.
    pub fn own_changes_since(&self, device: &str, after_seq: i64, limit: u32) -> Result<Vec<RawEntry>> {
        let mut st = self.conn.prepare_cached(
            "SELECT seq, hlc, entity, row_id, op FROM journal WHERE seq > ?1 AND device = ?2 ORDER BY seq LIMIT ?3",
        )?;
        let rows = st.query_map(params![after_seq, device, limit], |r| {
            Ok(RawEntry { seq: r.get(0)?, hlc: r.get(1)?, entity: r.get(2)?, row_id: r.get(3)?, op: r.get(4)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The full image of a row, or `None` for an entity that does not replicate.
    pub fn row_image(&self, entity: &str, id: &str) -> Result<Option<RowImage>> {
        let Some((table, _)) = table_of(entity) else {
            return Ok(None);
        };
        let cols = columns(self.conn, table)?;
        let sql = format!("SELECT {} FROM {table} WHERE id = ?1", cols.join(", "));
        let img = self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], |r| {
                let mut map = BTreeMap::new();
                for (i, c) in cols.iter().enumerate() {
                    map.insert(c.clone(), to_json(r.get_ref(i)?));
                }
                Ok(map)
            })
            .optional()?;
        Ok(img.map(|cols| RowImage { entity: entity.into(), id: id.into(), cols }))
    }

    /// Every replicated row, in a canonical order, for comparing two devices' data.
    pub fn canonical_dump(&self) -> Result<Vec<RowImage>> {
        let mut out = Vec::new();
        for (entity, table, _) in REPLICATED {
            let mut st = self.conn.prepare(&format!("SELECT id FROM {table} ORDER BY id"))?;
            let ids = st.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
            for id in ids {
                if let Some(img) = self.row_image(entity, &id)? {
                    out.push(img);
                }
            }
        }
        Ok(out)
    }
}

impl Tx<'_> {
    /// Foreign keys are checked at commit, so rows of one batch may arrive in any order.
    pub fn defer_foreign_keys(&self) -> Result<()> {
        self.conn().execute_batch("PRAGMA defer_foreign_keys = ON")?;
        Ok(())
    }

    /// Merges a row from another device.
    pub fn apply_row(&mut self, img: &RowImage) -> Result<Applied> {
        let (table, merge) = table_of(&img.entity).ok_or_else(bad_row)?;
        let known = columns(self.conn(), table)?;
        // Columns from a newer schema are ignored; ours that the image lacks keep their default.
        let cols: Vec<&String> = img.cols.keys().filter(|c| known.contains(c)).collect();
        if !cols.iter().any(|c| *c == "id") {
            return Err(bad_row());
        }
        let values: Vec<Value> = cols.iter().map(|c| from_json(&img.cols[*c])).collect::<Result<_>>()?;
        if let Some(Json::Number(n)) = img.cols.get("updated_hlc").or_else(|| img.cols.get("created_hlc")) {
            if let Some(h) = n.as_i64() {
                self.clock.observe(Hlc(h));
            }
        }
        // An issued invoice beats any draft version of it, whatever the stamps say: the issued
        // one is a legal document that exists as issued on at least one computer.
        let has_state = known.iter().any(|c| c == "state");
        let state_sql = if has_state { "state" } else { "''" };
        let local: Option<(i64, String, String)> = match merge {
            Merge::LastWriterWins => self
                .conn()
                .prepare_cached(&format!("SELECT updated_hlc, device, {state_sql} FROM {table} WHERE id = ?1"))?
                .query_row([&img.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?,
            Merge::AppendOnly => self
                .conn()
                .prepare_cached(&format!("SELECT 0, '', '' FROM {table} WHERE id = ?1"))?
                .query_row([&img.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?,
        };
        let names: Vec<&str> = cols.iter().map(|c| c.as_str()).collect();
        let result = match local {
            None => {
                let marks = (1..=names.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
                let sql = format!("INSERT INTO {table}({}) VALUES ({marks})", names.join(", "));
                self.conn()
                    .prepare_cached(&sql)?
                    .execute(rusqlite::params_from_iter(values.iter()))
                    .map(|_| Applied::Inserted)
            }
            Some(_) if merge == Merge::AppendOnly => Ok(Applied::Kept),
            Some((hlc, device, state)) => {
                let theirs_state = img.cols.get("state").and_then(Json::as_str).unwrap_or("");
                let theirs = (
                    img.cols.get("updated_hlc").and_then(Json::as_i64).unwrap_or(0),
                    img.cols.get("device").and_then(Json::as_str).unwrap_or(""),
                );
                let issued_beats_draft = state == "draft" && theirs_state == "issued";
                if state == "issued" && theirs_state != "issued" {
                    return Ok(Applied::Refused);
                }
                if theirs <= (hlc, device.as_str()) && !issued_beats_draft {
                    return Ok(Applied::Kept);
                }
                let sets =
                    names.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", i + 1)).collect::<Vec<_>>().join(", ");
                let sql = format!("UPDATE {table} SET {sets} WHERE id = ?{}", names.len() + 1);
                let mut all = values;
                all.push(Value::Text(img.id.clone()));
                self.conn()
                    .prepare_cached(&sql)?
                    .execute(rusqlite::params_from_iter(all.iter()))
                    .map(|_| Applied::Updated)
            }
        };
        // The schema's triggers guard issued documents; a row they refuse stays as it is here.
        match result.map_err(Error::from) {
            Err(Error::Immutable { .. }) => Ok(Applied::Refused),
            other => other,
        }
    }

    /// Before an invoice that another computer issued replaces the draft this computer holds,
    /// makes this computer's lines of it exactly the issued ones: the issuer's versions win over
    /// any later edit made here to the draft, and lines added here after the issue go (they
    /// belong to no document). The issuer sends every line of the invoice with the issue.
    pub fn adopt_issued_lines(&mut self, invoice_id: &str, lines: &[&RowImage]) -> Result<()> {
        let local: Option<String> = self
            .conn()
            .prepare_cached("SELECT state FROM invoices WHERE id = ?1")?
            .query_row([invoice_id], |r| r.get(0))
            .optional()?;
        if local.as_deref() != Some("draft") {
            return Ok(());
        }
        let keep: Vec<&str> = lines.iter().map(|l| l.id.as_str()).collect();
        let mine: Vec<String> = {
            let mut st = self.conn().prepare_cached("SELECT id FROM invoice_lines WHERE invoice_id = ?1")?;
            let rows = st.query_map([invoice_id], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for id in mine.iter().filter(|id| !keep.contains(&id.as_str())) {
            self.conn().prepare_cached("DELETE FROM invoice_lines WHERE id = ?1")?.execute([id])?;
            let hlc = self.stamp();
            self.journal(hlc, "invoice_line", id, "merge_remove")?;
        }
        for img in lines {
            let cols: Vec<&String> = img.cols.keys().collect();
            let values: Vec<Value> = cols.iter().map(|c| from_json(&img.cols[*c])).collect::<Result<_>>()?;
            let names: Vec<&str> = cols.iter().map(|c| c.as_str()).collect();
            let marks = (1..=names.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
            let known = columns(self.conn(), "invoice_lines")?;
            if names.iter().any(|n| !known.iter().any(|k| k == n)) {
                return Err(bad_row());
            }
            let sql = format!("INSERT OR REPLACE INTO invoice_lines({}) VALUES ({marks})", names.join(", "));
            self.conn().prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values.iter()))?;
        }
        Ok(())
    }

    /// Adds another device's journal entry (once: re-applying a segment adds nothing).
    pub fn apply_journal(&mut self, hlc: i64, device: &str, entity: &str, row_id: &str, op: &str) -> Result<()> {
        self.clock.observe(Hlc(hlc));
        self.conn()
            .prepare_cached(
                "INSERT INTO journal(hlc, device, entity, row_id, op)
                 SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS (
                   SELECT 1 FROM journal WHERE row_id = ?4 AND hlc = ?1 AND device = ?2 AND op = ?5)",
            )?
            .execute(params![hlc, device, entity, row_id, op])?;
        Ok(())
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )?;
        Ok(())
    }
}
