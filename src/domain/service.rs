//! Services and fees (Leistungen, Honorarsätze): what a session is billed as.

use crate::error::{Error, Problem, Result};

use super::ids::ServiceId;
use super::money::Cents;
use super::validate;
use super::Stamps;

/// How a service is taxed; the billing module prints the matching legal note.
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
            _ => return Err(Error::invalid("tax_mode", Problem::UnknownValue)),
        };
        if let TaxMode::Taxable { rate_bp } = m {
            if rate_bp == 0 || rate_bp > 10_000 {
                return Err(Error::invalid("tax_rate", Problem::OutOfRange));
            }
        }
        Ok(m)
    }

    /// Parses the CLI form: `at-exempt`, `de-small-business`, `taxable:20` (percent).
    pub fn parse(s: &str) -> Result<TaxMode> {
        let s = s.trim().replace('-', "_");
        if let Some(rate) = s.strip_prefix("taxable:") {
            let pct = Cents::parse_amount(rate).map_err(|_| Error::invalid("tax_rate", Problem::BadFormat))?;
            let bp = u32::try_from(pct.get()).map_err(|_| Error::invalid("tax_rate", Problem::OutOfRange))?;
            return TaxMode::from_parts("taxable", bp);
        }
        TaxMode::from_parts(&s, 0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Service {
    pub id: ServiceId,
    #[serde(flatten)]
    pub data: ServiceInput,
    pub stamps: Stamps,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ServiceInput {
    pub name: String,
    #[serde(default)]
    pub code: String,
    pub minutes: u32,
    pub price: Cents,
    pub tax: TaxMode,
}

impl ServiceInput {
    pub fn validated(self) -> Result<ServiceInput> {
        validate::required("name", &self.name)?;
        validate::line("code", &self.code)?;
        if self.minutes == 0 || self.minutes > 24 * 60 {
            return Err(Error::invalid("minutes", Problem::OutOfRange));
        }
        if self.price.is_negative() {
            return Err(Error::invalid("price", Problem::OutOfRange));
        }
        self.price.bounded("price")?;
        TaxMode::from_parts(self.tax.code(), self.tax.rate_bp())?;
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
}
