//! E-invoices (EN 16931) in the UN/CEFACT Cross Industry Invoice syntax: the XML embedded in a
//! Factur-X / ZUGFeRD PDF/A-3 (profile EN 16931) and the XRechnung file (CII syntax, with the
//! buyer reference, the Leitweg-ID for public buyers). The same amounts as the PDF: line
//! amounts, taxes per line summed per rate (within BR-CO-17's tolerance), totals.
//!
//! Who must send one: German taxable invoices to businesses (from 2027 above 800,000 € turnover,
//! from 2028 all); not exempt treatment billed to patients, not §19 small businesses, not
//! invoices up to 250 € (§ 33 UStDV). [`decide`] states that rule once.
//!
//! Written by hand rather than with an XML library: the document is small, fixed in shape and
//! order (the XSD's sequences), and every value goes through [`esc`].

use crate::billing::InvoiceKind;
use crate::domain::money::Cents;
use crate::domain::practice::Country;
use crate::domain::service::TaxMode;
use crate::error::{Error, Problem, Result};

use super::InvoiceDoc;
use crate::domain::Field;

pub const FACTURX_FILE: &str = "factur-x.xml";
/// BT-24 of Factur-X's EN 16931 profile.
const FACTURX_GUIDELINE: &str = "urn:cen.eu:en16931:2017";
/// BT-24 of XRechnung 3.0.
const XRECHNUNG_GUIDELINE: &str = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0";
/// BT-23, which XRechnung expects.
const PEPPOL_PROCESS: &str = "urn:fdc:peppol.eu:2017:poacc:billing:01.0";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    FacturX,
    XRechnung,
}

/// The buyer as the e-invoice states it (BG-7). Filled from the invoice's payer; the VAT id
/// (BT-48) stays empty until the payer record has one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Buyer {
    pub name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub vat_id: String,
    /// BT-49, the buyer's electronic address (an e-mail address, scheme EM).
    pub email: String,
    /// BT-10: the Leitweg-ID of a German public buyer, or the buyer's own reference.
    pub reference: String,
}

/// Whether an invoice is, may be, or is not an e-invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// A German taxable invoice over 250 € to a business: the e-invoice is the invoice.
    Required,
    /// An Austrian taxable invoice to a business: no duty (only public buyers), made too.
    Possible,
    /// No e-invoice; the reason is [`Error::EInvoice`]'s `reason`.
    Excluded(&'static str),
}

/// §14 Abs. 2 UStG's e-invoice rule for this invoice, stated once: the recipient's role decides
/// business or person (a payer of role `other` or `insurer` is an organisation); then §19
/// (`small_business`, also Austria's Z 27), tax-free treatment (`exempt`, §4 Nr. 14 / Z 19: the
/// duty does not cover §4 Nr. 8–29) and §33 UStDV's small amount (`up_to_250`, gross ≤ 250 €).
pub fn decide(doc: &InvoiceDoc) -> Decision {
    // To a person, or to an insurer or payer not marked as a business: no e-invoice.
    if doc.invoice.payer.is_consumer() || !doc.invoice.payer.is_business() {
        return Decision::Excluded("consumer");
    }
    let lines = &doc.invoice.lines;
    if lines.iter().any(|l| matches!(l.input.tax, TaxMode::DeSmallBusiness | TaxMode::AtSmallBusiness)) {
        return Decision::Excluded("small_business");
    }
    if !lines.iter().any(|l| matches!(l.input.tax, TaxMode::Taxable { .. })) {
        return Decision::Excluded("exempt");
    }
    if doc.issuer.country == Country::AT {
        return Decision::Possible;
    }
    if doc.invoice.totals.gross.get().unsigned_abs() <= 25_000 {
        return Decision::Excluded("up_to_250");
    }
    Decision::Required
}

/// The sentence for an [`Error::EInvoice`] reason (the CLI prints it; the app has i18n).
pub fn explain(reason: &str) -> &'static str {
    match reason {
        "consumer" => "it is addressed to a private person (the client or a guardian)",
        "small_business" => "small businesses (§ 19 UStG, § 6 Abs. 1 Z 27 UStG) issue no e-invoices",
        "exempt" => "tax-free treatment (§ 4 Nr. 14 UStG, § 6 Abs. 1 Z 19 UStG) needs no e-invoice",
        "up_to_250" => "invoices up to 250 € gross need no e-invoice (§ 33 UStDV)",
        "issued_without" => "it was issued without the e-invoice data",
        _ => "it does not qualify",
    }
}

