//! Attachments on real files: byte-identical round trips at every size that matters, damage
//! (a flipped byte, swapped chunks, a cut-off file, a missing file) reported as its own error
//! without harming anything else, the size limit, no plaintext in the data folder, a second
//! computer opening what the first attached, backup, restore and moving the folder, deletion,
//! erasure of a client's attachments and lifetimes that end at unlock.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::syncsim::{Chaos, Sim};
use common::*;
use secrecy::SecretString;
use tresor::attachment::{CHUNK, HEAD_LEN, TAG_LEN};
use tresor::domain::attachment::MAX_BYTES;
use tresor::domain::client::ClientInput;
use tresor::domain::{AttachmentId, ClientId};
use tresor::sync::foreign::{self, ForeignKind};
use tresor::{Error, Unlock, Vault};

const MARKER: &[u8] = b"Einverstaendnis-Wiesinger-7731 ";

/// `len` bytes that repeat the marker, so a plaintext leak would be found by a byte scan.
fn content(len: usize) -> Vec<u8> {
    MARKER.iter().copied().cycle().take(len).collect()
}

fn client(v: &mut Vault, name: &str) -> ClientId {
    v.records_mut().add_client(ClientInput::with_full_name(name)).unwrap()
}

fn attach(w: &World, v: &mut Vault, c: ClientId, name: &str, bytes: &[u8]) -> AttachmentId {
    let src = save(&w.tmp(), name, bytes);
    v.attachments_mut().add(c, None, &src, None).unwrap().id
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    out.sort();
    out
}

fn the_file(v: &Vault) -> PathBuf {
    let files = files_in(&v.data_folder().attachments());
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

#[test]
fn attachments_round_trip_byte_identical_and_the_folder_holds_no_plaintext() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Maria Wiesinger");
    for len in [0, 17, CHUNK, 3 * CHUNK + 5, 5 << 20] {
        let bytes = content(len);
        let name = format!("Einverständnis Wiesinger {len}.pdf");
        let id = attach(&w, &mut v, c, &name, &bytes);
        let a = v.attachments().get(id).unwrap();
        assert_eq!((a.name.as_str(), a.size, a.media_type.as_str()), (name.as_str(), len as u64, "application/pdf"));
        assert_eq!(v.attachments().read(id).unwrap().as_slice(), &bytes[..], "in memory, {len}");
        let out = w.tmp().join(format!("out-{len}.pdf"));
        v.attachments().save_to(id, &out, false).unwrap();
        assert_eq!(fs::read(&out).unwrap(), bytes, "to a file, {len}");
    }
    assert_eq!(v.attachments().list(c).unwrap().len(), 5);
    // Nothing in the data folder shows the content or the names, in any file.
    v.lock().unwrap();
    for (path, bytes) in files_below(&w.data()) {
        assert!(!contains(&bytes, &MARKER[..20]), "plaintext in {}", path.display());
        let shown = path.to_string_lossy();
        assert!(!shown.contains("Wiesinger") && !shown.contains("Einverst"), "{shown}");
        assert!(!contains(&bytes, "Wiesinger".as_bytes()), "name in {}", path.display());
    }
    let files = files_in(&w.data().join("attachments"));
    assert_eq!(files.len(), 5);
    assert!(files.iter().all(|f| tresor::attachment::is_file_name(&f.file_name().unwrap().to_string_lossy())));
}

