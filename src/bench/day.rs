//! The working day behind `tresor bench --day`: what a practitioner's day writes into the data
//! folder, snapshots included, and how long a new computer then takes to open the folder
//! (docs/PERFORMANCE.md, "The data folder").

use std::path::{Path, PathBuf};
use std::time::Instant;

use jiff::ToSpan;
use secrecy::SecretString;

use crate::demo::{self, DemoOptions};
use crate::domain::ids::ClientId;
use crate::error::Result;
use crate::store::ClientQuery;
use crate::vault::{CreateOptions, Vault};

use super::{copy_tree, invoice_first_year, open, PASSWORD, YEARS};

/// A practitioner's working day on a generated practice, each step as the CLI does it (open,
/// change, lock): what it writes into the data folder — segments, leases and any snapshot —
/// and how long a new computer then takes to open the folder.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DayFigures {
    pub clients: u32,
    pub sessions: u32,
    pub years: u32,
    /// Size of the newest snapshot in the folder at the start of the day.
    pub snapshot_bytes: u64,
    pub documented_sessions: u32,
    pub client_edits: u32,
    pub invoices_issued: u32,
    pub sessions_bytes: u64,
    pub client_edit_bytes: u64,
    pub month_end_bytes: u64,
    pub total_bytes: u64,
    pub snapshots_written: u32,
    /// 25 sessions + 10 client edits + the month-end run as one.
    pub edits: u32,
    pub per_edit: f64,
    /// Also charging each edit its share of the next snapshot, which comes once segments reach
    /// `SNAPSHOT_SHARE` of it: the long-run figure.
    pub per_edit_with_snapshot_share: f64,
    /// The same two figures counting every issued invoice as a change of its own.
    pub per_change: f64,
    pub per_change_with_snapshot_share: f64,
    pub new_computer_open_s: f64,
}

/// Every file below `dir` with its size and time.
fn folder_state(dir: &Path) -> std::collections::BTreeMap<PathBuf, (u64, std::time::SystemTime)> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let Ok(m) = e.metadata() else { continue };
            if m.is_dir() {
                stack.push(e.path());
            } else if let Ok(t) = m.modified() {
                out.insert(e.path(), (m.len(), t));
            }
        }
    }
    out
}

/// Bytes in files that are new or rewritten between two states of a folder.
fn bytes_written(
    before: &std::collections::BTreeMap<PathBuf, (u64, std::time::SystemTime)>,
    after: &std::collections::BTreeMap<PathBuf, (u64, std::time::SystemTime)>,
) -> u64 {
    after.iter().filter(|(p, v)| before.get(*p) != Some(*v)).map(|(_, (len, _))| *len).sum()
}

fn is_snapshot(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == crate::paths::SNAPSHOT_EXT)
}

