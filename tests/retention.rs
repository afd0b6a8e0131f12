//! Retention, restriction and erasure on real files (issue 16): the retention ends, the delete
//! rule, restriction hiding a client everywhere, and erasure leaving no byte of a client in the
//! working copy, the snapshots, the segments, nor on a second computer that shares the folder.

mod common;

use std::path::{Path, PathBuf};

use aes_gcm::aes::cipher::{BlockCipherDecrypt, KeyInit};
use common::*;
use jiff::civil::{date, Date};
use secrecy::SecretString;
use tresor::domain::appointment::{AppointmentInput, AppointmentKind};
use tresor::domain::client::ClientInput;
use tresor::domain::retention::RetentionPolicy;
use tresor::domain::session::SessionInput;
use tresor::domain::{ClientId, Country};
use tresor::store::ClientQuery;
use tresor::{Error, Unlock, Vault};

fn client(v: &mut Vault, given: &str, family: &str) -> ClientId {
    let mut c = ClientInput::with_full_name(&format!("{given} {family}"));
    c.code_name = format!("Code{family}");
    v.records_mut().add_client(c).unwrap()
}

fn session(v: &mut Vault, c: ClientId, d: Date, note: &str) -> tresor::domain::SessionId {
    v.records_mut()
        .add_session(SessionInput {
            client_id: c,
            appointment_id: None,
            service_id: None,
            date: d,
            minutes: Some(50),
            fee: Some(tresor::domain::Cents::new(9000)),
            setting: None,
            group_size: None,
            note: note.into(),
        })
        .unwrap()
}

fn today(v: &Vault) -> Date {
    v.records().today().unwrap()
}

#[test]
fn retention_ends_follow_the_last_session_the_minors_age_and_the_invoices() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let old = client(&mut v, "Olga", "Alt");
    session(&mut v, old, date(2012, 5, 4), "");
    let recent = client(&mut v, "Rita", "Neu");
    session(&mut v, recent, date(2024, 2, 1), "");
    // Nothing to keep yet (a client just created): erasable, but no duty on Today's list.
    let fresh = client(&mut v, "Fritz", "Frisch");
    let t = today(&v);

    let r = v.retention();
    let item = r.of(old, t).unwrap();
    assert_eq!((item.ends.documentation, item.end, item.due), (Some(date(2022, 5, 4)), Some(date(2022, 5, 4)), true));
    assert_eq!(r.of(recent, t).unwrap().end, Some(date(2034, 2, 1)));
    let due: Vec<ClientId> = r.list(t, false).unwrap().into_iter().map(|i| i.client_id).collect();
    assert_eq!(due, vec![old]);
    assert_eq!(r.list(t, true).unwrap().len(), 3);
    let f = r.of(fresh, t).unwrap();
    assert_eq!((f.end, f.due), (None, true));

    // The period is the practice's: 30 years keeps the old client too.
    v.retention_mut().set_policy(RetentionPolicy { years: 30, minors_age: 18 }).unwrap();
    assert!(v.retention().list(t, false).unwrap().is_empty());
    let bad = v.retention_mut().set_policy(RetentionPolicy { years: 0, minors_age: 18 }).unwrap_err();
    assert_eq!(bad.code(), "record.invalid");
    assert_eq!(v.retention().policy().unwrap().years, 30);
}

#[test]
fn a_client_inside_retention_cannot_be_deleted_and_nothing_changes() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Dora", "Bleib");
    session(&mut v, c, date(2025, 1, 10), "Erstgespräch");
    let before = v.store().read().canonical_dump().unwrap();
    let e = v.records_mut().delete_client(c).unwrap_err();
    assert!(matches!(e, Error::RetentionActive { until } if until == date(2035, 1, 10)), "{e:?}");
    assert_eq!(e.code(), "retention.active");
    assert_eq!(v.store().read().canonical_dump().unwrap(), before);
    // Without records, a delete is what it always was.
    let empty = client(&mut v, "Leo", "Leer");
    v.records_mut().delete_client(empty).unwrap();
    assert!(v.records().client(empty).is_err());
}

