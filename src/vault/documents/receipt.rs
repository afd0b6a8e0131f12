//! Receipts for payments of issued invoices, kept when first made like every document handed out.

use std::ops::{Deref, DerefMut};

use crate::billing::{InvoiceKind, Payment};
use crate::domain::ids::PaymentId;
use crate::error::{Error, Problem, Result};
use crate::export;
use crate::store::DocumentKind;

use super::issued::{as_issued, meta_for, Copy, Exported};
use super::Documents;
use crate::domain::Field;
use crate::vault::Vault;

impl<V: Deref<Target = Vault>> Documents<V> {
    /// The receipt (Quittung / Zahlungsbestätigung) for a payment of an issued invoice: the
    /// given one, or the newest. Kept when first made; later exports write the kept bytes.
    pub fn export_receipt(&mut self, number: &str, payment: Option<PaymentId>) -> Result<Exported>
    where
        V: DerefMut,
    {
        let inv = self.vault.billing().invoice_by_number(number)?;
        let n = inv.number.clone().ok_or(Error::InvoiceState { reason: "draft" })?;
        if inv.kind != InvoiceKind::Invoice {
            return Err(Error::InvoiceState { reason: "is_cancellation" });
        }
        let p: Payment = match payment {
            Some(id) => inv.payments.iter().find(|p| p.id == id),
            None => inv.payments.iter().filter(|p| p.amount.get() > 0).max_by_key(|p| (p.date, p.id)),
        }
        .cloned()
        .ok_or(Error::invalid(Field::Payment, Problem::UnknownValue))?;
        // A correction (a negative amount) is no money received.
        if p.amount.get() <= 0 {
            return Err(Error::invalid(Field::Payment, Problem::NotAllowed));
        }
        let subject = p.id.to_string();
        if let Some(bytes) = self.kept(&subject, DocumentKind::Receipt, &n)? {
            return Ok(Exported { bytes, copy: Copy::Identical });
        }
        let ctx = self.issue_context()?;
        let id = inv.id;
        let bytes = self.vault.store.write(|tx| {
            let (doc, _) = as_issued(tx, id, &ctx)?;
            let meta = meta_for(&doc, p.id.0, &ctx.tz);
            let bytes = export::receipt::receipt_pdf_as(&doc, &p, &meta)?;
            tx.keep_document(id, &subject, DocumentKind::Receipt, &n, &bytes, None)?;
            Ok(bytes)
        })?;
        Ok(Exported { bytes, copy: Copy::KeptNow })
    }
}
