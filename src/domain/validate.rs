//! Field checks shared by the record types: lengths, dates, and the check digits of Austrian
//! social-insurance numbers, German health-insurance numbers, IBANs and ICD-10 codes.

use jiff::civil::Date;

use crate::error::{Error, Problem, Result};

/// Longest free text we accept in a single-line field; notes have their own, larger limit.
pub const MAX_LINE: usize = 300;
pub const MAX_TEXT: usize = 1_000_000;

pub fn required(field: &'static str, v: &str) -> Result<()> {
    if v.trim().is_empty() {
        return Err(Error::invalid(field, Problem::Required));
    }
    line(field, v)
}

pub fn line(field: &'static str, v: &str) -> Result<()> {
    if v.chars().count() > MAX_LINE || v.contains(['\n', '\r', '\0']) {
        return Err(Error::invalid(field, Problem::TooLong));
    }
    Ok(())
}

pub fn text(field: &'static str, v: &str) -> Result<()> {
    if v.len() > MAX_TEXT || v.contains('\0') {
        return Err(Error::invalid(field, Problem::TooLong));
    }
    Ok(())
}

/// `YYYY-MM-DD`, a real calendar date.
pub fn parse_date(field: &'static str, v: &str) -> Result<Date> {
    let v = v.trim();
    let ok_shape = v.len() == 10 && v.as_bytes()[4] == b'-' && v.as_bytes()[7] == b'-';
    if !ok_shape {
        return Err(Error::invalid(field, Problem::BadDate));
    }
    v.parse::<Date>().map_err(|_| Error::invalid(field, Problem::BadDate))
}

/// A birth date: a real date, not in the future, not before 1900.
pub fn birth_date(v: Date, today: Date) -> Result<()> {
    if v > today || v.year() < 1900 {
        return Err(Error::invalid("birth_date", Problem::OutOfRange));
    }
    Ok(())
}

/// Accepts an Austrian social-insurance number (10 digits, the 4th a check digit), a German
/// health-insurance number (a letter, 8 digits and a check digit), or any other insurer's
/// number that is neither shape (private insurers have their own formats).
pub fn insurance_number(v: &str) -> Result<()> {
    let compact: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Ok(());
    }
    line("insurance_number", v)?;
    if compact.chars().all(|c| c.is_ascii_digit()) {
        return austrian_svnr(&compact);
    }
    let mut chars = compact.chars();
    let first = chars.next().unwrap_or(' ');
    let rest: String = chars.collect();
    if first.is_ascii_alphabetic() && rest.len() == 9 && rest.chars().all(|c| c.is_ascii_digit()) {
        return german_kvnr(first, &rest);
    }
    Ok(())
}

/// Austrian SVNR: digits 1-3 serial, 4 check digit, 5-10 birth date. Weights 3 7 9 _ 5 8 4 2 1 6,
/// sum mod 11; a remainder of 10 is never issued.
pub fn austrian_svnr(d: &str) -> Result<()> {
    let digits: Vec<u32> = d.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 10 || d.len() != 10 {
        return Err(Error::invalid("insurance_number", Problem::BadFormat));
    }
    const W: [u32; 10] = [3, 7, 9, 0, 5, 8, 4, 2, 1, 6];
    let sum: u32 = digits.iter().zip(W).map(|(d, w)| d * w).sum();
    let check = sum % 11;
    if check == 10 || check != digits[3] {
        return Err(Error::invalid("insurance_number", Problem::CheckDigit));
    }
    Ok(())
}

/// German KVNR: the letter as 01–26, then the digits, weights 1 2 1 2 …, digit sums, mod 10.
fn german_kvnr(letter: char, digits: &str) -> Result<()> {
    let n = letter.to_ascii_uppercase() as u32 - 'A' as u32 + 1;
    let mut all: Vec<u32> = vec![n / 10, n % 10];
    all.extend(digits.chars().filter_map(|c| c.to_digit(10)));
    let check = all.pop().unwrap_or(0);
    let sum: u32 = all
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let p = d * if i % 2 == 0 { 1 } else { 2 };
            p / 10 + p % 10
        })
        .sum();
    if sum % 10 != check {
        return Err(Error::invalid("insurance_number", Problem::CheckDigit));
    }
    Ok(())
}

/// ICD-10 code shape: a letter, two digits, optionally a dot and up to four more characters.
pub fn icd10(code: &str) -> Result<()> {
    let b = code.as_bytes();
    let ok = b.len() >= 3
        && b[0].is_ascii_uppercase()
        && b[1].is_ascii_digit()
        && b[2].is_ascii_digit()
        && (b.len() == 3
            || (b[3] == b'.' && (5..=8).contains(&b.len()) && b[4..].iter().all(|c| c.is_ascii_alphanumeric())));
    if !ok {
        return Err(Error::invalid("diagnosis_code", Problem::BadFormat));
    }
    Ok(())
}

