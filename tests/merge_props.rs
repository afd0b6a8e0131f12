//! The merge as a property: random edits of the same clients on three computers, their change
//! batches delivered in random order, some late, some twice. Afterwards every computer holds the
//! same rows and stamps, every field holds its newest edit, and no edit is lost without a word:
//! each one that does not stay was either seen by the computer that changed the field after it,
//! or is kept as the other value of a conflict record — and no conflict is reported where the
//! later change was made knowing the earlier one. Real SQLCipher stores in a temp dir.
//!
//! `PROPTEST_CASES=1000 cargo test --release --test merge_props` runs it longer.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use tresor::crypto::DataKey;
use tresor::domain::client::ClientInput;
use tresor::domain::ClientId;
use tresor::store::{OpenMode, RawEntry, RowImage, Store};

const DEVICES: usize = 3;
const CLIENTS: usize = 3;
const FIELDS: &[&str] = &["given_name", "family_name", "phone", "city", "notes"];

#[derive(Debug, Clone)]
enum Op {
    Edit { dev: usize, client: usize, field: usize },
    Delete { dev: usize, client: usize },
    Flush { dev: usize },
    Deliver { seg: usize, to: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..DEVICES, 0..CLIENTS, 0..FIELDS.len()).prop_map(|(dev, client, field)| Op::Edit { dev, client, field }),
        1 => (0..DEVICES, 0..CLIENTS).prop_map(|(dev, client)| Op::Delete { dev, client }),
        3 => (0..DEVICES).prop_map(|dev| Op::Flush { dev }),
        4 => (0..64usize, 0..DEVICES).prop_map(|(seg, to)| Op::Deliver { seg, to }),
    ]
}

/// One edit of one field, as the test saw it made.
#[derive(Debug, Clone)]
struct Edit {
    dev: usize,
    client: usize,
    field: &'static str,
    value: String,
    hlc: i64,
    /// The edits of this client the editing computer knew when it made this one.
    knew: BTreeSet<usize>,
}

/// A batch of one computer's changes, with what it knew of each client it carries.
struct Segment {
    from: usize,
    journal: Vec<RawEntry>,
    rows: Vec<RowImage>,
    knowledge: BTreeMap<usize, BTreeSet<usize>>,
}

struct World {
    _dir: tempfile::TempDir,
    stores: Vec<Store>,
    ids: Vec<ClientId>,
    exported: Vec<i64>,
    edits: Vec<Edit>,
    /// Per computer and client: the edits its version of the client includes.
    known: Vec<Vec<BTreeSet<usize>>>,
    segments: Vec<Segment>,
    next_value: usize,
}

fn device(i: usize) -> String {
    format!("dev-{}", (b'a' + i as u8) as char)
}

