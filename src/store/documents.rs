//! Documents kept as issued: the exact bytes of an invoice, Storno, dunning letter, receipt,
//! claim form or e-invoice file as it was handed out. Rows are only inserted (the schema's
//! triggers refuse the rest) and replicate append-only; a reprint reads them back.

use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::domain::ids::InvoiceId;
use crate::error::{Error, Result};

use super::{Reader, Tx};

/// The journal's and the segments' name for a kept document.
pub const ENTITY: &str = "issued_document";

/// What a kept document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// The invoice or Storno PDF as issued (for a business recipient a Factur-X PDF/A-3).
    Invoice,
    DunningLetter,
    /// The Quittung / Zahlungsbestätigung for one payment.
    Receipt,
    /// The ÖGK-style Honorarnote for reimbursement, as first printed.
    ClaimForm,
    /// The XRechnung XML, as first exported.
    Xrechnung,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Invoice => "invoice",
            DocumentKind::DunningLetter => "dunning_letter",
            DocumentKind::Receipt => "receipt",
            DocumentKind::ClaimForm => "claim_form",
            DocumentKind::Xrechnung => "xrechnung",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            DocumentKind::Xrechnung => "application/xml",
            _ => "application/pdf",
        }
    }
}

/// One kept document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedDocument {
    pub id: String,
    pub invoice_id: InvoiceId,
    pub subject_id: String,
    pub kind: DocumentKind,
    pub number: String,
    pub content: Vec<u8>,
    /// When it was kept (hybrid-clock milliseconds) and by which computer.
    pub created_hlc: i64,
    pub device: String,
}

/// Hex SHA-256 of `bytes`: stored beside the content, so a damaged row is told from a good one.
pub fn sha256_hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(bytes))
}

impl Reader<'_> {
    /// The document of `kind` about `subject` that shows invoice `number`: the first one kept
    /// (two computers that made it independently each kept one; the earlier is the original).
    /// A row whose bytes do not match their checksum is damage, not a document.
    pub fn issued_document(&self, subject: &str, kind: DocumentKind, number: &str) -> Result<Option<IssuedDocument>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT id, invoice_id, content, sha256, created_hlc, device FROM issued_documents
                 WHERE subject_id = ?1 AND kind = ?2 AND number = ?3 ORDER BY created_hlc, device LIMIT 1",
            )?
            .query_row(params![subject, kind.as_str(), number], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .optional()?;
        let Some((id, invoice, content, sha, created_hlc, device)) = row else { return Ok(None) };
        if sha256_hex(&content) != sha {
            return Err(Error::DatabaseCorrupt { detail: format!("kept document {id} does not match its checksum") });
        }
        let invoice_id = invoice.parse().map_err(|_| Error::DatabaseCorrupt { detail: "kept document".into() })?;
        Ok(Some(IssuedDocument {
            id,
            invoice_id,
            subject_id: subject.to_string(),
            kind,
            number: number.to_string(),
            content,
            created_hlc,
            device,
        }))
    }

    /// How many documents are kept and their bytes, for the size figures.
    pub fn issued_documents_size(&self) -> Result<(i64, i64)> {
        Ok(self.conn.query_row(
            "SELECT count(*), coalesce(sum(length(content)), 0) FROM issued_documents",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }
}

impl Tx<'_> {
    /// Keeps `content` as the issued `kind` of `subject`, journaled like every change. Returns
    /// the new row's id.
    pub fn keep_document(
        &mut self,
        invoice: InvoiceId,
        subject: &str,
        kind: DocumentKind,
        number: &str,
        content: &[u8],
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().hyphenated().to_string();
        let hlc = self.stamp();
        self.conn()
            .prepare_cached(
                "INSERT INTO issued_documents(id, invoice_id, subject_id, kind, number, media_type, content, sha256,
                 created_hlc, device) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                id,
                invoice.to_string(),
                subject,
                kind.as_str(),
                number,
                kind.media_type(),
                content,
                sha256_hex(content),
                hlc.0,
                self.device,
            ])?;
        self.journal(hlc, ENTITY, &id, "create")?;
        Ok(id)
    }
}
