//! Documents kept as issued (GoBD: a reprint is the identical copy). The invoice and the Storno
//! are rendered inside the transaction that issues them and kept there, so an issued invoice
//! without its document cannot exist: a crash before the commit leaves the draft a draft (and
//! its number unused), after it both are there. Dunning letters are kept in the transaction
//! that writes them. Receipts, the claim form and the XRechnung file are kept when first made.
//! Exporting any of them again writes the kept bytes.

use std::ops::{Deref, DerefMut};

use jiff::civil::Date;

use crate::billing::{Balance, DocSnapshot, DunningLetter, Invoice, InvoiceKind};
use crate::domain::ids::InvoiceId;
use crate::domain::logo::Logo;
use crate::error::{Error, Problem, Result};
use crate::export::einvoice;
use crate::export::letters::ClaimFacts;
use crate::export::pdf::archive::{Attachment, Meta};
use crate::export::{self, InvoiceDoc};
use crate::store::{DocumentKind, Tx};

use super::reproduce::Settled;
use super::Documents;
use crate::domain::Field;
use crate::vault::Vault;

/// What documents made in a billing transaction print besides its rows, read before it: the
/// logo and treatment method in force, the practice's zone for the creation date.
pub(crate) struct IssueContext {
    pub(in crate::vault) logo: Option<Logo>,
    /// The logo's PNG hash, for the recipe: another computer renders only with the same logo.
    pub(in crate::vault) logo_sha: Option<String>,
    pub(in crate::vault) treatment_method: String,
    pub(in crate::vault) tz: jiff::tz::TimeZone,
    pub(in crate::vault) default_interest: bool,
    /// Each dunning level's opening paragraph ('' for the built-in one).
    pub(in crate::vault) dunning_texts: [String; 3],
}

/// What a kept invoice or dunning letter was made with besides the rows that replicate anyway:
/// stored beside it, so another computer renders the same bytes instead of receiving them.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(in crate::vault) struct Recipe {
    /// When it was made, in the practice's zone (RFC 9557, e.g. `…+02:00[Europe/Vienna]`).
    pub created: String,
    pub logo: Option<String>,
    pub method: String,
    pub interest: bool,
    /// A dunning letter's own opening paragraph; absent for the built-in one (and in recipes
    /// written before texts could be set, which render the same).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

impl IssueContext {
    pub(in crate::vault) fn dunning_text(&self, level: u8) -> &str {
        level.checked_sub(1).and_then(|i| self.dunning_texts.get(i as usize)).map_or("", String::as_str)
    }

    fn recipe(&self, created: &jiff::Zoned, text: &str) -> String {
        let r = Recipe {
            created: created.to_string(),
            logo: self.logo_sha.clone(),
            method: self.treatment_method.clone(),
            interest: self.default_interest,
            text: text.to_string(),
        };
        // Strings and a bool: serialising cannot fail.
        serde_json::to_string(&r).expect("a recipe serialises")
    }
}

/// How an export came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Copy {
    /// A draft's preview: nothing is kept.
    Preview,
    /// Made and kept just now (its first export); the same bytes every time from now on.
    KeptNow,
    /// The kept bytes, identical to what was issued.
    Identical,
    /// A reprint marked "Zweitschrift" (the claim form after its first print), the mark added
    /// as a PDF update after the rendered bytes.
    Marked,
}

/// An exported document and how it came about.
#[derive(Debug, Clone)]
pub struct Exported {
    pub bytes: Vec<u8>,
    pub copy: Copy,
}

impl<V: Deref<Target = Vault>> Documents<V> {
    pub(in crate::vault) fn issue_context(&self) -> Result<IssueContext> {
        let settings = self.vault.billing().billing_settings()?;
        // A logo this version cannot read must not stop an issue: it is left off.
        let (logo, logo_sha) = usable_logo(self.vault.records().logo_png().unwrap_or(None));
        Ok(IssueContext {
            logo,
            logo_sha,
            default_interest: settings.default_interest,
            dunning_texts: std::array::from_fn(|i| settings.dunning_text(i as u8 + 1).to_string()),
            treatment_method: settings.treatment_method,
            tz: self.vault.records().practice()?.tz()?,
        })
    }

