//! Values a newer Tresor may add — statuses, kinds, tax modes, countries, dunning levels, fields
//! inside JSON columns — checked by the core's own parsers before a row from another computer is
//! written. A row that fails is one this version cannot show; the merge keeps it aside instead
//! of storing something every later read would fail on (schema 4 dropped the CHECK constraints
//! that used to stop the merge here).

use serde_json::Value as Json;

use crate::billing::model::{BillTo, DocSnapshot, InvoiceKind, LineKind, Payer};
use crate::billing::number::NumberFormat;
use crate::domain::appointment::{AppointmentKind, AppointmentStatus};
use crate::domain::client::{ClientStatus, Diagnosis, InsuranceKind, Party};
use crate::domain::practice::{Country, Language};
use crate::domain::service::{FeeSchedule, TaxMode};
use crate::domain::session::Setting;

type Check = fn(&Json) -> bool;

fn text(v: &Json, ok: impl Fn(&str) -> bool) -> bool {
    v.as_str().is_some_and(ok)
}

fn nullable_text(v: &Json, ok: impl Fn(&str) -> bool) -> bool {
    v.is_null() || text(v, ok)
}

/// A JSON column: the text must parse as the type the reader expects.
fn json_of<T: serde::de::DeserializeOwned>(v: &Json) -> bool {
    text(v, |s| serde_json::from_str::<T>(s).is_ok())
}

fn nullable_json_of<T: serde::de::DeserializeOwned>(v: &Json) -> bool {
    v.is_null() || json_of::<T>(v)
}

const CHECKS: &[(&str, &str, Check)] = &[
    // The file name is joined to the attachments folder: only our own random names, never a path.
    ("attachments", "file", |v| text(v, crate::attachment::is_file_name)),
    ("attachments", "expires_at", |v| nullable_text(v, |s| s.parse::<jiff::Timestamp>().is_ok())),
    ("practice", "country", |v| text(v, |s| Country::parse(s).is_ok())),
    ("practice", "language", |v| text(v, |s| Language::parse(s).is_ok())),
    ("practice", "working_hours", |v| text(v, |s| crate::domain::WorkingHours::from_json(s).is_some())),
    ("clients", "status", |v| text(v, |s| ClientStatus::parse(s).is_ok())),
    ("clients", "language", |v| nullable_text(v, |s| Language::parse(s).is_ok())),
    ("clients", "diagnoses", json_of::<Vec<Diagnosis>>),
    ("clients", "guardian", nullable_json_of::<Party>),
    ("clients", "bill_to", nullable_json_of::<Party>),
    ("clients", "insurance_kind", |v| text(v, |s| InsuranceKind::parse(s).is_ok())),
    ("appointments", "kind", |v| text(v, |s| AppointmentKind::parse(s).is_ok())),
    ("appointments", "status", |v| text(v, |s| AppointmentStatus::parse(s).is_ok())),
    ("sessions", "setting", |v| text(v, |s| Setting::parse(s).is_ok())),
    ("services", "tax_mode", |v| text(v, |s| TaxMode::parse(s).is_ok())),
    ("services", "fee_schedule", |v| text(v, |s| FeeSchedule::parse(s).is_ok())),
    ("billing_settings", "number_format", |v| text(v, |s| NumberFormat::parse(s).is_ok())),
    ("billing_settings", "default_interest", |v| v.as_i64().is_some_and(|b| b == 0 || b == 1)),
    ("client_billing", "bill_to", json_of::<BillTo>),
    ("invoices", "kind", |v| text(v, |s| InvoiceKind::parse(s).is_ok())),
    ("invoices", "state", |v| text(v, |s| super::replicate::DocState::parse(s).is_some())),
    ("invoices", "language", |v| text(v, |s| Language::parse(s).is_ok())),
    ("invoices", "payer", json_of::<Payer>),
    ("invoices", "snapshot", nullable_json_of::<DocSnapshot>),
    ("invoice_lines", "kind", |v| text(v, |s| LineKind::parse(s).is_ok())),
    ("invoice_lines", "tax_mode", |v| text(v, |s| TaxMode::parse(s).is_ok())),
    ("invoice_lines", "setting", |v| nullable_text(v, |s| Setting::parse(s).is_ok())),
    ("invoice_lines", "fee_schedule", |v| text(v, |s| FeeSchedule::parse(s).is_ok())),
    ("dunning_letters", "level", |v| v.as_i64().is_some_and(|l| (1..=3).contains(&l))),
];

/// The first column of `table` whose value this version does not know, if any. A column the
/// row does not carry is not checked (an older computer's row keeps this one's value).
pub(super) fn unknown_value(table: &str, cols: &std::collections::BTreeMap<String, Json>) -> Option<&'static str> {
    CHECKS
        .iter()
        .filter(|(t, _, _)| *t == table)
        .find(|(_, c, ok)| cols.get(*c).is_some_and(|v| !ok(v)))
        .map(|(_, c, _)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_from_a_newer_version_are_told_apart() {
        let row = |k: &str, v: Json| std::collections::BTreeMap::from([(k.to_string(), v)]);
        assert_eq!(unknown_value("clients", &row("status", json!("active"))), None);
        assert_eq!(unknown_value("clients", &row("status", json!("waitlist"))), Some("status"));
        assert_eq!(unknown_value("services", &row("tax_mode", json!("ch_vat"))), Some("tax_mode"));
        assert_eq!(unknown_value("clients", &row("guardian", Json::Null)), None);
        assert_eq!(unknown_value("clients", &row("diagnoses", json!("[{\"nope\": 1}]"))), Some("diagnoses"));
        assert_eq!(unknown_value("dunning_letters", &row("level", json!(4))), Some("level"));
        assert_eq!(unknown_value("sessions", &row("minutes", json!(50))), None);
        // An attachment's file name becomes a path: only our own names pass.
        let ours = crate::attachment::new_file_name().unwrap();
        assert_eq!(unknown_value("attachments", &row("file", json!(ours))), None);
        assert_eq!(unknown_value("attachments", &row("file", json!("../vault.key"))), Some("file"));
        assert_eq!(unknown_value("attachments", &row("expires_at", json!("morgen"))), Some("expires_at"));
        assert_eq!(unknown_value("services", &row("fee_schedule", json!("uv_goae"))), Some("fee_schedule"));
        assert_eq!(unknown_value("services", &row("fee_schedule", json!("analog"))), None);
        assert_eq!(unknown_value("clients", &row("insurance_kind", json!("swiss_kvg"))), Some("insurance_kind"));
    }
}
