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

/// The stamps of one row as they are stored and travel: a column not in `f` carries `base`;
/// `updated_hlc` is never listed (its stamp is the row's own `updated_hlc` and `device`), and
/// `seen` lists what `base` and the row's own stamp do not already say.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowStamps {
    pub base: Stamp,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub f: BTreeMap<String, Stamp>,
    /// Per computer, the newest of its changes that this version of the row includes (where
    /// `base` and the row's own stamp do not already say so).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub seen: BTreeMap<String, i64>,
}

/// The stamps of one row as a merge works with them: every column's stamp (including
/// `updated_hlc`'s) and everything the row has seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldStamps {
    base: Stamp,
    f: BTreeMap<String, Stamp>,
    seen: BTreeMap<String, i64>,
}

impl FieldStamps {
    /// From the stored form (none: every field carries the row's own stamp — a row never changed
    /// since it was made, one from a schema-3 vault, or one of a format-1 segment) and the row's
    /// own `(updated_hlc, device)`.
    pub fn expand(stored: Option<&RowStamps>, updated: Stamp) -> FieldStamps {
        let mut st = match stored {
            Some(r) => FieldStamps { base: r.base.clone(), f: r.f.clone(), seen: r.seen.clone() },
            None => FieldStamps { base: updated.clone(), f: BTreeMap::new(), seen: BTreeMap::new() },
        };
        if updated != st.base {
            st.f.insert(UPDATED.into(), updated);
        } else {
            st.f.remove(UPDATED);
        }
        let implied: Vec<Stamp> = st.f.values().chain(std::iter::once(&st.base)).cloned().collect();
        for s in implied {
            st.see(&s);
        }
        st
    }

    pub fn of(&self, column: &str) -> &Stamp {
        self.f.get(column).unwrap_or(&self.base)
    }

    pub fn set(&mut self, column: &str, s: Stamp) {
        self.see(&s);
        self.f.insert(column.to_string(), s);
    }

    fn see(&mut self, s: &Stamp) {
        let e = self.seen.entry(s.1.clone()).or_insert(s.0);
        *e = (*e).max(s.0);
    }

    /// Whether this version of the row includes that change (then a different value on the other
    /// side is newer or older, not concurrent).
    pub fn saw(&self, s: &Stamp) -> bool {
        self.seen.get(&s.1).is_some_and(|h| *h >= s.0)
    }

    pub fn see_all(&mut self, other: &FieldStamps) {
        for (d, h) in &other.seen {
            let e = self.seen.entry(d.clone()).or_insert(*h);
            *e = (*e).max(*h);
        }
    }

    /// The stored form, the same on two computers holding the same stamps: `base` is the oldest
    /// stamp of the given columns, `f` lists the others. `None` when every column carries the
    /// row's own stamp and nothing else was seen.
    pub fn compact<'a>(&self, columns: impl Iterator<Item = &'a str> + Clone) -> Option<RowStamps> {
        let columns = columns.filter(|c| *c != UPDATED);
        let updated = self.of(UPDATED).clone();
        let base = columns.clone().map(|c| self.of(c)).min().cloned().unwrap_or_else(|| updated.clone());
        let f: BTreeMap<String, Stamp> =
            columns.filter(|c| *self.of(c) != base).map(|c| (c.to_string(), self.of(c).clone())).collect();
        // `base` and the row's own stamp say what they say; a field's stamp may be overwritten
        // by a later change, so what it said about its computer is kept in `seen`. (The triggers
        // keep `seen` for the row stamp they overwrite.)
        let implied = |d: &str, h: i64| (d == base.1 && h <= base.0) || (d == updated.1 && h <= updated.0);
        let seen: BTreeMap<String, i64> =
            self.seen.iter().filter(|(d, h)| !implied(d, **h)).map(|(d, h)| (d.clone(), *h)).collect();
        if f.is_empty() && seen.is_empty() && base == updated {
            return None;
        }
        Some(RowStamps { base, f, seen })
    }
}

