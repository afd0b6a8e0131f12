//! Field checks shared by the record types: lengths, dates, and the check digits of Austrian
//! social-insurance numbers, German health-insurance numbers, IBANs and ICD-10 codes.

use jiff::civil::Date;

use crate::domain::fields::Field;
use crate::error::{Error, Problem, Result};

/// Collects every wrong field of one input, so the error names them all at once (the form
/// marks each, instead of one per attempt). Other errors (an amount above the limit) are kept
/// and returned when no field was wrong.
#[derive(Debug, Default)]
pub struct Fields {
    wrong: Vec<(Field, Problem)>,
    other: Option<Error>,
}

impl Fields {
    /// The value of a passed check; a failed one is noted and gives `None`.
    pub fn check<T>(&mut self, r: Result<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e @ Error::Invalid { .. }) => {
                for f in e.fields() {
                    if !self.wrong.iter().any(|(w, _)| *w == f.0) {
                        self.wrong.push(f);
                    }
                }
                None
            }
            Err(e) => {
                self.other.get_or_insert(e);
                None
            }
        }
    }

    /// Notes a field found wrong by the caller's own rule.
    pub fn wrong(&mut self, field: Field, problem: Problem) {
        self.check::<()>(Err(Error::invalid(field, problem)));
    }

    /// Whether `field` failed a check already (a later check of it would only repeat it).
    pub fn failed(&self, field: Field) -> bool {
        self.wrong.iter().any(|(f, _)| *f == field)
    }

    /// `Ok` when every check passed; else one error naming every wrong field.
    pub fn finish(self) -> Result<()> {
        match (Error::invalid_all(self.wrong), self.other) {
            (Some(e), _) | (None, Some(e)) => Err(e),
            (None, None) => Ok(()),
        }
    }
}

/// Longest free text we accept in a single-line field; notes have their own, larger limit.
pub const MAX_LINE: usize = 300;
pub const MAX_TEXT: usize = 1_000_000;

pub fn required(field: Field, v: &str) -> Result<()> {
    if v.trim().is_empty() {
        return Err(Error::invalid(field, Problem::Required));
    }
    line(field, v)
}

pub fn line(field: Field, v: &str) -> Result<()> {
    if v.chars().count() > MAX_LINE || v.contains(['\n', '\r', '\0']) {
        return Err(Error::invalid(field, Problem::TooLong));
    }
    Ok(())
}

pub fn text(field: Field, v: &str) -> Result<()> {
    if v.len() > MAX_TEXT || v.contains('\0') {
        return Err(Error::invalid(field, Problem::TooLong));
    }
    Ok(())
}

/// `YYYY-MM-DD`, a real calendar date.
pub fn parse_date(field: Field, v: &str) -> Result<Date> {
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
        return Err(Error::invalid(Field::BirthDate, Problem::OutOfRange));
    }
    Ok(())
}

/// Checks an insurance number by the kind of insurer it belongs to, and returns it without
/// spaces: the Austrian SVNR check (10 digits, the 4th a check digit) applies to Austrian
/// statutory insurers, the KVNR check (a letter, 8 digits, a check digit) to German statutory
/// ones; private insurers' numbers (e.g. 8–12 letters and digits) are taken as they are. Where
/// the kind is not said, an Austrian practice's all-digit number is an SVNR and a German
/// practice's letter-and-nine-digits number a KVNR, as before kinds existed.
pub fn insurance_number(
    field: Field,
    v: &str,
    kind: crate::domain::client::InsuranceKind,
    country: crate::domain::practice::Country,
) -> Result<String> {
    use crate::domain::client::InsuranceKind as K;
    use crate::domain::practice::Country;
    let compact: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Ok(compact);
    }
    line(field, v)?;
    let digits_only = compact.chars().all(|c| c.is_ascii_digit());
    let kvnr_shaped = compact.len() == 10
        && compact.as_bytes()[0].is_ascii_alphabetic()
        && compact[1..].chars().all(|c| c.is_ascii_digit());
    match kind {
        K::AtStatutory => austrian_svnr_field(field, &compact)?,
        K::DeStatutory if kvnr_shaped => german_kvnr(field, &compact)?,
        K::DeStatutory => return Err(Error::invalid(field, Problem::BadFormat)),
        K::Private => private_number(field, &compact)?,
        K::Unspecified if digits_only && country == Country::AT => austrian_svnr_field(field, &compact)?,
        K::Unspecified if kvnr_shaped => german_kvnr(field, &compact)?,
        K::Unspecified => {}
    }
    Ok(compact)
}

/// A private insurer's number: letters, digits and the separators insurers print (- / .),
/// 4 to 20 characters.
fn private_number(field: Field, v: &str) -> Result<()> {
    let ok = (4..=20).contains(&v.chars().count()) && v.chars().all(|c| c.is_ascii_alphanumeric() || "-/.".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(field, Problem::BadFormat))
    }
}

