//! Money as integer cents. No floating point touches an amount anywhere in Tresor; the field is
//! private, so every arithmetic on an amount goes through the checked methods here, and every
//! amount a person or a file enters is bounded by `Cents::MAX_ENTRY`.

use std::fmt;

use crate::domain::Field;
use crate::error::{Error, Result};

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Cents(i64);

impl Cents {
    pub const ZERO: Cents = Cents(0);

    /// The largest amount one price, fee, payment or unit price may be: 1,000,000.00 €. Far
    /// above any fee a practice charges, and far below where sums could leave `i64`: with at
    /// most 10,000 units a line, a million such lines still add up within range.
    pub const MAX_ENTRY: Cents = Cents(100_000_000);

    /// An amount as stored or computed. Bounds are the caller's business (`bounded`).
    pub const fn new(cents: i64) -> Cents {
        Cents(cents)
    }

    pub const fn get(self) -> i64 {
        self.0
    }

    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// The amount itself when it is within ±`MAX_ENTRY`, else an error that names the field and
    /// the limit. Every amount a person types or a file brings passes through here.
    pub fn bounded(self, field: crate::domain::fields::Field) -> Result<Cents> {
        if self.0.unsigned_abs() > Self::MAX_ENTRY.0.unsigned_abs() {
            return Err(Error::AmountTooLarge { field, max: Self::MAX_ENTRY });
        }
        Ok(self)
    }

    pub fn checked_add(self, o: Cents) -> Result<Cents> {
        self.0.checked_add(o.0).map(Cents).ok_or(Error::AmountOverflow)
    }

    pub fn checked_sub(self, o: Cents) -> Result<Cents> {
        self.0.checked_sub(o.0).map(Cents).ok_or(Error::AmountOverflow)
    }

    pub fn checked_mul(self, n: i64) -> Result<Cents> {
        self.0.checked_mul(n).map(Cents).ok_or(Error::AmountOverflow)
    }

    pub fn checked_neg(self) -> Result<Cents> {
        self.0.checked_neg().map(Cents).ok_or(Error::AmountOverflow)
    }

    /// `self × bp / 10 000`, rounded half away from zero (a share or a tax rate in basis
    /// points), so a negated amount gives exactly the negated result.
    pub fn mul_bp_rounded(self, bp: u32) -> Result<Cents> {
        let p = self.0 as i128 * bp as i128;
        let q = p / 10_000;
        let r = p % 10_000;
        let rounded = if r.abs() * 2 >= 10_000 { q + p.signum() } else { q };
        i64::try_from(rounded).map(Cents).map_err(|_| Error::AmountOverflow)
    }

    /// Sums amounts, failing instead of wrapping.
    pub fn sum<I: IntoIterator<Item = Cents>>(items: I) -> Result<Cents> {
        items.into_iter().try_fold(Cents::ZERO, Cents::checked_add)
    }

    /// A sum over stored amounts for reading: `None` when they do not add up within range
    /// (a file written before amounts were bounded). A reader shows the records and reports
    /// such a sum as not computable instead of failing.
    pub fn sum_stored<I: IntoIterator<Item = Cents>>(items: I) -> Option<Cents> {
        Self::sum(items).ok()
    }

    /// Joins the two halves that `store` sums separately (`x >> 32` and `x & 0xFFFF_FFFF`, which
    /// SQLite adds up without overflow for any realistic row count) into one checked sum.
    pub fn from_split_sum(high: i64, low: i64) -> Option<Cents> {
        let v = ((high as i128) << 32) + low as i128;
        i64::try_from(v).ok().map(Cents)
    }

    /// Parses a user-typed amount such as `1.234,56`, `1234.56` or `80` (euros) into cents,
    /// without going through a float; more than `MAX_ENTRY` is refused.
    pub fn parse_amount(s: &str) -> Result<Cents> {
        let bad = || Error::invalid(Field::Amount, crate::error::Problem::BadFormat);
        let t: String = s.trim().trim_end_matches('€').trim().chars().filter(|c| *c != ' ' && *c != '\u{a0}').collect();
        let (neg, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest.to_string()),
            None => (false, t),
        };
        // The last '.' or ',' followed by one or two digits is the decimal separator.
        let sep = t.rfind([',', '.']).filter(|&i| {
            let frac = &t[i + 1..];
            !frac.is_empty() && frac.len() <= 2
        });
        let (int_part, frac_part) = match sep {
            Some(i) => (&t[..i], &t[i + 1..]),
            None => (t.as_str(), ""),
        };
        let int_digits: String = int_part.chars().filter(|c| *c != '.' && *c != ',').collect();
        if int_digits.is_empty() && frac_part.is_empty() {
            return Err(bad());
        }
        if !int_digits.chars().all(|c| c.is_ascii_digit()) || !frac_part.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let too_large = || Error::AmountTooLarge { field: Field::Amount, max: Self::MAX_ENTRY };
        let euros: i64 = if int_digits.is_empty() { 0 } else { int_digits.parse().map_err(|_| too_large())? };
        let cents: i64 = match frac_part.len() {
            0 => 0,
            1 => frac_part.parse::<i64>().map_err(|_| bad())? * 10,
            _ => frac_part.parse().map_err(|_| bad())?,
        };
        let v = euros.checked_mul(100).and_then(|e| e.checked_add(cents)).ok_or_else(too_large)?;
        Cents(if neg { -v } else { v }).bounded(Field::Amount)
    }

    /// `1.234,56` — German grouping, no currency sign.
    pub fn format_de(self) -> String {
        self.format_with('.', ',')
    }

    /// `1,234.56` — English grouping, no currency sign.
    pub fn format_en(self) -> String {
        self.format_with(',', '.')
    }

    fn format_with(self, group: char, decimal: char) -> String {
        let neg = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let int = (abs / 100).to_string();
        let mut out = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i).is_multiple_of(3) {
                out.push(group);
            }
            out.push(c);
        }
        let s = format!("{out}{decimal}{:02}", abs % 100);
        if neg {
            format!("-{s}")
        } else {
            s
        }
    }
}