#[test]
fn a_damaged_file_is_reported_and_harms_nothing_else() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Maria Wiesinger");
    let bytes = content(3 * CHUNK + 100);
    let id = attach(&w, &mut v, c, "befund.pdf", &bytes);
    let file = the_file(&v);
    let good = fs::read(&file).unwrap();
    let other = attach(&w, &mut v, c, "brief.pdf", b"ein anderer Brief");
    let seg = CHUNK + TAG_LEN;
    let chunk = |i: usize| HEAD_LEN + i * seg..HEAD_LEN + (i + 1) * seg;

    let mut flipped = good.clone();
    flipped[HEAD_LEN + seg + 1000] ^= 0x20;
    let mut swapped = good.clone();
    swapped[chunk(0)].copy_from_slice(&good[chunk(1)]);
    swapped[chunk(1)].copy_from_slice(&good[chunk(0)]);
    let truncated = good[..good.len() - 50].to_vec();
    for (what, bytes_on_disk) in [("flipped", flipped), ("swapped", swapped), ("truncated", truncated)] {
        fs::write(&file, &bytes_on_disk).unwrap();
        let err = v.attachments().read(id).unwrap_err();
        assert!(matches!(err, Error::AttachmentDamaged { .. }), "{what}: {err:?}");
        assert_eq!(err.code(), "attachment.damaged");
        let to = w.tmp().join(format!("{what}.pdf"));
        assert!(matches!(v.attachments().save_to(id, &to, false), Err(Error::AttachmentDamaged { .. })), "{what}");
        assert!(!to.exists(), "{what}: no half file is left where the user wanted it");
        assert_eq!(files_in(&w.tmp()).iter().filter(|p| p.to_string_lossy().contains(".tresor-tmp")).count(), 0);
        // Everything else works on.
        assert_eq!(v.attachments().read(other).unwrap().as_slice(), b"ein anderer Brief");
        assert_eq!(v.attachments().list(c).unwrap().len(), 2);
        assert_eq!(v.records().client(c).unwrap().data.family_name, "Wiesinger");
    }
    fs::remove_file(&file).unwrap();
    let err = v.attachments().read(id).unwrap_err();
    assert!(matches!(err, Error::AttachmentMissing { .. }), "{err:?}");
    assert_eq!(err.code(), "attachment.missing");
    // Put back, it opens again: the damage was the file's alone.
    fs::write(&file, &good).unwrap();
    assert_eq!(v.attachments().read(id).unwrap().as_slice(), &bytes[..]);
    v.lock().unwrap();
    w.open_vault().unwrap();
}

#[test]
fn the_size_limit_is_a_clear_error_that_changes_nothing() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Maria Wiesinger");
    let big = w.tmp().join("aufnahme.wav");
    // A sparse file: the size is refused before a byte is read.
    fs::File::create(&big).unwrap().set_len(MAX_BYTES + 1).unwrap();
    let before = v.store().change_seq().unwrap();
    let err = v.attachments_mut().add(c, None, &big, None).unwrap_err();
    assert!(matches!(err, Error::AttachmentTooLarge { size, limit } if size == MAX_BYTES + 1 && limit == MAX_BYTES));
    assert_eq!(err.code(), "attachment.too_large");
    assert_eq!(err.params()["limit_mib"], 256);
    // A stream that grows past the limit while it is read is refused as well, its file removed.
    let mut endless = std::io::Read::take(std::io::repeat(7), MAX_BYTES + 1);
    let err = v.attachments_mut().add_from(c, None, "stream.wav", &mut endless, &big, None).unwrap_err();
    assert!(matches!(err, Error::AttachmentTooLarge { .. }), "{err:?}");
    assert_eq!(v.store().change_seq().unwrap(), before, "no row");
    assert!(files_in(&w.data().join("attachments")).is_empty(), "no file, no temp file");
    assert!(v.attachments().list(c).unwrap().is_empty());
}

#[test]
fn bad_input_is_refused_before_anything_is_written() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Maria Wiesinger");
    let other = client(&mut v, "Paul Huber");
    let s = v
        .records_mut()
        .add_session(tresor::domain::session::SessionInput {
            client_id: other,
            appointment_id: None,
            service_id: None,
            date: jiff::civil::date(2026, 3, 2),
            minutes: Some(50),
            fee: Some(tresor::domain::Cents::new(9000)),
            setting: None,
            group_size: None,
            note: String::new(),
        })
        .unwrap();
    let src = save(&w.tmp(), "brief.pdf", b"x");
    let before = v.store().change_seq().unwrap();
    let cases: Vec<(&str, Error)> = vec![
        ("unknown client", v.attachments_mut().add(ClientId::new(), None, &src, None).unwrap_err()),
        ("another client's session", v.attachments_mut().add(c, Some(s), &src, None).unwrap_err()),
        (
            "a lifetime in the past",
            v.attachments_mut()
                .add(c, None, &src, Some(jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1)))
                .unwrap_err(),
        ),
        ("a folder", v.attachments_mut().add(c, None, &w.tmp(), None).unwrap_err()),
        ("no such file", v.attachments_mut().add(c, None, &w.tmp().join("fehlt.pdf"), None).unwrap_err()),
        ("no name", v.attachments_mut().add_from(c, None, " ", &mut &b"x"[..], &src, None).unwrap_err()),
    ];
    for (what, e) in &cases {
        assert!(!matches!(e, Error::Sqlite(_)), "{what}: {e:?}");
    }
    assert_eq!(v.store().change_seq().unwrap(), before);
    assert!(files_in(&w.data().join("attachments")).is_empty());
    // With the session of the right client it works and remembers it.
    let a = v.attachments_mut().add(other, Some(s), &src, None).unwrap();
    assert_eq!(a.session_id, Some(s));
}