fn austrian_svnr_field(field: Field, v: &str) -> Result<()> {
    austrian_svnr(v).map_err(|e| match e {
        Error::Invalid { problem, .. } => Error::invalid(field, problem),
        other => other,
    })
}

/// "1237 010180": the SVNR as the e-card and the ÖGK's forms print it (serial and check digit,
/// then the birth date); anything else as it is.
pub fn spaced_svnr(v: &str) -> String {
    let c: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    if c.len() == 10 && c.chars().all(|x| x.is_ascii_digit()) {
        format!("{} {}", &c[..4], &c[4..])
    } else {
        v.trim().to_string()
    }
}

/// A VAT identification number (UID, USt-IdNr.), upper-case without spaces. Austrian and
/// German numbers are checked to the digit: ATU + 8 digits whose last is the check digit of the
/// BMF's algorithm; DE + 9 digits, the last the ISO 7064 MOD 11,10 check digit (BZSt). Other EU
/// numbers are checked for shape only (two letters and 2–12 letters or digits).
pub fn vat_id(field: Field, v: &str) -> Result<String> {
    let c: String =
        v.chars().filter(|c| !c.is_whitespace() && *c != '.' && *c != '-').collect::<String>().to_ascii_uppercase();
    if c.is_empty() {
        return Ok(c);
    }
    let bad = || Error::invalid(field, Problem::BadFormat);
    if !c.is_ascii() || c.len() < 4 || c.len() > 14 {
        return Err(bad());
    }
    let (cc, rest) = c.split_at(2);
    if !cc.chars().all(|x| x.is_ascii_uppercase()) || !rest.chars().all(|x| x.is_ascii_alphanumeric()) {
        return Err(bad());
    }
    let digits = |s: &str| -> Option<Vec<u32>> { s.chars().map(|x| x.to_digit(10)).collect() };
    match cc {
        "AT" => {
            let d = rest.strip_prefix('U').and_then(digits).filter(|d| d.len() == 8).ok_or_else(bad)?;
            // Positions 1, 3, 5, 7 as they are, 2, 4, 6 as the digit sum of their double; the check
            // digit is (10 − (sum + 4) mod 10) mod 10.
            let sum: u32 =
                d[..7].iter().enumerate().map(|(i, &x)| if i % 2 == 0 { x } else { x * 2 / 10 + x * 2 % 10 }).sum();
            if (10 - (sum + 4) % 10) % 10 != d[7] {
                return Err(Error::invalid(field, Problem::CheckDigit));
            }
        }
        "DE" => {
            // The BZSt issues no number starting with 0.
            let d = digits(rest).filter(|d| d.len() == 9 && d[0] != 0).ok_or_else(bad)?;
            if iso7064_mod_11_10(&d[..8]) != d[8] {
                return Err(Error::invalid(field, Problem::CheckDigit));
            }
        }
        _ if rest.len() < 2 || rest.len() > 12 => return Err(bad()),
        _ => {}
    }
    Ok(c)
}

/// ISO 7064 MOD 11,10: the check digit of the German USt-IdNr. (and of other German numbers).
fn iso7064_mod_11_10(d: &[u32]) -> u32 {
    let mut product = 10;
    for &x in d {
        let mut sum = (x + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (2 * sum) % 11;
    }
    (11 - product) % 10
}

/// Austrian SVNR: digits 1-3 serial, 4 check digit, 5-10 birth date. Weights 3 7 9 _ 5 8 4 2 1 6,
/// sum mod 11; a remainder of 10 is never issued.
pub fn austrian_svnr(d: &str) -> Result<()> {
    let digits: Vec<u32> = d.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 10 || d.len() != 10 {
        return Err(Error::invalid(Field::InsuranceNumber, Problem::BadFormat));
    }
    const W: [u32; 10] = [3, 7, 9, 0, 5, 8, 4, 2, 1, 6];
    let sum: u32 = digits.iter().zip(W).map(|(d, w)| d * w).sum();
    let check = sum % 11;
    if check == 10 || check != digits[3] {
        return Err(Error::invalid(Field::InsuranceNumber, Problem::CheckDigit));
    }
    Ok(())
}

/// German KVNR: the letter as 01–26, then the digits, weights 1 2 1 2 …, digit sums, mod 10.
fn german_kvnr(field: Field, v: &str) -> Result<()> {
    let mut chars = v.chars();
    let letter = chars.next().unwrap_or('A');
    let digits: String = chars.collect();
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
        return Err(Error::invalid(field, Problem::CheckDigit));
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
        return Err(Error::invalid(Field::DiagnosisCode, Problem::BadFormat));
    }
    Ok(())
}

