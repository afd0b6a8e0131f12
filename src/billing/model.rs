//! The billing types: invoices, lines, payers, payments, dunning letters, write-offs, settings.

use jiff::civil::Date;

use crate::domain::client::{Client, Diagnosis, Party};
use crate::domain::ids::{
    AppointmentId, ClientId, DunningLetterId, InvoiceId, InvoiceLineId, PaymentId, SessionId, WriteOffId,
};
use crate::domain::money::Cents;
use crate::domain::practice::{Country, Language, Practice};
use crate::domain::service::{Multiplier, ServiceFee, TaxMode};
use crate::domain::session::Setting;
use crate::domain::Stamps;
use crate::error::{Error, Problem, Result};

use super::tax::Totals;
use crate::domain::Field;

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceKind {
    Invoice,
    /// A Stornorechnung: the negated copy of an issued invoice, referencing it.
    Cancellation,
}

impl InvoiceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceKind::Invoice => "invoice",
            InvoiceKind::Cancellation => "cancellation",
        }
    }
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "invoice" => Ok(InvoiceKind::Invoice),
            "cancellation" => Ok(InvoiceKind::Cancellation),
            _ => Err(Error::invalid(Field::Kind, Problem::UnknownValue)),
        }
    }
}

/// The role of whoever an invoice is addressed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayerRole {
    Client,
    Guardian,
    Insurer,
    Other,
}

impl PayerRole {
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim() {
            "client" => Ok(PayerRole::Client),
            "guardian" => Ok(PayerRole::Guardian),
            "insurer" => Ok(PayerRole::Insurer),
            "other" => Ok(PayerRole::Other),
            _ => Err(Error::invalid(Field::Payer, Problem::UnknownValue)),
        }
    }
}

/// A second payer who takes a share of every session (e.g. the other parent).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Split {
    pub party: Party,
    /// The second payer's share in basis points (4000 = 40 %); the first pays the rest.
    pub share_bp: u32,
}

/// Who pays for a client's sessions. Stored per client; `Client` with no split is the default.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BillTo {
    pub role: PayerRole,
    /// The payer's address for `Other` (and `Insurer`, when the client record has no insurer).
    #[serde(default)]
    pub party: Option<Party>,
    #[serde(default)]
    pub split: Option<Split>,
}

impl Default for BillTo {
    fn default() -> Self {
        BillTo { role: PayerRole::Client, party: None, split: None }
    }
}

impl BillTo {
    /// Without a setting: the bill-to party of the client record if it has one, else the client.
    pub fn default_for(client: &Client) -> BillTo {
        match client.data.bill_to {
            Some(_) => BillTo { role: PayerRole::Other, party: None, split: None },
            None => BillTo::default(),
        }
    }

    pub fn validate(&self) -> Result<()> {
        if let Some(s) = &self.split {
            if s.share_bp == 0 || s.share_bp >= 10_000 {
                return Err(Error::invalid(Field::SplitShare, Problem::OutOfRange));
            }
            crate::domain::validate::required(Field::SplitName, &s.party.name)?;
            s.party.clone().validated(Field::SplitName)?;
        }
        if let Some(p) = &self.party {
            p.clone().validated(Field::BillTo)?;
        }
        Ok(())
    }

    /// The payers with their shares, first payer first. The shares add up to 10 000.
    pub fn payers(&self, client: &Client) -> Result<Vec<(Payer, u32)>> {
        self.validate()?;
        let d = &client.data;
        let client_party = || Party {
            name: d.display_name(),
            street: d.street.clone(),
            postal_code: d.postal_code.clone(),
            city: d.city.clone(),
            country: d.country.clone(),
            email: d.email.clone(),
            salutation: d.salutation.clone(),
            ..Default::default()
        };
        let party = match self.role {
            PayerRole::Client => client_party(),
            PayerRole::Guardian => d.guardian.clone().ok_or(Error::invalid(Field::Guardian, Problem::Required))?,
            PayerRole::Insurer => match (&self.party, d.insurer.trim()) {
                (Some(p), _) => p.clone(),
                (None, "") => return Err(Error::invalid(Field::Insurer, Problem::Required)),
                (None, name) => Party { name: name.to_string(), ..Default::default() },
            },
            PayerRole::Other => self
                .party
                .clone()
                .or_else(|| d.bill_to.clone())
                .ok_or(Error::invalid(Field::BillTo, Problem::Required))?,
        };
        let first = Payer { role: self.role, party, slot: 0, chosen: false };
        Ok(match &self.split {
            None => vec![(first, 10_000)],
            Some(s) => vec![
                (first, 10_000 - s.share_bp),
                (Payer { role: PayerRole::Other, party: s.party.clone(), slot: 1, chosen: false }, s.share_bp),
            ],
        })
    }

