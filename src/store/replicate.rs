//! Rows as they travel between computers: the full image of a row with its per-field stamps,
//! read and written generically for every replicated table, and the merge policy of each table.
//! Applying a batch (one segment's rows) lives here; how one row merges is in `merge.rs`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rusqlite::types::{Value, ValueRef};
use rusqlite::{params, OptionalExtension};
use serde_json::Value as Json;

use crate::error::{Error, Result};
use crate::hlc::Hlc;

use super::stamps::{self, FieldStamps, RowStamps, Stamp};
use super::{Reader, Tx};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// Each field keeps the value with the newest stamp; a field that two computers changed
    /// without seeing each other's change is recorded as a conflict.
    PerField,
    /// Per field, without conflict records: the records of conflicts themselves (the newest
    /// resolution wins; a conflict about a conflict would never end).
    PerFieldQuiet,
    /// Rows are only ever inserted; both sides' rows are kept.
    AppendOnly,
    /// A legal document ([`DOCUMENT`]): per field while a draft; once issued it beats every
    /// draft version, whatever the stamps, and never changes again.
    Document,
}

/// Every table whose rows replicate, by the entity name the journal uses.
pub const REPLICATED: &[(&str, &str, Merge)] = &[
    ("practice", "practice", Merge::PerField),
    ("practice_logo", "practice_logo", Merge::PerField),
    ("client", "clients", Merge::PerField),
    ("service", "services", Merge::PerField),
    ("appointment_series", "appointment_series", Merge::PerField),
    ("appointment", "appointments", Merge::PerField),
    ("session", "sessions", Merge::PerField),
    ("note_revision", "note_revisions", Merge::AppendOnly),
    ("billing_settings", "billing_settings", Merge::PerField),
    ("invoice_series", "invoice_series", Merge::PerField),
    ("client_billing", "client_billing", Merge::PerField),
    ("invoice", "invoices", Merge::Document),
    ("invoice_line", "invoice_lines", Merge::PerField),
    ("payment", "payments", Merge::AppendOnly),
    ("dunning_letter", "dunning_letters", Merge::AppendOnly),
    ("write_off", "write_offs", Merge::AppendOnly),
    ("issued_document", "issued_documents", Merge::AppendOnly),
    ("attachment", "attachments", Merge::PerField),
    ("conflict", "conflicts", Merge::PerFieldQuiet),
    ("erasure", "erasures", Merge::AppendOnly),
];

/// A legal document's state as the merge sees it (the `state` column of [`DOCUMENT`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocState {
    Draft,
    Issued,
}

impl DocState {
    pub fn as_str(self) -> &'static str {
        match self {
            DocState::Draft => "draft",
            DocState::Issued => "issued",
        }
    }

    /// The state a column's text names; `None` for anything else (a state of a newer version,
    /// which the vocabulary check keeps aside before it gets here).
    pub fn parse(s: &str) -> Option<DocState> {
        [DocState::Draft, DocState::Issued].into_iter().find(|d| d.as_str() == s)
    }
}

/// What this computer does with another computer's version of a document it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocMerge {
    /// Both are drafts: per field, like any record.
    PerField,
    /// Theirs is issued, ours a draft: theirs replaces ours whole, whatever the stamps.
    TakeTheirs,
    /// Ours is issued and theirs no newer: nothing to do.
    KeepOurs,
    /// Ours is issued and theirs would change it: refused, ours stays.
    Refuse,
}

/// "An issued document beats every draft version of it and never changes again": the one
/// statement of that rule, used by the merge of a row (`merge.rs`) and of a batch (here). The
/// issued document exists as issued on at least one computer; a draft is work in progress.
pub fn merge_document(ours: Option<DocState>, theirs: Option<DocState>, theirs_newer: bool) -> DocMerge {
    match (ours, theirs) {
        (Some(DocState::Issued), _) if theirs_newer => DocMerge::Refuse,
        (Some(DocState::Issued), _) => DocMerge::KeepOurs,
        (_, Some(DocState::Issued)) => DocMerge::TakeTheirs,
        _ => DocMerge::PerField,
    }
}