/// The column whose stamp is the row's own: `(updated_hlc, device)`.
const UPDATED: &str = "updated_hlc";

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
            let json =
                serde_json::to_string(st).expect("stamps are integers and strings: serde_json cannot fail on them");
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
        for c in info.stamped.iter().filter(|c| *c != UPDATED) {
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
                         'f', json_object()))
                 ON CONFLICT(entity, row_id) DO NOTHING;
               UPDATE main.row_stamps SET stamps = json_remove(json_set(
                   json_insert(stamps, '$.f', json_object(), '$.seen', json_object()),
                   CASE WHEN json_extract(stamps, '$.base[0]') = old.updated_hlc
                         AND json_extract(stamps, '$.base[1]') = old.device THEN '$.\"-\"'
                        ELSE '$.seen.\"' || old.device || '\"' END, old.updated_hlc{sets}), '$.\"-\"')
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

    const COLS: [&str; 4] = ["city", "name", "phone", "updated_hlc"];

    #[test]
    fn the_stored_form_is_the_same_whatever_base_it_was_written_with() {
        let a = RowStamps { base: s(5, "A"), f: BTreeMap::from([("phone".into(), s(9, "B"))]), seen: BTreeMap::new() };
        let b = RowStamps {
            base: s(9, "B"),
            f: BTreeMap::from([("city".into(), s(5, "A")), ("name".into(), s(5, "A"))]),
            seen: BTreeMap::new(),
        };
        let (a, b) = (FieldStamps::expand(Some(&a), s(9, "B")), FieldStamps::expand(Some(&b), s(9, "B")));
        for c in COLS {
            assert_eq!(a.of(c), b.of(c), "{c}");
        }
        assert_eq!(a.compact(COLS.iter().copied()), b.compact(COLS.iter().copied()));
        let stored = a.compact(COLS.iter().copied()).unwrap();
        assert_eq!((stored.base, stored.f.len(), stored.seen.len()), (s(5, "A"), 1, 0));
        assert_eq!(FieldStamps::expand(None, s(3, "A")).compact(COLS.iter().copied()), None);
    }

    #[test]
    fn seen_tells_a_later_change_from_a_concurrent_one() {
        let mut mine = FieldStamps::expand(None, s(10, "A"));
        assert!(mine.saw(&s(10, "A")) && !mine.saw(&s(11, "A")) && !mine.saw(&s(1, "B")));
        mine.see_all(&FieldStamps::expand(None, s(7, "B")));
        assert!(mine.saw(&s(7, "B")) && mine.saw(&s(10, "A")));
        // What the stamps do not show is kept: B's change at 7 was overwritten by A at 12.
        mine.set("city", s(12, "A"));
        mine.set("updated_hlc", s(12, "A"));
        let stored = mine.compact(COLS.iter().copied()).unwrap();
        assert_eq!(stored.seen, BTreeMap::from([("B".to_string(), 7)]));
        assert!(FieldStamps::expand(Some(&stored), s(12, "A")).saw(&s(7, "B")));
    }

    /// What the stamps cost in the working copy of a ten-year practice (the figure in
    /// docs/ARCHITECTURE.md): `cargo test --release --lib stamps_on_a_demo_practice -- --ignored --nocapture`.
    #[test]
    #[ignore]
    #[cfg(feature = "tools")]
    fn stamps_on_a_demo_practice() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = crate::vault::test_vault(dir.path());
        let demo = crate::demo::DemoOptions { clients: 150, sessions: 12_000, years: 10, seed: 1 };
        crate::demo::generate(&mut v, &demo, |_| {}).unwrap();
        let page_bytes = |v: &crate::vault::Vault| -> i64 {
            v.store().conn.query_row("PRAGMA page_count", [], |r| r.get::<_, i64>(0)).unwrap() * 4096
        };
        v.store().checkpoint().unwrap();
        let before = page_bytes(&v);
        // The worst case of a busy practice: every client's address and every appointment's
        // state changed once after it was made.
        let (clients, _) =
            v.records().clients(&crate::store::ClientQuery { limit: 1000, ..Default::default() }).unwrap();
        for c in &clients {
            let mut input = v.records().client(c.id).unwrap().data;
            input.street = "Neubaugasse 7".into();
            v.records_mut().update_client(c.id, input).unwrap();
        }
        let all =
            v.records().appointments_between(jiff::civil::date(2000, 1, 1), jiff::civil::date(2100, 1, 1)).unwrap();
        v.store_mut()
            .write(|tx| {
                all.iter().try_for_each(|a| {
                    tx.set_appointment_status(a.id, crate::domain::appointment::AppointmentStatus::NoShow)
                })
            })
            .unwrap();
        v.store().checkpoint().unwrap();
        println!("before the changes: database {before} bytes; after: {} bytes", page_bytes(&v));
        v.store().checkpoint().unwrap();
        let conn = &v.store().conn;
        let (rows, bytes): (i64, i64) = conn
            .query_row("SELECT count(*), coalesce(sum(length(stamps)), 0) FROM row_stamps", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
        println!("row_stamps: {rows} entries, {bytes} bytes of JSON; database {} bytes", pages * 4096);
    }
}
