//! Appointment and appointment-series rows. Times are stored as UTC seconds with the zone name,
//! so calendar queries are integer range scans.

use jiff::Timestamp;
use rusqlite::{params, OptionalExtension, Row};

use crate::domain::appointment::{Appointment, AppointmentKind, AppointmentStatus};
use crate::domain::ids::{AppointmentId, ClientId, SeriesId, ServiceId};
use crate::domain::recurrence::Recurrence;
use crate::error::{Error, Result};

use super::rows;
use super::{Reader, Tx};

pub(super) const COLS: &str = "id, client_id, service_id, start_utc, end_utc, time_zone, kind, video_link, status, \
    series_id, note, created_hlc, updated_hlc, device, note_expires";

/// A new appointment row as the store writes it (the vault has resolved local time already).
#[derive(Debug, Clone)]
pub struct NewAppointment<'a> {
    pub client_id: ClientId,
    pub service_id: Option<ServiceId>,
    pub start: Timestamp,
    pub end: Timestamp,
    pub time_zone: &'a str,
    pub kind: AppointmentKind,
    pub video_link: &'a str,
    pub series_id: Option<SeriesId>,
    pub note: &'a str,
}

/// A series as it was booked: its first local start, length, zone and rule (the appointments it
/// made are rows of their own and may have been moved, cancelled or removed since).
#[derive(Debug, Clone)]
pub struct SeriesRow {
    pub id: SeriesId,
    pub client_id: ClientId,
    pub local_start: jiff::civil::DateTime,
    pub minutes: u32,
    pub time_zone: String,
    pub rule: Recurrence,
}

/// The parts of an appointment that are not its time.
#[derive(Debug, Clone, Copy)]
pub struct AppointmentDetails<'a> {
    pub service_id: Option<ServiceId>,
    pub kind: AppointmentKind,
    pub video_link: &'a str,
    pub note: &'a str,
}

fn ts(r: &Row<'_>, col: usize) -> rusqlite::Result<Timestamp> {
    Timestamp::from_second(r.get(col)?).map_err(|e| rows::bad(col, e))
}

pub(super) fn map_appointment(r: &Row<'_>) -> rusqlite::Result<Appointment> {
    Ok(Appointment {
        id: rows::parse(r, 0, "appointment id")?,
        client_id: rows::parse(r, 1, "client id")?,
        service_id: rows::parse_opt(r, 2, "service id")?,
        start: ts(r, 3)?,
        end: ts(r, 4)?,
        time_zone: r.get(5)?,
        kind: rows::parse_with(r, 6, AppointmentKind::parse, "kind")?,
        video_link: r.get(7)?,
        status: rows::parse_with(r, 8, AppointmentStatus::parse, "status")?,
        series_id: rows::parse_opt(r, 9, "series id")?,
        note: r.get(10)?,
        note_expires: rows::parse_opt(r, 14, "note expiry")?,
        stamps: rows::stamps(r, 11)?,
    })
}