    /// The kept document, or `None`.
    pub(in crate::vault) fn kept(&self, subject: &str, kind: DocumentKind, number: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.vault.store.read().issued_document(subject, kind, number)?.map(|d| d.content))
    }

    /// A document issued on another computer that waits to be rendered here: rendered now and
    /// kept, or — when it cannot be rendered identically — asked for and refused with
    /// `document.pending`, rather than making a second, different file for one invoice.
    fn arrived_as_hash(&mut self, subject: &str, kind: DocumentKind, number: &str) -> Result<Option<Vec<u8>>>
    where
        V: DerefMut,
    {
        match self.vault.store.write(|tx| super::reproduce::settle_one(tx, subject))? {
            Settled::NoneWaiting => Ok(None),
            Settled::Kept => self.kept(subject, kind, number),
            Settled::Asked => Err(Error::DocumentPending { kind: kind.as_str() }),
        }
    }

    /// The kept bytes of an issued invoice's PDF. An invoice issued before Tresor kept
    /// documents has none: it is rendered once from its frozen facts as on its issue date
    /// (without what happened since: payments, dunning, cancellation) and kept from then on.
    pub(in crate::vault) fn issued_invoice_pdf(&mut self, inv: &Invoice, number: &str) -> Result<Exported>
    where
        V: DerefMut,
    {
        let subject = inv.id.to_string();
        if let Some(bytes) = self.kept(&subject, DocumentKind::Invoice, number)? {
            return Ok(Exported { bytes, copy: Copy::Identical });
        }
        if let Some(bytes) = self.arrived_as_hash(&subject, DocumentKind::Invoice, number)? {
            return Ok(Exported { bytes, copy: Copy::Identical });
        }
        let ctx = self.issue_context()?;
        let id = inv.id;
        let bytes = self.vault.store.write(|tx| keep_issued_invoice(tx, id, &ctx))?;
        Ok(Exported { bytes, copy: Copy::KeptNow })
    }

    /// The claim form (Honorarnote) of an issued invoice, from its frozen facts and what was
    /// paid by now (the insurer reimburses what was paid). The first print is kept. A later one
    /// is made anew, since it states what was paid since, and is marked "Zweitschrift"
    /// (German) / "Duplicate", so an insurer can tell it from a claim already submitted.
    pub(in crate::vault) fn issued_claim_form(
        &mut self,
        doc: InvoiceDoc,
        claim: &ClaimFacts,
        number: &str,
    ) -> Result<Exported>
    where
        V: DerefMut,
    {
        let id = doc.invoice.id;
        let subject = id.to_string();
        if self.kept(&subject, DocumentKind::ClaimForm, number)?.is_some() {
            let label = doc.locale().t("Zweitschrift", "Duplicate");
            let fresh = export::letters::honorarnote_pdf(&doc, claim)?;
            let bytes = crate::export::pdf::stamp::mark_copy(&fresh, label)?;
            return Ok(Exported { bytes, copy: Copy::Marked });
        }
        let tz = self.vault.records().practice()?.tz()?;
        // Its own trailer id: the claim form is another document than the invoice.
        let mut other = *id.0.as_bytes();
        other[15] ^= 0x5a;
        let bytes =
            export::letters::honorarnote_pdf_as(&doc, claim, &meta_for(&doc, uuid::Uuid::from_bytes(other), &tz))?;
        self.vault.store.write(|tx| tx.keep_document(id, &subject, DocumentKind::ClaimForm, number, &bytes, None))?;
        Ok(Exported { bytes, copy: Copy::KeptNow })
    }

    /// A dunning letter's kept bytes (kept now when written before Tresor kept documents).
    pub(in crate::vault) fn issued_dunning_pdf(&mut self, inv: &Invoice, letter: &DunningLetter) -> Result<Exported>
    where
        V: DerefMut,
    {
        let number = inv.number.clone().ok_or(Error::InvoiceState { reason: "draft" })?;
        if let Some(bytes) = self.kept(&letter.id.to_string(), DocumentKind::DunningLetter, &number)? {
            return Ok(Exported { bytes, copy: Copy::Identical });
        }
        let subject = letter.id.to_string();
        if let Some(bytes) = self.arrived_as_hash(&subject, DocumentKind::DunningLetter, &number)? {
            return Ok(Exported { bytes, copy: Copy::Identical });
        }
        let ctx = self.issue_context()?;
        let letter = letter.clone();
        let bytes = self.vault.store.write(|tx| keep_dunning_letter(tx, &letter, &ctx))?;
        Ok(Exported { bytes, copy: Copy::KeptNow })
    }
}

impl<V: Deref<Target = Vault>> Documents<V> {
    /// The Factur-X PDF of an issued invoice: the kept PDF, when it was issued with the XML.
    pub fn export_facturx(&mut self, number: &str) -> Result<Exported>
    where
        V: DerefMut,
    {
        let inv = self.vault.billing().invoice_by_number(number)?;
        let n = inv.number.clone().ok_or(Error::InvoiceState { reason: "draft" })?;
        let pdf = self.issued_invoice_pdf(&inv, &n)?;
        if is_facturx(&pdf.bytes) {
            return Ok(pdf);
        }
        let doc = self.invoice_doc(number)?;
        let reason = match einvoice::decide(&doc) {
            einvoice::Decision::Excluded(r) => r,
            _ => "issued_without",
        };
        Err(Error::EInvoice { reason })
    }

