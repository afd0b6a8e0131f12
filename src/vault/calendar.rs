//! The calendar's operations and views: moving and changing appointments (one, this and the
//! following, or a whole series — always in the practice's local time, so DST never moves a
//! series), the range a calendar view shows with holidays and working hours, and the Today
//! overview. The window only draws what these return.

use crate::domain::Field;
use std::collections::{HashMap, HashSet};

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::billing::model::InvoiceSummary;
use crate::domain::appointment::{Appointment, AppointmentKind, AppointmentStatus, SeriesScope};
use crate::domain::holidays::{self, Holiday, WorkingHours};
use crate::domain::ids::{AppointmentId, ClientId, InvoiceId, ServiceId, SessionId};
use crate::domain::money::Cents;
use crate::domain::session::Session;
use crate::error::{Error, Problem, Result};
use crate::store::{AppointmentDetails, InvoiceQuery, Reader};

use std::ops::{Deref, DerefMut};

use super::{Records, Vault};

/// Everything an appointment is, as the calendar's dialog edits it.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct AppointmentChange {
    /// Local wall-clock start in the practice's time zone.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub local_start: DateTime,
    pub minutes: u32,
    pub service_id: Option<ServiceId>,
    pub kind: AppointmentKind,
    #[serde(default)]
    pub video_link: String,
    #[serde(default)]
    pub note: String,
}

impl AppointmentChange {
    fn validate(&self) -> Result<()> {
        crate::domain::appointment::validate_details(self.minutes, self.kind, &self.video_link, &self.note)
    }
}

/// One appointment as a calendar or Today shows it: with its client's name, its local times in
/// the practice's zone (`2026-03-30T09:00:00`) and its session when one was recorded.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CalendarItem {
    pub appointment: Appointment,
    pub client_name: String,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub local_start: DateTime,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub local_end: DateTime,
    pub session_id: Option<SessionId>,
    /// The client's processing is restricted (GDPR Art. 18): the slot is taken, and that is all
    /// the item says — no name, note, link, service or session; it cannot be opened or changed.
    pub restricted: bool,
}

/// What a calendar view of the days `from..=to` shows.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CalendarRange {
    pub items: Vec<CalendarItem>,
    pub holidays: Vec<Holiday>,
    pub working_hours: WorkingHours,
    pub time_zone: String,
    /// What a missed appointment is billed (0: the service's price), for the cancel dialog.
    pub no_show_fee: Cents,
}

/// A session with its client's name (Today's lists).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SessionItem {
    pub session: Session,
    pub client_name: String,
}

/// An overdue invoice with its client's name.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OverdueItem {
    pub invoice: InvoiceSummary,
    pub client_name: String,
}

/// The Today page: what is planned and what is left to settle, each list capped at
/// [`TODAY_LIMIT`] with its full count beside it.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TodayOverview {
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub today: Date,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub tomorrow: Date,
    pub today_items: Vec<CalendarItem>,
    pub tomorrow_items: Vec<CalendarItem>,
    pub holiday_today: Option<Holiday>,
    /// Appointments that are over but still planned: held (or missed) and not yet recorded.
    pub unrecorded: Vec<CalendarItem>,
    /// Recorded sessions without documentation.
    pub undocumented: Vec<SessionItem>,
    pub undocumented_total: u64,
    /// Sessions on no invoice yet.
    pub unbilled: Vec<SessionItem>,
    pub unbilled_total: u64,
    pub overdue: Vec<OverdueItem>,
    /// Open conflicts between two computers' changes.
    pub open_conflicts: u32,
}

pub const TODAY_LIMIT: u32 = 50;

impl<V: Deref<Target = Vault>> Records<V> {
    /// Moves one appointment (drag in the calendar) or changes its length (resize).
    pub fn move_appointment(&mut self, id: AppointmentId, local_start: DateTime, minutes: u32) -> Result<()>
    where
        V: DerefMut,
    {
        let a = self.appointment(id)?;
        let change = AppointmentChange {
            local_start,
            minutes,
            service_id: a.service_id,
            kind: a.kind,
            video_link: a.video_link,
            note: a.note,
        };
        self.change_appointment(id, &change, SeriesScope::Only).map(|_| ())
    }

