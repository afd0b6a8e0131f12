//! How long a client's records must be kept, without storage: documentation a number of years
//! after the last session (§630f Abs. 3 BGB: 10 years; PThG 2024 in Austria: 10 years), for a
//! minor not before a set age plus that period; invoices 7 years (AT, §132 BAO) or 8 years (DE,
//! §147 AO since 2025) after the end of the year they were issued in.

use jiff::civil::{date, Date};
use jiff::ToSpan;

use super::practice::Country;
use crate::domain::Field;
use crate::error::{Error, Problem, Result};

/// The practice's retention settings.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RetentionPolicy {
    /// Years documentation is kept after the last session.
    pub years: u8,
    /// A minor's documentation is kept at least until this age plus `years`.
    pub minors_age: u8,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        RetentionPolicy { years: 10, minors_age: 18 }
    }
}

impl RetentionPolicy {
    pub fn validate(&self) -> Result<()> {
        if !(1..=100).contains(&self.years) {
            return Err(Error::invalid(Field::RetentionYears, Problem::OutOfRange));
        }
        if self.minors_age > 30 {
            return Err(Error::invalid(Field::MinorsAge, Problem::OutOfRange));
        }
        Ok(())
    }
}

/// What the rule needs to know of one client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetentionFacts {
    pub birth_date: Option<Date>,
    pub first_session: Option<Date>,
    pub last_session: Option<Date>,
    /// The latest issue date of the client's issued invoices.
    pub last_invoice: Option<Date>,
}

/// A client's retention ends: each the first day on which nothing obliges keeping it any more.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RetentionEnds {
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub documentation: Option<Date>,
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub invoices: Option<Date>,
}

impl RetentionEnds {
    /// The later of the two: until then, nothing of the client may be erased without a reason.
    pub fn end(&self) -> Option<Date> {
        self.documentation.max(self.invoices)
    }

    /// True when neither end lies after `today` (also when there is nothing to keep).
    pub fn ended(&self, today: Date) -> bool {
        self.end().is_none_or(|e| e <= today)
    }
}

/// Years an issued invoice is kept after the end of its year.
pub fn invoice_years(country: Country) -> i16 {
    match country {
        Country::AT => 7,
        Country::DE => 8,
    }
}

/// The first day after an invoice of `issued`'s year need no longer be kept.
pub fn invoice_end(country: Country, issued: Date) -> Date {
    let year = issued.year().saturating_add(1).saturating_add(invoice_years(country)).min(9999);
    date(year, 1, 1)
}

pub fn ends(policy: RetentionPolicy, country: Country, facts: &RetentionFacts) -> RetentionEnds {
    let add = |d: Date, years: i64| d.checked_add(years.years()).unwrap_or(Date::MAX);
    let documentation = facts.last_session.map(|last| {
        let after_last = add(last, policy.years.into());
        // A minor's record runs from the age of majority (or the set age), whatever came first.
        let minor = facts.birth_date.map(|b| add(b, i64::from(policy.minors_age) + i64::from(policy.years)));
        after_last.max(minor.unwrap_or(Date::MIN))
    });
    RetentionEnds { documentation, invoices: facts.last_invoice.map(|d| invoice_end(country, d)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documentation_runs_ten_years_from_the_last_session() {
        let f = RetentionFacts { last_session: Some(date(2015, 3, 2)), ..Default::default() };
        let e = ends(RetentionPolicy::default(), Country::AT, &f);
        assert_eq!(e.documentation, Some(date(2025, 3, 2)));
        assert!(!e.ended(date(2025, 3, 1)));
        assert!(e.ended(date(2025, 3, 2)));
    }

    #[test]
    fn a_minor_is_kept_until_the_age_plus_the_period() {
        let f = RetentionFacts {
            birth_date: Some(date(2010, 6, 1)),
            last_session: Some(date(2020, 1, 1)),
            ..Default::default()
        };
        assert_eq!(ends(RetentionPolicy::default(), Country::DE, &f).documentation, Some(date(2038, 6, 1)));
        let adult = RetentionFacts { birth_date: Some(date(1970, 1, 1)), ..f };
        assert_eq!(ends(RetentionPolicy::default(), Country::DE, &adult).documentation, Some(date(2030, 1, 1)));
    }

    #[test]
    fn invoices_run_from_the_end_of_their_year_seven_or_eight_years() {
        let f = RetentionFacts { last_invoice: Some(date(2018, 12, 30)), ..Default::default() };
        assert_eq!(ends(RetentionPolicy::default(), Country::AT, &f).invoices, Some(date(2026, 1, 1)));
        assert_eq!(ends(RetentionPolicy::default(), Country::DE, &f).invoices, Some(date(2027, 1, 1)));
        assert_eq!(ends(RetentionPolicy::default(), Country::DE, &f).end(), Some(date(2027, 1, 1)));
    }

    #[test]
    fn nothing_to_keep_has_ended() {
        assert!(ends(RetentionPolicy::default(), Country::AT, &RetentionFacts::default()).ended(date(2000, 1, 1)));
        assert!(RetentionPolicy { years: 0, minors_age: 18 }.validate().is_err());
    }
}
