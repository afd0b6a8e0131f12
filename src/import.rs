//! Import from other tools: clients, services, appointments and past sessions from a CSV or
//! XLSX file. The file becomes a [`table::Table`]; a [`mapping::Mapping`] says which column
//! fills which field; [`plan`] turns every row into a record the core would save, or into the
//! reasons it cannot (row number, field, problem: the UI phrases them), and finds duplicates.
//! The vault (`vault/import.rs`) shows the plan as a dry run or saves it in one transaction.

pub mod mapping;
pub mod table;
pub mod values;

use std::collections::HashSet;

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};

use crate::domain::client::ClientInput;
use crate::domain::ids::{ClientId, ServiceId};
use crate::domain::money::Cents;
use crate::domain::practice::Country;
use crate::domain::service::{Service, ServiceInput, TaxMode};
use crate::domain::session::{SessionInput, Setting};
use crate::domain::Field;
use crate::error::{Error, Problem, Result};
use crate::store::{ClientIdentity, NewSession};

pub use mapping::{Kind, Mapping};
use table::{Cell, Row, Table};

/// What the user chose besides the file.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ImportOptions {
    /// Field → column; `None` takes the proposal (remembered, else guessed from the headers).
    pub mapping: Option<Mapping>,
    /// Import rows found to be duplicates too (else they are reported and skipped).
    pub duplicates: bool,
}

/// Why a row cannot be imported. `Invalid` comes with the field and its [`Problem`].
/// (`ImportReason` in the TypeScript bindings.)
#[cfg_attr(feature = "specta", derive(specta::Type), specta(rename = "ImportReason"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Invalid,
    /// No client of the practice has this name (and birth date).
    NoSuchClient,
    /// Several clients have this name: a birth date column tells them apart.
    AmbiguousClient,
    NoSuchService,
    AmbiguousService,
}

/// One reason a row is not imported; a row may have several.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowIssue {
    /// The row number a spreadsheet program shows (the header is row 1).
    pub row: u32,
    pub field: Field,
    pub reason: Reason,
    pub problem: Option<Problem>,
}

/// A row as it would be saved, in short: who or what, and its date, time, length and amount.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReadyRow {
    pub row: u32,
    /// The client's or the service's name.
    pub label: String,
    /// A client's birth date; an appointment's or a session's date.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub date: Option<Date>,
    /// An appointment's local start, `HH:MM`.
    pub time: Option<String>,
    pub minutes: Option<u32>,
    /// A service's price or a session's fee.
    pub amount: Option<Cents>,
}

/// The dry run: what would be imported, what would be skipped as a duplicate, and every row that
/// cannot be, with why.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Preview {
    pub kind: Kind,
    /// The file's column headers, in order.
    pub columns: Vec<String>,
    /// The fields of this kind, each with whether a row needs it.
    pub fields: Vec<FieldChoice>,
    /// The mapping this preview used.
    pub mapping: Mapping,
    /// Data rows read (empty lines not counted).
    pub rows: u32,
    pub ready: Vec<ReadyRow>,
    /// Rows that match a record already there (or an earlier row of the file).
    pub duplicates: Vec<ReadyRow>,
    pub rejected: Vec<RowIssue>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldChoice {
    pub field: Field,
    pub required: bool,
}

/// A file's columns and the mapping proposed for them: the wizard's mapping step.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Proposal {
    pub kind: Kind,
    pub columns: Vec<String>,
    pub fields: Vec<FieldChoice>,
    /// Remembered from the last import of this kind where its columns exist, else guessed.
    pub mapping: Mapping,
    /// Data rows in the file.
    pub rows: u32,
}

/// The fields of a kind as a form lists them.
pub fn field_choices(kind: Kind) -> Vec<FieldChoice> {
    kind.fields().iter().map(|s| FieldChoice { field: s.field, required: s.required }).collect()
}

