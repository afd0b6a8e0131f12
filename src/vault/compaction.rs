//! Compaction (the rule is `sync::compact`) driven against a vault behind a lock: the vault is
//! taken only for database work and to prove a local copy of a snapshot with its key; reading
//! the data folder, copying snapshots out of it, writing the lease and removing files run on
//! `FolderIo`'s helper threads without it. The key never leaves the vault (docs/ARCHITECTURE.md,
//! "Compaction off the vault's lock").

use std::cell::RefCell;
use std::time::Duration;

use crate::error::Result;
use crate::fsutil::Replaced;
use crate::sync::compact::{self, Tally};
use crate::sync::lease;
use crate::sync::round::{FolderIo, Sent};
use crate::sync::snapshot::{self, Proof};

use super::round::VaultAccess;
use super::Vault;

/// What one compaction did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compaction {
    /// Nothing may go now: no two good snapshots hold it, a computer with a recent lease has not
    /// applied it, or it is younger than the grace time.
    Nothing,
    Removed(usize),
    /// A file in the folder was not read or written in time (a snapshot still downloading, the
    /// lease held by another process): nothing was removed, a later round tries again.
    FolderSlow,
}

/// Removes this device's segments nobody can still need, in phases: survey the folder → copy
/// each snapshot a new computer would try into the working folder and prove the copy (with
/// the vault) until two are good → decide and raise the floor (with the vault) → write the
/// lease that announces the floor → remove. A vault locked in between ends it
/// (`Error::Locked` from `access`); what was decided before stays safe, since the floor is
/// always announced before the first file goes.
pub fn compact(access: &impl VaultAccess, io: &FolderIo, grace: Duration) -> Result<Compaction> {
    let (folder, work, vault_id, me) = access.with_vault(|v| {
        Ok((v.data_folder().clone(), v.working_dir().clone(), v.id().to_string(), v.device().id.clone()))
    })?;
    let own_log = folder.log().join(&me);
    let survey = {
        let (folder, vault_id, me) = (folder.clone(), vault_id.clone(), me.clone());
        io.run(&own_log, move || compact::survey(&folder, &vault_id, &me, grace))
    };
    let Some(survey) = survey else {
        return Ok(Compaction::FolderSlow);
    };
    if !survey.anything_old() {
        return Ok(Compaction::Nothing);
    }
    let mut tally = Tally::default();
    for info in &survey.candidates {
        let copied = {
            let (info, work) = (info.clone(), work.clone());
            io.run(&info.path.clone(), move || compact::copy_out(&info, &work))
        };
        let copy = match copied {
            None => return Ok(Compaction::FolderSlow),
            // Gone since listed, not a plain file, too large, a placeholder the cloud client
            // refuses: not proven good, like a damaged one.
            Some(Err(_)) => continue,
            Some(Ok(copy)) => copy,
        };
        let proven = access.with_vault(|v| {
            Ok(snapshot::prove(copy.path(), v.data_key(), &vault_id, &info.device, info.seq, Proof::Pages).ok())
        })?;
        drop(copy);
        if proven.is_some_and(|cov| tally.add(&cov, &survey.floors, &me)) {
            break;
        }
    }
    let Some(covered) = tally.covered() else {
        return Ok(Compaction::Nothing);
    };
    let Some(plan) = access.with_vault(|v| v.with_replica(|r| r.compaction_plan(&survey, covered)))? else {
        return Ok(Compaction::Nothing);
    };
    let announced = {
        let (folder, lease) = (folder.clone(), plan.lease);
        io.run(&lease::path_of(&folder, &me), move || lease::write(&folder, &lease))
    };
    match announced {
        Some(Ok(Replaced::Done)) => {}
        Some(Ok(Replaced::Kept)) | None => return Ok(Compaction::FolderSlow),
        Some(Err(e)) => return Err(e),
    }
    // Still open? This also notes that the lease was written, so locking refreshes it.
    access.with_vault(|v| v.mark_sent(&Sent { through: None, lease: true }))?;
    let doomed = plan.doomed;
    Ok(match io.run(&own_log, move || compact::remove(&doomed)) {
        Some(n) => Compaction::Removed(n),
        None => Compaction::FolderSlow,
    })
}

/// The vault held by its owner for the whole call (the command line, locking): the same phases,
/// with the folder work waited for as long as it takes.
struct Held<'a>(RefCell<&'a mut Vault>);

impl VaultAccess for Held<'_> {
    fn with_vault<T>(&self, f: impl FnOnce(&mut Vault) -> Result<T>) -> Result<T> {
        f(&mut self.0.borrow_mut())
    }
}

impl Vault {
    /// Removes this device's segments nobody can still need (see `sync::compact`). For the
    /// tests (`vault::Inspect`); the app and the CLI compact through the policy step.
    #[cfg(any(test, feature = "inspect"))]
    pub(crate) fn compact_segments(&mut self) -> Result<usize> {
        self.compact_segments_older_than(compact::SEGMENT_GRACE)
    }

    /// The compaction rule with another grace time (tests).
    #[cfg(any(test, feature = "inspect"))]
    pub(crate) fn compact_segments_older_than(&mut self, grace: Duration) -> Result<usize> {
        Ok(match self.compact_held(grace)? {
            Compaction::Removed(n) => n,
            Compaction::Nothing | Compaction::FolderSlow => 0,
        })
    }

    pub(crate) fn compact_held(&mut self, grace: Duration) -> Result<Compaction> {
        compact(&Held(RefCell::new(self)), &FolderIo::unlimited(), grace)
    }
}