/// IBAN: country, check digits, mod-97 over the rearranged number.
pub fn iban(v: &str) -> Result<String> {
    let compact: String = v.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    if compact.is_empty() {
        return Ok(compact);
    }
    let bad = || Error::invalid(Field::Iban, Problem::BadFormat);
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
        return Err(Error::invalid(Field::Iban, Problem::CheckDigit));
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
        return Err(Error::invalid(Field::Bic, Problem::BadFormat));
    }
    Ok(c)
}

pub fn email(field: Field, v: &str) -> Result<()> {
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

    use crate::domain::client::InsuranceKind as K;
    use crate::domain::practice::Country::{AT, DE};

    fn nr(v: &str, kind: K, country: crate::domain::practice::Country) -> Result<String> {
        insurance_number(Field::InsuranceNumber, v, kind, country)
    }

    #[test]
    fn austrian_svnr_check_digit() {
        assert_eq!(nr("1237 010180", K::AtStatutory, AT).unwrap(), "1237010180");
        assert!(nr("1237010180", K::Unspecified, AT).is_ok());
        let e = nr("1238 010180", K::AtStatutory, DE).unwrap_err();
        assert!(matches!(e, Error::Invalid { problem: Problem::CheckDigit, .. }));
        assert!(matches!(
            nr("123701018", K::Unspecified, AT).unwrap_err(),
            Error::Invalid { problem: Problem::BadFormat, .. }
        ));
        assert_eq!(spaced_svnr("1237010180"), "1237 010180");
    }

    #[test]
    fn german_kvnr_check_digit() {
        assert!(nr("A123456780", K::DeStatutory, DE).is_ok());
        assert!(nr("A123456781", K::Unspecified, DE).is_err());
        assert!(nr("privat-4711/ab", K::Unspecified, DE).is_ok());
    }

    /// The SVNR check applies to Austrian statutory insurers only: German private insurers'
    /// numbers of 8–12 letters and digits are accepted as they are, even when all digits.
    #[test]
    fn private_insurance_numbers_are_not_svnrs() {
        for ok in ["12345678", "1238010180", "AB12345678", "123456789012", "K-4711/2"] {
            assert!(nr(ok, K::Private, DE).is_ok(), "{ok}");
            assert!(nr(ok, K::Private, AT).is_ok(), "{ok}");
        }
        assert!(nr("1238010180", K::Unspecified, DE).is_ok(), "an unspecified German number is not an SVNR");
        assert!(nr("1238010180", K::Unspecified, AT).is_err(), "an unspecified Austrian digit number is");
        assert!(nr("x y", K::Private, DE).is_err());
        assert!(nr("123", K::Private, DE).is_err());
    }

    #[test]
    fn vat_ids_are_checked_to_the_digit() {
        // Real-shaped numbers with correct check digits (cross-checked with python-stdnum).
        for ok in [
            "ATU13585627",
            "ATU12345675",
            "atu 1022 3006",
            "DE123456788",
            "DE 136 695 976",
            "FR40303265045",
            "NL004495445B01",
        ] {
            assert!(vat_id(Field::VatId, ok).is_ok(), "{ok}");
        }
        assert_eq!(vat_id(Field::VatId, "atu 1358 5627").unwrap(), "ATU13585627");
        for (bad, problem) in [
            ("ATU13585628", Problem::CheckDigit),
            ("ATU12345678", Problem::CheckDigit),
            ("DE123456789", Problem::CheckDigit),
            ("DE136695977", Problem::CheckDigit),
            ("AT13585627", Problem::BadFormat),
            ("ATU1358562", Problem::BadFormat),
            ("DE12345678", Problem::BadFormat),
            ("DE042473327", Problem::BadFormat),
            ("12345678", Problem::BadFormat),
            ("XX", Problem::BadFormat),
        ] {
            match vat_id(Field::BillToVatId, bad).unwrap_err() {
                Error::Invalid { field, problem: p, .. } => {
                    assert_eq!((field, p), (Field::BillToVatId, problem), "{bad}");
                }
                e => panic!("{bad}: {e}"),
            }
        }
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
        assert!(parse_date(Field::Date, "2026-02-28").is_ok());
        assert!(parse_date(Field::Date, "2026-02-30").is_err());
        assert!(parse_date(Field::Date, "28.02.2026").is_err());
    }

    #[test]
    fn umlauts_sort_with_their_base_letter() {
        let mut names = [sort_key("Zeller", "A"), sort_key("Ärger", "B"), sort_key("Auer", "C")];
        names.sort();
        assert_eq!(names[0], sort_key("Ärger", "B"));
        assert_eq!(names[2], sort_key("Zeller", "A"));
    }
}
