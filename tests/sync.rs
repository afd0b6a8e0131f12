//! Two computers sharing one data folder through a (simulated) sync client.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use common::syncsim::{Chaos, Sim};
use common::*;
use jiff::civil::date;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use secrecy::SecretString;
use tresor::domain::appointment::{AppointmentInput, AppointmentKind};
use tresor::domain::client::ClientInput;
use tresor::domain::money::Cents;
use tresor::domain::session::SessionInput;
use tresor::domain::{ClientId, SessionId};
use tresor::store::{ClientQuery, RowImage, REPLICATED};
use tresor::{Unlock, Vault};

struct Device {
    folder: PathBuf,
    home: PathBuf,
}

impl Device {
    fn open(&self) -> Vault {
        Vault::open_in(&self.folder, &self.home, Unlock::Password(&SecretString::from(PASSWORD))).expect("open")
    }
}

/// A vault on device A, carried to device B's folder by a calm sync.
fn two_devices(w: &World) -> (Device, Device, Sim, Vault, Vault) {
    let a = Device { folder: w.dir.path().join("a-folder"), home: w.dir.path().join("a-home") };
    let b = Device { folder: w.dir.path().join("b-folder"), home: w.dir.path().join("b-home") };
    let opts = tresor::CreateOptions {
        kdf_target: std::time::Duration::ZERO,
        local_root: Some(a.home.clone()),
        ..Default::default()
    };
    let (va, _) = Vault::create(&a.folder, &SecretString::from(PASSWORD), &opts).unwrap();
    va.lock().unwrap();
    let mut sim = Sim::new(vec![a.folder.clone(), b.folder.clone()], 7);
    sim.upload(0, Chaos::CALM);
    sim.flush();
    sim.download(1, Chaos::CALM);
    sim.flush();
    let va = a.open();
    let vb = b.open();
    (a, b, sim, va, vb)
}

fn settle(sim: &mut Sim, vaults: &mut [&mut Vault]) {
    for _ in 0..8 {
        let mut quiet = true;
        for (i, v) in vaults.iter_mut().enumerate() {
            let r = v.sync_now().unwrap();
            quiet &= r.applied.is_empty() && r.written.is_none() && r.waiting.is_empty();
            sim.upload(i, Chaos::CALM);
        }
        sim.flush();
        for i in 0..vaults.len() {
            sim.download(i, Chaos::CALM);
        }
        sim.flush();
        if quiet && sim.in_flight() == 0 {
            return;
        }
    }
}

fn dump(v: &Vault) -> Vec<RowImage> {
    v.store().read().canonical_dump().unwrap()
}

fn client(v: &mut Vault, name: &str) -> ClientId {
    v.records_mut().add_client(ClientInput::with_full_name(name)).unwrap()
}

#[test]
fn an_edit_on_one_computer_appears_on_the_other() {
    let w = World::new();
    let (a, _b, mut sim, mut va, mut vb) = two_devices(&w);
    let c = client(&mut va, "Jörg Größ");
    let r = va.sync_now().unwrap();
    let seg = r.written.expect("a segment");
    let size = std::fs::metadata(&seg).unwrap().len();
    assert!(size < 4096, "a one-client segment is {size} bytes");
    sim.upload(0, Chaos::CALM);
    sim.flush();
    sim.download(1, Chaos::CALM);
    sim.flush();
    let r = vb.sync_now().unwrap();
    assert_eq!(r.applied.len(), 1);
    assert_eq!(vb.records().client(c).unwrap().data.family_name, "Größ");
    assert_eq!(r.others_open.len(), 1, "A's lease should show it open: {:?}", r.others_open);
    assert_eq!(r.others_open[0].device, va.device().id);
    drop(a);
}

