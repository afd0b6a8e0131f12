//! Services and fees (Leistungen, Honorarsätze): what a session is billed as.

use crate::error::{Error, Problem, Result};

use super::ids::ServiceId;
use super::money::Cents;
use super::validate;
use super::Stamps;
use crate::domain::Field;

/// How a service is taxed; the billing module prints the matching legal note.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum TaxMode {
    /// § 6 Abs. 1 Z 19 UStG (AT): health care by psychotherapists and similar professions.
    AtExempt,
    /// § 6 Abs. 1 Z 27 UStG (AT): small-business exemption.
    AtSmallBusiness,
    /// § 4 Nr. 14 UStG (DE): heilberufliche Leistungen.
    DeExempt,
    /// § 19 UStG (DE): Kleinunternehmerregelung.
    DeSmallBusiness,
    /// Taxable at a rate in basis points (2000 = 20 %), e.g. coaching or supervision.
    Taxable { rate_bp: u32 },
}

impl TaxMode {
    pub fn code(self) -> &'static str {
        match self {
            TaxMode::AtExempt => "at_exempt",
            TaxMode::AtSmallBusiness => "at_small_business",
            TaxMode::DeExempt => "de_exempt",
            TaxMode::DeSmallBusiness => "de_small_business",
            TaxMode::Taxable { .. } => "taxable",
        }
    }

    pub fn rate_bp(self) -> u32 {
        match self {
            TaxMode::Taxable { rate_bp } => rate_bp,
            _ => 0,
        }
    }

    pub fn from_parts(code: &str, rate_bp: u32) -> Result<TaxMode> {
        let m = match code {
            "at_exempt" => TaxMode::AtExempt,
            "at_small_business" => TaxMode::AtSmallBusiness,
            "de_exempt" => TaxMode::DeExempt,
            "de_small_business" => TaxMode::DeSmallBusiness,
            "taxable" => TaxMode::Taxable { rate_bp },
            _ => return Err(Error::invalid(Field::TaxMode, Problem::UnknownValue)),
        };
        if let TaxMode::Taxable { rate_bp } = m {
            if rate_bp == 0 || rate_bp > 10_000 {
                return Err(Error::invalid(Field::TaxRate, Problem::OutOfRange));
            }
        }
        Ok(m)
    }

    /// The CLI form that [`TaxMode::parse`] reads back: `at-exempt`, `taxable:20`, `taxable:7.5`.
    pub fn cli_form(self) -> String {
        match self {
            TaxMode::Taxable { rate_bp } if rate_bp % 100 == 0 => format!("taxable:{}", rate_bp / 100),
            TaxMode::Taxable { rate_bp } => format!("taxable:{}.{:02}", rate_bp / 100, rate_bp % 100),
            other => other.code().replace('_', "-"),
        }
    }

    /// Parses the CLI form: `at-exempt`, `de-small-business`, `taxable:20` (percent).
    pub fn parse(s: &str) -> Result<TaxMode> {
        let s = s.trim().replace('-', "_");
        if let Some(rate) = s.strip_prefix("taxable:") {
            let pct = Cents::parse_amount(rate).map_err(|_| Error::invalid(Field::TaxRate, Problem::BadFormat))?;
            let bp = u32::try_from(pct.get()).map_err(|_| Error::invalid(Field::TaxRate, Problem::OutOfRange))?;
            return TaxMode::from_parts("taxable", bp);
        }
        TaxMode::from_parts(&s, 0)
    }
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
/// Which fee schedule a service is billed under (§ 12 GOÄ asks for number, multiplier and
/// reason on German private invoices; the catalogue of items is `billing::fees`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeSchedule {
    /// A fee of its own (Austria, self-payers, coaching).
    #[default]
    None,
    /// GOÄ, as the GOP applies it to psychotherapists: points × point value × multiplier.
    Goae,
    /// An analog item of the 2024 joint recommendation (BÄK, BPtK, PKV-Verband, Beihilfe),
    /// billed "entsprechend" a GOÄ item (§ 6 Abs. 2 GOÄ), printed as "A 812".
    Analog,
    /// Gebührenverzeichnis für Heilpraktiker: a number and a typed amount, no multiplier.
    Gebueh,
}

