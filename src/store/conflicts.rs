//! Conflict records: a field two computers changed without seeing each other's change. The
//! newer value stays in the record; the other is kept here with who changed what when, until a
//! person takes one of them. Records replicate like any row (merge policy `PerFieldQuiet`), and
//! their id is derived from what collided, so two computers that find the same conflict make
//! one record, not two.

use rusqlite::{params, OptionalExtension};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::hlc::Hlc;

use super::merge::Found;
use super::replicate::{from_json, to_json, TableInfo};
use super::stamps::Stamp;
use super::{Reader, Tx};

/// Which of a conflict's two values a person took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The value the record holds: the newer change.
    Kept,
    /// The value of the older, concurrent change.
    Other,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Kept => "kept",
            Side::Other => "other",
        }
    }
    fn parse(s: &str) -> Option<Side> {
        match s {
            "kept" => Some(Side::Kept),
            "other" => Some(Side::Other),
            _ => None,
        }
    }
}

/// One side of a conflict: the value, when and on which computer it was set.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConflictValue {
    /// As the field stores it (JSON); `deleted` is 1 or 0.
    pub value: Json,
    pub at: jiff::Timestamp,
    pub device: String,
    /// The computer's name where a lease tells it (filled in by the vault), else empty.
    pub device_name: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Conflict {
    pub id: String,
    /// The record: its kind (`client`, `session`, …) and id.
    pub entity: String,
    pub row_id: String,
    /// The field both computers changed; `deleted` for a record deleted on one computer while
    /// it was changed on the other (kept = deleted, other = restored).
    pub field: String,
    pub kept: ConflictValue,
    pub other: ConflictValue,
    /// `None` while open.
    pub resolution: Option<Side>,
    /// A few words that name the record for a person (the client's name), where there are some.
    pub record: Option<String>,
}

/// A time-ordered id (UUIDv7 layout: the kept change's time, then hash bits) derived from what
/// collided, the same on every computer that finds this conflict.
fn conflict_id(entity: &str, row_id: &str, f: &Found) -> String {
    let mut h = Sha256::new();
    for part in
        [entity, row_id, &f.field, &f.kept.0 .0.to_string(), &f.kept.0 .1, &f.other.0 .0.to_string(), &f.other.0 .1]
    {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let digest = h.finalize();
    let mut rand = [0u8; 10];
    rand.copy_from_slice(&digest[..10]);
    let ms = Hlc(f.kept.0 .0).millis().max(0) as u64;
    uuid::Builder::from_unix_timestamp_millis(ms, &rand).into_uuid().hyphenated().to_string()
}

const COLS: &str = "id, entity, row_id, field, kept_value, kept_hlc, kept_device, other_value, other_hlc, \
    other_device, resolution";

fn map(r: &rusqlite::Row<'_>) -> rusqlite::Result<Conflict> {
    let value = |i: usize| -> rusqlite::Result<Json> {
        let s: String = r.get(i)?;
        Ok(serde_json::from_str(&s).unwrap_or(Json::String(s)))
    };
    let side = |v: usize, h: usize, d: usize| -> rusqlite::Result<ConflictValue> {
        Ok(ConflictValue {
            value: value(v)?,
            at: Hlc(r.get(h)?).timestamp(),
            device: r.get(d)?,
            device_name: String::new(),
        })
    };
    Ok(Conflict {
        id: r.get(0)?,
        entity: r.get(1)?,
        row_id: r.get(2)?,
        field: r.get(3)?,
        kept: side(4, 5, 6)?,
        other: side(7, 8, 9)?,
        resolution: Side::parse(&r.get::<_, String>(10)?),
        record: None,
    })
}

impl Reader<'_> {
    /// Conflicts, newest first; only the open ones unless `all`.
    pub fn conflicts(&self, all: bool) -> Result<Vec<Conflict>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM conflicts WHERE deleted = 0 AND (?1 OR resolution = '') ORDER BY kept_hlc DESC, id"
        ))?;
        let mut list = st.query_map([all], map)?.collect::<rusqlite::Result<Vec<_>>>()?;
        for c in &mut list {
            c.record = self.record_label(&c.entity, &c.row_id)?;
        }
        Ok(list)
    }

    pub fn conflict(&self, id: &str) -> Result<Conflict> {
        let mut c = self
            .conn
            .prepare_cached(&format!("SELECT {COLS} FROM conflicts WHERE id = ?1 AND deleted = 0"))?
            .query_row([id.trim()], map)
            .optional()?
            .ok_or_else(|| Error::not_found("conflict", id))?;
        c.record = self.record_label(&c.entity, &c.row_id)?;
        Ok(c)
    }

    /// The client's name for a client or a record that belongs to one.
    fn record_label(&self, entity: &str, row_id: &str) -> Result<Option<String>> {
        let Some((_, table, _)) = super::replicate::table_of(entity) else { return Ok(None) };
        let client_id: Option<String> = if table == "clients" {
            Some(row_id.to_string())
        } else if TableInfo::load(self.conn, entity)?.columns.iter().any(|c| c == "client_id") {
            self.conn
                .prepare_cached(&format!("SELECT client_id FROM {table} WHERE id = ?1"))?
                .query_row([row_id], |r| r.get(0))
                .optional()?
        } else {
            None
        };
        let Some(client_id) = client_id else { return Ok(None) };
        Ok(self
            .conn
            .prepare_cached("SELECT trim(given_name || ' ' || family_name) FROM clients WHERE id = ?1")?
            .query_row([client_id], |r| r.get(0))
            .optional()?)
    }
}

