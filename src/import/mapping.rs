//! Which field of a record each column fills: the fields of each kind of import, the header
//! names German and English exports use for them, and the proposal for a new file (the mapping
//! remembered from the last import of that kind where its columns still exist, else a guess
//! from the headers).

use std::collections::BTreeMap;

use crate::domain::Field;
use crate::error::{Error, Result};

/// What an import brings in (`ImportKind` in the TypeScript bindings).
#[cfg_attr(feature = "specta", derive(specta::Type), specta(rename = "ImportKind"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Clients,
    Services,
    Appointments,
    Sessions,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Clients, Kind::Services, Kind::Appointments, Kind::Sessions];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Clients => "clients",
            Kind::Services => "services",
            Kind::Appointments => "appointments",
            Kind::Sessions => "sessions",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The fields this kind fills, in the order a form shows them.
    pub fn fields(self) -> &'static [Spec] {
        match self {
            Kind::Clients => CLIENTS,
            Kind::Services => SERVICES,
            Kind::Appointments => APPOINTMENTS,
            Kind::Sessions => SESSIONS,
        }
    }

    pub fn spec(self, field: Field) -> Option<&'static Spec> {
        self.fields().iter().find(|s| s.field == field)
    }
}

/// Field name (`Field::as_str`) → column header.
pub type Mapping = BTreeMap<String, String>;

/// One field an import fills, whether a row needs it, and the header names that mean it.
#[derive(Debug)]
pub struct Spec {
    pub field: Field,
    pub required: bool,
    pub names: &'static [&'static str],
}

const fn s(field: Field, required: bool, names: &'static [&'static str]) -> Spec {
    Spec { field, required, names }
}

// Who a row of appointments or sessions is about: the client by name (and birth date, when two
// share a name).
const GIVEN: &[&str] = &["vorname", "given name", "first name", "firstname", "forename", "rufname"];
const FAMILY: &[&str] = &[
    "nachname",
    "familienname",
    "zuname",
    "name",
    "family name",
    "last name",
    "lastname",
    "surname",
    "klient",
    "klientin",
    "patient",
    "patientin",
    "client",
];
const BIRTH: &[&str] = &[
    "geburtsdatum",
    "geb",
    "geb datum",
    "gebdatum",
    "geboren",
    "geburtstag",
    "birth date",
    "birthdate",
    "date of birth",
    "dob",
    "birthday",
];
const MINUTES: &[&str] = &["dauer", "minuten", "min", "dauer min", "dauer minuten", "duration", "minutes", "length"];
const SERVICE: &[&str] = &["leistung", "leistungsart", "therapieform", "service", "service name"];
const DATE: &[&str] = &["datum", "termin", "tag", "sitzungsdatum", "termindatum", "date", "day"];

const CLIENTS: &[Spec] = &[
    s(Field::GivenName, false, GIVEN),
    s(Field::FamilyName, true, FAMILY),
    s(Field::CodeName, false, &["kuerzel", "code", "chiffre", "pseudonym", "kennung", "code name", "codename"]),
    s(Field::BirthDate, false, BIRTH),
    s(Field::Email, false, &["email", "e mail", "mail", "emailadresse"]),
    s(
        Field::Phone,
        false,
        &["telefon", "tel", "telefonnummer", "handy", "mobil", "mobiltelefon", "phone", "mobile", "telephone"],
    ),
    s(Field::Street, false, &["strasse", "adresse", "anschrift", "strasse und hausnummer", "street", "address"]),
    s(Field::PostalCode, false, &["plz", "postleitzahl", "zip", "postal code", "postcode", "zip code"]),
    s(Field::City, false, &["ort", "stadt", "wohnort", "city", "town"]),
    s(Field::Country, false, &["land", "country"]),
    s(
        Field::Insurer,
        false,
        &["krankenkasse", "kasse", "versicherung", "krankenversicherung", "insurer", "insurance", "health insurance"],
    ),
    s(
        Field::InsuranceNumber,
        false,
        &[
            "versicherungsnummer",
            "svnr",
            "sv nummer",
            "sozialversicherungsnummer",
            "kvnr",
            "versichertennummer",
            "insurance number",
        ],
    ),
    s(
        Field::Notes,
        false,
        &[
            "notizen",
            "notiz",
            "anmerkungen",
            "anmerkung",
            "bemerkung",
            "bemerkungen",
            "notes",
            "note",
            "comment",
            "comments",
        ],
    ),
];

const SERVICES: &[Spec] = &[
    s(Field::Name, true, &["bezeichnung", "leistung", "name", "leistungsbezeichnung", "service", "description"]),
    s(Field::Code, false, &["code", "kuerzel", "nummer", "leistungsnummer", "number"]),
    s(Field::Minutes, true, MINUTES),
    s(Field::Price, true, &["preis", "honorar", "betrag", "preis eur", "preis euro", "price", "fee", "amount"]),
    s(Field::TaxRate, false, &["ust", "mwst", "ust satz", "mwst satz", "steuersatz", "vat", "tax", "tax rate"]),
];

const APPOINTMENTS: &[Spec] = &[
    s(Field::GivenName, false, GIVEN),
    s(Field::FamilyName, true, FAMILY),
    s(Field::BirthDate, false, BIRTH),
    s(Field::Date, true, DATE),
    s(Field::Start, false, &["beginn", "uhrzeit", "zeit", "von", "start", "time", "start time", "begin"]),
    s(Field::Minutes, false, MINUTES),
    s(Field::Service, false, SERVICE),
    s(Field::Note, false, &["notiz", "bemerkung", "anmerkung", "note", "notes", "comment"]),
];

