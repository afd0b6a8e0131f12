//! Text beyond the Latin face: Noto Sans (Latin, Greek, Cyrillic) with Noto Sans Arabic and
//! Noto Sans Hebrew as fallbacks, chosen per character; the Unicode bidirectional algorithm
//! (`unicode-bidi`) for right-to-left runs; and shaping (`rustybuzz`, a port of HarfBuzz) for
//! Arabic's joined letter forms and for marks. A character no embedded face has (Chinese,
//! Japanese, emoji …) is drawn as the font's empty box and extracts as U+FFFD: never dropped.

use std::ops::Range;

use printpdf::ParsedFont;
use unicode_bidi::{bidi_class, BidiClass, BidiInfo};

pub const LATIN: usize = 0;
pub const ARABIC: usize = 1;
pub const HEBREW: usize = 2;
pub const FACES: usize = 3;

static REGULAR: [&[u8]; FACES] = [
    include_bytes!("../../../assets/fonts/NotoSans-Regular.ttf"),
    include_bytes!("../../../assets/fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("../../../assets/fonts/NotoSansHebrew-Regular.ttf"),
];
static BOLD: [&[u8]; FACES] = [
    include_bytes!("../../../assets/fonts/NotoSans-Bold.ttf"),
    include_bytes!("../../../assets/fonts/NotoSansArabic-Bold.ttf"),
    include_bytes!("../../../assets/fonts/NotoSansHebrew-Bold.ttf"),
];

const PT_PER_MM: f32 = 72.0 / 25.4;

/// One embedded face, parsed twice: by printpdf (to embed and subset it) and by rustybuzz (to
/// choose and place glyphs).
pub struct Face {
    pub parsed: ParsedFont,
    shaper: rustybuzz::Face<'static>,
    upem: f32,
}

impl Face {
    fn load(bytes: &'static [u8]) -> Option<Face> {
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())?;
        let shaper = rustybuzz::Face::from_slice(bytes, 0)?;
        let upem = shaper.units_per_em().max(1) as f32;
        Some(Face { parsed, shaper, upem })
    }

    fn covers(&self, c: char) -> bool {
        self.shaper.glyph_index(c).is_some()
    }

    /// Millimetres per font unit at `size` pt.
    fn scale(&self, size: f32) -> f32 {
        size / self.upem / PT_PER_MM
    }
}

/// The faces of one weight, indexed by `LATIN`, `ARABIC`, `HEBREW`.
pub type Set = [Face; FACES];

pub fn load() -> Option<(Set, Set)> {
    let set = |all: &[&'static [u8]; FACES]| -> Option<Set> {
        Some([Face::load(all[LATIN])?, Face::load(all[ARABIC])?, Face::load(all[HEBREW])?])
    };
    Some((set(&REGULAR)?, set(&BOLD)?))
}

/// A glyph placed on a line: `x` from the line's start and `rise` upwards, in mm; `text` is
/// what it stands for when the PDF's text is extracted.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// The face, or `None` for the Latin face's empty box (no face has the character).
    pub face: Option<usize>,
    pub gid: u16,
    pub x: f32,
    pub rise: f32,
    pub text: String,
}

#[derive(Debug, Default)]
pub struct Line {
    pub glyphs: Vec<Placed>,
    pub width: f32,
}

impl Line {
    pub fn has_missing(&self) -> bool {
        self.glyphs.iter().any(|g| g.face.is_none())
    }
}

fn right_to_left(c: char) -> bool {
    use BidiClass::*;
    matches!(bidi_class(c), R | AL | AN | RLE | RLO | RLI | FSI)
}

/// True when the first letter of `s` is Arabic or Hebrew (UAX #9's rule for a paragraph's
/// direction).
pub fn starts_right_to_left(s: &str) -> bool {
    s.chars()
        .map(bidi_class)
        .find(|b| matches!(b, BidiClass::L | BidiClass::R | BidiClass::AL))
        .is_some_and(|b| b != BidiClass::L)
}

/// True when the Latin face alone draws `s` left to right, the plain and common case.
pub fn is_plain(faces: &Set, s: &str) -> bool {
    s.chars().all(|c| !right_to_left(c) && faces[LATIN].parsed.lookup_glyph_index(c as u32).is_some())
}

/// Characters that draw nothing on their own (joiners, variation selectors, bidi controls).
fn invisible(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0xFE00..=0xFE0F | 0xFEFF | 0xE0000..=0xE0FFF)
}

/// Splits `s` (a run of one direction, in logical order) into pieces of one face each. A
/// neutral character (space, digit, mark) stays with the face before it when that face has
/// it, so an Arabic phrase is shaped as one piece.
fn itemize(faces: &Set, s: &str) -> Vec<(Option<usize>, Range<usize>)> {
    let mut pieces: Vec<(Option<usize>, Range<usize>)> = Vec::new();
    for (i, c) in s.char_indices() {
        let end = i + c.len_utf8();
        let previous = pieces.last().map(|p| p.0);
        let strong = matches!(bidi_class(c), BidiClass::L | BidiClass::R | BidiClass::AL);
        let face = match previous {
            Some(p) if !strong && (invisible(c) || p.is_some_and(|f| faces[f].covers(c))) => p,
            _ => (0..FACES).find(|&f| faces[f].covers(c)),
        };
        match pieces.last_mut() {
            Some(last) if last.0 == face => last.1.end = end,
            _ => pieces.push((face, i..end)),
        }
    }
    pieces
}

