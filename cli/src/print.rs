//! Human-readable output of the CLI. With `--json` the same values are printed as JSON instead.

use std::cell::RefCell;
use std::fmt::Write as _;

use serde::Serialize;
use tresor::domain::appointment::Appointment;
use tresor::domain::client::ClientSummary;
use tresor::domain::practice::Practice;
use tresor::domain::service::Service;
use tresor::domain::session::{NoteRevision, Session};
use tresor::store::SearchResults;
use tresor::vault::{ClientTimeline, VerifyReport};

/// What a command prints on stdout. It is held back until the vault is locked, so that a
/// failure to write the data folder can still be told in the same (one) JSON document.
pub struct Out {
    pub json: bool,
    held: RefCell<Vec<Held>>,
}

enum Held {
    /// One JSON document, serialised as the command gave it (field order kept).
    Json(String),
    Text(String),
}

impl Out {
    pub fn new(json: bool) -> Out {
        Out { json, held: RefCell::new(Vec::new()) }
    }

    fn hold(&self, h: Held) {
        self.held.borrow_mut().push(h);
    }

    /// Prints what was held. `pending` (with --json) goes into the last document when it is an
    /// object, so a script reads one document that says both what was done and what is pending.
    /// Returns whether `pending` found a document to go into.
    pub fn flush(&self, pending: Option<&tresor::Error>) -> bool {
        let mut held = self.held.take();
        let mut told = false;
        if let (Some(e), Some(Held::Json(doc))) = (pending, held.last_mut()) {
            if let Ok(serde_json::Value::Object(mut m)) = serde_json::from_str(doc) {
                m.insert(
                    "pending".into(),
                    serde_json::json!({ "code": e.code(), "params": e.params(), "message": e.to_string() }),
                );
                *doc = serde_json::Value::Object(m).to_string();
                told = true;
            }
        }
        for h in held {
            match h {
                Held::Json(v) => println!("{v}"),
                Held::Text(t) => print!("{t}"),
            }
        }
        told
    }

    /// Prints the id of something created (`{"id": …}` with --json).
    pub fn created(&self, id: impl std::fmt::Display) {
        if self.json {
            self.hold(Held::Json(serde_json::json!({ "id": id.to_string() }).to_string()));
        } else {
            self.hold(Held::Text(format!("{id}\n")));
        }
    }

    pub fn done(&self, msg: &str, value: serde_json::Value) {
        if self.json {
            self.hold(Held::Json(value.to_string()));
        } else {
            self.hold(Held::Text(format!("{msg}\n")));
        }
    }

    pub fn value<T: Serialize>(&self, v: &T, human: impl FnOnce() -> String) {
        if self.json {
            match serde_json::to_string(v) {
                Ok(v) => self.hold(Held::Json(v)),
                Err(e) => eprintln!("tresor: cannot print: {e}"),
            }
        } else {
            self.hold(Held::Text(human()));
        }
    }
}

fn money(c: tresor::domain::Cents) -> String {
    format!("{} €", c.format_de())
}

pub fn practice(p: &Practice) -> String {
    let rows = [
        ("Name", &p.practitioner_name),
        ("Title", &p.title),
        ("Profession", &p.profession),
        ("Registration", &p.registration_number),
        ("Practice", &p.practice_name),
        ("Street", &p.street),
        ("Postal code", &p.postal_code),
        ("City", &p.city),
        ("Phone", &p.phone),
        ("Email", &p.email),
        ("Tax number", &p.tax_number),
        ("VAT id", &p.vat_id),
        ("IBAN", &p.iban),
        ("BIC", &p.bic),
        ("Bank", &p.bank),
        ("Currency", &p.currency),
        ("Time zone", &p.time_zone),
        ("Holidays", &p.holiday_region),
        ("Tax adviser", &p.tax_adviser),
    ];
    let mut s = String::new();
    for (k, v) in rows {
        let _ = writeln!(s, "{k:<14}{v}");
    }
    let _ = writeln!(s, "{:<14}{}", "Country", p.country.as_str());
    let _ = writeln!(s, "{:<14}{}", "Language", p.language.as_str());
    let _ = writeln!(s, "{:<14}{}", "Hours", hours(&p.working_hours));
    s
}

