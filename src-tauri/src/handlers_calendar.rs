//! The calendar's and Today's commands as plain functions of the shell state (see
//! `handlers.rs`); each maps onto one core operation.

use jiff::civil::{Date, DateTime};
use jiff::Timestamp;
use tresor::domain::Field;
use tresor::domain::{AppointmentId, SeriesScope};
use tresor::vault::{AppointmentChange, CalendarRange, TodayOverview};
use tresor::{Error, Problem};

use crate::error::ApiResult;
use crate::state::Shell;

pub fn calendar(shell: &Shell, from: Date, to: Date) -> ApiResult<CalendarRange> {
    shell.read(|v| v.records().calendar(from, to))
}

pub fn today_overview(shell: &Shell) -> ApiResult<TodayOverview> {
    shell.read(|v| v.records().today_overview(Timestamp::now()))
}

pub fn move_appointment(shell: &Shell, id: AppointmentId, local_start: &str, minutes: u32) -> ApiResult<()> {
    let at: DateTime = local_start.parse().map_err(|_| Error::invalid(Field::Start, Problem::BadDate))?;
    shell.write(|v| v.records_mut().move_appointment(id, at, minutes))
}

pub fn change_appointment(
    shell: &Shell,
    id: AppointmentId,
    change: AppointmentChange,
    scope: SeriesScope,
) -> ApiResult<Vec<AppointmentId>> {
    shell.write(|v| v.records_mut().change_appointment(id, &change, scope))
}

pub fn remove_appointment(shell: &Shell, id: AppointmentId, scope: SeriesScope) -> ApiResult<Vec<AppointmentId>> {
    shell.write(|v| v.records_mut().remove_appointment(id, scope))
}

pub fn video_url(shell: &Shell, id: AppointmentId) -> ApiResult<String> {
    shell.read(|v| v.records().appointment(id)?.video_url().map(str::to_string))
}
