//! Sessions (Einheiten / Sitzungen) and their documentation. Documentation is revisioned: a
//! correction adds a revision and every earlier text stays readable with its time (§630f BGB).

use jiff::civil::Date;
use jiff::Timestamp;

use crate::error::{Error, Problem, Result};

use super::ids::{AppointmentId, ClientId, NoteRevisionId, ServiceId, SessionId};
use super::money::Cents;
use super::validate;
use super::Stamps;
use crate::domain::Field;

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    Individual,
    Group,
}

impl Setting {
    pub fn as_str(self) -> &'static str {
        match self {
            Setting::Individual => "individual",
            Setting::Group => "group",
        }
    }
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim() {
            "individual" => Ok(Setting::Individual),
            "group" => Ok(Setting::Group),
            _ => Err(Error::invalid(Field::Setting, Problem::UnknownValue)),
        }
    }
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Session {
    pub id: SessionId,
    pub client_id: ClientId,
    pub appointment_id: Option<AppointmentId>,
    pub service_id: Option<ServiceId>,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub date: Date,
    pub minutes: u32,
    pub fee: Cents,
    pub setting: Setting,
    /// Participants of a group session (printed on the ÖGK form).
    pub group_size: Option<u32>,
    /// The newest documentation text ("" when none yet).
    pub note: String,
    pub stamps: Stamps,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NoteRevision {
    pub id: NoteRevisionId,
    pub session_id: SessionId,
    pub body: String,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub created: Timestamp,
    pub device: String,
}

/// What the user enters for a session. Missing minutes and fee come from the service.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct SessionInput {
    pub client_id: ClientId,
    #[serde(default)]
    pub appointment_id: Option<AppointmentId>,
    #[serde(default)]
    pub service_id: Option<ServiceId>,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub date: Date,
    #[serde(default)]
    pub minutes: Option<u32>,
    #[serde(default)]
    pub fee: Option<Cents>,
    #[serde(default)]
    pub setting: Option<Setting>,
    /// Participants of a group session; implies the group setting.
    #[serde(default)]
    pub group_size: Option<u32>,
    #[serde(default)]
    pub note: String,
}

impl SessionInput {
    /// Checks every field; the error names every wrong one.
    pub fn validate(&self) -> Result<()> {
        let mut f = validate::Fields::default();
        if let Some(m) = self.minutes {
            if m == 0 || m > 24 * 60 {
                f.wrong(Field::Minutes, Problem::OutOfRange);
            }
        }
        if let Some(fee) = self.fee {
            if fee.is_negative() {
                f.wrong(Field::Fee, Problem::OutOfRange);
            } else {
                f.check(fee.bounded(Field::Fee));
            }
        }
        if let Some(g) = self.group_size {
            if !(2..=100).contains(&g) {
                f.wrong(Field::GroupSize, Problem::OutOfRange);
            } else if self.setting == Some(Setting::Individual) {
                f.wrong(Field::GroupSize, Problem::NotAllowed);
            }
        }
        f.check(validate::text(Field::Note, &self.note));
        f.finish()
    }
}
