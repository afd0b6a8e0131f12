//! Turning row values into domain values. A value that does not parse means the file was
//! altered outside Tresor, so it surfaces as a conversion error (→ "damaged data"), never a panic.

use std::str::FromStr;

use rusqlite::types::Type;
use rusqlite::Row;

use crate::domain::Stamps;
use crate::hlc::Hlc;

/// SQL for the sum of an integer money column that never fails inside SQLite. SQLite's `sum()`
/// stops the whole query with "integer overflow", so one stored amount out of range (a file from
/// before amounts were bounded) would stop every list; the high and low 32-bit halves, summed
/// apart, cannot overflow below two billion rows, and `split_sum_at` joins them with a check.
pub fn split_sum(col: &str) -> String {
    format!("{}, {}", sum_high(col), sum_low(col))
}

pub fn sum_high(col: &str) -> String {
    format!("coalesce(sum({col} >> 32), 0)")
}

pub fn sum_low(col: &str) -> String {
    format!("coalesce(sum({col} & 4294967295), 0)")
}

/// The sum `split_sum` selected at `col` and `col + 1`; `None` when it is out of range.
pub fn split_sum_at(row: &Row<'_>, col: usize) -> rusqlite::Result<Option<crate::domain::money::Cents>> {
    Ok(crate::domain::money::Cents::from_split_sum(row.get(col)?, row.get(col + 1)?))
}

pub fn bad<E: std::error::Error + Send + Sync + 'static>(col: usize, e: E) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(col, Type::Text, Box::new(e))
}

#[derive(Debug)]
pub struct BadValue(pub &'static str);

impl std::fmt::Display for BadValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unexpected {} value", self.0)
    }
}
impl std::error::Error for BadValue {}

/// Parses a text column with `FromStr`.
pub fn parse<T: FromStr>(row: &Row<'_>, col: usize, what: &'static str) -> rusqlite::Result<T> {
    let s: String = row.get(col)?;
    s.parse().map_err(|_| bad(col, BadValue(what)))
}

pub fn parse_opt<T: FromStr>(row: &Row<'_>, col: usize, what: &'static str) -> rusqlite::Result<Option<T>> {
    let s: Option<String> = row.get(col)?;
    match s {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| bad(col, BadValue(what))),
    }
}

/// Maps a domain `parse` (e.g. `ClientStatus::parse`) over a text column.
pub fn parse_with<T>(
    row: &Row<'_>,
    col: usize,
    f: impl FnOnce(&str) -> crate::Result<T>,
    what: &'static str,
) -> rusqlite::Result<T> {
    let s: String = row.get(col)?;
    f(&s).map_err(|_| bad(col, BadValue(what)))
}

pub fn json<T: serde::de::DeserializeOwned>(row: &Row<'_>, col: usize) -> rusqlite::Result<T> {
    let s: String = row.get(col)?;
    serde_json::from_str(&s).map_err(|e| bad(col, e))
}

pub fn json_opt<T: serde::de::DeserializeOwned>(row: &Row<'_>, col: usize) -> rusqlite::Result<Option<T>> {
    let s: Option<String> = row.get(col)?;
    s.map(|s| serde_json::from_str(&s).map_err(|e| bad(col, e))).transpose()
}

/// Reads `created_hlc, updated_hlc, device` starting at `col`.
pub fn stamps(row: &Row<'_>, col: usize) -> rusqlite::Result<Stamps> {
    Ok(Stamps {
        created: Hlc(row.get(col)?).timestamp(),
        updated: Hlc(row.get(col + 1)?).timestamp(),
        device: row.get(col + 2)?,
    })
}

/// Serialises a value for a JSON column. Our own types are structs, enums, strings, numbers
/// and lists, which serde_json cannot fail on; writing "null" instead would lose a record.
pub fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("our record types always serialise to JSON")
}