pub fn clients(list: &[ClientSummary], total: u64) -> String {
    let mut s = String::new();
    for c in list {
        let birth = c.birth_date.map(|d| d.strftime("%d.%m.%Y").to_string()).unwrap_or_default();
        let _ = writeln!(
            s,
            "{}  {:<32} {:<10} {:<10} {}",
            c.id,
            format!("{}, {}", c.family_name, c.given_name),
            birth,
            c.status.as_str(),
            c.city
        );
    }
    let _ = writeln!(s, "{} of {total} clients", list.len());
    s
}

pub fn timeline(t: &ClientTimeline) -> String {
    let c = &t.client;
    let mut s = String::new();
    let _ = writeln!(s, "{} ({}) — {}", c.display_name(), c.data.code_name, c.data.status().as_str());
    if let Some(b) = c.data.birth_date {
        let _ = writeln!(s, "born {}", b.strftime("%d.%m.%Y"));
    }
    for d in &c.data.diagnoses {
        let _ = writeln!(s, "diagnosis {} {}", d.code, d.text);
    }
    if !c.data.insurance_number.is_empty() {
        let _ = writeln!(s, "insurance {} {}", c.data.insurer, c.data.insurance_number);
    }
    let _ = writeln!(s, "\n{} appointments, {} sessions", t.appointments.len(), t.sessions.len());
    for x in &t.sessions {
        let _ = writeln!(s, "  session {}  {}  {} min  {}", x.date.strftime("%d.%m.%Y"), x.id, x.minutes, money(x.fee));
    }
    s
}

pub fn services(list: &[Service]) -> String {
    let mut s = String::new();
    for x in list {
        let _ = writeln!(
            s,
            "{}  {:<32} {:>4} min {:>12}  {}",
            x.id,
            x.data.name,
            x.data.minutes,
            money(x.data.price),
            x.data.tax.code()
        );
    }
    s
}

pub fn appointments(list: &[Appointment], tz: &jiff::tz::TimeZone) -> String {
    let mut s = String::new();
    for a in list {
        let z = a.start.to_zoned(tz.clone());
        let _ = writeln!(
            s,
            "{}  {}  {} min  {:<9} {:<9} client {}",
            a.id,
            z.strftime("%a %d.%m.%Y %H:%M"),
            a.minutes(),
            a.kind.as_str(),
            a.status.as_str(),
            a.client_id
        );
    }
    let _ = writeln!(s, "{} appointments", list.len());
    s
}

pub fn sessions(list: &[Session]) -> String {
    let mut s = String::new();
    for x in list {
        let preview: String = x.note.chars().take(60).collect();
        let _ = writeln!(
            s,
            "{}  {}  {:>3} min {:>10}  {}",
            x.id,
            x.date.strftime("%d.%m.%Y"),
            x.minutes,
            money(x.fee),
            preview
        );
    }
    let _ = writeln!(s, "{} sessions", list.len());
    s
}

pub fn session(x: &Session, revisions: &[NoteRevision]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "session {} on {}, {} min, {}", x.id, x.date.strftime("%d.%m.%Y"), x.minutes, money(x.fee));
    for (i, r) in revisions.iter().enumerate() {
        let _ = writeln!(s, "\n— revision {} at {} —\n{}", i + 1, r.created, r.body);
    }
    s
}

pub fn search(r: &SearchResults) -> String {
    let mut s = String::new();
    for c in &r.clients {
        let _ = writeln!(s, "client  {}  {} {}", c.client.id, c.client.given_name, c.client.family_name);
    }
    for h in &r.sessions {
        let text: String =
            h.snippet.iter().map(|p| if p.hit { format!("[{}]", p.text) } else { p.text.clone() }).collect();
        let _ = writeln!(s, "session {}  {}  {}: {}", h.session_id, h.date.strftime("%d.%m.%Y"), h.client_name, text);
    }
    let more = if r.session_total.capped { "more than " } else { "" };
    let _ = writeln!(s, "{} clients, {more}{} sessions", r.clients.len(), r.session_total.count);
    s
}

