//! The documents part of a vault ([`Documents`], `vault.documents()`): everything that is
//! printed or exported. An invoice with its frozen issuer and client, its PDF, workbook and claim
//! form (here); documents kept as issued and handed out again (`documents/issued.rs`), receipts
//! (`documents/receipt.rs`), reports and the client file (`documents/reports.rs`), and documents
//! that arrived from another computer as their hash (`documents/reproduce.rs`). Rendering is in
//! `export`; writing to disk is the caller's choice via `export::write_file`.

mod calendar;
pub(super) mod issued;
mod receipt;
mod reports;
pub(super) mod reproduce;

use std::ops::{Deref, DerefMut};

use jiff::civil::Date;

use std::collections::HashSet;

use crate::billing::{Balance, ClientFacts, Invoice, InvoiceKind, Issuer, LineKind};
use crate::error::{Error, Problem, Result};
use crate::export::letters::{ClaimFacts, SplitPart};
use crate::export::{self, InvoiceDoc};

use super::Vault;
use crate::domain::Field;
pub use issued::{Copy, Exported};

/// A vault's documents, borrowed from it: `vault.documents()` renders what is made anew each
/// time, `vault.documents_mut()` also hands out (and keeps on first export) issued documents.
pub struct Documents<V> {
    pub(super) vault: V,
}

/// Which document of an invoice to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvoiceFormat {
    Pdf,
    Xlsx,
    /// The ÖGK-style claim form.
    Honorarnote,
}

impl<V: Deref<Target = Vault>> Documents<V> {
    /// An invoice (by number, or a draft by id) with everything its documents print.
    pub fn invoice_doc(&self, number_or_id: &str) -> Result<InvoiceDoc> {
        let invoice = self.vault.billing().find_invoice(number_or_id)?;
        let (issuer, client, cancels, storno) = match &invoice.snapshot {
            Some(s) => (s.issuer.clone(), s.client.clone(), s.cancels.clone(), s.storno.clone()),
            None => (
                Issuer::from(&self.vault.records().practice()?),
                ClientFacts::of(
                    &self.vault.records().client(invoice.client_id)?,
                    &self.vault.billing().billing_settings()?.treatment_method,
                ),
                None,
                None,
            ),
        };
        Ok(InvoiceDoc {
            balance: Balance::of_invoice(&invoice, self.vault.records().today()?),
            invoice,
            issuer,
            client,
            cancels,
            storno,
            treatment_method: self.vault.billing().billing_settings()?.treatment_method,
            // A logo this version cannot use (say, one a newer Tresor on another computer
            // accepted) must not stop an invoice from printing: it is left off instead.
            logo: self.vault.records().logo().unwrap_or(None),
        })
    }

    /// The invoice's PDF, workbook or Honorarnote, in memory (see [`Documents::export_invoice`]).
    pub fn render_invoice(&mut self, number_or_id: &str, format: InvoiceFormat) -> Result<Vec<u8>>
    where
        V: DerefMut,
    {
        Ok(self.export_invoice(number_or_id, format)?.bytes)
    }

    /// An invoice's document. An issued invoice's PDF is the one kept when it was issued,
    /// byte for byte; a draft's is a preview. The claim form is kept when first printed, and
    /// every later print is that form marked "Zweitschrift". The workbook is a working aid,
    /// made anew each time.
    pub fn export_invoice(&mut self, number_or_id: &str, format: InvoiceFormat) -> Result<Exported>
    where
        V: DerefMut,
    {
        let invoice = self.vault.billing().find_invoice(number_or_id)?;
        match (format, invoice.number.clone()) {
            (InvoiceFormat::Pdf, Some(number)) => self.issued_invoice_pdf(&invoice, &number),
            (InvoiceFormat::Pdf, None) => {
                let doc = self.invoice_doc(number_or_id)?;
                Ok(Exported { bytes: export::invoice_pdf::invoice_pdf(&doc)?, copy: Copy::Preview })
            }
            (InvoiceFormat::Xlsx, _) => {
                let doc = self.invoice_doc(number_or_id)?;
                Ok(Exported { bytes: export::invoice_xlsx::invoice_xlsx(&doc)?, copy: Copy::Preview })
            }
            (InvoiceFormat::Honorarnote, number) => {
                // A claim is made for treatments that stand: never for a Storno, nor for an
                // invoice it cancelled.
                if invoice.kind == InvoiceKind::Cancellation {
                    return Err(Error::InvoiceState { reason: "is_cancellation" });
                }
                if invoice.cancelled_by.is_some() {
                    return Err(Error::InvoiceState { reason: "cancelled" });
                }
                // Also refuses the second payer's share of a split bill (claimed once).
                let doc = self.invoice_doc(number_or_id)?;
                let claim = self.claim_facts(&doc)?;
                match number {
                    Some(number) => self.issued_claim_form(doc, &claim, &number),
                    None => {
                        Ok(Exported { bytes: export::letters::honorarnote_pdf(&doc, &claim)?, copy: Copy::Preview })
                    }
                }
            }
        }
    }

