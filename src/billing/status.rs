//! An invoice's status, derived from its rows: nothing about an issued invoice is ever updated,
//! so paid, cancelled, written off and overdue are read from payments, the cancellation
//! invoice, the write-off and the due date.

use jiff::civil::Date;

use crate::domain::money::Cents;
use crate::error::Result;

use super::model::{Invoice, InvoiceKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    Draft,
    Open,
    PartlyPaid,
    Paid,
    Cancelled,
    WrittenOff,
}

impl InvoiceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "draft",
            InvoiceStatus::Open => "open",
            InvoiceStatus::PartlyPaid => "partly_paid",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Cancelled => "cancelled",
            InvoiceStatus::WrittenOff => "written_off",
        }
    }
}

/// What is owed on an invoice today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Balance {
    pub status: InvoiceStatus,
    pub paid: Cents,
    /// Dunning fees charged so far.
    pub fees: Cents,
    /// gross + fees − paid; 0 once settled, cancelled or written off.
    pub due: Cents,
    pub overdue: bool,
    /// The date of the payment that settled it.
    pub paid_on: Option<Date>,
    pub dunning_level: u8,
}

/// The facts a balance is computed from; the list query fills it without loading lines.
#[derive(Debug, Clone, Copy)]
pub struct BalanceFacts {
    pub kind: InvoiceKind,
    pub issued: bool,
    pub gross: Cents,
    pub paid: Cents,
    pub fees: Cents,
    pub cancelled: bool,
    pub written_off: bool,
    pub due_date: Option<Date>,
    pub last_payment: Option<Date>,
    pub dunning_level: u8,
}

impl Balance {
    pub fn of(f: &BalanceFacts, today: Date) -> Result<Balance> {
        let owed = f.gross.checked_add(f.fees)?;
        let open = owed.checked_sub(f.paid)?;
        let status = if !f.issued {
            InvoiceStatus::Draft
        } else if f.cancelled || f.kind == InvoiceKind::Cancellation {
            InvoiceStatus::Cancelled
        } else if f.written_off {
            InvoiceStatus::WrittenOff
        } else if open.0 <= 0 {
            InvoiceStatus::Paid
        } else if f.paid.0 > 0 {
            InvoiceStatus::PartlyPaid
        } else {
            InvoiceStatus::Open
        };
        let unsettled = matches!(status, InvoiceStatus::Open | InvoiceStatus::PartlyPaid);
        Ok(Balance {
            status,
            paid: f.paid,
            fees: f.fees,
            due: if unsettled { open } else { Cents::ZERO },
            overdue: unsettled && f.due_date.is_some_and(|d| today > d),
            paid_on: if status == InvoiceStatus::Paid { f.last_payment } else { None },
            dunning_level: f.dunning_level,
        })
    }

    pub fn of_invoice(inv: &Invoice, today: Date) -> Result<Balance> {
        let facts = BalanceFacts {
            kind: inv.kind,
            issued: !inv.is_draft(),
            gross: inv.totals.gross,
            paid: Cents::sum(inv.payments.iter().map(|p| p.amount))?,
            fees: Cents::sum(inv.dunning.iter().map(|d| d.fee))?,
            cancelled: inv.cancelled_by.is_some(),
            written_off: inv.write_off.is_some(),
            due_date: inv.due_date,
            last_payment: inv.payments.iter().map(|p| p.date).max(),
            dunning_level: inv.dunning.iter().map(|d| d.level).max().unwrap_or(0),
        };
        Balance::of(&facts, today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn facts() -> BalanceFacts {
        BalanceFacts {
            kind: InvoiceKind::Invoice,
            issued: true,
            gross: Cents(10_000),
            paid: Cents::ZERO,
            fees: Cents::ZERO,
            cancelled: false,
            written_off: false,
            due_date: Some(date(2026, 3, 15)),
            last_payment: None,
            dunning_level: 0,
        }
    }

    #[test]
    fn statuses() {
        let d = date(2026, 3, 15);
        let table = [
            (facts(), InvoiceStatus::Open, 10_000, false),
            (BalanceFacts { paid: Cents(4_000), ..facts() }, InvoiceStatus::PartlyPaid, 6_000, false),
            (BalanceFacts { paid: Cents(10_000), last_payment: Some(d), ..facts() }, InvoiceStatus::Paid, 0, false),
            (BalanceFacts { paid: Cents(10_000), fees: Cents(500), ..facts() }, InvoiceStatus::PartlyPaid, 500, false),
            (BalanceFacts { cancelled: true, ..facts() }, InvoiceStatus::Cancelled, 0, false),
            (BalanceFacts { written_off: true, ..facts() }, InvoiceStatus::WrittenOff, 0, false),
            (BalanceFacts { issued: false, ..facts() }, InvoiceStatus::Draft, 0, false),
        ];
        for (f, status, due, overdue) in table {
            let b = Balance::of(&f, d).unwrap();
            assert_eq!((b.status, b.due, b.overdue), (status, Cents(due), overdue), "{f:?}");
        }
        let later = Balance::of(&facts(), date(2026, 3, 16)).unwrap();
        assert!(later.overdue, "overdue the day after the due date");
    }
}