/// Generates (once) the practice `tresor demo --clients C --sessions S --years Y` makes — for
/// the bench's own sizes also with its invoiced first year — then runs the working day on a
/// copy of it.
pub fn working_day(
    dir: &Path,
    clients: u32,
    sessions: u32,
    years: u32,
    mut progress: impl FnMut(&str),
) -> Result<DayFigures> {
    let tag = format!("day-{clients}x{sessions}x{years}");
    let root = dir.join(&tag);
    let (data, home) = (root.join("data"), root.join("home"));
    if !root.join("ready").exists() {
        let _ = std::fs::remove_dir_all(&root);
        progress(&format!("generating {clients} clients, {sessions} sessions over {years} years …"));
        let copts = CreateOptions { local_root: Some(home.clone()), ..Default::default() };
        let (mut v, _) = Vault::create(&data, &SecretString::from(PASSWORD), &copts)?;
        demo::generate(&mut v, &DemoOptions { clients, sessions, years, seed: 1 }, |_| {})?;
        if years == YEARS {
            invoice_first_year(&mut v)?;
        }
        v.lock()?;
        crate::fsutil::write_atomic(&root.join("ready"), tag.as_bytes())?;
    }
    let scratch = root.join("day");
    let _ = std::fs::remove_dir_all(&scratch);
    progress("copying the practice …");
    copy_tree(&data, &scratch.join("data"))?;
    copy_tree(&home, &scratch.join("home"))?;
    let (data, home) = (scratch.join("data"), scratch.join("home"));
    let snapshot_bytes =
        folder_state(&data.join(crate::paths::SNAPSHOT_DIR)).values().map(|(l, _)| *l).max().unwrap_or(0);

    let total = |f: &mut dyn FnMut(&mut Vault) -> Result<u32>| -> Result<(u64, u32, u32)> {
        let before = folder_state(&data);
        let mut v = open(&data, &home)?;
        let n = f(&mut v)?;
        v.lock()?;
        let after = folder_state(&data);
        let snaps = after.keys().filter(|p| is_snapshot(p) && !before.contains_key(*p)).count() as u32;
        Ok((bytes_written(&before, &after), n, snaps))
    };
    let (clients_list, _) =
        open(&data, &home)?.records().clients(&ClientQuery { limit: 1000, ..Default::default() })?;
    let ids: Vec<ClientId> = clients_list.iter().map(|c| c.id).collect();
    if ids.is_empty() {
        return Err(crate::Error::NothingToBill);
    }
    let note = "Stundenverlauf: Die Klientin berichtet von einer ruhigeren Woche, der Schlaf habe sich \
        etwas gebessert. Wir besprechen die Situation am Arbeitsplatz und die Gespräche mit der \
        Vorgesetzten; Übung zur Achtsamkeit wiederholt, Hausaufgabe: Tagebuch der Belastungen \
        weiterführen. Vereinbarung für die nächste Stunde: Rückblick auf die Übungen, Planung der \
        Gespräche in der Familie. Keine akute Gefährdung.";
    let day_start = folder_state(&data);
    progress("working day: 25 documented sessions …");
    let (mut sessions_bytes, mut snapshots_written) = (0, 0);
    for i in 0..25u32 {
        let c = ids[(i as usize * 7) % ids.len()];
        let (b, _, s) = total(&mut |v| {
            let today = v.records().today()?;
            v.records_mut().add_session(crate::domain::session::SessionInput {
                client_id: c,
                appointment_id: None,
                service_id: None,
                date: today,
                minutes: Some(50),
                fee: Some(crate::domain::money::Cents::new(9000)),
                setting: None,
                group_size: None,
                note: note.into(),
            })?;
            Ok(1)
        })?;
        sessions_bytes += b;
        snapshots_written += s;
    }
    progress("working day: 10 client edits …");
    let mut client_edit_bytes = 0;
    for i in 0..10u32 {
        let c = ids[(i as usize * 13 + 3) % ids.len()];
        let (b, _, s) = total(&mut |v| {
            let mut input = v.records().client(c)?.data;
            input.street = format!("Neubaugasse {}", 10 + i);
            input.phone = format!("+43 660 55501{i:02}");
            v.records_mut().update_client(c, input)?;
            Ok(1)
        })?;
        client_edit_bytes += b;
        snapshots_written += s;
    }
    progress("working day: month-end run …");
    let (month_end_bytes, invoices_issued, s) = total(&mut |v| {
        demo::complete_practice_profile(v)?;
        let last_month =
            v.records().today()?.first_of_month().checked_sub(1.month()).map_err(|_| crate::Error::NothingToBill)?;
        let run = v.billing_mut().draft_month(&last_month.strftime("%Y-%m").to_string())?;
        let n = run.drafted.len() as u32;
        for id in run.drafted {
            v.billing_mut().issue_invoice(id, Some(last_month.last_of_month()))?;
        }
        Ok(n)
    })?;
    snapshots_written += s;
    let total_bytes = sessions_bytes + client_edit_bytes + month_end_bytes;
    let edits = 25 + 10 + 1;
    let log = data.join(crate::paths::LOG_DIR);
    let in_log = |m: std::collections::BTreeMap<PathBuf, (u64, std::time::SystemTime)>| {
        m.into_iter().filter(|(p, _)| p.starts_with(&log)).collect::<std::collections::BTreeMap<_, _>>()
    };
    let segments_today = bytes_written(&in_log(day_start), &in_log(folder_state(&data)));
    let share = crate::vault::SNAPSHOT_SHARE;
    let with_share = total_bytes as f64 + segments_today as f64 * share.1 as f64 / share.0 as f64;

    progress("a new computer opens the folder …");
    let t = Instant::now();
    let v = open(&data, &scratch.join("new-computer"))?;
    let new_computer_open_s = t.elapsed().as_secs_f64();
    let n_new = v.store().read().stats()?.clients;
    drop(v);
    if n_new as usize != open(&data, &home)?.store().read().stats()?.clients as usize {
        return Err(crate::Error::NoSnapshot);
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(DayFigures {
        clients,
        sessions,
        years,
        snapshot_bytes,
        documented_sessions: 25,
        client_edits: 10,
        invoices_issued,
        sessions_bytes,
        client_edit_bytes,
        month_end_bytes,
        total_bytes,
        snapshots_written,
        edits,
        per_edit: total_bytes as f64 / edits as f64,
        per_edit_with_snapshot_share: with_share / edits as f64,
        per_change: total_bytes as f64 / (35 + invoices_issued.max(1)) as f64,
        per_change_with_snapshot_share: with_share / (35 + invoices_issued.max(1)) as f64,
        new_computer_open_s,
    })
}

/// The working day as Markdown, for docs/PERFORMANCE.md.
pub fn day_markdown(d: &DayFigures) -> String {
    format!(
        "Practice: {} clients, {} sessions over {} years; newest snapshot {:.1} MB.\n\n\
| step | bytes written to the data folder |\n|---|---|\n\
| 25 documented sessions (each: open, add, lock) | {} |\n\
| 10 client edits (each: open, change, lock) | {} |\n\
| month-end run ({} invoices issued, one open/lock) | {} |\n\
| **day** ({} snapshot(s) written) | **{}** |\n\
| per edit (36: sessions, edits, the run as one) | **{:.0}** (goal ≤ 4096) |\n\
| per edit with its share of the next snapshot (long run) | {:.0} |\n\
| per change ({}: every issued invoice counted) | {:.0} |\n\
| per change with its share of the next snapshot (long run) | {:.0} |\n\
| a new computer opens the folder after this day | {:.2} s |\n",
        d.clients,
        d.sessions,
        d.years,
        d.snapshot_bytes as f64 / 1e6,
        d.sessions_bytes,
        d.client_edit_bytes,
        d.invoices_issued,
        d.month_end_bytes,
        d.snapshots_written,
        d.total_bytes,
        d.per_edit,
        d.per_edit_with_snapshot_share,
        35 + d.invoices_issued,
        d.per_change,
        d.per_change_with_snapshot_share,
        d.new_computer_open_s,
    )
}
