//! Per-field stamps of replicated rows: which change (hybrid-logical-clock stamp and computer)
//! each field holds, and which changes of each computer the row has seen. They let two computers
//! that changed different fields of one record both keep their change, and tell a concurrent
//! change of the same field (a conflict) from a later one.
//!
//! Stored in `row_stamps` only for rows whose fields no longer share one stamp; local writes keep
//! it up to date through temporary triggers made at open from the tables' own columns, so no
//! write path has to remember it and a new column is stamped without further code.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

use super::replicate::{Merge, TableInfo, REPLICATED};

/// One change: its stamp and the computer that made it. Ordered by stamp, then computer, so
/// every computer picks the same winner.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Stamp(pub i64, pub String);

impl Stamp {
    pub fn hlc(&self) -> i64 {
        self.0
    }
    pub fn device(&self) -> &str {
        &self.1
    }
}

/// The stamps of one row. A column not in `f` carries `base`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowStamps {
    pub base: Stamp,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub f: BTreeMap<String, Stamp>,
    /// Per computer, the newest of its changes that this version of the row includes.
    #[serde(default)]
    pub seen: BTreeMap<String, i64>,
}

impl RowStamps {
    /// A row whose fields all carry its own stamp: a row never changed since it was made, one
    /// from a schema-3 vault, or one that arrived in a version-1 segment.
    pub fn implicit(updated_hlc: i64, device: &str) -> RowStamps {
        RowStamps {
            base: Stamp(updated_hlc, device.to_string()),
            f: BTreeMap::new(),
            seen: BTreeMap::from([(device.to_string(), updated_hlc)]),
        }
    }

    pub fn of(&self, column: &str) -> &Stamp {
        self.f.get(column).unwrap_or(&self.base)
    }

    /// Whether this version of the row includes that change (then a different value on the other
    /// side is newer or older, not concurrent).
    pub fn saw(&self, s: &Stamp) -> bool {
        self.seen.get(&s.1).is_some_and(|h| *h >= s.0)
    }

    pub fn see_all(&mut self, other: &RowStamps) {
        for (d, h) in &other.seen {
            let e = self.seen.entry(d.clone()).or_insert(*h);
            *e = (*e).max(*h);
        }
    }

    /// The one form two computers holding the same stamps agree on: `base` is the oldest stamp of
    /// the given columns, `f` lists the others.
    pub fn normalized<'a>(&self, columns: impl Iterator<Item = &'a str> + Clone) -> RowStamps {
        let base = columns.clone().map(|c| self.of(c)).min().cloned().unwrap_or_else(|| self.base.clone());
        let f = columns.filter(|c| *self.of(c) != base).map(|c| (c.to_string(), self.of(c).clone())).collect();
        RowStamps { base, f, seen: self.seen.clone() }
    }

    /// Whether these are exactly the stamps a row without an entry has.
    pub fn is_implicit(&self, updated_hlc: i64, device: &str) -> bool {
        self.f.is_empty()
            && self.base.0 == updated_hlc
            && self.base.1 == device
            && self.seen.len() == 1
            && self.seen.get(device) == Some(&updated_hlc)
    }

    /// The greatest stamp of any column: the row's `updated_hlc` and `device`.
    pub fn newest(&self) -> &Stamp {
        self.f.values().chain(std::iter::once(&self.base)).max().unwrap_or(&self.base)
    }
}