    /// The whole bill as `role` would take it from the client record (and this bill-to's own
    /// address for that role), e.g. a draft's payer chosen on its page. Fails with the field
    /// to fill in when the record has no such payer (no guardian, no insurer).
    pub fn payer_as(&self, client: &Client, role: PayerRole) -> Result<Payer> {
        let own = BillTo { role, party: if self.role == role { self.party.clone() } else { None }, split: None };
        let (payer, _) =
            own.payers(client)?.into_iter().next().ok_or(Error::invalid(Field::Payer, Problem::Required))?;
        Ok(Payer { chosen: true, ..payer })
    }

    /// Who can pay a whole bill of this client now, with the name the invoice would print.
    pub fn choices(&self, client: &Client) -> Vec<(PayerRole, String)> {
        [PayerRole::Client, PayerRole::Guardian, PayerRole::Insurer, PayerRole::Other]
            .into_iter()
            .filter_map(|r| self.payer_as(client, r).ok().map(|p| (r, p.party.name)))
            .collect()
    }
}

/// The recipient printed on one invoice. A draft holds the payer as it was when drafted;
/// issuing takes it anew from the client's bill-to (`slot`), so an address changed meanwhile is
/// the one printed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Payer {
    pub role: PayerRole,
    pub party: Party,
    /// Which payer of the bill-to this is: 0 the first, 1 the second of a split bill.
    #[serde(default)]
    pub slot: u8,
    /// Chosen on the draft itself rather than taken from the client's bill-to: issuing takes
    /// this role's current address instead of refusing a draft whose bill-to changed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub chosen: bool,
}

impl Payer {
    /// Whether the recipient is a business (a UID makes one, too).
    pub fn is_business(&self) -> bool {
        self.party.business || !self.party.vat_id.trim().is_empty()
    }

    /// Whether the recipient is a private person: the client, a guardian, or another payer
    /// that is no business (a relative who pays). Insurers are organisations.
    pub fn is_consumer(&self) -> bool {
        match self.role {
            PayerRole::Client | PayerRole::Guardian => true,
            PayerRole::Other => !self.is_business(),
            PayerRole::Insurer => false,
        }
    }

    /// The opening of a letter: the recipient's own salutation, else "Guten Tag <name>," to a
    /// person (Tresor guesses no gender from a name), else the neutral one.
    pub fn salutation(&self, lang: Language) -> String {
        let own = self.party.salutation.trim();
        let name = self.party.name.trim();
        match (own.is_empty(), self.is_consumer() && !name.is_empty(), lang) {
            (false, _, _) => own.to_string(),
            (true, true, Language::De) => format!("Guten Tag {name},"),
            (true, true, Language::En) => format!("Dear {name},"),
            (true, false, Language::De) => "Sehr geehrte Damen und Herren,".into(),
            (true, false, Language::En) => "Dear Sir or Madam,".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    Session,
    /// Ausfallhonorar for a missed appointment.
    NoShow,
    Item,
}

impl LineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Session => "session",
            LineKind::NoShow => "no_show",
            LineKind::Item => "item",
        }
    }
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "session" => Ok(LineKind::Session),
            "no_show" => Ok(LineKind::NoShow),
            "item" => Ok(LineKind::Item),
            _ => Err(Error::invalid(Field::LineKind, Problem::UnknownValue)),
        }
    }
}