#[test]
fn concurrent_edits_merge_by_newest_stamp_and_keep_both_revisions() {
    let w = World::new();
    let (_a, _b, mut sim, mut va, mut vb) = two_devices(&w);
    let c = client(&mut va, "Anna Huber");
    let s = va
        .records_mut()
        .add_session(SessionInput {
            client_id: c,
            appointment_id: None,
            service_id: None,
            date: date(2026, 11, 2),
            minutes: Some(50),
            fee: Some(Cents::new(9000)),
            setting: None,
            group_size: None,
            note: "Erstgespräch".into(),
        })
        .unwrap();
    settle(&mut sim, &mut [&mut va, &mut vb]);

    // Both edit the same client and revise the same note before either syncs.
    let mut ca = va.records().client(c).unwrap().data;
    ca.city = "Graz".into();
    va.records_mut().update_client(c, ca).unwrap();
    va.records_mut().revise_session(s, "Erstgespräch — Version A").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    let mut cb = vb.records().client(c).unwrap().data;
    cb.city = "Linz".into();
    vb.records_mut().update_client(c, cb).unwrap();
    vb.records_mut().revise_session(s, "Erstgespräch — Version B").unwrap();
    settle(&mut sim, &mut [&mut va, &mut vb]);

    assert_eq!(dump(&va), dump(&vb));
    assert_eq!(va.records().client(c).unwrap().data.city, "Linz", "the newer edit wins");
    let revs: Vec<String> = va.records().revisions(s).unwrap().into_iter().map(|r| r.body).collect();
    assert_eq!(revs, vec!["Erstgespräch", "Erstgespräch — Version A", "Erstgespräch — Version B"]);
    assert_eq!(vb.records().session(s).unwrap().note, "Erstgespräch — Version B");
    // The search index holds exactly the current revision on both.
    for v in [&va, &vb] {
        assert_eq!(v.records().search("Version", 10).unwrap().sessions.len(), 1);
        assert!(v.verify().unwrap().sound());
    }
}

#[test]
fn a_tombstone_wins_over_an_older_edit() {
    let w = World::new();
    let (_a, _b, mut sim, mut va, mut vb) = two_devices(&w);
    let c = client(&mut va, "Max Moser");
    settle(&mut sim, &mut [&mut va, &mut vb]);
    let mut edit = vb.records().client(c).unwrap().data;
    edit.notes = "older edit".into();
    vb.records_mut().update_client(c, edit).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    va.records_mut().delete_client(c).unwrap();
    settle(&mut sim, &mut [&mut va, &mut vb]);
    assert!(vb.records().client(c).is_err());
    assert_eq!(dump(&va), dump(&vb));
}

#[test]
fn a_damaged_segment_is_reported_and_the_others_still_apply() {
    let w = World::new();
    let (_a, b, mut sim, mut va, mut vb) = two_devices(&w);
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(client(&mut va, &format!("Client Nummer{i}")));
        va.sync_now().unwrap();
    }
    sim.upload(0, Chaos::CALM);
    sim.flush();
    sim.download(1, Chaos::CALM);
    sim.flush();
    let dir = b.folder.join("log").join(&va.device().id);
    let mut segs: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
    segs.sort();
    // The newest three: one client each (earlier ones hold the vault's creation).
    let segs = segs.split_off(segs.len() - 3);
    let bytes = std::fs::read(&segs[1]).unwrap();
    std::fs::write(&segs[1], &bytes[..bytes.len() - 7]).unwrap();
    let r = vb.sync_now().unwrap();
    assert_eq!(r.unreadable, vec![segs[1].clone()]);
    assert_eq!(r.applied.len(), 2);
    assert!(vb.records().client(ids[0]).is_ok() && vb.records().client(ids[2]).is_ok());
    assert!(vb.records().client(ids[1]).is_err());
    // Tampered rather than cut: the same.
    let mut t = bytes.clone();
    t[40] ^= 1;
    std::fs::write(&segs[1], &t).unwrap();
    assert_eq!(vb.sync_now().unwrap().unreadable.len(), 1);
    // Once the good copy arrives, it applies.
    std::fs::write(&segs[1], &bytes).unwrap();
    let r = vb.sync_now().unwrap();
    assert_eq!(r.applied.len(), 1);
    assert!(vb.records().client(ids[1]).is_ok());
}

#[test]
fn conflicted_copies_are_found_and_reported() {
    let w = World::new();
    let (a, _b, _sim, mut va, _vb) = two_devices(&w);
    client(&mut va, "Eva Egger");
    let seg = va.sync_now().unwrap().written.unwrap();
    let name = seg.file_name().unwrap().to_string_lossy().replace(".seg", " (conflicted copy 2026-11-22).seg");
    std::fs::copy(&seg, seg.with_file_name(name)).unwrap();
    std::fs::copy(a.folder.join("vault.key"), a.folder.join("vault (1).key")).unwrap();
    std::fs::write(a.folder.join("vault-DESKTOP-AB12.key"), b"{\"other\": true}").unwrap();
    let status = va.sync_status().unwrap();
    use tresor::sync::ForeignKind as K;
    let kinds: Vec<(K, Option<bool>)> = status.foreign.iter().map(|f| (f.kind, f.same_as_current)).collect();
    assert!(kinds.contains(&(K::SegmentConflict, None)), "{kinds:?}");
    assert!(kinds.contains(&(K::HeaderConflict, Some(true))));
    assert!(kinds.contains(&(K::HeaderConflict, Some(false))));
    assert!(a.folder.join("vault (1).key").exists(), "a conflict copy was deleted");
}

