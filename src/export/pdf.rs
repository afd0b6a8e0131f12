//! A small A4 page writer on top of printpdf: absolute text (left or right aligned by summing
//! glyph advances, since printpdf has no layout engine without its `html` feature), wrapped
//! paragraphs, rules, filled boxes, tables that continue on new pages, and a page footer.
//! Positions are millimetres from the top-left corner, as one designs a letter. Text in Latin,
//! Greek and Cyrillic takes the plain path; Arabic, Hebrew and characters no face has go
//! through `pdf/script.rs` (fallback faces, right-to-left order, shaping, visible boxes).

pub mod archive;
mod script;
pub mod stamp;

use std::sync::OnceLock;

use printpdf::{
    Codepoint, Color, CurTransMat, FontId, Greyscale, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, RawImage, RawImageData, RawImageFormat, TextItem,
    TextMatrix, WindingOrder, XObject, XObjectId, XObjectTransform,
};

use crate::domain::logo::{Channels, Logo};
use crate::error::{Error, Result};

pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;
pub const LEFT: f32 = 22.0;
pub const RIGHT: f32 = PAGE_W - 18.0;
const TOP: f32 = 20.0;
const BOTTOM: f32 = PAGE_H - 22.0;
const PT_PER_MM: f32 = 72.0 / 25.4;
/// The gap between a table's columns.
const CELL_PAD: f32 = 2.0;

/// Printed on a page that shows a character no embedded font has, after the box itself.
const MISSING_NOTE: &str =
    " Zeichen ohne Schrift in diesem PDF (im Datensatz unverändert) · a character this PDF has no font for (unchanged in the record)";

struct Fonts {
    regular: script::Set,
    bold: script::Set,
}

/// Parsed once per process: parsing costs more than rendering a one-page invoice.
fn fonts() -> Result<&'static Fonts> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| script::load().map(|(regular, bold)| Fonts { regular, bold }))
        .as_ref()
        .ok_or_else(|| Error::Render { detail: "embedded font does not parse".into() })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One table column: width in mm and alignment.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub width: f32,
    pub align: Align,
}

pub struct Doc {
    doc: PdfDocument,
    /// Per weight (regular, bold) and face; a fallback face joins the document when first used.
    ids: [[Option<FontId>; script::FACES]; 2],
    fonts: &'static Fonts,
    pages: Vec<Vec<Op>>,
    /// Pages that show a character no embedded font has (they get `MISSING_NOTE`).
    missing_on: Vec<usize>,
    /// The flowing cursor: the baseline of the next line, mm from the top.
    pub y: f32,
    footer: String,
    /// Printed atop every page after the first (the document's title and number).
    running_head: String,
}

/// Adds a face under a name of our own: printpdf's `add_font` names it at random, and the name
/// goes into the file (and orders its fonts), so the same document would never render the same
/// bytes twice. Another computer renders a kept invoice again and checks it by its hash.
fn add_font(doc: &mut PdfDocument, bold: bool, face: usize, parsed: &printpdf::ParsedFont) -> FontId {
    // The first six letters become the subset's tag (`ABCDEF+NotoSans`): upper case, one per face.
    let letter = char::from(b'A' + (2 * face + usize::from(bold)) as u8 % 26);
    let id = FontId(format!("TRESR{letter}"));
    doc.resources.fonts.map.insert(id.clone(), printpdf::PdfFont::new(parsed.clone()));
    id
}

impl Doc {
    pub fn new(title: &str) -> Result<Doc> {
        let fonts = fonts()?;
        let mut doc = PdfDocument::new(title);
        doc.metadata.info.creator = "Tresor".into();
        doc.metadata.info.producer = "Tresor".into();
        let mut ids: [[Option<FontId>; script::FACES]; 2] = Default::default();
        ids[0][script::LATIN] = Some(add_font(&mut doc, false, script::LATIN, &fonts.regular[script::LATIN].parsed));
        ids[1][script::LATIN] = Some(add_font(&mut doc, true, script::LATIN, &fonts.bold[script::LATIN].parsed));
        Ok(Doc {
            doc,
            ids,
            fonts,
            pages: vec![Vec::new()],
            missing_on: Vec::new(),
            y: TOP,
            footer: String::new(),
            running_head: String::new(),
        })
    }

