//! What a practice may print, in one place: the tax modes a practice may use (country and
//! small-business status), the default mode and fee schedule per country, and which recipient
//! facts an invoice needs by law (address above the small-invoice limit, the recipient's UID
//! above 10,000 €). Pure functions: the vault calls them before it writes, the CLI and the
//! desktop shell ask them what to offer. VAT shown is VAT owed, so a mode a practice may not
//! use is refused, never printed.

use jiff::civil::Date;

use super::fees;
use super::model::{Invoice, Payer};
use super::number::NumberFormat;
use crate::domain::money::Cents;
use crate::domain::practice::{Country, Practice};
use crate::domain::service::{FeeSchedule, TaxMode};
use crate::domain::Field;
use crate::error::{Error, Problem, Result};

/// The VAT rates in force, in basis points: AT § 10 UStG (20, 13, 10 %), DE § 12 UStG (19, 7 %).
pub fn vat_rates(country: Country) -> &'static [u32] {
    match country {
        Country::AT => &[2000, 1300, 1000],
        Country::DE => &[1900, 700],
    }
}

/// The modes a practice may print, the usual one first.
///
/// - Health care by psychotherapists is exempt in both countries (AT § 6 Abs. 1 Z 19, DE § 4
///   Nr. 14 UStG), small business or not.
/// - A small business (AT § 6 Abs. 1 Z 27, DE § 19 UStG) charges no VAT on anything else.
/// - Otherwise other services (coaching, supervision) are taxable at the country's rates.
/// - No practice ever prints the other country's modes.
pub fn tax_modes(country: Country, small_business: bool) -> Vec<TaxMode> {
    let (exempt, small) = match country {
        Country::AT => (TaxMode::AtExempt, TaxMode::AtSmallBusiness),
        Country::DE => (TaxMode::DeExempt, TaxMode::DeSmallBusiness),
    };
    if small_business {
        vec![small, exempt]
    } else {
        let mut v = vec![exempt];
        v.extend(vat_rates(country).iter().map(|&rate_bp| TaxMode::Taxable { rate_bp }));
        v
    }
}

/// The mode a new service or item gets when none is chosen.
pub fn default_tax_mode(country: Country, small_business: bool) -> TaxMode {
    tax_modes(country, small_business)[0]
}

/// Refuses a mode the practice may not print.
pub fn check_tax_mode(country: Country, small_business: bool, mode: TaxMode) -> Result<()> {
    if tax_modes(country, small_business).contains(&mode) {
        return Ok(());
    }
    Err(Error::TaxModeNotAllowed {
        mode: mode.code(),
        rate_bp: mode.rate_bp(),
        country: country.as_str(),
        small_business,
    })
}

/// The fee schedules of a country: GOÄ/GOP, its analog items and the GebüH are German.
pub fn fee_schedules(country: Country) -> &'static [FeeSchedule] {
    match country {
        Country::AT => &[FeeSchedule::None],
        Country::DE => &[FeeSchedule::None, FeeSchedule::Goae, FeeSchedule::Analog, FeeSchedule::Gebueh],
    }
}

pub fn check_fee_schedule(country: Country, schedule: FeeSchedule) -> Result<()> {
    if fee_schedules(country).contains(&schedule) {
        Ok(())
    } else {
        Err(Error::invalid(Field::FeeSchedule, Problem::NotAllowed))
    }
}

/// The gross amount above which an invoice must name the recipient's full address: DE § 33
/// UStDV (Kleinbetragsrechnung up to 250 €, § 14 Abs. 4 Nr. 1 UStG above), AT § 11 Abs. 6
/// UStG (up to 400 €, § 11 Abs. 1 Z 3 lit. b above).
pub fn small_invoice_limit(country: Country) -> Cents {
    match country {
        Country::AT => Cents::new(40_000),
        Country::DE => Cents::new(25_000),
    }
}

/// AT § 11 Abs. 1 Z 3 lit. j UStG: above 10,000 € gross, a taxable invoice to a business names
/// the recipient's UID.
pub const AT_RECIPIENT_UID_LIMIT: Cents = Cents::new(1_000_000);

/// Whether the recipient's address must be on an invoice of `gross`.
pub fn recipient_address_required(country: Country, gross: Cents) -> bool {
    gross > small_invoice_limit(country)
}

/// Whether the issuer's UID must be on the invoice: AT § 11 Abs. 1 Z 3 lit. i UStG for taxable
/// turnover (a small business and exempt health care charge no VAT and need none).
pub fn issuer_vat_id_required(country: Country, any_taxable: bool) -> bool {
    country == Country::AT && any_taxable
}

