//! Money as integer cents. No floating point touches an amount anywhere in Tresor.

use std::fmt;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Cents(pub i64);

impl Cents {
    pub const ZERO: Cents = Cents(0);

    pub fn checked_add(self, o: Cents) -> Result<Cents> {
        self.0.checked_add(o.0).map(Cents).ok_or(Error::AmountOverflow)
    }

    pub fn checked_sub(self, o: Cents) -> Result<Cents> {
        self.0.checked_sub(o.0).map(Cents).ok_or(Error::AmountOverflow)
    }

    pub fn checked_mul(self, n: i64) -> Result<Cents> {
        self.0.checked_mul(n).map(Cents).ok_or(Error::AmountOverflow)
    }

    /// Sums amounts, failing instead of wrapping.
    pub fn sum<I: IntoIterator<Item = Cents>>(items: I) -> Result<Cents> {
        items.into_iter().try_fold(Cents::ZERO, Cents::checked_add)
    }

    /// Parses a user-typed amount such as `1.234,56`, `1234.56` or `80` (euros) into cents,
    /// without going through a float.
    pub fn parse_amount(s: &str) -> Result<Cents> {
        let bad = || Error::invalid("amount", crate::error::Problem::BadFormat);
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
        let euros: i64 =
            if int_digits.is_empty() { 0 } else { int_digits.parse().map_err(|_| Error::AmountOverflow)? };
        let cents: i64 = match frac_part.len() {
            0 => 0,
            1 => frac_part.parse::<i64>().map_err(|_| bad())? * 10,
            _ => frac_part.parse().map_err(|_| bad())?,
        };
        let v = euros.checked_mul(100).and_then(|e| e.checked_add(cents)).ok_or(Error::AmountOverflow)?;
        Ok(Cents(if neg { -v } else { v }))
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
        assert_eq!(Cents::sum([Cents(1), Cents(2)]).unwrap(), Cents(3));
    }
}
