//! Numbered, forward-only migrations. `PRAGMA user_version` holds the schema version; each
//! migration runs in its own transaction together with the version bump.

use rusqlite::{Connection, OptionalExtension};

use crate::error::{Error, Result};

const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_initial.sql")),
    (2, include_str!("migrations/0002_billing.sql")),
    (3, include_str!("migrations/0003_logo_series_index.sql")),
    (4, include_str!("migrations/0004_field_merge.sql")),
    (5, include_str!("migrations/0005_fees_recipients.sql")),
    (6, include_str!("migrations/0006_issued_documents.sql")),
    (7, include_str!("migrations/0007_document_recipes.sql")),
    (8, include_str!("migrations/0008_retention.sql")),
    (9, include_str!("migrations/0009_attachments.sql")),
    (10, include_str!("migrations/0010_billing_texts.sql")),
    (11, include_str!("migrations/0011_contingent.sql")),
    (12, include_str!("migrations/0012_tax_adviser.sql")),
    (13, include_str!("migrations/0013_working_hours.sql")),
    (14, include_str!("migrations/0014_invoice_list_index.sql")),
];

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

/// Foreign keys are off while a migration runs (SQLite's way to rebuild a table that others
/// refer to) and checked before it commits: a migration that breaks one is rolled back.
pub fn migrate(conn: &Connection) -> Result<()> {
    let current = check_version(conn)?;
    if current >= SCHEMA_VERSION {
        return Ok(());
    }
    conn.execute_batch("PRAGMA foreign_keys = OFF")?;
    let result = MIGRATIONS.iter().filter(|(v, _)| *v > current).try_for_each(|&(v, sql)| run_one(conn, v, sql));
    conn.execute_batch("PRAGMA foreign_keys = ON")?;
    result
}

