//! Retention, restriction and erasure for the window (issue 16): each a call into the core's
//! `vault.retention()` part with today's date in the practice's zone; no rule lives here.

use tresor::domain::retention::RetentionPolicy;
use tresor::domain::{Appointment, AppointmentId, ClientId};
use tresor::store::Erasure;
use tresor::vault::{ErasureReport, RetentionItem};

use crate::error::ApiResult;
use crate::state::Shell;

pub fn retention_of(shell: &Shell, client: ClientId) -> ApiResult<RetentionItem> {
    shell.read(|v| v.retention().of(client, v.records().today()?))
}

/// The clients whose retention has ended (Today's list).
pub fn retention_due(shell: &Shell) -> ApiResult<Vec<RetentionItem>> {
    shell.read(|v| v.retention().list(v.records().today()?, false))
}

pub fn retention_policy(shell: &Shell) -> ApiResult<RetentionPolicy> {
    shell.read(|v| v.retention().policy())
}

pub fn set_retention_policy(shell: &Shell, policy: RetentionPolicy) -> ApiResult<RetentionPolicy> {
    shell.write(|v| v.retention_mut().set_policy(policy))
}

pub fn restrict_client(shell: &Shell, client: ClientId, restricted: bool) -> ApiResult<()> {
    shell.write(|v| if restricted { v.retention_mut().restrict(client) } else { v.retention_mut().unrestrict(client) })
}

pub fn erase_client(shell: &Shell, client: ClientId, reason: &str) -> ApiResult<ErasureReport> {
    shell.write(|v| {
        let today = v.records().today()?;
        v.retention_mut().erase(client, reason, today)
    })
}

pub fn erasure_log(shell: &Shell) -> ApiResult<Vec<Erasure>> {
    shell.read(|v| v.retention().log())
}

pub fn set_note_lifetime(shell: &Shell, appointment: AppointmentId, days: Option<u32>) -> ApiResult<Appointment> {
    shell.write(|v| v.retention_mut().set_note_lifetime(appointment, days, jiff::Timestamp::now()))
}