impl fmt::Display for Cents {
    /// Plain `1234.56` for logs and machine output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_both_locales() {
        let table = [
            (123456, "1.234,56", "1,234.56"),
            (5, "0,05", "0.05"),
            (-100000, "-1.000,00", "-1,000.00"),
            (123456789, "1.234.567,89", "1,234,567.89"),
        ];
        for (c, de, en) in table {
            assert_eq!(Cents(c).format_de(), de);
            assert_eq!(Cents(c).format_en(), en);
        }
        assert_eq!(Cents(-5).to_string(), "-0.05");
    }

    #[test]
    fn parses_typed_amounts_without_floats() {
        let table = [
            ("1.234,56", 123456),
            ("1234.56", 123456),
            ("80", 8000),
            ("80,5", 8050),
            ("1,234.56", 123456),
            ("0,99 €", 99),
            ("-12,30", -1230),
        ];
        for (s, c) in table {
            assert_eq!(Cents::parse_amount(s).unwrap(), Cents(c), "{s}");
        }
        for bad in ["", "abc", "1,2,3x", "€"] {
            assert!(Cents::parse_amount(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn arithmetic_is_checked() {
        assert!(Cents(i64::MAX).checked_add(Cents(1)).is_err());
        assert!(Cents(i64::MIN).checked_sub(Cents(1)).is_err());
        assert!(Cents(i64::MIN).checked_neg().is_err());
        assert!(Cents(i64::MAX).checked_mul(2).is_err());
        assert_eq!(Cents::sum([Cents(1), Cents(2)]).unwrap(), Cents(3));
        assert_eq!(Cents::sum_stored([Cents(i64::MAX), Cents(500)]), None);
        assert_eq!(Cents(i64::MIN).to_string(), "-92233720368547758.08");
    }

    #[test]
    fn entered_amounts_are_bounded_and_the_error_names_field_and_limit() {
        assert_eq!(Cents::MAX_ENTRY.bounded(Field::Fee).unwrap(), Cents::MAX_ENTRY);
        assert_eq!(Cents(-100_000_000).bounded(Field::Amount).unwrap(), Cents(-100_000_000));
        for bad in [100_000_001, -100_000_001, i64::MAX, i64::MIN] {
            let e = Cents(bad).bounded(Field::DunningFees).unwrap_err();
            assert_eq!(e.code(), "money.too_large");
            assert_eq!(e.params()["field"], "dunning_fees");
            assert_eq!(e.params()["max"], 1_000_000);
            assert!(e.to_string().contains("1000000.00"), "{e}");
        }
        assert_eq!(Cents::parse_amount("1.000.000,00").unwrap(), Cents::MAX_ENTRY);
        for big in ["1.000.000,01", "92233720368547758,07", "99999999999999999999999"] {
            assert_eq!(Cents::parse_amount(big).unwrap_err().code(), "money.too_large", "{big}");
        }
    }

    #[test]
    fn split_sums_join_exactly_or_report_not_computable() {
        let split = |xs: &[i64]| {
            let high: i64 = xs.iter().map(|x| x >> 32).sum();
            let low: i64 = xs.iter().map(|x| x & 0xFFFF_FFFF).sum();
            Cents::from_split_sum(high, low)
        };
        for xs in [&[0i64][..], &[-1], &[9000, -4500, 1], &[i64::MIN], &[i64::MAX], &[i64::MAX, i64::MIN]] {
            assert_eq!(split(xs), Some(Cents(xs.iter().map(|&x| x as i128).sum::<i128>() as i64)), "{xs:?}");
        }
        assert_eq!(split(&[i64::MAX, 500]), None);
        assert_eq!(split(&[i64::MIN, -1]), None);
    }

    #[test]
    fn basis_points_round_half_away_from_zero() {
        assert_eq!(Cents(9001).mul_bp_rounded(6000).unwrap(), Cents(5401));
        assert_eq!(Cents(-9001).mul_bp_rounded(6000).unwrap(), Cents(-5401));
        assert_eq!(Cents(50).mul_bp_rounded(700).unwrap(), Cents(4));
        assert!(Cents(i64::MAX).mul_bp_rounded(20_000).is_err());
    }
}
