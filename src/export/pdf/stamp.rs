//! A copy mark ("Zweitschrift") on a rendered document, added as a PDF incremental update: the
//! rendered bytes stay the file's first part, unchanged, and a reader shows the mark on page 1,
//! so an insurer can tell a reprint of a claim form from the one submitted. An update rather
//! than a flag in the layout: any document can be marked, and the layout code stays one path.
//!
//! The mark uses the standard Helvetica (not embedded): a marked copy is not an archival original.

use lopdf::{Dictionary, Document, IncrementalDocument, Object, Stream};

use crate::error::{Error, Result};

fn bad(e: impl std::fmt::Display) -> Error {
    Error::Render { detail: format!("copy mark: {e}") }
}

/// Latin-1 text for a PDF literal string in WinAnsi (the mark's words are ASCII or German).
fn literal(s: &str) -> Vec<u8> {
    let mut o = Vec::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '(' | ')' | '\\' => {
                o.push(b'\\');
                o.push(c as u8);
            }
            c if (c as u32) < 0x100 => o.push(c as u32 as u8),
            _ => o.push(b'?'),
        }
    }
    o
}

/// `kept` (a PDF we rendered) with `label` printed at the top right of page 1, in red, as an incremental update.
pub fn mark_copy(kept: &[u8], label: &str) -> Result<Vec<u8>> {
    let prev = Document::load_mem(kept).map_err(bad)?;
    let page = *prev.get_pages().get(&1).ok_or_else(|| bad("no page"))?;
    let width = prev
        .get_dictionary(page)
        .and_then(|p| p.get(b"MediaBox"))
        .and_then(Object::as_array)
        .ok()
        .and_then(|b| b.get(2).and_then(|w| w.as_float().ok()))
        .unwrap_or(595.0);
    let mut inc = IncrementalDocument::create_from(kept.to_vec(), prev);

    let mut font = Dictionary::new();
    font.set("Type", "Font");
    font.set("Subtype", "Type1");
    font.set("BaseFont", "Helvetica");
    font.set("Encoding", "WinAnsiEncoding");
    let font_id = inc.new_document.add_object(font);

    // The page's font dictionary: inline in its resources, or an object of its own.
    let fonts = inc.get_or_create_resources(page).map_err(bad)?.as_dict_mut().map_err(bad)?;
    match fonts.get(b"Font").ok().cloned() {
        Some(Object::Reference(fid)) => {
            inc.opt_clone_object_to_new_document(fid).map_err(bad)?;
            let d = inc.new_document.get_object_mut(fid).and_then(Object::as_dict_mut).map_err(bad)?;
            d.set("TresorCopy", Object::Reference(font_id));
        }
        Some(Object::Dictionary(mut d)) => {
            d.set("TresorCopy", Object::Reference(font_id));
            fonts.set("Font", d);
        }
        _ => {
            let mut d = Dictionary::new();
            d.set("TresorCopy", Object::Reference(font_id));
            fonts.set("Font", d);
        }
    }

    // The original content runs inside q … Q, so whatever state it leaves cannot move the mark.
    let size = 14.0_f32;
    let x = width - 40.0 - label.chars().count() as f32 * size * 0.6;
    let mut stamp = b"Q\nq BT /TresorCopy 14 Tf 0.75 0 0 rg ".to_vec();
    stamp.extend_from_slice(format!("1 0 0 1 {x:.1} 812 Tm (").as_bytes());
    stamp.extend_from_slice(&literal(label));
    stamp.extend_from_slice(b") Tj ET Q\n");
    let open_id = inc.new_document.add_object(Stream::new(Dictionary::new(), b"q\n".to_vec()));
    let stamp_id = inc.new_document.add_object(Stream::new(Dictionary::new(), stamp));
    let page_dict = inc.new_document.get_object_mut(page).and_then(Object::as_dict_mut).map_err(bad)?;
    let mut contents = vec![Object::Reference(open_id)];
    match page_dict.get(b"Contents").ok().cloned() {
        Some(Object::Array(a)) => contents.extend(a),
        Some(o) => contents.push(o),
        None => {}
    }
    contents.push(Object::Reference(stamp_id));
    page_dict.set("Contents", Object::Array(contents));

    let mut out = Vec::with_capacity(kept.len() + 2048);
    inc.save_to(&mut out).map_err(bad)?;
    Ok(out)
}
