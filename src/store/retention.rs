//! Retention, restriction and erasure in the database: the facts the retention rule needs, the
//! restriction flag, and erasure — every row of a client removed for good (not a tombstone), the
//! full-text index purged, the erasure log. [`CLIENT_DATA`] is the one list of the tables that
//! hold a client's data.

use std::collections::HashSet;

use jiff::civil::Date;
use rusqlite::{params, OptionalExtension};
use serde_json::Value as Json;

use crate::domain::ids::ClientId;
use crate::domain::retention::{RetentionFacts, RetentionPolicy};
use crate::error::{Error, Result};

use super::replicate::RowImage;
use super::rows;
use super::{Reader, Tx};

/// A table that holds a client's data: its journal entity, its table, and the query that finds
/// the ids of one client's rows (`?1` the client's id). Rows of invoices are found only for
/// the invoices the erasure may remove (the `erasing` table, filled per erasure).
pub struct ClientTable {
    pub entity: &'static str,
    pub table: &'static str,
    pub rows: &'static str,
}

/// Every table that holds a client's data, children before their parents (the order rows are
/// removed in). A new table with client data gets a line here and nowhere else.
pub const CLIENT_DATA: &[ClientTable] = &[
    ClientTable {
        entity: "issued_document",
        table: "issued_documents",
        rows: "SELECT d.id FROM issued_documents d JOIN erasing e ON e.invoice_id = d.invoice_id
               JOIN invoices i ON i.id = e.invoice_id WHERE i.client_id = ?1",
    },
    ClientTable {
        entity: "payment",
        table: "payments",
        rows: "SELECT p.id FROM payments p JOIN erasing e ON e.invoice_id = p.invoice_id
               JOIN invoices i ON i.id = e.invoice_id WHERE i.client_id = ?1",
    },
    ClientTable {
        entity: "dunning_letter",
        table: "dunning_letters",
        rows: "SELECT x.id FROM dunning_letters x JOIN erasing e ON e.invoice_id = x.invoice_id
               JOIN invoices i ON i.id = e.invoice_id WHERE i.client_id = ?1",
    },
    ClientTable {
        entity: "write_off",
        table: "write_offs",
        rows: "SELECT x.id FROM write_offs x JOIN erasing e ON e.invoice_id = x.invoice_id
               JOIN invoices i ON i.id = e.invoice_id WHERE i.client_id = ?1",
    },
    ClientTable {
        entity: "invoice_line",
        table: "invoice_lines",
        rows: "SELECT l.id FROM invoice_lines l JOIN erasing e ON e.invoice_id = l.invoice_id
               JOIN invoices i ON i.id = e.invoice_id WHERE i.client_id = ?1",
    },
    // A cancellation refers to the invoice it cancels: it goes first.
    ClientTable {
        entity: "invoice",
        table: "invoices",
        rows: "SELECT i.id FROM invoices i JOIN erasing e ON e.invoice_id = i.id WHERE i.client_id = ?1
               ORDER BY i.cancels IS NULL",
    },
    ClientTable {
        entity: "note_revision",
        table: "note_revisions",
        rows: "SELECT r.id FROM note_revisions r JOIN sessions s ON s.id = r.session_id WHERE s.client_id = ?1",
    },
    // Its encrypted files in the data folder go after the erasure commits (`vault/retention.rs`).
    ClientTable { entity: "attachment", table: "attachments", rows: "SELECT id FROM attachments WHERE client_id = ?1" },
    ClientTable { entity: "session", table: "sessions", rows: "SELECT id FROM sessions WHERE client_id = ?1" },
    ClientTable {
        entity: "appointment",
        table: "appointments",
        rows: "SELECT id FROM appointments WHERE client_id = ?1",
    },
    ClientTable {
        entity: "appointment_series",
        table: "appointment_series",
        rows: "SELECT id FROM appointment_series WHERE client_id = ?1",
    },
    ClientTable {
        entity: "client_billing",
        table: "client_billing",
        rows: "SELECT id FROM client_billing WHERE id = ?1",
    },
    ClientTable { entity: "client", table: "clients", rows: "SELECT id FROM clients WHERE id = ?1" },
];

