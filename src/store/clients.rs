//! Client rows.

use std::sync::LazyLock;

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension, Row};

use crate::domain::client::{Client, ClientInput, ClientStatus, ClientSummary};
use crate::domain::ids::ClientId;
use crate::domain::validate::sort_key;
use crate::error::{Error, Result};
use crate::hlc::Hlc;

use super::rows;
use super::{Reader, Tx};

// The client's fields, each a column of the same name: insert, update and select are built
// from this one list (see `rows::record_columns!`).
rows::record_columns!(ClientInput {
    given_name,
    family_name,
    code_name,
    birth_date,
    email,
    phone,
    street,
    postal_code,
    city,
    country,
    insurer,
    insurance_number,
    diagnoses,
    guardian,
    bill_to,
    status,
    notes,
    language,
    insurance_kind,
    insured_name,
    insured_number,
    medical_exam_date,
    treatment_method,
    fee_agreement_date,
    salutation,
    approved_sessions,
});

/// `id, created_hlc, updated_hlc, device` and then the fields.
static SELECT: LazyLock<String> =
    LazyLock::new(|| format!("SELECT id, created_hlc, updated_hlc, device, {} FROM clients", FIELD_COLUMNS.join(", ")));

/// `?1` id, `?2` sort key, `?3` stamp, `?4` device, then the fields from `?5`.
static INSERT: LazyLock<String> = LazyLock::new(|| {
    let marks: Vec<String> = (5..5 + FIELD_COLUMNS.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO clients(id, sort_key, created_hlc, updated_hlc, device, {}) VALUES (?1, ?2, ?3, ?3, ?4, {})",
        FIELD_COLUMNS.join(", "),
        marks.join(", ")
    )
});

static UPDATE: LazyLock<String> = LazyLock::new(|| {
    let sets: Vec<String> = FIELD_COLUMNS.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", i + 5)).collect();
    format!(
        "UPDATE clients SET sort_key = ?2, updated_hlc = ?3, device = ?4, {} WHERE id = ?1 AND deleted = 0",
        sets.join(", ")
    )
});

/// How the client list is ordered.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientSort {
    #[default]
    NameAsc,
    NameDesc,
    NewestFirst,
}

/// A page of the client list.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ClientQuery {
    pub status: Option<ClientStatus>,
    pub sort: ClientSort,
    pub offset: u32,
    pub limit: u32,
    /// The clients whose processing is restricted (GDPR Art. 18) instead of the others: a
    /// restricted client appears in no other list.
    pub restricted: bool,
}

fn map_client(r: &Row<'_>) -> rusqlite::Result<Client> {
    Ok(Client { id: rows::parse(r, 0, "client id")?, stamps: rows::stamps(r, 1)?, data: read_fields(r, 4)? })
}

impl Reader<'_> {
    pub fn client(&self, id: ClientId) -> Result<Client> {
        let sql = format!("{} WHERE id = ?1 AND deleted = 0", *SELECT);
        self.conn
            .prepare_cached(&sql)?
            .query_row([id.to_string()], map_client)
            .optional()?
            .ok_or_else(|| Error::not_found(ClientId::ENTITY, id))
    }

    /// One page of the list plus the number of clients matching the filter.
    pub fn clients(&self, q: &ClientQuery) -> Result<(Vec<ClientSummary>, u64)> {
        let order = match q.sort {
            ClientSort::NameAsc => "sort_key ASC",
            ClientSort::NameDesc => "sort_key DESC",
            ClientSort::NewestFirst => "n DESC",
        };
        let limit = if q.limit == 0 { 50 } else { q.limit.min(1000) };
        let status = q.status.map(|s| s.as_str());
        let sql = format!(
            "SELECT id, given_name, family_name, code_name, birth_date, status, city FROM clients
             WHERE deleted = 0 AND (?1 IS NULL OR status = ?1) AND (restricted_since IS NOT NULL) = ?4
             ORDER BY {order} LIMIT ?2 OFFSET ?3"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let list = st
            .query_map(params![status, limit, q.offset, q.restricted], map_summary)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let total: u64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM clients WHERE deleted = 0 AND (?1 IS NULL OR status = ?1)
                 AND (restricted_since IS NOT NULL) = ?2",
            )?
            .query_row(params![status, q.restricted], |r| r.get::<_, i64>(0))? as u64;
        Ok((list, total))
    }

    pub fn client_summaries(&self, ids: &[ClientId]) -> Result<Vec<ClientSummary>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, given_name, family_name, code_name, birth_date, status, city FROM clients WHERE id = ?1",
        )?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(s) = st.query_row([id.to_string()], map_summary).optional()? {
                out.push(s);
            }
        }
        Ok(out)
    }
}

pub(super) fn map_summary(r: &Row<'_>) -> rusqlite::Result<ClientSummary> {
    Ok(ClientSummary {
        id: rows::parse(r, 0, "client id")?,
        given_name: r.get(1)?,
        family_name: r.get(2)?,
        code_name: r.get(3)?,
        birth_date: rows::parse_opt(r, 4, "birth date")?,
        status: rows::parse_with(r, 5, ClientStatus::parse, "status")?,
        city: r.get(6)?,
    })
}

impl Tx<'_> {
    pub fn insert_client(&mut self, id: ClientId, c: &ClientInput) -> Result<()> {
        let hlc = self.stamp();
        self.conn().prepare_cached(&INSERT)?.execute(params_from_iter(values(id, c, hlc, self.device)))?;
        self.journal(hlc, ClientId::ENTITY, &id.to_string(), "create")
    }

    pub fn update_client(&mut self, id: ClientId, c: &ClientInput) -> Result<()> {
        let hlc = self.stamp();
        let n = self.conn().prepare_cached(&UPDATE)?.execute(params_from_iter(values(id, c, hlc, self.device)))?;
        if n == 0 {
            return Err(Error::not_found(ClientId::ENTITY, id));
        }
        self.journal(hlc, ClientId::ENTITY, &id.to_string(), "update")
    }

    /// Tombstones a client. Their sessions and documentation stay (retention duties).
    pub fn delete_client(&mut self, id: ClientId) -> Result<()> {
        self.tombstone("clients", ClientId::ENTITY, &id.to_string())
    }
}

/// The values of `INSERT` and `UPDATE`, in their `?N` order.
fn values(id: ClientId, c: &ClientInput, hlc: Hlc, device: &str) -> Vec<Value> {
    let mut v = vec![
        Value::Text(id.to_string()),
        Value::Text(sort_key(&c.family_name, &c.given_name)),
        Value::Integer(hlc.0),
        Value::Text(device.to_string()),
    ];
    v.extend(field_values(c));
    v
}
