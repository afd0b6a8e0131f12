//! Statistics (issue 16) as series the window draws and the CLI prints: sessions and hours per
//! ISO week and month of a year and per year over all years, money invoiced and received per
//! month, the no-show and cancellation rates, and per client the sessions so far, the last
//! session, what is open, and what is left of an approved contingent (ÖGK: an approval is
//! needed from the eleventh session on). Numbers only: the window formats them.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::{Date, ISOWeekDate, Weekday};

use crate::domain::appointment::AppointmentStatus;
use crate::domain::client::InsuranceKind;
use crate::domain::ids::ClientId;
use crate::domain::money::Cents;
use crate::domain::practice::Country;
use crate::domain::Field;
use crate::error::{Error, Problem, Result};

use super::report_view::Names;
use std::ops::Deref;

use super::{Documents, Vault};

/// Sessions an ÖGK subsidy covers before the insurer has to approve more.
pub const SESSIONS_BEFORE_APPROVAL: u32 = 10;

/// Sessions and their minutes in one week, month or year.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Period {
    /// `2026-W03`, `2026-01` or `2026`.
    pub key: String,
    /// The period's first day (a week's Monday).
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub start: Date,
    pub sessions: u32,
    pub minutes: u64,
}

/// One month of the year: sessions, money and appointments.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MonthStats {
    pub period: Period,
    /// Gross of the invoices issued that month (a Storno negative); `None` when the stored
    /// amounts do not add up within range.
    pub invoiced: Option<Cents>,
    pub received: Option<Cents>,
    pub appointments: u32,
    pub no_shows: u32,
    pub cancellations: u32,
}

/// How often appointments were missed or cancelled in the year.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Rates {
    /// Appointments of the year, whatever became of them.
    pub appointments: u32,
    pub no_shows: u32,
    pub cancellations: u32,
    /// No-shows per session held or missed, in basis points (as the Reports screen counts).
    pub no_show_bp: Option<u32>,
    /// Cancelled appointments per appointment, in basis points.
    pub cancellation_bp: Option<u32>,
}

/// One client's course so far.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClientStats {
    pub client_id: ClientId,
    /// Name or code name, as asked.
    pub label: String,
    /// Every session recorded, all years.
    pub sessions: u32,
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub last_session: Option<Date>,
    /// Owed on issued invoices today; `None` when not computable.
    pub open: Option<Cents>,
    pub approved_sessions: Option<u32>,
    /// Approved minus held; `None` without an approval.
    pub sessions_left: Option<u32>,
    /// An ÖGK client past the tenth session without a recorded approval.
    pub needs_approval: bool,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Statistics {
    pub year: i16,
    /// Every ISO week of the year (52 or 53), empty ones too.
    pub weeks: Vec<Period>,
    pub months: Vec<MonthStats>,
    /// Every year from the first session to the last (or just `year` without sessions).
    pub years: Vec<Period>,
    pub rates: Rates,
    /// Clients with a session, by label; only the one asked for with `client`.
    pub clients: Vec<ClientStats>,
}

fn bp(part: u32, whole: u32) -> Option<u32> {
    (whole > 0).then(|| ((u64::from(part) * 10_000 + u64::from(whole) / 2) / u64::from(whole)) as u32)
}

fn period(key: String, start: Date) -> Period {
    Period { key, start, sessions: 0, minutes: 0 }
}

