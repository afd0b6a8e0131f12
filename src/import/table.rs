//! Reading a file someone exported from another tool into a [`Table`]: a header row and the data
//! rows, each with the row number a spreadsheet shows. CSV in UTF-8 (with or without BOM),
//! UTF-16 with BOM or Windows-1252, separated by `,`, `;` or tab (sniffed); XLSX/XLS/ODS through
//! `calamine`. Whatever the bytes, the answer is a table or a typed error, never a panic.

use std::io::{Cursor, Read};

use calamine::{Data, Reader as _};
use jiff::civil::{Date, DateTime, Time};

use crate::error::{Error, Result};

/// The largest file read (bytes). An export of a practice's records is a few MB at most.
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;
/// The most data rows one import takes.
pub const MAX_ROWS: usize = 20_000;
/// The most columns a file may have.
pub const MAX_COLUMNS: usize = 200;
/// What the parts of a spreadsheet may unpack to at most: a small XLSX that unpacks to gigabytes
/// (a "zip bomb") is refused before calamine reads it.
const MAX_UNPACKED: u64 = 200 * 1024 * 1024;

/// One cell as the file had it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number cell of a spreadsheet (Excel keeps amounts, minutes and unformatted dates so).
    Number(f64),
    /// A date/time cell of a spreadsheet; `date` is `None` for a time of day alone.
    Moment {
        date: Option<Date>,
        time: Time,
    },
    /// A cell that holds an error value (`#WERT!`, `#DIV/0!`).
    Error,
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// A data row and the number a spreadsheet program shows for it (the header is row 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub number: u32,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

impl Table {
    /// The index of a column by its header, ignoring case and surrounding spaces.
    pub fn column(&self, name: &str) -> Option<usize> {
        let want = name.trim().to_lowercase();
        self.headers.iter().position(|h| h.trim().to_lowercase() == want)
    }
}

fn unreadable(reason: &'static str) -> Error {
    Error::ImportUnreadable { reason }
}

fn too_large(limit: u64, unit: &'static str) -> Error {
    Error::ImportTooLarge { limit, unit }
}

/// Reads the file the user chose: at most [`MAX_BYTES`] (one byte more is read, to tell).
pub fn read_file(path: &std::path::Path) -> Result<Table> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| Error::io("read", path, e))?;
    read(&bytes)
}

/// A spreadsheet (by its signature: a ZIP or an OLE file) or else delimited text.
pub fn read(bytes: &[u8]) -> Result<Table> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(too_large(MAX_BYTES, "bytes"));
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        read_spreadsheet(bytes)
    } else {
        read_csv(bytes)
    }
}

/// The text of a CSV file: a BOM says UTF-8 or UTF-16; without one, UTF-8 if it is valid, else
/// Windows-1252 (what Excel on a German Windows writes as "CSV (Trennzeichen-getrennt)").
pub fn decode(bytes: &[u8]) -> Result<String> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(unreadable("encoding"));
        }
        return Ok(text.into_owned());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => Ok(encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned()),
    }
}

/// The separator of the header line: the most frequent of `;`, `,` and tab outside quotes
/// (`;` on a tie, the German Excel habit); `,` for a file of one column.
pub fn sniff(text: &str) -> u8 {
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
                    c.1 += 1;
                }
            }
            _ => {}
        }
    }
    let best = counts.iter().max_by_key(|(d, n)| (*n, *d == b';')).copied().unwrap_or((b',', 0));
    if best.1 == 0 {
        b','
    } else {
        best.0
    }
}

pub fn read_csv(bytes: &[u8]) -> Result<Table> {
    // One kind of line end: the reader counts lines at `\n`, but also ends records at a lone `\r`
    // (old Mac exports), which would otherwise number two rows alike.
    let text = decode(bytes)?.replace("\r\n", "\n").replace('\r', "\n");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff(&text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = Vec::new();
    // The row number a spreadsheet shows: the record's first line (found from where it ended,
    // since the position where it started includes the empty lines the reader skipped), less the
    // line breaks inside quoted cells before it (a cell with a line break is still one row).
    let mut inner_breaks: u64 = 0;
    let mut record = csv::StringRecord::new();
    // The csv crate errs only on invalid UTF-8, which the decoded text cannot have.
    while reader.read_record(&mut record).map_err(|_| unreadable("encoding"))? {
        let end = reader.position();
        let after_newline = end.byte() > 0 && text.as_bytes().get(end.byte() as usize - 1) == Some(&b'\n');
        let last_line = if after_newline { end.line().saturating_sub(1) } else { end.line() };
        let breaks: u64 = record.iter().map(|f| f.matches('\n').count() as u64).sum();
        let first_line = last_line.saturating_sub(breaks);
        // A malformed file (a quote never closed) can blur where a record began: numbers still rise.
        let after_previous = lines.last().map_or(1, |(n, _): &(u32, Vec<Cell>)| n.saturating_add(1));
        let number = u32::try_from(first_line.saturating_sub(inner_breaks)).unwrap_or(u32::MAX).max(after_previous);
        inner_breaks += breaks;
        let cells = record.iter().map(|c| if c.trim().is_empty() { Cell::Empty } else { Cell::Text(c.to_string()) });
        lines.push((number, cells.collect()));
        if lines.len() > MAX_ROWS + 1 {
            return Err(too_large(MAX_ROWS as u64, "rows"));
        }
    }
    table(lines)
}

fn read_spreadsheet(bytes: &[u8]) -> Result<Table> {
    if bytes.starts_with(b"PK") {
        check_unpacked_size(bytes)?;
    }
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|_| unreadable("spreadsheet"))?;
    let range = book.worksheet_range_at(0).ok_or(unreadable("empty"))?.map_err(|_| unreadable("spreadsheet"))?;
    if range.height() > MAX_ROWS + 1 {
        return Err(too_large(MAX_ROWS as u64, "rows"));
    }
    if range.width() > MAX_COLUMNS {
        return Err(too_large(MAX_COLUMNS as u64, "columns"));
    }
    // Absolute row numbers: a sheet whose data starts lower keeps the numbers Excel shows.
    let first = range.start().map_or(0, |(row, _)| row);
    let lines = range.rows().enumerate().map(|(i, r)| (first + i as u32 + 1, r.iter().map(cell).collect())).collect();
    table(lines)
}