    /// Changes an appointment and, by `scope`, the later or all planned ones of its series.
    /// Each occurrence keeps its own date, shifted by as many days as this one moved, and takes
    /// the new local time of day, resolved in the practice's zone for its own date — so a
    /// weekly 09:00 moved to 10:00 is 10:00 before and after a DST change. Appointments already
    /// held, cancelled or missed are left as they were. Returns the changed appointments.
    pub fn change_appointment(
        &mut self,
        id: AppointmentId,
        change: &AppointmentChange,
        scope: SeriesScope,
    ) -> Result<Vec<AppointmentId>>
    where
        V: DerefMut,
    {
        change.validate()?;
        self.vault.retention().ensure_open(self.appointment(id)?.client_id)?;
        let tz = self.practice()?.tz()?;
        self.vault.store.write(|tx| {
            let r = tx.read();
            let this = r.appointment(id)?;
            if this.status != AppointmentStatus::Planned {
                return Err(Error::invalid(Field::Status, Problem::NotAllowed));
            }
            if let Some(s) = change.service_id.filter(|s| Some(*s) != this.service_id) {
                if r.service(s)?.data.retired {
                    return Err(Error::invalid(Field::Service, Problem::NotAllowed));
                }
            }
            let targets = targets(&r, &this, scope)?;
            let old_day = this.start.to_zoned(tz.clone()).date();
            let shift = (change.local_start.date() - old_day).get_days();
            let mut plan = Vec::with_capacity(targets.len());
            for a in targets {
                let local = if a.id == this.id {
                    change.local_start
                } else {
                    let day = a.start.to_zoned(tz.clone()).date();
                    let day = day
                        .checked_add(i64::from(shift).days())
                        .map_err(|_| Error::invalid(Field::Start, Problem::OutOfRange))?;
                    day.to_datetime(change.local_start.time())
                };
                let start = resolve(&tz, local)?;
                let end = start
                    .checked_add(i64::from(change.minutes).minutes())
                    .map_err(|_| Error::invalid(Field::Minutes, Problem::OutOfRange))?;
                plan.push((a, start, end));
            }
            let details = AppointmentDetails {
                service_id: change.service_id,
                kind: change.kind,
                video_link: &change.video_link,
                note: &change.note,
            };
            let mut changed = Vec::new();
            for (a, start, end) in plan {
                let moved = (start, end) != (a.start, a.end);
                let edited = (a.service_id, a.kind, a.video_link.as_str(), a.note.as_str())
                    != (change.service_id, change.kind, change.video_link.as_str(), change.note.as_str());
                if moved {
                    tx.move_appointment(a.id, start, end)?;
                }
                if edited {
                    tx.update_appointment_details(a.id, &details)?;
                }
                if moved || edited {
                    changed.push(a.id);
                }
            }
            Ok(changed)
        })
    }

    /// Removes planned appointments from the calendar: this one, or by `scope` the later or all
    /// planned ones of its series (a series that ends). Held ones stay. Returns the removed.
    pub fn remove_appointment(&mut self, id: AppointmentId, scope: SeriesScope) -> Result<Vec<AppointmentId>>
    where
        V: DerefMut,
    {
        self.vault.retention().ensure_open(self.appointment(id)?.client_id)?;
        self.vault.store.write(|tx| {
            let r = tx.read();
            let this = r.appointment(id)?;
            if this.status != AppointmentStatus::Planned {
                return Err(Error::invalid(Field::Status, Problem::NotAllowed));
            }
            let ids: Vec<AppointmentId> = targets(&r, &this, scope)?.into_iter().map(|a| a.id).collect();
            for a in &ids {
                tx.delete_appointment(*a)?;
            }
            Ok(ids)
        })
    }

    /// The appointments, holidays and working hours of the local days `from..=to`.
    pub fn calendar(&self, from: Date, to: Date) -> Result<CalendarRange> {
        if to < from || (to - from).get_days() > 62 {
            return Err(Error::invalid(Field::To, Problem::OutOfRange));
        }
        let practice = self.practice()?;
        let tz = practice.tz()?;
        let appointments = self.appointments_between(from, to)?;
        let r = self.vault.store.read();
        let sessions = r.sessions_between(from, to)?;
        let hidden = r.restricted_clients()?;
        let items = items(&r, &tz, appointments, &sessions)?.into_iter().map(|i| busy_if(i, &hidden)).collect();
        Ok(CalendarRange {
            items,
            holidays: holidays::holidays_between_in(practice.country, &practice.holiday_region, from, to),
            working_hours: practice.working_hours,
            time_zone: practice.time_zone,
            no_show_fee: self.vault.billing().billing_settings()?.no_show_fee,
        })
    }

