//! Computers on different versions, with hand-made segments sealed under the vault's segment
//! key as `segment.rs` seals them: one from a computer not yet updated (format 1, whole rows)
//! and ones "from the future" (values, records, fields and a format this version does not know).

use std::path::PathBuf;
use std::time::Duration;

use secrecy::SecretString;
use serde_json::{json, Value as Json};

use crate::domain::client::ClientInput;
use crate::domain::ClientId;
use crate::hlc::Hlc;
use crate::sync::segment;
use crate::vault::{CreateOptions, Unlock, Vault};

const PW: &str = "mixed versions";
/// Other computers' device ids (canonical UUIDs, as every device id is; a folder named otherwise
/// is not a device's).
const DEV_OLD: &str = "01a22c45-2e1a-767b-bd69-51b5f3305701";
const DEV_FUTURE: &str = "01a22c45-2e1a-767b-bd69-51b5f3305702";
const DEV_OTHER: &str = "01a22c45-2e1a-767b-bd69-51b5f3305703";

struct Two {
    _dir: tempfile::TempDir,
    folder: PathBuf,
    a: Vault,
    b: Vault,
}

/// Two computers on one data folder; `a` made a client, `b` has merged it.
fn two() -> (Two, ClientId) {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("data");
    let opts =
        CreateOptions { kdf_target: Duration::ZERO, local_root: Some(dir.path().join("a")), ..Default::default() };
    let (mut a, _) = Vault::create(&folder, &SecretString::from(PW), &opts).unwrap();
    let c = a.records_mut().add_client(ClientInput::with_full_name("Anna Huber")).unwrap();
    a.sync_now().unwrap();
    let b = Vault::open_in(&folder, &dir.path().join("b"), Unlock::Password(&SecretString::from(PW))).unwrap();
    assert!(b.records().client(c).is_ok());
    (Two { _dir: dir, folder, a, b }, c)
}

/// A stamp later than anything the two computers made.
fn later(ms: i64) -> i64 {
    Hlc::from_parts(jiff::Timestamp::now().as_millisecond() + ms, 0).0
}

/// A client row as `a` stores it, made into another client of another computer.
fn client_row(t: &Two, template: ClientId, id: &str, hlc: i64, device: &str) -> Json {
    let mut img = t.a.store().read().row_image("client", &template.to_string()).unwrap().unwrap();
    img.id = id.to_string();
    img.cols.insert("id".into(), json!(id));
    if id != template.to_string() {
        img.cols.insert("created_hlc".into(), json!(hlc));
    }
    img.cols.insert("updated_hlc".into(), json!(hlc));
    img.cols.insert("device".into(), json!(device));
    serde_json::to_value(img).unwrap()
}

/// Seals a hand-made segment into `log/<device>/` the way the writer does.
fn write_segment(t: &Two, device: &str, v: u32, prev: i64, first: i64, last: i64, rows: Vec<Json>) -> PathBuf {
    let journal: Vec<Json> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            json!({ "seq": first + i as i64, "hlc": r["cols"]["updated_hlc"].as_i64().unwrap_or(later(0)),
                    "entity": r["entity"], "row_id": r["id"], "op": "create" })
        })
        .collect();
    let seg = json!({ "v": v, "vault": t.a.id(), "device": device, "device_name": "Neuer Laptop", "prev": prev,
                      "first": first, "last": last, "journal": journal, "rows": rows });
    let plain = serde_json::to_vec(&seg).unwrap();
    let sealed =
        crate::crypto::seal(&t.a.replica().segment_key(), &plain, &segment::aad(t.a.id(), device, first, last))
            .unwrap();
    let dir = t.folder.join("log").join(device);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(segment::file_name(first, last));
    std::fs::write(&path, sealed).unwrap();
    path
}

fn new_id() -> String {
    ClientId::new().to_string()
}

