//! Service (fee schedule) rows.

use rusqlite::{params, OptionalExtension, Row};

use crate::domain::ids::ServiceId;
use crate::domain::money::Cents;
use crate::domain::service::{Service, ServiceInput, TaxMode};
use crate::error::{Error, Result};

use super::rows;
use super::{Reader, Tx};

const COLS: &str = "id, name, code, minutes, price_cents, tax_mode, tax_rate_bp, created_hlc, updated_hlc, device";

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

impl Tx<'_> {
    pub fn insert_service(&mut self, id: ServiceId, s: &ServiceInput) -> Result<()> {
        let hlc = self.stamp();
        self.conn().execute(
            "INSERT INTO services(id, name, code, minutes, price_cents, tax_mode, tax_rate_bp, created_hlc, updated_hlc, device)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
            params![id.to_string(), s.name, s.code, s.minutes, s.price.get(), s.tax.code(), s.tax.rate_bp(), hlc.0, self.device],
        )?;
        self.journal(hlc, ServiceId::ENTITY, &id.to_string(), "create")
    }

    pub fn update_service(&mut self, id: ServiceId, s: &ServiceInput) -> Result<()> {
        let hlc = self.stamp();
        let n = self.conn().execute(
            "UPDATE services SET name=?2, code=?3, minutes=?4, price_cents=?5, tax_mode=?6, tax_rate_bp=?7,
             updated_hlc=?8, device=?9 WHERE id=?1 AND deleted = 0",
            params![
                id.to_string(),
                s.name,
                s.code,
                s.minutes,
                s.price.get(),
                s.tax.code(),
                s.tax.rate_bp(),
                hlc.0,
                self.device
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