/// A value of a record's field as one column: how it is written and read back. With
/// [`record_columns!`] a record's fields are named once for insert, update and select.
pub trait Column: Sized {
    fn to_sql(&self) -> rusqlite::types::Value;
    fn read(row: &Row<'_>, col: usize) -> rusqlite::Result<Self>;
}

impl Column for String {
    fn to_sql(&self) -> rusqlite::types::Value {
        rusqlite::types::Value::Text(self.clone())
    }
    fn read(row: &Row<'_>, col: usize) -> rusqlite::Result<Self> {
        row.get(col)
    }
}

/// Plain numbers and flags, as SQLite integers.
macro_rules! integer_column {
    ($($t:ty),*) => {$(
        impl Column for $t {
            fn to_sql(&self) -> rusqlite::types::Value {
                rusqlite::types::Value::Integer((*self).into())
            }
            fn read(row: &Row<'_>, col: usize) -> rusqlite::Result<Self> {
                row.get(col)
            }
        }
    )*};
}
integer_column!(u32, i64, bool);

impl Column for Option<u32> {
    fn to_sql(&self) -> rusqlite::types::Value {
        self.map_or(rusqlite::types::Value::Null, |n| rusqlite::types::Value::Integer(n.into()))
    }
    fn read(row: &Row<'_>, col: usize) -> rusqlite::Result<Self> {
        row.get(col)
    }
}

impl Column for Option<jiff::civil::Date> {
    fn to_sql(&self) -> rusqlite::types::Value {
        self.map_or(rusqlite::types::Value::Null, |d| rusqlite::types::Value::Text(d.to_string()))
    }
    fn read(row: &Row<'_>, col: usize) -> rusqlite::Result<Self> {
        parse_opt(row, col, "date")
    }
}

/// Columns holding JSON (a list or an optional object).
macro_rules! json_column {
    ($($t:ty),*) => {$(
        impl Column for $t {
            fn to_sql(&self) -> rusqlite::types::Value {
                rusqlite::types::Value::Text(to_json(self))
            }
            fn read(row: &Row<'_>, col: usize) -> rusqlite::Result<Self> {
                json(row, col)
            }
        }
    )*};
}
json_column!(Vec<crate::domain::client::Diagnosis>);

impl Column for Option<crate::domain::client::ClientStatus> {
    /// No status is stored as active, as a new client is.
    fn to_sql(&self) -> rusqlite::types::Value {
        rusqlite::types::Value::Text(self.unwrap_or(crate::domain::client::ClientStatus::Active).as_str().into())
    }
    fn read(row: &Row<'_>, col: usize) -> rusqlite::Result<Self> {
        parse_with(row, col, crate::domain::client::ClientStatus::parse, "status").map(Some)
    }
}

impl Column for crate::domain::client::InsuranceKind {
    fn to_sql(&self) -> rusqlite::types::Value {
        rusqlite::types::Value::Text(self.as_str().into())
    }
    fn read(row: &Row<'_>, col: usize) -> rusqlite::Result<Self> {
        parse_with(row, col, crate::domain::client::InsuranceKind::parse, "insurance kind")
    }
}

impl Column for Option<crate::domain::practice::Language> {
    fn to_sql(&self) -> rusqlite::types::Value {
        self.map_or(rusqlite::types::Value::Null, |l| rusqlite::types::Value::Text(l.as_str().into()))
    }
    fn read(row: &Row<'_>, col: usize) -> rusqlite::Result<Self> {
        let s: Option<String> = row.get(col)?;
        s.map(|s| crate::domain::practice::Language::parse(&s)).transpose().map_err(|_| bad(col, BadValue("language")))
    }
}

impl Column for Option<crate::domain::client::Party> {
    fn to_sql(&self) -> rusqlite::types::Value {
        self.as_ref().map_or(rusqlite::types::Value::Null, |p| rusqlite::types::Value::Text(to_json(p)))
    }
    fn read(row: &Row<'_>, col: usize) -> rusqlite::Result<Self> {
        json_opt(row, col)
    }
}

/// Names a record's fields once: the column list (field name = column name), the values in
/// that order (an exhaustive destructuring, so a new field does not compile until it is named
/// here) and the record read back from a row whose columns start at `first`.
macro_rules! record_columns {
    ($record:ident { $($field:ident),* $(,)? }) => {
        /// The record's columns, field name = column name, in this order everywhere.
        pub(super) const FIELD_COLUMNS: &[&str] = &[$(stringify!($field)),*];

        fn field_values(r: &$record) -> Vec<rusqlite::types::Value> {
            let $record { $($field),* } = r;
            vec![$($crate::store::rows::Column::to_sql($field)),*]
        }

        fn read_fields(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<$record> {
            let mut col = first;
            let mut next = || {
                col += 1;
                col - 1
            };
            Ok($record { $($field: $crate::store::rows::Column::read(row, next())?),* })
        }
    };
}
pub(crate) use record_columns;