impl<V: Deref<Target = Vault>> Documents<V> {
    /// The statistics of `year`; per client for every client with a session, or only `client`.
    pub fn statistics(&self, year: i16, client: Option<ClientId>, names: Names) -> Result<Statistics> {
        let bad = |_| Error::invalid(Field::Year, Problem::OutOfRange);
        let first = Date::new(year, 1, 1).map_err(bad)?;
        let last = Date::new(year, 12, 31).map_err(bad)?;
        if !(1900..=9998).contains(&year) {
            return Err(Error::invalid(Field::Year, Problem::OutOfRange));
        }
        let practice = self.vault.records().practice()?;
        let tz = practice.tz()?;
        let r = self.vault.store.read();
        if let Some(c) = client {
            r.client(c)?;
        }

        let weeks_in_year = if ISOWeekDate::new(year, 53, Weekday::Monday).is_ok() { 53 } else { 52 };
        let mut weeks = Vec::with_capacity(weeks_in_year);
        for w in 1..=weeks_in_year as i8 {
            let monday = ISOWeekDate::new(year, w, Weekday::Monday).map_err(bad)?.date();
            weeks.push(period(format!("{year}-W{w:02}"), monday));
        }
        let mut months: Vec<MonthStats> = (1..=12)
            .map(|m| MonthStats {
                period: period(format!("{year}-{m:02}"), Date::new(year, m, 1).unwrap_or(first)),
                invoiced: Some(Cents::ZERO),
                received: Some(Cents::ZERO),
                appointments: 0,
                no_shows: 0,
                cancellations: 0,
            })
            .collect();
        let mut years: BTreeMap<i16, Period> = BTreeMap::new();
        let mut per_client: HashMap<ClientId, (u32, Option<Date>)> = HashMap::new();
        let mut held_in_year = 0u32;

        for s in r.sessions_between(Date::MIN, Date::MAX)? {
            let y =
                years.entry(s.date.year()).or_insert_with(|| period(s.date.year().to_string(), s.date.first_of_year()));
            y.sessions += 1;
            y.minutes += u64::from(s.minutes);
            let c = per_client.entry(s.client_id).or_default();
            c.0 += 1;
            c.1 = c.1.max(Some(s.date));
            let iso = s.date.iso_week_date();
            if iso.year() == year {
                if let Some(w) = weeks.get_mut(iso.week() as usize - 1) {
                    w.sessions += 1;
                    w.minutes += u64::from(s.minutes);
                }
            }
            if s.date.year() == year {
                held_in_year += 1;
                let m = &mut months[s.date.month() as usize - 1].period;
                m.sessions += 1;
                m.minutes += u64::from(s.minutes);
            }
        }
        if years.is_empty() {
            years.insert(year, period(year.to_string(), first));
        }
        let (lo, hi) = (years.keys().next().copied().unwrap_or(year), years.keys().last().copied().unwrap_or(year));
        for y in lo..=hi {
            years.entry(y).or_insert_with(|| period(y.to_string(), Date::new(y, 1, 1).unwrap_or(first)));
        }

        for rm in r.revenue(first, last)?.1 {
            if rm.year == year {
                if let Some(m) = months.get_mut(rm.month as usize - 1) {
                    m.invoiced = rm.invoiced;
                    m.received = rm.received;
                }
            }
        }

        let mut rates = Rates::default();
        for a in self.vault.records().appointments_between(first, last)? {
            let m = &mut months[a.start.to_zoned(tz.clone()).month() as usize - 1];
            m.appointments += 1;
            rates.appointments += 1;
            match a.status {
                AppointmentStatus::NoShow => {
                    m.no_shows += 1;
                    rates.no_shows += 1;
                }
                AppointmentStatus::Cancelled => {
                    m.cancellations += 1;
                    rates.cancellations += 1;
                }
                AppointmentStatus::Planned | AppointmentStatus::Done => {}
            }
        }
        rates.no_show_bp = bp(rates.no_shows, held_in_year.saturating_add(rates.no_shows));
        rates.cancellation_bp = bp(rates.cancellations, rates.appointments);

        let ids: Vec<ClientId> = match client {
            Some(c) => vec![c],
            None => per_client.keys().copied().collect(),
        };
        let mut clients = Vec::with_capacity(ids.len());
        for id in ids {
            let c = r.client(id)?;
            let (sessions, last_session) = per_client.get(&id).copied().unwrap_or_default();
            let approved = c.data.approved_sessions;
            let statutory = match c.data.insurance_kind {
                InsuranceKind::AtStatutory => true,
                InsuranceKind::Unspecified => practice.country == Country::AT && !c.data.insurer.trim().is_empty(),
                InsuranceKind::DeStatutory | InsuranceKind::Private => false,
            };
            clients.push(ClientStats {
                client_id: id,
                label: names.of(&c),
                sessions,
                last_session,
                open: self.vault.billing().client_open_amount(id)?,
                approved_sessions: approved,
                sessions_left: approved.map(|a| a.saturating_sub(sessions)),
                needs_approval: statutory && approved.is_none() && sessions >= SESSIONS_BEFORE_APPROVAL,
            });
        }
        clients.sort_by_key(|c| c.label.to_lowercase());
        Ok(Statistics { year, weeks, months, years: years.into_values().collect(), rates, clients })
    }
}
