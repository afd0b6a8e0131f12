//! Changing a draft on the invoice page: its texts and a GOÄ line's multiplier. Each maps onto
//! one core operation; the multiplier is read as typed ("2,3") by the core's parser.

use tresor::billing::InvoiceTexts;
use tresor::domain::ids::{InvoiceId, InvoiceLineId};
use tresor::domain::service::Multiplier;

use crate::error::ApiResult;
use crate::state::Shell;

pub fn set_invoice_texts(shell: &Shell, id: InvoiceId, texts: &InvoiceTexts) -> ApiResult<()> {
    shell.write(|v| v.billing_mut().set_invoice_texts(id, texts))
}

/// `multiplier` as the user typed it; above the threshold `reason` is required (§ 5 Abs. 2 GOÄ).
pub fn set_line_multiplier(
    shell: &Shell,
    id: InvoiceId,
    line: InvoiceLineId,
    multiplier: &str,
    reason: &str,
) -> ApiResult<()> {
    let m = Multiplier::parse(multiplier)?;
    shell.write(|v| v.billing_mut().set_line_fee(id, line, m, reason))
}
