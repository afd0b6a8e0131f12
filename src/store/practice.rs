//! The practice profile row.

use rusqlite::{params, OptionalExtension};

use crate::domain::ids::PracticeId;
use crate::domain::practice::{Country, Language, Practice};
use crate::domain::WorkingHours;
use crate::error::{Error, Result};

use super::rows;
use super::{Reader, Tx};

const COLS: &str = "id, practitioner_name, title, profession, registration_number, practice_name, street, \
    postal_code, city, country, phone, email, tax_number, vat_id, iban, bic, bank, currency, time_zone, language, \
    small_business, holiday_region, tax_adviser, working_hours";

impl Reader<'_> {
    pub fn practice(&self) -> Result<Practice> {
        let sql = format!("SELECT {COLS} FROM practice WHERE deleted = 0 ORDER BY created_hlc LIMIT 1");
        self.conn
            .query_row(&sql, [], |r| {
                Ok(Practice {
                    id: rows::parse(r, 0, "practice id")?,
                    practitioner_name: r.get(1)?,
                    title: r.get(2)?,
                    profession: r.get(3)?,
                    registration_number: r.get(4)?,
                    practice_name: r.get(5)?,
                    street: r.get(6)?,
                    postal_code: r.get(7)?,
                    city: r.get(8)?,
                    country: rows::parse_with(r, 9, Country::parse, "country")?,
                    phone: r.get(10)?,
                    email: r.get(11)?,
                    tax_number: r.get(12)?,
                    vat_id: r.get(13)?,
                    iban: r.get(14)?,
                    bic: r.get(15)?,
                    bank: r.get(16)?,
                    currency: r.get(17)?,
                    time_zone: r.get(18)?,
                    language: rows::parse_with(r, 19, Language::parse, "language")?,
                    small_business: r.get(20)?,
                    holiday_region: r.get(21)?,
                    tax_adviser: r.get(22)?,
                    working_hours: rows::parse_with(r, 23, working_hours, "working hours")?,
                })
            })
            .optional()?
            .ok_or_else(|| Error::not_found("practice", ""))
    }

    /// The letterhead logo's PNG bytes, if one is set.
    pub fn logo(&self) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .prepare_cached("SELECT png FROM practice_logo WHERE id = ?1 AND deleted = 0")?
            .query_row([LOGO_ID], |r| r.get::<_, Option<Vec<u8>>>(0))
            .optional()?
            .flatten())
    }
}

/// The stored working hours; what fails the checks is not ours (the merge keeps such rows aside).
fn working_hours(s: &str) -> Result<WorkingHours> {
    WorkingHours::from_json(s)
        .ok_or_else(|| Error::invalid(crate::domain::Field::WorkingHours, crate::error::Problem::BadFormat))
}

/// One logo per practice: two devices that both set one end up with the same row.
const LOGO_ID: &str = "logo";

impl Tx<'_> {
    /// Sets the logo, or with `None` removes it (a tombstone, so the removal syncs too).
    pub fn put_logo(&mut self, png: Option<&[u8]>) -> Result<()> {
        let hlc = self.stamp();
        self.conn().execute(
            "INSERT INTO practice_logo(id, png, created_hlc, updated_hlc, device, deleted) VALUES (?1, ?2, ?3, ?3, ?4, ?5)
             ON CONFLICT(id) DO UPDATE SET png = excluded.png, updated_hlc = excluded.updated_hlc,
             device = excluded.device, deleted = excluded.deleted",
            params![LOGO_ID, png, hlc.0, self.device, png.is_none()],
        )?;
        self.journal(hlc, "practice_logo", LOGO_ID, if png.is_some() { "update" } else { "delete" })
    }

    /// Inserts or replaces the practice profile.
    pub fn put_practice(&mut self, p: &Practice) -> Result<()> {
        let hlc = self.stamp();
        let exists: Option<String> = self
            .conn()
            .query_row("SELECT id FROM practice WHERE id = ?1", [p.id.to_string()], |r| r.get(0))
            .optional()?;
        let values = params![
            p.id.to_string(),
            p.practitioner_name,
            p.title,
            p.profession,
            p.registration_number,
            p.practice_name,
            p.street,
            p.postal_code,
            p.city,
            p.country.as_str(),
            p.phone,
            p.email,
            p.tax_number,
            p.vat_id,
            p.iban,
            p.bic,
            p.bank,
            p.currency,
            p.time_zone,
            p.language.as_str(),
            hlc.0,
            self.device,
            p.small_business,
            p.holiday_region,
            p.tax_adviser,
            p.working_hours.to_json(),
        ];
        if exists.is_some() {
            self.conn().execute(
                "UPDATE practice SET practitioner_name=?2, title=?3, profession=?4, registration_number=?5,
                 practice_name=?6, street=?7, postal_code=?8, city=?9, country=?10, phone=?11, email=?12,
                 tax_number=?13, vat_id=?14, iban=?15, bic=?16, bank=?17, currency=?18, time_zone=?19,
                 language=?20, updated_hlc=?21, device=?22, small_business=?23, holiday_region=?24,
                 tax_adviser=?25, working_hours=?26 WHERE id=?1",
                values,
            )?;
            self.journal(hlc, PracticeId::ENTITY, &p.id.to_string(), "update")
        } else {
            self.conn().execute(
                &format!(
                    "INSERT INTO practice({COLS}, created_hlc, updated_hlc, device)
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?23,?24,?25,?26,?21,?21,?22)"
                ),
                values,
            )?;
            self.journal(hlc, PracticeId::ENTITY, &p.id.to_string(), "create")
        }
    }
}
