//! The EPC069-12 "GiroCode" (SEPA credit transfer QR code), version 002, UTF-8: a banking app
//! scans it and fills in payee, IBAN, amount and reference.

use qrcode::{EcLevel, QrCode};

use crate::domain::money::Cents;
use crate::error::{Error, Result};

/// The largest amount the standard allows: EUR 999 999 999.99.
const MAX_CENTS: i64 = 99_999_999_999;

/// The payload, or `None` when a transfer code makes no sense (no IBAN, nothing to pay).
/// Lines: service tag, version, character set (1 = UTF-8), identification, BIC, name, IBAN,
/// amount, purpose, structured reference, unstructured remittance.
pub fn payload(name: &str, iban: &str, bic: &str, amount: Cents, remittance: &str) -> Option<String> {
    if iban.trim().is_empty() || !amount.is_positive() || amount.get() > MAX_CENTS || name.trim().is_empty() {
        return None;
    }
    let clip = |s: &str, n: usize| -> String { s.trim().replace(['\n', '\r'], " ").chars().take(n).collect() };
    let lines = [
        "BCD".to_string(),
        "002".into(),
        "1".into(),
        "SCT".into(),
        clip(bic, 11),
        clip(name, 70),
        clip(iban, 34).replace(' ', ""),
        format!("EUR{amount}"),
        String::new(),
        String::new(),
        clip(remittance, 140),
    ];
    Some(lines.join("\n"))
}

/// The code's dark modules as rows of booleans (error correction M, as the standard asks).
pub fn modules(payload: &str) -> Result<(usize, Vec<bool>)> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .map_err(|e| Error::Render { detail: format!("QR code: {e}") })?;
    let w = code.width();
    let dark = code.into_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    Ok((w, dark))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_follows_epc069_12() {
        let p = payload("Dr. Anna Müller", "AT61 1904 3002 3457 3201", "GIBAATWWXXX", Cents::new(12345), "2026-0001")
            .unwrap();
        assert_eq!(p, "BCD\n002\n1\nSCT\nGIBAATWWXXX\nDr. Anna Müller\nAT611904300234573201\nEUR123.45\n\n\n2026-0001");
        assert!(payload("A", "", "", Cents::new(1), "x").is_none());
        assert!(payload("A", "AT611904300234573201", "", Cents::new(0), "x").is_none());
        let (w, dark) = modules(&p).unwrap();
        assert_eq!(dark.len(), w * w);
    }
}