/// The big one: two computers make thousands of random edits while a rough sync client moves
/// files between them. Afterwards both hold the same data, and no edit is lost.
#[test]
fn thousands_of_random_edits_through_a_rough_sync_client_converge() {
    let w = World::new();
    let (a, b, mut sim, mut va, mut vb) = two_devices(&w);
    setup_practice(&mut va, tresor::domain::Country::AT);
    settle(&mut sim, &mut [&mut va, &mut vb]);
    let mut rng = StdRng::seed_from_u64(42);
    let mut created_clients: BTreeSet<ClientId> = BTreeSet::new();
    let mut created_sessions: BTreeSet<SessionId> = BTreeSet::new();
    let mut revisions_written = 0usize;
    let steps = 1100;
    let devices = [&a, &b];
    let mut vs = [Some(va), Some(vb)];
    for step in 0..steps {
        let dev = rng.random_range(0..2);
        let v = vs[dev].as_mut().unwrap();
        for _ in 0..rng.random_range(1..4) {
            random_edit(v, &mut rng, step, &mut created_clients, &mut created_sessions, &mut revisions_written);
        }
        if rng.random_bool(0.4) {
            v.sync_now().unwrap();
        }
        // Now and then a computer is locked and unlocked again (segment, snapshot, merge at unlock).
        if rng.random_bool(0.01) {
            vs[dev].take().unwrap().lock().unwrap();
            vs[dev] = Some(devices[dev].open());
        }
        sim.upload(dev, Chaos::ROUGH);
        sim.download(1 - dev, Chaos::ROUGH);
        sim.tick(Chaos::ROUGH);
    }
    let [Some(mut va), Some(mut vb)] = vs else { unreachable!() };
    assert!(
        sim.partials_made > 0 && sim.conflicts_made > 0,
        "the simulator was too calm: {} partial, {} conflicts",
        sim.partials_made,
        sim.conflicts_made
    );
    settle(&mut sim, &mut [&mut va, &mut vb]);

    let (da, db) = (dump(&va), dump(&vb));
    assert_eq!(da.len(), db.len());
    assert!(da == db, "the two computers disagree");
    for c in &created_clients {
        assert!(da.iter().any(|r| r.entity == "client" && r.id == c.to_string()), "client {c} lost");
    }
    for s in &created_sessions {
        assert!(da.iter().any(|r| r.entity == "session" && r.id == s.to_string()), "session {s} lost");
    }
    let revisions = da.iter().filter(|r| r.entity == "note_revision").count();
    assert_eq!(revisions, revisions_written, "documentation revisions lost");

    // Every row holds its newest edit: its stamp is the greatest in the merged journal.
    let mut newest: BTreeMap<String, i64> = BTreeMap::new();
    for v in [&va, &vb] {
        for dev in [&va.device().id, &vb.device().id] {
            // Entries that record an event about a row without changing it: a cancellation of
            // an (immutable) invoice, its lines travelling with the issue, a merge repair.
            let records_only = |e: &tresor::store::RawEntry| {
                (e.entity == "invoice" && e.op == "cancel")
                    || (e.entity == "invoice_line" && e.op == "issue")
                    || e.op == "merge_remove"
            };
            for e in
                v.store().read().own_changes_since(dev, 0, u32::MAX).unwrap().into_iter().filter(|e| !records_only(e))
            {
                let m = newest.entry(e.row_id).or_insert(0);
                *m = (*m).max(e.hlc);
            }
        }
    }
    // Conflict records carry the stamp of the change that stayed, not of their finding.
    use tresor::store::Merge;
    let lww: BTreeSet<&str> = REPLICATED
        .iter()
        .filter(|(_, _, m)| matches!(m, Merge::PerField | Merge::Document))
        .map(|(e, _, _)| *e)
        .collect();
    for r in da.iter().filter(|r| lww.contains(r.entity.as_str())) {
        let stamp = r.cols["updated_hlc"].as_i64().unwrap();
        assert_eq!(Some(&stamp), newest.get(&r.id), "{} {} does not hold its newest edit", r.entity, r.id);
    }
    // Invoices: numbered in two series, gapless in each, never the same number twice.
    let issued: Vec<&RowImage> = da.iter().filter(|r| r.entity == "invoice" && r.cols["state"] == "issued").collect();
    assert!(issued.len() > 10, "only {} invoices issued", issued.len());
    let mut by_series: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for inv in &issued {
        by_series
            .entry(inv.cols["series"].as_str().unwrap().to_string())
            .or_default()
            .push(inv.cols["seq"].as_i64().unwrap());
    }
    assert_eq!(by_series.len(), 2, "{by_series:?}");
    for (series, mut seqs) in by_series {
        seqs.sort();
        assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>(), "series {series:?} has gaps or duplicates");
    }
    for v in [&va, &vb] {
        let report = v.verify().unwrap();
        assert!(report.database.is_ok(), "{report:?}");
        let clashes = v.sync_status().unwrap().clashes;
        assert!(clashes.iter().all(|c| c.kind != "invoice_number" && c.kind != "series_code"), "{clashes:?}");
    }
    // Nothing readable in either folder after all this.
    for root in [&a.folder, &b.folder, &a.home, &b.home] {
        for (p, bytes) in files_below(root) {
            // Six bytes: four can match by chance in the megabytes of ciphertext scanned here.
            assert!(!contains(&bytes, b"Zqx9Hq"), "plaintext in {}", p.display());
            assert!(!bytes.starts_with(b"SQLite format 3"), "{}", p.display());
        }
    }
}

