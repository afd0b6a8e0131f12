//! iCalendar (RFC 5545) for a calendar app: events named by code name only, a series as one
//! event with RRULE and EXDATE, and each zone used as a VTIMEZONE whose STANDARD/DAYLIGHT
//! observances are the IANA zone's own transitions over the exported years (from jiff's tz
//! database), so a reader without that zone still places every 09:00 at 09:00.

use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;

use crate::error::{Error, Result};

/// Marks a file as Tresor's: a folder export rewrites only a file that starts like this.
pub const PRODID: &str = "-//Tresor//Tresor Calendar//DE";

/// The file a folder export writes (a calendar app subscribes to it), rewritten atomically.
pub const FOLDER_FILE: &str = "tresor.ics";

/// Writes the calendar to `target`: into a folder as [`FOLDER_FILE`], replacing only a file
/// that Tresor wrote there before (by its PRODID); to a file the way every export is written
/// (an existing one only with `force`). Returns the file written.
pub fn write_calendar(target: &Path, bytes: &[u8], force: bool) -> Result<PathBuf> {
    if !target.is_dir() {
        super::write_file(target, bytes, force)?;
        return Ok(target.to_path_buf());
    }
    let path = target.join(FOLDER_FILE);
    if fs::symlink_metadata(&path).is_ok() && !is_ours(&path) {
        return Err(Error::ExportExists { path });
    }
    super::write_file(&path, bytes, true)?;
    Ok(path)
}

/// Whether `path` is a plain file that starts like a calendar this module wrote.
fn is_ours(path: &Path) -> bool {
    let Ok(meta) = fs::symlink_metadata(path) else { return false };
    if !meta.is_file() {
        return false;
    }
    let mut head = Vec::with_capacity(256);
    let read = fs::File::open(path).and_then(|f| f.take(256).read_to_end(&mut head));
    read.is_ok() && String::from_utf8_lossy(&head).contains(&format!("PRODID:{PRODID}\r\n"))
}

/// How a series repeats, as RRULE says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repeat {
    Weekly {
        interval: u32,
    },
    /// `day` is the series' first day of month: a day past the 28th stays on the month's last
    /// day where the month is shorter (as the series was expanded), not skipped.
    Monthly {
        interval: u32,
        day: i8,
    },
}

/// A recurring event's rule: its last start and the local starts it skips.
#[derive(Debug, Clone)]
pub struct Rule {
    pub repeat: Repeat,
    pub until: Timestamp,
    pub except: Vec<DateTime>,
}

/// One VEVENT. `summary` is what the calendar shows (a code name, never a client's name).
#[derive(Debug, Clone)]
pub struct Event {
    pub uid: String,
    pub summary: String,
    pub zone: String,
    pub local_start: DateTime,
    pub minutes: u32,
    pub rule: Option<Rule>,
}

/// The calendar as bytes (CRLF lines, folded at 75 octets).
pub fn calendar(events: &[Event], stamp: Timestamp) -> Result<Vec<u8>> {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        format!("PRODID:{PRODID}"),
        "CALSCALE:GREGORIAN".into(),
    ];
    let mut zones: Vec<&str> = events.iter().map(|e| e.zone.as_str()).collect();
    zones.sort_unstable();
    zones.dedup();
    for name in zones {
        let tz = crate::domain::practice::time_zone(name)?;
        let of_zone = events.iter().filter(|e| e.zone == name);
        let first = of_zone.clone().map(|e| e.local_start.date()).min();
        let last = of_zone
            .map(|e| e.rule.as_ref().map(|r| r.until.to_zoned(tz.clone()).date()).unwrap_or(e.local_start.date()))
            .max();
        if let (Some(first), Some(last)) = (first, last) {
            vtimezone(&mut lines, name, &tz, first, last)?;
        }
    }
    let dtstamp = utc(stamp);
    for e in events {
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}", text(&e.uid)));
        lines.push(format!("DTSTAMP:{dtstamp}"));
        lines.push(format!("DTSTART;TZID={}:{}", e.zone, local(e.local_start)));
        lines.push(format!("DURATION:PT{}M", e.minutes));
        lines.push(format!("SUMMARY:{}", text(&e.summary)));
        if let Some(r) = &e.rule {
            let freq = match r.repeat {
                Repeat::Weekly { interval } => format!("FREQ=WEEKLY;INTERVAL={interval}"),
                Repeat::Monthly { interval, day } if day > 28 => {
                    let days: Vec<String> = (28..=day).map(|d| d.to_string()).collect();
                    format!("FREQ=MONTHLY;INTERVAL={interval};BYMONTHDAY={};BYSETPOS=-1", days.join(","))
                }
                Repeat::Monthly { interval, day } => format!("FREQ=MONTHLY;INTERVAL={interval};BYMONTHDAY={day}"),
            };
            lines.push(format!("RRULE:{freq};UNTIL={}", utc(r.until)));
            for x in &r.except {
                lines.push(format!("EXDATE;TZID={}:{}", e.zone, local(*x)));
            }
        }
        lines.push("TRANSP:OPAQUE".into());
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in lines {
        fold(&mut out, &l);
    }
    Ok(out.into_bytes())
}

