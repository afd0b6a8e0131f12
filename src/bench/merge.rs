//! Merge speed: how many rows another computer changed this one merges per second, new rows
//! and changed fields of existing ones, reading and opening the segments included.

use std::path::Path;
use std::time::{Duration, Instant};

use secrecy::SecretString;

use crate::demo::{self, DemoOptions};
use crate::domain::appointment::AppointmentStatus;
use crate::error::{Error, Result};
use crate::store::ClientQuery;
use crate::vault::{CreateOptions, Vault};

#[derive(Debug, Clone, serde::Serialize)]
pub struct MergeFigures {
    /// Rows the other computer created (clients, appointments, sessions, documentation).
    pub new_rows: u32,
    pub new_s: f64,
    /// Existing rows whose fields the other computer changed (addresses, appointment states).
    pub changed_rows: u32,
    pub changed_s: f64,
    /// The CPU time the merging thread used for both (Linux; `None` elsewhere): on a shared
    /// machine the wall-clock time also counts the other processes' turns.
    pub cpu_s: Option<f64>,
}

impl MergeFigures {
    pub fn rows_per_cpu_second(&self) -> Option<f64> {
        self.cpu_s.filter(|s| *s > 0.0).map(|s| (self.new_rows + self.changed_rows) as f64 / s)
    }

    pub fn rows_per_second(&self) -> f64 {
        let s = self.new_s + self.changed_s;
        if s > 0.0 {
            (self.new_rows + self.changed_rows) as f64 / s
        } else {
            0.0
        }
    }
}

/// Computer A makes a practice and then changes it; computer B, open on the same folder, merges
/// each batch. Timed: B's `merge_incoming` only.
pub fn merge_figures(dir: &Path) -> Result<MergeFigures> {
    let root = dir.join("merge");
    let _ = std::fs::remove_dir_all(&root);
    let (data, home_a, home_b) = (root.join("data"), root.join("a"), root.join("b"));
    let copts = CreateOptions { kdf_target: Duration::ZERO, local_root: Some(home_a.clone()), ..Default::default() };
    let (a, _) = Vault::create(&data, &SecretString::from(super::PASSWORD), &copts)?;
    a.lock()?;
    let mut b = super::open(&data, &home_b)?;
    let mut a = super::open(&data, &home_a)?;

    demo::generate(&mut a, &DemoOptions { clients: 1_000, sessions: 6_000, years: 1, seed: 3 }, |_| {})?;
    a.write_segment()?;
    let (t, cpu) = (Instant::now(), thread_cpu_s());
    let first = b.merge_incoming()?;
    let new_s = t.elapsed().as_secs_f64();
    let new_cpu = thread_cpu_s().zip(cpu).map(|(after, before)| after - before);

    let (clients, _) = a.records().clients(&ClientQuery { limit: 1000, ..Default::default() })?;
    for c in &clients {
        let mut input = a.records().client(c.id)?.data;
        input.street = format!("Merge-Gasse {}", input.street.len());
        a.records_mut().update_client(c.id, input)?;
    }
    let all = a.records().appointments_between(jiff::civil::date(2000, 1, 1), jiff::civil::date(2100, 1, 1))?;
    a.store_mut().write(|tx| {
        all.iter().try_for_each(|x| {
            let next = match x.status {
                AppointmentStatus::Planned => AppointmentStatus::Cancelled,
                _ => AppointmentStatus::NoShow,
            };
            tx.set_appointment_status(x.id, next)
        })
    })?;
    a.write_segment()?;
    let (t, cpu) = (Instant::now(), thread_cpu_s());
    let second = b.merge_incoming()?;
    let changed_s = t.elapsed().as_secs_f64();
    let cpu_s = thread_cpu_s().zip(cpu).zip(new_cpu).map(|((after, before), first)| first + after - before);
    let probe = clients.first().map(|c| c.id).ok_or(Error::NoSnapshot)?;
    if b.records().client(probe)?.data.street != a.records().client(probe)?.data.street || !second.failed.is_empty() {
        return Err(Error::DatabaseCorrupt { detail: "the merge benchmark did not converge".into() });
    }
    Ok(MergeFigures { new_rows: first.rows_changed, new_s, changed_rows: second.rows_changed, changed_s, cpu_s })
}

/// This thread's CPU time in seconds, from `/proc` (user + system, in the kernel's 1/100 s).
fn thread_cpu_s() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // The command name may hold spaces; the fields after its closing parenthesis do not.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    Some((ticks(11)? + ticks(12)?) as f64 / 100.0)
}