/// Whether the recipient's UID must be on the invoice (AT § 11 Abs. 1 Z 3 lit. j UStG).
pub fn recipient_vat_id_required(country: Country, gross: Cents, any_taxable: bool, business: bool) -> bool {
    country == Country::AT && any_taxable && business && gross > AT_RECIPIENT_UID_LIMIT
}

/// What the law asks of an invoice before it gets a number: tax modes the practice may print,
/// § 12 GOÄ for German fees, the issuer's UID on Austrian taxable invoices, and the recipient's
/// address (DE above 250 €, AT above 400 €) and UID (AT above 10,000 €). `issuer` is the
/// practice as it will be printed; `fee_agreement` the client's (§ 2 GOÄ).
pub fn check_issue(
    issuer: &Practice,
    invoice: &Invoice,
    payer: &Payer,
    issuer_vat_id: &str,
    fee_agreement: Option<Date>,
) -> Result<()> {
    let (country, small_business) = (issuer.country, issuer.small_business);
    for l in &invoice.lines {
        check_tax_mode(country, small_business, l.input.tax)?;
        check_fee_schedule(country, l.input.fee.schedule)?;
        fees::check_line(&l.input.fee, &l.input.fee_reason, fee_agreement, l.input.date)?;
    }
    let taxable = invoice.lines.iter().any(|l| l.input.tax.rate_bp() > 0);
    if issuer_vat_id_required(country, taxable) && issuer_vat_id.trim().is_empty() {
        return Err(Error::PracticeIncomplete { field: Field::VatId });
    }
    let gross = invoice.totals.gross;
    if recipient_address_required(country, gross) {
        if let Some(field) = payer.party.missing_address_field() {
            return Err(Error::RecipientIncomplete { field, limit: small_invoice_limit(country) });
        }
    }
    if recipient_vat_id_required(country, gross, taxable, payer.is_business()) && payer.party.vat_id.trim().is_empty() {
        return Err(Error::RecipientIncomplete { field: Field::VatId, limit: AT_RECIPIENT_UID_LIMIT });
    }
    Ok(())
}

/// An invoice without lines has nothing to issue.
pub fn check_has_lines(line_count: u64) -> Result<()> {
    if line_count == 0 {
        return Err(Error::InvoiceState { reason: "empty" });
    }
    Ok(())
}

/// The checks at the moment of the number, on what the store holds: a device's series shows
/// in the number when it has one (else two computers could print the same number); numbers
/// ascend with their dates within a series and period.
pub fn check_numbering(series: &str, format: &NumberFormat, last_issued: Option<Date>, issue_date: Date) -> Result<()> {
    if !series.is_empty() && !format.shows_series() {
        return Err(Error::invalid(Field::NumberFormat, Problem::NotAllowed));
    }
    if last_issued.is_some_and(|d| d > issue_date) {
        return Err(Error::InvoiceState { reason: "date_before_last_issued" });
    }
    Ok(())
}

/// What is worth saying before an invoice is issued but no reason to refuse it, as the codes
/// the window words: an Austrian client's claim form (Honorarnote) for the ÖGK names their
/// social insurance number, or that of the insured person they are co-insured with.
pub fn issue_notes(country: Country, client: &super::ClientFacts) -> Vec<&'static str> {
    let mut notes = Vec::new();
    let no_number = client.insurance_number.trim().is_empty() && client.insured_number.trim().is_empty();
    if country == Country::AT && no_number {
        notes.push("svnr_missing");
    }
    notes
}

/// Everything a screen needs to offer tax modes: the one answer for the CLI and the app.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TaxChoices {
    pub allowed: Vec<TaxMode>,
    pub default: TaxMode,
    pub fee_schedules: Vec<FeeSchedule>,
}

