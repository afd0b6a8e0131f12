//! `tresor conflicts`: fields two computers changed without seeing each other's change, with
//! both values; `take` keeps one of them (a change like any other, carried to the other
//! computers by the next segment).

use std::fmt::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use tresor::store::{Conflict, ConflictValue, Side};

use crate::print::Out;
use crate::run::open;
use crate::Failure;

#[derive(Args, Debug)]
pub struct ConflictsArgs {
    #[command(subcommand)]
    pub command: Option<ConflictCommand>,
    /// Also list the conflicts that were resolved.
    #[arg(long)]
    pub all: bool,
}

#[derive(Subcommand, Debug)]
pub enum ConflictCommand {
    /// Keep one of a conflict's two values: the one the record holds now (kept) or the other.
    Take {
        /// The conflict's id (or an unambiguous start of it), as `tresor conflicts` shows it.
        id: String,
        #[arg(long, value_enum)]
        value: Which,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Which {
    Kept,
    Other,
}

pub fn run(vault: &Option<PathBuf>, out: &Out, args: ConflictsArgs) -> Result<(), Failure> {
    match args.command {
        None => {
            let v = open(vault)?;
            let list = v.conflicts(args.all)?;
            out.value(&list, || {
                if list.is_empty() {
                    "no conflicts\n".into()
                } else {
                    list.iter().map(describe).collect()
                }
            });
            Ok(())
        }
        Some(ConflictCommand::Take { id, value }) => {
            let mut v = open(vault)?;
            let side = match value {
                Which::Kept => Side::Kept,
                Which::Other => Side::Other,
            };
            let c = v.resolve_conflict(&id, side)?;
            out.value(&c, || format!("took the {} value: {}\n", side.as_str(), describe(&c)));
            // Saved here even when the data folder cannot take it now (exit 8, written later).
            crate::run::lock(v)
        }
    }
}

fn side(s: &ConflictValue) -> String {
    let who = if s.device_name.is_empty() { s.device.get(..8).unwrap_or(&s.device) } else { &s.device_name };
    let value = match &s.value {
        serde_json::Value::String(t) => format!("{t:?}"),
        other => other.to_string(),
    };
    format!("{value} ({who}, {})", s.at.strftime("%Y-%m-%d %H:%M UTC"))
}

/// One conflict on one line (and the deleted-while-edited case in words).
pub fn describe(c: &Conflict) -> String {
    let mut s = String::new();
    let record = c.record.as_deref().map(|r| format!(" {r}")).unwrap_or_default();
    let state = match c.resolution {
        None => String::new(),
        Some(side) => format!(" [resolved: {}]", side.as_str()),
    };
    if c.field == "deleted" {
        let _ = writeln!(
            s,
            "conflict {}: {}{record} ({}) was deleted ({}) while changed on another computer ({}); `--value other` restores it{state}",
            c.id,
            c.entity,
            c.row_id,
            side(&c.kept).split_once(' ').map_or("", |(_, w)| w),
            side(&c.other).split_once(' ').map_or("", |(_, w)| w)
        );
    } else {
        let _ = writeln!(
            s,
            "conflict {}: {}{record} ({}), field {}: kept {}, other {}{state}",
            c.id,
            c.entity,
            c.row_id,
            c.field,
            side(&c.kept),
            side(&c.other)
        );
    }
    s
}
