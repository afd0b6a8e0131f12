//! Clients (Klient*innen): identity, contact, insurance, diagnoses, who pays, and status.

use jiff::civil::Date;

use crate::error::{Error, Problem, Result};

use super::ids::ClientId;
use super::practice::{Country, Language};
use super::validate;
use super::Stamps;
use crate::domain::Field;

#[cfg_attr(feature = "specta", derive(specta::Type))]
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
            _ => Err(Error::invalid(Field::Status, Problem::UnknownValue)),
        }
    }
}

/// Which kind of insurer a client's insurance number belongs to: it decides which check the
/// number gets (an Austrian SVNR, a German KVNR, or none for a private insurer's own numbers).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InsuranceKind {
    /// Not said (records from before kinds existed): judged by the practice's country.
    #[default]
    Unspecified,
    /// ÖGK, BVAEB, SVS: the number is an SVNR.
    AtStatutory,
    /// A German Krankenkasse: the number is a KVNR.
    DeStatutory,
    /// A private insurer, in either country: its own numbers.
    Private,
}

impl InsuranceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InsuranceKind::Unspecified => "",
            InsuranceKind::AtStatutory => "at_statutory",
            InsuranceKind::DeStatutory => "de_statutory",
            InsuranceKind::Private => "private",
        }
    }
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().replace('-', "_").as_str() {
            "" => Ok(InsuranceKind::Unspecified),
            "at_statutory" => Ok(InsuranceKind::AtStatutory),
            "de_statutory" => Ok(InsuranceKind::DeStatutory),
            "private" => Ok(InsuranceKind::Private),
            _ => Err(Error::invalid(Field::InsuranceKind, Problem::UnknownValue)),
        }
    }
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnosis {
    pub code: String,
    pub text: String,
}

/// A person or body other than the client: guardian, bill-to party, insurer.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Party {
    pub name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub email: String,
    /// The recipient's UID (AT § 11 Abs. 1 Z 3 lit. j UStG, needed above 10,000 €).
    pub vat_id: String,
    /// A business rather than a consumer (decides the recipient's UID and, in Germany, the
    /// consumer notice of § 286 Abs. 3 BGB).
    pub business: bool,
    /// The opening of a letter to them ("Sehr geehrte Frau Kind,"); a neutral one when empty.
    pub salutation: String,
}

impl Party {
    /// Checks the fields and normalises the UID; reports a field as `<prefix>_<field>`.
    pub fn validated(mut self, field: Field) -> Result<Party> {
        let mut f = validate::Fields::default();
        f.check(validate::required(field, &self.name));
        for v in [&self.street, &self.postal_code, &self.city, &self.country, &self.salutation] {
            f.check(validate::line(field, v));
        }
        // The e-mail and the UID are named as fields of their own, so a wrong one is told apart
        // from a missing name.
        f.check(validate::email(Party::field_of(field, Field::Email), &self.email));
        if let Some(v) = f.check(validate::vat_id(Party::field_of(field, Field::VatId), &self.vat_id)) {
            self.vat_id = v;
        }
        f.finish()?;
        Ok(self)
    }

    /// The name of a party's field in an error: `bill_to_email`, `split_vat_id`, `bill_to_country`.
    pub fn field_of(party: Field, field: Field) -> Field {
        match (party, field) {
            (Field::Guardian, Field::Email) => Field::GuardianEmail,
            (Field::Guardian, Field::VatId) => Field::GuardianVatId,
            (Field::BillTo, Field::Email) => Field::BillToEmail,
            (Field::BillTo, Field::VatId) => Field::BillToVatId,
            (Field::BillTo, Field::Country) => Field::BillToCountry,
            (Field::SplitName, Field::Email) => Field::SplitEmail,
            (Field::SplitName, Field::VatId) => Field::SplitVatId,
            (Field::SplitName, Field::Country) => Field::SplitCountry,
            (_, f) => f,
        }
    }