pub fn choices(country: Country, small_business: bool) -> TaxChoices {
    TaxChoices {
        allowed: tax_modes(country, small_business),
        default: default_tax_mode(country, small_business),
        fee_schedules: fee_schedules(country).to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: fn(u32) -> TaxMode = |rate_bp| TaxMode::Taxable { rate_bp };

    #[test]
    fn a_claim_without_an_insurance_number_is_noted_in_austria_only() {
        let mut facts = crate::billing::ClientFacts {
            name: "A".into(),
            birth_date: None,
            insurer: "ÖGK".into(),
            insurance_number: String::new(),
            diagnoses: vec![],
            language: None,
            insured_name: String::new(),
            insured_number: String::new(),
            medical_exam_date: None,
            treatment_method: String::new(),
            fee_agreement_date: None,
        };
        assert_eq!(issue_notes(Country::AT, &facts), vec!["svnr_missing"]);
        assert!(issue_notes(Country::DE, &facts).is_empty());
        facts.insured_number = "1237 010180".into();
        assert!(issue_notes(Country::AT, &facts).is_empty());
    }

    #[test]
    fn each_practice_type_may_print_only_its_own_modes() {
        use Country::*;
        // (country, small business, allowed, refused)
        let table: [(Country, bool, Vec<TaxMode>, Vec<TaxMode>); 4] = [
            (
                AT,
                false,
                vec![TaxMode::AtExempt, T(2000), T(1300), T(1000)],
                vec![TaxMode::AtSmallBusiness, TaxMode::DeExempt, TaxMode::DeSmallBusiness, T(1900), T(700)],
            ),
            (
                AT,
                true,
                vec![TaxMode::AtSmallBusiness, TaxMode::AtExempt],
                vec![T(2000), TaxMode::DeExempt, TaxMode::DeSmallBusiness],
            ),
            (
                DE,
                false,
                vec![TaxMode::DeExempt, T(1900), T(700)],
                vec![TaxMode::DeSmallBusiness, TaxMode::AtExempt, T(2000), T(750)],
            ),
            (
                DE,
                true,
                vec![TaxMode::DeSmallBusiness, TaxMode::DeExempt],
                vec![T(1900), T(700), TaxMode::AtSmallBusiness],
            ),
        ];
        for (country, sb, allowed, refused) in table {
            for m in allowed {
                assert!(check_tax_mode(country, sb, m).is_ok(), "{country:?}/{sb}: {m:?}");
            }
            for m in refused {
                let e = check_tax_mode(country, sb, m).unwrap_err();
                assert_eq!(e.code(), "billing.tax_mode_not_allowed", "{country:?}/{sb}: {m:?}");
                assert_eq!(e.params()["field"], "tax");
            }
        }
        assert_eq!(default_tax_mode(AT, false), TaxMode::AtExempt);
        assert_eq!(default_tax_mode(DE, true), TaxMode::DeSmallBusiness);
    }

    #[test]
    fn numbering_checks_series_and_date_order() {
        let d = jiff::civil::date;
        let with_series = NumberFormat::parse("{year}-{series-}{seq:4}").unwrap();
        let without = NumberFormat::parse("{year}-{seq:4}").unwrap();
        assert!(check_numbering("", &without, None, d(2026, 3, 3)).is_ok());
        assert!(check_numbering("B", &with_series, Some(d(2026, 3, 3)), d(2026, 3, 3)).is_ok());
        let e = check_numbering("B", &without, None, d(2026, 3, 3)).unwrap_err();
        assert_eq!((e.code(), e.params()["field"].clone()), ("record.invalid", "number_format".into()));
        let e = check_numbering("", &without, Some(d(2026, 3, 4)), d(2026, 3, 3)).unwrap_err();
        assert_eq!(e.params()["reason"], "date_before_last_issued");
        assert_eq!(check_has_lines(0).unwrap_err().params()["reason"], "empty");
        assert!(check_has_lines(1).is_ok());
    }

    /// The wire form a command hands to the UI (the practice and service forms offer these).
    #[test]
    fn choices_serialise_for_the_ui() {
        let json = serde_json::to_value(choices(Country::DE, false)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "allowed": [
                    { "mode": "de_exempt" },
                    { "mode": "taxable", "rate_bp": 1900 },
                    { "mode": "taxable", "rate_bp": 700 },
                ],
                "default": { "mode": "de_exempt" },
                "fee_schedules": ["none", "goae", "analog", "gebueh"],
            })
        );
        let small = choices(Country::AT, true);
        assert_eq!(small.default, TaxMode::AtSmallBusiness);
        assert_eq!(small.allowed, vec![TaxMode::AtSmallBusiness, TaxMode::AtExempt]);
    }

    #[test]
    fn recipient_facts_follow_the_small_invoice_limits() {
        assert!(!recipient_address_required(Country::DE, Cents::new(25_000)), "250,00 € is a Kleinbetragsrechnung");
        assert!(recipient_address_required(Country::DE, Cents::new(25_001)));
        assert!(!recipient_address_required(Country::AT, Cents::new(40_000)));
        assert!(recipient_address_required(Country::AT, Cents::new(40_001)));
        assert!(recipient_vat_id_required(Country::AT, Cents::new(1_000_001), true, true));
        assert!(!recipient_vat_id_required(Country::AT, Cents::new(1_000_000), true, true));
        assert!(!recipient_vat_id_required(Country::AT, Cents::new(2_000_000), true, false), "a consumer has none");
        assert!(!recipient_vat_id_required(Country::DE, Cents::new(2_000_000), true, true));
        assert!(issuer_vat_id_required(Country::AT, true) && !issuer_vat_id_required(Country::AT, false));
        assert!(check_fee_schedule(Country::AT, FeeSchedule::Goae).is_err());
        assert!(check_fee_schedule(Country::DE, FeeSchedule::Analog).is_ok());
    }
}