#[test]
fn saving_never_replaces_a_file_unasked_nor_writes_into_the_vault() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Maria Wiesinger");
    let id = attach(&w, &mut v, c, "befund.pdf", b"Befund");
    let to = save(&w.tmp(), "vorhanden.pdf", b"meins");
    assert!(matches!(v.attachments().save_to(id, &to, false), Err(Error::ExportExists { .. })));
    assert_eq!(fs::read(&to).unwrap(), b"meins");
    v.attachments().save_to(id, &to, true).unwrap();
    assert_eq!(fs::read(&to).unwrap(), b"Befund");
    let inside = w.data().join("befund.pdf");
    assert!(matches!(v.attachments().save_to(id, &inside, false), Err(Error::BackupTargetInVault { .. })));
    assert!(!inside.exists());
}

#[test]
fn a_second_computer_opens_what_the_first_attached_and_sees_its_deletion() {
    let w = World::new();
    let a_folder = w.dir.path().join("a-folder");
    let b_folder = w.dir.path().join("b-folder");
    let open = |folder: &Path, home: &str| {
        Vault::open_in(folder, &w.dir.path().join(home), Unlock::Password(&SecretString::from(PASSWORD))).unwrap()
    };
    let opts = tresor::CreateOptions {
        kdf_target: std::time::Duration::ZERO,
        local_root: Some(w.dir.path().join("a-home")),
        ..Default::default()
    };
    let (mut va, _) = Vault::create(&a_folder, &SecretString::from(PASSWORD), &opts).unwrap();
    let c = client(&mut va, "Maria Wiesinger");
    let bytes = content(2 * CHUNK + 3);
    let id = attach(&w, &mut va, c, "Befund Wiesinger.pdf", &bytes);
    va.lock().unwrap();
    let mut sim = Sim::new(vec![a_folder.clone(), b_folder.clone()], 11);
    sim.upload(0, Chaos::CALM);
    sim.flush();
    sim.download(1, Chaos::CALM);
    sim.flush();

    let mut vb = open(&b_folder, "b-home");
    let listed = vb.attachments().list(c).unwrap();
    assert_eq!(listed.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["Befund Wiesinger.pdf"]);
    assert_eq!(vb.attachments().read(id).unwrap().as_slice(), &bytes[..]);
    vb.attachments_mut().delete(id).unwrap();
    vb.lock().unwrap();
    sim.upload(1, Chaos::CALM);
    sim.flush();
    sim.download(0, Chaos::CALM);
    sim.flush();

    let va = open(&a_folder, "a-home");
    assert!(va.attachments().list(c).unwrap().is_empty());
    assert!(matches!(va.attachments().get(id), Err(Error::NotFound { .. })));
    assert!(files_in(&a_folder.join("attachments")).is_empty(), "the file went with the folder's sync");
    let img = va.store().read().row_image("attachment", &id.to_string()).unwrap().unwrap();
    assert_eq!((img.cols["deleted"].as_i64(), img.cols["name"].as_str()), (Some(1), Some("")), "no name kept");
}