/// IBAN: country, check digits, mod-97 over the rearranged number.
pub fn iban(v: &str) -> Result<String> {
    let compact: String = v.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    if compact.is_empty() {
        return Ok(compact);
    }
    let bad = || Error::invalid("iban", Problem::BadFormat);
    if !(15..=34).contains(&compact.len()) || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(bad());
    }
    let (head, tail) = compact.split_at(4);
    let mut rem: u32 = 0;
    for c in tail.chars().chain(head.chars()) {
        let v = c.to_digit(36).ok_or_else(bad)?;
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    if rem != 1 {
        return Err(Error::invalid("iban", Problem::CheckDigit));
    }
    Ok(compact)
}

/// BIC: 8 or 11 characters, bank code and country letters.
pub fn bic(v: &str) -> Result<String> {
    let c = v.trim().to_ascii_uppercase();
    if c.is_empty() {
        return Ok(c);
    }
    let b = c.as_bytes();
    let ok = (b.len() == 8 || b.len() == 11)
        && b[..6].iter().all(|x| x.is_ascii_uppercase())
        && b[6..].iter().all(|x| x.is_ascii_alphanumeric());
    if !ok {
        return Err(Error::invalid("bic", Problem::BadFormat));
    }
    Ok(c)
}

pub fn email(field: &'static str, v: &str) -> Result<()> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(());
    }
    line(field, v)?;
    let ok = match v.split_once('@') {
        Some((local, domain)) => !local.is_empty() && domain.contains('.') && !v.contains(' '),
        None => false,
    };
    if !ok {
        return Err(Error::invalid(field, Problem::BadFormat));
    }
    Ok(())
}

/// A sort key that puts "Ärger" with the A's and "Öz" with the O's, independent of case.
pub fn sort_key(family: &str, given: &str) -> String {
    let mut out = String::with_capacity(family.len() + given.len() + 1);
    for c in family.chars().chain(std::iter::once('\u{1}')).chain(given.chars()) {
        match c {
            'ä' | 'Ä' | 'á' | 'à' | 'â' | 'Á' | 'À' | 'Â' => out.push('a'),
            'ö' | 'Ö' | 'ó' | 'ò' | 'ô' | 'Ó' | 'Ò' | 'Ô' => out.push('o'),
            'ü' | 'Ü' | 'ú' | 'ù' | 'û' | 'Ú' | 'Ù' | 'Û' => out.push('u'),
            'é' | 'è' | 'ê' | 'É' | 'È' | 'Ê' => out.push('e'),
            'ß' => out.push_str("ss"),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn austrian_svnr_check_digit() {
        assert!(insurance_number("1237 010180").is_ok());
        assert!(insurance_number("1237010180").is_ok());
        let e = insurance_number("1238 010180").unwrap_err();
        assert!(matches!(e, Error::Invalid { problem: Problem::CheckDigit, .. }));
        assert!(matches!(
            insurance_number("123701018").unwrap_err(),
            Error::Invalid { problem: Problem::BadFormat, .. }
        ));
    }

    #[test]
    fn german_kvnr_check_digit() {
        assert!(insurance_number("A123456780").is_ok());
        assert!(insurance_number("A123456781").is_err());
        assert!(insurance_number("privat-4711/ab").is_ok());
    }

    #[test]
    fn icd10_shapes() {
        for ok in ["F32", "F32.1", "F43.21", "Z73.0"] {
            assert!(icd10(ok).is_ok(), "{ok}");
        }
        for bad in ["f32", "F3", "F32.", "32.1", "F32.12345"] {
            assert!(icd10(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn iban_and_bic() {
        assert_eq!(iban("AT61 1904 3002 3457 3201").unwrap(), "AT611904300234573201");
        assert_eq!(iban("DE89 3704 0044 0532 0130 00").unwrap(), "DE89370400440532013000");
        assert!(matches!(
            iban("AT61 1904 3002 3457 3202").unwrap_err(),
            Error::Invalid { problem: Problem::CheckDigit, .. }
        ));
        assert!(bic("GIBAATWWXXX").is_ok());
        assert!(bic("GIBA").is_err());
    }

    #[test]
    fn dates_must_exist() {
        assert!(parse_date("d", "2026-02-28").is_ok());
        assert!(parse_date("d", "2026-02-30").is_err());
        assert!(parse_date("d", "28.02.2026").is_err());
    }

    #[test]
    fn umlauts_sort_with_their_base_letter() {
        let mut names = [sort_key("Zeller", "A"), sort_key("Ärger", "B"), sort_key("Auer", "C")];
        names.sort();
        assert_eq!(names[0], sort_key("Ärger", "B"));
        assert_eq!(names[2], sort_key("Zeller", "A"));
    }
}