/// An ISO country code from what a person typed into an address ("Österreich", "de", "").
pub fn country_code(typed: &str, default: Country) -> Result<String> {
    let t = typed.trim();
    let code = match t.to_lowercase().as_str() {
        "" => default.as_str(),
        "at" | "aut" | "österreich" | "oesterreich" | "austria" => "AT",
        "de" | "deu" | "deutschland" | "germany" => "DE",
        "ch" | "schweiz" | "switzerland" => "CH",
        "it" | "italien" | "italy" => "IT",
        _ if t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic()) => return Ok(t.to_ascii_uppercase()),
        _ => return Err(Error::invalid(Field::Country, Problem::UnknownValue)),
    };
    Ok(code.to_string())
}

impl Buyer {
    /// The invoice's (frozen) payer as the e-invoice's buyer.
    pub fn of(doc: &InvoiceDoc) -> Result<Buyer> {
        let p = &doc.invoice.payer.party;
        Ok(Buyer {
            name: p.name.trim().to_string(),
            street: p.street.trim().to_string(),
            postal_code: p.postal_code.trim().to_string(),
            city: p.city.trim().to_string(),
            country: country_code(&p.country, doc.issuer.country)?,
            vat_id: String::new(),
            email: p.email.trim().to_string(),
            reference: String::new(),
        })
    }
}

/// Escapes text for XML element content and attributes; drops what XML 1.0 cannot carry.
pub fn escape(s: &str) -> String {
    esc(s)
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' | '\n' | '\r' => o.push(c),
            c if (c as u32) < 0x20 => {}
            c => o.push(c),
        }
    }
    o
}

