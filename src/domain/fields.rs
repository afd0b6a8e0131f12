//! Every field name the core can report in an error (`record.invalid`, `money.too_large`,
//! `billing.practice_incomplete`, `invoice.recipient_incomplete` and the `field` of the billing
//! refusals), as the enum [`Field`]: an error can only name a field listed here (the compiler
//! says so), and the UI labels each one (`fields.<name>.label` in `ui/src/i18n/*.json`; a test
//! holds both languages to [`Field::ALL`]). The names on the wire are the snake_case ones below.

/// Declares [`Field`] with each variant's wire name once: the enum, its serde names,
/// [`Field::ALL`] and [`Field::as_str`] come from the one list.
macro_rules! fields {
    ($($variant:ident = $name:literal,)*) => {
        /// A field an error names; serialised as its snake_case name (`"bill_to_email"`).
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        pub enum Field {
            $(#[serde(rename = $name)] $variant,)*
        }

        impl Field {
            /// Every field, in the order of their names.
            pub const ALL: &[Field] = &[$(Field::$variant),*];

            /// The name on the wire and in the UI's `fields.<name>` keys.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Field::$variant => $name,)*
                }
            }
        }
    };
}

// Sorted by name, so a reader finds one at a glance (a test holds it so).
fields! {
    Amount = "amount",
    Appointment = "appointment",
    ApprovedSessions = "approved_sessions",
    Bank = "bank",
    Bic = "bic",
    BillTo = "bill_to",
    BillToCountry = "bill_to_country",
    BillToEmail = "bill_to_email",
    BillToVatId = "bill_to_vat_id",
    BirthDate = "birth_date",
    BuyerCity = "buyer_city",
    BuyerEmail = "buyer_email",
    BuyerName = "buyer_name",
    BuyerPostalCode = "buyer_postal_code",
    BuyerReference = "buyer_reference",
    City = "city",
    Clients = "clients",
    Code = "code",
    CodeName = "code_name",
    Count = "count",
    Country = "country",
    Currency = "currency",
    Date = "date",
    Description = "description",
    DiagnosisCode = "diagnosis_code",
    DiagnosisText = "diagnosis_text",
    DunningDays = "dunning_days",
    DunningFees = "dunning_fees",
    DunningLevels = "dunning_levels",
    DunningTexts = "dunning_texts",
    Email = "email",
    Except = "except",
    FamilyName = "family_name",
    Fee = "fee",
    FeeAgreementDate = "fee_agreement_date",
    FeeMultiplier = "fee_multiplier",
    FeeNumber = "fee_number",
    FeePoints = "fee_points",
    FeeReason = "fee_reason",
    FeeSchedule = "fee_schedule",
    From = "from",
    GivenName = "given_name",
    GroupSize = "group_size",
    Guardian = "guardian",
    GuardianEmail = "guardian_email",
    GuardianVatId = "guardian_vat_id",
    HolidayRegion = "holiday_region",
    HoursFriday = "hours_friday",
    HoursMonday = "hours_monday",
    HoursSaturday = "hours_saturday",
    HoursSunday = "hours_sunday",
    HoursThursday = "hours_thursday",
    HoursTuesday = "hours_tuesday",
    HoursWednesday = "hours_wednesday",
    Iban = "iban",
    Id = "id",
    InsuranceKind = "insurance_kind",
    InsuranceNumber = "insurance_number",
    InsuredName = "insured_name",
    InsuredNumber = "insured_number",
    Insurer = "insurer",
    Interval = "interval",
    InvoiceClosing = "invoice_closing",
    InvoiceIntro = "invoice_intro",
    Kind = "kind",
    Language = "language",
    Level = "level",
    LineKind = "line_kind",
    Logo = "logo",
    MedicalExamDate = "medical_exam_date",
    Method = "method",
    MinorsAge = "minors_age",
    Minutes = "minutes",
    Month = "month",
    Name = "name",
    NoShowFee = "no_show_fee",
    Note = "note",
    NoteLifetime = "note_lifetime",
    Notes = "notes",
    NumberFormat = "number_format",
    NumberFormatFrom = "number_format_from",
    Password = "password",
    Payer = "payer",
    Payment = "payment",
    PaymentDays = "payment_days",
    Phone = "phone",
    PostalCode = "postal_code",
    PracticeName = "practice_name",
    PractitionerName = "practitioner_name",
    Price = "price",
    Profession = "profession",
    Quantity = "quantity",
    Reason = "reason",
    Recurrence = "recurrence",
    RegistrationNumber = "registration_number",
    RetentionYears = "retention_years",
    Salutation = "salutation",
    Service = "service",
    Setting = "setting",
    Size = "size",
    Sort = "sort",
    SplitCountry = "split_country",
    SplitEmail = "split_email",
    SplitName = "split_name",
    SplitShare = "split_share",
    SplitVatId = "split_vat_id",
    Start = "start",
    Status = "status",
    Street = "street",
    Tax = "tax",
    TaxAdviser = "tax_adviser",
    TaxMode = "tax_mode",
    TaxNumber = "tax_number",
    TaxRate = "tax_rate",
    TimeZone = "time_zone",
    Title = "title",
    To = "to",
    TreatmentMethod = "treatment_method",
    Until = "until",
    VatId = "vat_id",
    VideoLink = "video_link",
    WorkingHours = "working_hours",
    Year = "year",
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_the_core_reports_has_a_label_in_both_languages() {
        for lang in ["de", "en"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("ui/src/i18n/{lang}.json"));
            let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            let missing: Vec<&str> = Field::ALL
                .iter()
                .map(|f| f.as_str())
                .filter(|f| json["fields"][f]["label"].as_str().is_none_or(|l| l.trim().is_empty()))
                .collect();
            assert!(missing.is_empty(), "{lang}.json has no label for {missing:?}");
        }
    }

    #[test]
    fn the_wire_names_are_sorted_unique_and_what_serde_writes() {
        let names: Vec<&str> = Field::ALL.iter().map(|f| f.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, names, "the fields are sorted by name and have no duplicates");
        for f in Field::ALL {
            assert_eq!(serde_json::to_value(f).unwrap(), serde_json::json!(f.as_str()));
        }
    }
}
