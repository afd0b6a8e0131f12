//! Clients (Klient*innen): identity, contact, insurance, diagnoses, who pays, and status.

use jiff::civil::Date;

use crate::error::{Error, Problem, Result};

use super::ids::ClientId;
use super::practice::Language;
use super::validate;
use super::Stamps;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientStatus {
    Active,
    Closed,
    /// Visible only deliberately (e.g. a colleague or a public figure); never in quick lists.
    Restricted,
}

impl ClientStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ClientStatus::Active => "active",
            ClientStatus::Closed => "closed",
            ClientStatus::Restricted => "restricted",
        }
    }
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim() {
            "active" => Ok(ClientStatus::Active),
            "closed" => Ok(ClientStatus::Closed),
            "restricted" => Ok(ClientStatus::Restricted),
            _ => Err(Error::invalid("status", Problem::UnknownValue)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnosis {
    pub code: String,
    pub text: String,
}

/// A person or body other than the client: guardian, bill-to party, insurer.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Party {
    pub name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub email: String,
}

impl Party {
    fn validate(&self, field: &'static str) -> Result<()> {
        validate::required(field, &self.name)?;
        for v in [&self.street, &self.postal_code, &self.city, &self.country] {
            validate::line(field, v)?;
        }
        validate::email(field, &self.email)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Client {
    pub id: ClientId,
    #[serde(flatten)]
    pub data: ClientInput,
    pub stamps: Stamps,
}

impl Client {
    pub fn display_name(&self) -> String {
        self.data.display_name()
    }
}

/// A row of the client list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClientSummary {
    pub id: ClientId,
    pub given_name: String,
    pub family_name: String,
    pub code_name: String,
    pub birth_date: Option<Date>,
    pub status: ClientStatus,
    pub city: String,
}

/// Everything the user enters for a client; used for creating and for replacing.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ClientInput {
    pub given_name: String,
    pub family_name: String,
    pub code_name: String,
    pub birth_date: Option<Date>,
    pub email: String,
    pub phone: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub insurer: String,
    pub insurance_number: String,
    pub diagnoses: Vec<Diagnosis>,
    pub guardian: Option<Party>,
    pub bill_to: Option<Party>,
    pub status: Option<ClientStatus>,
    pub notes: String,
    pub language: Option<Language>,
}

impl ClientInput {
    /// Splits a single "Given Family" name at its last space, for quick entry.
    pub fn with_full_name(name: &str) -> ClientInput {
        let name = name.trim();
        let (given, family) = match name.rsplit_once(char::is_whitespace) {
            Some((g, f)) => (g.trim(), f.trim()),
            None => ("", name),
        };
        ClientInput { given_name: given.into(), family_name: family.into(), ..Default::default() }
    }

    pub fn display_name(&self) -> String {
        match (self.given_name.is_empty(), self.family_name.is_empty()) {
            (true, _) => self.family_name.clone(),
            (_, true) => self.given_name.clone(),
            _ => format!("{} {}", self.given_name, self.family_name),
        }
    }

    pub fn status(&self) -> ClientStatus {
        self.status.unwrap_or(ClientStatus::Active)
    }

    /// Checks every field and normalises what has a canonical form (diagnosis codes upper-case,
    /// insurance numbers without spaces). Reports the first wrong field by name.
    pub fn validated(mut self, today: Date) -> Result<ClientInput> {
        validate::required("family_name", &self.family_name)?;
        validate::line("given_name", &self.given_name)?;
        for (f, v) in [
            ("code_name", &self.code_name),
            ("phone", &self.phone),
            ("street", &self.street),
            ("postal_code", &self.postal_code),
            ("city", &self.city),
            ("country", &self.country),
            ("insurer", &self.insurer),
        ] {
            validate::line(f, v)?;
        }
        validate::email("email", &self.email)?;
        if let Some(d) = self.birth_date {
            validate::birth_date(d, today)?;
        }
        validate::insurance_number(&self.insurance_number)?;
        self.insurance_number = self.insurance_number.split_whitespace().collect();
        for d in &mut self.diagnoses {
            d.code = d.code.trim().to_ascii_uppercase();
            validate::icd10(&d.code)?;
            validate::line("diagnosis_text", &d.text)?;
        }
        if let Some(g) = &self.guardian {
            g.validate("guardian")?;
        }
        if let Some(b) = &self.bill_to {
            b.validate("bill_to")?;
        }
        validate::text("notes", &self.notes)?;
        self.given_name = self.given_name.trim().into();
        self.family_name = self.family_name.trim().into();
        Ok(self)
    }
}

/// Parses `F32.1 Mittelgradige depressive Episode` into code and text.
pub fn parse_diagnosis(s: &str) -> Result<Diagnosis> {
    let s = s.trim();
    let (code, text) = s.split_once(char::is_whitespace).unwrap_or((s, ""));
    let code = code.trim_end_matches(':').to_ascii_uppercase();
    validate::icd10(&code)?;
    Ok(Diagnosis { code, text: text.trim().into() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        jiff::civil::date(2026, 11, 22)
    }

    #[test]
    fn names_the_wrong_field() {
        let mut c = ClientInput::with_full_name("Jörg Müller-Lüdenscheidt");
        assert_eq!(c.family_name, "Müller-Lüdenscheidt");
        c.insurance_number = "1238 010180".into();
        match c.clone().validated(today()).unwrap_err() {
            Error::Invalid { field, problem } => {
                assert_eq!(field, "insurance_number");
                assert_eq!(problem, Problem::CheckDigit);
            }
            e => panic!("{e}"),
        }
        c.insurance_number = "1237 010180".into();
        c.birth_date = Some(jiff::civil::date(2030, 1, 1));
        assert!(matches!(c.clone().validated(today()), Err(Error::Invalid { field: "birth_date", .. })));
        c.birth_date = Some(jiff::civil::date(1980, 1, 1));
        let ok = c.validated(today()).unwrap();
        assert_eq!(ok.insurance_number, "1237010180");
    }

    #[test]
    fn empty_family_name_is_required() {
        let c = ClientInput::default();
        assert!(matches!(
            c.validated(today()),
            Err(Error::Invalid { field: "family_name", problem: Problem::Required })
        ));
    }

    #[test]
    fn diagnosis_parsing() {
        let d = parse_diagnosis("f32.1 Mittelgradige depressive Episode").unwrap();
        assert_eq!(d.code, "F32.1");
        assert_eq!(d.text, "Mittelgradige depressive Episode");
        assert!(parse_diagnosis("depressiv").is_err());
    }
}
