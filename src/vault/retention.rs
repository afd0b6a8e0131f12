//! The retention part of a vault ([`Retention`], `vault.retention()`): each client's retention
//! end (`domain::retention`), what is due, restriction of processing (GDPR Art. 18) and erasure
//! (Art. 17) — in the working copy, in the data folder (`sync::erasure`), and on the other
//! computers when the erasure reaches them; and notes that expire.

use std::ops::{Deref, DerefMut};
use std::path::PathBuf;

use jiff::civil::{date, Date};
use jiff::Timestamp;

use crate::domain::appointment::Appointment;
use crate::domain::ids::{AppointmentId, ClientId};
use crate::domain::practice::Country;
use crate::domain::retention::{self, RetentionEnds, RetentionPolicy};
use crate::domain::Field;
use crate::error::{Error, Problem, Result};
use crate::store::{Erasure, RetentionRow};
use crate::sync::erasure::{self, Swept};

use super::Vault;

/// A reason may be long, but not a document.
const MAX_REASON: usize = 2000;
/// The longest lifetime a note can be given, in days (ten years).
pub const MAX_NOTE_DAYS: u32 = 3650;

/// One client's retention as the list and the client page show it.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct RetentionItem {
    pub client_id: ClientId,
    pub name: String,
    pub code_name: String,
    pub restricted: bool,
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub last_session: Option<Date>,
    pub ends: RetentionEnds,
    /// The later end; `None` when nothing must be kept.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub end: Option<Date>,
    /// The end has come: the client may be erased without a reason.
    pub due: bool,
}

/// What one erasure did.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct ErasureReport {
    pub erasure: Erasure,
    pub rows_removed: u32,
    /// Rows kept (without their text) because invoices inside their retention refer to them.
    pub rows_kept: u32,
    pub segments_rewritten: u32,
    pub snapshots_removed: u32,
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub snapshot: Option<PathBuf>,
}

/// A vault's retention duties, borrowed from it.
pub struct Retention<V> {
    pub(super) vault: V,
}

impl Vault {
    pub fn retention(&self) -> Retention<&Vault> {
        Retention { vault: self }
    }

    pub fn retention_mut(&mut self) -> Retention<&mut Vault> {
        Retention { vault: self }
    }

    /// What an unlock and a sync round owe the retention rules: erasures that arrived from
    /// other computers are carried out here, and notes whose lifetime ended are erased.
    pub(crate) fn retention_upkeep(&mut self, now: Timestamp) -> Result<()> {
        self.retention_mut().expire_notes(now)?;
        self.retention_mut().apply_pending()?;
        Ok(())
    }
}

impl<V: Deref<Target = Vault>> Retention<V> {
    pub fn policy(&self) -> Result<RetentionPolicy> {
        self.vault.store.read().retention_policy()
    }

    /// One client's retention (also a closed or tombstoned client's).
    pub fn of(&self, id: ClientId, today: Date) -> Result<RetentionItem> {
        let row = self.vault.store.read().retention_row(id)?;
        Ok(item(self.rules()?, row, today))
    }

    /// The clients whose retention has ended at `today` (with `all`, every client). A client
    /// with nothing to keep (no session, no issued invoice — e.g. just created or imported) may
    /// be erased at any time but is no duty, so it is not listed as due.
    pub fn list(&self, today: Date, all: bool) -> Result<Vec<RetentionItem>> {
        let rows = self.vault.store.read().retention_rows()?;
        let rules = self.rules()?;
        let mut out = Vec::new();
        for row in rows {
            let item = item(rules, row, today);
            if all || (item.due && item.end.is_some()) {
                out.push(item);
            }
        }
        Ok(out)
    }

    /// The erasure log, newest first.
    pub fn log(&self) -> Result<Vec<Erasure>> {
        self.vault.store.read().erasures()
    }

    /// The practice's period and country, read once for a whole list.
    fn rules(&self) -> Result<(RetentionPolicy, Country)> {
        Ok((self.policy()?, self.vault.records().practice()?.country))
    }

