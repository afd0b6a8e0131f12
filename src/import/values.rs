//! Cell values as other tools write them, into the core's types: German and ISO dates, Excel
//! serials, times, amounts with a decimal comma and thousands dots, whole minutes. Each parser
//! says what is wrong as a [`Problem`], so the caller can name the field.

use jiff::civil::{Date, DateTime, Time};

use super::table::{serial_date, serial_time, Cell};
use crate::domain::money::Cents;
use crate::error::{Error, Problem};

/// The trimmed text of a cell; numbers as a spreadsheet shows them without grouping.
pub fn text(c: &Cell) -> String {
    match c {
        Cell::Empty | Cell::Error => String::new(),
        Cell::Text(t) => t.trim().to_string(),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Cell::Number(n) => n.to_string(),
        Cell::Moment { date: Some(d), .. } => d.to_string(),
        Cell::Moment { date: None, time } => time.strftime("%H:%M").to_string(),
    }
}

/// `dd.mm.yyyy` (also `d.m.yyyy`), ISO `yyyy-mm-dd` (a time after it is ignored), a date cell or
/// an Excel serial. Two-digit years are refused: `01.02.30` could be 1930 or 2030.
pub fn date(c: &Cell) -> Result<Date, Problem> {
    match c {
        Cell::Moment { date: Some(d), .. } => Ok(*d),
        Cell::Number(n) => serial_date(*n).ok_or(Problem::BadDate),
        Cell::Text(t) => date_text(t.trim()),
        _ => Err(Problem::BadDate),
    }
}

fn date_text(t: &str) -> Result<Date, Problem> {
    let t = t.split([' ', 'T']).next().unwrap_or("");
    let parts: Vec<&str> = if t.contains('.') { t.split('.').collect() } else { t.split('-').collect() };
    let num = |s: &str| -> Result<i16, Problem> {
        if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Problem::BadDate);
        }
        s.parse().map_err(|_| Problem::BadDate)
    };
    let (y, m, d) = match parts.as_slice() {
        [d, m, y] if t.contains('.') && y.len() == 4 => (num(y)?, num(m)?, num(d)?),
        [y, m, d] if !t.contains('.') && y.len() == 4 => (num(y)?, num(m)?, num(d)?),
        _ => return Err(Problem::BadDate),
    };
    Date::new(y, m as i8, d as i8).map_err(|_| Problem::BadDate)
}

/// `14:30`, `14.30`, `14:30:00`, a time cell or a fraction of a day.
pub fn time(c: &Cell) -> Result<Time, Problem> {
    match c {
        Cell::Moment { time, .. } => Ok(*time),
        Cell::Number(n) if *n < 1.0 => serial_time(*n).ok_or(Problem::BadFormat),
        Cell::Text(t) => {
            let t = t.trim().trim_end_matches("Uhr").trim();
            let mut it = t.split([':', '.']);
            let h = it.next().and_then(small);
            let m = it.next().and_then(small);
            let s = it.next().map(small).unwrap_or(Some(0));
            match (h, m, s, it.next()) {
                (Some(h), Some(m), Some(s), None) => Time::new(h, m, s, 0).map_err(|_| Problem::BadFormat),
                _ => Err(Problem::BadFormat),
            }
        }
        _ => Err(Problem::BadFormat),
    }
}

