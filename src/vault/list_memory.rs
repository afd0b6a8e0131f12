//! The invoice list's rows, kept while nothing changed and the day is the same, so that paging,
//! filtering and sorting 20,000 invoices does not read every invoice again; and read ahead on a
//! connection of their own (after unlock, after a sync round brought changes), so that the first
//! opening of the list finds them read without the vault being held while they are.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use jiff::civil::Date;

use crate::error::Result;
use crate::store::{InvoiceQuery, Reader, SideReader, Stopper};

use super::billing_desk::InvoiceRow;

/// How long the list waits for a read ahead of the same rows before reading them itself.
const WAIT: Duration = Duration::from_secs(20);

/// What the rows were read at: the store's opening and changes, and the day (what is overdue
/// moves with it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub changes: (u64, u64),
    pub today: Date,
}

#[derive(Default)]
enum Slot {
    #[default]
    Empty,
    /// Being read ahead; stopped when the vault locks or the store moves on.
    Reading(Stamp, Stopper),
    Read(Stamp, Arc<Vec<InvoiceRow>>),
}

#[derive(Default)]
struct Shared {
    slot: Mutex<Slot>,
    changed: Condvar,
}

fn lock(shared: &Shared) -> MutexGuard<'_, Slot> {
    shared.slot.lock().unwrap_or_else(PoisonError::into_inner)
}

#[derive(Default)]
pub(crate) struct ListMemory {
    shared: Arc<Shared>,
}

impl ListMemory {
    /// The rows at `stamp`: those kept, those a read ahead is about to bring, or `read`'s.
    pub fn rows(&self, stamp: Stamp, read: impl FnOnce() -> Result<Vec<InvoiceRow>>) -> Result<Arc<Vec<InvoiceRow>>> {
        let deadline = Instant::now() + WAIT;
        let mut slot = lock(&self.shared);
        loop {
            match &*slot {
                Slot::Read(s, rows) if *s == stamp => return Ok(rows.clone()),
                Slot::Reading(s, _) if *s == stamp => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        break;
                    }
                    slot = self.shared.changed.wait_timeout(slot, left).unwrap_or_else(PoisonError::into_inner).0;
                }
                Slot::Reading(_, stopper) => {
                    // Rows of a state that has passed would be thrown away anyway.
                    stopper.stop();
                    break;
                }
                _ => break,
            }
        }
        drop(slot);
        let rows = Arc::new(read()?);
        *lock(&self.shared) = Slot::Read(stamp, rows.clone());
        Ok(rows)
    }

    /// Whether the rows at `stamp` are read, or being read ahead.
    pub fn has(&self, stamp: Stamp) -> bool {
        matches!(&*lock(&self.shared), Slot::Read(s, _) | Slot::Reading(s, _) if *s == stamp)
    }

    /// Whether the rows at `stamp` are read.
    pub fn ready(&self, stamp: Stamp) -> bool {
        matches!(&*lock(&self.shared), Slot::Read(s, _) if *s == stamp)
    }

    /// Hands the reading of the rows at `stamp` to `side`; `None` when they are read or being
    /// read already.
    pub fn ahead(&self, stamp: Stamp, side: SideReader) -> Option<ListAhead> {
        let mut slot = lock(&self.shared);
        if matches!(&*slot, Slot::Read(s, _) | Slot::Reading(s, _) if *s == stamp) {
            return None;
        }
        if let Slot::Reading(_, stopper) = &*slot {
            stopper.stop();
        }
        *slot = Slot::Reading(stamp, side.stopper());
        Some(ListAhead { side, stamp, shared: self.shared.clone() })
    }

    /// Drops the rows and stops a read ahead (whose connection then closes and forgets the key).
    pub fn forget(&self) {
        let mut slot = lock(&self.shared);
        if let Slot::Reading(_, stopper) = &*slot {
            stopper.stop();
        }
        *slot = Slot::Empty;
        self.shared.changed.notify_all();
    }
}

impl Drop for ListMemory {
    fn drop(&mut self) {
        self.forget();
    }
}

/// The invoice list's rows to be read on another thread, on a connection of their own
/// ([`super::Billing::read_list_ahead`]).
pub struct ListAhead {
    side: SideReader,
    stamp: Stamp,
    shared: Arc<Shared>,
}

impl ListAhead {
    /// Reads the rows and leaves them for the list, unless the store moved on meanwhile. A read
    /// that fails leaves nothing: the list then reads for itself and reports what went wrong.
    pub fn run(self) {
        if !matches!(&*lock(&self.shared), Slot::Reading(s, _) if *s == self.stamp) {
            // Stopped before it began (locked, or the list read for itself).
            return;
        }
        let rows = read_rows(self.side.read(), self.stamp.today).ok();
        self.finish(rows);
    }

    fn finish(&self, rows: Option<Vec<InvoiceRow>>) {
        let mut slot = lock(&self.shared);
        if matches!(&*slot, Slot::Reading(s, _) if *s == self.stamp) {
            *slot = match rows {
                Some(rows) => Slot::Read(self.stamp, Arc::new(rows)),
                None => Slot::Empty,
            };
        }
        self.shared.changed.notify_all();
    }
}

impl Drop for ListAhead {
    /// Never run (its thread did not start): the list must not wait for it.
    fn drop(&mut self) {
        self.finish(None);
    }
}

/// Every invoice of the list with its client's name; a restricted client's invoices (GDPR
/// Art. 18) are in no list, sum, count nor search.
pub(crate) fn read_rows(r: Reader<'_>, today: Date) -> Result<Vec<InvoiceRow>> {
    let names = r.client_names()?;
    let hidden = r.restricted_not_erased()?;
    let q = InvoiceQuery { drafts: true, issued: true, ..Default::default() };
    Ok(r.invoices(&q, today)?
        .into_iter()
        .filter(|s| !hidden.contains(&s.client_id))
        .map(|s| InvoiceRow { client_name: names.get(&s.client_id).cloned().unwrap_or_default(), invoice: s })
        .collect())
}
