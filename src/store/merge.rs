//! How one row from another computer merges with this computer's version of it. Per field: the
//! value with the newest stamp wins, so changes to different fields both survive, in any order
//! and however often a row arrives. A field both computers changed without seeing the other's
//! change keeps the newer value and records the other as a conflict; so does a record deleted
//! on one computer while edited on the other (the delete stays, the edits stay inside it).
//! Issued documents follow [`DOCUMENT`]: they beat every draft version and never change.

use std::collections::BTreeMap;

use rusqlite::types::{Value, ValueRef};
use rusqlite::OptionalExtension;
use serde_json::Value as Json;

use crate::error::Result;
use crate::hlc::Hlc;

use super::replicate::{
    bad_row, from_json, merge_document, to_json, Applied, DocMerge, DocState, Merge, RowImage, TableInfo, DOCUMENT,
};
use super::stamps::{self, FieldStamps, Stamp};
use super::Tx;

/// A field two computers changed concurrently: the value that stays and the other one.
pub(super) struct Found {
    pub field: String,
    pub kept: (Stamp, Json),
    pub other: (Stamp, Json),
}

type Row = BTreeMap<String, Value>;

fn json_of(v: &Value) -> Json {
    to_json(ValueRef::from(v))
}

fn int(v: Option<&Value>) -> i64 {
    match v {
        Some(Value::Integer(i)) => *i,
        _ => 0,
    }
}

fn text(v: Option<&Value>) -> &str {
    match v {
        Some(Value::Text(s)) => s,
        _ => "",
    }
}