#[test]
fn a_restricted_client_is_hidden_everywhere_and_frozen_until_lifted() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let c = client(&mut v, "Rosa", "Sperrlich");
    let other = client(&mut v, "Otto", "Offen");
    let t = today(&v);
    session(&mut v, c, t, "Qwzsperrnotiz besprochen");
    session(&mut v, other, t, "");
    let now = jiff::Timestamp::now();
    let start = now.to_zoned(jiff::tz::TimeZone::get("Europe/Vienna").unwrap()).datetime();
    let mut appt = AppointmentInput {
        client_id: c,
        service_id: None,
        local_start: start,
        minutes: 50,
        kind: AppointmentKind::InPerson,
        video_link: String::new(),
        note: String::new(),
    };
    v.records_mut().add_appointment(appt.clone()).unwrap();

    v.retention_mut().restrict(c).unwrap();
    let listed = |v: &Vault, restricted: bool| -> Vec<ClientId> {
        let q = ClientQuery { restricted, ..Default::default() };
        v.records().clients(&q).unwrap().0.into_iter().map(|s| s.id).collect()
    };
    assert_eq!(listed(&v, false), vec![other]);
    assert_eq!(listed(&v, true), vec![c]);
    assert!(v.records().search_clients("Sperrlich", 10).unwrap().is_empty());
    assert!(v.records().search("Qwzsperrnotiz", 10).unwrap().sessions.is_empty());
    let today_page = v.records().today_overview(now).unwrap();
    assert!(today_page.today_items.iter().all(|i| i.appointment.client_id != c));
    assert!(today_page.unbilled.iter().all(|i| i.session.client_id != c));
    assert_eq!(today_page.unbilled.len(), 1);
    let month = format!("{:04}-{:02}", t.year(), t.month());
    let run = v.billing_mut().draft_month(&month).unwrap();
    let drafted: Vec<ClientId> = run.drafted.iter().map(|id| v.billing().invoice(*id).unwrap().client_id).collect();
    assert!(!drafted.contains(&c) && drafted.contains(&other), "{drafted:?}");

    // Frozen: no change of any kind.
    let data = v.records().client(c).unwrap().data;
    assert_eq!(v.records_mut().update_client(c, data.clone()).unwrap_err().code(), "retention.restricted");
    assert_eq!(v.records_mut().add_appointment(appt.clone()).unwrap_err().code(), "retention.restricted");
    assert_eq!(v.billing_mut().draft_invoice(c, None, None).unwrap_err().code(), "retention.restricted");
    let s = v.records().sessions_of(c, 5).unwrap()[0].id;
    assert!(matches!(v.records_mut().revise_session(s, "neu"), Err(Error::ClientRestricted)));

    v.retention_mut().unrestrict(c).unwrap();
    assert_eq!(listed(&v, false).len(), 2);
    v.records_mut().update_client(c, data).unwrap();
    appt.minutes = 25;
    v.records_mut().add_appointment(appt).unwrap();
    let ops: Vec<String> = v.store().read().journal_for(&[c.to_string()]).unwrap().into_iter().map(|e| e.op).collect();
    assert_eq!(ops, vec!["create", "restrict", "unrestrict", "update"]);
}

// ---- erasure on real files ---------------------------------------------------------------------

const MARKERS: [&str; 4] = ["Zqxgivenmark", "Vyfamilymark", "Wjnotemarkone", "Kpnotemarktwo"];