fn small(s: &str) -> Option<i8> {
    if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A start: a date cell with its time, or `date` from one cell and `time` from another.
pub fn start(date_cell: &Cell, time_cell: Option<&Cell>) -> Result<DateTime, (bool, Problem)> {
    let d = date(date_cell).map_err(|p| (true, p))?;
    let t = match (time_cell, date_cell) {
        (Some(c), _) if !c.is_empty() => time(c).map_err(|p| (false, p))?,
        (_, Cell::Moment { time, .. }) => *time,
        (_, Cell::Text(t)) if t.trim().contains([' ', 'T']) => {
            let rest = t.trim().split_once([' ', 'T']).map(|(_, r)| r).unwrap_or("");
            time(&Cell::Text(rest.to_string())).map_err(|p| (false, p))?
        }
        _ => return Err((false, Problem::Required)),
    };
    Ok(d.to_datetime(t))
}

/// An amount in euros: `1.234,56`, `80,00 €`, `80`, `1234.56`, or a number cell.
pub fn cents(c: &Cell) -> Result<Cents, Problem> {
    match c {
        Cell::Number(n) => {
            let v = (n * 100.0).round();
            if !v.is_finite() || v.abs() > Cents::MAX_ENTRY.get() as f64 {
                return Err(Problem::OutOfRange);
            }
            Ok(Cents::new(v as i64))
        }
        Cell::Text(t) => Cents::parse_amount(t).map_err(|e| match e {
            Error::Invalid { problem, .. } => problem,
            _ => Problem::OutOfRange,
        }),
        _ => Err(Problem::BadFormat),
    }
}

/// Whole minutes: `50`, `50 min`, `50,0`, or a number cell.
pub fn minutes(c: &Cell) -> Result<u32, Problem> {
    let v = match c {
        Cell::Number(n) => *n,
        Cell::Text(t) => {
            let t = t.trim().trim_end_matches("Minuten").trim_end_matches("min").trim().replace(',', ".");
            t.parse::<f64>().map_err(|_| Problem::BadFormat)?
        }
        _ => return Err(Problem::BadFormat),
    };
    if !v.is_finite() || v.fract() != 0.0 {
        return Err(Problem::BadFormat);
    }
    if !(1.0..=(24.0 * 60.0)).contains(&v) {
        return Err(Problem::OutOfRange);
    }
    Ok(v as u32)
}

/// A tax rate in percent (`20`, `20 %`, `7,0`), as basis points.
pub fn rate_bp(c: &Cell) -> Result<u32, Problem> {
    let v = match c {
        Cell::Number(n) if *n < 1.0 && *n > 0.0 => n * 100.0,
        Cell::Number(n) => *n,
        Cell::Text(t) => {
            t.trim().trim_end_matches('%').trim().replace(',', ".").parse().map_err(|_| Problem::BadFormat)?
        }
        _ => return Err(Problem::BadFormat),
    };
    if !v.is_finite() || !(0.0..=100.0).contains(&v) {
        return Err(Problem::OutOfRange);
    }
    Ok((v * 100.0).round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn german_and_iso_dates() {
        assert_eq!(date(&t("03.02.1985")), Ok(Date::constant(1985, 2, 3)));
        assert_eq!(date(&t("3.2.1985")), Ok(Date::constant(1985, 2, 3)));
        assert_eq!(date(&t("1985-02-03")), Ok(Date::constant(1985, 2, 3)));
        assert_eq!(date(&t("1985-02-03 10:00")), Ok(Date::constant(1985, 2, 3)));
        assert_eq!(date(&Cell::Number(31081.0)), Ok(Date::constant(1985, 2, 3)));
        for bad in ["31.02.1985", "03.02.85", "1985/02/03", "gestern", "", "..", "99999.1.1"] {
            assert_eq!(date(&t(bad)), Err(Problem::BadDate), "{bad}");
        }
    }

    #[test]
    fn german_amounts() {
        assert_eq!(cents(&t("1.234,56")), Ok(Cents::new(123_456)));
        assert_eq!(cents(&t("80,00 €")), Ok(Cents::new(8000)));
        assert_eq!(cents(&t("80")), Ok(Cents::new(8000)));
        assert_eq!(cents(&Cell::Number(95.5)), Ok(Cents::new(9550)));
        assert_eq!(cents(&t("achtzig")), Err(Problem::BadFormat));
        assert!(cents(&Cell::Number(f64::INFINITY)).is_err());
    }

    #[test]
    fn times_and_minutes() {
        assert_eq!(time(&t("9:05")), Time::new(9, 5, 0, 0).map_err(|_| Problem::BadFormat));
        assert_eq!(time(&t("14.30 Uhr")), Time::new(14, 30, 0, 0).map_err(|_| Problem::BadFormat));
        assert_eq!(time(&t("25:00")), Err(Problem::BadFormat));
        assert_eq!(minutes(&t("50 min")), Ok(50));
        assert_eq!(minutes(&t("50,5")), Err(Problem::BadFormat));
        assert_eq!(minutes(&t("0")), Err(Problem::OutOfRange));
    }
}
