//! A thin sheet writer over rust_xlsxwriter for our workbooks: money cells in `#,##0.00 €`,
//! dates as real dates, and formulas whose cached result is set from integer cents, so a viewer
//! that does not recalculate shows the same number the PDF prints.

use jiff::civil::Date;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, Worksheet, XlsxError};

use crate::domain::money::Cents;
use crate::domain::practice::Language;
use crate::error::{Error, Result};

use super::text::Locale;

pub const MONEY: &str = "#,##0.00 €";

pub fn err(e: XlsxError) -> Error {
    Error::Render { detail: format!("xlsx: {e}") }
}

/// The one place an amount becomes a float: the XLSX file format stores numbers as doubles.
/// Going through the decimal text gives the double nearest to the exact amount.
pub fn num(c: Cents) -> f64 {
    c.to_string().parse().unwrap_or(0.0)
}

/// A1-style column letters for 0-based `col` (0 → A, 26 → AA).
pub fn col_name(col: u16) -> String {
    crate::billing::number::letters(col as u32 + 1)
}

/// `B12`-style reference for 0-based row and column.
pub fn cell(row: u32, col: u16) -> String {
    format!("{}{}", col_name(col), row + 1)
}

pub struct Sheet<'a> {
    pub ws: &'a mut Worksheet,
    money: Format,
    money_bold: Format,
    date: Format,
    bold: Format,
    title: Format,
    percent: Format,
}

impl<'a> Sheet<'a> {
    pub fn new(wb: &'a mut Workbook, name: &str, lang: Language) -> Result<Sheet<'a>> {
        let ws = wb.add_worksheet();
        ws.set_name(name).map_err(err)?;
        let date_fmt = match lang {
            Language::De => "dd.mm.yyyy",
            Language::En => "dd/mm/yyyy",
        };
        Ok(Sheet {
            ws,
            money: Format::new().set_num_format(MONEY),
            money_bold: Format::new().set_num_format(MONEY).set_bold(),
            date: Format::new().set_num_format(date_fmt),
            bold: Format::new().set_bold(),
            title: Format::new().set_bold().set_font_size(14),
            percent: Format::new().set_num_format("0.0#%"),
        })
    }

    pub fn widths(&mut self, widths: &[f64]) -> Result<()> {
        for (i, w) in widths.iter().enumerate() {
            self.ws.set_column_width(i as u16, *w).map_err(err)?;
        }
        Ok(())
    }

    pub fn title(&mut self, row: u32, s: &str) -> Result<()> {
        self.ws.write_string_with_format(row, 0, s, &self.title).map_err(err)?;
        Ok(())
    }

    pub fn text(&mut self, row: u32, col: u16, s: &str) -> Result<()> {
        if !s.is_empty() {
            self.ws.write_string(row, col, s).map_err(err)?;
        }
        Ok(())
    }

    pub fn bold(&mut self, row: u32, col: u16, s: &str) -> Result<()> {
        self.ws.write_string_with_format(row, col, s, &self.bold).map_err(err)?;
        Ok(())
    }

    /// A header row in bold.
    pub fn header(&mut self, row: u32, cols: &[&str]) -> Result<()> {
        for (i, h) in cols.iter().enumerate() {
            self.bold(row, i as u16, h)?;
        }
        Ok(())
    }

    pub fn int(&mut self, row: u32, col: u16, n: i64) -> Result<()> {
        self.ws.write_number(row, col, n as f64).map_err(err)?;
        Ok(())
    }

    pub fn money(&mut self, row: u32, col: u16, c: Cents) -> Result<()> {
        self.ws.write_number_with_format(row, col, num(c), &self.money).map_err(err)?;
        Ok(())
    }

    /// A rate in basis points as a percentage cell (2000 → 20 %).
    pub fn rate(&mut self, row: u32, col: u16, bp: u32) -> Result<()> {
        self.ws.write_number_with_format(row, col, bp as f64 / 10_000.0, &self.percent).map_err(err)?;
        Ok(())
    }

    pub fn date(&mut self, row: u32, col: u16, d: Option<Date>) -> Result<()> {
        if let Some(d) = d {
            let x = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).map_err(err)?;
            self.ws.write_datetime_with_format(row, col, &x, &self.date).map_err(err)?;
        }
        Ok(())
    }

    /// A money formula with its cached result taken from `result` (exact cents).
    pub fn formula(&mut self, row: u32, col: u16, f: &str, result: Cents, bold: bool) -> Result<()> {
        let fmt = if bold { &self.money_bold } else { &self.money };
        self.ws
            .write_formula_with_format(row, col, Formula::new(f).set_result(result.to_string()), fmt)
            .map_err(err)?;
        Ok(())
    }

    /// A money cell, or the words "not computable" where the stored amounts allow no sum.
    pub fn money_or_not_computable(&mut self, row: u32, col: u16, c: Option<Cents>, loc: &Locale) -> Result<()> {
        match c {
            Some(c) => self.money(row, col, c),
            None => self.text(row, col, &loc.money_or_not_computable(None)),
        }
    }

    /// A money formula with its cached result, or the words "not computable" instead: a
    /// formula over such cells would show a number that is not true.
    pub fn formula_or_not_computable(
        &mut self,
        at: (u32, u16),
        f: &str,
        result: Option<Cents>,
        bold: bool,
        loc: &Locale,
    ) -> Result<()> {
        let (row, col) = at;
        match (result, bold) {
            (Some(c), _) => self.formula(row, col, f, c, bold),
            (None, true) => self.bold(row, col, &loc.money_or_not_computable(None)),
            (None, false) => self.text(row, col, &loc.money_or_not_computable(None)),
        }
    }

    /// A count formula (e.g. summed minutes) with its cached result.
    pub fn int_formula(&mut self, row: u32, col: u16, f: &str, result: i64) -> Result<()> {
        self.ws
            .write_formula_with_format(row, col, Formula::new(f).set_result(result.to_string()), &self.bold)
            .map_err(err)?;
        Ok(())
    }
}

/// Level 1 compression: a one-invoice workbook is a few KB either way, and most of the time
/// spent on it is compressing the package's fixed parts (theme, styles).
pub fn save(wb: &mut Workbook) -> Result<Vec<u8>> {
    wb.set_zip_compression_level(1);
    wb.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_numbers() {
        assert_eq!(col_name(0), "A");
        assert_eq!(col_name(25), "Z");
        assert_eq!(col_name(26), "AA");
        assert_eq!(cell(0, 1), "B1");
        assert_eq!(num(Cents::new(438895)), 4388.95);
        assert_eq!(num(Cents::new(-5)), -0.05);
    }
}