    /// Refuses any change to a restricted client (Art. 18: stored, not processed).
    pub(crate) fn ensure_open(&self, id: ClientId) -> Result<()> {
        if self.vault.store.read().client_restricted(id)? {
            return Err(Error::ClientRestricted);
        }
        Ok(())
    }
}

impl<V: DerefMut<Target = Vault>> Retention<V> {
    pub fn set_policy(&mut self, p: RetentionPolicy) -> Result<RetentionPolicy> {
        p.validate()?;
        self.vault.store.write(|tx| tx.set_retention_policy(p))?;
        self.policy()
    }

    /// Restricts the processing of a client: hidden from lists, search, Today and the month-end
    /// run, and unchangeable until lifted. Journaled; restricting twice changes nothing.
    pub fn restrict(&mut self, id: ClientId) -> Result<()> {
        if self.vault.store.read().client_restricted(id)? {
            return Ok(());
        }
        let now = Timestamp::now().to_string();
        self.vault.store.write(|tx| tx.set_client_restricted(id, Some(&now)))
    }

    /// Lifts a restriction (journaled). Lifting an unrestricted client changes nothing.
    pub fn unrestrict(&mut self, id: ClientId) -> Result<()> {
        if !self.vault.store.read().client_restricted(id)? {
            return Ok(());
        }
        self.vault.store.write(|tx| tx.set_client_restricted(id, None))
    }

    /// Erases a client for good. After the end of the retention a reason is optional; before
    /// it, one is required (and the entry says it was early). Invoices still inside their own
    /// retention stay, with the client as its code name, until their end. Then the data
    /// folder: the erasure is written out as a segment, a fresh snapshot follows, and older
    /// snapshots and segments that still hold the client are removed or rewritten.
    pub fn erase(&mut self, id: ClientId, reason: &str, today: Date) -> Result<ErasureReport> {
        let reason = reason.trim();
        if reason.chars().count() > MAX_REASON {
            return Err(Error::invalid(Field::Reason, Problem::TooLong));
        }
        let item = self.of(id, today)?;
        if !item.due && reason.is_empty() {
            return Err(Error::RetentionActive { until: item.end.unwrap_or(today) });
        }
        let row = self.vault.store.read().retention_row(id)?;
        let mut entry = Erasure {
            id: uuid::Uuid::now_v7().to_string(),
            client_id: id.to_string(),
            code_name: item.code_name.clone(),
            first_session: row.facts.first_session,
            last_session: row.facts.last_session,
            retention_end: item.end,
            early: !item.due,
            reason: reason.to_string(),
            erased_at: Timestamp::now().to_string(),
            erased_by: self.vault.device().name.clone(),
            pseudonymised: false,
        };
        let keep_from = self.invoices_kept_from(today)?;
        let files = self.vault.store.read().attachment_files_of(id)?;
        let removed = self.vault.store.write_erasing(|tx| {
            let removed = tx.remove_client_data(&entry, keep_from)?;
            // The client row stays only for invoices that stay.
            entry.pseudonymised = tx.read().client_restricted(id).is_ok();
            tx.log_erasure(&entry)?;
            Ok(removed)
        })?;
        self.vault.attachments_mut().remove_files(&files)?;
        let (snapshot, swept) = self.publish_erasure(&[entry.id.clone()])?;
        Ok(ErasureReport {
            erasure: entry,
            rows_removed: u32::try_from(removed.rows).unwrap_or(u32::MAX),
            rows_kept: u32::try_from(removed.kept).unwrap_or(u32::MAX),
            segments_rewritten: u32::try_from(swept.segments_rewritten).unwrap_or(u32::MAX),
            snapshots_removed: u32::try_from(swept.snapshots_removed).unwrap_or(u32::MAX),
            snapshot: Some(snapshot),
        })
    }