/// The plaintext of every page of a SQLCipher file (and of its WAL's frames), decrypted with the
/// raw data key: AES-256-CBC per page, the IV in the page's reserved tail (SQLCipher 4 with
/// HMAC-SHA1: 48 reserved bytes), page 1 after its 16-byte salt. Free pages are decrypted too:
/// this is what is on the disk, not what a query returns.
fn sqlcipher_plain(path: &Path, key: &[u8; 32]) -> Vec<u8> {
    const PAGE: usize = 4096;
    const RESERVE: usize = 48;
    let aes = aes_gcm::aes::Aes256::new_from_slice(key).unwrap();
    let decrypt_page = |page: &[u8], first: bool, out: &mut Vec<u8>| {
        let start = if first { 16 } else { 0 };
        let end = PAGE - RESERVE;
        let mut prev: [u8; 16] = page[end..end + 16].try_into().unwrap();
        for chunk in page[start..end].chunks_exact(16) {
            let mut block = aes_gcm::aes::Block::default();
            block.copy_from_slice(chunk);
            aes.decrypt_block(&mut block);
            for (b, p) in block.iter_mut().zip(prev) {
                *b ^= p;
            }
            prev = chunk.try_into().unwrap();
            out.extend_from_slice(&block);
        }
    };
    let mut out = Vec::new();
    let bytes = std::fs::read(path).unwrap();
    for (i, page) in bytes.chunks_exact(PAGE).enumerate() {
        decrypt_page(page, i == 0, &mut out);
    }
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    if let Ok(w) = std::fs::read(&wal) {
        // 32-byte WAL header, then frames of a 24-byte header and a page.
        for frame in w.get(32..).unwrap_or(&[]).chunks_exact(24 + PAGE) {
            decrypt_page(&frame[24..], false, &mut out);
        }
    }
    out
}

fn markers_in(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    for m in MARKERS {
        let lower = m.to_lowercase();
        for (form, needle) in
            [("utf8", m.as_bytes().to_vec()), ("utf16", utf16le(m)), ("token", lower.as_bytes().to_vec())]
        {
            if contains(bytes, &needle) {
                found.push(format!("{m} ({form})"));
            }
        }
    }
    found
}

/// Every file of the data folder, decrypted the way each is sealed, with the markers found.
fn folder_markers(v: &Vault) -> Vec<String> {
    let key = *v.data_key().expose();
    let seg_key = v.data_key().derive("tresor segment v1");
    let folder = v.data_folder();
    let mut found = Vec::new();
    for info in tresor::sync::snapshot::list(folder) {
        for m in markers_in(&sqlcipher_plain(&info.path, &key)) {
            found.push(format!("snapshot {}: {m}", info.path.display()));
        }
    }
    for files in tresor::sync::segment::list(&folder.log(), "").into_values() {
        for f in files {
            let opened = tresor::sync::segment::open(&seg_key, v.id(), &f).unwrap();
            let tresor::sync::segment::Opened::Current(seg) = opened else { panic!("newer segment") };
            let plain = serde_json::to_vec(&seg).unwrap();
            for m in markers_in(&plain) {
                found.push(format!("segment {}: {m}", f.path.display()));
            }
        }
    }
    // And nothing in the clear anywhere in the folder.
    for (path, bytes) in files_below(folder.root()) {
        for m in MARKERS {
            if contains(&bytes, m.as_bytes()) || contains(&bytes, &utf16le(m)) {
                found.push(format!("raw {}: {m}", path.display()));
            }
        }
    }
    found
}

fn working_markers(v: &Vault) -> Vec<String> {
    let key = *v.data_key().expose();
    markers_in(&sqlcipher_plain(&v.working_dir().database(), &key))
}

fn open_on(folder: &Path, home: &Path) -> Vault {
    Vault::open_in(folder, home, Unlock::Password(&SecretString::from(PASSWORD))).unwrap()
}

/// A client whose documentation ended long ago, with two revisions of a note, an appointment
/// note and a settled invoice from 2012; another client who stays.
fn erasable(v: &mut Vault) -> (ClientId, ClientId) {
    setup_practice(v, Country::AT);
    let mut input = ClientInput::with_full_name(&format!("{} {}", MARKERS[0], MARKERS[1]));
    input.code_name = "KL-7".into();
    input.street = "Gasse 1".into();
    input.postal_code = "1010".into();
    input.city = "Wien".into();
    let c = v.records_mut().add_client(input).unwrap();
    let s = session(v, c, date(2012, 3, 5), &format!("{} Erstgespräch", MARKERS[2]));
    v.records_mut().revise_session(s, &format!("{} Korrektur", MARKERS[3])).unwrap();
    let inv = v.billing_mut().draft_invoice(c, None, None).unwrap()[0];
    v.billing_mut().issue_invoice(inv, Some(date(2012, 3, 31))).unwrap();
    let keep = client(v, "Karl", "Bleibt");
    session(v, keep, date(2025, 6, 1), "Karls Notiz");
    (c, keep)
}

