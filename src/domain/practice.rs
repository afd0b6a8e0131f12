//! The practice profile: who issues invoices, where, and in which zone and language.

use crate::error::{Error, Problem, Result};

use super::ids::PracticeId;
use super::validate;
use crate::domain::Field;

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Country {
    AT,
    DE,
}

impl Country {
    pub fn as_str(self) -> &'static str {
        match self {
            Country::AT => "AT",
            Country::DE => "DE",
        }
    }
    pub fn parse(s: &str) -> Result<Country> {
        match s.trim().to_ascii_uppercase().as_str() {
            "AT" => Ok(Country::AT),
            "DE" => Ok(Country::DE),
            _ => Err(Error::invalid(Field::Country, Problem::UnknownValue)),
        }
    }
    pub fn default_time_zone(self) -> &'static str {
        match self {
            Country::AT => "Europe/Vienna",
            Country::DE => "Europe/Berlin",
        }
    }
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    De,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::De => "de",
            Language::En => "en",
        }
    }
    pub fn parse(s: &str) -> Result<Language> {
        match s.trim().to_ascii_lowercase().as_str() {
            "de" => Ok(Language::De),
            "en" => Ok(Language::En),
            _ => Err(Error::invalid(Field::Language, Problem::UnknownValue)),
        }
    }
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Practice {
    pub id: PracticeId,
    pub practitioner_name: String,
    pub title: String,
    pub profession: String,
    pub registration_number: String,
    pub practice_name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: Country,
    pub phone: String,
    pub email: String,
    /// Steuernummer.
    pub tax_number: String,
    /// UID (AT) / USt-IdNr. (DE).
    pub vat_id: String,
    pub iban: String,
    pub bic: String,
    pub bank: String,
    pub currency: String,
    pub time_zone: String,
    pub language: Language,
    /// Kleinunternehmer (AT § 6 Abs. 1 Z 27, DE § 19 UStG): no VAT on any invoice.
    pub small_business: bool,
    /// The Bundesland whose own holidays the calendar shades (`AT-9`, `DE-BY`); '' for none.
    pub holiday_region: String,
    /// The practice's tax adviser, name and address on one line ('' for none): named in a
    /// client's Art. 15 file as a recipient of invoice data.
    pub tax_adviser: String,
    /// When the practice usually works; the calendar shades the rest.
    pub working_hours: super::WorkingHours,
}

impl Practice {
    pub fn new_default(country: Country) -> Practice {
        Practice {
            id: PracticeId::new(),
            practitioner_name: String::new(),
            title: String::new(),
            profession: String::new(),
            registration_number: String::new(),
            practice_name: String::new(),
            street: String::new(),
            postal_code: String::new(),
            city: String::new(),
            country,
            phone: String::new(),
            email: String::new(),
            tax_number: String::new(),
            vat_id: String::new(),
            iban: String::new(),
            bic: String::new(),
            bank: String::new(),
            currency: "EUR".into(),
            time_zone: country.default_time_zone().into(),
            language: Language::De,
            small_business: false,
            holiday_region: String::new(),
            tax_adviser: String::new(),
            working_hours: super::WorkingHours::default(),
        }
    }

    pub fn tz(&self) -> Result<jiff::tz::TimeZone> {
        time_zone(&self.time_zone)
    }
}

pub fn time_zone(name: &str) -> Result<jiff::tz::TimeZone> {
    jiff::tz::TimeZone::get(name).map_err(|_| Error::invalid(Field::TimeZone, Problem::UnknownValue))
}

/// A partial change: `None` leaves a field as it is.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct PracticeUpdate {
    pub practitioner_name: Option<String>,
    pub title: Option<String>,
    pub profession: Option<String>,
    pub registration_number: Option<String>,
    pub practice_name: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub tax_number: Option<String>,
    pub vat_id: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
    pub bank: Option<String>,
    pub currency: Option<String>,
    pub time_zone: Option<String>,
    pub language: Option<String>,
    pub small_business: Option<bool>,
    #[serde(default)]
    pub holiday_region: Option<String>,
    #[serde(default)]
    pub tax_adviser: Option<String>,
    /// All seven days at once (the form shows them together).
    #[serde(default)]
    pub working_hours: Option<super::WorkingHours>,
}

