//! Statutory public holidays valid in all of Austria or all of Germany, computed from the date
//! of Easter, and the practice's working hours; the calendar shades both.
//!
//! A small table rather than a crate: the Rust holiday crates we looked at either cover only
//! nationwide dates without names in German or pull in large data tables; the nationwide dates
//! of two countries are a dozen lines and one well-known formula, tested below against
//! published dates. Regional holidays (a Bundesland's) are not listed.

use jiff::civil::{Date, Weekday};
use jiff::ToSpan;

use super::practice::Country;

/// One public holiday: its date and its German and English name.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Holiday {
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub date: Date,
    pub name_de: &'static str,
    pub name_en: &'static str,
}

/// Easter Sunday of the Gregorian calendar (the anonymous Gregorian algorithm, "Meeus/Jones/
/// Butcher"); `None` outside the years jiff represents.
pub fn easter(year: i16) -> Option<Date> {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

/// The nationwide public holidays of `country` in `year`, in date order.
pub fn holidays(country: Country, year: i16) -> Vec<Holiday> {
    let Some(easter) = easter(year) else { return Vec::new() };
    let from_easter = |days: i64| easter.checked_add(days.days()).ok();
    let fixed = |m: i8, d: i8| Date::new(year, m, d).ok();
    let table: &[(Option<Date>, &'static str, &'static str)] = match country {
        Country::AT => &[
            (fixed(1, 1), "Neujahr", "New Year's Day"),
            (fixed(1, 6), "Heilige Drei Könige", "Epiphany"),
            (from_easter(1), "Ostermontag", "Easter Monday"),
            (fixed(5, 1), "Staatsfeiertag", "Labour Day"),
            (from_easter(39), "Christi Himmelfahrt", "Ascension Day"),
            (from_easter(50), "Pfingstmontag", "Whit Monday"),
            (from_easter(60), "Fronleichnam", "Corpus Christi"),
            (fixed(8, 15), "Mariä Himmelfahrt", "Assumption Day"),
            (fixed(10, 26), "Nationalfeiertag", "National Day"),
            (fixed(11, 1), "Allerheiligen", "All Saints' Day"),
            (fixed(12, 8), "Mariä Empfängnis", "Immaculate Conception"),
            (fixed(12, 25), "Christtag", "Christmas Day"),
            (fixed(12, 26), "Stefanitag", "St Stephen's Day"),
        ],
        Country::DE => &[
            (fixed(1, 1), "Neujahr", "New Year's Day"),
            (from_easter(-2), "Karfreitag", "Good Friday"),
            (from_easter(1), "Ostermontag", "Easter Monday"),
            (fixed(5, 1), "Tag der Arbeit", "Labour Day"),
            (from_easter(39), "Christi Himmelfahrt", "Ascension Day"),
            (from_easter(50), "Pfingstmontag", "Whit Monday"),
            (fixed(10, 3), "Tag der Deutschen Einheit", "Day of German Unity"),
            (fixed(12, 25), "1. Weihnachtstag", "Christmas Day"),
            (fixed(12, 26), "2. Weihnachtstag", "Boxing Day"),
        ],
    };
    let mut out: Vec<Holiday> =
        table.iter().filter_map(|&(d, name_de, name_en)| d.map(|date| Holiday { date, name_de, name_en })).collect();
    out.sort_by_key(|h| h.date);
    out
}

/// The holidays of `country` on the days `from..=to`.
pub fn holidays_between(country: Country, from: Date, to: Date) -> Vec<Holiday> {
    (from.year()..=to.year()).flat_map(|y| holidays(country, y)).filter(|h| h.date >= from && h.date <= to).collect()
}

/// When the practice usually works: the same hours on each listed weekday. There is no practice
/// setting for it yet; [`WorkingHours::default`] (Monday to Friday, 08:00 to 18:00) applies.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WorkingHours {
    /// ISO weekday numbers, Monday = 1 … Sunday = 7.
    pub days: Vec<u8>,
    /// Minutes after local midnight.
    pub start_minute: u16,
    pub end_minute: u16,
}

impl Default for WorkingHours {
    fn default() -> Self {
        WorkingHours { days: vec![1, 2, 3, 4, 5], start_minute: 8 * 60, end_minute: 18 * 60 }
    }
}

impl WorkingHours {
    pub fn works_on(&self, weekday: Weekday) -> bool {
        self.days.contains(&(weekday.to_monday_one_offset() as u8))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn easter_matches_published_dates() {
        for (y, m, d) in [(2024, 3, 31), (2025, 4, 20), (2026, 4, 5), (2027, 3, 28), (2038, 4, 25), (2285, 3, 22)] {
            assert_eq!(easter(y), Some(date(y, m, d)), "{y}");
        }
    }

    #[test]
    fn austrian_and_german_holidays_of_2026() {
        let at: Vec<(Date, &str)> = holidays(Country::AT, 2026).iter().map(|h| (h.date, h.name_de)).collect();
        assert_eq!(at.len(), 13);
        assert!(at.contains(&(date(2026, 4, 6), "Ostermontag")));
        assert!(at.contains(&(date(2026, 5, 14), "Christi Himmelfahrt")));
        assert!(at.contains(&(date(2026, 5, 25), "Pfingstmontag")));
        assert!(at.contains(&(date(2026, 6, 4), "Fronleichnam")));
        assert!(at.contains(&(date(2026, 10, 26), "Nationalfeiertag")));
        assert!(!at.iter().any(|(_, n)| *n == "Karfreitag"));
        let de: Vec<(Date, &str)> = holidays(Country::DE, 2026).iter().map(|h| (h.date, h.name_de)).collect();
        assert_eq!(de.len(), 9);
        assert!(de.contains(&(date(2026, 4, 3), "Karfreitag")));
        assert!(de.contains(&(date(2026, 10, 3), "Tag der Deutschen Einheit")));
        assert!(de.windows(2).all(|w| w[0].0 < w[1].0), "in date order");
    }

    #[test]
    fn holidays_between_spans_a_new_year() {
        let h = holidays_between(Country::AT, date(2026, 12, 20), date(2027, 1, 10));
        let dates: Vec<Date> = h.iter().map(|h| h.date).collect();
        assert_eq!(dates, vec![date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1), date(2027, 1, 6)]);
    }

    #[test]
    fn default_working_hours_are_weekdays_eight_to_six() {
        let w = WorkingHours::default();
        assert!(w.works_on(Weekday::Monday) && w.works_on(Weekday::Friday));
        assert!(!w.works_on(Weekday::Saturday) && !w.works_on(Weekday::Sunday));
        assert_eq!((w.start_minute, w.end_minute), (480, 1080));
    }
}