    fn faces(&self, bold: bool) -> &'static script::Set {
        if bold {
            &self.fonts.bold
        } else {
            &self.fonts.regular
        }
    }

    /// The document's id for `face`, adding the face when it is first used: a PDF only embeds
    /// (a subset of) the faces it shows.
    fn font_id(&mut self, bold: bool, face: usize) -> FontId {
        let faces = self.faces(bold);
        let doc = &mut self.doc;
        self.ids[usize::from(bold)][face].get_or_insert_with(|| add_font(doc, bold, face, &faces[face].parsed)).clone()
    }

    /// Text printed at the foot of every page, with the page number.
    /// Text atop pages 2 and later, so a loose second page still says what it belongs to.
    pub fn set_running_head(&mut self, text: &str) {
        self.running_head = text.to_string();
    }

    pub fn set_footer(&mut self, text: &str) {
        self.footer = text.to_string();
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        // `pages` always has at least one page: `new` creates it and nothing removes one.
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Width of `s` in mm at `size` pt.
    pub fn width(&self, s: &str, size: f32, bold: bool) -> f32 {
        let faces = self.faces(bold);
        if !script::is_plain(faces, s) {
            return script::layout(faces, s, size).width;
        }
        let f = &faces[script::LATIN].parsed;
        let upem = f.font_metrics.units_per_em.max(1) as f32;
        let units: u32 = s
            .chars()
            .map(|c| f.lookup_glyph_index(c as u32).map(|g| f.get_horizontal_advance(g) as u32).unwrap_or(0))
            .sum();
        units as f32 / upem * size / PT_PER_MM
    }

    /// Draws `s` with its baseline at `y` (mm from top).
    pub fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, s: &str) {
        if s.is_empty() {
            return;
        }
        if !script::is_plain(self.faces(bold), s) {
            return self.text_shaped(x, y, size, bold, s);
        }
        let font = PdfFontHandle::External(self.font_id(bold, script::LATIN));
        let pos = TextMatrix::Translate(Pt(x * PT_PER_MM), Pt((PAGE_H - y) * PT_PER_MM));
        self.ops().extend([
            Op::StartTextSection,
            Op::SetFont { font, size: Pt(size) },
            Op::SetTextMatrix { matrix: pos },
            Op::ShowText { items: vec![TextItem::Text(s.to_string())] },
            Op::EndTextSection,
        ]);
    }

    /// Right-to-left runs, fallback faces and boxes: each glyph placed where the layout put
    /// it, with the text it stands for, so copying and `pdftotext` get the characters back.
    fn text_shaped(&mut self, x: f32, y: f32, size: f32, bold: bool, s: &str) {
        let line = script::layout(self.faces(bold), s, size);
        if line.has_missing() {
            let page = self.pages.len() - 1;
            if !self.missing_on.contains(&page) {
                self.missing_on.push(page);
            }
        }
        let mut ops = vec![Op::StartTextSection];
        let mut current = None;
        for g in line.glyphs {
            let face = g.face.unwrap_or(script::LATIN);
            if current != Some(face) {
                ops.push(Op::SetFont { font: PdfFontHandle::External(self.font_id(bold, face)), size: Pt(size) });
                current = Some(face);
            }
            let (gx, gy) = ((x + g.x) * PT_PER_MM, (PAGE_H - y + g.rise) * PT_PER_MM);
            ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(gx), Pt(gy)) });
            let cid = (!g.text.is_empty()).then_some(g.text);
            ops.push(Op::ShowText {
                items: vec![TextItem::GlyphIds(vec![Codepoint { gid: g.gid, offset: 0.0, cid }])],
            });
        }
        ops.push(Op::EndTextSection);
        self.ops().extend(ops);
    }

    pub fn text_right(&mut self, right: f32, y: f32, size: f32, bold: bool, s: &str) {
        let w = self.width(s, size, bold);
        self.text(right - w, y, size, bold, s);
    }

    /// Breaks `s` into lines no wider than `width` mm (at spaces; a longer word is cut).
    pub fn wrap(&self, s: &str, width: f32, size: f32, bold: bool) -> Vec<String> {
        let mut lines = Vec::new();
        for para in s.split('\n') {
            let mut line = String::new();
            // Widths add up word by word (no kerning across a space), so a long paragraph is
            // measured once, not once per word for everything before it.
            let mut line_w = 0.0;
            for word in para.split(' ') {
                let added = if line.is_empty() {
                    self.width(word, size, bold)
                } else {
                    self.width(&format!(" {word}"), size, bold)
                };
                if line_w + added <= width {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(word);
                    line_w += added;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.width(&piece, size, bold) > width {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line_w = self.width(&piece, size, bold);
                line = piece;
            }
            lines.push(line);
        }
        lines
    }

    /// A wrapped paragraph at the cursor, moving it down; starts a new page when needed.
    /// A right-to-left paragraph (one that starts in Arabic or Hebrew) is set flush right, and
    /// each of its lines keeps the paragraph's direction, whatever word a line starts with.
    pub fn paragraph(&mut self, x: f32, width: f32, size: f32, bold: bool, s: &str) {
        let lead = size * 0.5;
        for para in s.split('\n') {
            let plain = script::is_plain(self.faces(bold), para);
            let rtl = !plain && script::starts_right_to_left(para);
            for l in self.wrap(para, width, size, bold) {
                self.ensure(lead);
                match (plain, rtl) {
                    (true, _) => self.text(x, self.y, size, bold, &l),
                    // An invisible mark of the paragraph's direction heads every line.
                    (false, false) => self.text(x, self.y, size, bold, &format!("\u{200E}{l}")),
                    (false, true) => self.text_right(x + width, self.y, size, bold, &format!("\u{200F}{l}")),
                }
                self.y += lead;
            }
        }
    }

    pub fn rule(&mut self, x1: f32, x2: f32, y: f32, thickness_pt: f32) {
        let p = |x: f32| LinePoint { p: Point::new(Mm(x), Mm(PAGE_H - y)), bezier: false };
        self.ops().extend([
            Op::SetOutlineThickness { pt: Pt(thickness_pt) },
            Op::DrawLine { line: Line { points: vec![p(x1), p(x2)], is_closed: false } },
        ]);
    }

    /// Filled rectangles (x, y from top, w, h in mm) as one path, e.g. a QR code's modules.
    pub fn fill_rects(&mut self, rects: &[(f32, f32, f32, f32)], grey: f32) {
        let rings = rects
            .iter()
            .map(|&(x, y, w, h)| {
                let p = |x: f32, y: f32| LinePoint { p: Point::new(Mm(x), Mm(PAGE_H - y)), bezier: false };
                PolygonRing { points: vec![p(x, y), p(x + w, y), p(x + w, y + h), p(x, y + h)] }
            })
            .collect();
        self.ops().extend([
            Op::SetFillColor { col: Color::Greyscale(Greyscale { percent: grey, icc_profile: None }) },
            Op::DrawPolygon { polygon: Polygon { rings, mode: PaintMode::Fill, winding_order: WindingOrder::NonZero } },
            Op::SetFillColor { col: Color::Greyscale(Greyscale { percent: 0.0, icc_profile: None }) },
        ]);
    }

    /// Black cells of a grid (a QR code): `cells` are (column, row, width, height) in modules,
    /// drawn with the top-left corner at (`x`, `y`) mm and `module` mm per cell. A transform
    /// scales the modules, so the path is written in small integers: a third of the bytes.
    pub fn fill_grid(&mut self, x: f32, y: f32, module: f32, cells: &[(u32, u32, u32, u32)]) {
        let p = |c: u32, r: u32| LinePoint { p: Point { x: Pt(c as f32), y: Pt(r as f32) }, bezier: false };
        let rings = cells
            .iter()
            .map(|&(c, r, w, h)| PolygonRing { points: vec![p(c, r), p(c + w, r), p(c + w, r + h), p(c, r + h)] })
            .collect();
        let m = module * PT_PER_MM;
        self.ops().extend([
            Op::SaveGraphicsState,
            Op::SetTransformationMatrix {
                matrix: CurTransMat::Raw([m, 0.0, 0.0, -m, x * PT_PER_MM, (PAGE_H - y) * PT_PER_MM]),
            },
            Op::DrawPolygon { polygon: Polygon { rings, mode: PaintMode::Fill, winding_order: WindingOrder::NonZero } },
            Op::RestoreGraphicsState,
        ]);
    }

    /// Draws `logo` inside the box whose top-right corner is (`right`, `top`) mm, as large as
    /// `max_w` × `max_h` mm allow without distorting it.
    pub fn image_top_right(&mut self, logo: &Logo, right: f32, top: f32, max_w: f32, max_h: f32) {
        let (w, h) = (logo.width as f32, logo.height as f32);
        let scale = (max_w / w).min(max_h / h);
        let (w_mm, h_mm) = (w * scale, h * scale);
        let data_format = match logo.channels {
            Channels::Gray => RawImageFormat::R8,
            Channels::GrayAlpha => RawImageFormat::RG8,
            Channels::Rgb => RawImageFormat::RGB8,
            Channels::Rgba => RawImageFormat::RGBA8,
        };
        let raw = RawImage {
            pixels: RawImageData::U8(logo.pixels.clone()),
            width: logo.width as usize,
            height: logo.height as usize,
            data_format,
            tag: Vec::new(),
        };
        // A name of our own, not printpdf's random one, as for fonts (see `add_font`).
        let id = XObjectId(format!("TresorImg{}", self.doc.resources.xobjects.map.len()));
        self.doc.resources.xobjects.map.insert(id.clone(), XObject::Image(raw));
        let (x, y) = ((right - w_mm) * PT_PER_MM, (PAGE_H - top - h_mm) * PT_PER_MM);
        // An image fills the unit square: the matrix alone sizes and places it.
        self.ops().extend([
            Op::SaveGraphicsState,
            Op::SetTransformationMatrix {
                matrix: CurTransMat::Raw([w_mm * PT_PER_MM, 0.0, 0.0, h_mm * PT_PER_MM, x, y]),
            },
            Op::UseXobject { id, transform: XObjectTransform { no_auto_scale: true, ..Default::default() } },
            Op::RestoreGraphicsState,
        ]);
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` mm still fit above the bottom margin.
    pub fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM {
            self.new_page();
        }
    }

    /// A table at the cursor: a bold header row, then rows; the header repeats on each new page.
    pub fn table(&mut self, x: f32, cols: &[Col], header: &[String], rows: &[Vec<String>], size: f32) {
        let lead = size * 0.52;
        let total: f32 = cols.iter().map(|c| c.width).sum();
        let draw_header = |d: &mut Doc| {
            d.row(x, cols, header, size, true);
            d.rule(x, x + total, d.y - lead + 1.2, 0.6);
            d.y += 1.0;
        };
        self.ensure(lead * 3.0);
        draw_header(self);
        for r in rows {
            // A cell may wrap; the row is as tall as its tallest cell.
            let wrapped: Vec<Vec<String>> =
                r.iter().zip(cols).map(|(s, c)| self.wrap(s, c.width - CELL_PAD, size, false)).collect();
            let height = wrapped.iter().map(Vec::len).max().unwrap_or(1) as f32 * lead;
            if self.y + height > BOTTOM {
                self.new_page();
                draw_header(self);
            }
            let top = self.y;
            let mut cx = x;
            for (i, (lines, c)) in wrapped.iter().zip(cols).enumerate() {
                for (k, l) in lines.iter().enumerate() {
                    self.cell(cx, i, c, top + k as f32 * lead, size, false, l);
                }
                cx += c.width;
            }
            self.y = top + height;
        }
        self.rule(x, x + total, self.y - lead + 1.2, 0.6);
        self.y += 1.5;
    }

    /// One row of cells at the cursor (no wrapping), moving the cursor down one line.
    pub fn row(&mut self, x: f32, cols: &[Col], cells: &[String], size: f32, bold: bool) {
        let mut cx = x;
        for (i, (s, c)) in cells.iter().zip(cols).enumerate() {
            self.cell(cx, i, c, self.y, size, bold, s);
            cx += c.width;
        }
        self.y += size * 0.52;
    }

    /// A cell's text: right-aligned flush with the column's right edge, left-aligned after a
    /// gap (except in the first column), so neighbouring cells never touch.
    #[expect(clippy::too_many_arguments, reason = "position, column, style and text: all needed")]
    fn cell(&mut self, cx: f32, index: usize, c: &Col, y: f32, size: f32, bold: bool, s: &str) {
        match c.align {
            Align::Left if index == 0 => self.text(cx, y, size, bold, s),
            Align::Left => self.text(cx + CELL_PAD, y, size, bold, s),
            Align::Right => self.text_right(cx + c.width, y, size, bold, s),
        }
    }

    /// Serialises the document made now (a report, a preview), subsetting the fonts.
    pub fn finish(self) -> Result<Vec<u8>> {
        self.finish_with(&archive::Meta::now())
    }

    /// Serialises the document with its creation date, id and (for PDF/A-3) its archival parts.
    pub fn finish_with(mut self, meta: &archive::Meta) -> Result<Vec<u8>> {
        let n = self.pages.len();
        let footer = std::mem::take(&mut self.footer);
        let mut pages = Vec::with_capacity(n);
        for (i, ops) in std::mem::take(&mut self.pages).into_iter().enumerate() {
            self.pages = vec![ops];
            let label = match (footer.is_empty(), script::is_plain(&self.fonts.regular, &footer)) {
                (true, _) => format!("{} / {n}", i + 1),
                (false, true) => format!("{footer}   ·   {} / {n}", i + 1),
                // Isolated, so an Arabic or Hebrew name cannot pull the page number into its run.
                (false, false) => format!("\u{2068}{footer}\u{2069}   ·   {} / {n}", i + 1),
            };
            let w = self.width(&label, 7.5, false);
            self.text((PAGE_W - w) / 2.0, PAGE_H - 10.0, 7.5, false, &label);
            if i > 0 && !self.running_head.is_empty() {
                let head = self.running_head.clone();
                self.text(LEFT, 12.0, 8.5, true, &head);
                self.rule(LEFT, RIGHT, 14.0, 0.3);
            }
            if self.missing_on.contains(&i) {
                // The box itself, then what it means: a box is never left unexplained.
                let font = PdfFontHandle::External(self.font_id(false, script::LATIN));
                let pos = TextMatrix::Translate(Pt(LEFT * PT_PER_MM), Pt(14.0 * PT_PER_MM));
                let notdef = Codepoint { gid: 0, offset: 0.0, cid: Some("\u{FFFD}".into()) };
                self.ops().extend([
                    Op::StartTextSection,
                    Op::SetFont { font, size: Pt(7.0) },
                    Op::SetTextMatrix { matrix: pos },
                    Op::ShowText { items: vec![TextItem::GlyphIds(vec![notdef])] },
                    Op::EndTextSection,
                ]);
                self.text(LEFT + 2.2, PAGE_H - 14.0, 7.0, false, MISSING_NOTE);
            }
            let ops = std::mem::take(&mut self.pages).pop().unwrap_or_default();
            pages.push(PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops));
        }
        let opts = PdfSaveOptions { subset_fonts: true, ..Default::default() };
        let mut warnings = Vec::new();
        let title = self.doc.metadata.info.document_title.clone();
        let pdf = self.doc.with_pages(pages);
        // What `PdfDocument::save` does, with our metadata put in between.
        let mut lo = printpdf::to_lopdf_doc(pdf, &opts, &mut warnings);
        archive::apply(&mut lo, &title, meta)?;
        lo.compress();
        let mut bytes = Vec::new();
        lo.save_to(&mut bytes).map_err(|e| Error::Render { detail: format!("PDF not written: {e}") })?;
        if bytes.is_empty() {
            return Err(Error::Render { detail: "empty PDF".into() });
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyphs_the_font_lacks_do_not_break_a_document() {
        let mut d = Doc::new("t").unwrap();
        d.text(LEFT, 30.0, 10.0, false, "Žofia Новак 日本 😀 ‰");
        d.paragraph(LEFT, 40.0, 10.0, true, &"Donaudampfschifffahrtsgesellschaft".repeat(4));
        assert!(d.y > 40.0, "a word wider than the column is cut onto several lines");
        let bytes = d.finish().unwrap();
        assert!(bytes.starts_with(b"%PDF"));
    }

    #[test]
    fn wrap_keeps_words_and_cuts_only_what_cannot_fit() {
        let d = Doc::new("t").unwrap();
        let lines = d.wrap("eins zwei drei vier fünf sechs", 20.0, 10.0, false);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), "eins zwei drei vier fünf sechs");
        assert!(lines.iter().all(|l| d.width(l, 10.0, false) <= 20.0));
        assert_eq!(d.wrap("", 20.0, 10.0, false), vec![String::new()]);
    }
}