/// What an import did.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub imported: u32,
    /// Duplicates left out (0 when the user asked to import them).
    pub skipped_duplicates: u32,
    pub rejected_rows: u32,
    /// The dry run the import carried out.
    pub preview: Preview,
}

/// What the rows are compared with and checked against: the practice as it is now.
pub(crate) struct Context<'a> {
    pub today: Date,
    pub country: Country,
    pub tz: jiff::tz::TimeZone,
    pub default_tax: TaxMode,
    pub clients: Vec<ClientIdentity>,
    pub services: Vec<Service>,
    pub appointment_keys: HashSet<(String, i64)>,
    pub session_keys: HashSet<(String, String)>,
    /// The vault's check of a service (fee schedule and tax mode against the practice).
    pub check_service: &'a dyn Fn(ServiceInput) -> Result<ServiceInput>,
}

/// A record ready to be saved.
pub(crate) enum Record {
    Client(Box<ClientInput>),
    Service(ServiceInput),
    Appointment { client_id: ClientId, service_id: Option<ServiceId>, start: Timestamp, end: Timestamp, note: String },
    Session { session: NewSession, note: String },
}

pub(crate) struct Plan {
    pub preview: Preview,
    /// Each record with whether it is a duplicate.
    pub records: Vec<(Record, bool)>,
}

/// Plans the import of `table` as `kind` with a checked mapping.
pub(crate) fn plan(kind: Kind, table: &Table, mapping: Mapping, cx: &Context<'_>) -> Plan {
    let columns: Vec<(Field, usize)> = kind
        .fields()
        .iter()
        .filter_map(|s| mapping.get(s.field.as_str()).and_then(|c| table.column(c)).map(|i| (s.field, i)))
        .collect();
    let mut preview = Preview {
        kind,
        columns: table.headers.clone(),
        fields: field_choices(kind),
        mapping,
        rows: table.rows.len() as u32,
        ready: Vec::new(),
        duplicates: Vec::new(),
        rejected: Vec::new(),
    };
    let mut seen = Seen::default();
    let mut records = Vec::new();
    for row in &table.rows {
        let cells = Cells { row, columns: &columns };
        match plan_row(kind, &cells, cx, &mut seen) {
            Ok((record, ready, duplicate)) => {
                if duplicate {
                    preview.duplicates.push(ready);
                } else {
                    preview.ready.push(ready);
                }
                records.push((record, duplicate));
            }
            Err(issues) => preview.rejected.extend(issues.into_iter().map(|(field, reason, problem)| RowIssue {
                row: row.number,
                field,
                reason,
                problem,
            })),
        }
    }
    Plan { preview, records }
}

/// Keys of the rows accepted so far, so a file that lists a record twice imports it once.
#[derive(Default)]
struct Seen {
    keys: HashSet<String>,
}

type Issue = (Field, Reason, Option<Problem>);

fn invalid(field: Field, p: Problem) -> Issue {
    (field, Reason::Invalid, Some(p))
}

/// The issues a domain check found, one per field.
fn issues_of(e: Error) -> Vec<Issue> {
    match e {
        Error::Invalid { .. } => e.fields().into_iter().map(|(f, p)| invalid(f, p)).collect(),
        Error::AmountTooLarge { field, .. } => vec![invalid(field, Problem::OutOfRange)],
        Error::TaxModeNotAllowed { .. } => vec![invalid(Field::TaxRate, Problem::NotAllowed)],
        _ => vec![invalid(Field::Name, Problem::NotAllowed)],
    }
}

/// The cells of one row by field.
struct Cells<'a> {
    row: &'a Row,
    columns: &'a [(Field, usize)],
}

