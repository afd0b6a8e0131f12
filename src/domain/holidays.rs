//! Statutory public holidays valid in all of Austria or all of Germany, computed from the date
//! of Easter; the calendar shades them and the working hours (`working_hours.rs`).
//!
//! A small table rather than a crate: the Rust holiday crates we looked at either cover only
//! nationwide dates without names in German or pull in large data tables; the nationwide dates
//! of two countries are a dozen lines and one well-known formula, tested below against
//! published dates. A practice may name its Bundesland (ISO 3166-2, `AT-9`, `DE-BY`): its
//! statutory days (Germany) or Landesfeiertage (Austria, the patron saints' days) are added.
//! Days kept only in some municipalities (Fronleichnam in parts of Saxony, Mariä Himmelfahrt in
//! Catholic Bavaria) are left out: shading a working day would be worse than not shading one.

use jiff::civil::{Date, Weekday};
use jiff::ToSpan;

use super::practice::Country;
pub use super::working_hours::{DaySpan, WorkingHours};

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

/// The Bundesländer of `country`: code and name.
pub fn regions(country: Country) -> &'static [(&'static str, &'static str)] {
    match country {
        Country::AT => &[
            ("AT-1", "Burgenland"),
            ("AT-2", "Kärnten"),
            ("AT-3", "Niederösterreich"),
            ("AT-4", "Oberösterreich"),
            ("AT-5", "Salzburg"),
            ("AT-6", "Steiermark"),
            ("AT-7", "Tirol"),
            ("AT-8", "Vorarlberg"),
            ("AT-9", "Wien"),
        ],
        Country::DE => &[
            ("DE-BW", "Baden-Württemberg"),
            ("DE-BY", "Bayern"),
            ("DE-BE", "Berlin"),
            ("DE-BB", "Brandenburg"),
            ("DE-HB", "Bremen"),
            ("DE-HH", "Hamburg"),
            ("DE-HE", "Hessen"),
            ("DE-MV", "Mecklenburg-Vorpommern"),
            ("DE-NI", "Niedersachsen"),
            ("DE-NW", "Nordrhein-Westfalen"),
            ("DE-RP", "Rheinland-Pfalz"),
            ("DE-SL", "Saarland"),
            ("DE-SN", "Sachsen"),
            ("DE-ST", "Sachsen-Anhalt"),
            ("DE-SH", "Schleswig-Holstein"),
            ("DE-TH", "Thüringen"),
        ],
    }
}

/// Whether `region` is '' (none) or a Bundesland of `country`.
pub fn valid_region(country: Country, region: &str) -> bool {
    region.is_empty() || regions(country).iter().any(|(c, _)| *c == region)
}

/// The days `region` keeps besides the nationwide ones, in `year`.
fn regional(region: &str, year: i16) -> Vec<Holiday> {
    let Some(easter) = easter(year) else { return Vec::new() };
    let fixed = |m: i8, d: i8| Date::new(year, m, d).ok();
    let in_ = |list: &[&str]| list.contains(&region);
    // Buß- und Bettag: the Wednesday before 23 November.
    let repentance = fixed(11, 22).and_then(|d| d.nth_weekday(-1, Weekday::Wednesday).ok());
    let rows: [(bool, Option<Date>, &'static str, &'static str); 14] = [
        (in_(&["DE-BW", "DE-BY", "DE-ST"]), fixed(1, 6), "Heilige Drei Könige", "Epiphany"),
        (in_(&["DE-BE", "DE-MV"]), fixed(3, 8), "Internationaler Frauentag", "International Women's Day"),
        (
            in_(&["DE-BW", "DE-BY", "DE-HE", "DE-NW", "DE-RP", "DE-SL"]),
            easter.checked_add(60.days()).ok(),
            "Fronleichnam",
            "Corpus Christi",
        ),
        (in_(&["DE-SL"]), fixed(8, 15), "Mariä Himmelfahrt", "Assumption Day"),
        (in_(&["DE-TH"]), fixed(9, 20), "Weltkindertag", "World Children's Day"),
        (
            in_(&["DE-BB", "DE-HB", "DE-HH", "DE-MV", "DE-NI", "DE-SN", "DE-ST", "DE-SH", "DE-TH"]),
            fixed(10, 31),
            "Reformationstag",
            "Reformation Day",
        ),
        (in_(&["DE-BW", "DE-BY", "DE-NW", "DE-RP", "DE-SL"]), fixed(11, 1), "Allerheiligen", "All Saints' Day"),
        (in_(&["DE-SN"]), repentance, "Buß- und Bettag", "Day of Repentance and Prayer"),
        (
            in_(&["AT-2", "AT-6", "AT-7", "AT-8"]),
            fixed(3, 19),
            "Josefitag (Landesfeiertag)",
            "St Joseph's Day (regional)",
        ),
        (in_(&["AT-4"]), fixed(5, 4), "Florianitag (Landesfeiertag)", "St Florian's Day (regional)"),
        (in_(&["AT-5"]), fixed(9, 24), "Rupertitag (Landesfeiertag)", "St Rupert's Day (regional)"),
        (in_(&["AT-2"]), fixed(10, 10), "Tag der Volksabstimmung (Landesfeiertag)", "Plebiscite Day (regional)"),
        (in_(&["AT-1"]), fixed(11, 11), "Martinitag (Landesfeiertag)", "St Martin's Day (regional)"),
        (in_(&["AT-3", "AT-9"]), fixed(11, 15), "Leopolditag (Landesfeiertag)", "St Leopold's Day (regional)"),
    ];
    rows.into_iter()
        .filter_map(|(applies, d, name_de, name_en)| {
            applies.then_some(d).flatten().map(|date| Holiday { date, name_de, name_en })
        })
        .collect()
}

