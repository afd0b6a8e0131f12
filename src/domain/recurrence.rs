//! Appointment series, expanded in the practice's local time so that a weekly 09:00 stays 09:00
//! when the clocks change.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::domain::Field;
use crate::error::{Error, Problem, Result};

/// Longest series we expand at once; an open-ended series covers this many occurrences.
pub const MAX_OCCURRENCES: u32 = 520;

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "freq", rename_all = "snake_case")]
pub enum Frequency {
    Weekly { interval: u32 },
    Monthly { interval: u32 },
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeriesEnd {
    Until(#[cfg_attr(feature = "specta", specta(type = String))] Date),
    Count(u32),
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Recurrence {
    pub frequency: Frequency,
    pub end: SeriesEnd,
    /// Local dates on which the series does not take place (holidays, cancellations).
    #[serde(default)]
    #[cfg_attr(feature = "specta", specta(type = Vec<String>))]
    pub exceptions: Vec<Date>,
}

/// One expanded occurrence: its local start and the matching instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub local: DateTime,
    pub start: Timestamp,
}

impl Recurrence {
    pub fn validate(&self) -> Result<()> {
        let interval = match self.frequency {
            Frequency::Weekly { interval } | Frequency::Monthly { interval } => interval,
        };
        if interval == 0 || interval > 52 {
            return Err(Error::invalid(Field::Interval, Problem::OutOfRange));
        }
        if let SeriesEnd::Count(n) = self.end {
            if n == 0 || n > MAX_OCCURRENCES {
                return Err(Error::invalid(Field::Count, Problem::OutOfRange));
            }
        }
        Ok(())
    }

    /// Every occurrence from `first` (local), skipping exceptions. A local time that falls into
    /// a DST gap moves forward by the gap; one that is ambiguous takes the earlier instant.
    /// An end date before the first date, or one so far ahead that the series would pass
    /// `MAX_OCCURRENCES`, is refused (field `until`) rather than booked short without a word.
    pub fn expand(&self, first: DateTime, tz: &TimeZone) -> Result<Vec<Occurrence>> {
        self.validate()?;
        if matches!(self.end, SeriesEnd::Until(d) if d < first.date()) {
            return Err(Error::invalid(Field::Until, Problem::OutOfRange));
        }
        let mut out = Vec::new();
        let mut k: i64 = 0;
        loop {
            let local = match self.frequency {
                Frequency::Weekly { interval } => first.checked_add((k * 7 * interval as i64).days()),
                // Always from the first date, so 31 Jan → 28 Feb → 31 Mar, not 28 Mar.
                Frequency::Monthly { interval } => first.checked_add((k * interval as i64).months()),
            }
            .map_err(|_| Error::invalid(Field::Recurrence, Problem::OutOfRange))?;
            let done = match self.end {
                SeriesEnd::Until(d) => local.date() > d,
                SeriesEnd::Count(n) => k >= n as i64,
            };
            if done {
                break;
            }
            if k >= MAX_OCCURRENCES as i64 {
                return Err(Error::invalid(Field::Until, Problem::OutOfRange));
            }
            k += 1;
            if self.exceptions.contains(&local.date()) {
                continue;
            }
            let start = tz
                .to_ambiguous_zoned(local)
                .compatible()
                .map_err(|_| Error::invalid(Field::Start, Problem::OutOfRange))?
                .timestamp();
            out.push(Occurrence { local, start });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn vienna() -> TimeZone {
        TimeZone::get("Europe/Vienna").unwrap()
    }

    #[test]
    fn weekly_series_keeps_local_time_across_dst() {
        // From early March across the spring change (29 March 2026) and on across the autumn
        // change (25 October 2026).
        let r = Recurrence {
            frequency: Frequency::Weekly { interval: 1 },
            end: SeriesEnd::Until(date(2026, 11, 30)),
            exceptions: vec![],
        };
        let occ = r.expand(date(2026, 3, 2).at(9, 0, 0, 0), &vienna()).unwrap();
        assert_eq!(occ.len(), 40);
        for o in &occ {
            let z = o.start.to_zoned(vienna());
            assert_eq!((z.hour(), z.minute()), (9, 0), "{o:?}");
        }
        let utc_hour = |d: Date| occ.iter().find(|o| o.local.date() == d).unwrap().start.to_zoned(TimeZone::UTC).hour();
        assert_eq!(utc_hour(date(2026, 3, 23)), 8); // CET
        assert_eq!(utc_hour(date(2026, 3, 30)), 7); // CEST
        assert_eq!(utc_hour(date(2026, 10, 19)), 7); // CEST
        assert_eq!(utc_hour(date(2026, 10, 26)), 8); // CET again
    }

    #[test]
    fn biweekly_count_and_exceptions() {
        let r = Recurrence {
            frequency: Frequency::Weekly { interval: 2 },
            end: SeriesEnd::Count(5),
            exceptions: vec![date(2026, 1, 19)],
        };
        let occ = r.expand(date(2026, 1, 5).at(17, 30, 0, 0), &vienna()).unwrap();
        let dates: Vec<Date> = occ.iter().map(|o| o.local.date()).collect();
        assert_eq!(dates, vec![date(2026, 1, 5), date(2026, 2, 2), date(2026, 2, 16), date(2026, 3, 2)]);
    }

    #[test]
    fn monthly_clamps_to_month_end_without_drifting() {
        let r =
            Recurrence { frequency: Frequency::Monthly { interval: 1 }, end: SeriesEnd::Count(3), exceptions: vec![] };
        let occ = r.expand(date(2026, 1, 31).at(10, 0, 0, 0), &vienna()).unwrap();
        let dates: Vec<Date> = occ.iter().map(|o| o.local.date()).collect();
        assert_eq!(dates, vec![date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]);
    }

    #[test]
    fn a_time_in_the_spring_gap_moves_forward() {
        let r =
            Recurrence { frequency: Frequency::Weekly { interval: 1 }, end: SeriesEnd::Count(1), exceptions: vec![] };
        let occ = r.expand(date(2026, 3, 29).at(2, 30, 0, 0), &vienna()).unwrap();
        let z = occ[0].start.to_zoned(vienna());
        assert_eq!((z.hour(), z.minute()), (3, 30));
    }

    #[test]
    fn zero_interval_is_rejected() {
        let r =
            Recurrence { frequency: Frequency::Weekly { interval: 0 }, end: SeriesEnd::Count(3), exceptions: vec![] };
        assert!(r.expand(date(2026, 1, 1).at(9, 0, 0, 0), &vienna()).is_err());
    }

    #[test]
    fn an_end_before_the_start_or_beyond_the_limit_names_until() {
        let until = |d| Recurrence {
            frequency: Frequency::Weekly { interval: 1 },
            end: SeriesEnd::Until(d),
            exceptions: vec![],
        };
        let first = date(2026, 3, 2).at(9, 0, 0, 0);
        for d in [date(2026, 3, 1), date(9999, 12, 31)] {
            match until(d).expand(first, &vienna()) {
                Err(Error::Invalid { field: Field::Until, .. }) => {}
                other => panic!("{d}: {other:?}"),
            }
        }
        // The same day as the start is one appointment; 519 weeks on is the most a series holds.
        assert_eq!(until(date(2026, 3, 2)).expand(first, &vienna()).unwrap().len(), 1);
        let last = date(2026, 3, 2).checked_add((519 * 7).days()).unwrap();
        assert_eq!(until(last).expand(first, &vienna()).unwrap().len(), MAX_OCCURRENCES as usize);
    }
}
