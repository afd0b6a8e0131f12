//! Tax per line and totals per rate, in integer cents.
//!
//! **Rounding rule.** Line amounts are net (`quantity × unit`, exact in cents). Each line's tax
//! is `net × rate` rounded to a whole cent, half away from zero (so a cancellation, which
//! negates every line, mirrors the original to the cent). The tax of a rate is the sum of its
//! lines' taxes; gross = net + tax. Both AT and DE accept per-line rounding, and it is what a
//! spreadsheet with one `ROUND` per line reproduces, so the XLSX and the PDF agree.

use crate::domain::money::Cents;
use crate::domain::practice::Language;
use crate::domain::service::TaxMode;
use crate::error::Result;

use super::model::InvoiceLine;

/// `net × rate_bp / 10 000`, rounded half away from zero.
pub fn line_tax(net: Cents, mode: TaxMode) -> Result<Cents> {
    net.mul_bp_rounded(mode.rate_bp())
}

/// The sums of one tax mode (exempt modes have rate 0 and print their legal note).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RateTotal {
    pub tax: TaxMode,
    pub net: Cents,
    pub tax_amount: Cents,
    pub gross: Cents,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Totals {
    /// In the order the modes first appear on the invoice.
    pub per_rate: Vec<RateTotal>,
    pub net: Cents,
    pub tax: Cents,
    pub gross: Cents,
}

impl Totals {
    pub fn of(lines: &[InvoiceLine]) -> Result<Totals> {
        let mut t = Totals::default();
        for l in lines {
            let i = match t.per_rate.iter().position(|r| r.tax == l.input.tax) {
                Some(i) => i,
                None => {
                    t.per_rate.push(RateTotal {
                        tax: l.input.tax,
                        net: Cents::ZERO,
                        tax_amount: Cents::ZERO,
                        gross: Cents::ZERO,
                    });
                    t.per_rate.len() - 1
                }
            };
            let r = &mut t.per_rate[i];
            r.net = r.net.checked_add(l.amount)?;
            r.tax_amount = r.tax_amount.checked_add(l.tax_amount)?;
            r.gross = r.net.checked_add(r.tax_amount)?;
            t.net = t.net.checked_add(l.amount)?;
            t.tax = t.tax.checked_add(l.tax_amount)?;
        }
        t.gross = t.net.checked_add(t.tax)?;
        Ok(t)
    }
}

/// The legal note printed for a tax-exempt mode, quoted exactly; `None` for taxable lines.
pub fn exemption_note(mode: TaxMode, lang: Language) -> Option<&'static str> {
    Some(match (mode, lang) {
        (TaxMode::AtExempt, Language::De) => "Umsatzsteuer: gem. § 6 Abs. 1 Z 19 UStG befreit.",
        (TaxMode::AtExempt, Language::En) => "Exempt from VAT: gem. § 6 Abs. 1 Z 19 UStG befreit (Austrian VAT Act).",
        (TaxMode::AtSmallBusiness, Language::De) => {
            "Umsatzsteuer: gem. § 6 Abs. 1 Z 27 UStG befreit (Kleinunternehmer)."
        }
        (TaxMode::AtSmallBusiness, Language::En) => {
            "No VAT charged: small business, gem. § 6 Abs. 1 Z 27 UStG befreit."
        }
        (TaxMode::DeExempt, Language::De) => "Die Leistung ist umsatzsteuerfrei gem. § 4 Nr. 14 UStG.",
        (TaxMode::DeExempt, Language::En) => "Exempt from VAT: umsatzsteuerfrei gem. § 4 Nr. 14 UStG.",
        (TaxMode::DeSmallBusiness, Language::De) => {
            // § 19 Abs. 1 UStG since 2025: the small business's turnover is exempt (BMF, 18.03.2025).
            "Steuerfreie Leistung nach § 19 Abs. 1 UStG (Kleinunternehmerregelung)."
        }
        (TaxMode::DeSmallBusiness, Language::En) => {
            "VAT-exempt supply under § 19 Abs. 1 UStG (Kleinunternehmerregelung, small business)."
        }
        (TaxMode::Taxable { .. }, _) => return None,
    })
}

