//! A sync-client simulator in the manner of Dropbox or OneDrive: a "cloud" keeps a version per
//! file; each device folder remembers which version it last saw. Changes travel with random
//! delays and in random order, are sometimes visible before they are complete, are sometimes
//! held back for a while, and when both sides changed a file (or at random) arrive as a
//! "conflicted copy". Deletions are not carried, as some clients do not.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

#[derive(Clone, Copy)]
pub struct Chaos {
    pub partial: f64,
    pub conflict: f64,
    pub hold_back: f64,
    pub max_delay: u32,
}

impl Chaos {
    pub const CALM: Chaos = Chaos { partial: 0.0, conflict: 0.0, hold_back: 0.0, max_delay: 0 };
    pub const ROUGH: Chaos = Chaos { partial: 0.2, conflict: 0.03, hold_back: 0.05, max_delay: 4 };
}

type Files = BTreeMap<PathBuf, (u64, Vec<u8>)>;

struct Transfer {
    /// `None`: to the cloud; `Some(i)`: to device folder i.
    to: Option<usize>,
    rel: PathBuf,
    bytes: Vec<u8>,
    gen: u64,
    due: u32,
    partial_done: bool,
}

pub struct Sim {
    devices: Vec<PathBuf>,
    bases: Vec<Files>,
    cloud: Files,
    gen: u64,
    now: u32,
    queue: Vec<Transfer>,
    rng: StdRng,
    pub conflicts_made: usize,
    pub partials_made: usize,
}

/// Every file below `root` (relative path → bytes).
pub fn read_tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    super::files_below(root).into_iter().map(|(p, b)| (p.strip_prefix(root).unwrap().to_path_buf(), b)).collect()
}

fn conflicted(rel: &Path, n: u32) -> PathBuf {
    let name = rel.file_name().unwrap().to_string_lossy().to_string();
    let (stem, ext) = match name.find('.') {
        Some(i) if i > 0 => (name[..i].to_string(), name[i..].to_string()),
        _ => (name.clone(), String::new()),
    };
    rel.with_file_name(format!("{stem} (conflicted copy {n}){ext}"))
}

fn write(dest: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    std::fs::write(dest, bytes).unwrap();
}

impl Sim {
    pub fn new(devices: Vec<PathBuf>, seed: u64) -> Sim {
        let n = devices.len();
        Sim {
            devices,
            bases: vec![Files::new(); n],
            cloud: Files::new(),
            gen: 0,
            now: 0,
            queue: Vec::new(),
            rng: StdRng::seed_from_u64(seed),
            conflicts_made: 0,
            partials_made: 0,
        }
    }

    fn delay(&mut self, chaos: Chaos) -> u32 {
        let mut d = if chaos.max_delay > 0 { self.rng.random_range(0..=chaos.max_delay) } else { 0 };
        if self.rng.random_bool(chaos.hold_back) {
            d += 15;
        }
        self.now + d
    }

    fn queued(&self, to: Option<usize>, rel: &Path, bytes: &[u8]) -> bool {
        self.queue.iter().any(|t| t.to == to && t.rel == rel && t.bytes == bytes)
    }

    /// The device's changed files start travelling to the cloud.
    pub fn upload(&mut self, dev: usize, chaos: Chaos) {
        for (rel, bytes) in read_tree(&self.devices[dev]) {
            let base = self.bases[dev].get(&rel).cloned();
            if base.as_ref().is_some_and(|(_, b)| *b == bytes) || self.queued(None, &rel, &bytes) {
                continue;
            }
            let base_gen = base.map_or(0, |(g, _)| g);
            let cloud_gen = self.cloud.get(&rel).map_or(0, |(g, _)| *g);
            let rel = if cloud_gen != base_gen || self.rng.random_bool(chaos.conflict) {
                // Both sides changed it (or the client got confused): a conflicted copy.
                self.conflicts_made += 1;
                self.bases[dev].insert(rel.clone(), (cloud_gen, bytes.clone()));
                conflicted(&rel, self.now)
            } else {
                rel
            };
            self.gen += 1;
            self.bases[dev].insert(rel.clone(), (self.gen, bytes.clone()));
            let due = self.delay(chaos);
            self.queue.push(Transfer { to: None, rel, bytes, gen: self.gen, due, partial_done: false });
        }
    }

    /// Cloud versions the device has not seen start travelling to it.
    pub fn download(&mut self, dev: usize, chaos: Chaos) {
        let local = read_tree(&self.devices[dev]);
        let cloud: Vec<(PathBuf, (u64, Vec<u8>))> = self.cloud.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        for (rel, (gen, bytes)) in cloud {
            let base = self.bases[dev].get(&rel).cloned();
            if base.as_ref().is_some_and(|(g, _)| *g >= gen) || local.get(&rel) == Some(&bytes) {
                self.bases[dev].insert(rel.clone(), (gen, bytes.clone()));
                continue;
            }
            if self.queued(Some(dev), &rel, &bytes) {
                continue;
            }
            let changed_here = match (local.get(&rel), &base) {
                (Some(l), Some((_, b))) => l != b,
                (Some(_), None) => true,
                _ => false,
            };
            let dest = if changed_here {
                self.conflicts_made += 1;
                self.bases[dev].insert(rel.clone(), (gen, local[&rel].clone()));
                conflicted(&rel, self.now)
            } else {
                rel
            };
            let due = self.delay(chaos);
            self.queue.push(Transfer { to: Some(dev), rel: dest, bytes, gen, due, partial_done: false });
        }
    }

    fn land(&mut self, t: &Transfer) {
        match t.to {
            None => {
                self.cloud.insert(t.rel.clone(), (t.gen, t.bytes.clone()));
            }
            Some(d) => {
                write(&self.devices[d].join(&t.rel), &t.bytes);
                self.bases[d].insert(t.rel.clone(), (t.gen, t.bytes.clone()));
            }
        }
    }

    /// One unit of time: due transfers land; some downloads show their first half early.
    pub fn tick(&mut self, chaos: Chaos) {
        self.now += 1;
        let mut rest = Vec::new();
        let mut queue = std::mem::take(&mut self.queue);
        // Arrival order is random, not the order of sending.
        for i in (1..queue.len()).rev() {
            let j = self.rng.random_range(0..=i);
            queue.swap(i, j);
        }
        for mut t in queue {
            if t.due <= self.now {
                self.land(&t);
                continue;
            }
            if let Some(d) = t.to {
                if !t.partial_done && t.bytes.len() > 16 && self.rng.random_bool(chaos.partial) {
                    let half = t.bytes[..t.bytes.len() / 2].to_vec();
                    write(&self.devices[d].join(&t.rel), &half);
                    // The device's client knows this is its own download in progress.
                    let old = self.bases[d].get(&t.rel).map_or(0, |(g, _)| *g);
                    self.bases[d].insert(t.rel.clone(), (old, half));
                    t.partial_done = true;
                    self.partials_made += 1;
                }
            }
            rest.push(t);
        }
        self.queue = rest;
    }

    /// Lets everything in flight land.
    pub fn flush(&mut self) {
        for t in std::mem::take(&mut self.queue) {
            self.land(&t);
        }
    }

    pub fn in_flight(&self) -> usize {
        self.queue.len()
    }
}
