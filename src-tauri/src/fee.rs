//! The fee forms of issue 14: a service's fee schedule previewed by the core (the window
//! computes no money) and a draft's payer chosen on its page. Each maps onto one core call.

use tresor::billing::PayerRole;
use tresor::domain::ids::InvoiceId;
use tresor::domain::service::{FeeForm, FeePreview};

use crate::error::ApiResult;
use crate::state::Shell;

pub fn preview_service_fee(shell: &Shell, form: &FeeForm) -> ApiResult<FeePreview> {
    shell.read(|v| v.records().preview_service_fee(form))
}

/// `role` as the invoice view names it: client, guardian, insurer or other.
pub fn set_draft_payer(shell: &Shell, id: InvoiceId, role: &str) -> ApiResult<()> {
    let role = PayerRole::parse(role)?;
    shell.write(|v| v.billing_mut().set_draft_payer(id, role))
}
