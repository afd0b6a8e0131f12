//! Which operating-system notifications are due at an instant, and their exact words: the next
//! appointment some minutes before it starts, and once a day the number of overdue invoices.
//!
//! A notification is shown on a lock screen and kept in the system's notification centre, where
//! anyone passing by can read it. So the text never carries a diagnosis, a note or an amount, and
//! a client's name ("mit A. Huber") only when this computer's user allowed it; the default is off.
//! A locked app sends nothing. The shell asks this function on a timer and only delivers.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::ids::AppointmentId;
use super::practice::Language;

/// Minutes before an appointment its reminder comes, unless the user chose otherwise.
pub const DEFAULT_MINUTES_BEFORE: u32 = 15;
/// The range offered in the settings; outside it the value is clamped.
pub const MINUTES_BEFORE_RANGE: (u32, u32) = (1, 240);

/// This computer's choice (kept with its other preferences, not in the practice's data: one
/// computer may sit in a shared room, another at home).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ReminderPrefs {
    pub appointments: bool,
    pub minutes_before: u32,
    pub overdue_invoices: bool,
    /// "Den Namen der Klient*in in Benachrichtigungen zeigen": off unless the user turns it on.
    pub show_names: bool,
}

impl Default for ReminderPrefs {
    fn default() -> Self {
        ReminderPrefs {
            appointments: true,
            minutes_before: DEFAULT_MINUTES_BEFORE,
            overdue_invoices: true,
            show_names: false,
        }
    }
}

impl ReminderPrefs {
    /// The same with the minutes in the offered range.
    pub fn clamped(self) -> ReminderPrefs {
        ReminderPrefs {
            minutes_before: self.minutes_before.clamp(MINUTES_BEFORE_RANGE.0, MINUTES_BEFORE_RANGE.1),
            ..self
        }
    }
}

/// A planned appointment ahead, as much of it as a reminder may use: when, and whose name —
/// nothing else of the appointment or the client reaches this module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upcoming {
    pub id: AppointmentId,
    pub start: Timestamp,
    pub given_name: String,
    pub family_name: String,
}

/// What the vault says at an instant (`Records::reminder_facts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderFacts {
    pub time_zone: TimeZone,
    /// Planned appointments starting after now, earliest first.
    pub upcoming: Vec<Upcoming>,
    pub overdue_invoices: u32,
}

/// What was sent already: each appointment once per start time (a moved one is announced
/// again), the overdue invoices once per local day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReminderMemory {
    appointments: BTreeMap<AppointmentId, Timestamp>,
    pub overdue_checked_on: Option<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Appointment,
    OverdueInvoices,
}

/// One notification: its title and body as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub title: String,
    pub body: String,
}

/// The notifications due at `now`, marked as sent in `memory`. `facts` is `None` while the app is
/// locked: then nothing is due and nothing is marked (the vault cannot be read, and what comes
/// due meanwhile is still announced after an unlock if its time has not passed).
pub fn due(
    now: Timestamp,
    prefs: ReminderPrefs,
    language: Language,
    facts: Option<&ReminderFacts>,
    memory: &mut ReminderMemory,
) -> Vec<Notice> {
    let Some(facts) = facts else { return Vec::new() };
    let prefs = prefs.clamped();
    let mut out = Vec::new();
    memory.appointments.retain(|_, start| *start > now);
    if prefs.appointments {
        let window = jiff::SignedDuration::from_mins(i64::from(prefs.minutes_before));
        for a in facts.upcoming.iter().filter(|a| a.start > now && a.start.duration_since(now) <= window) {
            if memory.appointments.get(&a.id) == Some(&a.start) {
                continue;
            }
            memory.appointments.insert(a.id, a.start);
            out.push(appointment_notice(a, &facts.time_zone, prefs.show_names, language));
        }
    }
    let today = now.to_zoned(facts.time_zone.clone()).date();
    if prefs.overdue_invoices && memory.overdue_checked_on != Some(today) {
        memory.overdue_checked_on = Some(today);
        if facts.overdue_invoices > 0 {
            out.push(overdue_notice(facts.overdue_invoices, language));
        }
    }
    out
}

/// `A. Huber`: the initial of the given name and the family name (what a passer-by reads least
/// of while the practitioner still knows who comes).
pub fn short_name(given: &str, family: &str) -> String {
    let family = family.trim();
    match given.trim().chars().next() {
        Some(c) if family.is_empty() => format!("{c}."),
        Some(c) => format!("{c}. {family}"),
        None => family.to_string(),
    }
}

