//! Client rows.

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension, Row};

use crate::domain::client::{Client, ClientInput, ClientStatus, ClientSummary, InsuranceKind};
use crate::domain::ids::ClientId;
use crate::domain::practice::Language;
use crate::domain::validate::sort_key;
use crate::error::{Error, Result};
use crate::hlc::Hlc;

use super::rows;
use super::{Reader, Tx};

const COLS: &str = "id, given_name, family_name, code_name, birth_date, email, phone, street, postal_code, \
    city, country, insurer, insurance_number, diagnoses, guardian, bill_to, status, notes, language, \
    created_hlc, updated_hlc, device, insurance_kind, insured_name, insured_number, medical_exam_date, \
    treatment_method, fee_agreement_date, salutation";

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
}

fn map_client(r: &Row<'_>) -> rusqlite::Result<Client> {
    Ok(Client {
        id: rows::parse(r, 0, "client id")?,
        data: ClientInput {
            given_name: r.get(1)?,
            family_name: r.get(2)?,
            code_name: r.get(3)?,
            birth_date: rows::parse_opt(r, 4, "birth date")?,
            email: r.get(5)?,
            phone: r.get(6)?,
            street: r.get(7)?,
            postal_code: r.get(8)?,
            city: r.get(9)?,
            country: r.get(10)?,
            insurer: r.get(11)?,
            insurance_number: r.get(12)?,
            diagnoses: rows::json(r, 13)?,
            guardian: rows::json_opt(r, 14)?,
            bill_to: rows::json_opt(r, 15)?,
            status: Some(rows::parse_with(r, 16, ClientStatus::parse, "status")?),
            notes: r.get(17)?,
            language: r
                .get::<_, Option<String>>(18)?
                .map(|s| Language::parse(&s))
                .transpose()
                .map_err(|_| rows::bad(18, rows::BadValue("language")))?,
            insurance_kind: rows::parse_with(r, 22, InsuranceKind::parse, "insurance kind")?,
            insured_name: r.get(23)?,
            insured_number: r.get(24)?,
            medical_exam_date: rows::parse_opt(r, 25, "date")?,
            treatment_method: r.get(26)?,
            fee_agreement_date: rows::parse_opt(r, 27, "date")?,
            salutation: r.get(28)?,
        },
        stamps: rows::stamps(r, 19)?,
    })
}

impl Reader<'_> {
    pub fn client(&self, id: ClientId) -> Result<Client> {
        let sql = format!("SELECT {COLS} FROM clients WHERE id = ?1 AND deleted = 0");
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
             WHERE deleted = 0 AND (?1 IS NULL OR status = ?1) ORDER BY {order} LIMIT ?2 OFFSET ?3"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let list =
            st.query_map(params![status, limit, q.offset], map_summary)?.collect::<rusqlite::Result<Vec<_>>>()?;
        let total: u64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM clients WHERE deleted = 0 AND (?1 IS NULL OR status = ?1)")?
            .query_row([status], |r| r.get::<_, i64>(0))? as u64;
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
        self.conn()
            .prepare_cached(
                "INSERT INTO clients(id, given_name, family_name, sort_key, code_name, birth_date, email, phone,
                 street, postal_code, city, country, insurer, insurance_number, diagnoses, guardian, bill_to,
                 status, notes, language, created_hlc, updated_hlc, device, insurance_kind, insured_name,
                 insured_number, medical_exam_date, treatment_method, fee_agreement_date, salutation)
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?21,?22,
                 ?23,?24,?25,?26,?27,?28,?29)",
            )?
            .execute(params_from_iter(values(id, c, hlc, self.device)))?;
        self.journal(hlc, ClientId::ENTITY, &id.to_string(), "create")
    }

    pub fn update_client(&mut self, id: ClientId, c: &ClientInput) -> Result<()> {
        let hlc = self.stamp();
        let n = self.conn().execute(
            "UPDATE clients SET given_name=?2, family_name=?3, sort_key=?4, code_name=?5, birth_date=?6,
             email=?7, phone=?8, street=?9, postal_code=?10, city=?11, country=?12, insurer=?13,
             insurance_number=?14, diagnoses=?15, guardian=?16, bill_to=?17, status=?18, notes=?19,
             language=?20, updated_hlc=?21, device=?22, insurance_kind=?23, insured_name=?24, insured_number=?25,
             medical_exam_date=?26, treatment_method=?27, fee_agreement_date=?28, salutation=?29
             WHERE id=?1 AND deleted = 0",
            params_from_iter(values(id, c, hlc, self.device)),
        )?;
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

/// The columns insert and update share, in their `?N` order.
fn values(id: ClientId, c: &ClientInput, hlc: Hlc, device: &str) -> Vec<Value> {
    let text = |s: &str| Value::Text(s.to_string());
    let opt = |s: Option<String>| s.map_or(Value::Null, Value::Text);
    vec![
        Value::Text(id.to_string()),
        text(&c.given_name),
        text(&c.family_name),
        Value::Text(sort_key(&c.family_name, &c.given_name)),
        text(&c.code_name),
        opt(c.birth_date.map(|d| d.to_string())),
        text(&c.email),
        text(&c.phone),
        text(&c.street),
        text(&c.postal_code),
        text(&c.city),
        text(&c.country),
        text(&c.insurer),
        text(&c.insurance_number),
        Value::Text(rows::to_json(&c.diagnoses)),
        opt(c.guardian.as_ref().map(rows::to_json)),
        opt(c.bill_to.as_ref().map(rows::to_json)),
        text(c.status().as_str()),
        text(&c.notes),
        opt(c.language.map(|l| l.as_str().to_string())),
        Value::Integer(hlc.0),
        text(device),
        text(c.insurance_kind.as_str()),
        text(&c.insured_name),
        text(&c.insured_number),
        opt(c.medical_exam_date.map(|d| d.to_string())),
        text(&c.treatment_method),
        opt(c.fee_agreement_date.map(|d| d.to_string())),
        text(&c.salutation),
    ]
}
