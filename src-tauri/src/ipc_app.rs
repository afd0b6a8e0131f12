//! Tauri wrappers of the draft editing (`drafts.rs`) and of "Today"'s backup reminder
//! (`folder.rs`), listed in `ipc.rs`'s `commands!` under `// app`.

use tauri::State;
use tresor::billing::InvoiceTexts;
use tresor::domain::ids::{InvoiceId, InvoiceLineId};
use tresor::vault::backup::age::BackupAge;

use crate::drafts as d;
use crate::error::ApiResult;
use crate::state::Shell;

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn set_invoice_texts(shell: State<'_, Shell>, id: InvoiceId, texts: InvoiceTexts) -> ApiResult<()> {
    d::set_invoice_texts(&shell, id, &texts)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn set_line_multiplier(
    shell: State<'_, Shell>,
    id: InvoiceId,
    line: InvoiceLineId,
    multiplier: String,
    reason: String,
) -> ApiResult<()> {
    d::set_line_multiplier(&shell, id, line, &multiplier, &reason)
}

/// How the last backup stands: "Today" asks for one when it is old or missing.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn backup_age(shell: State<'_, Shell>) -> ApiResult<BackupAge> {
    crate::folder::backup_age(&shell)
}

/// A Bundesland the practice may choose for its holidays: its code (`AT-9`) and name.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct HolidayRegion {
    pub code: String,
    pub name: String,
}

/// The Bundesländer of `country`, for the practice form (the core's list).
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn holiday_regions(country: tresor::domain::Country) -> ApiResult<Vec<HolidayRegion>> {
    Ok(tresor::domain::holidays::regions(country)
        .iter()
        .map(|(code, name)| HolidayRegion { code: (*code).into(), name: (*name).into() })
        .collect())
}
