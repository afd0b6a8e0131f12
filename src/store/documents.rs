//! Documents kept as issued: the exact bytes of an invoice, Storno, dunning letter, receipt,
//! claim form or e-invoice file as it was handed out. Rows are only inserted (the schema's
//! triggers refuse the rest) and replicate append-only; a reprint reads them back. A document
//! with a recipe travels without its bytes: the other computer renders it again from the
//! replicated facts and keeps it only when the bytes match (`vault/documents/issued.rs`).

use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::domain::ids::InvoiceId;
use crate::error::{Error, Result};

use super::replicate::{MergeCounts, RowImage};
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

/// Why a document without its bytes waits in `kept_aside` until this computer has rendered it.
pub const TO_RENDER: &str = "to_render";

/// The journal's operation by which a computer asks for a document it could not render.
pub const WANT: &str = "want";
/// The journal's operation by which a computer sends a kept document again, whole.
pub const RESEND: &str = "resend";

/// Whether a segment with these journal operations for a kept document carries its bytes: when
/// it is sent again on request.
pub fn carries_whole<'a>(mut ops: impl Iterator<Item = &'a str>) -> bool {
    ops.any(|op| op == RESEND)
}

/// Leaves the bytes out of a kept document's image when it has a recipe, so a segment carries
/// its hash (64 characters) instead of the file (~30 KB for an invoice).
pub fn strip_reproducible(img: &mut RowImage) {
    if img.entity == ENTITY && img.cols.get("recipe").is_some_and(|r| r.is_string()) {
        img.cols.remove("content");
    }
}

/// Whether `img` is a kept document that arrived without its bytes.
pub(super) fn needs_render(img: &RowImage) -> bool {
    img.entity == ENTITY && !img.cols.contains_key("content")
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

    /// The documents that arrived without their bytes and wait to be rendered here, with the
    /// computer that sent each.
    pub fn documents_to_render(&self) -> Result<Vec<(String, RowImage)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT source, image FROM kept_aside WHERE entity = ?1 AND reason = ?2 ORDER BY kept_hlc, digest",
        )?;
        let rows = st
            .query_map(params![ENTITY, TO_RENDER], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // An image this version cannot read stays aside for the status view.
        Ok(rows.into_iter().filter_map(|(src, image)| Some((src, serde_json::from_str(&image).ok()?))).collect())
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
        recipe: Option<&str>,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().hyphenated().to_string();
        let hlc = self.stamp();
        self.conn()
            .prepare_cached(
                "INSERT INTO issued_documents(id, invoice_id, subject_id, kind, number, media_type, content, sha256,
                 created_hlc, device, recipe) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
                recipe,
            ])?;
        self.journal(hlc, ENTITY, &id, "create")?;
        Ok(id)
    }

    /// Keeps a document rendered here whose bytes match the hash it travelled with, and takes
    /// it out of `kept_aside`.
    pub fn keep_rendered(&mut self, source: &str, mut img: RowImage, content: &[u8]) -> Result<MergeCounts> {
        let row_id = img.id.clone();
        img.cols.insert("content".into(), serde_json::json!({ "b64": data_encoding::BASE64.encode(content) }));
        let counts = self.apply_rows(source, std::slice::from_ref(&img))?;
        self.conn()
            .prepare_cached("DELETE FROM kept_aside WHERE entity = ?1 AND row_id = ?2 AND reason = ?3")?
            .execute(params![ENTITY, row_id, TO_RENDER])?;
        Ok(counts)
    }

    /// Drops what waits to be rendered but has arrived whole meanwhile (sent again on request).
    pub fn drop_arrived_documents(&mut self) -> Result<()> {
        self.conn()
            .prepare_cached(
                "DELETE FROM kept_aside WHERE entity = ?1 AND reason = ?2
                 AND row_id IN (SELECT id FROM issued_documents)",
            )?
            .execute(params![ENTITY, TO_RENDER])?;
        Ok(())
    }

    /// Asks the other computers, once, for a document this one could not render identically:
    /// a journal entry `want` that travels in this computer's next segment.
    pub fn want_document(&mut self, id: &str) -> Result<()> {
        let asked: bool = self
            .conn()
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM journal WHERE row_id = ?1 AND op = ?2 AND device = ?3)")?
            .query_row(params![id, WANT, self.device], |r| r.get(0))?;
        if !asked {
            let hlc = self.stamp();
            self.journal(hlc, ENTITY, id, WANT)?;
        }
        Ok(())
    }

    /// Answers another computer's `want`: when this one holds the document, it is journaled
    /// again, and its next segment carries it whole ([`carries_whole`]).
    pub fn resend_document(&mut self, id: &str) -> Result<bool> {
        let held: bool = self
            .conn()
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM issued_documents WHERE id = ?1)")?
            .query_row([id], |r| r.get(0))?;
        if held {
            let hlc = self.stamp();
            self.journal(hlc, ENTITY, id, RESEND)?;
        }
        Ok(held)
    }
}