/// Where the document rule applies: the entity, its state column, and its parts.
pub struct DocumentRule {
    pub entity: &'static str,
    pub state: &'static str,
    /// Rows that belong to the document and are frozen with it (its lines), and the column
    /// that names their document. The issuer sends every part with the issue.
    pub parts: &'static str,
    pub part_of: &'static str,
}

pub const DOCUMENT: DocumentRule =
    DocumentRule { entity: "invoice", state: "state", parts: "invoice_line", part_of: "invoice_id" };

impl DocumentRule {
    /// The state of a document's image; `None` for another entity's.
    pub fn state_of(&self, img: &RowImage) -> Option<DocState> {
        if img.entity != self.entity {
            return None;
        }
        img.cols.get(self.state).and_then(Json::as_str).and_then(DocState::parse)
    }

    pub fn is_issued(&self, img: &RowImage) -> bool {
        self.state_of(img) == Some(DocState::Issued)
    }

    fn is_part_of(&self, img: &RowImage, document: &str) -> bool {
        img.entity == self.parts && img.cols.get(self.part_of).and_then(Json::as_str) == Some(document)
    }
}

/// Local-only columns that never travel (the integer key FTS refers to).
const LOCAL_COLUMNS: &[&str] = &["n"];

/// Columns computed on each computer from others: not merged, recomputed after a merge.
const DERIVED: &[(&str, &[&str])] =
    &[("clients", &["sort_key"]), ("invoices", &["net_cents", "tax_cents", "gross_cents"])];

/// Columns that carry a stamp but are bookkeeping, not something a person changed: never a
/// conflict of their own.
pub(super) const BOOKKEEPING: &[&str] = &["created_hlc", "updated_hlc", "deleted"];

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RowImage {
    pub entity: String,
    pub id: String,
    pub cols: BTreeMap<String, Json>,
    /// Per-field stamps; absent when every field carries the row's own stamp (and in segments
    /// of format 1, which is read the same way).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stamps: Option<RowStamps>,
}

impl RowImage {
    pub fn updated(&self) -> (i64, &str) {
        (
            self.cols.get("updated_hlc").and_then(Json::as_i64).unwrap_or(0),
            self.cols.get("device").and_then(Json::as_str).unwrap_or(""),
        )
    }

    /// The row's own stamp: the newest of its fields'.
    pub fn updated_stamp(&self) -> Stamp {
        let (h, d) = self.updated();
        Stamp(h, d.to_string())
    }
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
    /// Ours was newer or the same, or the append-only row was there already.
    Kept,
    /// Theirs would change a row that is immutable here (an issued invoice and what hangs on
    /// it): ours stays, the segment goes on.
    Refused,
}

/// What merging one batch of rows did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct MergeCounts {
    pub changed: u32,
    pub refused: u32,
    /// New conflict records: a field both computers changed.
    pub conflicts: u32,
    /// Rows this version cannot represent, kept aside until it is updated.
    pub kept_aside: u32,
}

/// A replicated table as this schema has it.
pub(super) struct TableInfo {
    pub entity: &'static str,
    pub table: &'static str,
    pub merge: Merge,
    /// Every column that travels.
    pub columns: Vec<String>,
    /// The columns that carry a stamp: all but `id`, `device` (the newest stamp's computer)
    /// and derived ones. Empty for append-only tables.
    pub stamped: Vec<String>,
    /// Columns that refer to another replicated record: (column, that record's entity).
    pub parents: Vec<(String, String)>,
}

pub(super) fn table_of(entity: &str) -> Option<(&'static str, &'static str, Merge)> {
    REPLICATED.iter().find(|(e, _, _)| *e == entity).copied()
}