/// `1234.56`, `-4.80`: the decimal form of EN 16931 amounts.
fn amount(c: Cents) -> String {
    let v = c.get();
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

fn percent(bp: u32) -> String {
    format!("{}.{:02}", bp / 100, bp % 100)
}

fn date102(d: jiff::civil::Date) -> String {
    d.strftime("%Y%m%d").to_string()
}

/// The VAT category of a tax mode (UNTDID 5305) and, for exemptions, the reason (BT-120).
fn category(mode: TaxMode) -> (&'static str, u32) {
    match mode {
        TaxMode::Taxable { rate_bp } => ("S", rate_bp),
        _ => ("E", 0),
    }
}

/// The CII XML of an issued invoice or Storno. A Storno is a credit note (381) with positive
/// amounts that refers to the invoice it cancels (BT-25).
pub fn cii_xml(doc: &InvoiceDoc, buyer: &Buyer, profile: Profile) -> Result<Vec<u8>> {
    let inv = &doc.invoice;
    let who = &doc.issuer;
    let loc = doc.locale();
    let number = inv.number.as_deref().ok_or(Error::InvoiceState { reason: "draft" })?;
    let issued = inv.issue_date.ok_or(Error::InvoiceState { reason: "draft" })?;
    let need = |field: crate::domain::Field, v: &str| {
        if v.trim().is_empty() {
            Err(Error::invalid(field, Problem::Required))
        } else {
            Ok(())
        }
    };
    need(Field::BuyerName, &buyer.name)?;
    need(Field::BuyerCity, &buyer.city)?;
    need(Field::BuyerPostalCode, &buyer.postal_code)?;
    if who.vat_id.trim().is_empty() && who.tax_number.trim().is_empty() {
        return Err(Error::PracticeIncomplete { field: Field::TaxNumber });
    }
    if profile == Profile::XRechnung {
        need(Field::BuyerReference, &buyer.reference)?;
        need(Field::BuyerEmail, &buyer.email)?;
        for (field, v) in [(Field::Phone, &who.phone), (Field::Email, &who.email)] {
            if v.trim().is_empty() {
                return Err(Error::PracticeIncomplete { field });
            }
        }
    }
    let credit = inv.kind == InvoiceKind::Cancellation;
    // A credit note states positive amounts; the Storno's lines are the negated originals.
    let sign = |c: Cents| -> Result<Cents> {
        if credit {
            c.checked_neg()
        } else {
            Ok(c)
        }
    };
    let guideline = match profile {
        Profile::FacturX => FACTURX_GUIDELINE,
        Profile::XRechnung => XRECHNUNG_GUIDELINE,
    };

    let mut x = String::with_capacity(8 * 1024);
    x.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    x.push('\n');
    x.push_str(r#"<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">"#);
    x.push_str("\n<rsm:ExchangedDocumentContext>");
    if profile == Profile::XRechnung {
        x.push_str(&format!(
            "<ram:BusinessProcessSpecifiedDocumentContextParameter><ram:ID>{PEPPOL_PROCESS}</ram:ID></ram:BusinessProcessSpecifiedDocumentContextParameter>"
        ));
    }
    x.push_str(&format!(
        "<ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>{guideline}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>\n"
    ));
    x.push_str(&format!(
        "<rsm:ExchangedDocument><ram:ID>{}</ram:ID><ram:TypeCode>{}</ram:TypeCode><ram:IssueDateTime><udt:DateTimeString format=\"102\">{}</udt:DateTimeString></ram:IssueDateTime>",
        esc(number),
        if credit { "381" } else { "380" },
        date102(issued)
    ));
    let mut notes: Vec<&str> = Vec::new();
    for r in &inv.totals.per_rate {
        if let Some(n) = crate::billing::tax::exemption_note(r.tax, loc.lang) {
            if !notes.contains(&n) {
                notes.push(n);
            }
        }
    }
    for n in &notes {
        x.push_str(&format!("<ram:IncludedNote><ram:Content>{}</ram:Content></ram:IncludedNote>", esc(n)));
    }
    x.push_str("</rsm:ExchangedDocument>\n<rsm:SupplyChainTradeTransaction>\n");

    for l in &inv.lines {
        let (cat, rate) = category(l.input.tax);
        x.push_str(&format!(
            "<ram:IncludedSupplyChainTradeLineItem><ram:AssociatedDocumentLineDocument><ram:LineID>{}</ram:LineID></ram:AssociatedDocumentLineDocument>",
            l.position
        ));
        x.push_str(&format!(
            "<ram:SpecifiedTradeProduct><ram:Name>{}</ram:Name></ram:SpecifiedTradeProduct>",
            esc(&l.input.description)
        ));
        x.push_str(&format!(
            "<ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>{}</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>",
            amount(sign(l.input.unit)?)
        ));
        x.push_str(&format!(
            "<ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode=\"C62\">{}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>",
            l.input.quantity
        ));
        x.push_str(&format!(
            "<ram:SpecifiedLineTradeSettlement><ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>{cat}</ram:CategoryCode><ram:RateApplicablePercent>{}</ram:RateApplicablePercent></ram:ApplicableTradeTax>",
            percent(rate)
        ));
        if let Some(d) = l.input.date {
            x.push_str(&format!(
                "<ram:BillingSpecifiedPeriod><ram:StartDateTime><udt:DateTimeString format=\"102\">{0}</udt:DateTimeString></ram:StartDateTime><ram:EndDateTime><udt:DateTimeString format=\"102\">{0}</udt:DateTimeString></ram:EndDateTime></ram:BillingSpecifiedPeriod>",
                date102(d)
            ));
        }
        x.push_str(&format!(
            "<ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>{}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement></ram:IncludedSupplyChainTradeLineItem>\n",
            amount(sign(l.amount)?)
        ));
    }

    // Agreement: buyer reference, seller, buyer.
    x.push_str("<ram:ApplicableHeaderTradeAgreement>");
    if !buyer.reference.trim().is_empty() {
        x.push_str(&format!("<ram:BuyerReference>{}</ram:BuyerReference>", esc(buyer.reference.trim())));
    }
    let seller_name = if who.practice_name.trim().is_empty() { who.full_name() } else { who.practice_name.clone() };
    x.push_str(&format!("<ram:SellerTradeParty><ram:Name>{}</ram:Name>", esc(&seller_name)));
    if !who.profession.trim().is_empty() {
        x.push_str(&format!("<ram:Description>{}</ram:Description>", esc(&who.profession)));
    }
    if !(who.phone.trim().is_empty() && who.email.trim().is_empty()) {
        x.push_str(&format!("<ram:DefinedTradeContact><ram:PersonName>{}</ram:PersonName>", esc(&who.full_name())));
        if !who.phone.trim().is_empty() {
            x.push_str(&format!(
                "<ram:TelephoneUniversalCommunication><ram:CompleteNumber>{}</ram:CompleteNumber></ram:TelephoneUniversalCommunication>",
                esc(who.phone.trim())
            ));
        }
        if !who.email.trim().is_empty() {
            x.push_str(&format!(
                "<ram:EmailURIUniversalCommunication><ram:URIID>{}</ram:URIID></ram:EmailURIUniversalCommunication>",
                esc(who.email.trim())
            ));
        }
        x.push_str("</ram:DefinedTradeContact>");
    }
    x.push_str(&address(&who.postal_code, &who.street, &who.city, who.country.as_str()));
    if !who.email.trim().is_empty() {
        x.push_str(&format!(
            "<ram:URIUniversalCommunication><ram:URIID schemeID=\"EM\">{}</ram:URIID></ram:URIUniversalCommunication>",
            esc(who.email.trim())
        ));
    }
    if !who.tax_number.trim().is_empty() {
        x.push_str(&format!(
            "<ram:SpecifiedTaxRegistration><ram:ID schemeID=\"FC\">{}</ram:ID></ram:SpecifiedTaxRegistration>",
            esc(who.tax_number.trim())
        ));
    }
    if !who.vat_id.trim().is_empty() {
        x.push_str(&format!(
            "<ram:SpecifiedTaxRegistration><ram:ID schemeID=\"VA\">{}</ram:ID></ram:SpecifiedTaxRegistration>",
            esc(&who.vat_id.replace(' ', ""))
        ));
    }
    x.push_str("</ram:SellerTradeParty>");
    x.push_str(&format!("<ram:BuyerTradeParty><ram:Name>{}</ram:Name>", esc(&buyer.name)));
    x.push_str(&address(&buyer.postal_code, &buyer.street, &buyer.city, &buyer.country));
    if !buyer.email.is_empty() {
        x.push_str(&format!(
            "<ram:URIUniversalCommunication><ram:URIID schemeID=\"EM\">{}</ram:URIID></ram:URIUniversalCommunication>",
            esc(&buyer.email)
        ));
    }
    if !buyer.vat_id.is_empty() {
        x.push_str(&format!(
            "<ram:SpecifiedTaxRegistration><ram:ID schemeID=\"VA\">{}</ram:ID></ram:SpecifiedTaxRegistration>",
            esc(&buyer.vat_id.replace(' ', ""))
        ));
    }
    x.push_str("</ram:BuyerTradeParty></ram:ApplicableHeaderTradeAgreement>\n");
    // BT-72, the last session: an empty delivery element is what PEPPOL-EN16931-R008 warns of.
    x.push_str(&format!(
        "<ram:ApplicableHeaderTradeDelivery><ram:ActualDeliverySupplyChainEvent><ram:OccurrenceDateTime><udt:DateTimeString format=\"102\">{}</udt:DateTimeString></ram:OccurrenceDateTime></ram:ActualDeliverySupplyChainEvent></ram:ApplicableHeaderTradeDelivery>\n",
        date102(inv.period_to)
    ));

    // Settlement: reference, currency, payment means, tax per category, period, terms, totals.
    x.push_str(&format!(
        "<ram:ApplicableHeaderTradeSettlement><ram:PaymentReference>{}</ram:PaymentReference><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>",
        esc(number)
    ));
    let iban: String = who.iban.chars().filter(|c| !c.is_whitespace()).collect();
    if !iban.is_empty() {
        x.push_str(&format!(
            "<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58</ram:TypeCode><ram:PayeePartyCreditorFinancialAccount><ram:IBANID>{}</ram:IBANID><ram:AccountName>{}</ram:AccountName></ram:PayeePartyCreditorFinancialAccount>",
            esc(&iban),
            esc(&who.payee())
        ));
        let bic = who.bic.trim();
        if !bic.is_empty() {
            x.push_str(&format!(
                "<ram:PayeeSpecifiedCreditorFinancialInstitution><ram:BICID>{}</ram:BICID></ram:PayeeSpecifiedCreditorFinancialInstitution>",
                esc(bic)
            ));
        }
        x.push_str("</ram:SpecifiedTradeSettlementPaymentMeans>");
    } else if profile == Profile::XRechnung {
        return Err(Error::PracticeIncomplete { field: Field::Iban });
    }
    // One breakdown per category and rate: the exempt modes share category E.
    let mut groups: Vec<(&str, u32, Cents, Cents, Vec<&str>)> = Vec::new();
    for r in &inv.totals.per_rate {
        let (cat, rate) = category(r.tax);
        let i = match groups.iter().position(|g| g.0 == cat && g.1 == rate) {
            Some(i) => i,
            None => {
                groups.push((cat, rate, Cents::ZERO, Cents::ZERO, Vec::new()));
                groups.len() - 1
            }
        };
        let g = &mut groups[i];
        g.2 = g.2.checked_add(sign(r.net)?)?;
        g.3 = g.3.checked_add(sign(r.tax_amount)?)?;
        if let Some(n) = crate::billing::tax::exemption_note(r.tax, loc.lang) {
            if !g.4.contains(&n) {
                g.4.push(n);
            }
        }
    }
    for (cat, rate, basis, tax, reasons) in &groups {
        x.push_str(&format!(
            "<ram:ApplicableTradeTax><ram:CalculatedAmount>{}</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>",
            amount(*tax)
        ));
        if *cat == "E" {
            x.push_str(&format!("<ram:ExemptionReason>{}</ram:ExemptionReason>", esc(&reasons.join(" "))));
        }
        x.push_str(&format!(
            "<ram:BasisAmount>{}</ram:BasisAmount><ram:CategoryCode>{cat}</ram:CategoryCode><ram:RateApplicablePercent>{}</ram:RateApplicablePercent></ram:ApplicableTradeTax>",
            amount(*basis),
            percent(*rate)
        ));
    }
    x.push_str(&format!(
        "<ram:BillingSpecifiedPeriod><ram:StartDateTime><udt:DateTimeString format=\"102\">{}</udt:DateTimeString></ram:StartDateTime><ram:EndDateTime><udt:DateTimeString format=\"102\">{}</udt:DateTimeString></ram:EndDateTime></ram:BillingSpecifiedPeriod>",
        date102(inv.period_from),
        date102(inv.period_to)
    ));
    let t = &inv.totals;
    let gross = sign(t.gross)?;
    if !credit {
        if let Some(due) = inv.due_date {
            x.push_str(&format!(
                "<ram:SpecifiedTradePaymentTerms><ram:Description>{} {}</ram:Description><ram:DueDateDateTime><udt:DateTimeString format=\"102\">{}</udt:DateTimeString></ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>",
                esc(loc.t("Zahlbar ohne Abzug bis", "Payable without deduction by")),
                esc(&loc.date(due)),
                date102(due)
            ));
        }
    }
    x.push_str(&format!(
        "<ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:LineTotalAmount>{0}</ram:LineTotalAmount><ram:TaxBasisTotalAmount>{0}</ram:TaxBasisTotalAmount><ram:TaxTotalAmount currencyID=\"EUR\">{1}</ram:TaxTotalAmount><ram:GrandTotalAmount>{2}</ram:GrandTotalAmount><ram:DuePayableAmount>{2}</ram:DuePayableAmount></ram:SpecifiedTradeSettlementHeaderMonetarySummation>",
        amount(sign(t.net)?),
        amount(sign(t.tax)?),
        amount(gross)
    ));
    if let Some((n, d)) = &doc.cancels {
        x.push_str(&format!(
            "<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>{}</ram:IssuerAssignedID><ram:FormattedIssueDateTime><qdt:DateTimeString format=\"102\">{}</qdt:DateTimeString></ram:FormattedIssueDateTime></ram:InvoiceReferencedDocument>",
            esc(n),
            date102(*d)
        ));
    }
    x.push_str(
        "</ram:ApplicableHeaderTradeSettlement>\n</rsm:SupplyChainTradeTransaction>\n</rsm:CrossIndustryInvoice>\n",
    );
    Ok(x.into_bytes())
}

fn address(postal_code: &str, street: &str, city: &str, country: &str) -> String {
    let mut s = String::from("<ram:PostalTradeAddress>");
    if !postal_code.trim().is_empty() {
        s.push_str(&format!("<ram:PostcodeCode>{}</ram:PostcodeCode>", esc(postal_code.trim())));
    }
    if !street.trim().is_empty() {
        s.push_str(&format!("<ram:LineOne>{}</ram:LineOne>", esc(street.trim())));
    }
    if !city.trim().is_empty() {
        s.push_str(&format!("<ram:CityName>{}</ram:CityName>", esc(city.trim())));
    }
    s.push_str(&format!("<ram:CountryID>{}</ram:CountryID></ram:PostalTradeAddress>", esc(country)));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_codes() {
        assert_eq!(amount(Cents::new(123456)), "1234.56");
        assert_eq!(amount(Cents::new(-480)), "-4.80");
        assert_eq!(amount(Cents::new(5)), "0.05");
        assert_eq!(percent(1900), "19.00");
        assert_eq!(country_code("Österreich", Country::DE).unwrap(), "AT");
        assert_eq!(country_code("", Country::DE).unwrap(), "DE");
        assert_eq!(country_code("fr", Country::DE).unwrap(), "FR");
        assert_eq!(country_code("Atlantis", Country::DE).unwrap_err().code(), "record.invalid");
        assert_eq!(esc("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
