//! Rows and segments from a newer Tresor that this version cannot represent: kept aside in the
//! encrypted working copy — not applied, not lost, blocking nothing — and tried again once this
//! computer runs a newer schema (the update that understands them).

use std::collections::BTreeMap;

use rusqlite::params;
use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::hlc::Hlc;

use super::migrate::SCHEMA_VERSION;
use super::replicate::{MergeCounts, RowImage};
use super::{Reader, Tx};

/// What is kept aside, for the status view (the row itself stays in the database).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct KeptAside {
    /// The computer whose segment brought it.
    pub source: String,
    /// The kind of record (`client`, …), or empty for a whole segment of a newer format.
    pub entity: String,
    pub row_id: String,
    /// Why: `unknown_value:<column>`, `unknown_record_kind`, `newer_fields`, `waits_for:<kind>`,
    /// `constraint`, `malformed`, `segment_format:<n>`.
    pub reason: String,
    pub at: jiff::Timestamp,
}

/// Something kept aside, taken out to be tried again.
pub struct Retry {
    pub source: String,
    pub entity: String,
    pub row_id: String,
    pub image: String,
}

fn digest(entity: &str, row_id: &str, image: &str) -> String {
    let mut h = Sha256::new();
    for part in [entity, row_id, image] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    data_encoding::HEXLOWER.encode(&h.finalize())
}

impl Reader<'_> {
    pub fn kept_aside(&self) -> Result<Vec<KeptAside>> {
        let mut st = self.conn.prepare_cached(
            "SELECT source, entity, row_id, reason, kept_hlc FROM kept_aside ORDER BY kept_hlc, digest",
        )?;
        let rows = st.query_map([], |r| {
            Ok(KeptAside {
                source: r.get(0)?,
                entity: r.get(1)?,
                row_id: r.get(2)?,
                reason: r.get(3)?,
                at: Hlc(r.get(4)?).timestamp(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether something was kept aside by an older schema than this one: worth another try.
    pub fn kept_aside_due(&self) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM kept_aside WHERE schema < ?1)")?
            .query_row([SCHEMA_VERSION], |r| r.get(0))?)
    }
}

impl Tx<'_> {
    /// Keeps a row aside; `false` when the same image was kept already.
    pub(super) fn keep_aside(&mut self, source: &str, img: &RowImage, reason: &str) -> Result<bool> {
        let image = serde_json::to_string(img)
            .expect("a row image is JSON values in maps with string keys: serde_json cannot fail on it");
        self.keep_aside_raw(source, &img.entity, &img.id, &image, reason)
    }

    /// Keeps anything aside: a row image, or a whole segment's plaintext (entity empty).
    pub fn keep_aside_raw(
        &mut self,
        source: &str,
        entity: &str,
        row_id: &str,
        image: &str,
        reason: &str,
    ) -> Result<bool> {
        let key = digest(entity, row_id, image);
        let again = self
            .conn()
            .prepare_cached("UPDATE kept_aside SET reason = ?2, schema = ?3 WHERE digest = ?1")?
            .execute(params![key, reason, SCHEMA_VERSION])?;
        if again > 0 {
            return Ok(false);
        }
        let hlc = self.clock.tick();
        self.conn()
            .prepare_cached(
                "INSERT INTO kept_aside(digest, source, entity, row_id, image, reason, schema, kept_hlc)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![key, source, entity, row_id, image, reason, SCHEMA_VERSION, hlc.0])?;
        Ok(true)
    }

    pub(super) fn any_kept_aside(&self) -> Result<bool> {
        Ok(self.conn().prepare_cached("SELECT EXISTS (SELECT 1 FROM kept_aside)")?.query_row([], |r| r.get(0))?)
    }

    pub(super) fn is_kept_aside(&self, entity: &str, row_id: &str) -> Result<bool> {
        Ok(self
            .conn()
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM kept_aside WHERE entity = ?1 AND row_id = ?2)")?
            .query_row([entity, row_id], |r| r.get(0))?)
    }

    /// Takes out what an older schema kept aside, for another try; what still does not fit is
    /// kept aside again under this schema.
    pub fn take_kept_aside_due(&mut self) -> Result<Vec<Retry>> {
        let mut st = self.conn().prepare_cached(
            "SELECT source, entity, row_id, image FROM kept_aside WHERE schema < ?1 ORDER BY kept_hlc, digest",
        )?;
        let due = st
            .query_map([SCHEMA_VERSION], |r| {
                Ok(Retry { source: r.get(0)?, entity: r.get(1)?, row_id: r.get(2)?, image: r.get(3)? })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(st);
        self.conn().prepare_cached("DELETE FROM kept_aside WHERE schema < ?1")?.execute([SCHEMA_VERSION])?;
        Ok(due)
    }

    /// What could not be applied after an update waits for the next one.
    pub fn postpone_kept_aside(&mut self) -> Result<()> {
        self.conn().prepare_cached("UPDATE kept_aside SET schema = ?1 WHERE schema < ?1")?.execute([SCHEMA_VERSION])?;
        Ok(())
    }

    /// Tries kept-aside rows again (grouped by the computer that sent them).
    pub fn retry_rows(&mut self, rows: Vec<Retry>) -> Result<MergeCounts> {
        let mut by_source: BTreeMap<String, Vec<RowImage>> = BTreeMap::new();
        let mut total = MergeCounts::default();
        for r in rows {
            match serde_json::from_str::<RowImage>(&r.image) {
                Ok(img) => by_source.entry(r.source).or_default().push(img),
                Err(_) => {
                    total.kept_aside +=
                        self.keep_aside_raw(&r.source, &r.entity, &r.row_id, &r.image, "malformed")? as u32
                }
            }
        }
        for (source, rows) in by_source {
            let c = self.apply_rows(&source, &rows)?;
            total.changed += c.changed;
            total.refused += c.refused;
            total.conflicts += c.conflicts;
            total.kept_aside += c.kept_aside;
        }
        Ok(total)
    }
}

#[cfg(test)]
impl Tx<'_> {
    /// As if everything kept aside had been kept by an older version (the tests' "update").
    pub(crate) fn kept_aside_as_if_by_schema(&mut self, schema: i64) -> Result<()> {
        self.conn().prepare_cached("UPDATE kept_aside SET schema = ?1")?.execute([schema])?;
        Ok(())
    }
}
