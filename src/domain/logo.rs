//! The practice's logo for the letterhead of invoices and letters. Only PNG is taken: it is
//! lossless, every program exports it, and one small decoder covers it. The file's bytes are
//! what is stored and synced; the pixels are decoded when a document is rendered.

use std::io::Cursor;

use crate::domain::Field;
use crate::error::{Error, Problem, Result};

/// A letterhead logo needs no more: a larger file only makes every PDF heavier.
pub const MAX_BYTES: usize = 512 * 1024;
/// Pixels per side; 1,200 px is 40 mm at 760 dpi, far beyond print.
pub const MAX_SIDE: u32 = 1200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channels {
    Gray,
    GrayAlpha,
    Rgb,
    Rgba,
}

/// A decoded logo: 8-bit samples, row after row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub width: u32,
    pub height: u32,
    pub channels: Channels,
    pub pixels: Vec<u8>,
}

impl Logo {
    /// Decodes and checks a PNG file's bytes. Anything else, or a PNG too large to be a logo,
    /// is `record.invalid` on the field `logo`.
    pub fn from_png(bytes: &[u8]) -> Result<Logo> {
        if bytes.len() > MAX_BYTES {
            return Err(Error::invalid(Field::Logo, Problem::TooLong));
        }
        let bad = |_| Error::invalid(Field::Logo, Problem::BadFormat);
        let mut decoder = png::Decoder::new(Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::normalize_to_color8());
        let mut reader = decoder.read_info().map_err(bad)?;
        let (w, h) = (reader.info().width, reader.info().height);
        if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE {
            return Err(Error::invalid(Field::Logo, Problem::OutOfRange));
        }
        let size = reader.output_buffer_size().ok_or(Error::invalid(Field::Logo, Problem::OutOfRange))?;
        let mut pixels = vec![0; size];
        let frame = reader.next_frame(&mut pixels).map_err(bad)?;
        pixels.truncate(frame.buffer_size());
        let channels = match frame.color_type {
            png::ColorType::Grayscale => Channels::Gray,
            png::ColorType::GrayscaleAlpha => Channels::GrayAlpha,
            png::ColorType::Rgb => Channels::Rgb,
            png::ColorType::Rgba => Channels::Rgba,
            // normalize_to_color8 expands palettes, so this is a decoder we do not know.
            png::ColorType::Indexed => return Err(Error::invalid(Field::Logo, Problem::BadFormat)),
        };
        let row = frame.line_size;
        if row != w as usize * channels.count() {
            return Err(Error::invalid(Field::Logo, Problem::BadFormat));
        }
        Ok(Logo { width: w, height: h, channels, pixels })
    }
}

impl Channels {
    pub fn count(self) -> usize {
        match self {
            Channels::Gray => 1,
            Channels::GrayAlpha => 2,
            Channels::Rgb => 3,
            Channels::Rgba => 4,
        }
    }
}