impl Tx<'_> {
    /// Merges one row; returns what happened and how many new conflicts it recorded.
    pub(super) fn merge_row(&mut self, info: &TableInfo, img: &RowImage) -> Result<(Applied, u32)> {
        if img.cols.get("id").and_then(Json::as_str) != Some(img.id.as_str()) {
            return Err(bad_row());
        }
        self.observe(img);
        let Some(local) = self.local_row(info, &img.id)? else {
            self.insert_image(info, img)?;
            return Ok((Applied::Inserted, 0));
        };
        match info.merge {
            Merge::AppendOnly => Ok((Applied::Kept, 0)),
            Merge::Document => {
                let ours = DocState::parse(text(local.get(DOCUMENT.state)));
                let ours_stamp = (int(local.get("updated_hlc")), text(local.get("device")));
                match merge_document(ours, DOCUMENT.state_of(img), img.updated() > ours_stamp) {
                    DocMerge::KeepOurs => Ok((Applied::Kept, 0)),
                    DocMerge::Refuse => Ok((Applied::Refused, 0)),
                    DocMerge::TakeTheirs => {
                        self.replace_with_image(info, img)?;
                        Ok((Applied::Updated, 0))
                    }
                    DocMerge::PerField => self.merge_fields(info, img, &local),
                }
            }
            _ => self.merge_fields(info, img, &local),
        }
    }

    fn observe(&mut self, img: &RowImage) {
        let mut newest = img.updated().0;
        if let Some(c) = img.cols.get("created_hlc").and_then(Json::as_i64) {
            newest = newest.max(c);
        }
        if let Some(st) = &img.stamps {
            newest = st.f.values().chain(std::iter::once(&st.base)).map(|s| s.0).fold(newest, i64::max);
        }
        self.clock.observe(Hlc(newest));
    }

    fn local_row(&self, info: &TableInfo, id: &str) -> Result<Option<Row>> {
        let sql = format!("SELECT {} FROM {} WHERE id = ?1", info.columns.join(", "), info.table);
        Ok(self
            .conn()
            .prepare_cached(&sql)?
            .query_row([id], |r| {
                let mut row = Row::new();
                for (i, c) in info.columns.iter().enumerate() {
                    row.insert(c.clone(), r.get::<_, Value>(i)?);
                }
                Ok(row)
            })
            .optional()?)
    }

    /// The columns of the image this schema knows, as values.
    fn known_values(info: &TableInfo, img: &RowImage) -> Result<Vec<(String, Value)>> {
        info.columns.iter().filter_map(|c| img.cols.get(c).map(|v| from_json(v).map(|v| (c.clone(), v)))).collect()
    }

    fn insert_image(&mut self, info: &TableInfo, img: &RowImage) -> Result<()> {
        let values = Self::known_values(info, img)?;
        let names: Vec<&str> = values.iter().map(|(c, _)| c.as_str()).collect();
        let marks = (1..=names.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
        let sql = format!("INSERT INTO {}({}) VALUES ({marks})", info.table, names.join(", "));
        self.conn().prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values.iter().map(|(_, v)| v)))?;
        // A new row has no stamps entry yet: only one that says more than the row is written.
        if !info.stamped.is_empty() && img.stamps.is_some() {
            self.store_image_stamps(info, img)?;
        }
        Ok(())
    }

    /// The issued version of a document this computer holds as a draft: every field of theirs.
    fn replace_with_image(&mut self, info: &TableInfo, img: &RowImage) -> Result<()> {
        let values: Vec<(String, Value)> =
            Self::known_values(info, img)?.into_iter().filter(|(c, _)| c != "id").collect();
        let sets =
            values.iter().enumerate().map(|(i, (c, _))| format!("{c} = ?{}", i + 1)).collect::<Vec<_>>().join(", ");
        let sql = format!("UPDATE {} SET {sets} WHERE id = ?{}", info.table, values.len() + 1);
        let mut all: Vec<Value> = values.into_iter().map(|(_, v)| v).collect();
        all.push(Value::Text(img.id.clone()));
        self.conn().prepare_cached(&sql)?.execute(rusqlite::params_from_iter(all.iter()))?;
        self.store_image_stamps(info, img)
    }

    fn store_image_stamps(&mut self, info: &TableInfo, img: &RowImage) -> Result<()> {
        if info.stamped.is_empty() {
            return Ok(());
        }
        let st = FieldStamps::expand(img.stamps.as_ref(), img.updated_stamp());
        stamps::write(self.conn(), info.entity, &img.id, st.compact(info.stamped.iter().map(String::as_str)).as_ref())
    }

    fn merge_fields(&mut self, info: &TableInfo, img: &RowImage, local: &Row) -> Result<(Applied, u32)> {
        let local_updated = Stamp(int(local.get("updated_hlc")), text(local.get("device")).to_string());
        let ours = FieldStamps::expand(stamps::read(self.conn(), info.entity, &img.id)?.as_ref(), local_updated);
        let theirs = FieldStamps::expand(img.stamps.as_ref(), img.updated_stamp());
        let record = info.merge != Merge::PerFieldQuiet;
        // Whoever holds a row has seen its creation. This matters for a row of a format-1
        // segment, which says nothing else about what its computer had seen.
        let their_creation = img.cols.get("created_hlc").and_then(Json::as_i64);
        let our_creation = Some(int(local.get("created_hlc")));
        let mut merged = local.clone();
        let mut st = ours.clone();
        let mut found = Vec::new();
        for c in &info.stamped {
            let Some(their_json) = img.cols.get(c) else { continue };
            let (l, r) = (ours.of(c).clone(), theirs.of(c).clone());
            if l == r {
                continue;
            }
            let their_value = from_json(their_json)?;
            let our_value = local.get(c).cloned().unwrap_or(Value::Null);
            let differ = their_value != our_value;
            let concurrent = record && differ && info.is_data(c);
            if r > l {
                if concurrent && !theirs.saw(&l) && Some(l.0) != their_creation {
                    found.push(Found {
                        field: c.clone(),
                        kept: (r.clone(), their_json.clone()),
                        other: (l, json_of(&our_value)),
                    });
                }
                st.set(c, r);
                merged.insert(c.clone(), their_value);
            } else if concurrent && !ours.saw(&r) && Some(r.0) != our_creation {
                found.push(Found { field: c.clone(), kept: (l, json_of(&our_value)), other: (r, their_json.clone()) });
            }
        }
        st.see_all(&theirs);
        if record {
            found.extend(deleted_while_edited(info, img, local, &ours, &theirs));
        }
        // The row's `device` is the computer of its newest change.
        let newest = st.of("updated_hlc").clone();
        merged.insert("device".into(), Value::Text(newest.1.clone()));
        let changed = merged != *local;
        if changed {
            self.update_row(info, &img.id, &merged)?;
        }
        let cols = || info.stamped.iter().map(String::as_str);
        let after = st.compact(cols());
        if ours.compact(cols()) != after {
            stamps::write(self.conn(), info.entity, &img.id, after.as_ref())?;
        }
        let mut new_conflicts = 0;
        for f in found {
            new_conflicts += self.record_conflict(info.entity, &img.id, &f)? as u32;
        }
        Ok((if changed { Applied::Updated } else { Applied::Kept }, new_conflicts))
    }

    fn update_row(&mut self, info: &TableInfo, id: &str, row: &Row) -> Result<()> {
        let cols: Vec<&String> = info.columns.iter().filter(|c| *c != "id").collect();
        let sets = cols.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", i + 1)).collect::<Vec<_>>().join(", ");
        let sql = format!("UPDATE {} SET {sets} WHERE id = ?{}", info.table, cols.len() + 1);
        let mut values: Vec<Value> = cols.iter().map(|c| row.get(*c).cloned().unwrap_or(Value::Null)).collect();
        values.push(Value::Text(id.to_string()));
        self.conn().prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values.iter()))?;
        Ok(())
    }

    /// Before a document that another computer issued replaces the draft this computer holds,
    /// makes this computer's parts of it exactly the issued ones: the issuer's versions win over
    /// any later edit made here to the draft, and parts added here after the issue go (they
    /// belong to no document).
    pub(super) fn adopt_issued_parts(&mut self, document: &str, parts: &[&RowImage]) -> Result<()> {
        let state: Option<String> = self
            .conn()
            .prepare_cached(&format!("SELECT {} FROM invoices WHERE id = ?1", DOCUMENT.state))?
            .query_row([document], |r| r.get(0))
            .optional()?;
        if state.as_deref().and_then(DocState::parse) != Some(DocState::Draft) {
            return Ok(());
        }
        let info = TableInfo::load(self.conn(), DOCUMENT.parts)?;
        let keep: Vec<&str> = parts.iter().map(|l| l.id.as_str()).collect();
        let mine: Vec<String> = {
            let sql = format!("SELECT id FROM {} WHERE {} = ?1", info.table, DOCUMENT.part_of);
            let mut st = self.conn().prepare_cached(&sql)?;
            let rows = st.query_map([document], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for id in mine.iter().filter(|id| !keep.contains(&id.as_str())) {
            self.conn().prepare_cached(&format!("DELETE FROM {} WHERE id = ?1", info.table))?.execute([id])?;
            stamps::write(self.conn(), info.entity, id, None)?;
            let hlc = self.stamp();
            self.journal(hlc, info.entity, id, "merge_remove")?;
        }
        for img in parts {
            let values = Self::known_values(&info, img)?;
            let names: Vec<&str> = values.iter().map(|(c, _)| c.as_str()).collect();
            let marks = (1..=names.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
            let sql = format!("INSERT OR REPLACE INTO {}({}) VALUES ({marks})", info.table, names.join(", "));
            self.conn().prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values.iter().map(|(_, v)| v)))?;
            self.store_image_stamps(&info, img)?;
        }
        Ok(())
    }
}