pub(super) fn read(conn: &Connection, entity: &str, id: &str) -> Result<Option<RowStamps>> {
    let json: Option<String> = conn
        .prepare_cached("SELECT stamps FROM row_stamps WHERE entity = ?1 AND row_id = ?2")?
        .query_row([entity, id], |r| r.get(0))
        .optional()?;
    // An entry this version cannot read is treated as absent: every field then carries the
    // row's own stamp, which is what an older computer assumes too.
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

/// Stores a row's stamps, or removes the entry when they are the implicit ones.
pub(super) fn write(conn: &Connection, entity: &str, id: &str, st: Option<&RowStamps>) -> Result<()> {
    match st {
        Some(st) => {
            let json = serde_json::to_string(st).unwrap_or_default();
            conn.prepare_cached(
                "INSERT INTO row_stamps(entity, row_id, stamps) VALUES (?1, ?2, ?3)
                 ON CONFLICT(entity, row_id) DO UPDATE SET stamps = excluded.stamps",
            )?
            .execute([entity, id, &json])?;
        }
        None => {
            conn.prepare_cached("DELETE FROM row_stamps WHERE entity = ?1 AND row_id = ?2")?.execute([entity, id])?;
        }
    }
    Ok(())
}

/// A temporary table whose one row says "a merge is writing": the stamp triggers stand aside,
/// as a merge writes the stamps it decided itself.
const MERGING_TABLE: &str = "CREATE TEMP TABLE IF NOT EXISTS tresor_merging(x INTEGER)";

/// Creates the triggers that stamp each changed field of a local write (temporary: they live in
/// this connection only, so the file stays plain SQLCipher and a new column needs no migration
/// of them). A write that moves `updated_hlc` forward stamps the columns it changed with it.
pub(super) fn install_triggers(conn: &Connection) -> Result<()> {
    conn.execute_batch(MERGING_TABLE)?;
    for (entity, table, merge) in REPLICATED {
        if *merge == Merge::AppendOnly {
            continue;
        }
        let info = TableInfo::load(conn, entity)?;
        let mut sets = String::new();
        for c in &info.stamped {
            sets.push_str(&format!(
                ",\n      CASE WHEN old.{c} IS NOT new.{c} THEN '$.f.{c}' ELSE '$.\"-\"' END, \
                 json_array(new.updated_hlc, new.device)"
            ));
        }
        let sql = format!(
            "DROP TRIGGER IF EXISTS temp.tresor_stamps_{table};
             CREATE TEMP TRIGGER tresor_stamps_{table} AFTER UPDATE ON main.{table}
             WHEN new.updated_hlc > old.updated_hlc AND NOT EXISTS (SELECT 1 FROM temp.tresor_merging)
             BEGIN
               INSERT INTO main.row_stamps(entity, row_id, stamps)
                 VALUES ('{entity}', new.id, json_object('base', json_array(old.updated_hlc, old.device),
                         'f', json_object(), 'seen', json_object(old.device, old.updated_hlc)))
                 ON CONFLICT(entity, row_id) DO NOTHING;
               UPDATE main.row_stamps SET stamps = json_remove(json_set(stamps,
                   '$.seen.\"' || new.device || '\"', new.updated_hlc{sets}), '$.\"-\"')
                 WHERE entity = '{entity}' AND row_id = new.id;
             END;"
        );
        conn.execute_batch(&sql)?;
    }
    Ok(())
}

/// Turns the stamping of local writes off while a merge writes (it sets the stamps it decided
/// itself) and on again. Inside the merge's transaction, so a rollback also turns it back on.
pub(super) fn merging(conn: &Connection, on: bool) -> Result<()> {
    if on {
        conn.execute_batch(MERGING_TABLE)?;
        conn.prepare_cached("INSERT INTO temp.tresor_merging(x) VALUES (1)")?.execute([])?;
    } else {
        conn.prepare_cached("DELETE FROM temp.tresor_merging")?.execute([])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(h: i64, d: &str) -> Stamp {
        Stamp(h, d.into())
    }

    #[test]
    fn normalized_stamps_are_the_same_whatever_base_they_were_written_with() {
        let mut a = RowStamps::implicit(5, "A");
        a.f.insert("phone".into(), s(9, "B"));
        let mut b = RowStamps::implicit(9, "B");
        b.f.insert("city".into(), s(5, "A"));
        b.f.insert("name".into(), s(5, "A"));
        b.seen = a.seen.clone();
        let cols = ["city", "name", "phone"];
        assert_eq!(a.normalized(cols.iter().copied()), b.normalized(cols.iter().copied()));
        assert_eq!(a.newest(), &s(9, "B"));
        assert!(RowStamps::implicit(3, "A").is_implicit(3, "A"));
        assert!(!a.is_implicit(5, "A"));
    }

    #[test]
    fn seen_tells_a_later_change_from_a_concurrent_one() {
        let mut mine = RowStamps::implicit(10, "A");
        assert!(mine.saw(&s(10, "A")) && !mine.saw(&s(11, "A")) && !mine.saw(&s(1, "B")));
        mine.see_all(&RowStamps::implicit(7, "B"));
        assert!(mine.saw(&s(7, "B")) && mine.saw(&s(10, "A")));
    }
}
