//! The practice's records as types, with the rules that need no database: validation, check
//! digits, money, recurrence. No SQL here; `store` persists these types.

pub mod appointment;
pub mod attachment;
pub mod client;
pub mod fields;
pub mod holidays;
pub mod ids;
pub mod logo;
pub mod money;
pub mod practice;
pub mod recurrence;
pub mod reminders;
pub mod retention;
pub mod service;
pub mod session;
pub mod validate;
pub mod working_hours;

pub use appointment::{Appointment, AppointmentInput, AppointmentKind, AppointmentStatus, SeriesScope};
pub use attachment::Attachment;
pub use client::{Client, ClientInput, ClientStatus, ClientSummary, Diagnosis, InsuranceKind, Party};
pub use fields::Field;
pub use ids::{AppointmentId, AttachmentId, ClientId, NoteRevisionId, SeriesId, ServiceId, SessionId};
pub use money::Cents;
pub use practice::{Country, Language, Practice, PracticeUpdate};
pub use recurrence::{Frequency, Recurrence, SeriesEnd};
pub use service::{FeeSchedule, Multiplier, Service, ServiceFee, ServiceInput, TaxMode};
pub use session::{NoteRevision, Session, SessionInput, Setting};
pub use working_hours::{DaySpan, WorkingHours};

/// A record's lifecycle stamps, read from its hybrid-logical-clock columns.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stamps {
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub created: jiff::Timestamp,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub updated: jiff::Timestamp,
    pub device: String,
}