#[test]
fn backup_restore_and_moving_the_folder_carry_attachments() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Maria Wiesinger");
    let bytes = content(CHUNK + 1);
    let id = attach(&w, &mut v, c, "befund.pdf", &bytes);
    let backup = w.tmp().join("praxis.tresor-backup");
    v.backup_to(&backup, false).unwrap();
    let moved = w.dir.path().join("OneDrive/Tresor");
    v.move_folder(&moved, &mut |_| true).unwrap();
    assert_eq!(v.attachments().read(id).unwrap().as_slice(), &bytes[..], "after the move");
    assert_eq!(files_in(&moved.join("attachments")).len(), 1);
    v.lock().unwrap();

    let restored = w.dir.path().join("restored");
    let password = SecretString::from(PASSWORD);
    tresor::vault::backup::restore(&backup, &restored, Unlock::Password(&password)).unwrap();
    let v = Vault::open_in(&restored, &w.dir.path().join("home2"), Unlock::Password(&password)).unwrap();
    assert_eq!(v.attachments().list(c).unwrap().len(), 1);
    assert_eq!(v.attachments().read(id).unwrap().as_slice(), &bytes[..], "after restore");
}

#[test]
fn the_folder_check_knows_attachment_files_and_reports_strangers() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Maria Wiesinger");
    attach(&w, &mut v, c, "befund.pdf", b"Befund");
    let ours = the_file(&v);
    let name = ours.file_name().unwrap().to_string_lossy().into_owned();
    let dir = w.data().join("attachments");
    let copy = dir.join(name.replace(".tresor-attachment", " (1).tresor-attachment"));
    fs::copy(&ours, &copy).unwrap();
    fs::write(dir.join("Befund Wiesinger.pdf"), b"plain").unwrap();
    fs::create_dir(dir.join("0123456789abcdef0123456789abcdef.tresor-attachment")).unwrap();
    let found = foreign::scan(v.data_folder());
    let kind_of = |p: &Path| found.iter().find(|f| f.path == p).map(|f| f.kind);
    assert_eq!(kind_of(&ours), None, "our own file is not foreign");
    assert_eq!(kind_of(&copy), Some(ForeignKind::OtherConflict));
    assert_eq!(kind_of(&dir.join("Befund Wiesinger.pdf")), Some(ForeignKind::Unknown));
    assert!(found.iter().any(|f| f.kind == ForeignKind::NotAFile), "{found:?}");
}

#[test]
fn erasing_a_clients_attachments_removes_rows_and_files_for_good() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let gone = client(&mut v, "Maria Wiesinger");
    let stays = client(&mut v, "Paul Huber");
    let a = attach(&w, &mut v, gone, "befund.pdf", &content(100));
    let b = attach(&w, &mut v, gone, "brief.pdf", &content(CHUNK));
    let kept = attach(&w, &mut v, stays, "huber.pdf", b"Huber");
    let today = v.records().today().unwrap();
    let report = v.retention_mut().erase(gone, "", today).unwrap();
    assert!(!report.erasure.early, "nothing of the client must be kept");
    for id in [a, b] {
        assert!(matches!(v.attachments().get(id), Err(Error::NotFound { .. })));
        assert_eq!(v.store().read().row_image("attachment", &id.to_string()).unwrap(), None, "no tombstone");
    }
    assert_eq!(files_in(&w.data().join("attachments")).len(), 1);
    assert_eq!(v.attachments().read(kept).unwrap().as_slice(), b"Huber");
    v.lock().unwrap();
    for (path, bytes) in files_below(&w.data()) {
        assert!(!contains(&bytes, &MARKER[..20]), "{}", path.display());
    }
}

#[test]
fn an_attachment_whose_lifetime_ended_is_erased_at_unlock() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    let c = client(&mut v, "Maria Wiesinger");
    let src = save(&w.tmp(), "notiz.txt", b"kurz");
    let soon = jiff::Timestamp::now() + jiff::SignedDuration::from_millis(1500);
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 30);
    let short = v.attachments_mut().add(c, None, &src, Some(soon)).unwrap();
    let long = v.attachments_mut().add(c, None, &src, Some(later)).unwrap();
    assert_eq!(short.expires_at, Some(soon));
    assert_eq!(v.attachments_mut().purge_expired(jiff::Timestamp::now()).unwrap(), 0);
    v.lock().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1600));
    let v = w.open_vault().unwrap();
    let left: Vec<AttachmentId> = v.attachments().list(c).unwrap().iter().map(|a| a.id).collect();
    assert_eq!(left, vec![long.id]);
    assert_eq!(files_in(&w.data().join("attachments")).len(), 1);
}
