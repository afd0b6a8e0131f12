//! `tresor retention` (what must be kept until when, erasure and its log, the practice's
//! period) and `tresor client restrict|unrestrict` (GDPR Art. 18).

use std::fmt::Write;
use std::path::PathBuf;

use clap::Subcommand;
use serde_json::json;
use tresor::domain::ids::{AppointmentId, ClientId};
use tresor::domain::retention::RetentionPolicy;
use tresor::store::Erasure;
use tresor::vault::RetentionItem;

use crate::print::Out;
use crate::run::{lock, open};
use crate::Failure;

type R = Result<(), Failure>;

#[derive(Subcommand, Debug)]
pub enum RetentionCommand {
    /// Clients whose retention has ended (erasure due); with --all every client with its ends.
    List {
        #[arg(long)]
        all: bool,
    },
    /// Erase a client for good. Before the end of the retention only with --reason (logged);
    /// invoices still inside their own retention stay, with the client as its code name.
    Erase {
        id: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// The erasure log: code name, dates, reason, when and by which computer.
    Log,
    /// Show or set the practice's retention period and the minors' age.
    Policy {
        /// Years documentation is kept after the last session (default 10).
        #[arg(long)]
        years: Option<u8>,
        /// A minor's documentation is kept at least until this age plus the period (default 18).
        #[arg(long)]
        minors_age: Option<u8>,
    },
    /// Give an appointment's note a lifetime: erased on the first unlock after it (data
    /// minimisation). --clear keeps it again.
    NoteLifetime {
        appointment: String,
        #[arg(long, conflicts_with = "clear", required_unless_present = "clear")]
        days: Option<u32>,
        #[arg(long)]
        clear: bool,
    },
}

pub fn run(vault: &Option<PathBuf>, out: &Out, cmd: RetentionCommand) -> R {
    let mut v = open(vault)?;
    let today = v.records().today()?;
    match cmd {
        RetentionCommand::List { all } => {
            let list = v.retention().list(today, all)?;
            out.value(&list, || items(&list));
        }
        RetentionCommand::Erase { id, reason } => {
            let id: ClientId = id.parse()?;
            let r = v.retention_mut().erase(id, &reason, today)?;
            let msg = if r.erasure.pseudonymised {
                "client erased; invoices inside their retention stay under the code name"
            } else {
                "client erased"
            };
            out.done(msg, serde_json::to_value(&r).unwrap_or_default());
        }
        RetentionCommand::Log => {
            let log = v.retention().log()?;
            out.value(&log, || erasures(&log));
        }
        RetentionCommand::Policy { years, minors_age } => {
            let current = v.retention().policy()?;
            let p = if years.is_none() && minors_age.is_none() {
                current
            } else {
                v.retention_mut().set_policy(RetentionPolicy {
                    years: years.unwrap_or(current.years),
                    minors_age: minors_age.unwrap_or(current.minors_age),
                })?
            };
            out.value(&p, || {
                format!("documentation kept {} years; minors at least until {} + that\n", p.years, p.minors_age)
            });
        }
        RetentionCommand::NoteLifetime { appointment, days, clear } => {
            let id: AppointmentId = appointment.parse()?;
            let days = if clear { None } else { days };
            let a = v.retention_mut().set_note_lifetime(id, days, jiff::Timestamp::now())?;
            let until_s = a.note_expires.map(|t| t.to_string());
            out.done("note lifetime set", json!({ "id": id, "expires": until_s }));
        }
    }
    lock(v)
}

/// `client restrict|unrestrict ID`, on the vault `client` opened.
pub fn restrict_open(mut v: tresor::Vault, out: &Out, id: &str, on: bool) -> R {
    let id: ClientId = id.parse()?;
    if on {
        v.retention_mut().restrict(id)?;
        out.done("client restricted (hidden and unchangeable until lifted)", json!({ "id": id }));
    } else {
        v.retention_mut().unrestrict(id)?;
        out.done("restriction lifted", json!({ "id": id }));
    }
    lock(v)
}

fn items(list: &[RetentionItem]) -> String {
    if list.is_empty() {
        return "nothing due\n".into();
    }
    let mut s = String::new();
    for i in list {
        let end = i.end.map_or_else(|| "nothing to keep".to_string(), |d| d.to_string());
        let due = if i.due { "due" } else { "kept" };
        let restricted = if i.restricted { " (restricted)" } else { "" };
        let _ = writeln!(s, "{}  {}  {}  until {end}  {due}{restricted}", i.client_id, i.code_name, i.name);
    }
    s
}

fn erasures(log: &[Erasure]) -> String {
    if log.is_empty() {
        return "no erasures\n".into();
    }
    let mut s = String::new();
    for e in log {
        let last = e.last_session.map_or_else(|| "-".to_string(), |d| d.to_string());
        let early = if e.early { " early" } else { "" };
        let reason = if e.reason.is_empty() { "retention ended" } else { &e.reason };
        let _ =
            writeln!(s, "{}  {}  last session {last}  by {}{early}: {reason}", e.erased_at, e.code_name, e.erased_by);
    }
    s
}
