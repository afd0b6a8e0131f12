//! The statistics and calendar-export handlers of the Reports screen: each calls one core
//! operation. The calendar is written only to the path the user chose in the native save
//! dialog (which already asked about replacing a file there).

use std::path::Path;

use jiff::civil::Date;
use tresor::vault::{Names, Statistics};

use crate::error::ApiResult;
use crate::state::Shell;

pub fn statistics(shell: &Shell, year: i16, names: Names) -> ApiResult<Statistics> {
    shell.read(|v| v.documents().statistics(year, None, names))
}

/// Renders the appointments of `[from, to]` as `.ics` and writes them to `path`.
pub fn export_calendar(shell: &Shell, from: Option<Date>, to: Option<Date>, path: &Path) -> ApiResult<()> {
    let bytes = shell.read(|v| v.documents().render_calendar(from, to))?;
    tresor::export::write_file(path, &bytes, true)?;
    Ok(())
}