/// "20 %" / "7,5 %" in German, "7.5%" in English.
pub fn rate_label(mode: TaxMode, lang: Language) -> String {
    let bp = mode.rate_bp();
    let whole = bp / 100;
    let frac = bp % 100;
    let num = match (frac, lang) {
        (0, _) => whole.to_string(),
        (f, Language::De) => format!("{whole},{}", format!("{f:02}").trim_end_matches('0')),
        (f, Language::En) => format!("{whole}.{}", format!("{f:02}").trim_end_matches('0')),
    };
    match lang {
        Language::De => format!("{num} %"),
        Language::En => format!("{num}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::model::LineInput;
    use crate::domain::ids::InvoiceLineId;

    const T20: TaxMode = TaxMode::Taxable { rate_bp: 2000 };
    const T7: TaxMode = TaxMode::Taxable { rate_bp: 700 };

    fn line(unit: i64, qty: i64, tax: TaxMode) -> InvoiceLine {
        let input = LineInput::item("x", Cents::new(unit), qty, tax);
        let amount = input.amount().unwrap();
        InvoiceLine { id: InvoiceLineId::new(), position: 0, amount, tax_amount: line_tax(amount, tax).unwrap(), input }
    }

    #[test]
    fn line_tax_rounds_half_away_from_zero() {
        let table = [
            (1234, 2000, 247), // 246.8
            (1, 2000, 0),      // 0.2
            (3, 2000, 1),      // 0.6
            (25, 2000, 5),     // 5.0
            (50, 700, 4),      // 3.5 → 4
            (-50, 700, -4),    // mirrored
            (150, 1000, 15),   // 15.0
            (5, 1000, 1),      // 0.5 → 1
            (-5, 1000, -1),
            (4, 1000, 0), // 0.4
            (10_000, 0, 0),
        ];
        for (net, bp, tax) in table {
            let mode = if bp == 0 { TaxMode::AtExempt } else { TaxMode::Taxable { rate_bp: bp } };
            assert_eq!(line_tax(Cents::new(net), mode).unwrap(), Cents::new(tax), "{net} at {bp}");
        }
    }

    #[test]
    fn totals_are_sums_of_rounded_lines_per_rate() {
        // 1000 lines of 0.05 € at 7 %: each line's tax is 0.35 ct → 0; a total-based rule
        // would give 3.50 €. The documented rule is per line, and the totals follow it.
        let mut lines: Vec<InvoiceLine> = (0..1000).map(|_| line(5, 1, T7)).collect();
        lines.push(line(8000, 3, TaxMode::AtExempt));
        lines.push(line(1234, 1, T20));
        let t = Totals::of(&lines).unwrap();
        assert_eq!(t.per_rate.len(), 3);
        assert_eq!(t.per_rate[0].net, Cents::new(5000));
        assert_eq!(t.per_rate[0].tax_amount, Cents::new(0));
        assert_eq!(t.per_rate[1].gross, Cents::new(24000));
        assert_eq!(t.per_rate[2].tax_amount, Cents::new(247));
        assert_eq!(t.net, Cents::new(5000 + 24000 + 1234));
        assert_eq!(t.gross, t.net.checked_add(Cents::new(247)).unwrap());
        let neg: Vec<InvoiceLine> =
            lines.iter().map(|l| line(-l.input.unit.get(), l.input.quantity, l.input.tax)).collect();
        let tn = Totals::of(&neg).unwrap();
        assert_eq!(tn.gross, t.gross.checked_neg().unwrap(), "a cancellation must mirror the original exactly");
    }

    #[test]
    fn rate_labels() {
        assert_eq!(rate_label(T20, Language::De), "20 %");
        assert_eq!(rate_label(TaxMode::Taxable { rate_bp: 750 }, Language::De), "7,5 %");
        assert_eq!(rate_label(TaxMode::Taxable { rate_bp: 750 }, Language::En), "7.5%");
    }
}