    /// The XRechnung XML (CII syntax) of an issued invoice to a business, kept when first made;
    /// `buyer_reference` (BT-10, the Leitweg-ID of a public buyer) is needed then and must not
    /// differ later.
    pub fn export_xrechnung(&mut self, number: &str, buyer_reference: Option<&str>) -> Result<Exported>
    where
        V: DerefMut,
    {
        let inv = self.vault.billing().invoice_by_number(number)?;
        let n = inv.number.clone().ok_or(Error::InvoiceState { reason: "draft" })?;
        let subject = inv.id.to_string();
        let reference = buyer_reference.map(str::trim).filter(|r| !r.is_empty());
        if let Some(bytes) = self.kept(&subject, DocumentKind::Xrechnung, &n)? {
            if let Some(r) = reference {
                let tag = format!("<ram:BuyerReference>{}</ram:BuyerReference>", einvoice::escape(r));
                if !bytes.windows(tag.len()).any(|w| w == tag.as_bytes()) {
                    return Err(Error::invalid(Field::BuyerReference, Problem::NotAllowed));
                }
            }
            return Ok(Exported { bytes, copy: Copy::Identical });
        }
        let ctx = self.issue_context()?;
        let id = inv.id;
        let bytes = self.vault.store.write(|tx| {
            let (doc, _) = as_issued(tx, id, &ctx)?;
            // Whether there is one at all comes before what the person has to type for it.
            if let einvoice::Decision::Excluded(reason) = einvoice::decide(&doc) {
                return Err(Error::EInvoice { reason });
            }
            let reference = reference.ok_or(Error::invalid(Field::BuyerReference, Problem::Required))?.to_string();
            let buyer = einvoice::Buyer { reference, ..einvoice::Buyer::of(&doc)? };
            let xml = einvoice::cii_xml(&doc, &buyer, einvoice::Profile::XRechnung)?;
            tx.keep_document(id, &subject, DocumentKind::Xrechnung, &n, &xml, None)?;
            Ok(xml)
        })?;
        Ok(Exported { bytes, copy: Copy::KeptNow })
    }
}

/// The document's language tag for the PDF catalog.
fn lang_tag(doc: &InvoiceDoc) -> String {
    let loc = doc.locale();
    let country = match loc.country {
        crate::domain::practice::Country::AT => "AT",
        crate::domain::practice::Country::DE => "DE",
    };
    match loc.lang {
        crate::domain::practice::Language::De => format!("de-{country}"),
        crate::domain::practice::Language::En => "en".into(),
    }
}

/// The logo as documents print it, and its PNG's hash; none when this version cannot read it.
pub(in crate::vault) fn usable_logo(png: Option<Vec<u8>>) -> (Option<Logo>, Option<String>) {
    let Some(png) = png else { return (None, None) };
    match Logo::from_png(&png) {
        Ok(logo) => (Some(logo), Some(crate::store::sha256_hex(&png))),
        Err(_) => (None, None),
    }
}

/// The archival finish of a document about `id` made now.
pub(crate) fn meta_for(doc: &InvoiceDoc, id: uuid::Uuid, tz: &jiff::tz::TimeZone) -> Meta {
    meta_at(doc, id, jiff::Timestamp::now().to_zoned(tz.clone()))
}

/// The archival finish of a document about `id` made at `created`.
pub(in crate::vault) fn meta_at(doc: &InvoiceDoc, id: uuid::Uuid, created: jiff::Zoned) -> Meta {
    Meta { created, id: *id.as_bytes(), archival: true, attachment: None, lang: lang_tag(doc) }
}

/// The invoice as `tx` holds it with its frozen facts, as on `on` and without anything that
/// happened after its issue (payments, dunning letters, a write-off or a cancellation), so the
/// document reads as it did the day it was handed out.
pub(in crate::vault) fn as_issued(tx: &Tx<'_>, id: InvoiceId, ctx: &IssueContext) -> Result<(InvoiceDoc, Date)> {
    let mut invoice = tx.read().invoice(id)?;
    let snapshot = invoice.snapshot.clone().ok_or(Error::InvoiceState { reason: "draft" })?;
    let issued = invoice.issue_date.ok_or(Error::InvoiceState { reason: "draft" })?;
    invoice.payments.clear();
    invoice.dunning.clear();
    invoice.write_off = None;
    invoice.cancelled_by = None;
    Ok((frozen_doc(invoice, snapshot, issued, ctx), issued))
}

/// An issued invoice's document from its frozen facts, with the balance on `on`.
fn frozen_doc(invoice: Invoice, snapshot: DocSnapshot, on: Date, ctx: &IssueContext) -> InvoiceDoc {
    InvoiceDoc {
        balance: Balance::of_invoice(&invoice, on),
        invoice,
        issuer: snapshot.issuer,
        client: snapshot.client,
        cancels: snapshot.cancels,
        storno: snapshot.storno,
        treatment_method: ctx.treatment_method.clone(),
        logo: ctx.logo.clone(),
    }
}