fn random_edit(
    v: &mut Vault,
    rng: &mut StdRng,
    step: usize,
    clients: &mut BTreeSet<ClientId>,
    sessions: &mut BTreeSet<SessionId>,
    revisions: &mut usize,
) {
    let (known, _) = v.records().clients(&ClientQuery { limit: 1000, ..Default::default() }).unwrap();
    let pick = |rng: &mut StdRng| known.get(rng.random_range(0..known.len().max(1))).map(|c| c.id);
    let roll = rng.random_range(0..100);
    match (roll, pick(rng)) {
        (0..=19, _) | (_, None) => {
            let id = v
                .records_mut()
                .add_client(ClientInput::with_full_name(&format!("Zqx9Hq Vorname Nachname{step}")))
                .unwrap();
            clients.insert(id);
        }
        (20..=39, Some(c)) => {
            let mut d = v.records().client(c).unwrap().data;
            d.city = format!("Zqx9Hq Stadt{}", rng.random_range(0..1000));
            v.records_mut().update_client(c, d).unwrap();
        }
        (40..=64, Some(c)) => {
            let note = format!("Zqx9Hq Verlauf {step} über Ängste");
            let s = v
                .records_mut()
                .add_session(SessionInput {
                    client_id: c,
                    appointment_id: None,
                    service_id: None,
                    date: date(2026, 1, 1 + (step % 28) as i8),
                    minutes: Some(50),
                    fee: Some(Cents::new(9000)),
                    setting: None,
                    group_size: None,
                    note,
                })
                .unwrap();
            sessions.insert(s);
            *revisions += 1;
        }
        (65..=84, Some(c)) => {
            let list = v.records().sessions_of(c, 50).unwrap();
            if let Some(s) = list.get(rng.random_range(0..list.len().max(1))) {
                if v.records_mut()
                    .revise_session(s.id, &format!("Zqx9Hq Korrektur {step} {}", rng.random_range(0..1_000_000)))
                    .unwrap()
                    .is_some()
                {
                    *revisions += 1;
                }
            }
        }
        (85..=89, Some(c)) => {
            if let Some(s) = v.records().sessions_of(c, 5).unwrap().first() {
                v.records_mut().delete_session(s.id).unwrap();
            }
        }
        // A client with documentation is kept (retention): only one without may be deleted.
        (90..=91, Some(c)) => match v.records_mut().delete_client(c) {
            Ok(()) | Err(tresor::Error::RetentionActive { .. }) => {}
            Err(e) => panic!("{e}"),
        },
        (92..=94, Some(c)) => {
            // Bill what is unbilled; nothing to bill is fine.
            if let Ok(ids) = v.billing_mut().draft_invoice(c, None, None) {
                for id in ids {
                    // A client without an address cannot be billed above the legal limit.
                    match v.billing_mut().issue_invoice(id, None) {
                        Ok(_) | Err(tresor::Error::RecipientIncomplete { .. }) => {}
                        Err(e) => panic!("issuing failed: {e}"),
                    }
                }
            }
        }
        (95..=96, _) => {
            let open: Vec<_> = v
                .billing()
                .invoices(&tresor::store::InvoiceQuery { issued: true, ..Default::default() })
                .unwrap()
                .into_iter()
                .filter(|i| i.number.is_some() && i.balance.due.is_some_and(|d| d.is_positive()))
                .collect();
            if let Some(i) = open.get(rng.random_range(0..open.len().max(1))) {
                let number = i.number.clone().unwrap();
                v.billing_mut().record_payment(&number, Cents::new(1000), None, "transfer").unwrap();
            }
        }
        (_, Some(c)) => {
            v.records_mut()
                .add_appointment(AppointmentInput {
                    client_id: c,
                    service_id: None,
                    local_start: date(2026, 12, 1 + (step % 28) as i8).at(9, 0, 0, 0),
                    minutes: 50,
                    kind: AppointmentKind::InPerson,
                    video_link: String::new(),
                    note: String::new(),
                })
                .unwrap();
        }
    }
}