impl FeeSchedule {
    pub fn as_str(self) -> &'static str {
        match self {
            FeeSchedule::None => "",
            FeeSchedule::Goae => "goae",
            FeeSchedule::Analog => "analog",
            FeeSchedule::Gebueh => "gebueh",
        }
    }

    pub fn parse(s: &str) -> Result<FeeSchedule> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "none" => Ok(FeeSchedule::None),
            "goae" | "goä" | "gop" => Ok(FeeSchedule::Goae),
            "analog" => Ok(FeeSchedule::Analog),
            "gebueh" | "gebüh" => Ok(FeeSchedule::Gebueh),
            _ => Err(Error::invalid(Field::FeeSchedule, Problem::UnknownValue)),
        }
    }

    /// Whether a fee under this schedule is points × point value × multiplier.
    pub fn has_points(self) -> bool {
        matches!(self, FeeSchedule::Goae | FeeSchedule::Analog)
    }
}

/// A GOÄ multiplier (Steigerungssatz) in hundredths: 230 is the 2,3-fold rate. An integer, so
/// no float touches a fee.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Multiplier(pub u32);

impl Multiplier {
    pub const ONE: Multiplier = Multiplier(100);
    /// The threshold (Schwellenwert, § 5 Abs. 2 GOÄ): above it a written reason is required.
    pub const THRESHOLD: Multiplier = Multiplier(230);
    /// The highest rate without a fee agreement (§ 5 Abs. 1 GOÄ); above it only with an
    /// agreement under § 2 GOÄ.
    pub const MAX: Multiplier = Multiplier(350);
    /// A ceiling for agreements, so a typo cannot bill a hundredfold fee.
    pub const MAX_AGREED: Multiplier = Multiplier(1000);

    /// Parses "2,3", "2.3", "3,50" or "2" (at most two decimals).
    pub fn parse(s: &str) -> Result<Multiplier> {
        let bad = || Error::invalid(Field::FeeMultiplier, Problem::BadFormat);
        let t = s.trim().replace(',', ".");
        let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
        if int.is_empty() || frac.len() > 2 || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let whole: u32 = int.parse().map_err(|_| bad())?;
        let hundredths: u32 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
        let m = whole.checked_mul(100).and_then(|w| w.checked_add(hundredths)).ok_or_else(bad)?;
        if !(Self::ONE.0..=Self::MAX_AGREED.0).contains(&m) {
            return Err(Error::invalid(Field::FeeMultiplier, Problem::OutOfRange));
        }
        Ok(Multiplier(m))
    }

    /// "2,3" in German, "2.3" in English: as short as the value allows, at least one decimal.
    pub fn label(self, decimal: char) -> String {
        let (w, f) = (self.0 / 100, self.0 % 100);
        let frac = if f % 10 == 0 { format!("{}", f / 10) } else { format!("{f:02}") };
        format!("{w}{decimal}{frac}")
    }
}

/// How a service is billed under a fee schedule. `number` is the Gebührenziffer as printed
/// ("870", "A 812", "19.1"); `points` and `multiplier` are used by GOÄ and analog items only.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ServiceFee {
    pub schedule: FeeSchedule,
    pub number: String,
    pub points: u32,
    pub multiplier: Multiplier,
}

/// A service's fee schedule as a form holds it: points and multiplier as typed ("2,3").
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(default)]
pub struct FeeForm {
    pub schedule: FeeSchedule,
    pub number: String,
    /// Empty: the catalogue item's points (GOÄ items Tresor ships, e.g. "870").
    pub points: String,
    /// Empty: the item's usual rate (2,3).
    pub multiplier: String,
}

