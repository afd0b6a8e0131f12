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

/// Reads a row of [`SELECT`]: the fields start at column 4.
fn map_service(r: &Row<'_>) -> rusqlite::Result<Service> {
    Ok(Service {
        id: rows::parse(r, 0, "service id")?,
        stamps: rows::stamps(r, 1)?,
        data: read_fields(r, 4)?.into_input(4)?,
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

/// A service as its row holds it: one field per column, named as the column (its price is in
/// cents, its tax mode two columns, its fee four), so that `rows::record_columns!` names them
/// once for insert, update and select, as the client store does.
struct ServiceRow {
    name: String,
    code: String,
    minutes: u32,
    price_cents: i64,
    tax_mode: String,
    tax_rate_bp: u32,
    fee_schedule: FeeSchedule,
    fee_number: String,
    fee_points: u32,
    fee_multiplier: u32,
    retired: bool,
}

rows::record_columns!(ServiceRow {
    name,
    code,
    minutes,
    price_cents,
    tax_mode,
    tax_rate_bp,
    fee_schedule,
    fee_number,
    fee_points,
    fee_multiplier,
    retired,
});

impl ServiceRow {
    /// Exhaustive: a new field of a service does not compile until it has its column here.
    fn of(s: &ServiceInput) -> ServiceRow {
        let ServiceInput { name, code, minutes, price, tax, fee, retired } = s;
        let ServiceFee { schedule, number, points, multiplier } = fee;
        ServiceRow {
            name: name.clone(),
            code: code.clone(),
            minutes: *minutes,
            price_cents: price.get(),
            tax_mode: tax.code().into(),
            tax_rate_bp: tax.rate_bp(),
            fee_schedule: *schedule,
            fee_number: number.clone(),
            fee_points: *points,
            fee_multiplier: multiplier.0,
            retired: *retired,
        }
    }

    /// The service back from its columns, which start at `first`; a tax mode this version does
    /// not know is a bad value of its column.
    fn into_input(self, first: usize) -> rusqlite::Result<ServiceInput> {
        let ServiceRow {
            name,
            code,
            minutes,
            price_cents,
            tax_mode,
            tax_rate_bp,
            fee_schedule,
            fee_number,
            fee_points,
            fee_multiplier,
            retired,
        } = self;
        let tax_col = first + FIELD_COLUMNS.iter().position(|c| *c == "tax_mode").unwrap_or_default();
        Ok(ServiceInput {
            name,
            code,
            minutes,
            price: Cents::new(price_cents),
            tax: TaxMode::from_parts(&tax_mode, tax_rate_bp)
                .map_err(|_| rows::bad(tax_col, rows::BadValue("tax mode")))?,
            fee: ServiceFee {
                schedule: fee_schedule,
                number: fee_number,
                points: fee_points,
                multiplier: Multiplier(fee_multiplier),
            },
            retired,
        })
    }
}

impl rows::Column for FeeSchedule {
    fn to_sql(&self) -> Value {
        Value::Text(self.as_str().into())
    }
    fn read(row: &Row<'_>, col: usize) -> rusqlite::Result<Self> {
        rows::parse_with(row, col, FeeSchedule::parse, "fee schedule")
    }
}

/// `?1` id, `?2` stamp, `?3` device, then the fields from `?4`.
fn values(id: ServiceId, s: &ServiceInput, hlc: Hlc, device: &str) -> Vec<Value> {
    let mut v = vec![Value::Text(id.to_string()), Value::Integer(hlc.0), Value::Text(device.to_string())];
    v.extend(field_values(&ServiceRow::of(s)));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn every_field_set() -> ServiceInput {
        ServiceInput {
            name: "Psychotherapie (Einzel)".into(),
            code: "PT-E".into(),
            minutes: 50,
            price: Cents::new(10_050),
            tax: TaxMode::Taxable { rate_bp: 2000 },
            fee: ServiceFee {
                schedule: FeeSchedule::Goae,
                number: "870".into(),
                points: 750,
                multiplier: Multiplier(23),
            },
            retired: true,
        }
    }

    #[test]
    fn every_field_of_a_service_comes_back_from_its_own_column() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = crate::vault::test_vault(dir.path());
        let (id, s) = (ServiceId::new(), every_field_set());
        v.store_mut().write(|tx| tx.insert_service(id, &s)).unwrap();
        assert_eq!(v.store().read().service(id).unwrap().data, s);
        let changed = ServiceInput {
            minutes: 90,
            tax: TaxMode::AtExempt,
            fee: ServiceFee { schedule: FeeSchedule::Analog, ..s.fee.clone() },
            retired: false,
            ..s
        };
        v.store_mut().write(|tx| tx.update_service(id, &changed)).unwrap();
        assert_eq!(v.store().read().service(id).unwrap().data, changed);
        let (mode, rate): (String, u32) = v
            .store()
            .read()
            .conn
            .query_row("SELECT tax_mode, tax_rate_bp FROM services WHERE id = ?1", [id.to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((mode.as_str(), rate), ("at_exempt", 0));
    }

    #[test]
    fn a_tax_mode_this_version_does_not_know_names_its_column() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = crate::vault::test_vault(dir.path());
        let id = ServiceId::new();
        v.store_mut().write(|tx| tx.insert_service(id, &every_field_set())).unwrap();
        v.store_mut()
            .write(|tx| {
                tx.conn()
                    .execute("UPDATE services SET tax_mode = 'from_the_future' WHERE id = ?1", [id.to_string()])?;
                Ok(())
            })
            .unwrap();
        let e = v.store().read().service(id).unwrap_err();
        // Column 8 of the row (after id and the three stamps) is `tax_mode`, as before the columns
        // were named once.
        assert!(e.to_string().contains("index: 8, unexpected tax mode"), "{e}");
    }
}
