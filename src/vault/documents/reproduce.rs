//! Kept documents that travel as a hash. An invoice, Storno or dunning letter is rendered from
//! rows that replicate anyway plus its recipe, so a segment carries its row without the bytes
//! (issue 11: ~30 KB less per invoice in the data folder). The receiving computer renders it
//! itself, in the transaction that merged the rows, and keeps it only when the bytes match the
//! hash it came with: a reprint stays the identical file (GoBD). Where they do not match (another
//! Tresor version renders differently, a logo changed here meanwhile), the row waits aside and
//! this computer asks once, with a journal entry `want`; a computer that holds the document
//! journals it again, and its next segment carries it whole.

use std::time::{Duration, Instant};

use serde_json::Value as Json;

use crate::domain::ids::InvoiceId;
use crate::domain::logo::Logo;
use crate::error::Result;
use crate::store::{sha256_hex, RowImage, Tx};

use super::issued::{render_dunning_letter, render_issued_invoice, usable_logo, IssueContext, Recipe};

/// How long one merge renders documents that arrived as a hash (~10 ms each): a new computer
/// opening the month-end run of a large practice (1,111 invoices) would otherwise render for
/// 10 s while holding the vault. The rest wait for the next round, or for their export.
pub(crate) const RENDER_BUDGET: Duration = Duration::from_millis(300);

/// After a segment is merged in `tx`: answers the other computers' requests (`wanted`, the ids
/// its journal asked for), renders what arrived as a hash until `until`, and asks for what
/// could not be rendered identically.
pub(crate) fn settle_documents(tx: &mut Tx<'_>, wanted: &[&str], until: Instant) -> Result<()> {
    for id in wanted {
        tx.resend_document(id)?;
    }
    tx.drop_arrived_documents()?;
    let waiting = tx.read().documents_to_render()?;
    if waiting.is_empty() {
        return Ok(());
    }
    let (logo, logo_sha) = usable_logo(tx.read().logo().unwrap_or(None));
    for (source, img) in waiting {
        if Instant::now() >= until {
            break;
        }
        match reproduce(tx, &img, logo.as_ref(), logo_sha.as_deref()) {
            Some(bytes) => {
                tx.keep_rendered(&source, img, &bytes)?;
            }
            None => tx.want_document(&img.id)?,
        }
    }
    Ok(())
}

/// The document's bytes rendered here, when they are exactly the ones it was issued with.
fn reproduce(tx: &Tx<'_>, img: &RowImage, logo: Option<&Logo>, logo_sha: Option<&str>) -> Option<Vec<u8>> {
    let text = |c: &str| img.cols.get(c).and_then(Json::as_str);
    let recipe: Recipe = serde_json::from_str(text("recipe")?).ok()?;
    if recipe.logo.as_deref() != logo_sha {
        return None;
    }
    let created: jiff::Zoned = recipe.created.parse().ok()?;
    let ctx = IssueContext {
        logo: logo.cloned(),
        logo_sha: recipe.logo,
        treatment_method: recipe.method,
        tz: created.time_zone().clone(),
        default_interest: recipe.interest,
        // Only the letter's own level is printed; the recipe holds its text.
        dunning_texts: std::array::from_fn(|_| recipe.text.clone()),
    };
    let invoice: InvoiceId = text("invoice_id")?.parse().ok()?;
    let subject = text("subject_id")?;
    let (bytes, number) = match text("kind")? {
        "invoice" if subject == invoice.to_string() => render_issued_invoice(tx, invoice, &ctx, &created).ok()?,
        "dunning_letter" => {
            let letters = tx.read().invoice(invoice).ok()?.dunning;
            let letter = letters.into_iter().find(|l| l.id.to_string() == subject)?;
            render_dunning_letter(tx, &letter, &ctx, &created).ok()?
        }
        _ => return None,
    };
    (Some(number.as_str()) == text("number") && Some(sha256_hex(&bytes).as_str()) == text("sha256")).then_some(bytes)
}

/// What became of a document waiting to be rendered, when its export asked for it.
pub(crate) enum Settled {
    /// None waits: the document is kept here, or was never sent as a hash.
    NoneWaiting,
    /// Rendered identically and kept now.
    Kept,
    /// It cannot be rendered identically here: it was asked for (once) and is on its way.
    Asked,
}

/// Renders the waiting document about `subject` now, or asks for it.
pub(crate) fn settle_one(tx: &mut Tx<'_>, subject: &str) -> Result<Settled> {
    let waiting = tx.read().documents_to_render()?;
    let is_it = |img: &RowImage| img.cols.get("subject_id").and_then(Json::as_str) == Some(subject);
    let Some((source, img)) = waiting.into_iter().find(|(_, img)| is_it(img)) else {
        return Ok(Settled::NoneWaiting);
    };
    let (logo, logo_sha) = usable_logo(tx.read().logo().unwrap_or(None));
    match reproduce(tx, &img, logo.as_ref(), logo_sha.as_deref()) {
        Some(bytes) => {
            tx.keep_rendered(&source, img, &bytes)?;
            Ok(Settled::Kept)
        }
        None => {
            tx.want_document(&img.id)?;
            Ok(Settled::Asked)
        }
    }
}