/// One line as drafted: the store adds id and position and computes the tax.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LineInput {
    pub kind: LineKind,
    #[serde(default)]
    pub session_id: Option<SessionId>,
    #[serde(default)]
    pub appointment_id: Option<AppointmentId>,
    #[serde(default)]
    pub date: Option<Date>,
    pub description: String,
    #[serde(default)]
    pub minutes: Option<u32>,
    #[serde(default)]
    pub setting: Option<Setting>,
    pub quantity: i64,
    /// Net unit price (for exempt modes net is what the client pays).
    pub unit: Cents,
    pub tax: TaxMode,
    /// The fee as § 12 GOÄ prints it: schedule, number, points, multiplier.
    #[serde(default)]
    pub fee: ServiceFee,
    /// The written reason for a multiplier above the threshold (§ 12 Abs. 3 GOÄ).
    #[serde(default)]
    pub fee_reason: String,
    /// A split bill's line: the full fee of the session, of which `unit` is this payer's share.
    #[serde(default)]
    pub full_unit: Option<Cents>,
    /// Participants of a group session.
    #[serde(default)]
    pub group_size: Option<u32>,
}

impl LineInput {
    /// An extra item (Befundbericht, material) without fee schedule, session or date.
    pub fn item(description: &str, unit: Cents, quantity: i64, tax: TaxMode) -> LineInput {
        LineInput {
            kind: LineKind::Item,
            session_id: None,
            appointment_id: None,
            date: None,
            description: description.into(),
            minutes: None,
            setting: None,
            quantity,
            unit,
            tax,
            fee: ServiceFee::default(),
            fee_reason: String::new(),
            full_unit: None,
            group_size: None,
        }
    }

    pub fn validate(&self) -> Result<()> {
        crate::domain::validate::required(Field::Description, &self.description)?;
        if self.quantity <= 0 || self.quantity > 10_000 {
            return Err(Error::invalid(Field::Quantity, Problem::OutOfRange));
        }
        self.unit.bounded(Field::Amount)?;
        crate::domain::validate::line(Field::FeeNumber, &self.fee.number)?;
        crate::domain::validate::line(Field::FeeReason, &self.fee_reason)?;
        if let Some(f) = self.full_unit {
            f.bounded(Field::Amount)?;
        }
        Ok(())
    }

    /// The multiplier to print, where the line has one.
    pub fn multiplier(&self) -> Option<Multiplier> {
        self.fee.schedule.has_points().then_some(self.fee.multiplier)
    }