#[test]
fn a_format_1_segment_from_a_computer_not_yet_updated_merges_as_whole_rows() {
    let (mut t, c) = two();
    let mut mine = t.b.records().client(c).unwrap().data;
    mine.phone = "+43 1 222".into();
    t.b.records_mut().update_client(c, mine).unwrap();
    // The old computer changed the city; its row image has no field stamps.
    let mut row = client_row(&t, c, &c.to_string(), later(1000), DEV_OLD);
    row["cols"]["city"] = json!("Wels");
    row.as_object_mut().unwrap().remove("stamps");
    write_segment(&t, DEV_OLD, 1, 0, 1, 1, vec![row]);

    let r = t.b.merge_incoming().unwrap();
    assert_eq!((r.applied.len(), r.rows_changed, r.kept_aside), (1, 1, 0), "{r:?}");
    let now = t.b.records().client(c).unwrap().data;
    // Every field of a format-1 row carries its stamp: the old computer's phone wins here, and
    // the phone changed on this computer is kept as a conflict, not dropped.
    assert_eq!((now.city.as_str(), now.phone.as_str()), ("Wels", ""));
    let open = t.b.conflicts(false).unwrap();
    assert_eq!(open.len(), 1, "{open:#?}");
    assert_eq!((open[0].field.as_str(), open[0].other.value.as_str()), ("phone", Some("+43 1 222")));
}

#[test]
fn rows_and_segments_from_a_newer_tresor_are_kept_aside_and_block_nothing() {
    let (mut t, c) = two();
    let dev = DEV_FUTURE;
    let (x, y, z, w) = (new_id(), new_id(), new_id(), new_id());
    let mut unknown_status = client_row(&t, c, &x, later(1000), dev);
    unknown_status["cols"]["status"] = json!("waitlist");
    let session = json!({ "entity": "session", "id": new_id(), "cols": {
        "id": new_id(), "client_id": x, "appointment_id": null, "service_id": null, "date": "2026-01-05",
        "minutes": 50, "fee_cents": 9000, "setting": "individual", "created_hlc": later(1001),
        "updated_hlc": later(1001), "device": dev, "deleted": 0 } });
    let mut session = session;
    session["cols"]["id"] = session["id"].clone();
    // A kind of record this version does not have (attachments exist since schema 9).
    let attachment = json!({ "entity": "questionnaire", "id": new_id(), "cols": { "name": "PHQ-9" } });
    let mut newer_field = client_row(&t, c, &z, later(1002), dev);
    newer_field["cols"]["pronouns"] = json!("sie/ihr");
    // A child before its parent: the order in a batch does not matter.
    let rows = vec![session, unknown_status, attachment, client_row(&t, c, &y, later(1003), dev), newer_field];
    write_segment(&t, dev, segment::FORMAT_VERSION, 0, 1, 5, rows);
    // A format this version does not know at all.
    let future = json!({ "v": segment::FORMAT_VERSION + 1, "vault": t.a.id(), "device": dev, "prev": 5, "first": 6,
                         "last": 6, "changes": [{ "set": "something new" }] });
    let plain = serde_json::to_vec(&future).unwrap();
    let sealed = crate::crypto::seal(&t.a.replica().segment_key(), &plain, &segment::aad(t.a.id(), dev, 6, 6)).unwrap();
    std::fs::write(t.folder.join("log").join(dev).join(segment::file_name(6, 6)), sealed).unwrap();
    // And a later segment of the same computer that this version reads.
    write_segment(&t, dev, segment::FORMAT_VERSION, 6, 7, 7, vec![client_row(&t, c, &w, later(1004), dev)]);

    let r = t.b.merge_incoming().unwrap();
    assert_eq!(r.applied.len(), 3, "{r:?}");
    assert!(r.failed.is_empty() && r.waiting.is_empty() && r.unreadable.is_empty(), "{r:?}");
    assert_eq!((r.rows_changed, r.kept_aside), (3, 5), "{r:?}");
    for (id, here) in [(&x, false), (&y, true), (&z, true), (&w, true)] {
        assert_eq!(t.b.records().client(id.parse().unwrap()).is_ok(), here, "client {id}");
    }
    let mut reasons: Vec<String> = t.b.sync_status().unwrap().kept_aside.into_iter().map(|k| k.reason).collect();
    reasons.sort();
    let expected = [
        "newer_fields".to_string(),
        format!("segment_format:{}", segment::FORMAT_VERSION + 1),
        "unknown_record_kind".into(),
        "unknown_value:status".into(),
        "waits_for:client".into(),
    ];
    assert_eq!(reasons, expected);
    // Nothing is tried again, nothing is waited for: the chain is complete.
    let again = t.b.merge_incoming().unwrap();
    assert!(again.applied.is_empty() && again.kept_aside == 0, "{again:?}");
    assert_eq!(t.b.applied_of(dev).unwrap().wm, 7);

    // After an update, what was kept aside is tried again: here a segment an older version could
    // not read and a row it could not show, both fine for this version; the rest stays aside.
    let (u, v) = (new_id(), new_id());
    let u_row = serde_json::to_string(&client_row(&t, c, &u, later(1005), dev)).unwrap();
    let v_seg = json!({ "v": segment::FORMAT_VERSION, "vault": t.a.id(), "device": dev, "device_name": "", "prev": 7,
                        "first": 8, "last": 8, "journal": [], "rows": [client_row(&t, c, &v, later(1006), dev)] });
    t.b.store_mut()
        .write(|tx| {
            tx.keep_aside_raw(dev, "client", &u, &u_row, "unknown_value:status")?;
            tx.keep_aside_raw(dev, "", &segment::file_name(8, 8), &v_seg.to_string(), "segment_format:2")?;
            tx.kept_aside_as_if_by_schema(crate::store::SCHEMA_VERSION - 1)
        })
        .unwrap();
    let r = t.b.merge_incoming().unwrap();
    assert_eq!(r.rows_changed, 2, "{r:?}");
    assert!(t.b.records().client(u.parse().unwrap()).is_ok() && t.b.records().client(v.parse().unwrap()).is_ok());
    assert_eq!(t.b.store().read().kept_aside().unwrap().len(), 5);
    assert!(!t.b.store().read().kept_aside_due().unwrap());
}