/// A record deleted on one side while the other changed it, neither having seen the other's
/// change. The rule: the delete stays (the record is not resurrected behind anyone's back), the
/// edits stay inside the deleted record (nothing is lost), and a conflict on `deleted` offers to
/// restore it ("other" = not deleted).
fn deleted_while_edited(
    info: &TableInfo,
    img: &RowImage,
    local: &Row,
    ours: &FieldStamps,
    theirs: &FieldStamps,
) -> Option<Found> {
    let theirs_deleted = img.cols.get("deleted").and_then(Json::as_i64)? != 0;
    let ours_deleted = int(local.get("deleted")) != 0;
    if theirs_deleted == ours_deleted {
        return None;
    }
    let local_json: BTreeMap<&str, Json> = local.iter().map(|(k, v)| (k.as_str(), json_of(v))).collect();
    let their_json: BTreeMap<&str, Json> = img.cols.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    let (deleter, editor, deleter_values, editor_values) = if theirs_deleted {
        (theirs, ours, &their_json, &local_json)
    } else {
        (ours, theirs, &local_json, &their_json)
    };
    let delete = deleter.of("deleted");
    if editor.saw(delete) {
        return None;
    }
    let edit = info
        .stamped
        .iter()
        .filter(|c| info.is_data(c))
        .filter(
            |c| matches!((editor_values.get(c.as_str()), deleter_values.get(c.as_str())), (Some(a), Some(b)) if a != b),
        )
        .map(|c| editor.of(c))
        .filter(|s| !deleter.saw(s))
        .max()?;
    Some(Found { field: "deleted".into(), kept: (delete.clone(), Json::from(1)), other: (edit.clone(), Json::from(0)) })
}

impl Tx<'_> {
    /// A client's list order follows its merged names.
    pub(super) fn refresh_sort_key(&mut self, id: &str) -> Result<()> {
        let names: Option<(String, String)> = self
            .conn()
            .prepare_cached("SELECT family_name, given_name FROM clients WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((family, given)) = names {
            let key = crate::domain::validate::sort_key(&family, &given);
            self.conn()
                .prepare_cached("UPDATE clients SET sort_key = ?2 WHERE id = ?1 AND sort_key IS NOT ?2")?
                .execute([id, key.as_str()])?;
        }
        Ok(())
    }

    /// A draft's totals follow its merged lines (an issued invoice's are frozen with it).
    pub(super) fn refresh_draft_totals(&mut self, id: &str) -> Result<()> {
        let state: Option<String> = self
            .conn()
            .prepare_cached(&format!("SELECT {} FROM invoices WHERE id = ?1", DOCUMENT.state))?
            .query_row([id], |r| r.get(0))
            .optional()?;
        if state.as_deref().and_then(DocState::parse) != Some(DocState::Draft) {
            return Ok(());
        }
        match id.parse() {
            Ok(invoice) => self.refresh_totals(invoice),
            Err(_) => Ok(()),
        }
    }
}