fn appointment_notice(a: &Upcoming, tz: &TimeZone, show_name: bool, language: Language) -> Notice {
    let time = a.start.to_zoned(tz.clone()).strftime("%H:%M").to_string();
    let name = short_name(&a.given_name, &a.family_name);
    let with = show_name && !name.is_empty();
    let body = match (language, with) {
        (Language::De, false) => format!("Nächster Termin um {time}"),
        (Language::De, true) => format!("Nächster Termin um {time} mit {name}"),
        (Language::En, false) => format!("Next appointment at {time}"),
        (Language::En, true) => format!("Next appointment at {time} with {name}"),
    };
    Notice { kind: NoticeKind::Appointment, title: "Tresor".into(), body }
}

fn overdue_notice(n: u32, language: Language) -> Notice {
    let body = match (language, n) {
        (Language::De, 1) => "1 Rechnung ist überfällig".to_string(),
        (Language::De, n) => format!("{n} Rechnungen sind überfällig"),
        (Language::En, 1) => "1 invoice is overdue".to_string(),
        (Language::En, n) => format!("{n} invoices are overdue"),
    };
    Notice { kind: NoticeKind::OverdueInvoices, title: "Tresor".into(), body }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vienna() -> TimeZone {
        TimeZone::get("Europe/Vienna").unwrap()
    }

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn facts(upcoming: Vec<Upcoming>, overdue: u32) -> ReminderFacts {
        ReminderFacts { time_zone: vienna(), upcoming, overdue_invoices: overdue }
    }

    fn appt(start: &str) -> Upcoming {
        Upcoming {
            id: AppointmentId::new(),
            start: at(start),
            given_name: "Maria".into(),
            family_name: "Muster".into(),
        }
    }

    const NO_OVERDUE: ReminderPrefs =
        ReminderPrefs { appointments: true, minutes_before: 15, overdue_invoices: false, show_names: false };

    #[test]
    fn the_next_appointment_is_announced_once_without_the_name_by_default() {
        // 14:00 in Vienna in November is 13:00 UTC.
        let f = facts(vec![appt("2026-11-10T13:00:00Z")], 0);
        let mut m = ReminderMemory::default();
        let prefs = ReminderPrefs::default();
        assert!(!prefs.show_names, "off unless allowed");
        assert_eq!(due(at("2026-11-10T12:40:00Z"), NO_OVERDUE, Language::De, Some(&f), &mut m), vec![]);
        let n = due(at("2026-11-10T12:46:00Z"), NO_OVERDUE, Language::De, Some(&f), &mut m);
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].body, "Nächster Termin um 14:00");
        assert!(!n[0].body.contains("Muster") && !n[0].title.contains("Muster"));
        assert_eq!(due(at("2026-11-10T12:50:00Z"), NO_OVERDUE, Language::De, Some(&f), &mut m), vec![], "not twice");
        assert_eq!(due(at("2026-11-10T13:01:00Z"), NO_OVERDUE, Language::De, Some(&f), &mut m), vec![], "past");
    }

    #[test]
    fn the_name_only_when_allowed_and_shortened() {
        let f = facts(vec![appt("2026-11-10T13:00:00Z")], 0);
        let named = ReminderPrefs { show_names: true, ..NO_OVERDUE };
        let n = due(at("2026-11-10T12:50:00Z"), named, Language::De, Some(&f), &mut ReminderMemory::default());
        assert_eq!(n[0].body, "Nächster Termin um 14:00 mit M. Muster");
        let n = due(at("2026-11-10T12:50:00Z"), named, Language::En, Some(&f), &mut ReminderMemory::default());
        assert_eq!(n[0].body, "Next appointment at 14:00 with M. Muster");
        let n = due(at("2026-11-10T12:50:00Z"), NO_OVERDUE, Language::En, Some(&f), &mut ReminderMemory::default());
        assert_eq!(n[0].body, "Next appointment at 14:00");
        assert_eq!(short_name("", "Muster"), "Muster");
        assert_eq!(short_name("Ülla", " "), "Ü.");
    }

    #[test]
    fn a_locked_app_sends_nothing_and_forgets_nothing() {
        let f = facts(vec![appt("2026-11-10T13:00:00Z")], 3);
        let mut m = ReminderMemory::default();
        let prefs = ReminderPrefs::default();
        assert_eq!(due(at("2026-11-10T12:50:00Z"), prefs, Language::De, None, &mut m), vec![]);
        assert_eq!(m, ReminderMemory::default());
        // Unlocked two minutes later, while the appointment is still ahead: announced then.
        let n = due(at("2026-11-10T12:52:00Z"), prefs, Language::De, Some(&f), &mut m);
        assert_eq!(
            n.iter().map(|n| n.kind).collect::<Vec<_>>(),
            [NoticeKind::Appointment, NoticeKind::OverdueInvoices]
        );
    }

    #[test]
    fn the_window_counts_real_minutes_across_the_spring_dst_change() {
        // 29 March 2026: 02:00 becomes 03:00 in Vienna. Now 01:58 local (00:58Z); the
        // appointment at 03:10 local (01:10Z) is 12 real minutes ahead, 72 by the wall clock.
        let f = facts(vec![appt("2026-03-29T01:10:00Z")], 0);
        let n = due(at("2026-03-29T00:58:00Z"), NO_OVERDUE, Language::De, Some(&f), &mut ReminderMemory::default());
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].body, "Nächster Termin um 03:10");
        // In autumn 02:30 happens twice; the instant decides which one is meant.
        let f = facts(vec![appt("2026-10-25T01:30:00Z")], 0); // the second 02:30 (CET)
        let mut m = ReminderMemory::default();
        assert_eq!(
            due(at("2026-10-25T00:30:00Z"), NO_OVERDUE, Language::De, Some(&f), &mut m),
            vec![],
            "the first 02:30 is an hour early"
        );
        assert_eq!(
            due(at("2026-10-25T01:20:00Z"), NO_OVERDUE, Language::De, Some(&f), &mut m)[0].body,
            "Nächster Termin um 02:30"
        );
    }

    #[test]
    fn a_moved_appointment_is_announced_again() {
        let mut a = appt("2026-11-10T13:00:00Z");
        let mut m = ReminderMemory::default();
        assert_eq!(
            due(at("2026-11-10T12:50:00Z"), NO_OVERDUE, Language::De, Some(&facts(vec![a.clone()], 0)), &mut m).len(),
            1
        );
        a.start = at("2026-11-10T13:05:00Z");
        let n = due(at("2026-11-10T12:55:00Z"), NO_OVERDUE, Language::De, Some(&facts(vec![a], 0)), &mut m);
        assert_eq!(n[0].body, "Nächster Termin um 14:05");
    }

    #[test]
    fn overdue_invoices_once_a_local_day_and_switchable() {
        let f = facts(vec![], 3);
        let mut m = ReminderMemory::default();
        let prefs = ReminderPrefs { appointments: false, ..ReminderPrefs::default() };
        let n = due(at("2026-11-10T07:00:00Z"), prefs, Language::De, Some(&f), &mut m);
        assert_eq!(n.iter().map(|n| n.body.as_str()).collect::<Vec<_>>(), ["3 Rechnungen sind überfällig"]);
        assert_eq!(due(at("2026-11-10T22:59:00Z"), prefs, Language::De, Some(&f), &mut m), vec![], "23:59 in Vienna");
        let next_day = due(at("2026-11-10T23:01:00Z"), prefs, Language::En, Some(&facts(vec![], 1)), &mut m);
        assert_eq!(next_day[0].body, "1 invoice is overdue");
        let off = ReminderPrefs { overdue_invoices: false, ..prefs };
        assert_eq!(
            due(at("2026-11-12T08:00:00Z"), off, Language::De, Some(&f), &mut ReminderMemory::default()),
            vec![]
        );
        // No overdue invoice: nothing to say, and the day counts as checked.
        let mut m = ReminderMemory::default();
        assert_eq!(due(at("2026-11-10T07:00:00Z"), prefs, Language::De, Some(&facts(vec![], 0)), &mut m), vec![]);
        assert_eq!(m.overdue_checked_on, Some(jiff::civil::date(2026, 11, 10)));
    }

    #[test]
    fn appointments_switched_off_are_not_announced_and_minutes_are_clamped() {
        let f = facts(vec![appt("2026-11-10T13:00:00Z")], 0);
        let off = ReminderPrefs { appointments: false, ..NO_OVERDUE };
        assert_eq!(
            due(at("2026-11-10T12:55:00Z"), off, Language::De, Some(&f), &mut ReminderMemory::default()),
            vec![]
        );
        let zero = ReminderPrefs { minutes_before: 0, ..NO_OVERDUE };
        assert_eq!(zero.clamped().minutes_before, 1);
        let hour = ReminderPrefs { minutes_before: 60, ..NO_OVERDUE };
        assert_eq!(
            due(at("2026-11-10T12:01:00Z"), hour, Language::De, Some(&f), &mut ReminderMemory::default()).len(),
            1
        );
    }
}