/// The nationwide holidays of `country` and those of `region` ('' for none) in `year`.
pub fn holidays_in(country: Country, region: &str, year: i16) -> Vec<Holiday> {
    let mut out = holidays(country, year);
    out.extend(regional(region, year));
    out.sort_by_key(|h| h.date);
    out.dedup_by_key(|h| h.date);
    out
}

/// The holidays of `country` on the days `from..=to`.
pub fn holidays_between(country: Country, from: Date, to: Date) -> Vec<Holiday> {
    holidays_between_in(country, "", from, to)
}

/// The holidays of `country` and `region` on the days `from..=to`.
pub fn holidays_between_in(country: Country, region: &str, from: Date, to: Date) -> Vec<Holiday> {
    (from.year()..=to.year())
        .flat_map(|y| holidays_in(country, region, y))
        .filter(|h| h.date >= from && h.date <= to)
        .collect()
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
    fn a_bundesland_adds_its_own_days() {
        let names = |c, r| holidays_in(c, r, 2026).iter().map(|h| (h.date, h.name_de)).collect::<Vec<_>>();
        let by = names(Country::DE, "DE-BY");
        assert!(by.contains(&(date(2026, 1, 6), "Heilige Drei Könige")));
        assert!(by.contains(&(date(2026, 6, 4), "Fronleichnam")));
        assert!(by.contains(&(date(2026, 11, 1), "Allerheiligen")));
        assert!(!by.iter().any(|(_, n)| *n == "Reformationstag"));
        let sn = names(Country::DE, "DE-SN");
        assert!(sn.contains(&(date(2026, 10, 31), "Reformationstag")));
        assert!(sn.contains(&(date(2026, 11, 18), "Buß- und Bettag")), "the Wednesday before 23 November");
        assert!(names(Country::DE, "DE-BE").contains(&(date(2026, 3, 8), "Internationaler Frauentag")));
        assert_eq!(names(Country::DE, "").len(), 9, "no region: the nationwide days only");
        let wien = names(Country::AT, "AT-9");
        assert!(wien.contains(&(date(2026, 11, 15), "Leopolditag (Landesfeiertag)")));
        assert_eq!(wien.len(), 14);
        // Fronleichnam is nationwide in Austria: a region does not list it twice.
        assert_eq!(names(Country::AT, "AT-2").iter().filter(|(_, n)| *n == "Fronleichnam").count(), 1);
        assert!(by.windows(2).all(|w| w[0].0 < w[1].0), "in date order");
        assert!(valid_region(Country::AT, "AT-9") && valid_region(Country::AT, ""));
        assert!(!valid_region(Country::AT, "DE-BY") && !valid_region(Country::DE, "BY"));
    }
}