    pub fn amount(&self) -> Result<Cents> {
        self.unit.checked_mul(self.quantity)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InvoiceLine {
    pub id: InvoiceLineId,
    pub position: u32,
    #[serde(flatten)]
    pub input: LineInput,
    /// `quantity × unit`, net.
    pub amount: Cents,
    /// The line's tax, rounded per line (see `tax::line_tax`).
    pub tax_amount: Cents,
}

impl InvoiceLine {
    pub fn gross(&self) -> Result<Cents> {
        self.amount.checked_add(self.tax_amount)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Payment {
    pub id: PaymentId,
    pub invoice_id: InvoiceId,
    pub date: Date,
    pub amount: Cents,
    pub method: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DunningLetter {
    pub id: DunningLetterId,
    pub invoice_id: InvoiceId,
    pub level: u8,
    pub date: Date,
    pub due_date: Date,
    pub fee: Cents,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WriteOff {
    pub id: WriteOffId,
    pub invoice_id: InvoiceId,
    pub date: Date,
    pub reason: String,
}

/// The issuing practice as printed on a document; frozen into the invoice when it is issued,
/// so a later change of address does not change a reprint.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Issuer {
    pub practitioner_name: String,
    pub title: String,
    pub profession: String,
    pub registration_number: String,
    pub practice_name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: Country,
    pub phone: String,
    pub email: String,
    pub tax_number: String,
    pub vat_id: String,
    pub iban: String,
    pub bic: String,
    pub bank: String,
    pub language: Language,
}

impl From<&Practice> for Issuer {
    fn from(p: &Practice) -> Self {
        Issuer {
            practitioner_name: p.practitioner_name.clone(),
            title: p.title.clone(),
            profession: p.profession.clone(),
            registration_number: p.registration_number.clone(),
            practice_name: p.practice_name.clone(),
            street: p.street.clone(),
            postal_code: p.postal_code.clone(),
            city: p.city.clone(),
            country: p.country,
            phone: p.phone.clone(),
            email: p.email.clone(),
            tax_number: p.tax_number.clone(),
            vat_id: p.vat_id.clone(),
            iban: p.iban.clone(),
            bic: p.bic.clone(),
            bank: p.bank.clone(),
            language: p.language,
        }
    }
}

impl Issuer {
    /// "Mag. Anna Beispiel" — title and name as they head a letter.
    pub fn full_name(&self) -> String {
        [self.title.trim(), self.practitioner_name.trim()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The name to pay to (the account holder on the GiroCode).
    pub fn payee(&self) -> String {
        if self.practitioner_name.trim().is_empty() {
            self.practice_name.trim().to_string()
        } else {
            self.practitioner_name.trim().to_string()
        }
    }

    /// What an invoice must carry about its issuer (§11 UStG AT, §14 Abs. 4 UStG DE).
    pub fn check_complete(&self) -> Result<()> {
        let need = |field: crate::domain::Field, v: &str| {
            if v.trim().is_empty() {
                Err(Error::PracticeIncomplete { field })
            } else {
                Ok(())
            }
        };
        need(Field::PractitionerName, &self.payee())?;
        need(Field::Street, &self.street)?;
        need(Field::PostalCode, &self.postal_code)?;
        need(Field::City, &self.city)?;
        if self.country == Country::DE && self.tax_number.trim().is_empty() && self.vat_id.trim().is_empty() {
            return Err(Error::PracticeIncomplete { field: Field::TaxNumber });
        }
        Ok(())
    }
}

/// The client as the Honorarnote and the invoice show them; frozen at issue like the issuer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClientFacts {
    pub name: String,
    pub birth_date: Option<Date>,
    pub insurer: String,
    pub insurance_number: String,
    pub diagnoses: Vec<Diagnosis>,
    pub language: Option<Language>,
    /// A co-insured client's insured person (name and insurance number); empty otherwise.
    #[serde(default)]
    pub insured_name: String,
    #[serde(default)]
    pub insured_number: String,
    #[serde(default)]
    pub medical_exam_date: Option<Date>,
    /// The treatment method as it was at issue: the client's, else the practice's setting.
    #[serde(default)]
    pub treatment_method: String,
    #[serde(default)]
    pub fee_agreement_date: Option<Date>,
}

impl ClientFacts {
    /// The client's facts as they are now; `method` is the practice's treatment method, used
    /// where the client has none of their own.
    pub fn of(c: &Client, method: &str) -> ClientFacts {
        let own = c.data.treatment_method.trim();
        ClientFacts {
            name: c.display_name(),
            birth_date: c.data.birth_date,
            insurer: c.data.insurer.clone(),
            insurance_number: c.data.insurance_number.clone(),
            diagnoses: c.data.diagnoses.clone(),
            language: c.data.language,
            insured_name: c.data.insured_name.clone(),
            insured_number: c.data.insured_number.clone(),
            medical_exam_date: c.data.medical_exam_date,
            treatment_method: if own.is_empty() { method.trim().to_string() } else { own.to_string() },
            fee_agreement_date: c.data.fee_agreement_date,
        }
    }
}

/// Everything an issued document prints besides its lines, as it was on the issue date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocSnapshot {
    pub issuer: Issuer,
    pub client: ClientFacts,
    /// For a cancellation: the number and date of the invoice it cancels.
    #[serde(default)]
    pub cancels: Option<(String, Date)>,
    /// Whether the diagnosis is printed (German private invoices, a practice setting).
    #[serde(default)]
    pub print_diagnosis: bool,
    /// For a cancellation: why, and what had been paid on the original by then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storno: Option<StornoFacts>,
}

/// What a Storno states besides the invoice it cancels (frozen with it at issue).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StornoFacts {
    pub reason: String,
    /// Paid on the original by the Storno's date: refunded, so the Storno says so.
    pub paid: Cents,
}

/// An invoice's own texts: above its lines ('' prints the built-in sentence) and at its end.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct InvoiceTexts {
    pub intro: String,
    pub closing: String,
}

impl InvoiceTexts {
    /// The defaults a new draft starts with.
    pub fn from_settings(s: &BillingSettings) -> InvoiceTexts {
        InvoiceTexts { intro: s.invoice_intro.trim().to_string(), closing: s.invoice_closing.trim().to_string() }
    }

    pub fn validate(&self) -> Result<()> {
        letter_text(Field::InvoiceIntro, &self.intro)?;
        letter_text(Field::InvoiceClosing, &self.closing)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Invoice {
    pub id: InvoiceId,
    pub client_id: ClientId,
    pub kind: InvoiceKind,
    /// `None` while a draft.
    pub number: Option<String>,
    pub issue_date: Option<Date>,
    pub due_date: Option<Date>,
    pub period_from: Date,
    pub period_to: Date,
    pub language: Language,
    pub payer: Payer,
    /// This payer's share of each session (10 000 unless the bill is split).
    pub share_bp: u32,
    pub cancels: Option<InvoiceId>,
    /// The texts around its lines, copied from the settings when drafted.
    pub texts: InvoiceTexts,
    /// The cancellation invoice that voids this one: its id and number.
    pub cancelled_by: Option<(InvoiceId, String)>,
    pub snapshot: Option<DocSnapshot>,
    pub lines: Vec<InvoiceLine>,
    pub totals: Totals,
    pub payments: Vec<Payment>,
    pub dunning: Vec<DunningLetter>,
    pub write_off: Option<WriteOff>,
    pub stamps: Stamps,
}

impl Invoice {
    pub fn is_draft(&self) -> bool {
        self.number.is_none()
    }

    /// The number, or a placeholder for a draft's preview.
    pub fn display_number(&self) -> &str {
        self.number.as_deref().unwrap_or("ENTWURF/DRAFT")
    }

    pub fn require_draft(&self) -> Result<()> {
        match &self.number {
            None => Ok(()),
            Some(_) => Err(Error::Immutable { entity: "invoice", reason: "issued" }),
        }
    }
}

/// A row of the invoice list.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InvoiceSummary {
    pub id: InvoiceId,
    pub client_id: ClientId,
    pub kind: InvoiceKind,
    pub number: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub issue_date: Option<Date>,
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub due_date: Option<Date>,
    pub recipient: String,
    pub gross: Cents,
    pub balance: super::status::Balance,
}

/// Practice-wide billing settings.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct BillingSettings {
    pub number_format: String,
    pub payment_days: u32,
    /// Fee for a missed appointment; 0 means "the service's price".
    pub no_show_fee: Cents,
    /// Printed on the Honorarnote (e.g. "Verhaltenstherapie").
    pub treatment_method: String,
    /// Days between a dunning letter and the next level.
    pub dunning_days: u32,
    pub dunning_fees: [Cents; 3],
    /// German private invoices print the client's diagnosis (not every payer wants it).
    pub print_diagnosis: bool,
    /// Dunning letters announce default interest (§ 288 BGB / § 1000 ABGB).
    pub default_interest: bool,
    /// A number format that applies from `next_format_from` (a year) on; '' when none.
    pub next_number_format: String,
    pub next_format_from: i16,
    /// A new draft's text above its lines; '' prints the built-in sentence. Each draft keeps its
    /// own copy, which may be changed until it is issued.
    pub invoice_intro: String,
    /// A new draft's text below its payment terms (a greeting, a note on cancellations); ''
    /// prints nothing.
    pub invoice_closing: String,
    /// How many dunning levels the practice sends (1 to [`dunning::MAX_LEVEL`]): after the last
    /// one no further letter is offered.
    pub dunning_levels: u8,
    /// Each level's opening paragraph; '' prints the built-in wording of that level.
    pub dunning_texts: [String; 3],
}

/// The longest invoice or dunning text: a few paragraphs fit one letter page.
pub const MAX_LETTER_TEXT: usize = 2_000;

impl Default for BillingSettings {
    fn default() -> Self {
        BillingSettings {
            number_format: super::number::DEFAULT_FORMAT.into(),
            payment_days: 14,
            no_show_fee: Cents::ZERO,
            treatment_method: String::new(),
            dunning_days: 14,
            dunning_fees: [Cents::new(0), Cents::new(500), Cents::new(1000)],
            print_diagnosis: true,
            default_interest: false,
            next_number_format: String::new(),
            next_format_from: 0,
            invoice_intro: String::new(),
            invoice_closing: String::new(),
            dunning_levels: super::dunning::MAX_LEVEL,
            dunning_texts: Default::default(),
        }
    }
}

impl BillingSettings {
    /// The number format for invoices issued in `year`: a scheduled format from its year on.
    pub fn format_for(&self, year: i16) -> &str {
        if !self.next_number_format.is_empty() && year >= self.next_format_from {
            &self.next_number_format
        } else {
            &self.number_format
        }
    }

    pub fn validate(&self) -> Result<()> {
        super::number::NumberFormat::parse(&self.number_format)?;
        if !self.next_number_format.is_empty() {
            super::number::NumberFormat::parse(&self.next_number_format)?;
            if !(2000..=9999).contains(&self.next_format_from) {
                return Err(Error::invalid(Field::NumberFormatFrom, Problem::OutOfRange));
            }
        }
        if self.payment_days > 365 {
            return Err(Error::invalid(Field::PaymentDays, Problem::OutOfRange));
        }
        if self.dunning_days == 0 || self.dunning_days > 365 {
            return Err(Error::invalid(Field::DunningDays, Problem::OutOfRange));
        }
        if self.no_show_fee.is_negative() {
            return Err(Error::invalid(Field::NoShowFee, Problem::OutOfRange));
        }
        if self.dunning_fees.iter().any(|f| f.is_negative()) {
            return Err(Error::invalid(Field::DunningFees, Problem::OutOfRange));
        }
        self.no_show_fee.bounded(Field::NoShowFee)?;
        for f in self.dunning_fees {
            f.bounded(Field::DunningFees)?;
        }
        crate::domain::validate::line(Field::TreatmentMethod, &self.treatment_method)?;
        if !(1..=super::dunning::MAX_LEVEL).contains(&self.dunning_levels) {
            return Err(Error::invalid(Field::DunningLevels, Problem::OutOfRange));
        }
        letter_text(Field::InvoiceIntro, &self.invoice_intro)?;
        letter_text(Field::InvoiceClosing, &self.invoice_closing)?;
        self.dunning_texts.iter().try_for_each(|t| letter_text(Field::DunningTexts, t))
    }

    /// The opening paragraph of a dunning letter of `level`; '' for the built-in wording.
    pub fn dunning_text(&self, level: u8) -> &str {
        level.checked_sub(1).and_then(|i| self.dunning_texts.get(i as usize)).map_or("", |t| t.trim())
    }
}

/// A text printed on an invoice or letter: paragraphs allowed, a page at most.
pub fn letter_text(field: Field, v: &str) -> Result<()> {
    if v.chars().count() > MAX_LETTER_TEXT || v.contains('\0') {
        return Err(Error::invalid(field, Problem::TooLong));
    }
    Ok(())
}

/// One month of the revenue report: gross invoiced (cancellations count negative) and received.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct RevenueMonth {
    pub year: i16,
    pub month: i8,
    /// `None`: the stored amounts of that month do not add up within range.
    pub invoiced: Option<Cents>,
    pub received: Option<Cents>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payer(role: PayerRole, business: bool, vat_id: &str, salutation: &str) -> Payer {
        let party = Party {
            name: "Anna Berger".into(),
            business,
            vat_id: vat_id.into(),
            salutation: salutation.into(),
            ..Default::default()
        };
        Payer { role, party, slot: 0, chosen: false }
    }

    #[test]
    fn a_letter_opens_by_whom_it_goes_to() {
        let cases = [
            (payer(PayerRole::Client, false, "", ""), true, "Guten Tag Anna Berger,"),
            (payer(PayerRole::Guardian, false, "", ""), true, "Guten Tag Anna Berger,"),
            // A relative who pays is a person; a company, or any payer with a UID, is not.
            (payer(PayerRole::Other, false, "", ""), true, "Guten Tag Anna Berger,"),
            (payer(PayerRole::Other, true, "", ""), false, "Sehr geehrte Damen und Herren,"),
            (payer(PayerRole::Other, false, "ATU13585627", ""), false, "Sehr geehrte Damen und Herren,"),
            (payer(PayerRole::Insurer, false, "", ""), false, "Sehr geehrte Damen und Herren,"),
            // The recipient's own salutation wins.
            (
                payer(PayerRole::Client, false, "", "Sehr geehrte Frau Mag. Berger,"),
                true,
                "Sehr geehrte Frau Mag. Berger,",
            ),
        ];
        for (p, consumer, opening) in cases {
            assert_eq!(p.is_consumer(), consumer, "{p:?}");
            assert_eq!(p.salutation(Language::De), opening, "{p:?}");
        }
        assert_eq!(payer(PayerRole::Insurer, false, "", "").salutation(Language::En), "Dear Sir or Madam,");
    }
}