const SESSIONS: &[Spec] = &[
    s(Field::GivenName, false, GIVEN),
    s(Field::FamilyName, true, FAMILY),
    s(Field::BirthDate, false, BIRTH),
    s(Field::Date, true, DATE),
    s(Field::Minutes, false, MINUTES),
    s(Field::Fee, false, &["honorar", "betrag", "preis", "fee", "amount", "price"]),
    s(Field::Service, false, SERVICE),
    s(
        Field::Note,
        false,
        &["dokumentation", "verlauf", "verlaufsnotiz", "notiz", "bemerkung", "note", "notes", "documentation"],
    ),
];

/// A header as it is compared: lower case, umlauts spelled out, punctuation as spaces.
pub fn normalise(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    for c in h.trim().to_lowercase().chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The mapping for a file with these headers: what was remembered (where its column is still
/// there), then for each field left the first unused column whose header means it.
pub fn propose(kind: Kind, headers: &[String], remembered: &Mapping) -> Mapping {
    let mut m = Mapping::new();
    let has = |col: &str| headers.iter().any(|h| h.trim().eq_ignore_ascii_case(col.trim()));
    for spec in kind.fields() {
        if let Some(col) = remembered.get(spec.field.as_str()).filter(|c| has(c)) {
            m.insert(spec.field.as_str().into(), col.clone());
        }
    }
    for spec in kind.fields() {
        if m.contains_key(spec.field.as_str()) {
            continue;
        }
        let taken = |h: &String| m.values().any(|c| c.eq_ignore_ascii_case(h));
        if let Some(h) = headers.iter().find(|h| !taken(h) && spec.names.contains(&normalise(h).as_str())) {
            m.insert(spec.field.as_str().into(), h.clone());
        }
    }
    m
}

/// Checks a mapping against the kind and the file: every key a field of this kind, every column
/// in the file, every required field mapped. Empty columns mean "not imported" and are dropped.
pub fn checked(kind: Kind, headers: &[String], mapping: &Mapping) -> Result<Mapping> {
    let mut out = Mapping::new();
    for (field, column) in mapping {
        if column.trim().is_empty() {
            continue;
        }
        if !kind.fields().iter().any(|s| s.field.as_str() == field) {
            return Err(Error::ImportUnknownField { name: field.clone() });
        }
        if !headers.iter().any(|h| h.trim().eq_ignore_ascii_case(column.trim())) {
            return Err(Error::ImportUnknownColumn { column: column.clone() });
        }
        out.insert(field.clone(), column.clone());
    }
    if let Some(missing) = kind.fields().iter().find(|s| s.required && !out.contains_key(s.field.as_str())) {
        return Err(Error::ImportMappingIncomplete { field: missing.field });
    }
    Ok(out)
}

/// `field=column,field=column` as the command line takes it.
pub fn parse_arg(arg: &str) -> Result<Mapping> {
    let mut m = Mapping::new();
    for pair in arg.split(',').filter(|p| !p.trim().is_empty()) {
        let (f, c) = pair.split_once('=').ok_or_else(|| Error::ImportUnknownField { name: pair.trim().into() })?;
        m.insert(f.trim().to_string(), c.trim().to_string());
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heads(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn guesses_german_and_english_headers() {
        let m = propose(
            Kind::Clients,
            &heads(&["Nachname", "Vorname", "Geb.-Datum", "E-Mail", "PLZ", "Straße"]),
            &Mapping::new(),
        );
        assert_eq!(m["family_name"], "Nachname");
        assert_eq!(m["given_name"], "Vorname");
        assert_eq!(m["birth_date"], "Geb.-Datum");
        assert_eq!(m["email"], "E-Mail");
        assert_eq!(m["street"], "Straße");
        let m = propose(Kind::Services, &heads(&["Name", "Duration", "Price"]), &Mapping::new());
        assert_eq!((m["name"].as_str(), m["minutes"].as_str(), m["price"].as_str()), ("Name", "Duration", "Price"));
    }

    #[test]
    fn the_remembered_mapping_wins_where_its_column_exists() {
        let remembered: Mapping =
            [("family_name".into(), "Klient".into()), ("email".into(), "Gone".into())].into_iter().collect();
        let m = propose(Kind::Clients, &heads(&["Klient", "Name", "Mail"]), &remembered);
        assert_eq!(m["family_name"], "Klient");
        assert_eq!(m["email"], "Mail");
    }

    #[test]
    fn a_mapping_is_checked_against_kind_and_file() {
        let h = heads(&["Name", "Dauer", "Preis"]);
        let m = parse_arg("name=Name,minutes=Dauer").unwrap();
        assert_eq!(checked(Kind::Services, &h, &m).unwrap_err().code(), "import.mapping_incomplete");
        let m = parse_arg("name=Name,minutes=Dauer,price=Kosten").unwrap();
        assert_eq!(checked(Kind::Services, &h, &m).unwrap_err().code(), "import.unknown_column");
        let m = parse_arg("name=Name,minutes=Dauer,price=Preis,colour=Name").unwrap();
        assert_eq!(checked(Kind::Services, &h, &m).unwrap_err().code(), "import.unknown_field");
    }
}
