//! The words of the client file's PDF for values the records keep as codes (appointment kind
//! and status, client status, insurance kind, language, the journal's records and changes), so a
//! German file shows no English code word.

use crate::domain::appointment::{AppointmentKind, AppointmentStatus};
use crate::domain::client::{ClientStatus, InsuranceKind};
use crate::domain::practice::Language;

use super::super::text::Locale;

pub fn kind(loc: &Locale, k: AppointmentKind) -> &'static str {
    match k {
        AppointmentKind::InPerson => loc.t("vor Ort", "in person"),
        AppointmentKind::Video => loc.t("Video", "video"),
        AppointmentKind::Phone => loc.t("Telefon", "phone"),
    }
}

pub fn appointment_status(loc: &Locale, s: AppointmentStatus) -> &'static str {
    match s {
        AppointmentStatus::Planned => loc.t("geplant", "planned"),
        AppointmentStatus::Done => loc.t("stattgefunden", "held"),
        AppointmentStatus::Cancelled => loc.t("abgesagt", "cancelled"),
        AppointmentStatus::NoShow => loc.t("nicht erschienen", "no-show"),
    }
}

pub fn client_status(loc: &Locale, s: ClientStatus) -> &'static str {
    match s {
        ClientStatus::Active => loc.t("aktiv", "active"),
        ClientStatus::Closed => loc.t("abgeschlossen", "closed"),
        ClientStatus::Restricted => loc.t("eingeschränkt sichtbar", "restricted"),
    }
}

pub fn insurance(loc: &Locale, k: InsuranceKind) -> &'static str {
    match k {
        InsuranceKind::Unspecified => "",
        InsuranceKind::AtStatutory => loc.t("gesetzlich (Österreich)", "statutory (Austria)"),
        InsuranceKind::DeStatutory => loc.t("gesetzlich (Deutschland)", "statutory (Germany)"),
        InsuranceKind::Private => loc.t("privat", "private"),
    }
}

pub fn language(loc: &Locale, l: Language) -> &'static str {
    match l {
        Language::De => loc.t("Deutsch", "German"),
        Language::En => loc.t("Englisch", "English"),
    }
}

/// The journal's record kind (`ENTITY` of the ids and the few named rows).
pub fn entity(loc: &Locale, e: &str) -> String {
    let w = match e {
        "client" => loc.t("Stammdaten", "record"),
        "client_billing" => loc.t("Abrechnungsdaten", "billing details"),
        "appointment" => loc.t("Termin", "appointment"),
        "appointment_series" => loc.t("Terminserie", "appointment series"),
        "session" => loc.t("Sitzung", "session"),
        "note_revision" => loc.t("Dokumentation", "documentation"),
        "invoice" => loc.t("Rechnung", "invoice"),
        "invoice_line" => loc.t("Rechnungsposition", "invoice line"),
        "payment" => loc.t("Zahlung", "payment"),
        "dunning_letter" => loc.t("Mahnung", "reminder"),
        "write_off" => loc.t("Ausbuchung", "write-off"),
        "issued_document" => loc.t("Dokument", "document"),
        _ => loc.t("Datensatz", "record"),
    };
    w.to_string()
}

/// The journal's change word.
pub fn op(loc: &Locale, o: &str) -> String {
    let w = match o {
        "create" => loc.t("angelegt", "created"),
        "update" => loc.t("geändert", "changed"),
        "delete" => loc.t("gelöscht", "deleted"),
        "issue" => loc.t("ausgestellt", "issued"),
        "move" => loc.t("verschoben", "moved"),
        "cancel" => loc.t("storniert", "cancelled"),
        "cancelled" => loc.t("abgesagt", "cancelled"),
        "done" => loc.t("stattgefunden", "held"),
        "no_show" => loc.t("nicht erschienen", "no-show"),
        "planned" => loc.t("geplant", "planned"),
        "resolve" => loc.t("Konflikt gelöst", "conflict resolved"),
        "merge_remove" => loc.t("beim Abgleich entfernt", "removed when merging"),
        "want" | "resend" => loc.t("erneut ausgegeben", "issued again"),
        _ => loc.t("geändert", "changed"),
    };
    w.to_string()
}
