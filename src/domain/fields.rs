//! Every field name the core can report in an error (`record.invalid`, `money.too_large`,
//! `billing.practice_incomplete`, `invoice.recipient_incomplete` and the `field` of the billing
//! refusals). The UI labels each one (`fields.<name>.label` in `ui/src/i18n/*.json`; a test
//! holds both languages to this list), and `Error::invalid` refuses, in debug builds, a name
//! that is not here: a new field name fails the first test that reports it until it is listed
//! and labelled.

/// Sorted, so a reader finds a name at a glance.
pub const FIELDS: &[&str] = &[
    "amount",
    "appointment",
    "bank",
    "bic",
    "bill_to",
    "bill_to_country",
    "bill_to_email",
    "bill_to_vat_id",
    "birth_date",
    "buyer_city",
    "buyer_email",
    "buyer_name",
    "buyer_postal_code",
    "buyer_reference",
    "city",
    "clients",
    "code",
    "code_name",
    "count",
    "country",
    "currency",
    "date",
    "description",
    "diagnosis_code",
    "diagnosis_text",
    "dunning_days",
    "dunning_fees",
    "email",
    "except",
    "family_name",
    "fee",
    "fee_agreement_date",
    "fee_multiplier",
    "fee_number",
    "fee_points",
    "fee_reason",
    "fee_schedule",
    "from",
    "given_name",
    "group_size",
    "guardian",
    "guardian_email",
    "guardian_vat_id",
    "iban",
    "id",
    "insurance_kind",
    "insurance_number",
    "insured_name",
    "insured_number",
    "insurer",
    "interval",
    "kind",
    "language",
    "level",
    "line_kind",
    "logo",
    "medical_exam_date",
    "method",
    "minutes",
    "month",
    "name",
    "no_show_fee",
    "note",
    "notes",
    "number_format",
    "number_format_from",
    "password",
    "payer",
    "payment",
    "payment_days",
    "phone",
    "postal_code",
    "practice_name",
    "practitioner_name",
    "price",
    "profession",
    "quantity",
    "reason",
    "recurrence",
    "registration_number",
    "salutation",
    "service",
    "setting",
    "size",
    "sort",
    "split_country",
    "split_email",
    "split_name",
    "split_share",
    "split_vat_id",
    "start",
    "status",
    "street",
    "tax",
    "tax_mode",
    "tax_number",
    "tax_rate",
    "time_zone",
    "title",
    "to",
    "treatment_method",
    "until",
    "vat_id",
    "video_link",
];

/// Whether `name` is one of [`FIELDS`].
pub fn is_known(name: &str) -> bool {
    FIELDS.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_the_core_reports_has_a_label_in_both_languages() {
        for lang in ["de", "en"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("ui/src/i18n/{lang}.json"));
            let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            let missing: Vec<&str> = FIELDS
                .iter()
                .copied()
                .filter(|f| json["fields"][f]["label"].as_str().is_none_or(|l| l.trim().is_empty()))
                .collect();
            assert!(missing.is_empty(), "{lang}.json has no label for {missing:?}");
        }
        let mut sorted = FIELDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, FIELDS, "FIELDS is sorted and has no duplicates");
    }

    #[test]
    fn an_unlisted_field_name_is_caught_in_debug_builds() {
        let r = std::panic::catch_unwind(|| crate::Error::invalid("no_such_field", crate::Problem::Required));
        assert_eq!(r.is_err(), cfg!(debug_assertions));
    }
}
