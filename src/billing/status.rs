//! An invoice's status, derived from its rows: nothing about an issued invoice is ever updated,
//! so paid, cancelled, written off and overdue are read from payments, the cancellation
//! invoice, the write-off and the due date. Reading never fails on the amounts: a sum that
//! stored rows cannot make within range (a file from before amounts were bounded) is reported
//! as not computable, and the invoice is still shown.

use jiff::civil::Date;

use crate::domain::money::Cents;
use crate::error::Result;

use super::model::{Invoice, InvoiceKind};

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    Draft,
    Open,
    PartlyPaid,
    Paid,
    Cancelled,
    WrittenOff,
    /// Issued and live, but its stored amounts do not add up within range, so whether it is
    /// paid cannot be said.
    NotComputable,
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
            InvoiceStatus::NotComputable => "not_computable",
        }
    }
}

/// What is owed on an invoice today. A sum is `None` (JSON `null`) when the stored amounts
/// cannot be added up within range.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Balance {
    pub status: InvoiceStatus,
    pub paid: Option<Cents>,
    /// Dunning fees charged so far.
    pub fees: Option<Cents>,
    /// gross + fees − paid; 0 once settled, cancelled or written off.
    pub due: Option<Cents>,
    pub overdue: bool,
    /// The date of the payment that settled it.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub paid_on: Option<Date>,
    pub dunning_level: u8,
}

/// The facts a balance is computed from; the list query fills it without loading lines.
#[derive(Debug, Clone, Copy)]
pub struct BalanceFacts {
    pub kind: InvoiceKind,
    pub issued: bool,
    pub gross: Cents,
    pub paid: Option<Cents>,
    pub fees: Option<Cents>,
    pub cancelled: bool,
    pub written_off: bool,
    pub due_date: Option<Date>,
    pub last_payment: Option<Date>,
    pub dunning_level: u8,
}

impl Balance {
    pub fn of(f: &BalanceFacts, today: Date) -> Balance {
        let open = match (f.fees, f.paid) {
            (Some(fees), Some(paid)) => f.gross.checked_add(fees).and_then(|o| o.checked_sub(paid)).ok(),
            _ => None,
        };
        let status = if !f.issued {
            InvoiceStatus::Draft
        } else if f.cancelled || f.kind == InvoiceKind::Cancellation {
            InvoiceStatus::Cancelled
        } else if f.written_off {
            InvoiceStatus::WrittenOff
        } else {
            match (open, f.paid) {
                (Some(o), _) if !o.is_positive() => InvoiceStatus::Paid,
                (Some(_), Some(p)) if p.is_positive() => InvoiceStatus::PartlyPaid,
                (Some(_), _) => InvoiceStatus::Open,
                (None, _) => InvoiceStatus::NotComputable,
            }
        };
        let unsettled = matches!(status, InvoiceStatus::Open | InvoiceStatus::PartlyPaid);
        Balance {
            status,
            paid: f.paid,
            fees: f.fees,
            due: match status {
                InvoiceStatus::NotComputable => None,
                _ if unsettled => open,
                _ => Some(Cents::ZERO),
            },
            overdue: unsettled && f.due_date.is_some_and(|d| today > d),
            paid_on: if status == InvoiceStatus::Paid { f.last_payment } else { None },
            dunning_level: f.dunning_level,
        }
    }

    pub fn of_invoice(inv: &Invoice, today: Date) -> Balance {
        let facts = BalanceFacts {
            kind: inv.kind,
            issued: !inv.is_draft(),
            gross: inv.totals.gross,
            paid: Cents::sum_stored(inv.payments.iter().map(|p| p.amount)),
            fees: Cents::sum_stored(inv.dunning.iter().map(|d| d.fee)),
            cancelled: inv.cancelled_by.is_some(),
            written_off: inv.write_off.is_some(),
            due_date: inv.due_date,
            last_payment: inv.payments.iter().map(|p| p.date).max(),
            dunning_level: inv.dunning.iter().map(|d| d.level).max().unwrap_or(0),
        };
        Balance::of(&facts, today)
    }

    /// What is still owed, or the error that says it cannot be computed.
    pub fn due_amount(&self) -> Result<Cents> {
        self.due.ok_or(crate::Error::AmountOverflow)
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
            gross: Cents::new(10_000),
            paid: Some(Cents::ZERO),
            fees: Some(Cents::ZERO),
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
            (BalanceFacts { paid: Some(Cents::new(4_000)), ..facts() }, InvoiceStatus::PartlyPaid, 6_000, false),
            (
                BalanceFacts { paid: Some(Cents::new(10_000)), last_payment: Some(d), ..facts() },
                InvoiceStatus::Paid,
                0,
                false,
            ),
            (
                BalanceFacts { paid: Some(Cents::new(10_000)), fees: Some(Cents::new(500)), ..facts() },
                InvoiceStatus::PartlyPaid,
                500,
                false,
            ),
            (BalanceFacts { cancelled: true, ..facts() }, InvoiceStatus::Cancelled, 0, false),
            (BalanceFacts { written_off: true, ..facts() }, InvoiceStatus::WrittenOff, 0, false),
            (BalanceFacts { issued: false, ..facts() }, InvoiceStatus::Draft, 0, false),
        ];
        for (f, status, due, overdue) in table {
            let b = Balance::of(&f, d);
            assert_eq!((b.status, b.due, b.overdue), (status, Some(Cents::new(due)), overdue), "{f:?}");
        }
        let later = Balance::of(&facts(), date(2026, 3, 16));
        assert!(later.overdue, "overdue the day after the due date");
    }

    /// A vault from before amounts were bounded may hold a fee of i64::MAX: the balance says
    /// "not computable" instead of failing, and a cancelled invoice still reads as cancelled.
    #[test]
    fn sums_out_of_range_are_not_computable_not_fatal() {
        let d = date(2026, 3, 20);
        let huge = BalanceFacts { fees: Some(Cents::new(i64::MAX)), ..facts() };
        let b = Balance::of(&huge, d);
        assert_eq!((b.status, b.due, b.overdue), (InvoiceStatus::NotComputable, None, false));
        assert_eq!(b.due_amount().unwrap_err().code(), "money.overflow");
        let unsummable = BalanceFacts { fees: None, ..facts() };
        assert_eq!(Balance::of(&unsummable, d).status, InvoiceStatus::NotComputable);
        let cancelled = Balance::of(&BalanceFacts { cancelled: true, ..huge }, d);
        assert_eq!((cancelled.status, cancelled.due), (InvoiceStatus::Cancelled, Some(Cents::ZERO)));
        let negative = BalanceFacts { paid: Some(Cents::new(i64::MIN)), ..facts() };
        assert_eq!(Balance::of(&negative, d).status, InvoiceStatus::NotComputable);
    }
}