/// The zone's observances from the last change before `first` to the last change up to the
/// end of `last`'s year: one STANDARD or DAYLIGHT block per transition, each with the offset
/// before (TZOFFSETFROM) and after it, and its onset in the local time before it (RFC 5545
/// 3.6.5). A zone without changes (UTC) gets one STANDARD block.
fn vtimezone(lines: &mut Vec<String>, name: &str, tz: &TimeZone, first: Date, last: Date) -> Result<()> {
    let bad = |_| Error::Render { detail: format!("time zone {name} out of range") };
    let start = first.first_of_year().to_zoned(tz.clone()).map_err(bad)?.timestamp();
    let end = last.last_of_year().tomorrow().map_err(bad)?.to_zoned(tz.clone()).map_err(bad)?.timestamp();
    lines.push("BEGIN:VTIMEZONE".into());
    lines.push(format!("TZID:{name}"));
    let mut changes: Vec<(Timestamp, Offset, bool, String)> = Vec::new();
    if let Some(t) = tz.preceding(start).next() {
        changes.push((t.timestamp(), t.offset(), t.dst().is_dst(), t.abbreviation().to_string()));
    }
    for t in tz.following(start).take_while(|t| t.timestamp() < end) {
        changes.push((t.timestamp(), t.offset(), t.dst().is_dst(), t.abbreviation().to_string()));
    }
    if changes.is_empty() {
        let info = tz.to_offset_info(start);
        let off = offset(info.offset());
        lines.extend([
            "BEGIN:STANDARD".to_string(),
            "DTSTART:19700101T000000".into(),
            format!("TZOFFSETFROM:{off}"),
            format!("TZOFFSETTO:{off}"),
            format!("TZNAME:{}", text(info.abbreviation())),
            "END:STANDARD".into(),
        ]);
    }
    for (at, to, dst, abbr) in changes {
        let from = at.checked_sub(jiff::SignedDuration::from_secs(1)).map(|b| tz.to_offset(b)).unwrap_or(to);
        let onset = from.to_datetime(at);
        let kind = if dst { "DAYLIGHT" } else { "STANDARD" };
        lines.extend([
            format!("BEGIN:{kind}"),
            format!("DTSTART:{}", local(onset)),
            format!("TZOFFSETFROM:{}", offset(from)),
            format!("TZOFFSETTO:{}", offset(to)),
            format!("TZNAME:{}", text(&abbr)),
            format!("END:{kind}"),
        ]);
    }
    lines.push("END:VTIMEZONE".into());
    Ok(())
}

fn local(d: DateTime) -> String {
    d.strftime("%Y%m%dT%H%M%S").to_string()
}

fn utc(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

fn offset(o: Offset) -> String {
    let s = o.seconds();
    let a = s.unsigned_abs();
    format!("{}{:02}{:02}", if s < 0 { '-' } else { '+' }, a / 3600, a % 3600 / 60)
}

/// TEXT value escaping (RFC 5545 3.3.11); line breaks become `\n`.
fn text(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            ';' => o.push_str("\\;"),
            ',' => o.push_str("\\,"),
            '\n' => o.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => o.push(c),
        }
    }
    o
}

/// Appends `line` with CRLF, folded so no line passes 75 octets, never inside a character.
fn fold(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    let _ = write!(out, "\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_between_characters_and_text_is_escaped() {
        let mut out = String::new();
        fold(&mut out, &format!("SUMMARY:{}", "ä".repeat(60)));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{l:?}");
        }
        assert_eq!(out.replace("\r\n ", ""), format!("SUMMARY:{}\r\n", "ä".repeat(60)));
        assert_eq!(text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
    }

    #[test]
    fn vienna_has_its_two_changes_of_2026_with_the_right_onsets() {
        let tz = TimeZone::get("Europe/Vienna").unwrap();
        let mut lines = Vec::new();
        vtimezone(&mut lines, "Europe/Vienna", &tz, jiff::civil::date(2026, 3, 2), jiff::civil::date(2026, 11, 2))
            .unwrap();
        let all = lines.join("\n");
        assert!(all.contains("BEGIN:DAYLIGHT\nDTSTART:20260329T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200"), "{all}");
        assert!(all.contains("BEGIN:STANDARD\nDTSTART:20261025T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100"), "{all}");
        // The change before 2026 (October 2025) says what holds on 1 January.
        assert!(all.contains("DTSTART:20251026T030000"), "{all}");
    }
}