#[test]
fn a_segment_that_cannot_be_merged_is_reported_and_the_next_ones_still_apply() {
    let (mut t, c) = two();
    let dev = DEV_OTHER;
    let (inv, hlc) = (new_id(), later(1000));
    let payer = r#"{"role":"client","party":{"name":"Anna Huber","street":"","postal_code":"","city":"","country":"","email":""}}"#;
    let invoice = json!({ "entity": "invoice", "id": inv, "cols": {
        "id": inv, "client_id": c.to_string(), "kind": "invoice", "state": "draft", "number": null, "series": null,
        "period": null, "seq": null, "issue_date": null, "due_date": null, "period_from": "2026-01-01",
        "period_to": "2026-01-31", "language": "de", "payer": payer, "share_bp": 10000, "cancels": null,
        "snapshot": null, "net_cents": 0, "tax_cents": 0, "gross_cents": 0, "created_hlc": hlc, "updated_hlc": hlc,
        "device": dev, "deleted": 0 } });
    // Two lines whose sum no amount can hold: the draft's totals cannot be computed.
    let line = |pos: i64| {
        let id = new_id();
        json!({ "entity": "invoice_line", "id": id, "cols": {
            "id": id, "invoice_id": inv, "position": pos, "kind": "item", "session_id": null, "appointment_id": null,
            "date": null, "description": "Bericht", "minutes": null, "setting": null, "quantity": 1,
            "unit_cents": 1_i64 << 62, "amount_cents": 1_i64 << 62, "tax_mode": "at_exempt", "tax_rate_bp": 0,
            "tax_cents": 0, "created_hlc": hlc, "updated_hlc": hlc, "device": dev, "deleted": 0 } })
    };
    let bad = write_segment(&t, dev, segment::FORMAT_VERSION, 0, 1, 3, vec![invoice, line(1), line(2)]);
    let w = new_id();
    write_segment(&t, dev, segment::FORMAT_VERSION, 3, 4, 4, vec![client_row(&t, c, &w, later(1001), dev)]);

    let r = t.b.merge_incoming().unwrap();
    assert_eq!(r.failed.len(), 1, "{r:?}");
    assert_eq!((r.failed[0].path.as_path(), r.failed[0].code), (bad.as_path(), "money.overflow"));
    assert_eq!(r.applied.len(), 1);
    assert!(t.b.records().client(w.parse().unwrap()).is_ok(), "the next segment must not wait for the bad one");
    // Tried again next round, still reported, nothing else disturbed.
    let again = t.b.merge_incoming().unwrap();
    assert_eq!((again.failed.len(), again.applied.len()), (1, 0), "{again:?}");
}
