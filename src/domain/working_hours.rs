//! The practice's working hours: per weekday either a day off or one span (start and end in
//! minutes after local midnight). The calendar shades the rest; the practice stores them as one
//! JSON column, so two computers merge the setting as one field.

use jiff::civil::Weekday;

use crate::domain::Field;
use crate::error::{Error, Problem, Result};

use super::validate;

/// Times are whole multiples of this many minutes: what the time fields offer, and what keeps a
/// typo such as 08:07 from shading a strange sliver.
pub const GRID_MINUTES: u16 = 5;

/// The field each weekday's span is reported under, Monday first.
pub const DAY_FIELDS: [Field; 7] = [
    Field::HoursMonday,
    Field::HoursTuesday,
    Field::HoursWednesday,
    Field::HoursThursday,
    Field::HoursFriday,
    Field::HoursSaturday,
    Field::HoursSunday,
];

/// One working span of a day: `start_minute..end_minute` after local midnight (end ≤ 1440).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DaySpan {
    pub start_minute: u16,
    pub end_minute: u16,
}

/// When the practice usually works. `days` has seven entries, Monday first; `None` is a day off.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WorkingHours {
    pub days: Vec<Option<DaySpan>>,
}

impl Default for WorkingHours {
    /// Monday to Friday, 08:00 to 18:00: what a practice had before the setting existed.
    fn default() -> Self {
        let day = Some(DaySpan { start_minute: 8 * 60, end_minute: 18 * 60 });
        WorkingHours { days: vec![day, day, day, day, day, None, None] }
    }
}

impl WorkingHours {
    /// The span of `weekday`, or `None` on a day off.
    pub fn span(&self, weekday: Weekday) -> Option<DaySpan> {
        let i = usize::try_from(weekday.to_monday_zero_offset()).ok()?;
        self.days.get(i).copied().flatten()
    }

    pub fn works_on(&self, weekday: Weekday) -> bool {
        self.span(weekday).is_some()
    }

    /// Checks every day at once; the error names each wrong day's field. `OutOfRange`: the end is
    /// not after the start or past midnight; `BadFormat`: a time off the 5-minute grid.
    pub fn validate(&self) -> Result<()> {
        if self.days.len() != 7 {
            return Err(Error::invalid(Field::WorkingHours, Problem::BadFormat));
        }
        let mut f = validate::Fields::default();
        for (span, field) in self.days.iter().zip(DAY_FIELDS) {
            let Some(s) = span else { continue };
            if s.end_minute <= s.start_minute || s.end_minute > 24 * 60 {
                f.wrong(field, Problem::OutOfRange);
            } else if s.start_minute % GRID_MINUTES != 0 || s.end_minute % GRID_MINUTES != 0 {
                f.wrong(field, Problem::BadFormat);
            }
        }
        f.finish()
    }

    /// The stored form (the practice's `working_hours` column).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads and checks the stored form; `None` for anything this version would not have written.
    pub fn from_json(s: &str) -> Option<WorkingHours> {
        serde_json::from_str::<WorkingHours>(s).ok().filter(|w| w.validate().is_ok())
    }