/// Invoices travel with their lines, payments and dunning letters; each computer numbers in its
/// own series, so the second one's first invoice is 2026-A-0001, never a second 2026-0001.
#[test]
fn invoices_replicate_and_each_computer_has_its_own_series() {
    let w = World::new();
    let (_a, _b, mut sim, mut va, mut vb) = two_devices(&w);
    setup_practice(&mut va, tresor::domain::Country::AT);
    let c = client(&mut va, "Anna Huber");
    billable_session(&mut va, c, date(2026, 3, 2), 9000);
    billable_session(&mut va, c, date(2026, 3, 9), 9000);
    let id = va.billing_mut().draft_invoice(c, None, None).unwrap()[0];
    let n1 = va.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap();
    va.billing_mut().record_payment(&n1, Cents::new(5000), Some(date(2026, 4, 2)), "transfer").unwrap();
    va.billing_mut().dunning_run(Some(date(2026, 4, 20))).unwrap();
    settle(&mut sim, &mut [&mut va, &mut vb]);

    let on_b = vb.billing().invoice_by_number(&n1).unwrap();
    assert_eq!(
        (on_b.lines.len(), on_b.totals.gross, on_b.payments.len(), on_b.dunning.len()),
        (2, Cents::new(18000), 1, 1)
    );
    billable_session(&mut vb, c, date(2026, 4, 6), 9000);
    let id_b = vb.billing_mut().draft_invoice(c, None, None).unwrap()[0];
    assert_eq!(vb.billing().invoice(id_b).unwrap().lines.len(), 1, "B must not bill A's sessions again");
    let nb = vb.billing_mut().issue_invoice(id_b, Some(date(2026, 4, 30))).unwrap();
    assert_eq!(nb, "2026-A-0001");
    settle(&mut sim, &mut [&mut va, &mut vb]);
    assert_eq!(va.billing().invoice_by_number(&nb).unwrap().totals.gross, Cents::new(9000));
    billable_session(&mut va, c, date(2026, 5, 4), 9000);
    let id_a = va.billing_mut().draft_invoice(c, None, None).unwrap()[0];
    assert_eq!(va.billing_mut().issue_invoice(id_a, Some(date(2026, 5, 31))).unwrap(), "2026-0002");
    settle(&mut sim, &mut [&mut va, &mut vb]);
    assert_eq!(dump(&va), dump(&vb));
}

