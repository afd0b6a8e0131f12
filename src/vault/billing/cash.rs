//! Receipts for payments (kept when first made, like every document handed out) and the
//! Austrian cash-register check: above 15,000 € turnover a year, of which more than 7,500 € in
//! cash, a practice needs a registered cash register (§ 131b BAO, RKSV). Tresor is none, so it
//! says when the year's payments come near those limits.

use std::ops::Deref;

use jiff::civil::date;

use crate::domain::money::Cents;
use crate::domain::practice::Country;
use crate::error::Result;

use super::Billing;
use crate::vault::Vault;

/// § 131b Abs. 1 Z 2 BAO: the yearly turnover above which a cash register is needed…
pub const RKSV_TURNOVER: Cents = Cents::new(1_500_000);
/// …when the cash part of it exceeds this.
pub const RKSV_CASH: Cents = Cents::new(750_000);
/// From this share of both limits on, Tresor warns (80 %).
const WARN_PERCENT: i64 = 80;

/// Where a year's payments stand against the RKSV limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CashLevel {
    Below,
    /// Both at 80 % of their limit or more: time to look at a registered cash register.
    Approaching,
    /// Both limits exceeded: a registered cash register is required.
    Exceeded,
}

/// The year's payments received (turnover on a cash basis) and the cash part of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct CashCheck {
    pub year: i16,
    pub received: Cents,
    pub cash: Cents,
    pub level: CashLevel,
}

fn at_least(amount: Cents, limit: Cents, percent: i64) -> Result<bool> {
    Ok(amount.checked_mul(100)? >= limit.checked_mul(percent)?)
}

impl<V: Deref<Target = Vault>> Billing<V> {
    /// The RKSV check for `year`: `None` outside Austria, where it does not apply.
    pub fn cash_check(&self, year: i16) -> Result<Option<CashCheck>> {
        if self.vault.records().practice()?.country != Country::AT {
            return Ok(None);
        }
        let from = date(year, 1, 1);
        let to = date(year, 12, 31);
        let payments = self.vault.store.read().payments_between(from, to)?;
        let (mut received, mut cash) = (Cents::ZERO, Cents::ZERO);
        for p in &payments {
            received = received.checked_add(p.amount)?;
            if p.method == "cash" {
                cash = cash.checked_add(p.amount)?;
            }
        }
        let level = if received > RKSV_TURNOVER && cash > RKSV_CASH {
            CashLevel::Exceeded
        } else if at_least(received, RKSV_TURNOVER, WARN_PERCENT)? && at_least(cash, RKSV_CASH, WARN_PERCENT)? {
            CashLevel::Approaching
        } else {
            CashLevel::Below
        };
        Ok(Some(CashCheck { year, received, cash, level }))
    }
}