impl PracticeUpdate {
    /// Applies the change to a copy, validating every field it touches; the error names every
    /// wrong field.
    pub fn apply(&self, p: &Practice) -> Result<Practice> {
        let mut f = validate::Fields::default();
        let mut n = p.clone();
        let lines: [(Field, &Option<String>, &mut String); 12] = [
            (Field::PractitionerName, &self.practitioner_name, &mut n.practitioner_name),
            (Field::Title, &self.title, &mut n.title),
            (Field::Profession, &self.profession, &mut n.profession),
            (Field::RegistrationNumber, &self.registration_number, &mut n.registration_number),
            (Field::PracticeName, &self.practice_name, &mut n.practice_name),
            (Field::Street, &self.street, &mut n.street),
            (Field::PostalCode, &self.postal_code, &mut n.postal_code),
            (Field::City, &self.city, &mut n.city),
            (Field::Phone, &self.phone, &mut n.phone),
            (Field::TaxNumber, &self.tax_number, &mut n.tax_number),
            (Field::Bank, &self.bank, &mut n.bank),
            (Field::TaxAdviser, &self.tax_adviser, &mut n.tax_adviser),
        ];
        for (field, new, slot) in lines {
            if let Some(v) = new {
                if f.check(validate::line(field, v)).is_some() {
                    *slot = v.trim().to_string();
                }
            }
        }
        if let Some(v) = &self.email {
            if f.check(validate::email(Field::Email, v)).is_some() {
                n.email = v.trim().to_string();
            }
        }
        if let Some(v) = self.iban.as_ref().and_then(|v| f.check(validate::iban(v))) {
            n.iban = v;
        }
        if let Some(v) = self.bic.as_ref().and_then(|v| f.check(validate::bic(v))) {
            n.bic = v;
        }
        if let Some(v) = self.country.as_ref().and_then(|v| f.check(Country::parse(v))) {
            n.country = v;
        }
        if let Some(v) = &self.currency {
            let c = v.trim().to_ascii_uppercase();
            if c.len() != 3 || !c.chars().all(|x| x.is_ascii_uppercase()) {
                f.wrong(Field::Currency, Problem::BadFormat);
            }
            n.currency = c;
        }
        if let Some(v) = &self.time_zone {
            if f.check(time_zone(v.trim())).is_some() {
                n.time_zone = v.trim().to_string();
            }
        }
        if let Some(v) = self.language.as_ref().and_then(|v| f.check(Language::parse(v))) {
            n.language = v;
        }
        if let Some(v) = self.small_business {
            n.small_business = v;
        }
        if let Some(v) = &self.holiday_region {
            n.holiday_region = v.trim().to_string();
        }
        // Checked against the country it ends up with, like the VAT id below.
        if !super::holidays::valid_region(n.country, &n.holiday_region) {
            if self.holiday_region.is_some() {
                f.wrong(Field::HolidayRegion, Problem::UnknownValue);
            } else {
                // The country changed under a region of the old one: back to none.
                n.holiday_region.clear();
            }
        }
        if let Some(w) = &self.working_hours {
            if f.check(w.validate()).is_some() {
                n.working_hours = w.clone();
            }
        }
        // Checked against the country it ends up with: an Austrian practice has an ATU number.
        if self.vat_id.is_some() || self.country.is_some() {
            let v = self.vat_id.as_deref().unwrap_or(&n.vat_id);
            if let Some(v) = f.check(validate::vat_id(Field::VatId, v)) {
                n.vat_id = v;
                if !n.vat_id.is_empty() && !n.vat_id.starts_with(n.country.as_str()) {
                    f.wrong(Field::VatId, Problem::NotAllowed);
                }
            }
        }
        f.finish()?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_validates_only_what_it_touches() {
        let p = Practice::new_default(Country::AT);
        let u = PracticeUpdate { iban: Some("AT61 1904 3002 3457 3201".into()), ..Default::default() };
        assert_eq!(u.apply(&p).unwrap().iban, "AT611904300234573201");
        let bad = PracticeUpdate { time_zone: Some("Mars/Olympus".into()), ..Default::default() };
        assert_eq!(bad.apply(&p).unwrap_err().code(), "record.invalid");
        let de = PracticeUpdate { country: Some("de".into()), ..Default::default() };
        assert_eq!(de.apply(&p).unwrap().country, Country::DE);
        let uid = PracticeUpdate { vat_id: Some("atu 1358 5627".into()), ..Default::default() };
        assert_eq!(uid.apply(&p).unwrap().vat_id, "ATU13585627");
        let wrong = PracticeUpdate { vat_id: Some("ATU13585628".into()), ..Default::default() };
        assert_eq!(wrong.apply(&p).unwrap_err().code(), "record.invalid");
        let german_in_austria = PracticeUpdate { vat_id: Some("DE123456788".into()), ..Default::default() };
        assert!(matches!(
            german_in_austria.apply(&p),
            Err(Error::Invalid { field: Field::VatId, problem: Problem::NotAllowed, .. })
        ));
    }
}