/// Two computers that act on the same invoice while offline must still merge: an issued invoice
/// beats a draft deleted elsewhere, and double dunning is kept and reported, not a stuck sync.
#[test]
fn offline_clashes_merge_and_are_reported() {
    let w = World::new();
    let (_a, _b, mut sim, mut va, mut vb) = two_devices(&w);
    setup_practice(&mut va, tresor::domain::Country::AT);
    let c = client(&mut va, "Anna Huber");
    billable_session(&mut va, c, date(2026, 3, 2), 9000);
    let n1 = {
        let id = va.billing_mut().draft_invoice(c, None, None).unwrap()[0];
        va.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap()
    };
    billable_session(&mut va, c, date(2026, 4, 6), 9000);
    let draft = va.billing_mut().draft_invoice(c, None, None).unwrap()[0];
    let c2 = client(&mut va, "Bernd Bauer");
    billable_session(&mut va, c2, date(2026, 4, 7), 8000);
    let draft2 = va.billing_mut().draft_invoice(c2, None, None).unwrap()[0];
    settle(&mut sim, &mut [&mut va, &mut vb]);

    // Offline on both: each runs the dunning run; A issues the drafts while B deletes one and
    // adds a line to the other.
    va.billing_mut().dunning_run(Some(date(2026, 4, 20))).unwrap();
    vb.billing_mut().dunning_run(Some(date(2026, 4, 20))).unwrap();
    let n2 = va.billing_mut().issue_invoice(draft, Some(date(2026, 4, 30))).unwrap();
    let n3 = va.billing_mut().issue_invoice(draft2, Some(date(2026, 4, 30))).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    vb.billing_mut().delete_draft(draft).unwrap();
    let extra = tresor::billing::model::LineInput {
        kind: tresor::billing::model::LineKind::Item,
        session_id: None,
        appointment_id: None,
        date: Some(date(2026, 4, 7)),
        description: "Bericht".into(),
        minutes: None,
        setting: None,
        quantity: 1,
        unit: Cents::new(3000),
        tax: tresor::domain::TaxMode::AtExempt,
        fee: Default::default(),
        fee_reason: String::new(),
        full_unit: None,
        group_size: None,
    };
    vb.billing_mut().add_invoice_line(draft2, extra).unwrap();
    settle(&mut sim, &mut [&mut va, &mut vb]);

    assert_eq!(dump(&va), dump(&vb), "the computers did not converge");
    for v in [&va, &vb] {
        assert_eq!(v.billing().invoice_by_number(&n2).unwrap().id, draft, "the issued invoice must survive the delete");
        let issued = v.billing().invoice_by_number(&n3).unwrap();
        assert_eq!(
            (issued.lines.len(), issued.totals.gross),
            (1, Cents::new(8000)),
            "a line added after the issue crept in"
        );
        assert_eq!(v.billing().invoice_by_number(&n1).unwrap().dunning.len(), 2);
        let clashes = v.sync_status().unwrap().clashes;
        assert_eq!(clashes.len(), 1, "{clashes:?}");
        assert_eq!(clashes[0].kind, "dunning_level");
    }
}

/// A third computer sees the series the second announced in its lease before either synced
/// their invoices, so it takes the next letter.
#[test]
fn a_new_computer_avoids_series_announced_in_leases() {
    let w = World::new();
    let (a, _b, mut sim, mut va, mut vb) = two_devices(&w);
    setup_practice(&mut va, tresor::domain::Country::AT);
    let c = client(&mut va, "Anna Huber");
    billable_session(&mut va, c, date(2026, 3, 2), 9000);
    billable_session(&mut va, c, date(2026, 3, 9), 9000);
    settle(&mut sim, &mut [&mut va, &mut vb]);
    // C starts from A's folder before B's series reaches anyone's database.
    let c_home = w.dir.path().join("c-home");
    let mut vc = Vault::open_in(&a.folder, &c_home, Unlock::Password(&SecretString::from(PASSWORD))).unwrap();
    let id_b = vb.billing_mut().draft_invoice(c, Some(date(2026, 3, 1)), Some(date(2026, 3, 5))).unwrap()[0];
    assert_eq!(vb.billing_mut().issue_invoice(id_b, Some(date(2026, 3, 31))).unwrap(), "2026-A-0001");
    // Only B's lease travels (its segment is held back).
    let lease = format!("leases/{}.json", vb.device().id);
    std::fs::copy(w.dir.path().join("b-folder").join(&lease), a.folder.join(&lease)).unwrap();
    let id_c = vc.billing_mut().draft_invoice(c, Some(date(2026, 3, 6)), Some(date(2026, 3, 10))).unwrap()[0];
    assert_eq!(vc.billing_mut().issue_invoice(id_c, Some(date(2026, 3, 31))).unwrap(), "2026-B-0001");
}

#[test]
fn a_logo_set_on_one_computer_and_an_address_on_the_other_both_survive() {
    let w = World::new();
    let (_a, _b, mut sim, mut va, mut vb) = two_devices(&w);
    let png = half_red_png(3, 2);
    va.records_mut().set_logo(Some(&png)).unwrap();
    let change = tresor::domain::PracticeUpdate { street: Some("Neubaugasse 7".into()), ..Default::default() };
    vb.records_mut().update_practice(&change).unwrap();
    settle(&mut sim, &mut [&mut va, &mut vb]);
    for v in [&va, &vb] {
        assert_eq!(v.records().logo().unwrap().map(|l| (l.width, l.height)), Some((3, 2)));
        assert_eq!(v.records().practice().unwrap().street, "Neubaugasse 7");
    }
    assert_eq!(dump(&va), dump(&vb));
    va.records_mut().set_logo(None).unwrap();
    settle(&mut sim, &mut [&mut va, &mut vb]);
    assert!(vb.records().logo().unwrap().is_none(), "the removal travels too");
}