impl Cells<'_> {
    fn get(&self, f: Field) -> Option<&Cell> {
        let i = self.columns.iter().find(|(g, _)| *g == f)?.1;
        self.row.cells.get(i).filter(|c| !c.is_empty())
    }

    fn text(&self, f: Field, issues: &mut Vec<Issue>) -> String {
        match self.get(f) {
            Some(Cell::Error) => {
                issues.push(invalid(f, Problem::BadFormat));
                String::new()
            }
            Some(c) => values::text(c),
            None => String::new(),
        }
    }

    fn parsed<T>(&self, f: Field, parse: fn(&Cell) -> Result<T, Problem>, issues: &mut Vec<Issue>) -> Option<T> {
        let c = self.get(f)?;
        parse(c).map_err(|p| issues.push(invalid(f, p))).ok()
    }
}

fn plan_row(
    kind: Kind,
    c: &Cells<'_>,
    cx: &Context<'_>,
    seen: &mut Seen,
) -> Result<(Record, ReadyRow, bool), Vec<Issue>> {
    let mut issues = Vec::new();
    let number = c.row.number;
    let (record, ready, key, exists) = match kind {
        Kind::Clients => {
            let input = ClientInput {
                given_name: c.text(Field::GivenName, &mut issues),
                family_name: c.text(Field::FamilyName, &mut issues),
                code_name: c.text(Field::CodeName, &mut issues),
                birth_date: c.parsed(Field::BirthDate, values::date, &mut issues),
                email: c.text(Field::Email, &mut issues),
                phone: c.text(Field::Phone, &mut issues),
                street: c.text(Field::Street, &mut issues),
                postal_code: c.text(Field::PostalCode, &mut issues),
                city: c.text(Field::City, &mut issues),
                country: c.text(Field::Country, &mut issues),
                insurer: c.text(Field::Insurer, &mut issues),
                insurance_number: c.text(Field::InsuranceNumber, &mut issues),
                notes: c.text(Field::Notes, &mut issues),
                ..Default::default()
            };
            let input = checked(input.validated(cx.today, cx.country), issues)?;
            let key = format!(
                "c\u{1f}{}\u{1f}{}\u{1f}{:?}",
                fold(&input.family_name),
                fold(&input.given_name),
                input.birth_date
            );
            let exists = cx.clients.iter().any(|k| {
                fold(&k.family_name) == fold(&input.family_name)
                    && fold(&k.given_name) == fold(&input.given_name)
                    && k.birth_date == input.birth_date
            });
            let ready = ReadyRow {
                row: number,
                label: input.display_name(),
                date: input.birth_date,
                time: None,
                minutes: None,
                amount: None,
            };
            (Record::Client(Box::new(input)), ready, key, exists)
        }
        Kind::Services => {
            let name = c.text(Field::Name, &mut issues);
            let code = c.text(Field::Code, &mut issues);
            let minutes = c.parsed(Field::Minutes, values::minutes, &mut issues);
            let price = c.parsed(Field::Price, values::cents, &mut issues);
            let tax = match c.parsed(Field::TaxRate, values::rate_bp, &mut issues) {
                Some(rate_bp) if rate_bp > 0 => TaxMode::Taxable { rate_bp },
                _ => cx.default_tax,
            };
            let input = ServiceInput {
                name,
                code,
                minutes: minutes.unwrap_or(0),
                price: price.unwrap_or_default(),
                tax,
                fee: Default::default(),
                retired: false,
            };
            for f in [Field::Minutes, Field::Price] {
                if c.get(f).is_none() {
                    issues.push(invalid(f, Problem::Required));
                }
            }
            // A field that did not parse is reported once: `checked` adds the domain's issues of
            // the other fields only.
            let mut input = checked((cx.check_service)(input), issues)?;
            input.retired = false;
            let key = format!("s\u{1f}{}", fold(&input.name));
            let exists = cx.services.iter().any(|s| fold(&s.data.name) == fold(&input.name));
            let ready = ReadyRow {
                row: number,
                label: input.name.clone(),
                date: None,
                time: None,
                minutes: Some(input.minutes),
                amount: Some(input.price),
            };
            (Record::Service(input), ready, key, exists)
        }
        Kind::Appointments => {
            let client = client_of(c, cx, &mut issues);
            let service = service_of(c, cx, &mut issues);
            let note = c.text(Field::Note, &mut issues);
            let local = match c.get(Field::Date) {
                Some(d) => values::start(d, c.get(Field::Start))
                    .map_err(|(on_date, p)| issues.push(invalid(if on_date { Field::Date } else { Field::Start }, p)))
                    .ok(),
                None => {
                    issues.push(invalid(Field::Date, Problem::Required));
                    None
                }
            };
            let minutes = c.parsed(Field::Minutes, values::minutes, &mut issues).or(service.map(|s| s.data.minutes));
            // A service named but not found is reported; what it would have given is not.
            let named = c.get(Field::Service).is_some();
            if minutes.is_none() && c.get(Field::Minutes).is_none() && !named {
                issues.push(invalid(Field::Minutes, Problem::Required));
            }
            if let Err(e) = crate::domain::appointment::validate_details(
                minutes.unwrap_or(1),
                crate::domain::appointment::AppointmentKind::InPerson,
                "",
                &note,
            ) {
                issues.extend(issues_of(e));
            }
            let start = local.and_then(|l| {
                cx.tz
                    .to_ambiguous_zoned(l)
                    .compatible()
                    .map(|z| z.timestamp())
                    .map_err(|_| issues.push(invalid(Field::Start, Problem::OutOfRange)))
                    .ok()
            });
            let (Some(client), Some(start), Some(minutes), Some(local), true) =
                (client, start, minutes, local, issues.is_empty())
            else {
                return Err(issues);
            };
            let end = start
                .checked_add((minutes as i64).minutes())
                .map_err(|_| vec![invalid(Field::Minutes, Problem::OutOfRange)])?;
            let key = format!("a\u{1f}{}\u{1f}{}", client.id, start.as_second());
            let exists = cx.appointment_keys.contains(&(client.id.to_string(), start.as_second()));
            let ready = ReadyRow {
                row: number,
                label: name_of(client),
                date: Some(local.date()),
                time: Some(local.time().strftime("%H:%M").to_string()),
                minutes: Some(minutes),
                amount: None,
            };
            (
                Record::Appointment { client_id: client.id, service_id: service.map(|s| s.id), start, end, note },
                ready,
                key,
                exists,
            )
        }
        Kind::Sessions => {
            let client = client_of(c, cx, &mut issues);
            let service = service_of(c, cx, &mut issues);
            let note = c.text(Field::Note, &mut issues);
            let date = c.parsed(Field::Date, values::date, &mut issues);
            if c.get(Field::Date).is_none() {
                issues.push(invalid(Field::Date, Problem::Required));
            }
            let minutes = c.parsed(Field::Minutes, values::minutes, &mut issues).or(service.map(|s| s.data.minutes));
            // A service named but not found is reported; what it would have given is not.
            let named = c.get(Field::Service).is_some();
            if minutes.is_none() && c.get(Field::Minutes).is_none() && !named {
                issues.push(invalid(Field::Minutes, Problem::Required));
            }
            let fee = c.parsed(Field::Fee, values::cents, &mut issues).or(service.map(|s| s.data.price));
            if fee.is_none() && c.get(Field::Fee).is_none() && !named {
                issues.push(invalid(Field::Fee, Problem::Required));
            }
            let (Some(client), Some(date), Some(minutes), Some(fee)) = (client, date, minutes, fee) else {
                return Err(issues);
            };
            let input = SessionInput {
                client_id: client.id,
                appointment_id: None,
                service_id: service.map(|s| s.id),
                date,
                minutes: Some(minutes),
                fee: Some(fee),
                setting: None,
                group_size: None,
                note: note.clone(),
            };
            if let Err(e) = input.validate() {
                issues.extend(issues_of(e));
            }
            if !issues.is_empty() {
                return Err(issues);
            }
            let key = format!("x\u{1f}{}\u{1f}{date}", client.id);
            let exists = cx.session_keys.contains(&(client.id.to_string(), date.to_string()));
            let ready = ReadyRow {
                row: number,
                label: name_of(client),
                date: Some(date),
                time: None,
                minutes: Some(minutes),
                amount: Some(fee),
            };
            let session = NewSession {
                client_id: client.id,
                appointment_id: None,
                service_id: service.map(|s| s.id),
                date,
                minutes,
                fee,
                setting: Setting::Individual,
                group_size: None,
            };
            (Record::Session { session, note }, ready, key, exists)
        }
    };
    let duplicate = exists || !seen.keys.insert(key);
    Ok((record, ready, duplicate))
}