impl Reader<'_> {
    pub fn appointment(&self, id: AppointmentId) -> Result<Appointment> {
        self.conn
            .prepare_cached(&format!("SELECT {COLS} FROM appointments WHERE id = ?1 AND deleted = 0"))?
            .query_row([id.to_string()], map_appointment)
            .optional()?
            .ok_or_else(|| Error::not_found(AppointmentId::ENTITY, id))
    }

    /// Appointments starting in `[from, to)`, in start order (a calendar day, week or month).
    pub fn appointments_between(&self, from: Timestamp, to: Timestamp) -> Result<Vec<Appointment>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM appointments WHERE deleted = 0 AND start_utc >= ?1 AND start_utc < ?2 ORDER BY start_utc"
        ))?;
        let rows = st.query_map([from.as_second(), to.as_second()], map_appointment)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The live appointments of a series, in start order.
    pub fn series_appointments(&self, series: SeriesId) -> Result<Vec<Appointment>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM appointments WHERE series_id = ?1 AND deleted = 0 ORDER BY start_utc"
        ))?;
        let rows = st.query_map([series.to_string()], map_appointment)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A series as it was booked.
    pub fn series(&self, id: SeriesId) -> Result<SeriesRow> {
        self.conn
            .prepare_cached(
                "SELECT id, client_id, local_start, minutes, time_zone, rule FROM appointment_series
                 WHERE id = ?1 AND deleted = 0",
            )?
            .query_row([id.to_string()], |r| {
                Ok(SeriesRow {
                    id: rows::parse(r, 0, "series id")?,
                    client_id: rows::parse(r, 1, "client id")?,
                    local_start: rows::parse(r, 2, "series start")?,
                    minutes: r.get(3)?,
                    time_zone: r.get(4)?,
                    rule: rows::json(r, 5)?,
                })
            })
            .optional()?
            .ok_or_else(|| Error::not_found(SeriesId::ENTITY, id))
    }

    /// Appointments that ended before `before` and are still planned: held (or missed) but
    /// neither documented nor marked cancelled, oldest first.
    pub fn past_planned(&self, before: Timestamp, limit: u32) -> Result<Vec<Appointment>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM appointments WHERE deleted = 0 AND status = 'planned' AND end_utc <= ?1
             ORDER BY start_utc LIMIT ?2"
        ))?;
        let rows = st.query_map(params![before.as_second(), limit], map_appointment)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A client's appointments, newest first.
    pub fn appointments_of(&self, client: ClientId, limit: u32) -> Result<Vec<Appointment>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM appointments WHERE client_id = ?1 AND deleted = 0 ORDER BY start_utc DESC LIMIT ?2"
        ))?;
        let rows = st.query_map(params![client.to_string(), limit], map_appointment)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Tx<'_> {
    pub fn insert_appointment(&mut self, id: AppointmentId, a: &NewAppointment<'_>) -> Result<()> {
        let hlc = self.stamp();
        self.conn()
            .prepare_cached(
                "INSERT INTO appointments(id, client_id, service_id, start_utc, end_utc, time_zone, kind, video_link,
                 status, series_id, note, created_hlc, updated_hlc, device)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'planned', ?9, ?10, ?11, ?11, ?12)",
            )?
            .execute(params![
                id.to_string(),
                a.client_id.to_string(),
                a.service_id.map(|s| s.to_string()),
                a.start.as_second(),
                a.end.as_second(),
                a.time_zone,
                a.kind.as_str(),
                a.video_link,
                a.series_id.map(|s| s.to_string()),
                a.note,
                hlc.0,
                self.device,
            ])?;
        self.journal(hlc, AppointmentId::ENTITY, &id.to_string(), "create")
    }

    pub fn set_appointment_status(&mut self, id: AppointmentId, status: AppointmentStatus) -> Result<()> {
        let hlc = self.stamp();
        let n = self.conn().execute(
            "UPDATE appointments SET status = ?2, updated_hlc = ?3, device = ?4 WHERE id = ?1 AND deleted = 0",
            params![id.to_string(), status.as_str(), hlc.0, self.device],
        )?;
        if n == 0 {
            return Err(Error::not_found(AppointmentId::ENTITY, id));
        }
        self.journal(hlc, AppointmentId::ENTITY, &id.to_string(), status.as_str())
    }

    /// Moves an appointment to new instants (the vault has resolved local time and checked
    /// that it may move).
    pub fn move_appointment(&mut self, id: AppointmentId, start: Timestamp, end: Timestamp) -> Result<()> {
        let hlc = self.stamp();
        let n = self.conn().prepare_cached(
            "UPDATE appointments SET start_utc = ?2, end_utc = ?3, updated_hlc = ?4, device = ?5 WHERE id = ?1 AND deleted = 0",
        )?
        .execute(params![id.to_string(), start.as_second(), end.as_second(), hlc.0, self.device])?;
        if n == 0 {
            return Err(Error::not_found(AppointmentId::ENTITY, id));
        }
        self.journal(hlc, AppointmentId::ENTITY, &id.to_string(), "move")
    }

    /// Changes what an appointment is (service, kind, link, note); its time stays.
    pub fn update_appointment_details(&mut self, id: AppointmentId, d: &AppointmentDetails<'_>) -> Result<()> {
        let hlc = self.stamp();
        let n = self.conn().prepare_cached(
            "UPDATE appointments SET service_id = ?2, kind = ?3, video_link = ?4, note = ?5, updated_hlc = ?6, device = ?7
             WHERE id = ?1 AND deleted = 0",
        )?
        .execute(params![
            id.to_string(),
            d.service_id.map(|s| s.to_string()),
            d.kind.as_str(),
            d.video_link,
            d.note,
            hlc.0,
            self.device
        ])?;
        if n == 0 {
            return Err(Error::not_found(AppointmentId::ENTITY, id));
        }
        self.journal(hlc, AppointmentId::ENTITY, &id.to_string(), "update")
    }

    /// Removes a planned appointment from the calendar (a tombstone, journaled).
    pub fn delete_appointment(&mut self, id: AppointmentId) -> Result<()> {
        self.tombstone("appointments", AppointmentId::ENTITY, &id.to_string())
    }

    pub fn insert_series(
        &mut self,
        id: SeriesId,
        client: ClientId,
        local_start: jiff::civil::DateTime,
        minutes: u32,
        time_zone: &str,
        rule: &Recurrence,
    ) -> Result<()> {
        let hlc = self.stamp();
        self.conn().execute(
            "INSERT INTO appointment_series(id, client_id, local_start, minutes, time_zone, rule, created_hlc, updated_hlc, device)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
            params![id.to_string(), client.to_string(), local_start.to_string(), minutes, time_zone, rows::to_json(rule), hlc.0, self.device],
        )?;
        self.journal(hlc, SeriesId::ENTITY, &id.to_string(), "create")
    }
}