pub fn verify(r: &VerifyReport) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "vault.key   {}", if r.header { "ok" } else { "FAILED" });
    let _ = writeln!(
        s,
        "database    {}",
        match &r.database {
            Ok(()) => "ok".to_string(),
            Err(e) => format!("FAILED: {e}"),
        }
    );
    let _ = writeln!(
        s,
        "snapshot    {}",
        match &r.snapshot {
            Ok(p) => format!("ok ({p})"),
            Err(e) => format!("FAILED: {e}"),
        }
    );
    for (p, why) in &r.damaged_snapshots {
        let _ = writeln!(s, "            passed over {p}: {why}");
    }
    if r.database.is_err() {
        let _ = writeln!(
            s,
            "This computer's working copy is damaged; the data folder is not affected. `tresor repair` rebuilds the working copy from it."
        );
    }
    s
}

pub fn repair(r: &tresor::vault::RepairReport) -> String {
    use tresor::vault::OwnChanges;
    let mut s = String::new();
    if !r.rebuilt {
        let _ = writeln!(s, "The working copy passed every check; nothing was changed (--force rebuilds it anyway).");
        return s;
    }
    if let Some(p) = &r.snapshot {
        let _ = writeln!(s, "Working copy rebuilt from {}.", p.display());
    }
    for (p, code) in &r.passed_over {
        let _ = writeln!(s, "  passed over {} ({code})", p.display());
    }
    match &r.own_changes {
        OwnChanges::Safe { written_now: 0 } => {
            let _ = writeln!(s, "Every change made on this computer was in the data folder already.");
        }
        OwnChanges::Safe { written_now } => {
            let _ = writeln!(
                s,
                "{written_now} change(s) made on this computer were written to the data folder first and are kept."
            );
        }
        OwnChanges::NoWorkingCopy => {
            let _ = writeln!(s, "There was no working copy on this computer; it was made from the data folder.");
        }
        OwnChanges::Unreadable { count, last_in_folder } => {
            let n = count.map_or("Changes".to_string(), |n| format!("{n} change(s)"));
            let since =
                last_in_folder.map_or(String::new(), |t| format!(" after {}", t.strftime("%Y-%m-%d %H:%M UTC")));
            let _ = writeln!(
                s,
                "{n} made on this computer{since} could not be read from the damaged copy and are not in the data folder."
            );
        }
    }
    if let Some(p) = &r.damaged_copy {
        let _ = writeln!(s, "The damaged copy is kept, encrypted, at {}.", p.display());
    }
    if r.new_device {
        let _ = writeln!(
            s,
            "This computer's identity file was damaged too: it continues as a new device with its own invoice series."
        );
    }
    s
}

pub fn sync(r: &tresor::sync::SyncReport) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "applied {} segment(s), {} row(s) changed", r.applied.len(), r.rows_changed);
    if r.conflicts > 0 {
        let _ = writeln!(s, "{} new conflict(s): see `tresor conflicts`", r.conflicts);
    }
    for f in &r.failed {
        let _ = writeln!(s, "could not merge ({}), will try again: {}", f.code, f.path.display());
    }
    if let Some(p) = &r.written {
        let _ = writeln!(s, "wrote {}", p.display());
    }
    for p in &r.waiting {
        let _ = writeln!(s, "waiting for earlier changes: {}", p.display());
    }
    for p in &r.unreadable {
        let _ = writeln!(s, "cannot read (still arriving, or damaged): {}", p.display());
    }
    for l in &r.others_open {
        let _ = writeln!(s, "also open on {} since {}", l.name, l.opened_at);
    }
    s
}