    /// Today's page, computed at `now` (the shell passes the clock; tests pass a fixed instant).
    pub fn today_overview(&self, now: Timestamp) -> Result<TodayOverview> {
        let practice = self.practice()?;
        let tz = practice.tz()?;
        let today = now.to_zoned(tz.clone()).date();
        let bad = |_| Error::invalid(Field::Date, Problem::OutOfRange);
        let tomorrow = today.checked_add(1.day()).map_err(bad)?;
        let r = self.vault.store.read();
        let day_items = |d: Date| -> Result<Vec<CalendarItem>> {
            let list = self.appointments_between(d, d)?;
            let sessions = r.sessions_between(d, d)?;
            items(&r, &tz, list, &sessions)
        };
        let today_items = day_items(today)?;
        let tomorrow_items = day_items(tomorrow)?;
        let unrecorded = items(&r, &tz, r.past_planned(now, TODAY_LIMIT)?, &[])?;
        let mut names = Names::default();
        let (undocumented, mut undocumented_total) = r.undocumented_sessions(today, TODAY_LIMIT)?;
        let undocumented = session_items(&r, &mut names, undocumented)?;
        let (unbilled, unbilled_total) = r.unbilled_sessions_all(today, TODAY_LIMIT)?;
        let unbilled = session_items(&r, &mut names, unbilled)?;
        // A restricted client (GDPR Art. 18) appears on none of Today's lists.
        let hidden = r.restricted_clients()?;
        let overdue_ids: HashSet<InvoiceId> = r
            .overdue_invoice_ids(today)?
            .into_iter()
            .filter_map(|(id, client)| (!hidden.contains(&client)).then_some(id))
            .collect();
        let overdue = if overdue_ids.is_empty() {
            Vec::new()
        } else {
            let q = InvoiceQuery { issued: true, ..Default::default() };
            let mut list = Vec::new();
            for invoice in r.invoices(&q, today)?.into_iter().filter(|i| overdue_ids.contains(&i.id)) {
                let client_name = names.of(&r, invoice.client_id)?;
                list.push(OverdueItem { invoice, client_name });
            }
            list.truncate(TODAY_LIMIT as usize);
            list
        };
        let open_conflicts = u32::try_from(self.vault.conflicts(false)?.len()).unwrap_or(u32::MAX);
        let (mut today_items, mut tomorrow_items, mut unrecorded, mut undocumented) =
            (today_items, tomorrow_items, unrecorded, undocumented);
        if !hidden.is_empty() {
            for list in [&mut today_items, &mut tomorrow_items, &mut unrecorded] {
                list.retain(|i| !hidden.contains(&i.appointment.client_id));
            }
            let before = undocumented.len();
            undocumented.retain(|i| !hidden.contains(&i.session.client_id));
            let dropped = u64::try_from(before - undocumented.len()).unwrap_or(0);
            undocumented_total = undocumented_total.saturating_sub(dropped);
        }
        Ok(TodayOverview {
            today,
            tomorrow,
            today_items,
            tomorrow_items,
            holiday_today: holidays::holidays_between_in(practice.country, &practice.holiday_region, today, today)
                .into_iter()
                .next(),
            unrecorded,
            undocumented,
            undocumented_total,
            unbilled,
            unbilled_total,
            overdue,
            open_conflicts,
        })
    }
}

/// The appointments a change with `scope` applies to: this one, or the planned ones of its
/// series (from this one on, or all).
fn targets(r: &Reader<'_>, this: &Appointment, scope: SeriesScope) -> Result<Vec<Appointment>> {
    let Some(series) = this.series_id.filter(|_| scope != SeriesScope::Only) else {
        return Ok(vec![this.clone()]);
    };
    Ok(r.series_appointments(series)?
        .into_iter()
        .filter(|a| a.status == AppointmentStatus::Planned)
        .filter(|a| scope == SeriesScope::All || a.start >= this.start)
        .collect())
}

/// A local wall-clock time in `tz`: one in a DST gap moves forward by the gap, an ambiguous one
/// takes the earlier instant (as `add_appointment` and `Recurrence::expand` do).
fn resolve(tz: &TimeZone, local: DateTime) -> Result<Timestamp> {
    Ok(tz
        .to_ambiguous_zoned(local)
        .compatible()
        .map_err(|_| Error::invalid(Field::Start, Problem::OutOfRange))?
        .timestamp())
}

/// Client names, each read once per view.
#[derive(Default)]
struct Names(HashMap<ClientId, String>);

impl Names {
    fn of(&mut self, r: &Reader<'_>, id: ClientId) -> Result<String> {
        if let Some(n) = self.0.get(&id) {
            return Ok(n.clone());
        }
        let n = r.client(id).map(|c| c.display_name())?;
        self.0.insert(id, n.clone());
        Ok(n)
    }
}

fn items(r: &Reader<'_>, tz: &TimeZone, list: Vec<Appointment>, sessions: &[Session]) -> Result<Vec<CalendarItem>> {
    let mut names = Names::default();
    let by_appointment: HashMap<AppointmentId, SessionId> =
        sessions.iter().filter_map(|s| s.appointment_id.map(|a| (a, s.id))).collect();
    list.into_iter()
        .map(|appointment| {
            Ok(CalendarItem {
                client_name: names.of(r, appointment.client_id)?,
                local_start: appointment.start.to_zoned(tz.clone()).datetime(),
                local_end: appointment.end.to_zoned(tz.clone()).datetime(),
                session_id: by_appointment.get(&appointment.id).copied(),
                restricted: false,
                appointment,
            })
        })
        .collect()
}

/// A restricted client's appointment as a busy slot: its times and status stay (so nobody
/// books over it), everything that says who or what is dropped.
fn busy_if(mut item: CalendarItem, hidden: &HashSet<ClientId>) -> CalendarItem {
    if !hidden.contains(&item.appointment.client_id) {
        return item;
    }
    let a = &mut item.appointment;
    (a.note, a.video_link, a.service_id) = (String::new(), String::new(), None);
    (item.client_name, item.session_id, item.restricted) = (String::new(), None, true);
    item
}

fn session_items(r: &Reader<'_>, names: &mut Names, list: Vec<Session>) -> Result<Vec<SessionItem>> {
    list.into_iter().map(|session| Ok(SessionItem { client_name: names.of(r, session.client_id)?, session })).collect()
}
