//! Numbered, forward-only migrations. `PRAGMA user_version` holds the schema version; each
//! migration runs in its own transaction together with the version bump.

use rusqlite::Connection;

use crate::error::{Error, Result};

const MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("migrations/0001_initial.sql"))];

pub const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

pub fn version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

pub fn check_version(conn: &Connection) -> Result<i64> {
    let v = version(conn)?;
    if v > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew { found: v, known: SCHEMA_VERSION });
    }
    Ok(v)
}

pub fn migrate(conn: &Connection) -> Result<()> {
    let current = check_version(conn)?;
    for &(v, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        conn.execute_batch(&format!("BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {v};\nCOMMIT;"))
            .inspect_err(|_| {
                let _ = conn.execute_batch("ROLLBACK");
            })?;
    }
    Ok(())
}

/// The SQL of every migration up to and including `version`, for fixtures in tests.
pub fn migrations_up_to(version: i64) -> impl Iterator<Item = (i64, &'static str)> {
    MIGRATIONS.iter().copied().filter(move |(v, _)| *v <= version)
}