    /// Carries out the erasures other computers made, as they did (their invoices kept by
    /// this computer's date), and sweeps the data folder the same way.
    pub(crate) fn apply_pending(&mut self) -> Result<usize> {
        let pending = self.vault.store.read().pending_erasures()?;
        if pending.is_empty() {
            return Ok(0);
        }
        let today = self.vault.records().today()?;
        let keep_from = self.invoices_kept_from(today)?;
        let mut files = Vec::new();
        for e in &pending {
            if let Ok(client) = e.client_id.parse() {
                files.extend(self.vault.store.read().attachment_files_of(client)?);
            }
        }
        self.vault.store.write_erasing(|tx| {
            for e in &pending {
                tx.remove_client_data(e, keep_from)?;
            }
            Ok(())
        })?;
        // The computer that erased removed the files too; a sync client may not carry that.
        self.vault.attachments_mut().remove_files(&files)?;
        let ids: Vec<String> = pending.iter().map(|e| e.id.clone()).collect();
        self.publish_erasure(&ids)?;
        Ok(pending.len())
    }

    /// Erases the notes of appointments whose lifetime ended by `now`.
    pub fn expire_notes(&mut self, now: Timestamp) -> Result<usize> {
        let due = self.vault.store.read().expired_notes(&now.to_string())?;
        if due.is_empty() {
            return Ok(0);
        }
        self.vault.store.write_erasing(|tx| due.iter().try_for_each(|id| tx.expire_note(id)))?;
        Ok(due.len())
    }

    /// Gives an appointment's note a lifetime of `days` from `now` (`None`: kept like the rest),
    /// and returns the appointment as it is now. One to ten years at most: a longer lifetime
    /// is the documentation's retention, not data minimisation.
    pub fn set_note_lifetime(&mut self, id: AppointmentId, days: Option<u32>, now: Timestamp) -> Result<Appointment> {
        let expires = match days {
            None => None,
            Some(d @ 1..=MAX_NOTE_DAYS) => Some(
                now.checked_add(jiff::SignedDuration::from_hours(i64::from(d) * 24))
                    .map_err(|_| Error::invalid(Field::NoteLifetime, Problem::OutOfRange))?,
            ),
            Some(_) => return Err(Error::invalid(Field::NoteLifetime, Problem::OutOfRange)),
        };
        let a = self.vault.records().appointment(id)?;
        self.ensure_open(a.client_id)?;
        let at = expires.map(|t| t.to_string());
        self.vault.store.write(|tx| tx.set_note_expiry(&id.to_string(), at.as_deref()))?;
        self.vault.records().appointment(id)
    }

    /// Issued invoices from this date on are inside their own retention (§132 BAO, §147 AO).
    fn invoices_kept_from(&self, today: Date) -> Result<Date> {
        let country = self.vault.records().practice()?.country;
        let year = today.year().saturating_sub(retention::invoice_years(country)).max(1);
        Ok(date(year, 1, 1))
    }

    /// Writes the erasure out (segment), a fresh snapshot, and sweeps the folder.
    fn publish_erasure(&mut self, ids: &[String]) -> Result<(PathBuf, Swept)> {
        self.vault.write_segment()?;
        let snapshot = self.vault.snapshot_now()?;
        let erased = self.vault.store.read().erased_ids()?;
        let seg_key = self.vault.replica().segment_key();
        let swept =
            erasure::sweep(self.vault.data_folder(), self.vault.data_key(), &seg_key, self.vault.id(), &erased, ids)?;
        Ok((snapshot, swept))
    }
}

fn item((policy, country): (RetentionPolicy, Country), row: RetentionRow, today: Date) -> RetentionItem {
    let ends = retention::ends(policy, country, &row.facts);
    RetentionItem {
        client_id: row.client,
        name: row.name,
        code_name: coded(&row.code_name, row.client),
        restricted: row.restricted,
        last_session: row.facts.last_session,
        end: ends.end(),
        due: ends.ended(today),
        ends,
    }
}

fn coded(code_name: &str, id: ClientId) -> String {
    let given = code_name.trim();
    if !given.is_empty() {
        return given.to_string();
    }
    let id = id.to_string().replace('-', "");
    format!("K-{}", &id[id.len().saturating_sub(6)..].to_uppercase())
}