/// Renders the invoice (or Storno) issued in `tx` and keeps its bytes in the same transaction,
/// with its recipe. A render that fails fails the issue: the draft stays a draft. Returns the
/// kept bytes.
pub(in crate::vault) fn keep_issued_invoice(tx: &mut Tx<'_>, id: InvoiceId, ctx: &IssueContext) -> Result<Vec<u8>> {
    let created = jiff::Timestamp::now().to_zoned(ctx.tz.clone());
    let (bytes, number) = render_issued_invoice(tx, id, ctx, &created)?;
    tx.keep_document(id, &id.to_string(), DocumentKind::Invoice, &number, &bytes, Some(&ctx.recipe(&created, "")))?;
    Ok(bytes)
}

/// The invoice's document as made at `created`, and the number it shows.
pub(in crate::vault) fn render_issued_invoice(
    tx: &Tx<'_>,
    id: InvoiceId,
    ctx: &IssueContext,
    created: &jiff::Zoned,
) -> Result<(Vec<u8>, String)> {
    let (doc, _) = as_issued(tx, id, ctx)?;
    let number = doc.invoice.number.clone().ok_or(Error::InvoiceState { reason: "draft" })?;
    let mut meta = meta_at(&doc, id.0, created.clone());
    meta.attachment = facturx_attachment(&doc)?;
    Ok((export::invoice_pdf::invoice_pdf_as(&doc, &meta)?, number))
}

/// Renders a dunning letter written in `tx` (with the balance on its date) and keeps it there.
pub(in crate::vault) fn keep_dunning_letter(
    tx: &mut Tx<'_>,
    letter: &DunningLetter,
    ctx: &IssueContext,
) -> Result<Vec<u8>> {
    let created = jiff::Timestamp::now().to_zoned(ctx.tz.clone());
    let (bytes, number) = render_dunning_letter(tx, letter, ctx, &created)?;
    let (invoice, subject, recipe) =
        (letter.invoice_id, letter.id.to_string(), ctx.recipe(&created, ctx.dunning_text(letter.level)));
    tx.keep_document(invoice, &subject, DocumentKind::DunningLetter, &number, &bytes, Some(&recipe))?;
    Ok(bytes)
}

/// A dunning letter's document as made at `created`, and the invoice number it shows.
pub(in crate::vault) fn render_dunning_letter(
    tx: &Tx<'_>,
    letter: &DunningLetter,
    ctx: &IssueContext,
    created: &jiff::Zoned,
) -> Result<(Vec<u8>, String)> {
    let invoice = tx.read().invoice(letter.invoice_id)?;
    if invoice.kind != InvoiceKind::Invoice {
        return Err(Error::InvoiceState { reason: "is_cancellation" });
    }
    let snapshot = invoice.snapshot.clone().ok_or(Error::InvoiceState { reason: "draft" })?;
    let number = invoice.number.clone().ok_or(Error::InvoiceState { reason: "draft" })?;
    let doc = frozen_doc(invoice, snapshot, letter.date, ctx);
    let meta = meta_at(&doc, letter.id.0, created.clone());
    Ok((
        export::letters::dunning_pdf_as(&doc, letter, ctx.default_interest, ctx.dunning_text(letter.level), &meta)?,
        number,
    ))
}

/// The Factur-X XML an invoice to a business carries. Where the e-invoice is required, what it
/// lacks (a buyer's city, the practice's tax number) fails the issue and names the field;
/// where it is only possible, a PDF without it is issued instead.
fn facturx_attachment(doc: &InvoiceDoc) -> Result<Option<Attachment>> {
    let decision = einvoice::decide(doc);
    if let einvoice::Decision::Excluded(_) = decision {
        return Ok(None);
    }
    let xml = einvoice::Buyer::of(doc).and_then(|b| einvoice::cii_xml(doc, &b, einvoice::Profile::FacturX));
    let xml = match (xml, decision) {
        (Ok(x), _) => x,
        (Err(e), einvoice::Decision::Required) => return Err(e),
        (Err(_), _) => return Ok(None),
    };
    Ok(Some(Attachment {
        name: einvoice::FACTURX_FILE.into(),
        mime: "text/xml",
        bytes: xml,
        description: "Factur-X XML (EN 16931)".into(),
        relationship: "Alternative",
        facturx_level: Some("EN 16931"),
    }))
}

/// Whether a kept PDF carries the Factur-X XML: its file specification is an uncompressed
/// dictionary naming the file.
pub(in crate::vault) fn is_facturx(pdf: &[u8]) -> bool {
    let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
    has(b"/AFRelationship") && has(format!("({})", einvoice::FACTURX_FILE).as_bytes())
}