    /// A copy with one day changed by a text such as `tue=12:00-20:00` or `sat=off` (the CLI's
    /// `--hours`; German day names `di=` work too). The result is validated.
    pub fn with_day_text(&self, text: &str) -> Result<WorkingHours> {
        let bad = || Error::invalid(Field::WorkingHours, Problem::BadFormat);
        let (day, value) = text.split_once('=').ok_or_else(bad)?;
        let names: [&[&str]; 7] = [
            &["mon", "mo", "monday", "montag"],
            &["tue", "di", "tuesday", "dienstag"],
            &["wed", "mi", "wednesday", "mittwoch"],
            &["thu", "do", "thursday", "donnerstag"],
            &["fri", "fr", "friday", "freitag"],
            &["sat", "sa", "saturday", "samstag"],
            &["sun", "so", "sunday", "sonntag"],
        ];
        let day = day.trim().to_lowercase();
        let i = names.iter().position(|n| n.contains(&day.as_str())).ok_or_else(bad)?;
        let value = value.trim();
        let span = if value.eq_ignore_ascii_case("off") || value.eq_ignore_ascii_case("frei") {
            None
        } else {
            let (a, b) = value.split_once('-').ok_or_else(bad)?;
            let minute = |t: &str| -> Option<u16> {
                let (h, m) = t.trim().split_once(':')?;
                let (h, m) = (h.parse::<u16>().ok()?, m.parse::<u16>().ok()?);
                (h <= 24 && m < 60).then_some(h * 60 + m)
            };
            Some(DaySpan { start_minute: minute(a).ok_or_else(bad)?, end_minute: minute(b).ok_or_else(bad)? })
        };
        let mut n = self.clone();
        if n.days.len() != 7 {
            n = WorkingHours::default();
        }
        n.days[i] = span;
        n.validate()?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(a: u16, b: u16) -> Option<DaySpan> {
        Some(DaySpan { start_minute: a, end_minute: b })
    }

    #[test]
    fn default_working_hours_are_weekdays_eight_to_six() {
        let w = WorkingHours::default();
        assert!(w.works_on(Weekday::Monday) && w.works_on(Weekday::Friday));
        assert!(!w.works_on(Weekday::Saturday) && !w.works_on(Weekday::Sunday));
        assert_eq!(w.span(Weekday::Tuesday), span(480, 1080));
        assert!(w.validate().is_ok());
    }

    #[test]
    fn each_wrong_day_is_named_with_its_problem() {
        let mut w = WorkingHours::default();
        w.days[1] = span(20 * 60, 12 * 60); // Tuesday ends before it starts
        w.days[3] = span(8 * 60 + 7, 12 * 60); // Thursday off the grid
        w.days[6] = span(600, 1445); // Sunday past midnight
        let e = w.validate().unwrap_err();
        assert_eq!(e.code(), "record.invalid");
        assert_eq!(
            e.fields(),
            vec![
                (Field::HoursTuesday, Problem::OutOfRange),
                (Field::HoursThursday, Problem::BadFormat),
                (Field::HoursSunday, Problem::OutOfRange)
            ]
        );
        w.days[1] = span(600, 600);
        assert!(w.validate().is_err(), "an empty span is no span");
        let short = WorkingHours { days: vec![None; 6] };
        assert!(matches!(short.validate(), Err(Error::Invalid { field: Field::WorkingHours, .. })));
    }

    #[test]
    fn a_whole_day_and_the_stored_form_round_trip() {
        let mut w = WorkingHours::default();
        w.days[1] = span(12 * 60, 20 * 60);
        w.days[5] = span(0, 1440);
        assert!(w.validate().is_ok());
        assert_eq!(WorkingHours::from_json(&w.to_json()), Some(w));
        assert_eq!(WorkingHours::from_json("{\"days\":[null]}"), None);
        assert_eq!(WorkingHours::from_json("nonsense"), None);
    }

    #[test]
    fn one_day_changes_by_text() {
        let w = WorkingHours::default().with_day_text("tue=12:00-20:00").unwrap();
        assert_eq!(w.span(Weekday::Tuesday), span(720, 1200));
        assert_eq!(w.span(Weekday::Monday), span(480, 1080), "the other days stay");
        let w = w.with_day_text("Mo=frei").unwrap().with_day_text("sa = 09:00-13:30").unwrap();
        assert!(!w.works_on(Weekday::Monday));
        assert_eq!(w.span(Weekday::Saturday), span(540, 810));
        for bad in ["tue", "xyz=08:00-10:00", "tue=8-10", "tue=10:00-09:00", "tue=08:03-10:00", "tue=25:00-26:00"] {
            assert_eq!(w.with_day_text(bad).unwrap_err().code(), "record.invalid", "{bad}");
        }
    }
}
