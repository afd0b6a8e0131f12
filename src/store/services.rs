//! Service (fee schedule) rows.

use std::sync::LazyLock;

use rusqlite::types::Value;
use rusqlite::{params_from_iter, OptionalExtension, Row};

use crate::domain::ids::ServiceId;
use crate::domain::money::Cents;
use crate::domain::service::{FeeSchedule, Multiplier, Service, ServiceFee, ServiceInput, TaxMode};
use crate::error::{Error, Result};
use crate::hlc::Hlc;

use super::rows;
use super::{Reader, Tx};

/// Reads a row of [`SELECT`]: the fields start at column 4, in [`FIELD_COLUMNS`]' order.
fn map_service(r: &Row<'_>) -> rusqlite::Result<Service> {
    let mode: String = r.get(8)?;
    let rate: u32 = r.get(9)?;
    Ok(Service {
        id: rows::parse(r, 0, "service id")?,
        stamps: rows::stamps(r, 1)?,
        data: ServiceInput {
            name: r.get(4)?,
            code: r.get(5)?,
            minutes: r.get(6)?,
            price: Cents::new(r.get(7)?),
            tax: TaxMode::from_parts(&mode, rate).map_err(|_| rows::bad(8, rows::BadValue("tax mode")))?,
            fee: ServiceFee {
                schedule: rows::parse_with(r, 10, FeeSchedule::parse, "fee schedule")?,
                number: r.get(11)?,
                points: r.get(12)?,
                multiplier: Multiplier(r.get(13)?),
            },
            retired: r.get(14)?,
        },
    })
}

impl Reader<'_> {
    pub fn service(&self, id: ServiceId) -> Result<Service> {
        self.conn
            .prepare_cached(&format!("{} WHERE id = ?1 AND deleted = 0", *SELECT))?
            .query_row([id.to_string()], map_service)
            .optional()?
            .ok_or_else(|| Error::not_found(ServiceId::ENTITY, id))
    }

    pub fn services(&self) -> Result<Vec<Service>> {
        let mut st =
            self.conn.prepare_cached(&format!("{} WHERE deleted = 0 ORDER BY name COLLATE NOCASE", *SELECT))?;
        let rows = st.query_map([], map_service)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Reader<'_> {
    /// Whether a session or an appointment refers to the service (then it is retired, never
    /// deleted: its sessions still name it).
    pub fn service_in_use(&self, id: ServiceId) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM sessions WHERE service_id = ?1 AND deleted = 0)
                 OR EXISTS (SELECT 1 FROM appointments WHERE service_id = ?1 AND deleted = 0)",
            )?
            .query_row([id.to_string()], |r| r.get(0))?)
    }
}

/// The service's columns after `id` and before the stamps, named once for insert, update and
/// select (a service's tax mode is two columns, its fee four).
const FIELD_COLUMNS: [&str; 11] = [
    "name",
    "code",
    "minutes",
    "price_cents",
    "tax_mode",
    "tax_rate_bp",
    "fee_schedule",
    "fee_number",
    "fee_points",
    "fee_multiplier",
    "retired",
];

/// The values of [`FIELD_COLUMNS`] in their order. Exhaustive: a new field of a service does
/// not compile until it has its column here.
fn field_values(s: &ServiceInput) -> [Value; 11] {
    let ServiceInput { name, code, minutes, price, tax, fee, retired } = s;
    let ServiceFee { schedule, number, points, multiplier } = fee;
    [
        Value::Text(name.clone()),
        Value::Text(code.clone()),
        Value::Integer((*minutes).into()),
        Value::Integer(price.get()),
        Value::Text(tax.code().into()),
        Value::Integer(tax.rate_bp().into()),
        Value::Text(schedule.as_str().into()),
        Value::Text(number.clone()),
        Value::Integer((*points).into()),
        Value::Integer(multiplier.0.into()),
        Value::Integer((*retired).into()),
    ]
}

/// `?1` id, `?2` stamp, `?3` device, then the fields from `?4`.
fn values(id: ServiceId, s: &ServiceInput, hlc: Hlc, device: &str) -> Vec<Value> {
    let mut v = vec![Value::Text(id.to_string()), Value::Integer(hlc.0), Value::Text(device.to_string())];
    v.extend(field_values(s));
    v
}

static SELECT: LazyLock<String> = LazyLock::new(|| {
    format!("SELECT id, created_hlc, updated_hlc, device, {} FROM services", FIELD_COLUMNS.join(", "))
});

static INSERT: LazyLock<String> = LazyLock::new(|| {
    let marks: Vec<String> = (4..4 + FIELD_COLUMNS.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO services(id, created_hlc, updated_hlc, device, {}) VALUES (?1, ?2, ?2, ?3, {})",
        FIELD_COLUMNS.join(", "),
        marks.join(", ")
    )
});

static UPDATE: LazyLock<String> = LazyLock::new(|| {
    let sets: Vec<String> = FIELD_COLUMNS.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", i + 4)).collect();
    format!("UPDATE services SET updated_hlc = ?2, device = ?3, {} WHERE id = ?1 AND deleted = 0", sets.join(", "))
});

impl Tx<'_> {
    pub fn insert_service(&mut self, id: ServiceId, s: &ServiceInput) -> Result<()> {
        let hlc = self.stamp();
        self.conn().prepare_cached(&INSERT)?.execute(params_from_iter(values(id, s, hlc, self.device)))?;
        self.journal(hlc, ServiceId::ENTITY, &id.to_string(), "create")
    }

    pub fn update_service(&mut self, id: ServiceId, s: &ServiceInput) -> Result<()> {
        let hlc = self.stamp();
        let n = self.conn().prepare_cached(&UPDATE)?.execute(params_from_iter(values(id, s, hlc, self.device)))?;
        if n == 0 {
            return Err(Error::not_found(ServiceId::ENTITY, id));
        }
        self.journal(hlc, ServiceId::ENTITY, &id.to_string(), "update")
    }

    pub fn delete_service(&mut self, id: ServiceId) -> Result<()> {
        self.tombstone("services", ServiceId::ENTITY, &id.to_string())
    }
}
