//! Appointments (Termine): instants in UTC plus the practice's zone they were planned in.

use jiff::Timestamp;

use crate::error::{Error, Problem, Result};

use super::ids::{AppointmentId, ClientId, SeriesId, ServiceId};
use super::validate;
use super::Stamps;
use crate::domain::Field;

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentKind {
    InPerson,
    Video,
    Phone,
}

impl AppointmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AppointmentKind::InPerson => "in_person",
            AppointmentKind::Video => "video",
            AppointmentKind::Phone => "phone",
        }
    }
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().replace('-', "_").as_str() {
            "in_person" => Ok(AppointmentKind::InPerson),
            "video" => Ok(AppointmentKind::Video),
            "phone" => Ok(AppointmentKind::Phone),
            _ => Err(Error::invalid(Field::Kind, Problem::UnknownValue)),
        }
    }
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    Planned,
    Done,
    Cancelled,
    NoShow,
}

impl AppointmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AppointmentStatus::Planned => "planned",
            AppointmentStatus::Done => "done",
            AppointmentStatus::Cancelled => "cancelled",
            AppointmentStatus::NoShow => "no_show",
        }
    }
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().replace('-', "_").as_str() {
            "planned" => Ok(AppointmentStatus::Planned),
            "done" => Ok(AppointmentStatus::Done),
            "cancelled" => Ok(AppointmentStatus::Cancelled),
            "no_show" => Ok(AppointmentStatus::NoShow),
            _ => Err(Error::invalid(Field::Status, Problem::UnknownValue)),
        }
    }
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Appointment {
    pub id: AppointmentId,
    pub client_id: ClientId,
    pub service_id: Option<ServiceId>,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub start: Timestamp,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub end: Timestamp,
    pub time_zone: String,
    pub kind: AppointmentKind,
    pub video_link: String,
    pub status: AppointmentStatus,
    pub series_id: Option<SeriesId>,
    pub note: String,
    /// When the note is erased (at the next unlock after it); `None` keeps it.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub note_expires: Option<Timestamp>,
    pub stamps: Stamps,
}

impl Appointment {
    pub fn minutes(&self) -> i64 {
        (self.end.as_second() - self.start.as_second()) / 60
    }

    /// The video link, if it is one a browser may be asked to open (http or https only: a
    /// `file:` or custom-scheme link typed or synced in must never start a program).
    pub fn video_url(&self) -> Result<&str> {
        let link = self.video_link.trim();
        let lower = link.to_ascii_lowercase();
        if link.is_empty() {
            return Err(Error::invalid(Field::VideoLink, Problem::Required));
        }
        if !(lower.starts_with("https://") || lower.starts_with("http://")) || link.contains(char::is_whitespace) {
            return Err(Error::invalid(Field::VideoLink, Problem::BadFormat));
        }
        Ok(link)
    }
}

/// What the user enters for one appointment (or the first of a series).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct AppointmentInput {
    pub client_id: ClientId,
    pub service_id: Option<ServiceId>,
    /// Local wall-clock start in the practice's time zone.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub local_start: jiff::civil::DateTime,
    pub minutes: u32,
    pub kind: AppointmentKind,
    #[serde(default)]
    pub video_link: String,
    #[serde(default)]
    pub note: String,
}

impl AppointmentInput {
    /// Checks every field; the error names every wrong one.
    pub fn validate(&self) -> Result<()> {
        validate_details(self.minutes, self.kind, &self.video_link, &self.note)
    }
}

/// The checks an appointment's details get, when it is made and when it is changed: the error
/// names every wrong field.
pub(crate) fn validate_details(minutes: u32, kind: AppointmentKind, video_link: &str, note: &str) -> Result<()> {
    let mut f = validate::Fields::default();
    if minutes == 0 || minutes > 24 * 60 {
        f.wrong(Field::Minutes, Problem::OutOfRange);
    }
    f.check(validate::line(Field::VideoLink, video_link));
    f.check(validate::line(Field::Note, note));
    if kind == AppointmentKind::Video && video_link.trim().is_empty() {
        f.wrong(Field::VideoLink, Problem::Required);
    }
    f.finish()
}

/// Which appointments of a series a change applies to. For an appointment outside a series every
/// scope means "this one".
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeriesScope {
    /// Only this appointment.
    Only,
    /// This one and every later one of its series.
    Following,
    /// Every appointment of its series.
    All,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_link(link: &str) -> Appointment {
        Appointment {
            id: AppointmentId::new(),
            client_id: ClientId::new(),
            service_id: None,
            start: Timestamp::UNIX_EPOCH,
            end: Timestamp::UNIX_EPOCH,
            time_zone: "Europe/Vienna".into(),
            kind: AppointmentKind::Video,
            video_link: link.into(),
            status: AppointmentStatus::Planned,
            series_id: None,
            note: String::new(),
            note_expires: None,
            stamps: crate::domain::Stamps {
                created: Timestamp::UNIX_EPOCH,
                updated: Timestamp::UNIX_EPOCH,
                device: String::new(),
            },
        }
    }

    #[test]
    fn only_web_links_may_be_opened() {
        assert_eq!(with_link(" https://video.example/r?x=1 ").video_url().unwrap(), "https://video.example/r?x=1");
        assert_eq!(with_link("HTTP://intern.example").video_url().unwrap(), "HTTP://intern.example");
        for bad in ["file:///etc/passwd", "javascript:alert(1)", "smb://server/share", "https://a b", "video.example"] {
            let e = with_link(bad).video_url().unwrap_err();
            assert!(matches!(e, Error::Invalid { field: Field::VideoLink, problem: Problem::BadFormat, .. }), "{bad}");
        }
        assert!(matches!(
            with_link("  ").video_url(),
            Err(Error::Invalid { field: Field::VideoLink, problem: Problem::Required, .. })
        ));
    }
}