    /// What the claim form of `doc` states besides the invoice: the client's second session
    /// when the form claims it or a later one (the ÖGK wants the medical examination before
    /// it) and the examination's date, as frozen at issue or else as recorded since.
    pub fn claim_facts(&self, doc: &InvoiceDoc) -> Result<ClaimFacts> {
        let inv = &doc.invoice;
        let r = self.vault.store.read();
        let mut dates: Vec<Date> = r.sessions_of(inv.client_id, u32::MAX)?.into_iter().map(|s| s.date).collect();
        dates.sort();
        let last_claimed =
            inv.lines.iter().filter(|l| l.input.kind == LineKind::Session).filter_map(|l| l.input.date).max();
        let second_session = match (dates.get(1), last_claimed) {
            (Some(&second), Some(last)) if second <= last => Some(second),
            _ => None,
        };
        let medical_exam_date = match doc.client.medical_exam_date {
            Some(d) => Some(d),
            None => r.client(inv.client_id)?.data.medical_exam_date,
        };
        Ok(ClaimFacts { second_session, medical_exam_date, split: self.split_parts(inv)? })
    }

    /// The invoices of a split bill that `inv` belongs to (itself included), first payer first:
    /// those of the client, not cancelled, that bill one of its sessions. The claim is made once
    /// for a session, on the invoice of the first payer that still stands; on any other it is
    /// refused (`claimed_on_first_payer`). Empty for a bill that is not split.
    fn split_parts(&self, inv: &Invoice) -> Result<Vec<SplitPart>> {
        if inv.share_bp >= 10_000 {
            return Ok(Vec::new());
        }
        let sessions: HashSet<_> = inv.lines.iter().filter_map(|l| l.input.session_id).collect();
        let today = self.vault.records().today()?;
        let mut all: Vec<Invoice> = self
            .vault
            .store
            .read()
            .invoices_of(inv.client_id)?
            .into_iter()
            .filter(|o| o.kind == InvoiceKind::Invoice && o.cancelled_by.is_none())
            .filter(|o| {
                o.id == inv.id || o.lines.iter().any(|l| l.input.session_id.is_some_and(|s| sessions.contains(&s)))
            })
            .collect();
        all.sort_by_key(|o| o.payer.slot);
        if all.first().is_some_and(|first| first.id != inv.id && first.payer.slot < inv.payer.slot) {
            return Err(Error::InvoiceState { reason: "claimed_on_first_payer" });
        }
        Ok(all
            .iter()
            .map(|o| SplitPart {
                number: o.display_number().to_string(),
                share_bp: o.share_bp,
                paid_on: Balance::of_invoice(o, today).paid_on,
            })
            .collect())
    }

    /// The dunning letter of `level` (default: the newest) for an invoice, as kept when written.
    pub fn render_dunning_letter(&mut self, number: &str, level: Option<u8>) -> Result<Vec<u8>>
    where
        V: DerefMut,
    {
        let invoice = self.vault.billing().invoice_by_number(number)?;
        let letter = match level {
            Some(l) => invoice.dunning.iter().find(|d| d.level == l),
            None => invoice.dunning.iter().max_by_key(|d| d.level),
        }
        .cloned()
        .ok_or(Error::invalid(Field::Level, Problem::UnknownValue))?;
        Ok(self.issued_dunning_pdf(&invoice, &letter)?.bytes)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::{ClientInput, SessionInput};

    #[test]
    fn a_stored_logo_this_version_cannot_read_is_left_off_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = crate::vault::test_vault(dir.path());
        let client = v.records_mut().add_client(ClientInput::with_full_name("Jörg Müller")).unwrap();
        v.records_mut()
            .add_session(SessionInput {
                client_id: client,
                appointment_id: None,
                service_id: None,
                date: jiff::civil::date(2026, 3, 2),
                minutes: Some(50),
                fee: Some(crate::domain::Cents::new(9000)),
                setting: None,
                group_size: None,
                note: String::new(),
            })
            .unwrap();
        let id = v.billing_mut().draft_invoice(client, None, None).unwrap()[0];
        // As if synced from a newer version that accepts what this one does not.
        v.store.write(|tx| tx.put_logo(Some(b"a format of the future"))).unwrap();
        assert_eq!(v.records().logo().unwrap_err().code(), "record.invalid");
        let doc = v.documents().invoice_doc(&id.to_string()).unwrap();
        assert!(doc.logo.is_none());
        assert!(crate::export::invoice_pdf::invoice_pdf(&doc).unwrap().starts_with(b"%PDF"));
    }
}
