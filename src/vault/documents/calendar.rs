//! The appointments as an iCalendar file for a calendar app (issue 16): code names instead of
//! client names, no notes or links, each series as one recurring event whose EXDATEs are the
//! dates it no longer takes place as booked (cancelled, moved, removed), and every appointment
//! outside a series — or moved away from its date — as an event of its own.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Deref;

use jiff::civil::Date;
use jiff::Timestamp;

use crate::domain::appointment::AppointmentStatus;
use crate::domain::ids::ClientId;
use crate::domain::practice::time_zone;
use crate::domain::recurrence::{Frequency, Recurrence};
use crate::domain::Field;
use crate::error::{Error, Problem, Result};
use crate::export::ics::{self, Event, Repeat, Rule};

use super::Documents;
use crate::vault::report_view::code_name;
use crate::vault::Vault;

impl<V: Deref<Target = Vault>> Documents<V> {
    /// The appointments on local days `from` to `to` (both included; open when `None`) in the
    /// practice's zone, as an `.ics` file. Cancelled appointments are left out.
    pub fn render_calendar(&self, from: Option<Date>, to: Option<Date>) -> Result<Vec<u8>> {
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                return Err(Error::invalid(Field::To, Problem::OutOfRange));
            }
        }
        let tz = self.vault.records().practice()?.tz()?;
        let at = |d: Date, field| {
            d.to_zoned(tz.clone()).map(|z| z.timestamp()).map_err(|_| Error::invalid(field, Problem::OutOfRange))
        };
        let start = from.map(|d| at(d, Field::From)).transpose()?.unwrap_or(Timestamp::MIN);
        let end = match to {
            Some(d) => at(d.tomorrow().map_err(|_| Error::invalid(Field::To, Problem::OutOfRange))?, Field::To)?,
            None => Timestamp::MAX,
        };
        let r = self.vault.store.read();
        let appts: Vec<_> = r
            .appointments_between(start, end)?
            .into_iter()
            .filter(|a| a.status != AppointmentStatus::Cancelled)
            .collect();
        let mut names: HashMap<ClientId, String> = HashMap::new();
        let mut name = |id: ClientId| -> Result<String> {
            if let Some(n) = names.get(&id) {
                return Ok(n.clone());
            }
            let n = code_name(&r.client(id)?);
            names.insert(id, n.clone());
            Ok(n)
        };

        let mut events = Vec::new();
        let mut in_series = HashSet::new();
        let series: BTreeSet<_> = appts.iter().filter_map(|a| a.series_id).collect();
        for sid in series {
            let s = r.series(sid)?;
            let stz = time_zone(&s.time_zone)?;
            // Every date the rule makes, its own exceptions too: those become EXDATEs below.
            let booked = Recurrence { exceptions: Vec::new(), ..s.rule.clone() }.expand(s.local_start, &stz)?;
            let held: HashMap<Timestamp, _> = appts
                .iter()
                .filter(|a| a.series_id == Some(sid) && a.minutes() == i64::from(s.minutes))
                .map(|a| (a.start, a.id))
                .collect();
            let inside: Vec<_> = booked.iter().filter(|o| o.start >= start && o.start < end).collect();
            let kept: Vec<_> = inside.iter().filter(|o| held.contains_key(&o.start)).collect();
            let (Some(first), Some(last)) = (kept.first(), kept.last()) else { continue };
            let except = inside
                .iter()
                .filter(|o| o.start > first.start && o.start < last.start && !held.contains_key(&o.start))
                .map(|o| o.local)
                .collect();
            in_series.extend(kept.iter().filter_map(|o| held.get(&o.start)).copied());
            let repeat = match s.rule.frequency {
                Frequency::Weekly { interval } => Repeat::Weekly { interval },
                Frequency::Monthly { interval } => Repeat::Monthly { interval, day: s.local_start.day() },
            };
            events.push(Event {
                uid: format!("{sid}@tresor"),
                summary: name(s.client_id)?,
                zone: s.time_zone.clone(),
                local_start: first.local,
                minutes: s.minutes,
                rule: Some(Rule { repeat, until: last.start, except }),
            });
        }
        for a in appts.iter().filter(|a| !in_series.contains(&a.id)) {
            let atz = time_zone(&a.time_zone)?;
            events.push(Event {
                uid: format!("{}@tresor", a.id),
                summary: name(a.client_id)?,
                zone: a.time_zone.clone(),
                local_start: a.start.to_zoned(atz).datetime(),
                minutes: u32::try_from(a.minutes()).map_err(|_| Error::invalid(Field::Minutes, Problem::OutOfRange))?,
                rule: None,
            });
        }
        ics::calendar(&events, Timestamp::now())
    }
}