/// The columns by which a row image refers to a row of another table: an image that names an
/// erased row is of the erased client (see [`touches`]).
const REFERENCES: &[&str] = &["client_id", "session_id", "appointment_id", "series_id", "invoice_id", "row_id"];

/// True when a row image belongs to an erased row or refers to one: such a row arriving from
/// another computer, or still lying in a segment, must not bring the client back.
pub fn touches(img: &RowImage, erased: &HashSet<String>) -> bool {
    if erased.is_empty() || img.entity == ENTITY {
        return false;
    }
    erased.contains(&img.id)
        || REFERENCES.iter().any(|c| img.cols.get(*c).and_then(Json::as_str).is_some_and(|v| erased.contains(v)))
}

pub const ENTITY: &str = "erasure";

/// One entry of the erasure log: what is left of a client after the erasure.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Erasure {
    pub id: String,
    pub client_id: String,
    pub code_name: String,
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub first_session: Option<Date>,
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub last_session: Option<Date>,
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub retention_end: Option<Date>,
    /// Erased before the end of the retention (with the reason given).
    pub early: bool,
    pub reason: String,
    /// UTC, RFC 3339.
    pub erased_at: String,
    /// The computer's name.
    pub erased_by: String,
    /// The client stayed as its code name because invoices are still inside their retention.
    pub pseudonymised: bool,
}

/// What an erasure removed on this computer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removed {
    pub rows: usize,
    /// Rows that stayed because a kept invoice refers to them (their text was cleared).
    pub kept: usize,
}

/// A client as the retention list shows it.
#[derive(Debug, Clone)]
pub struct RetentionRow {
    pub client: ClientId,
    pub name: String,
    pub code_name: String,
    pub restricted: bool,
    pub facts: RetentionFacts,
}

/// A client's retention facts; `{last_invoice}` is the last issue date's expression and `{from}`
/// what it needs, which differ for one client and for all (see the two readers below).
const FACTS: &str =
    "SELECT c.id, trim(c.given_name || ' ' || c.family_name), c.code_name, c.restricted_since IS NOT NULL,
       c.birth_date,
       (SELECT min(date) FROM sessions s WHERE s.client_id = c.id AND s.deleted = 0),
       (SELECT max(date) FROM sessions s WHERE s.client_id = c.id AND s.deleted = 0),
       {last_invoice}
     FROM clients c {from}";

fn facts_of_one() -> String {
    FACTS
        .replace(
            "{last_invoice}",
            "(SELECT max(issue_date) FROM invoices i WHERE i.client_id = c.id AND i.state = 'issued')",
        )
        .replace("{from}", "")
}

/// For every client at once, the issue dates come from one pass over the invoice list's
/// covering index (schema 14; its partial term is written out so the planner may use it): the
/// per-client lookup read each invoice row with its issued document, 1.3 s of Today's first
/// load with 20,200 invoices.
fn facts_of_all() -> String {
    FACTS.replace("{last_invoice}", "li.last").replace(
        "{from}",
        "LEFT JOIN (SELECT client_id, max(issue_date) AS last FROM invoices
                    WHERE deleted = 0 AND state IN ('draft', 'issued') AND state = 'issued'
                    GROUP BY client_id) li ON li.client_id = c.id",
    )
}

fn map_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RetentionRow> {
    Ok(RetentionRow {
        client: rows::parse(r, 0, "client id")?,
        name: r.get(1)?,
        code_name: r.get(2)?,
        restricted: r.get(3)?,
        facts: RetentionFacts {
            birth_date: rows::parse_opt(r, 4, "birth date")?,
            first_session: rows::parse_opt(r, 5, "date")?,
            last_session: rows::parse_opt(r, 6, "date")?,
            last_invoice: rows::parse_opt(r, 7, "issue date")?,
        },
    })
}

fn map_erasure(r: &rusqlite::Row<'_>) -> rusqlite::Result<Erasure> {
    Ok(Erasure {
        id: r.get(0)?,
        client_id: r.get(1)?,
        code_name: r.get(2)?,
        first_session: rows::parse_opt(r, 3, "date")?,
        last_session: rows::parse_opt(r, 4, "date")?,
        retention_end: rows::parse_opt(r, 5, "date")?,
        early: r.get(6)?,
        reason: r.get(7)?,
        erased_at: r.get(8)?,
        erased_by: r.get(9)?,
        pseudonymised: r.get(10)?,
    })
}

