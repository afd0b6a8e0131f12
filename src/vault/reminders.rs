//! What the reminder rule (`domain::reminders`) needs to know at an instant, read from the vault:
//! the planned appointments of the next hours with their clients' names, and how many invoices
//! are overdue. A restricted client (GDPR Art. 18) is never announced, nor counted.

use std::ops::Deref;

use jiff::{SignedDuration, Timestamp};

use crate::domain::appointment::AppointmentStatus;
use crate::domain::reminders::{ReminderFacts, Upcoming, MINUTES_BEFORE_RANGE};
use crate::error::Result;

use super::{Records, Vault};

impl<V: Deref<Target = Vault>> Records<V> {
    /// The facts at `now`: planned appointments starting within the longest reminder window,
    /// earliest first, and the number of overdue invoices on the practice's local day.
    pub fn reminder_facts(&self, now: Timestamp) -> Result<ReminderFacts> {
        let practice = self.practice()?;
        let time_zone = practice.tz()?;
        let horizon = SignedDuration::from_mins(i64::from(MINUTES_BEFORE_RANGE.1) + 1);
        let until = now.checked_add(horizon).unwrap_or(now);
        let r = self.vault.store.read();
        let hidden = r.restricted_clients()?;
        let mut upcoming = Vec::new();
        for a in r.appointments_between(now, until)? {
            if a.status != AppointmentStatus::Planned || a.start <= now || hidden.contains(&a.client_id) {
                continue;
            }
            let c = r.client(a.client_id)?;
            upcoming.push(Upcoming {
                id: a.id,
                start: a.start,
                given_name: c.data.given_name,
                family_name: c.data.family_name,
            });
        }
        let today = now.to_zoned(time_zone.clone()).date();
        let overdue = r.overdue_invoice_ids(today)?.into_iter().filter(|(_, c)| !hidden.contains(c)).count();
        let overdue_invoices = u32::try_from(overdue).unwrap_or(u32::MAX);
        Ok(ReminderFacts { time_zone, upcoming, overdue_invoices })
    }
}