impl TableInfo {
    pub(super) fn load(conn: &rusqlite::Connection, entity: &str) -> Result<TableInfo> {
        let (entity, table, merge) = table_of(entity).ok_or_else(bad_row)?;
        let mut st = conn.prepare_cached(&format!("PRAGMA table_info({table})"))?;
        let all = st.query_map([], |r| r.get::<_, String>(1))?.collect::<rusqlite::Result<Vec<_>>>()?;
        let columns: Vec<String> = all.into_iter().filter(|c| !LOCAL_COLUMNS.contains(&c.as_str())).collect();
        let derived = DERIVED.iter().find(|(t, _)| *t == table).map_or(&[][..], |(_, d)| *d);
        let stamped = if merge == Merge::AppendOnly {
            Vec::new()
        } else {
            columns.iter().filter(|c| *c != "id" && *c != "device" && !derived.contains(&c.as_str())).cloned().collect()
        };
        let mut st = conn.prepare_cached(&format!("PRAGMA foreign_key_list({table})"))?;
        let refs = st.query_map([], |r| Ok((r.get::<_, String>(2)?, r.get::<_, String>(3)?)))?;
        let mut parents = Vec::new();
        for r in refs {
            let (parent_table, col) = r?;
            if let Some((parent, _, _)) = REPLICATED.iter().find(|(_, t, _)| *t == parent_table) {
                parents.push((col, (*parent).to_string()));
            }
        }
        Ok(TableInfo { entity, table, merge, columns, stamped, parents })
    }

    /// Columns a person changes: where two computers' changes can conflict.
    pub(super) fn is_data(&self, column: &str) -> bool {
        !BOOKKEEPING.contains(&column) && self.stamped.iter().any(|c| c == column)
    }
}