const ERASURE_COLS: &str = "id, client_id, code_name, first_session, last_session, retention_end, early, reason, \
    erased_at, erased_by, pseudonymised";

impl Reader<'_> {
    pub fn retention_policy(&self) -> Result<RetentionPolicy> {
        let p = self
            .conn
            .query_row(
                "SELECT retention_years, minors_age FROM practice WHERE deleted = 0 ORDER BY created_hlc LIMIT 1",
                [],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
            )
            .optional()?;
        Ok(p.map_or_else(RetentionPolicy::default, |(y, a)| RetentionPolicy {
            years: u8::try_from(y).unwrap_or(10),
            minors_age: u8::try_from(a).unwrap_or(18),
        }))
    }

    /// One client's retention facts (tombstoned clients too: their records are still kept).
    pub fn retention_row(&self, id: ClientId) -> Result<RetentionRow> {
        self.conn
            .prepare_cached(&format!("{} WHERE c.id = ?1", facts_of_one()))?
            .query_row([id.to_string()], map_row)
            .optional()?
            .ok_or_else(|| Error::not_found(ClientId::ENTITY, id))
    }

    /// Every client with records, erased ones excepted (a pseudonymised client stays listed
    /// until its invoices may go too).
    pub fn retention_rows(&self) -> Result<Vec<RetentionRow>> {
        let sql = format!("{} ORDER BY c.sort_key", facts_of_all());
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map([], map_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether processing of the client is restricted; `NotFound` for no such client.
    pub fn client_restricted(&self, id: ClientId) -> Result<bool> {
        self.conn
            .prepare_cached("SELECT restricted_since IS NOT NULL FROM clients WHERE id = ?1")?
            .query_row([id.to_string()], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::not_found(ClientId::ENTITY, id))
    }

    pub fn restricted_clients(&self) -> Result<HashSet<ClientId>> {
        let mut st = self.conn.prepare_cached("SELECT id FROM clients WHERE restricted_since IS NOT NULL")?;
        let rows = st.query_map([], |r| rows::parse(r, 0, "client id"))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The restricted clients that are not the pseudonymised rest of an erasure: their records
    /// stay out of the lists until the restriction is lifted, while an erased client's kept
    /// invoices (under the code name) must still be listed for the tax office.
    pub fn restricted_not_erased(&self) -> Result<HashSet<ClientId>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id FROM clients c WHERE restricted_since IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM erasures e WHERE e.client_id = c.id)",
        )?;
        let rows = st.query_map([], |r| rows::parse(r, 0, "client id"))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The erasure log, newest first.
    pub fn erasures(&self) -> Result<Vec<Erasure>> {
        let sql = format!("SELECT {ERASURE_COLS} FROM erasures ORDER BY erased_at DESC, id DESC");
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map([], map_erasure)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Erasures that arrived from another computer and are not carried out here yet.
    pub fn pending_erasures(&self) -> Result<Vec<Erasure>> {
        let sql = format!(
            "SELECT {ERASURE_COLS} FROM erasures e WHERE NOT EXISTS (SELECT 1 FROM erased_rows x WHERE x.row_id = e.id)
             ORDER BY created_hlc"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map([], map_erasure)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The ids of every row an erasure removed on this computer (and of each client erased).
    pub fn erased_ids(&self) -> Result<HashSet<String>> {
        let mut st = self.conn.prepare_cached("SELECT row_id FROM erased_rows")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Appointments whose note has outlived its lifetime at `now` (RFC 3339, UTC).
    pub fn expired_notes(&self, now: &str) -> Result<Vec<String>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id FROM appointments WHERE note_expires IS NOT NULL AND note_expires <= ?1 AND note <> ''",
        )?;
        let rows = st.query_map([now], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Tx<'_> {
    pub fn set_retention_policy(&mut self, p: RetentionPolicy) -> Result<()> {
        let hlc = self.stamp();
        let id: Option<String> = self
            .conn()
            .query_row("SELECT id FROM practice WHERE deleted = 0 ORDER BY created_hlc LIMIT 1", [], |r| r.get(0))
            .optional()?;
        let id = id.ok_or_else(|| Error::not_found("practice", ""))?;
        self.conn().execute(
            "UPDATE practice SET retention_years = ?2, minors_age = ?3, updated_hlc = ?4, device = ?5 WHERE id = ?1",
            params![id, p.years, p.minors_age, hlc.0, self.device],
        )?;
        self.journal(hlc, "practice", &id, "update")
    }

    /// Restricts (`since` the instant, RFC 3339) or lifts (`None`) the processing of a client;
    /// journaled as `restrict`/`unrestrict`.
    pub fn set_client_restricted(&mut self, id: ClientId, since: Option<&str>) -> Result<()> {
        let hlc = self.stamp();
        let n = self
            .conn()
            .prepare_cached(
                "UPDATE clients SET restricted_since = ?2, updated_hlc = ?3, device = ?4 WHERE id = ?1 AND deleted = 0",
            )?
            .execute(params![id.to_string(), since, hlc.0, self.device])?;
        if n == 0 {
            return Err(Error::not_found(ClientId::ENTITY, id));
        }
        self.journal(hlc, ClientId::ENTITY, &id.to_string(), if since.is_some() { "restrict" } else { "unrestrict" })
    }

    /// Writes an erasure log entry (journaled; it travels to the other computers, which then
    /// carry out the same erasure).
    pub fn log_erasure(&mut self, e: &Erasure) -> Result<()> {
        let hlc = self.stamp();
        self.conn().execute(
            &format!("INSERT INTO erasures({ERASURE_COLS}, created_hlc, device) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"),
            params![
                e.id,
                e.client_id,
                e.code_name,
                e.first_session.map(|d| d.to_string()),
                e.last_session.map(|d| d.to_string()),
                e.retention_end.map(|d| d.to_string()),
                e.early,
                e.reason,
                e.erased_at,
                e.erased_by,
                e.pseudonymised,
                hlc.0,
                self.device
            ],
        )?;
        self.journal(hlc, ENTITY, &e.id, "create")
    }

    /// Removes every row of the client named by `e` for good: invoices issued before
    /// `keep_from` (and drafts) with all their rows; documentation, appointments and the client.
    /// Rows a kept invoice still refers to stay with their text cleared, and the client stays
    /// as its code name (restricted) while any invoice stays. The full-text entries go with the
    /// rows and both indexes are rewritten, so no token of the client remains in them.
    pub fn remove_client_data(&mut self, e: &Erasure, keep_from: Date) -> Result<Removed> {
        let client = e.client_id.as_str();
        let c = self.conn();
        c.execute("DELETE FROM erasing", [])?;
        c.execute(
            "INSERT INTO erasing(invoice_id) SELECT id FROM invoices
             WHERE client_id = ?1 AND (state <> 'issued' OR issue_date < ?2)",
            params![client, keep_from.to_string()],
        )?;
        // The index refers to the current revision of each session: take those out first, with
        // the exact text they were indexed with (an external-content FTS5 index needs it).
        c.execute(
            "INSERT INTO notes_fts(notes_fts, rowid, body)
             SELECT 'delete', r.n, r.body FROM note_revisions r JOIN sessions s ON s.id = r.session_id
             WHERE s.client_id = ?1 AND NOT EXISTS (
               SELECT 1 FROM note_revisions o WHERE o.session_id = r.session_id AND o.n <> r.n
                 AND (o.created_hlc, o.id) > (r.created_hlc, r.id))",
            [client],
        )?;
        let mut removed = Removed::default();
        let mut gone: Vec<String> = Vec::new();
        for t in CLIENT_DATA {
            let ids: Vec<String> = {
                let mut st = c.prepare(t.rows)?;
                let rows = st.query_map([client], |r| r.get::<_, String>(0))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            let delete = format!("DELETE FROM {} WHERE id = ?1", t.table);
            for id in ids {
                // The client's index entry needs the indexed values, which go with the row; a
                // client row that stays is re-indexed by its update trigger instead.
                let indexed: Option<Vec<rusqlite::types::Value>> = if t.table == "clients" {
                    c.query_row(
                        "SELECT n, given_name, family_name, code_name, city, insurance_number FROM clients WHERE id = ?1",
                        [&id],
                        |r| (0..6).map(|i| r.get::<_, rusqlite::types::Value>(i)).collect(),
                    )
                    .optional()?
                } else {
                    None
                };
                match c.execute(&delete, [&id]) {
                    Ok(_) => {
                        if let Some(v) = indexed {
                            c.execute(
                                "INSERT INTO clients_fts(clients_fts, rowid, given_name, family_name, code_name, city,
                                   insurance_number) VALUES ('delete', ?1, ?2, ?3, ?4, ?5, ?6)",
                                rusqlite::params_from_iter(v),
                            )?;
                        }
                        removed.rows += 1;
                        gone.push(id);
                    }
                    // A kept invoice still refers to it: it stays, without its text.
                    Err(err) if is_constraint(&err) => {
                        removed.kept += 1;
                        keep_without_text(c, t.table, &id, &e.code_name)?;
                    }
                    Err(err) => return Err(err.into()),
                }
            }
        }
        for id in &gone {
            c.execute("DELETE FROM row_stamps WHERE row_id = ?1", [id])?;
            c.execute("DELETE FROM kept_aside WHERE row_id = ?1", [id])?;
            c.execute("INSERT OR IGNORE INTO erased_rows(row_id) VALUES (?1)", [id])?;
        }
        // Conflict records hold old field values, also of the rows that stay.
        c.execute("DELETE FROM conflicts WHERE row_id = ?1 OR row_id IN (SELECT row_id FROM erased_rows)", [client])?;
        for id in [client, e.id.as_str()] {
            c.execute("INSERT OR IGNORE INTO erased_rows(row_id) VALUES (?1)", [id])?;
        }
        c.execute("DELETE FROM erasing", [])?;
        // Deleted entries stay in FTS5's segments until they are merged: rewrite both indexes.
        c.execute_batch(
            "INSERT INTO notes_fts(notes_fts) VALUES ('optimize');
             INSERT INTO clients_fts(clients_fts) VALUES ('optimize');",
        )?;
        Ok(removed)
    }

    /// Erases the note of an appointment whose lifetime ended (journaled as an update).
    pub fn expire_note(&mut self, id: &str) -> Result<()> {
        let hlc = self.stamp();
        self.conn().execute(
            "UPDATE appointments SET note = '', note_expires = NULL, updated_hlc = ?2, device = ?3 WHERE id = ?1",
            params![id, hlc.0, self.device],
        )?;
        self.journal(hlc, "appointment", id, "update")
    }

    /// Sets or clears the lifetime of an appointment's note.
    pub fn set_note_expiry(&mut self, id: &str, expires: Option<&str>) -> Result<()> {
        let hlc = self.stamp();
        let n = self.conn().execute(
            "UPDATE appointments SET note_expires = ?2, updated_hlc = ?3, device = ?4 WHERE id = ?1 AND deleted = 0",
            params![id, expires, hlc.0, self.device],
        )?;
        if n == 0 {
            return Err(Error::not_found("appointment", id));
        }
        self.journal(hlc, "appointment", id, "update")
    }
}

fn is_constraint(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::ConstraintViolation))
}

/// A row a kept invoice refers to: its free text goes; the client becomes its code name and
/// stays restricted, so it appears nowhere but on those invoices.
fn keep_without_text(c: &rusqlite::Connection, table: &str, id: &str, code: &str) -> Result<()> {
    match table {
        "appointments" => {
            c.execute("UPDATE appointments SET note = '', video_link = '', note_expires = NULL WHERE id = ?1", [id])?;
        }
        "clients" => {
            c.execute(
                "UPDATE clients SET given_name = ?2, family_name = '', code_name = ?2, sort_key = ?2, birth_date = NULL,
                   email = '', phone = '', street = '', postal_code = '', city = '', country = '', insurer = '',
                   insurance_number = '', diagnoses = '[]', guardian = NULL, bill_to = NULL, notes = '',
                   insured_name = '', insured_number = '', treatment_method = '',
                   restricted_since = coalesce(restricted_since, '1970-01-01T00:00:00Z')
                 WHERE id = ?1",
                params![id, code],
            )?;
        }
        _ => {}
    }
    Ok(())
}