/// The issue's case, both halves: phone changed on one computer and city on the other survive
/// together; the same field changed on both keeps the newer value, says so on both computers
/// with both values, and taking the other value travels like any change.
#[test]
fn the_same_field_changed_on_both_computers_is_a_conflict_both_see_and_either_resolves() {
    use tresor::store::Side;
    let w = World::new();
    let (_a, _b, mut sim, mut va, mut vb) = two_devices(&w);
    let c = client(&mut va, "Anna Huber");
    settle(&mut sim, &mut [&mut va, &mut vb]);
    let edit = |v: &mut Vault, f: &dyn Fn(&mut ClientInput)| {
        let mut d = v.records().client(c).unwrap().data;
        f(&mut d);
        v.records_mut().update_client(c, d).unwrap();
    };
    edit(&mut va, &|d| d.phone = "+43 1 111".into());
    edit(&mut va, &|d| d.street = "Neubaugasse 7".into());
    std::thread::sleep(std::time::Duration::from_millis(5));
    edit(&mut vb, &|d| d.phone = "+43 1 222".into());
    edit(&mut vb, &|d| d.city = "Graz".into());
    settle(&mut sim, &mut [&mut va, &mut vb]);

    assert_eq!(dump(&va), dump(&vb));
    for v in [&va, &vb] {
        let d = v.records().client(c).unwrap().data;
        assert_eq!((d.phone.as_str(), d.street.as_str(), d.city.as_str()), ("+43 1 222", "Neubaugasse 7", "Graz"));
        let open = v.sync_status().unwrap().conflicts;
        assert_eq!(open.len(), 1, "{open:#?}");
        let k = &open[0];
        assert_eq!(
            (k.entity.as_str(), k.row_id.as_str(), k.field.as_str()),
            ("client", c.to_string().as_str(), "phone")
        );
        assert_eq!((k.kept.value.as_str(), k.kept.device.as_str()), (Some("+43 1 222"), vb.device().id.as_str()));
        assert_eq!((k.other.value.as_str(), k.other.device.as_str()), (Some("+43 1 111"), va.device().id.as_str()));
        assert!(k.other.at <= k.kept.at && k.record.as_deref() == Some("Anna Huber"));
    }
    let id = va.conflicts(false).unwrap()[0].id.clone();
    let taken = vb.resolve_conflict(&id[..13], Side::Other).unwrap();
    assert_eq!(taken.resolution, Some(Side::Other));
    settle(&mut sim, &mut [&mut va, &mut vb]);
    for v in [&va, &vb] {
        assert_eq!(v.records().client(c).unwrap().data.phone, "+43 1 111");
        assert!(v.conflicts(false).unwrap().is_empty());
        assert_eq!(v.conflicts(true).unwrap()[0].resolution, Some(Side::Other));
        let ops: Vec<String> =
            v.store().read().journal_for(&[c.to_string(), id.clone()]).unwrap().into_iter().map(|e| e.op).collect();
        assert!(ops.iter().filter(|o| *o == "resolve").count() == 2, "{ops:?}");
    }
    assert_eq!(dump(&va), dump(&vb));
    assert!(matches!(va.resolve_conflict("0000", Side::Kept), Err(tresor::Error::NotFound { .. })));
}