/// Sums what the ZIP's entries declare they unpack to: an honest bomb is refused here. An entry
/// that lies about its size is not caught by this check (calamine reads it as it comes).
fn check_unpacked_size(bytes: &[u8]) -> Result<()> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable("spreadsheet"))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|_| unreadable("spreadsheet"))?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_UNPACKED {
        return Err(too_large(MAX_BYTES, "bytes"));
    }
    Ok(())
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(if *b { "1" } else { "0" }.into()),
        Data::Error(_) => Cell::Error,
        Data::DateTime(dt) => {
            let v = dt.as_f64();
            if !v.is_finite() || v < 0.0 {
                return Cell::Error;
            }
            let (y, mo, da, h, mi, s, _) = dt.to_ymd_hms_milli();
            let time = Time::new(h as i8, mi as i8, s as i8, 0).unwrap_or(Time::midnight());
            // A serial below 1 is a time of day without a date.
            let date = if v < 1.0 { None } else { Date::new(y as i16, mo as i8, da as i8).ok() };
            match (date, v < 1.0) {
                (None, false) => Cell::Error,
                (date, _) => Cell::Moment { date, time },
            }
        }
    }
}

/// The first non-empty line is the header; empty lines are skipped but keep their number.
fn table(lines: Vec<(u32, Vec<Cell>)>) -> Result<Table> {
    let mut numbered = lines.into_iter();
    let (_, header) = numbered.by_ref().find(|(_, c)| c.iter().any(|c| !c.is_empty())).ok_or(unreadable("empty"))?;
    let headers: Vec<String> = header
        .iter()
        .map(|c| match c {
            Cell::Text(t) => t.trim().trim_start_matches('\u{feff}').trim().to_string(),
            Cell::Number(n) => n.to_string(),
            _ => String::new(),
        })
        .collect();
    if headers.len() > MAX_COLUMNS {
        return Err(too_large(MAX_COLUMNS as u64, "columns"));
    }
    let rows = numbered
        .filter(|(_, c)| c.iter().any(|c| !c.is_empty()))
        .map(|(number, cells)| Row { number, cells })
        .collect::<Vec<_>>();
    if rows.len() > MAX_ROWS {
        return Err(too_large(MAX_ROWS as u64, "rows"));
    }
    Ok(Table { headers, rows })
}

/// A serial day number of Excel's 1900 system as a date (a date column Excel left unformatted).
pub fn serial_date(serial: f64) -> Option<Date> {
    // Serial 60 is Excel's 29 February 1900, which never was; days before it are off by one.
    if !serial.is_finite() || !(61.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    let epoch = Date::new(1899, 12, 30).ok()?;
    epoch.checked_add(jiff::Span::new().days(serial.floor() as i64)).ok()
}

/// A fraction of a day as a time of day (an unformatted time cell).
pub fn serial_time(serial: f64) -> Option<Time> {
    let frac = serial.fract();
    if !serial.is_finite() || serial < 0.0 {
        return None;
    }
    let minutes = (frac * 24.0 * 60.0).round() as i64 % (24 * 60);
    Time::new((minutes / 60) as i8, (minutes % 60) as i8, 0, 0).ok()
}

/// A date and time from one cell, when the file holds both in one.
pub fn moment(date: Date, time: Time) -> DateTime {
    date.to_datetime(time)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_separator_of_the_header_line() {
        assert_eq!(sniff("Name;Vorname;Geburtsdatum\nA,B;C;D"), b';');
        assert_eq!(sniff("name,given,birth\n"), b',');
        assert_eq!(sniff("a\tb\tc"), b'\t');
        assert_eq!(sniff("\"a;b\",c\n"), b',');
        assert_eq!(sniff("single"), b',');
    }

    #[test]
    fn decodes_boms_utf8_and_windows_1252() {
        assert_eq!(decode(b"\xEF\xBB\xBFM\xC3\xBCller").unwrap(), "Müller");
        assert_eq!(decode(b"M\xFCller").unwrap(), "Müller");
        assert_eq!(decode(b"\xFF\xFEM\x00\xFC\x00").unwrap(), "Mü");
    }

    #[test]
    fn excel_serials_are_dates_and_times() {
        assert_eq!(serial_date(45658.0), Some(Date::constant(2025, 1, 1)));
        assert_eq!(serial_date(f64::NAN), None);
        assert_eq!(serial_time(0.5), Time::new(12, 0, 0, 0).ok());
    }

    #[test]
    fn blank_lines_keep_their_row_numbers() {
        let t = read(b"a;b\n\n1;2\r\n\"x\ny\";3\n4;5").unwrap();
        assert_eq!(t.headers, vec!["a", "b"]);
        let numbers: Vec<u32> = t.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, vec![3, 4, 5], "a line break inside a cell is not a row");
    }
}
