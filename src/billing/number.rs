//! Invoice numbers: a practice-wide format applied to (series, year, sequence). The store hands
//! out the sequence gaplessly inside the issuing transaction; this module only spells it.

use crate::domain::Field;
use crate::error::{Error, Problem, Result};

/// `2026-0001` on the first device, `2026-A-0001` on a device with series code `A`.
pub const DEFAULT_FORMAT: &str = "{year}-{series-}{seq:4}";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Lit(String),
    Year,
    Series,
    SeriesDash,
    Seq(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberFormat {
    parts: Vec<Part>,
}

impl NumberFormat {
    pub fn parse(s: &str) -> Result<NumberFormat> {
        let bad = || Error::invalid(Field::NumberFormat, Problem::BadFormat);
        crate::domain::validate::required(Field::NumberFormat, s)?;
        let mut parts = Vec::new();
        let mut rest = s;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Lit(rest[..open].to_string()));
            }
            let close = rest[open..].find('}').ok_or_else(bad)? + open;
            let token = &rest[open + 1..close];
            parts.push(match token {
                "year" => Part::Year,
                "series" => Part::Series,
                "series-" => Part::SeriesDash,
                "seq" => Part::Seq(1),
                t => match t.strip_prefix("seq:").and_then(|w| w.parse::<usize>().ok()) {
                    Some(w) if (1..=9).contains(&w) => Part::Seq(w),
                    _ => return Err(bad()),
                },
            });
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Lit(rest.to_string()));
        }
        let seqs = parts.iter().filter(|p| matches!(p, Part::Seq(_))).count();
        if seqs != 1 || parts.iter().any(|p| matches!(p, Part::Lit(l) if l.contains(['{', '}', '/', '\\']))) {
            return Err(bad());
        }
        Ok(NumberFormat { parts })
    }

    /// Whether numbering restarts every year. Without `{year}` in the format a sequence never
    /// restarts, or the same number would come round again.
    pub fn yearly(&self) -> bool {
        self.parts.contains(&Part::Year)
    }

    /// Whether two series codes can be told apart in the number.
    pub fn shows_series(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Series | Part::SeriesDash))
    }

    /// The numbering period of an issue year: the year, or 0 when the format has none.
    pub fn period(&self, year: i16) -> i64 {
        if self.yearly() {
            year as i64
        } else {
            0
        }
    }

    pub fn render(&self, year: i16, series: &str, seq: i64) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Lit(l) => out.push_str(l),
                Part::Year => out.push_str(&year.to_string()),
                Part::Series => out.push_str(series),
                Part::SeriesDash if series.is_empty() => {}
                Part::SeriesDash => {
                    out.push_str(series);
                    out.push('-');
                }
                Part::Seq(w) => out.push_str(&format!("{seq:0w$}", w = *w)),
            }
        }
        out
    }
}

/// Bijective base-26 letters: 0 → "", 1 → "A", 26 → "Z", 27 → "AA". Series codes are these,
/// and so are spreadsheet column names (shifted by one).
pub fn letters(n: u32) -> String {
    let mut n = n;
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_codes() {
        let table = [(0, ""), (1, "A"), (26, "Z"), (27, "AA"), (702, "ZZ"), (703, "AAA")];
        for (n, s) in table {
            assert_eq!(letters(n), s);
        }
    }

    #[test]
    fn formats() {
        let f = NumberFormat::parse(DEFAULT_FORMAT).unwrap();
        assert_eq!(f.render(2026, "", 1), "2026-0001");
        assert_eq!(f.render(2026, "A", 12), "2026-A-0012");
        assert_eq!(f.render(2026, "", 12345), "2026-12345");
        assert!(f.yearly() && f.shows_series());
        let g = NumberFormat::parse("RE{seq:6}").unwrap();
        assert_eq!(g.render(2026, "", 7), "RE000007");
        assert_eq!(g.period(2026), 0);
        for bad in ["", "{year}", "{seq}{seq}", "{year}-{nr}", "{seq:0}", "{year/{seq}", "a/{seq}"] {
            assert!(NumberFormat::parse(bad).is_err(), "{bad}");
        }
    }
}