fn run_one(conn: &Connection, v: i64, sql: &str) -> Result<()> {
    let attempt = || -> Result<()> {
        conn.execute_batch(&format!("BEGIN IMMEDIATE;\n{sql}"))?;
        let broken: Option<String> = conn.query_row("PRAGMA foreign_key_check", [], |r| r.get(0)).optional()?;
        if let Some(table) = broken {
            return Err(Error::DatabaseCorrupt { detail: format!("migration {v} left a broken reference in {table}") });
        }
        conn.execute_batch(&format!("PRAGMA user_version = {v};\nCOMMIT;"))?;
        Ok(())
    };
    attempt().inspect_err(|_| {
        let _ = conn.execute_batch("ROLLBACK");
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::DataKey;
    use crate::domain::ids::{ClientId, SessionId};
    use crate::store::{OpenMode, Store};

    /// Data as each earlier schema stored it. A new migration needs a fixture of the schema
    /// before it, or this table (and the test) says so.
    const FIXTURES: &[(i64, &str)] = &[
        (1, include_str!("migrations/fixtures/schema-0001.sql")),
        (2, include_str!("migrations/fixtures/schema-0002.sql")),
        (3, include_str!("migrations/fixtures/schema-0003.sql")),
        (4, include_str!("migrations/fixtures/schema-0004.sql")),
        (5, include_str!("migrations/fixtures/schema-0005.sql")),
        (6, include_str!("migrations/fixtures/schema-0006.sql")),
        (7, include_str!("migrations/fixtures/schema-0007.sql")),
        (8, include_str!("migrations/fixtures/schema-0008.sql")),
        (9, include_str!("migrations/fixtures/schema-0009.sql")),
        (10, include_str!("migrations/fixtures/schema-0010.sql")),
        (11, include_str!("migrations/fixtures/schema-0011.sql")),
        (12, include_str!("migrations/fixtures/schema-0012.sql")),
        (13, include_str!("migrations/fixtures/schema-0013.sql")),
    ];

    /// Builds an encrypted database at `version` with that version's fixture rows.
    fn database_at(path: &std::path::Path, key: &DataKey, version: i64) -> Connection {
        let conn = crate::store::open::connect(path, key, OpenMode::CreateWorking).unwrap();
        for &(v, sql) in MIGRATIONS.iter().filter(|(v, _)| *v <= version) {
            conn.execute_batch(&format!("BEGIN; {sql}\nPRAGMA user_version = {v}; COMMIT;")).unwrap();
        }
        // Each version's rows on top of the earlier ones', as a database that lived through them
        // would hold them.
        for (_, data) in FIXTURES.iter().filter(|(v, _)| *v <= version) {
            conn.execute_batch(data).unwrap();
        }
        conn
    }

    #[test]
    fn every_earlier_schema_migrates_to_the_current_one() {
        for v in MIGRATIONS.iter().map(|(v, _)| *v).filter(|v| *v < SCHEMA_VERSION) {
            assert!(FIXTURES.iter().any(|(f, _)| *f == v), "no fixture for schema {v}");
        }
        // Every version that exists (the numbers may skip one that another branch holds).
        for from in std::iter::once(0).chain(MIGRATIONS.iter().map(|(v, _)| *v)) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("db");
            let key = DataKey::generate().unwrap();
            drop(database_at(&path, &key, from));
            let store = Store::open(&path, &key, OpenMode::Working, "dev-2").unwrap();
            assert_eq!(version(&store.conn).unwrap(), SCHEMA_VERSION, "from {from}");
            store.check_integrity().unwrap();
            if FIXTURES.iter().any(|(f, _)| *f == from) {
                let r = store.read();
                let c: ClientId = "01890000-0000-7000-8000-000000000001".parse().unwrap();
                assert_eq!(r.client(c).unwrap().data.family_name, "Müller", "from {from}");
                let s: SessionId = "01890000-0000-7000-8000-000000000004".parse().unwrap();
                assert_eq!(r.session(s).unwrap().note, "Erstgespräch über Prüfungsangst");
                assert_eq!(r.search_sessions("prüfungsangst", 5).unwrap().0.len(), 1, "from {from}");
            }
            // What follows reads the fixtures' rows: only a version with a fixture has them.
            let fixture = FIXTURES.iter().any(|(f, _)| *f == from);
            if fixture && from >= 3 {
                let logo = store.read().logo().unwrap().map(|png| crate::domain::logo::Logo::from_png(&png).unwrap());
                assert_eq!(logo.map(|l| (l.width, l.height, l.pixels[0])), Some((2, 2, 200)), "from {from}");
            }
            if FIXTURES.iter().any(|(f, _)| *f == from) {
                // Schema 4 rebuilt the tables: the full-text triggers and the guards of issued
                // invoices are back, and a status a newer version may add is no CHECK any more.
                assert_eq!(store.read().search("Müller", 5).unwrap().clients.len(), 1, "from {from}");
                let refused = store.conn.execute("UPDATE invoices SET due_date = '2030-01-01'", []);
                assert!(matches!(refused.map_err(Error::from), Err(Error::Immutable { .. }) | Ok(0)), "from {from}");
                store.conn.execute("UPDATE appointments SET status = 'waitlist', kind = 'walk'", []).unwrap();
                let c = "01890000-0000-7000-8000-000000000001";
                let local = store.read().row_image("client", c).unwrap().unwrap();
                let stamps = local.stamps.map(|s| s.f.keys().cloned().collect::<Vec<_>>());
                let expected = (from >= 4).then(|| vec!["city".to_string(), "phone".into()]);
                assert_eq!(stamps, expected, "from {from}");
                assert_eq!(store.read().conflicts(false).unwrap().len(), (from >= 4) as usize, "from {from}");
                assert_eq!(store.read().kept_aside().unwrap().len(), (from >= 4) as usize, "from {from}");
            }
            if fixture && from >= 2 {
                let inv = store.read().invoice_by_number("2025-0001").unwrap();
                assert_eq!(
                    (inv.lines.len(), inv.totals.gross.get(), inv.payments.len(), inv.dunning.len()),
                    (1, 9000, 1, 1)
                );
                assert_eq!(inv.snapshot.map(|s| s.client.insurance_number), Some("1237010180".into()));
                // Schema 5's columns read with their defaults on rows from before them.
                assert_eq!(inv.lines[0].input.fee, crate::domain::service::ServiceFee::default());
                assert_eq!(inv.payer.slot, 0);
            }
            if (1..5).contains(&from) {
                let r = store.read();
                let c = r.client("01890000-0000-7000-8000-000000000001".parse().unwrap()).unwrap();
                assert_eq!(c.data.insurance_kind, crate::domain::client::InsuranceKind::Unspecified, "from {from}");
                assert!(!r.practice().unwrap().small_business);
                let s = r.service("01890000-0000-7000-8000-000000000002".parse().unwrap()).unwrap();
                assert_eq!((s.data.fee.schedule, s.data.retired), (crate::domain::service::FeeSchedule::None, false));
                assert!(r.billing_settings().unwrap().print_diagnosis, "from {from}");
            }
            if from == 6 {
                let r = store.read();
                let kind = crate::store::DocumentKind::Invoice;
                let doc = r.issued_document("01890000-0000-7000-8000-000000000010", kind, "2025-0001").unwrap();
                assert_eq!(doc.map(|d| d.content), Some(b"%PDF-1.7 kept as issued".to_vec()));
                let mut img = r.row_image("issued_document", "01890000-0000-7000-8000-000000000030").unwrap().unwrap();
                assert_eq!(img.cols.get("recipe"), Some(&serde_json::Value::Null));
                crate::store::strip_reproducible(&mut img);
                assert!(img.cols.contains_key("content"), "a document without a recipe travels whole");
            }
            if from == 7 {
                // Schema 10's texts and levels read with their defaults; the stored values stay.
                let s = store.read().billing_settings().unwrap();
                assert_eq!(
                    (s.payment_days, s.dunning_fees[2].get(), s.treatment_method.as_str()),
                    (21, 1200, "Verhaltenstherapie")
                );
                assert_eq!((s.dunning_levels, s.invoice_intro.as_str(), s.dunning_text(1)), (3, "", ""));
                let inv = store.read().invoice_by_number("2025-0001").unwrap();
                assert_eq!(inv.texts, crate::billing::InvoiceTexts::default());
            }
            if fixture {
                // Schema 12's tax adviser reads as none on every earlier practice.
                assert_eq!(store.read().practice().unwrap().tax_adviser, "", "from {from}");
            }
            if fixture {
                // Schema 11's contingent reads as "none recorded" on every earlier client.
                let c = store.read().client("01890000-0000-7000-8000-000000000001".parse().unwrap()).unwrap();
                assert_eq!(c.data.approved_sessions, None, "from {from}");
                // Schema 13's working hours read as the old fixed ones.
                let hours = store.read().practice().unwrap().working_hours;
                assert_eq!(hours, crate::domain::WorkingHours::default(), "from {from}");
            }
            if from >= 5 && fixture {
                let r = store.read();
                let c = r.client("01890000-0000-7000-8000-000000000001".parse().unwrap()).unwrap();
                assert_eq!(c.data.insured_number, "AB12345678");
                assert_eq!(c.data.fee_agreement_date, Some(jiff::civil::date(2025, 11, 1)));
                let s = r.service("01890000-0000-7000-8000-000000000020".parse().unwrap()).unwrap();
                assert_eq!((s.data.fee.number.as_str(), s.data.fee.points, s.data.fee.multiplier.0), ("870", 750, 230));
                let draft = r.invoice("01890000-0000-7000-8000-000000000022".parse().unwrap()).unwrap();
                let l = &draft.lines[0].input;
                assert_eq!(
                    (l.fee.multiplier.0, l.fee_reason.as_str(), l.group_size),
                    (300, "Erhöhter Zeitaufwand", Some(6))
                );
                assert!(r.practice().unwrap().small_business);
            }
        }
    }

    #[test]
    fn a_newer_schema_is_refused_not_downgraded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let key = DataKey::generate().unwrap();
        let conn = database_at(&path, &key, SCHEMA_VERSION);
        conn.execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1)).unwrap();
        drop(conn);
        let err = Store::open(&path, &key, OpenMode::Working, "d").err().unwrap();
        assert!(matches!(err, Error::SchemaTooNew { .. }));
    }
}
