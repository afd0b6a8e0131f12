//! Service (fee schedule) rows.

use rusqlite::{params, OptionalExtension, Row};

use crate::domain::ids::ServiceId;
use crate::domain::money::Cents;
use crate::domain::service::{FeeSchedule, Multiplier, Service, ServiceFee, ServiceInput, TaxMode};
use crate::error::{Error, Result};

use super::rows;
use super::{Reader, Tx};

const COLS: &str = "id, name, code, minutes, price_cents, tax_mode, tax_rate_bp, created_hlc, updated_hlc, device, \
    fee_schedule, fee_number, fee_points, fee_multiplier, retired";

fn map_service(r: &Row<'_>) -> rusqlite::Result<Service> {
    let mode: String = r.get(5)?;
    let rate: u32 = r.get(6)?;
    Ok(Service {
        id: rows::parse(r, 0, "service id")?,
        data: ServiceInput {
            name: r.get(1)?,
            code: r.get(2)?,
            minutes: r.get(3)?,
            price: Cents::new(r.get(4)?),
            tax: TaxMode::from_parts(&mode, rate).map_err(|_| rows::bad(5, rows::BadValue("tax mode")))?,
            fee: ServiceFee {
                schedule: rows::parse_with(r, 10, FeeSchedule::parse, "fee schedule")?,
                number: r.get(11)?,
                points: r.get(12)?,
                multiplier: Multiplier(r.get(13)?),
            },
            retired: r.get(14)?,
        },
        stamps: rows::stamps(r, 7)?,
    })
}

impl Reader<'_> {
    pub fn service(&self, id: ServiceId) -> Result<Service> {
        self.conn
            .prepare_cached(&format!("SELECT {COLS} FROM services WHERE id = ?1 AND deleted = 0"))?
            .query_row([id.to_string()], map_service)
            .optional()?
            .ok_or_else(|| Error::not_found(ServiceId::ENTITY, id))
    }

    pub fn services(&self) -> Result<Vec<Service>> {
        let mut st = self
            .conn
            .prepare_cached(&format!("SELECT {COLS} FROM services WHERE deleted = 0 ORDER BY name COLLATE NOCASE"))?;
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

impl Tx<'_> {
    pub fn insert_service(&mut self, id: ServiceId, s: &ServiceInput) -> Result<()> {
        let hlc = self.stamp();
        self.conn().execute(
            "INSERT INTO services(id, name, code, minutes, price_cents, tax_mode, tax_rate_bp, created_hlc, updated_hlc, device,
             fee_schedule, fee_number, fee_points, fee_multiplier, retired)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                id.to_string(),
                s.name,
                s.code,
                s.minutes,
                s.price.get(),
                s.tax.code(),
                s.tax.rate_bp(),
                hlc.0,
                self.device,
                s.fee.schedule.as_str(),
                s.fee.number,
                s.fee.points,
                s.fee.multiplier.0,
                s.retired
            ],
        )?;
        self.journal(hlc, ServiceId::ENTITY, &id.to_string(), "create")
    }

    pub fn update_service(&mut self, id: ServiceId, s: &ServiceInput) -> Result<()> {
        let hlc = self.stamp();
        let n = self.conn().execute(
            "UPDATE services SET name=?2, code=?3, minutes=?4, price_cents=?5, tax_mode=?6, tax_rate_bp=?7,
             updated_hlc=?8, device=?9, fee_schedule=?10, fee_number=?11, fee_points=?12, fee_multiplier=?13,
             retired=?14 WHERE id=?1 AND deleted = 0",
            params![
                id.to_string(),
                s.name,
                s.code,
                s.minutes,
                s.price.get(),
                s.tax.code(),
                s.tax.rate_bp(),
                hlc.0,
                self.device,
                s.fee.schedule.as_str(),
                s.fee.number,
                s.fee.points,
                s.fee.multiplier.0,
                s.retired
            ],
        )?;
        if n == 0 {
            return Err(Error::not_found(ServiceId::ENTITY, id));
        }
        self.journal(hlc, ServiceId::ENTITY, &id.to_string(), "update")
    }

    pub fn delete_service(&mut self, id: ServiceId) -> Result<()> {
        self.tombstone("services", ServiceId::ENTITY, &id.to_string())
    }
}