/// Deleted on one computer while edited on the other: the rule is that the delete stays (no
/// silent resurrection), the edit stays inside the deleted record (no loss), and a conflict
/// says so; taking the other value restores the record with the edit.
#[test]
fn a_record_deleted_on_one_computer_while_edited_on_the_other_stays_deleted_and_says_so() {
    use tresor::store::Side;
    let w = World::new();
    let (_a, _b, mut sim, mut va, mut vb) = two_devices(&w);
    let c = client(&mut va, "Max Moser");
    settle(&mut sim, &mut [&mut va, &mut vb]);
    va.records_mut().delete_client(c).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    let mut d = vb.records().client(c).unwrap().data;
    d.notes = "Telefonat: Termin verschoben".into();
    vb.records_mut().update_client(c, d).unwrap();
    settle(&mut sim, &mut [&mut va, &mut vb]);

    assert_eq!(dump(&va), dump(&vb));
    for v in [&va, &vb] {
        assert!(v.records().client(c).is_err(), "the delete must stay");
        let row = v.store().read().row_image("client", &c.to_string()).unwrap().unwrap();
        assert_eq!(row.cols["notes"], "Telefonat: Termin verschoben", "the edit must not be lost");
        let open = v.conflicts(false).unwrap();
        assert_eq!(open.len(), 1, "{open:#?}");
        assert_eq!(
            (open[0].field.as_str(), &open[0].kept.value, &open[0].other.value),
            ("deleted", &1.into(), &0.into())
        );
        assert_eq!(open[0].other.device, vb.device().id);
    }
    let id = vb.conflicts(false).unwrap()[0].id.clone();
    va.resolve_conflict(&id, Side::Other).unwrap();
    settle(&mut sim, &mut [&mut va, &mut vb]);
    for v in [&va, &vb] {
        assert_eq!(v.records().client(c).unwrap().data.notes, "Telefonat: Termin verschoben");
        assert!(v.conflicts(false).unwrap().is_empty());
    }
    assert_eq!(dump(&va), dump(&vb));
}

#[test]
fn an_appointment_moved_on_one_computer_and_annotated_on_the_other_keeps_both() {
    use tresor::domain::appointment::SeriesScope;
    let w = World::new();
    let (_a, _b, mut sim, mut va, mut vb) = two_devices(&w);
    let c = client(&mut va, "Anna Huber");
    let id = va
        .records_mut()
        .add_appointment(AppointmentInput {
            client_id: c,
            service_id: None,
            local_start: date(2026, 3, 26).at(9, 0, 0, 0),
            minutes: 50,
            kind: AppointmentKind::InPerson,
            video_link: String::new(),
            note: String::new(),
        })
        .unwrap();
    settle(&mut sim, &mut [&mut va, &mut vb]);
    // A drags it across the DST change; B, unaware, adds a note.
    va.records_mut().move_appointment(id, date(2026, 3, 30).at(14, 0, 0, 0), 80).unwrap();
    let a = vb.records().appointment(id).unwrap();
    let tz = vb.records().practice().unwrap().tz().unwrap();
    let note = tresor::vault::AppointmentChange {
        local_start: a.start.to_zoned(tz.clone()).datetime(),
        minutes: 50,
        service_id: None,
        kind: AppointmentKind::InPerson,
        video_link: String::new(),
        note: "Bitte Befund mitbringen".into(),
    };
    vb.records_mut().change_appointment(id, &note, SeriesScope::Only).unwrap();
    settle(&mut sim, &mut [&mut va, &mut vb]);
    for v in [&va, &vb] {
        let a = v.records().appointment(id).unwrap();
        let z = a.start.to_zoned(tz.clone());
        assert_eq!((z.date(), z.hour(), a.minutes()), (date(2026, 3, 30), 14, 80));
        assert_eq!(a.note, "Bitte Befund mitbringen");
        assert!(v.conflicts(false).unwrap().is_empty(), "different fields: no conflict");
    }
}

#[test]
fn working_hours_set_on_one_computer_shade_the_other_ones_calendar() {
    use tresor::domain::{DaySpan, PracticeUpdate, WorkingHours};
    let w = World::new();
    let (_a, _b, mut sim, mut va, mut vb) = two_devices(&w);
    let mut hours = WorkingHours::default();
    hours.days[1] = Some(DaySpan { start_minute: 12 * 60, end_minute: 20 * 60 });
    va.records_mut()
        .update_practice(&PracticeUpdate { working_hours: Some(hours.clone()), ..Default::default() })
        .unwrap();
    // B changes another practice field meanwhile: both changes survive the per-field merge.
    let city = PracticeUpdate { city: Some("Graz".into()), ..Default::default() };
    vb.records_mut().update_practice(&city).unwrap();
    settle(&mut sim, &mut [&mut va, &mut vb]);
    for v in [&va, &vb] {
        let p = v.records().practice().unwrap();
        assert_eq!((p.working_hours, p.city.as_str()), (hours.clone(), "Graz"));
    }
    assert_eq!(vb.records().calendar(date(2026, 11, 9), date(2026, 11, 15)).unwrap().working_hours, hours);
}