/// The validated input, or every issue: the parse issues and the domain's.
fn checked<T>(validated: Result<T>, mut issues: Vec<Issue>) -> Result<T, Vec<Issue>> {
    match validated {
        Ok(v) if issues.is_empty() => Ok(v),
        Ok(_) => Err(issues),
        Err(e) => {
            for i in issues_of(e) {
                if !issues.iter().any(|(f, ..)| *f == i.0) {
                    issues.push(i);
                }
            }
            Err(issues)
        }
    }
}

/// Names compared without regard to case, surrounding spaces or Unicode composition.
fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.trim().nfc().collect::<String>().to_lowercase()
}

fn name_of(k: &ClientIdentity) -> String {
    ClientInput { given_name: k.given_name.clone(), family_name: k.family_name.clone(), ..Default::default() }
        .display_name()
}

/// The client a row names: by family and given name, the birth date when the file has one; a
/// single "Name" column with "Given Family" is tried as such when nobody has it as family name.
fn client_of<'c>(c: &Cells<'_>, cx: &'c Context<'_>, issues: &mut Vec<Issue>) -> Option<&'c ClientIdentity> {
    let given = c.text(Field::GivenName, issues);
    let family = c.text(Field::FamilyName, issues);
    let birth = c.parsed(Field::BirthDate, values::date, issues);
    if family.is_empty() {
        issues.push(invalid(Field::FamilyName, Problem::Required));
        return None;
    }
    let find = |given: &str, family: &str| -> Vec<&'c ClientIdentity> {
        cx.clients
            .iter()
            .filter(|k| fold(&k.family_name) == fold(family))
            .filter(|k| given.is_empty() || fold(&k.given_name) == fold(given))
            .filter(|k| birth.is_none() || k.birth_date.is_none() || k.birth_date == birth)
            .collect()
    };
    let mut found = find(&given, &family);
    if found.is_empty() && given.is_empty() {
        let whole = ClientInput::with_full_name(&family);
        if !whole.given_name.is_empty() {
            found = find(&whole.given_name, &whole.family_name);
        }
    }
    match found.as_slice() {
        [one] => Some(*one),
        [] => {
            issues.push((Field::FamilyName, Reason::NoSuchClient, None));
            None
        }
        _ => {
            issues.push((Field::FamilyName, Reason::AmbiguousClient, None));
            None
        }
    }
}

/// The service a row names, by name or code; a retired one is not offered for new work.
fn service_of<'c>(c: &Cells<'_>, cx: &'c Context<'_>, issues: &mut Vec<Issue>) -> Option<&'c Service> {
    let want = fold(&c.text(Field::Service, issues));
    if want.is_empty() {
        return None;
    }
    let found: Vec<&Service> = cx
        .services
        .iter()
        .filter(|s| fold(&s.data.name) == want || (!s.data.code.is_empty() && fold(&s.data.code) == want))
        .collect();
    let active: Vec<&Service> = found.iter().copied().filter(|s| !s.data.retired).collect();
    match (active.as_slice(), found.is_empty()) {
        ([one], _) => Some(*one),
        ([], true) => {
            issues.push((Field::Service, Reason::NoSuchService, None));
            None
        }
        ([], false) => {
            issues.push(invalid(Field::Service, Problem::NotAllowed));
            None
        }
        _ => {
            issues.push((Field::Service, Reason::AmbiguousService, None));
            None
        }
    }
}
