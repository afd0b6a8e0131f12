//! `tresor calendar export`: the appointments as an `.ics` file for a calendar app.

use std::path::PathBuf;

use clap::Subcommand;
use serde_json::json;
use tresor::domain::validate::parse_date;
use tresor::domain::Field;
use tresor::export::ics::write_calendar;
use tresor::Vault;

use crate::print::Out;
use crate::Failure;

#[derive(Subcommand, Debug)]
pub enum CalendarCommand {
    /// Appointments as iCalendar with code names instead of names. --to a folder writes
    /// `tresor.ics` there (a calendar app can subscribe to it) and rewrites it each time.
    Export {
        /// The .ics file, or a folder.
        #[arg(long)]
        to: PathBuf,
        /// First day (YYYY-MM-DD), default: the first appointment.
        #[arg(long)]
        from: Option<String>,
        /// Last day (YYYY-MM-DD), default: the last appointment.
        #[arg(long)]
        to_date: Option<String>,
        /// Replace an existing file (not needed for a folder).
        #[arg(long)]
        force: bool,
    },
}

pub fn calendar(v: &Vault, out: &Out, cmd: CalendarCommand) -> Result<(), Failure> {
    match cmd {
        CalendarCommand::Export { to, from, to_date, force } => {
            let from = from.as_deref().map(|d| parse_date(Field::From, d)).transpose()?;
            let until = to_date.as_deref().map(|d| parse_date(Field::To, d)).transpose()?;
            let bytes = v.documents().render_calendar(from, until)?;
            let path = write_calendar(&to, &bytes, force)?;
            out.done("exported", json!({ "ics": path }));
        }
    }
    Ok(())
}