pub fn status(st: &tresor::sync::SyncStatus) -> String {
    let mut s = String::new();
    for d in &st.devices {
        let me = if d.this_device { " (this computer)" } else { "" };
        let open = if d.open_now { "open" } else { "closed" };
        let seen = match (d.last_seen, d.last_seen_minutes) {
            (Some(t), Some(m)) => format!("{t} ({m} min ago)"),
            _ => "-".into(),
        };
        let _ = writeln!(
            s,
            "{} {}{me}: {open}, last seen {seen}, {} segment(s), through {}",
            d.id, d.name, d.segments, d.applied_through
        );
    }
    for f in &st.foreign {
        let mark = if f.needs_user { "" } else { ", nothing to do" };
        let _ = writeln!(s, "foreign file ({:?}{mark}): {}", f.kind, f.shown);
    }
    for c in &st.clashes {
        let _ = writeln!(
            s,
            "two computers created the same {} ({}, {} times): cancel and reissue one of them",
            c.kind, c.key, c.count
        );
    }
    for c in &st.conflicts {
        s.push_str(&crate::conflicts::describe(c));
    }
    if !st.kept_aside.is_empty() {
        let _ = writeln!(
            s,
            "{} change(s) from a newer Tresor are kept aside until this computer is updated",
            st.kept_aside.len()
        );
    }
    s
}

/// The statistics as plain tables (amounts in euros with a point, rates in percent).
pub fn statistics(s: &tresor::vault::Statistics) -> String {
    let money = |c: Option<tresor::domain::Cents>| c.map(|c| c.format_en()).unwrap_or_else(|| "?".into());
    let hours = |m: u64| format!("{}.{}", m / 60, (m % 60) * 10 / 60);
    let rate = |bp: Option<u32>| bp.map(|b| format!("{}.{:02} %", b / 100, b % 100)).unwrap_or_else(|| "-".into());
    let mut o = format!("{}\nmonth     sessions  hours  invoiced  received  appts  no-shows  cancelled\n", s.year);
    for m in &s.months {
        let _ = writeln!(
            o,
            "{:<9} {:>8} {:>6} {:>9} {:>9} {:>6} {:>9} {:>10}",
            m.period.key,
            m.period.sessions,
            hours(m.period.minutes),
            money(m.invoiced),
            money(m.received),
            m.appointments,
            m.no_shows,
            m.cancellations
        );
    }
    let r = &s.rates;
    let _ = writeln!(o, "no-show rate {}, cancellation rate {}", rate(r.no_show_bp), rate(r.cancellation_bp));
    let busy: Vec<String> =
        s.weeks.iter().filter(|w| w.sessions > 0).map(|w| format!("{} {}", w.key, w.sessions)).collect();
    let _ = writeln!(o, "weeks with sessions: {}", busy.join(", "));
    let years: Vec<String> =
        s.years.iter().map(|y| format!("{} {} ({} h)", y.key, y.sessions, hours(y.minutes))).collect();
    let _ = writeln!(o, "years: {}", years.join(", "));
    let _ = writeln!(o, "\nclient                          sessions  last        open      approved  left");
    for c in &s.clients {
        let _ = writeln!(
            o,
            "{:<31} {:>8}  {:<10} {:>9} {:>9} {:>5}{}",
            c.label,
            c.sessions,
            c.last_session.map(|d| d.to_string()).unwrap_or_default(),
            money(c.open),
            c.approved_sessions.map(|n| n.to_string()).unwrap_or_default(),
            c.sessions_left.map(|n| n.to_string()).unwrap_or_default(),
            if c.needs_approval { "  approval needed" } else { "" }
        );
    }
    o
}

/// `Mon 08:00-18:00, …, Sat off`: the working hours on one line.
fn hours(w: &tresor::domain::WorkingHours) -> String {
    let clock = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .iter()
        .zip(&w.days)
        .map(|(d, s)| match s {
            Some(s) => format!("{d} {}-{}", clock(s.start_minute), clock(s.end_minute)),
            None => format!("{d} off"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