    /// The first address field that is empty, if any (name, street, postal code, city).
    pub fn missing_address_field(&self) -> Option<Field> {
        [
            (Field::Name, &self.name),
            (Field::Street, &self.street),
            (Field::PostalCode, &self.postal_code),
            (Field::City, &self.city),
        ]
        .into_iter()
        .find(|(_, v)| v.trim().is_empty())
        .map(|(f, _)| f)
    }
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
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
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClientSummary {
    pub id: ClientId,
    pub given_name: String,
    pub family_name: String,
    pub code_name: String,
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub birth_date: Option<Date>,
    pub status: ClientStatus,
    pub city: String,
}

/// The most sessions an approval can name (far above any insurer's contingent).
pub const MAX_APPROVED_SESSIONS: u32 = 1000;

/// Everything the user enters for a client; used for creating and for replacing.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ClientInput {
    pub given_name: String,
    pub family_name: String,
    pub code_name: String,
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
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
    pub insurance_kind: InsuranceKind,
    /// A co-insured child or spouse: the insured person's name and insurance number, which the
    /// ÖGK's Honorarnote shows next to the patient.
    pub insured_name: String,
    pub insured_number: String,
    /// The medical examination required before the second session (§ 135 Abs. 1 ASVG).
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub medical_exam_date: Option<Date>,
    /// The treatment method the claim form names (else the practice's setting).
    pub treatment_method: String,
    /// The date of a written fee agreement (§ 2 GOÄ), which allows a multiplier above 3,5.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub fee_agreement_date: Option<Date>,
    /// The opening of a letter to the client ("Sehr geehrte Frau Müller,"); neutral when empty.
    pub salutation: String,
    /// Sessions the insurer approved in all, counted from the first session (ÖGK: approval is
    /// needed from the eleventh on); `None` when no approval is recorded.
    pub approved_sessions: Option<u32>,
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
    /// insurance numbers without spaces, UIDs upper-case). Reports every wrong field by name,
    /// in the order of the form. The practice's country decides how a number of an unspecified
    /// insurer is read.
    pub fn validated(mut self, today: Date, country: Country) -> Result<ClientInput> {
        let mut f = validate::Fields::default();
        f.check(validate::required(Field::FamilyName, &self.family_name));
        f.check(validate::line(Field::GivenName, &self.given_name));
        for (name, v) in [
            (Field::CodeName, &self.code_name),
            (Field::Phone, &self.phone),
            (Field::Street, &self.street),
            (Field::PostalCode, &self.postal_code),
            (Field::City, &self.city),
            (Field::Country, &self.country),
            (Field::Insurer, &self.insurer),
            (Field::InsuredName, &self.insured_name),
            (Field::TreatmentMethod, &self.treatment_method),
            (Field::Salutation, &self.salutation),
        ] {
            f.check(validate::line(name, v));
        }
        f.check(validate::email(Field::Email, &self.email));
        if let Some(d) = self.birth_date {
            f.check(validate::birth_date(d, today));
        }
        let kind = self.insurance_kind;
        if let Some(n) =
            f.check(validate::insurance_number(Field::InsuranceNumber, &self.insurance_number, kind, country))
        {
            self.insurance_number = n;
        }
        // The insured person is insured with the same insurer as the co-insured client.
        if let Some(n) = f.check(validate::insurance_number(Field::InsuredNumber, &self.insured_number, kind, country))
        {
            self.insured_number = n;
        }
        if !self.insured_number.is_empty() && !f.failed(Field::InsuredName) {
            f.check(validate::required(Field::InsuredName, &self.insured_name));
        }
        for (name, d) in
            [(Field::MedicalExamDate, self.medical_exam_date), (Field::FeeAgreementDate, self.fee_agreement_date)]
        {
            if d.is_some_and(|d| d > today || d.year() < 1900) {
                f.wrong(name, Problem::OutOfRange);
            }
        }
        if self.approved_sessions.is_some_and(|n| n == 0 || n > MAX_APPROVED_SESSIONS) {
            f.wrong(Field::ApprovedSessions, Problem::OutOfRange);
        }
        for d in &mut self.diagnoses {
            d.code = d.code.trim().to_ascii_uppercase();
            f.check(validate::icd10(&d.code));
            f.check(validate::line(Field::DiagnosisText, &d.text));
        }
        self.guardian = self.guardian.and_then(|g| f.check(g.validated(Field::Guardian)));
        self.bill_to = self.bill_to.and_then(|b| f.check(b.validated(Field::BillTo)));
        f.check(validate::text(Field::Notes, &self.notes));
        f.finish()?;
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
        match c.clone().validated(today(), Country::AT).unwrap_err() {
            Error::Invalid { field, problem, .. } => {
                assert_eq!(field, Field::InsuranceNumber);
                assert_eq!(problem, Problem::CheckDigit);
            }
            e => panic!("{e}"),
        }
        c.insurance_number = "1237 010180".into();
        c.birth_date = Some(jiff::civil::date(2030, 1, 1));
        assert!(matches!(
            c.clone().validated(today(), Country::AT),
            Err(Error::Invalid { field: Field::BirthDate, .. })
        ));
        c.birth_date = Some(jiff::civil::date(1980, 1, 1));
        let ok = c.validated(today(), Country::AT).unwrap();
        assert_eq!(ok.insurance_number, "1237010180");
    }

    #[test]
    fn empty_family_name_is_required() {
        let c = ClientInput::default();
        assert!(matches!(
            c.validated(today(), Country::AT),
            Err(Error::Invalid { field: Field::FamilyName, problem: Problem::Required, .. })
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