impl FeeForm {
    /// The fee as typed, each wrong field named; empty points and multiplier stay 0 for the
    /// catalogue to fill in.
    pub fn parsed(&self) -> Result<ServiceFee> {
        let mut f = validate::Fields::default();
        let points = match self.points.trim() {
            "" => 0,
            p => p.parse::<u32>().unwrap_or_else(|_| {
                f.wrong(Field::FeePoints, Problem::BadFormat);
                0
            }),
        };
        let multiplier = match self.multiplier.trim() {
            "" => Multiplier::default(),
            m => Multiplier::parse(m).unwrap_or_else(|e| {
                f.check(Err::<(), _>(e));
                Multiplier::default()
            }),
        };
        f.finish()?;
        Ok(ServiceFee { schedule: self.schedule, number: self.number.trim().to_string(), points, multiplier })
    }
}

/// What a fee under a schedule comes to, as the core computes it (the window computes no money).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FeePreview {
    /// The fee to save with the service (catalogue points and usual rate filled in).
    pub fee: ServiceFee,
    /// points × point value × multiplier; `None` under a schedule without points (typed price).
    pub price: Option<Cents>,
    /// The multiplier as the practice writes it ("2,3").
    pub multiplier: String,
    /// The catalogue item's designation (§ 12 GOÄ), when Tresor ships the item.
    pub text: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Service {
    pub id: ServiceId,
    #[serde(flatten)]
    pub data: ServiceInput,
    pub stamps: Stamps,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ServiceInput {
    pub name: String,
    #[serde(default)]
    pub code: String,
    pub minutes: u32,
    /// The price; under GOÄ and analog items computed from points and multiplier.
    pub price: Cents,
    pub tax: TaxMode,
    #[serde(default)]
    pub fee: ServiceFee,
    /// Retired: kept for the sessions and invoices that used it, not offered for new ones.
    #[serde(default)]
    pub retired: bool,
}

impl ServiceInput {
    /// Checks every field; the error names every wrong one.
    pub fn validated(self) -> Result<ServiceInput> {
        let mut f = validate::Fields::default();
        f.check(validate::required(Field::Name, &self.name));
        f.check(validate::line(Field::Code, &self.code));
        if self.minutes == 0 || self.minutes > 24 * 60 {
            f.wrong(Field::Minutes, Problem::OutOfRange);
        }
        if self.price.is_negative() {
            f.wrong(Field::Price, Problem::OutOfRange);
        } else {
            f.check(self.price.bounded(Field::Price));
        }
        f.check(TaxMode::from_parts(self.tax.code(), self.tax.rate_bp()));
        f.check(validate::line(Field::FeeNumber, &self.fee.number));
        if self.fee.schedule != FeeSchedule::None && self.fee.number.trim().is_empty() {
            f.wrong(Field::FeeNumber, Problem::Required);
        }
        if self.fee.schedule.has_points() && self.fee.points == 0 {
            f.wrong(Field::FeePoints, Problem::Required);
        }
        if self.fee.points > 100_000 {
            f.wrong(Field::FeePoints, Problem::OutOfRange);
        }
        f.finish()?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_modes_parse() {
        assert_eq!(TaxMode::parse("at-exempt").unwrap(), TaxMode::AtExempt);
        assert_eq!(TaxMode::parse("taxable:20").unwrap(), TaxMode::Taxable { rate_bp: 2000 });
        assert_eq!(TaxMode::parse("taxable:7,5").unwrap(), TaxMode::Taxable { rate_bp: 750 });
        assert!(TaxMode::parse("taxable:0").is_err());
        assert!(TaxMode::parse("vat").is_err());
    }

    #[test]
    fn multipliers_parse_as_typed_and_print_short() {
        let table = [("2,3", 230), ("2.3", 230), ("3,5", 350), ("1", 100), ("1,15", 115), ("3.50", 350)];
        for (s, m) in table {
            assert_eq!(Multiplier::parse(s).unwrap(), Multiplier(m), "{s}");
        }
        for bad in ["", "2,345", "x", "0,9", "10,01", "-2", "2,3,"] {
            assert!(Multiplier::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Multiplier(230).label(','), "2,3");
        assert_eq!(Multiplier(115).label('.'), "1.15");
        assert_eq!(Multiplier(100).label(','), "1,0");
    }
}