/// Lays out one line of `s` at `size` pt: faces per character, runs in visual order, glyphs
/// shaped and placed.
pub fn layout(faces: &Set, s: &str, size: f32) -> Line {
    let mut line = Line::default();
    let bidi = BidiInfo::new(s, None);
    for para in &bidi.paragraphs {
        let (levels, runs) = bidi.visual_runs(para, para.range.clone());
        for run in runs {
            let rtl = levels.get(run.start).is_some_and(|l| l.is_rtl());
            let mut pieces = itemize(faces, &s[run.clone()]);
            if rtl {
                pieces.reverse();
            }
            for (face, range) in pieces {
                let text = &s[run.start + range.start..run.start + range.end];
                match face {
                    Some(f) => shape(&faces[f], f, text, rtl, size, &mut line),
                    None => boxes(&faces[LATIN], text, rtl, size, &mut line),
                }
            }
        }
    }
    line
}

fn shape(face: &Face, index: usize, text: &str, rtl: bool, size: f32, line: &mut Line) {
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.set_direction(if rtl { rustybuzz::Direction::RightToLeft } else { rustybuzz::Direction::LeftToRight });
    // One cluster per character where the font allows, so each glyph extracts as its own text.
    buffer.set_cluster_level(rustybuzz::BufferClusterLevel::Characters);
    let shaped = rustybuzz::shape(&face.shaper, &[], buffer);
    let mut starts: Vec<usize> = shaped.glyph_infos().iter().map(|g| g.cluster as usize).collect();
    starts.sort_unstable();
    starts.dedup();
    let scale = face.scale(size);
    let mut seen = Vec::new();
    for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
        let start = info.cluster as usize;
        let end = starts.iter().find(|&&s| s > start).copied().unwrap_or(text.len());
        // A cluster drawn with several glyphs extracts once, with its first glyph.
        let first = !seen.contains(&start);
        seen.push(start);
        line.glyphs.push(Placed {
            face: Some(index),
            gid: u16::try_from(info.glyph_id).unwrap_or(0),
            x: line.width + pos.x_offset as f32 * scale,
            rise: pos.y_offset as f32 * scale,
            text: if first { extracted(text.get(start..end).unwrap_or_default(), rtl) } else { String::new() },
        });
        line.width += pos.x_advance as f32 * scale;
    }
}

/// What a glyph extracts as. A right-to-left ligature (lam-alef: two letters, one glyph) is
/// stored reversed: readers such as pdftotext reverse every character of a right-to-left word
/// into logical order, the ligature's own characters included.
fn extracted(cluster: &str, rtl: bool) -> String {
    if rtl && cluster.chars().nth(1).is_some() {
        cluster.chars().rev().collect()
    } else {
        cluster.to_string()
    }
}

/// The empty box for each visible character no face has, at the Latin face's `.notdef` width.
fn boxes(latin: &Face, text: &str, rtl: bool, size: f32, line: &mut Line) {
    let advance = f32::from(latin.shaper.glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(0)).unwrap_or(0));
    let count = text.chars().filter(|&c| !invisible(c)).count();
    let _ = rtl; // boxes look alike in either order
    for _ in 0..count {
        line.glyphs.push(Placed { face: None, gid: 0, x: line.width, rise: 0.0, text: "\u{FFFD}".into() });
        line.width += advance * latin.scale(size);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faces() -> Set {
        load().unwrap().0
    }

    #[test]
    fn each_character_gets_a_face_that_has_it() {
        let f = faces();
        let pieces = itemize(&f, "Anna مرحبا بك שלום 日本");
        let faces_of: Vec<Option<usize>> = pieces.iter().map(|p| p.0).collect();
        assert_eq!(faces_of, [Some(LATIN), Some(ARABIC), Some(HEBREW), None], "spaces stay with their phrase");
        assert!(is_plain(&f, "Jörg Müller-Größ, 1.234,56 € § Ελλάδα Москва"));
        assert!(!is_plain(&f, "Jörg מירב"));
        assert!(!is_plain(&f, "日本"));
    }

    #[test]
    fn arabic_is_joined_and_laid_out_right_to_left() {
        let f = faces();
        let isolated: Vec<u16> = "سمير".chars().map(|c| layout(&f, &c.to_string(), 10.0).glyphs[0].gid).collect();
        let word = layout(&f, "سمير", 10.0);
        assert_eq!(word.glyphs.len(), 4);
        // Visual order: the last letter is drawn first (leftmost), the first letter last.
        assert_eq!(word.glyphs[3].text, "س");
        assert_eq!(word.glyphs[0].text, "ر");
        let joined: Vec<u16> = word.glyphs.iter().rev().map(|g| g.gid).collect();
        assert_ne!(joined, isolated, "contextual forms, not isolated letters");
        assert!(word.glyphs.windows(2).all(|w| w[0].x < w[1].x));
        assert!(word.width > 0.0 && !word.has_missing());
    }

    #[test]
    fn hebrew_runs_right_to_left_inside_a_german_sentence() {
        let f = faces();
        let line = layout(&f, "Name: דוד כהן (neu)", 10.0);
        let texts: Vec<&str> = line.glyphs.iter().map(|g| g.text.as_str()).collect();
        let joined = texts.concat();
        assert!(joined.starts_with("Name: "), "{joined}");
        assert!(joined.contains("ןהכ דוד"), "the Hebrew words in visual order: {joined}");
        assert!(joined.ends_with(" (neu)"), "{joined}");
    }

    #[test]
    fn characters_no_face_has_become_visible_boxes() {
        let f = faces();
        let line = layout(&f, "王芳 😀\u{FE0F}", 10.0);
        let missing: Vec<&Placed> = line.glyphs.iter().filter(|g| g.face.is_none()).collect();
        assert_eq!(missing.len(), 3, "two ideographs and one emoji; the variation selector draws nothing");
        assert!(missing.iter().all(|g| g.gid == 0 && g.text == "\u{FFFD}"));
        assert!(line.width > 0.0);
    }
}