#[test]
fn erasure_inside_retention_without_a_reason_is_refused_and_changes_nothing() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Nina", "Jung");
    session(&mut v, c, date(2025, 4, 2), "Notiz");
    let before = v.store().read().canonical_dump().unwrap();
    let files_before = files_below(v.data_folder().root());
    let t = today(&v);
    for reason in ["", "   "] {
        let e = v.retention_mut().erase(c, reason, t).unwrap_err();
        assert_eq!(e.code(), "retention.active");
    }
    assert_eq!(v.store().read().canonical_dump().unwrap(), before);
    assert_eq!(files_below(v.data_folder().root()), files_before, "the folder must not change");
    assert!(v.retention().log().unwrap().is_empty());
    // With a reason it goes, and the log says it was early.
    let report = v.retention_mut().erase(c, "Widerruf der Einwilligung, Art. 17 (1) b", t).unwrap();
    assert!(report.erasure.early && !report.erasure.pseudonymised);
    assert_eq!(v.retention().log().unwrap()[0].reason, "Widerruf der Einwilligung, Art. 17 (1) b");
    assert!(v.records().client(c).is_err());
}

#[test]
fn erasure_leaves_no_trace_in_the_working_copy_the_folder_or_the_second_computer() {
    let w = World::new();
    let (mut a, _) = w.create_vault();
    let (c, keep) = erasable(&mut a);
    a.sync_now().unwrap();
    a.snapshot_now().unwrap();
    // B shares the folder and has the client too.
    let b_home = w.dir.path().join("b-home");
    let mut b = open_on(&w.data(), &b_home);
    b.sync_now().unwrap();
    assert_eq!(b.records().client(c).unwrap().data.family_name, MARKERS[1]);
    b.snapshot_now().unwrap();
    a.sync_now().unwrap();
    // The scans can fail: before, they find the client everywhere.
    assert!(!working_markers(&a).is_empty(), "the page scan must see the working copy");
    assert!(!folder_markers(&a).is_empty(), "the folder scan must see snapshots and segments");
    assert!(!working_markers(&b).is_empty());

    let t = today(&a);
    let report = a.retention_mut().erase(c, "", t).unwrap();
    assert!(report.rows_removed >= 5, "{report:?}");
    assert!(report.segments_rewritten >= 1 && report.snapshots_removed >= 1, "{report:?}");
    let log = a.retention().log().unwrap();
    assert_eq!(log.len(), 1);
    let e = &log[0];
    assert_eq!(
        (e.client_id.as_str(), e.code_name.as_str(), e.first_session, e.last_session, e.retention_end),
        (c.to_string().as_str(), "KL-7", Some(date(2012, 3, 5)), Some(date(2012, 3, 5)), Some(date(2022, 3, 5)))
    );
    assert!(!e.early && !e.pseudonymised && e.reason.is_empty());
    assert_eq!(e.erased_by, a.device().name);

    assert!(a.records().client(c).is_err());
    assert!(a.store().read().row_image("client", &c.to_string()).unwrap().is_none(), "no tombstone");
    assert!(a.records().search("Wjnotemarkone", 10).unwrap().sessions.is_empty());
    assert_eq!(working_markers(&a), Vec::<String>::new());
    assert_eq!(folder_markers(&a), Vec::<String>::new());
    // The other client is untouched.
    assert_eq!(a.records().client(keep).unwrap().data.family_name, "Bleibt");

    // B carries the erasure out when it syncs, and writes its own clean snapshot.
    b.sync_now().unwrap();
    assert!(b.records().client(c).is_err());
    assert_eq!(b.retention().log().unwrap(), log);
    assert_eq!(working_markers(&b), Vec::<String>::new());
    assert_eq!(folder_markers(&b), Vec::<String>::new());
    assert_eq!(b.records().client(keep).unwrap().data.family_name, "Bleibt");
    drop(b);
    // A new computer starts from what is left, and the client does not come back.
    let mut c3 = open_on(&w.data(), &w.dir.path().join("c-home"));
    c3.sync_now().unwrap();
    assert!(c3.records().client(c).is_err());
    assert_eq!(working_markers(&c3), Vec::<String>::new());
}

