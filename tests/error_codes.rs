//! Every error code is raised where it says: each code of `tresor::error::CODES` meets a real
//! situation on real files that raises it, or names the test that provokes it in a situation
//! too long to repeat here, or says in one line why nothing outside the core can provoke it.

mod common;

use common::*;
use jiff::civil::date;
use secrecy::SecretString;
use tresor::crypto::RecoveryKey;
use tresor::domain::client::ClientInput;
use tresor::domain::money::Cents;
use tresor::domain::practice::Country;
use tresor::domain::service::{ServiceInput, TaxMode};
use tresor::domain::session::SessionInput;
use tresor::domain::ClientId;
use tresor::{Error, Unlock, Vault};

enum Case {
    /// Provoked here, in a fresh world.
    Raised(fn(&World) -> Error),
    /// Provoked, with its code asserted, by the named test.
    Elsewhere(&'static str),
    /// Nothing outside the core can provoke it, for the reason given.
    Unreachable(&'static str),
}
use Case::*;

fn session(client: ClientId, fee: i64) -> SessionInput {
    SessionInput {
        client_id: client,
        appointment_id: None,
        service_id: None,
        date: date(2026, 3, 2),
        minutes: Some(50),
        fee: Some(Cents::new(fee)),
        setting: None,
        group_size: None,
        note: String::new(),
    }
}

fn wrong_password(w: &World) -> Error {
    drop(w.create_vault());
    Vault::open_in(&w.data(), &w.home(), Unlock::Password(&SecretString::from("not the password"))).unwrap_err()
}

fn recovery_key_typo(w: &World) -> Error {
    let (_, key) = w.create_vault();
    // One symbol of the third group changed: its check symbol no longer fits.
    let mut chars: Vec<char> = key.chars().collect();
    let i = 13;
    chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
    match RecoveryKey::parse(&chars.into_iter().collect::<String>()) {
        Err(e) => e,
        Ok(_) => panic!("a changed symbol went unnoticed"),
    }
}

fn recovery_key_malformed(_: &World) -> Error {
    RecoveryKey::parse("ABCD-EFGH").err().unwrap()
}

fn vault_missing(w: &World) -> Error {
    std::fs::create_dir_all(w.data()).unwrap();
    w.open_vault().unwrap_err()
}

fn vault_exists(w: &World) -> Error {
    drop(w.create_vault());
    let opts = tresor::CreateOptions {
        kdf_target: std::time::Duration::ZERO,
        local_root: Some(w.home()),
        ..Default::default()
    };
    Vault::create(&w.data(), &SecretString::from(PASSWORD), &opts).err().unwrap()
}

fn in_use(w: &World) -> Error {
    let (_v, _) = w.create_vault();
    w.open_vault().unwrap_err()
}

/// `device.json` in the working folder damaged: a damaged working copy (which `repair`
/// mends), not a damaged database.
fn device_file_damaged(w: &World) -> Error {
    drop(w.create_vault());
    let (path, _) = files_below(&w.home()).into_iter().find(|(p, _)| p.ends_with("device.json")).expect("device.json");
    std::fs::write(&path, b"{ not json").unwrap();
    w.open_vault().unwrap_err()
}

fn not_found(w: &World) -> Error {
    let (v, _) = w.create_vault();
    v.records().client(ClientId::new()).unwrap_err()
}

fn invalid(w: &World) -> Error {
    let (mut v, _) = w.create_vault();
    v.records_mut().add_client(ClientInput::with_full_name("   ")).unwrap_err()
}

fn empty_search(w: &World) -> Error {
    let (v, _) = w.create_vault();
    v.records().search("  ", 10).unwrap_err()
}

fn too_large(w: &World) -> Error {
    let (mut v, _) = w.create_vault();
    let c = v.records_mut().add_client(ClientInput::with_full_name("Bärbel Größ")).unwrap();
    v.records_mut().add_session(session(c, 100_000_001)).unwrap_err()
}

fn practice_incomplete(w: &World) -> Error {
    let (mut v, _) = w.create_vault();
    let c = v.records_mut().add_client(ClientInput::with_full_name("Bärbel Größ")).unwrap();
    v.records_mut().add_session(session(c, 9000)).unwrap();
    let id = v.billing_mut().draft_invoice(c, None, None).unwrap()[0];
    v.billing_mut().issue_invoice(id, Some(date(2026, 3, 3))).unwrap_err()
}

fn nothing_to_bill(w: &World) -> Error {
    let (mut v, _) = w.create_vault();
    let c = v.records_mut().add_client(ClientInput::with_full_name("Bärbel Größ")).unwrap();
    v.billing_mut().draft_invoice(c, None, None).unwrap_err()
}

fn issued_twice(w: &World) -> Error {
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let c = v.records_mut().add_client(ClientInput::with_full_name("Bärbel Größ")).unwrap();
    v.records_mut().add_session(session(c, 9000)).unwrap();
    let id = v.billing_mut().draft_invoice(c, None, None).unwrap()[0];
    v.billing_mut().issue_invoice(id, Some(date(2026, 3, 3))).unwrap();
    v.billing_mut().issue_invoice(id, Some(date(2026, 3, 3))).unwrap_err()
}

fn cancelled_twice(w: &World) -> Error {
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let c = v.records_mut().add_client(ClientInput::with_full_name("Bärbel Größ")).unwrap();
    v.records_mut().add_session(session(c, 9000)).unwrap();
    let id = v.billing_mut().draft_invoice(c, None, None).unwrap()[0];
    let number = v.billing_mut().issue_invoice(id, Some(date(2026, 3, 3))).unwrap();
    v.billing_mut().cancel_invoice(&number, "Doppelt verrechnet", false, Some(date(2026, 3, 4))).unwrap();
    v.billing_mut().cancel_invoice(&number, "Doppelt verrechnet", false, Some(date(2026, 3, 4))).unwrap_err()
}

fn service_in_use(w: &World) -> Error {
    let (mut v, _) = w.create_vault();
    let svc = v
        .records_mut()
        .add_service(ServiceInput {
            name: "Einzel".into(),
            code: "E".into(),
            minutes: 50,
            price: Cents::new(9500),
            tax: TaxMode::AtExempt,
            fee: Default::default(),
            retired: false,
        })
        .unwrap();
    let c = v.records_mut().add_client(ClientInput::with_full_name("Bärbel Größ")).unwrap();
    v.records_mut().add_session(SessionInput { service_id: Some(svc), ..session(c, 9500) }).unwrap();
    v.records_mut().delete_service(svc).unwrap_err()
}

fn export_exists(w: &World) -> Error {
    let p = w.tmp().join("invoice.pdf");
    std::fs::write(&p, b"kept").unwrap();
    tresor::export::write_file(&p, b"new", false).unwrap_err()
}

fn export_failed(w: &World) -> Error {
    tresor::export::write_file(&w.tmp().join("no such folder").join("invoice.pdf"), b"new", false).unwrap_err()
}

fn backup_in_vault(w: &World) -> Error {
    let (mut v, _) = w.create_vault();
    v.backup_to(&w.data().join("backup.tresor"), false).unwrap_err()
}

fn backup_corrupt(w: &World) -> Error {
    let p = w.tmp().join("backup.tresor");
    std::fs::write(&p, b"not a backup at all, just text").unwrap();
    let pw = SecretString::from(PASSWORD);
    tresor::vault::backup::restore(&p, &w.dir.path().join("restored"), Unlock::Password(&pw)).unwrap_err()
}

fn restore_into_full_folder(w: &World) -> Error {
    let (mut v, _) = w.create_vault();
    let p = w.tmp().join("backup.tresor");
    v.backup_to(&p, false).unwrap();
    let target = w.dir.path().join("restored");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join("someone else's file.txt"), b"kept").unwrap();
    let pw = SecretString::from(PASSWORD);
    tresor::vault::backup::restore(&p, &target, Unlock::Password(&pw)).unwrap_err()
}

fn table() -> Vec<(&'static str, Case)> {
    vec![
        ("vault.wrong_secret", Raised(wrong_password)),
        ("vault.recovery_key_typo", Raised(recovery_key_typo)),
        ("vault.recovery_key_malformed", Raised(recovery_key_malformed)),
        ("vault.missing", Raised(vault_missing)),
        ("vault.exists", Raised(vault_exists)),
        ("vault.header_truncated", Elsewhere("tests/vault.rs (damaged vault.key cases)")),
        ("vault.header_corrupt", Elsewhere("tests/vault.rs (damaged vault.key cases)")),
        ("vault.header_unsupported_version", Elsewhere("tests/vault.rs (damaged vault.key cases)")),
        ("vault.header_foreign", Elsewhere("tests/vault.rs, cli/tests/folder_readers.rs")),
        ("vault.header_other_vault", Elsewhere("tests/vault.rs")),
        ("folder.offline", Elsewhere("tests/offline_unlock.rs without_a_working_copy_the_folder_is_needed_and_a_folder_without_its_key_is_no_offline_case")),
        ("import.unreadable", Elsewhere("tests/import.rs files_too_large_or_unreadable_are_refused_and_change_nothing")),
        ("import.too_large", Elsewhere("tests/import.rs files_too_large_or_unreadable_are_refused_and_change_nothing")),
        ("import.unknown_field", Elsewhere("cli/tests/cli_import.rs a_mapping_on_the_command_line_and_a_wrong_one")),
        ("import.unknown_column", Elsewhere("tests/import.rs the_mapping_is_remembered_and_an_explicit_one_is_checked")),
        ("import.mapping_incomplete", Elsewhere("tests/import.rs the_mapping_is_remembered_and_an_explicit_one_is_checked")),
        (
            "store.database_foreign",
            Unreachable("needs a database that this vault's key decrypts but that names another vault"),
        ),
        (
            "store.database_unreadable",
            Unreachable("the vault maps it to vault.working_copy_damaged, as the header proved the key right"),
        ),
        ("store.database_corrupt", Elsewhere("src/store/open.rs and src/sync/snapshot.rs unit tests")),
        ("store.schema_too_new", Elsewhere("store::migrate::tests (a database of a newer schema)")),
        ("store.no_encryption", Unreachable("this build always links SQLCipher")),
        ("vault.in_use", Raised(in_use)),
        ("vault.locked", Unreachable("the desktop shell's state while locked; the core has no locked vault")),
        ("unlock.wait", Elsewhere("cli/tests/unlock.rs")),
        ("vault.no_snapshot", Elsewhere("cli/tests/snapshots.rs")),
        ("vault.no_good_snapshot", Elsewhere("cli/tests/snapshots.rs")),
        ("vault.working_copy_damaged", Raised(device_file_damaged)),
        ("record.not_found", Raised(not_found)),
        ("record.invalid", Raised(invalid)),
        ("record.immutable", Raised(issued_twice)),
        ("sync.segment_unreadable", Elsewhere("tests/reader_props.rs, sync::segment tests")),
        ("io.target_not_empty", Raised(restore_into_full_folder)),
        ("folder.file_too_large", Elsewhere("cli/tests/folder_readers.rs")),
        ("folder.not_a_file", Elsewhere("cli/tests/folder_readers.rs")),
        ("folder.in_transit", Elsewhere("cli/tests/folder_readers.rs")),
        ("io.file_busy", Elsewhere("fsutil::tests (a sharing violation, which only Windows raises)")),
        ("backup.corrupt", Raised(backup_corrupt)),
        ("task.cancelled", Elsewhere("tests/vault.rs move_can_be_cancelled_and_leaves_nothing_behind, restore_reports_progress_and_a_cancelled_one_leaves_nothing")),
        ("search.empty", Raised(empty_search)),
        (
            "money.overflow",
            Elsewhere("sync::mixed_versions tests: amounts entered are bounded, only a file can hold more"),
        ),
        ("money.too_large", Raised(too_large)),
        ("io.failed", Elsewhere("fsutil::tests")),
        ("io.disk_full", Unreachable("needs a full disk; the mapping is error::tests::full_disk_gets_its_own_code")),
        ("store.failed", Elsewhere("store::invoices::tests (a database failure while issuing)")),
        ("billing.practice_incomplete", Raised(practice_incomplete)),
        ("invoice.nothing_to_bill", Raised(nothing_to_bill)),
        ("billing.run_cancelled", Elsewhere("tests/billing_desk.rs (a month-end run cancelled half-way)")),
        ("invoice.wrong_state", Raised(cancelled_twice)),
        ("einvoice.not_applicable", Elsewhere("cli/tests/einvoice.rs")),
        ("document.pending", Elsewhere("tests/issued_documents.rs (a document another computer cannot render)")),
        (
            "invoice.session_billed",
            Unreachable("only two computers billing one session, then merged: draft_invoice skips billed sessions"),
        ),
        ("export.exists", Raised(export_exists)),
        ("export.failed", Raised(export_failed)),
        (
            "export.render_failed",
            Unreachable("raised only when our embedded fonts or the PDF/XLSX libraries fail on our own output"),
        ),
        ("sync.pending", Elsewhere("cli/tests/cli_attack.rs (a data folder that cannot be written)")),
        ("backup.target_in_vault", Raised(backup_in_vault)),
        ("billing.tax_mode_not_allowed", Elsewhere("cli/tests/fees.rs")),
        ("invoice.recipient_incomplete", Elsewhere("cli/tests/fees.rs, cli/tests/einvoice.rs")),
        ("billing.fee_reason_required", Elsewhere("cli/tests/fees.rs")),
        ("billing.fee_agreement_required", Elsewhere("cli/tests/fees.rs")),
        ("billing.number_format_locked", Elsewhere("cli/tests/fees.rs")),
        ("service.in_use", Raised(service_in_use)),
        ("attachment.too_large", Elsewhere("tests/attachments.rs the_size_limit_is_a_clear_error_that_changes_nothing")),
        ("attachment.damaged", Elsewhere("tests/attachments.rs a_damaged_file_is_reported_and_harms_nothing_else")),
        ("attachment.missing", Elsewhere("tests/attachments.rs a_damaged_file_is_reported_and_harms_nothing_else")),
        ("retention.active", Elsewhere("tests/retention.rs")),
        ("retention.restricted", Elsewhere("tests/retention.rs")),
    ]
}

#[test]
fn every_error_code_is_raised_where_it_says() {
    let table = table();
    let mut listed: Vec<&str> = table.iter().map(|(c, _)| *c).collect();
    listed.sort_unstable();
    let mut codes = tresor::error::CODES.to_vec();
    codes.sort_unstable();
    assert_eq!(listed, codes, "every code has exactly one row here");
    for (code, case) in table {
        match case {
            Raised(provoke) => {
                let e = provoke(&World::new());
                assert_eq!(e.code(), code, "{e}");
            }
            Elsewhere(test) | Unreachable(test) => assert!(!test.is_empty(), "{code}"),
        }
    }
}