impl Tx<'_> {
    /// Records a conflict found by a merge; `false` when this computer knew it already.
    pub(super) fn record_conflict(&mut self, entity: &str, row_id: &str, f: &Found) -> Result<bool> {
        let id = conflict_id(entity, row_id, f);
        let Stamp(kept_hlc, kept_device) = &f.kept.0;
        let Stamp(other_hlc, other_device) = &f.other.0;
        // Every column is a function of the collision, so both finders write the same row.
        let n = self
            .conn()
            .prepare_cached(
                "INSERT INTO conflicts(id, entity, row_id, field, kept_value, kept_hlc, kept_device, other_value,
                   other_hlc, other_device, created_hlc, updated_hlc, device)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?6, ?6, ?7) ON CONFLICT(id) DO NOTHING",
            )?
            .execute(params![
                id,
                entity,
                row_id,
                f.field,
                f.kept.1.to_string(),
                kept_hlc,
                kept_device,
                f.other.1.to_string(),
                other_hlc,
                other_device
            ])?;
        if n == 1 {
            let hlc = self.stamp();
            self.journal(hlc, "conflict", &id, "create")?;
        }
        Ok(n == 1)
    }

    /// Takes one side of a conflict: the field gets that value as a new change of this
    /// computer (so it wins everywhere), and the conflict is marked resolved. Both journaled.
    pub fn resolve_conflict(&mut self, id: &str, side: Side) -> Result<()> {
        let c = self.read().conflict(id)?;
        let info = TableInfo::load(self.conn(), &c.entity)?;
        if !(info.is_data(&c.field) || c.field == "deleted") {
            return Err(Error::DatabaseCorrupt { detail: "a conflict names a field this record does not have".into() });
        }
        let value = match side {
            Side::Kept => &c.kept.value,
            Side::Other => &c.other.value,
        };
        let current: Option<Json> = self
            .conn()
            .prepare_cached(&format!("SELECT {} FROM {} WHERE id = ?1", c.field, info.table))?
            .query_row([&c.row_id], |r| Ok(to_json(r.get_ref(0)?)))
            .optional()?;
        let Some(current) = current else {
            return Err(Error::not_found(info.entity, &c.row_id));
        };
        if current != *value {
            let hlc = self.stamp();
            let sql =
                format!("UPDATE {} SET {} = ?1, updated_hlc = ?2, device = ?3 WHERE id = ?4", info.table, c.field);
            self.conn().prepare_cached(&sql)?.execute(params![from_json(value)?, hlc.0, self.device, c.row_id])?;
            if info.table == "clients" {
                self.refresh_sort_key(&c.row_id)?;
            }
            self.journal(hlc, info.entity, &c.row_id, "resolve")?;
        }
        let hlc = self.stamp();
        self.conn()
            .prepare_cached("UPDATE conflicts SET resolution = ?2, updated_hlc = ?3, device = ?4 WHERE id = ?1")?
            .execute(params![c.id, side.as_str(), hlc.0, self.device])?;
        self.journal(hlc, "conflict", &c.id, "resolve")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_collision_gets_the_same_time_ordered_id_everywhere() {
        let f = |kept: i64| Found {
            field: "phone".into(),
            kept: (Stamp(kept, "B".into()), Json::from("2")),
            other: (Stamp(5 << 16, "A".into()), Json::from("1")),
        };
        let a = conflict_id("client", "c1", &f(9 << 16));
        assert_eq!(a, conflict_id("client", "c1", &f(9 << 16)));
        assert_ne!(a, conflict_id("client", "c1", &f(10 << 16)));
        let u = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(u.get_version_num(), 7);
    }
}