#[test]
fn invoices_inside_their_own_retention_stay_with_the_client_as_code_name() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let mut input = ClientInput::with_full_name(&format!("{} {}", MARKERS[0], MARKERS[1]));
    input.code_name = "KL-9".into();
    let c = v.records_mut().add_client(input).unwrap();
    let t = today(&v);
    let d = t.checked_sub(jiff::Span::new().days(40)).unwrap();
    session(&mut v, c, d, &format!("{} Verlauf", MARKERS[2]));
    let inv = v.billing_mut().draft_invoice(c, None, None).unwrap()[0];
    let number = v.billing_mut().issue_invoice(inv, Some(d)).unwrap();

    let report = v.retention_mut().erase(c, "Antrag auf Löschung", t).unwrap();
    assert!(report.erasure.early && report.erasure.pseudonymised, "{report:?}");
    // The invoice stays as issued; the client is its code name, restricted; the notes are gone.
    assert_eq!(v.billing().invoice_by_number(&number).unwrap().client_id, c);
    let kept = v.records().client(c).unwrap().data;
    assert_eq!((kept.given_name.as_str(), kept.family_name.as_str()), ("KL-9", ""));
    assert!(v.records().clients(&ClientQuery::default()).unwrap().0.is_empty());
    assert!(v.records().search("Wjnotemarkone", 10).unwrap().sessions.is_empty());
    let s = v.records().sessions_of(c, 5).unwrap();
    assert!(s.iter().all(|s| s.note.is_empty()), "{s:?}");
    assert!(!markers_in(&sqlcipher_plain(&v.working_dir().database(), v.data_key().expose()))
        .iter()
        .any(|m| m.starts_with(MARKERS[2])));
}

#[test]
fn an_appointment_note_with_a_lifetime_is_erased_at_the_next_unlock_after_it() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Elsa", "Kurz");
    let add = |v: &mut Vault, note: &str| {
        v.records_mut()
            .add_appointment(AppointmentInput {
                client_id: c,
                service_id: None,
                local_start: date(2026, 3, 2).at(9, 0, 0, 0),
                minutes: 50,
                kind: AppointmentKind::InPerson,
                video_link: String::new(),
                note: note.into(),
            })
            .unwrap()
    };
    let short = add(&mut v, "Wjnotemarkone Rückruf wegen Befund");
    let long = add(&mut v, "Bleibt");
    let now = jiff::Timestamp::now();
    let day = jiff::SignedDuration::from_hours(24);
    // A lifetime set 31 days ago that ended a day ago (the clock of a computer that was off for
    // a month), and one that ends in thirty days.
    let set = v.retention_mut().set_note_lifetime(short, Some(30), now - day * 31).unwrap();
    assert_eq!(set.note_expires, Some(now - day));
    v.retention_mut().set_note_lifetime(long, Some(30), now).unwrap();
    // Out of range: refused by name, nothing changed.
    for days in [0, 3651] {
        let err = v.retention_mut().set_note_lifetime(long, Some(days), now).unwrap_err();
        assert_eq!(err.code(), "record.invalid", "{days} days");
    }
    assert_eq!(v.records().appointment(long).unwrap().note_expires, Some(now + day * 30), "read back, unchanged");
    assert_eq!(v.records().appointment(short).unwrap().note, "Wjnotemarkone Rückruf wegen Befund");
    v.lock().unwrap();

    let v = w.open_vault().unwrap();
    assert_eq!(v.records().appointment(short).unwrap().note, "");
    assert_eq!(v.records().appointment(long).unwrap().note, "Bleibt");
    assert!(markers_in(&sqlcipher_plain(&v.working_dir().database(), v.data_key().expose())).is_empty());
    let ops: Vec<String> =
        v.store().read().journal_for(&[short.to_string()]).unwrap().into_iter().map(|e| e.op).collect();
    assert_eq!(ops, vec!["create", "update", "update"], "set and expired, both journaled");
    // At a later clock the other one goes too (the clock is the caller's).
    let mut v = v;
    assert_eq!(v.retention_mut().expire_notes(now + jiff::SignedDuration::from_hours(24 * 31)).unwrap(), 1);
    assert_eq!(v.records().appointment(long).unwrap().note, "");
}