impl World {
    fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        let key = DataKey::generate().unwrap();
        let stores = (0..DEVICES)
            .map(|i| {
                Store::open(&dir.path().join(format!("{i}.db")), &key, OpenMode::CreateWorking, &device(i)).unwrap()
            })
            .collect();
        let mut w = World {
            _dir: dir,
            stores,
            ids: Vec::new(),
            exported: vec![0; DEVICES],
            edits: Vec::new(),
            known: vec![vec![BTreeSet::new(); CLIENTS]; DEVICES],
            segments: Vec::new(),
            next_value: 0,
        };
        for c in 0..CLIENTS {
            let id = ClientId::new();
            let input = ClientInput::with_full_name(&format!("Vorname{c} Nachname{c}"));
            w.stores[0].write(|tx| tx.insert_client(id, &input)).unwrap();
            w.ids.push(id);
        }
        w.flush(0);
        for to in 1..DEVICES {
            w.deliver(0, to);
        }
        w
    }

    fn edit(&mut self, dev: usize, client: usize, field: &'static str) {
        let id = self.ids[client];
        let Ok(current) = self.stores[dev].read().client(id) else { return }; // deleted here
        let mut input = current.data;
        self.next_value += 1;
        let value = format!("{field}-{}", self.next_value);
        match field {
            "given_name" => input.given_name = value.clone(),
            "family_name" => input.family_name = value.clone(),
            "phone" => input.phone = value.clone(),
            "city" => input.city = value.clone(),
            _ => input.notes = value.clone(),
        }
        self.stores[dev].write(|tx| tx.update_client(id, &input)).unwrap();
        let img = self.stores[dev].read().row_image("client", &id.to_string()).unwrap().unwrap();
        let hlc = img.cols["updated_hlc"].as_i64().unwrap();
        let knew = self.known[dev][client].clone();
        self.edits.push(Edit { dev, client, field, value, hlc, knew });
        self.known[dev][client].insert(self.edits.len() - 1);
    }

    fn delete(&mut self, dev: usize, client: usize) {
        let id = self.ids[client];
        let _ = self.stores[dev].write(|tx| tx.delete_client(id));
    }

    /// Writes the computer's changes since its last batch, as `write_segment` does.
    fn flush(&mut self, dev: usize) -> bool {
        let me = device(dev);
        let r = self.stores[dev].read();
        let journal = r.own_changes_since(&me, self.exported[dev], 100_000).unwrap();
        let Some(last) = journal.last().map(|e| e.seq) else { return false };
        let mut seen = BTreeSet::new();
        let mut rows = Vec::new();
        for e in &journal {
            if seen.insert((e.entity.clone(), e.row_id.clone())) {
                rows.extend(r.row_image(&e.entity, &e.row_id).unwrap());
            }
        }
        let mut knowledge = BTreeMap::new();
        for row in rows.iter().filter(|r| r.entity == "client") {
            let c = self.ids.iter().position(|id| id.to_string() == row.id).unwrap();
            knowledge.insert(c, self.known[dev][c].clone());
        }
        self.exported[dev] = last;
        self.segments.push(Segment { from: dev, journal, rows, knowledge });
        true
    }

    fn deliver(&mut self, seg: usize, to: usize) {
        let s = &self.segments[seg];
        if s.from == to {
            return;
        }
        let from = device(s.from);
        self.stores[to]
            .write(|tx| {
                for e in &s.journal {
                    tx.apply_journal(e.hlc, &from, &e.entity, &e.row_id, &e.op)?;
                }
                tx.apply_rows(&from, &s.rows)
            })
            .unwrap();
        for (c, k) in &s.knowledge {
            let k = k.clone();
            self.known[to][*c].extend(k);
        }
    }

    fn run(&mut self, ops: &[Op], seed: u64) {
        for op in ops {
            match *op {
                Op::Edit { dev, client, field } => self.edit(dev, client, FIELDS[field]),
                Op::Delete { dev, client } => self.delete(dev, client),
                Op::Flush { dev } => {
                    self.flush(dev);
                }
                Op::Deliver { seg, to } => {
                    let n = self.segments.len();
                    self.deliver(seg % n, to);
                }
            }
        }
        // Everything reaches everyone, in a random order and some of it twice, until no computer
        // has anything new (conflict records found while merging are changes too).
        let mut rng = StdRng::seed_from_u64(seed);
        for dev in 0..DEVICES {
            self.flush(dev);
        }
        for _ in 0..6 {
            let mut order: Vec<(usize, usize)> =
                (0..self.segments.len()).flat_map(|s| (0..DEVICES).map(move |d| (s, d))).collect();
            order.shuffle(&mut rng);
            for (s, d) in order {
                self.deliver(s, d);
            }
            let mut fresh = false;
            for dev in 0..DEVICES {
                fresh |= self.flush(dev);
            }
            if !fresh {
                return;
            }
        }
        panic!("the computers never went quiet");
    }

    fn check(&self) {
        let dumps: Vec<Vec<RowImage>> = self.stores.iter().map(|s| s.read().canonical_dump().unwrap()).collect();
        for d in &dumps[1..] {
            assert!(*d == dumps[0], "the computers disagree:\n{:#?}\n{:#?}", dumps[0], d);
        }
        let conflicts = self.stores[0].read().conflicts(true).unwrap();
        for (c, id) in self.ids.iter().enumerate() {
            let row = dumps[0].iter().find(|r| r.entity == "client" && r.id == id.to_string()).unwrap();
            for field in FIELDS {
                let edits: Vec<(usize, &Edit)> =
                    self.edits.iter().enumerate().filter(|(_, e)| e.client == c && e.field == *field).collect();
                let Some((_, newest)) = edits.iter().max_by_key(|(_, e)| (e.hlc, device(e.dev))) else { continue };
                assert_eq!(row.cols[*field].as_str(), Some(newest.value.as_str()), "{field} of client {c}");
                for (i, e) in &edits {
                    let seen_later = edits.iter().any(|(_, later)| later.knew.contains(i));
                    let kept = conflicts.iter().any(|k| {
                        k.row_id == id.to_string()
                            && k.field == *field
                            && k.other.value.as_str() == Some(e.value.as_str())
                            && k.other.device == device(e.dev)
                    });
                    assert!(
                        e.value == newest.value || seen_later || kept,
                        "the edit {e:?} of {field} was lost without a conflict record"
                    );
                }
            }
        }
        // No false alarms: a conflict's kept change was not made knowing the other one.
        for k in conflicts.iter().filter(|k| k.field != "deleted") {
            let find = |v: &serde_json::Value| self.edits.iter().position(|e| Some(e.value.as_str()) == v.as_str());
            if let (Some(kept), Some(other)) = (find(&k.kept.value), find(&k.other.value)) {
                assert!(!self.edits[kept].knew.contains(&other), "a conflict where one change saw the other: {k:?}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_edits_in_any_delivery_order_converge_and_lose_nothing_silently(
        ops in prop::collection::vec(op(), 1..50),
        seed in any::<u64>(),
    ) {
        let mut w = World::new();
        w.run(&ops, seed);
        w.check();
    }
}

/// The smallest case of the issue: phone changed on one computer, city on the other.
#[test]
fn different_fields_changed_apart_both_survive_in_either_order() {
    for first in [0, 1] {
        let mut w = World::new();
        w.edit(0, 0, "phone");
        w.edit(1, 0, "city");
        w.flush(0);
        w.flush(1);
        let (a, b) = (w.segments.len() - 2, w.segments.len() - 1);
        let order = if first == 0 { [(a, 1), (b, 0), (a, 1)] } else { [(b, 0), (a, 1), (b, 0)] };
        for (s, to) in order {
            w.deliver(s, to);
        }
        let client = |dev: usize| w.stores[dev].read().client(w.ids[0]).unwrap().data;
        for dev in [0, 1] {
            assert_eq!(client(dev).phone, w.edits[0].value);
            assert_eq!(client(dev).city, w.edits[1].value);
        }
        assert!(w.stores[0].read().conflicts(true).unwrap().is_empty(), "no field was changed twice");
    }
}
