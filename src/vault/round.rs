//! The phased sync round (`sync::round`) driven against an open vault that a caller holds behind
//! a lock: the vault is taken only for database work, never while the data folder is read or
//! written. The folder work and the database steps themselves live in `sync::round`.

use std::path::PathBuf;
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::sync::compact::SEGMENT_GRACE;
use crate::sync::foreign;
use crate::sync::round::{fetch, list, send, FolderIo, RoundReport};
use crate::vault::compaction::{self, Compaction};
use crate::vault::Vault;

/// Gives a round the open vault for one short piece of database work at a time.
pub trait VaultAccess {
    fn with_vault<T>(&self, f: impl FnOnce(&mut Vault) -> Result<T>) -> Result<T>;
}

impl VaultAccess for Mutex<Vault> {
    fn with_vault<T>(&self, f: impl FnOnce(&mut Vault) -> Result<T>) -> Result<T> {
        f(&mut self.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// A vault that can be locked (taken out) while a round runs, as in the desktop app: once it is
/// gone, the round's next step is refused with `vault.locked`.
impl VaultAccess for Mutex<Option<Vault>> {
    fn with_vault<T>(&self, f: impl FnOnce(&mut Vault) -> Result<T>) -> Result<T> {
        match self.lock().unwrap_or_else(|p| p.into_inner()).as_mut() {
            Some(v) => f(v),
            None => Err(Error::Locked),
        }
    }
}

/// One round: list and read the folder, merge, seal, write, note what was written. `access` is
/// asked for the vault four times, each time for database work only.
pub fn run(access: &impl VaultAccess, io: &FolderIo) -> Result<RoundReport> {
    let (folder, me) = access.with_vault(|v| Ok((v.data_folder().clone(), v.device().id.clone())))?;
    let mut report = RoundReport::default();
    // Is the folder there, and what does its `vault.key` say now? (A password changed on
    // another computer becomes this computer's copy; a folder away means working locally.)
    let probe = {
        let folder = folder.clone();
        io.run(&folder.header(), move || folder.check_present().map(|()| crate::header::read(&folder)))
    };
    match probe {
        Some(Ok(header)) => access.with_vault(|v| {
            v.folder_is_back(header);
            Ok(())
        })?,
        Some(Err(_)) => {
            access.with_vault(|v| {
                v.folder_went_away();
                Ok(())
            })?;
            report.folder_offline = true;
            return Ok(report);
        }
        None => {
            report.folder_slow = true;
            return Ok(report);
        }
    }
    let listing = {
        let (folder, me) = (folder.clone(), me.clone());
        io.run(&folder.log(), move || list(&folder, &me))
    };
    let Some(listing) = listing else {
        report.folder_slow = true;
        return Ok(report);
    };
    let pending = access.with_vault(|v| v.unapplied(&listing))?;
    let incoming = fetch(&pending, io);
    let devices: Vec<String> = listing.segments.keys().cloned().collect();
    let (sync, out) = access.with_vault(|v| {
        let sync = v.apply_incoming(&incoming)?;
        // An erasure that arrived is carried out now, its folder work included, with the vault
        // held: it is rare, and nothing may read the erased rows in between.
        v.retention_mut().apply_pending()?;
        Ok((sync, v.outgoing(true, &devices)?))
    })?;
    report.sync = sync;
    // Gone since the listing: nothing is created where the folder should be.
    if folder.check_present().is_err() {
        report.folder_offline = true;
        return Ok(report);
    }
    let sent = send(&out, io)?;
    access.with_vault(|v| v.mark_sent(&sent))?;
    report.sync.written = sent.through.and_then(|l| out.segments.iter().find(|s| s.last == l)).map(|s| s.path.clone());
    report.in_transit = incoming.in_transit;
    let root = folder.root().to_path_buf();
    report.foreign = io.run(&root, move || foreign::scan(&folder));
    Ok(report)
}

/// What the snapshot phase of a round did.
#[derive(Debug, Default, PartialEq, Eq)]
pub enum SnapshotPhase {
    /// Not looked at (checked recently) or not due.
    #[default]
    NotDue,
    Written(PathBuf),
    /// Made, but copying it into the data folder overran the time limit: the copy goes on by
    /// itself, and no further snapshot starts until it has finished.
    OnItsWay,
}

/// After a round: a full snapshot when one pays for itself, then compaction when due. The
/// vault is held to look at the policy, to make the snapshot in the working folder
/// (`VACUUM INTO`, proven: it needs the database) and for compaction's database steps
/// (`vault/compaction.rs`); deciding whether one is due (names, sizes and times in the folder),
/// copying it into the data folder and compaction's folder work run on `io` without the vault.
pub fn snapshot_phase(access: &impl VaultAccess, io: &FolderIo) -> Result<SnapshotPhase> {
    let Some(check) = access.with_vault(|v| v.snapshot_policy_check())? else {
        return Ok(SnapshotPhase::NotDue);
    };
    let dir = check.folder.snapshots();
    let mut phase = SnapshotPhase::NotDue;
    if !io.is_busy(&dir) {
        let due = {
            let check = check.clone();
            io.run(&dir, move || check.snapshot_due()).unwrap_or(false)
        };
        if due {
            let prepared = access.with_vault(|v| v.prepare_snapshot())?;
            phase = match io.run(&dir, move || prepared.publish()) {
                Some(written) => SnapshotPhase::Written(written?),
                None => SnapshotPhase::OnItsWay,
            };
        }
    }
    if (matches!(phase, SnapshotPhase::Written(_)) || check.compaction_due)
        && compaction::compact(access, io, SEGMENT_GRACE)? != Compaction::FolderSlow
    {
        access.with_vault(|v| v.note_compacted())?;
    }
    Ok(phase)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use crate::sync::lease;
    use crate::sync::watch::{FolderWatcher, OwnFiles};

    /// A round that reads the folder and writes this computer's lease (what the app does every
    /// few seconds) must not start the next round by itself.
    #[test]
    fn a_round_that_writes_the_lease_starts_no_other_round() {
        use std::sync::Mutex;
        let d = tempfile::tempdir().unwrap();
        let folder = d.path().join("data");
        let v = crate::vault::test_vault(d.path());
        // Another computer's lease, so each round also reads a file (an "open" event).
        let mut other = lease::read_all(v.data_folder());
        assert!(other.is_empty());
        let me = v.device().id.clone();
        let vault = Arc::new(Mutex::new(v));
        vault.lock().unwrap().heartbeat(true).unwrap();
        other = lease::read_all(vault.lock().unwrap().data_folder());
        let mut theirs = other.pop().unwrap();
        theirs.lease.device = "dev-other".into();
        lease::write(vault.lock().unwrap().data_folder(), &theirs).unwrap();

        let rounds = Arc::new(AtomicUsize::new(0));
        let (r, v) = (rounds.clone(), vault.clone());
        let w = FolderWatcher::start(
            &folder,
            OwnFiles::new(&folder, &me),
            Duration::from_millis(100),
            Duration::from_secs(3600),
            move || {
                let mut v = v.lock().unwrap();
                v.records_mut().add_client(crate::domain::ClientInput::with_full_name("Anna Berger")).unwrap();
                v.sync_now().unwrap();
                r.fetch_add(1, Ordering::SeqCst);
            },
        )
        .unwrap();
        // The other computer's lease changes: one round, which writes a segment and the lease.
        theirs.lease.heartbeat = jiff::Timestamp::now();
        lease::write(vault.lock().unwrap().data_folder(), &theirs).unwrap();
        let t = Instant::now();
        while rounds.load(Ordering::SeqCst) == 0 && t.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(10));
        }
        std::thread::sleep(Duration::from_millis(1500));
        assert_eq!(rounds.load(Ordering::SeqCst), 1, "our own writes started rounds");
        drop(w);
        Arc::try_unwrap(vault).unwrap().into_inner().unwrap().lock().unwrap();
    }
}
