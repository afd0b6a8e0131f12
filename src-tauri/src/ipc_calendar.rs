//! The calendar's and Today's Tauri commands (issue 15); each calls one function of
//! `handlers_calendar.rs`. Listed in `ipc.rs`'s `commands!` under `// calendar`.

use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;
use tresor::domain::{AppointmentId, SeriesScope};
use tresor::vault::{AppointmentChange, CalendarRange, TodayOverview};

use crate::error::{codes, ApiError, ApiResult};
use crate::handlers_calendar as h;
use crate::ipc::Iso;
use crate::state::Shell;

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn calendar(shell: State<'_, Shell>, from: Iso, to: Iso) -> ApiResult<CalendarRange> {
    h::calendar(&shell, from.0, to.0)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn today_overview(shell: State<'_, Shell>) -> ApiResult<TodayOverview> {
    h::today_overview(&shell)
}

/// `local_start` is the wall-clock start in the practice's zone (`2026-03-30T09:00:00`).
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn move_appointment(
    shell: State<'_, Shell>,
    id: AppointmentId,
    local_start: String,
    minutes: u32,
) -> ApiResult<()> {
    h::move_appointment(&shell, id, &local_start, minutes)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn change_appointment(
    shell: State<'_, Shell>,
    id: AppointmentId,
    change: AppointmentChange,
    scope: SeriesScope,
) -> ApiResult<Vec<AppointmentId>> {
    h::change_appointment(&shell, id, change, scope)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn remove_appointment(
    shell: State<'_, Shell>,
    id: AppointmentId,
    scope: SeriesScope,
) -> ApiResult<Vec<AppointmentId>> {
    h::remove_appointment(&shell, id, scope)
}

/// Opens an appointment's video link in the default browser; the core says whether the link
/// may be opened (http or https only).
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn open_video_link(app: AppHandle, shell: State<'_, Shell>, id: AppointmentId) -> ApiResult<()> {
    let url = h::video_url(&shell, id)?;
    app.opener().open_url(&url, None::<&str>).map_err(|_| ApiError::new(codes::OPEN_FAILED).with("path", url))
}