pub(super) fn to_json(v: ValueRef<'_>) -> Json {
    match v {
        ValueRef::Null => Json::Null,
        ValueRef::Integer(i) => Json::from(i),
        ValueRef::Real(f) => Json::from(f),
        ValueRef::Text(t) => Json::from(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => serde_json::json!({ "b64": data_encoding::BASE64.encode(b) }),
    }
}

pub(super) fn from_json(v: &Json) -> Result<Value> {
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

pub(super) fn bad_row() -> Error {
    Error::DatabaseCorrupt { detail: "a replicated row does not fit this schema".into() }
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

    /// The full image of a row with its stamps in their normal form, or `None` for an entity
    /// that does not replicate.
    pub fn row_image(&self, entity: &str, id: &str) -> Result<Option<RowImage>> {
        if table_of(entity).is_none() {
            return Ok(None);
        }
        let info = TableInfo::load(self.conn, entity)?;
        self.image_with(&info, id)
    }

    pub(super) fn image_with(&self, info: &TableInfo, id: &str) -> Result<Option<RowImage>> {
        let sql = format!("SELECT {} FROM {} WHERE id = ?1", info.columns.join(", "), info.table);
        let cols = self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], |r| {
                let mut map = BTreeMap::new();
                for (i, c) in info.columns.iter().enumerate() {
                    map.insert(c.clone(), to_json(r.get_ref(i)?));
                }
                Ok(map)
            })
            .optional()?;
        let Some(cols) = cols else {
            return Ok(None);
        };
        let mut img = RowImage { entity: info.entity.into(), id: id.into(), cols, stamps: None };
        if !info.stamped.is_empty() {
            if let Some(stored) = stamps::read(self.conn, info.entity, id)? {
                let full = FieldStamps::expand(Some(&stored), img.updated_stamp());
                img.stamps = full.compact(info.stamped.iter().map(String::as_str));
            }
        }
        Ok(Some(img))
    }

    /// Every replicated row with its stamps, in a canonical order, for comparing two devices.
    pub fn canonical_dump(&self) -> Result<Vec<RowImage>> {
        let mut out = Vec::new();
        for (entity, table, _) in REPLICATED {
            let info = TableInfo::load(self.conn, entity)?;
            let mut st = self.conn.prepare(&format!("SELECT id FROM {table} ORDER BY id"))?;
            let ids = st.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
            for id in ids {
                if let Some(img) = self.image_with(&info, &id)? {
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

    /// Merges one batch of rows from another computer (`source` names it, e.g. its device id).
    /// A row this version cannot represent, or that a constraint refuses, is kept aside and the
    /// rest go on; an issued document replaces the draft it was, with its parts.
    pub fn apply_rows(&mut self, source: &str, rows: &[RowImage]) -> Result<MergeCounts> {
        self.defer_foreign_keys()?;
        stamps::merging(self.conn(), true)?;
        let out = self.apply_rows_merging(source, rows);
        stamps::merging(self.conn(), false)?;
        out
    }

    fn apply_rows_merging(&mut self, source: &str, rows: &[RowImage]) -> Result<MergeCounts> {
        let mut infos: HashMap<String, TableInfo> = HashMap::new();
        for img in rows {
            if !infos.contains_key(&img.entity) && table_of(&img.entity).is_some() {
                infos.insert(img.entity.clone(), TableInfo::load(self.conn(), &img.entity)?);
            }
        }
        let aside = self.rows_to_keep_aside(rows, &infos)?;
        let mut counts = MergeCounts::default();
        for doc in
            rows.iter().filter(|r| DOCUMENT.is_issued(r) && !aside.contains_key(&(r.entity.as_str(), r.id.as_str())))
        {
            let parts: Vec<&RowImage> = rows.iter().filter(|r| DOCUMENT.is_part_of(r, &doc.id)).collect();
            if !parts.is_empty() {
                self.adopt_issued_parts(&doc.id, &parts)?;
            }
        }
        let mut touched: BTreeSet<(&'static str, String)> = BTreeSet::new();
        for img in rows {
            let info = match (aside.get(&(img.entity.as_str(), img.id.as_str())), infos.get(&img.entity)) {
                (None, Some(info)) => info,
                (reason, _) => {
                    let reason = reason.map_or("unknown_record_kind", String::as_str);
                    counts.kept_aside += self.keep_aside(source, img, reason)? as u32;
                    continue;
                }
            };
            // No savepoint needed: a row's first write is its only one that can fail, and a
            // failed statement leaves nothing behind (SQLite's statements are atomic).
            match self.merge_row(info, img) {
                Ok((applied, conflicts)) => {
                    counts.conflicts += conflicts;
                    match applied {
                        Applied::Kept => {}
                        Applied::Refused => counts.refused += 1,
                        Applied::Inserted | Applied::Updated => {
                            counts.changed += 1;
                            touched.insert((info.entity, img.id.clone()));
                        }
                    }
                }
                // The schema's triggers guard issued documents; a row they refuse stays as it is.
                Err(Error::Immutable { .. }) => counts.refused += 1,
                // A rule of this schema refuses the row (a CHECK, NOT NULL): one from a newer or a
                // damaged computer. Kept aside, so the rest of the batch goes on.
                Err(Error::Sqlite(e)) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
                    counts.kept_aside += self.keep_aside(source, img, "constraint")? as u32;
                    continue;
                }
                // A value that does not fit this schema at all (e.g. an array).
                Err(Error::DatabaseCorrupt { .. }) => {
                    counts.kept_aside += self.keep_aside(source, img, "malformed")? as u32;
                    continue;
                }
                Err(e) => return Err(e),
            }
            // Columns of a newer schema: what this version knows is merged, the whole image is
            // kept for when it is updated.
            if img.cols.iter().any(|(c, v)| !v.is_null() && !info.columns.contains(c)) {
                counts.kept_aside += self.keep_aside(source, img, "newer_fields")? as u32;
            }
        }
        self.refresh_derived(&touched)?;
        Ok(counts)
    }

    /// The rows of a batch this version cannot represent, with the reason: an unknown kind of
    /// record or value, an issued document one of whose parts is such a row (a document and its
    /// parts are one), and every row that refers to a row kept aside (in this batch, in any
    /// order, or earlier) — stored here it would break its reference.
    fn rows_to_keep_aside<'r>(
        &self,
        rows: &'r [RowImage],
        infos: &HashMap<String, TableInfo>,
    ) -> Result<BTreeMap<(&'r str, &'r str), String>> {
        let mut aside: BTreeMap<(&str, &str), String> = BTreeMap::new();
        for img in rows {
            let reason = match infos.get(&img.entity) {
                None => Some("unknown_record_kind".to_string()),
                Some(_) if super::documents::needs_render(img) => Some(super::documents::TO_RENDER.to_string()),
                Some(info) => super::vocab::unknown_value(info.table, &img.cols).map(|c| format!("unknown_value:{c}")),
            };
            if let Some(r) = reason {
                aside.insert((&img.entity, &img.id), r);
            }
        }
        for doc in rows.iter().filter(|r| DOCUMENT.is_issued(r)) {
            let parts: Vec<&RowImage> = rows.iter().filter(|r| DOCUMENT.is_part_of(r, &doc.id)).collect();
            if aside.contains_key(&(&doc.entity, &doc.id))
                || parts.iter().any(|p| aside.contains_key(&(p.entity.as_str(), p.id.as_str())))
            {
                for r in std::iter::once(doc).chain(parts) {
                    aside.entry((&r.entity, &r.id)).or_insert_with(|| "document_kept_aside".into());
                }
            }
        }
        let earlier = self.any_kept_aside()?;
        if aside.is_empty() && !earlier {
            return Ok(aside);
        }
        loop {
            let mut grew = false;
            for img in rows {
                if aside.contains_key(&(img.entity.as_str(), img.id.as_str())) {
                    continue;
                }
                let Some(info) = infos.get(&img.entity) else { continue };
                for (col, parent) in &info.parents {
                    let Some(parent_id) = img.cols.get(col).and_then(Json::as_str) else { continue };
                    let in_batch = aside.keys().any(|(e, i)| e == parent && *i == parent_id);
                    if in_batch
                        || (earlier && self.is_kept_aside(parent, parent_id)? && !self.exists(parent, parent_id)?)
                    {
                        aside.insert((&img.entity, &img.id), format!("waits_for:{parent}"));
                        grew = true;
                        break;
                    }
                }
            }
            if !grew {
                return Ok(aside);
            }
        }
    }

    fn exists(&self, entity: &str, id: &str) -> Result<bool> {
        let Some((_, table, _)) = table_of(entity) else { return Ok(false) };
        Ok(self
            .conn()
            .prepare_cached(&format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"))?
            .query_row([id], |r| r.get(0))?)
    }

    /// Recomputes what each computer derives itself from the merged fields.
    fn refresh_derived(&mut self, touched: &BTreeSet<(&'static str, String)>) -> Result<()> {
        let mut drafts: BTreeSet<String> = BTreeSet::new();
        for (entity, id) in touched {
            match *entity {
                "client" => self.refresh_sort_key(id)?,
                e if e == DOCUMENT.entity => {
                    drafts.insert(id.clone());
                }
                e if e == DOCUMENT.parts => {
                    let doc: Option<String> = self
                        .conn()
                        .prepare_cached(&format!("SELECT {} FROM invoice_lines WHERE id = ?1", DOCUMENT.part_of))?
                        .query_row([id], |r| r.get(0))
                        .optional()?;
                    drafts.extend(doc);
                }
                _ => {}
            }
        }
        for id in drafts {
            self.refresh_draft_totals(&id)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_issued_document_beats_every_draft_and_never_changes() {
        use DocState::*;
        let table = [
            // (ours, theirs, theirs newer, what happens)
            (Some(Draft), Some(Draft), true, DocMerge::PerField),
            (Some(Draft), Some(Draft), false, DocMerge::PerField),
            (Some(Draft), Some(Issued), false, DocMerge::TakeTheirs),
            (Some(Draft), Some(Issued), true, DocMerge::TakeTheirs),
            (Some(Issued), Some(Draft), true, DocMerge::Refuse),
            (Some(Issued), Some(Draft), false, DocMerge::KeepOurs),
            (Some(Issued), Some(Issued), false, DocMerge::KeepOurs),
            (Some(Issued), Some(Issued), true, DocMerge::Refuse),
            (None, Some(Issued), false, DocMerge::TakeTheirs),
        ];
        for (ours, theirs, newer, want) in table {
            assert_eq!(merge_document(ours, theirs, newer), want, "{ours:?} / {theirs:?} / newer {newer}");
        }
        for s in [Draft, Issued] {
            assert_eq!(DocState::parse(s.as_str()), Some(s));
        }
        assert_eq!(DocState::parse("void"), None);
    }
}
