//! While no vault is open, every data command is refused with `vault.locked`, and the commands
//! checked here are the ones `ipc.rs` declares as refused while locked, so a new command cannot
//! slip by.

use std::collections::BTreeSet;

use jiff::civil::date;
use tresor::domain::ids::{InvoiceId, InvoiceLineId};
use tresor::domain::AttachmentId;
use tresor::domain::Language;
use tresor::domain::{
    AppointmentId, AppointmentInput, AppointmentKind, AppointmentStatus, Cents, ClientId, ClientInput, Frequency,
    PracticeUpdate, Recurrence, SeriesEnd, SeriesScope, ServiceId, ServiceInput, SessionId, SessionInput, TaxMode,
};
use tresor::import::Kind as ImportKind;
use tresor::store::ClientQuery;
use tresor::vault::{AppointmentChange, InvoiceListQuery, Names, SeriesInput};
use tresor_desktop::billing::{self as b, DocKind};
use tresor_desktop::error::ApiResult;
use tresor_desktop::handlers as h;
use tresor_desktop::handlers_attachments as ha;
use tresor_desktop::handlers_calendar as hc;
use tresor_desktop::handlers_import as hi;
use tresor_desktop::handlers_retention as hr;
use tresor_desktop::ipc::{WhileLocked, COMMANDS};
use tresor_desktop::reports;
use tresor_desktop::state::Shell;

fn ignore<T>(r: ApiResult<T>) -> ApiResult<()> {
    r.map(|_| ())
}

fn appointment_input() -> AppointmentInput {
    AppointmentInput {
        client_id: ClientId::new(),
        service_id: None,
        local_start: date(2026, 11, 23).at(9, 0, 0, 0),
        minutes: 50,
        kind: AppointmentKind::InPerson,
        video_link: String::new(),
        note: String::new(),
    }
}

fn service_input() -> ServiceInput {
    ServiceInput {
        name: "Einzel".into(),
        code: String::new(),
        minutes: 50,
        price: Cents::new(9000),
        tax: TaxMode::AtExempt,
        fee: Default::default(),
        retired: false,
    }
}

type Call = fn(&Shell) -> ApiResult<()>;

/// Every data command with plausible arguments.
fn data_commands() -> Vec<(&'static str, Call)> {
    vec![
        ("vault_info", |s| ignore(h::vault_info(s))),
        ("change_password", |s| ignore(h::change_password(s, "ein neues langes Passwort".into()))),
        ("reveal_data_folder", |s| ignore(h::data_folder(s))),
        ("save_emergency_kit", |s| {
            ignore(h::save_emergency_kit(
                s,
                "ABCDE-FGHJK-MNPQR-STVWX-YZ012-34567-89ABC-DEFGH",
                std::path::Path::new("/nonexistent/kit.pdf"),
            ))
        }),
        ("reveal_export", |s| ignore(h::export_to_reveal(s, std::path::Path::new("/tmp/kit.pdf")))),
        ("practice", |s| ignore(h::practice(s))),
        ("update_practice", |s| ignore(h::update_practice(s, &PracticeUpdate::default()))),
        ("logo", |s| ignore(h::logo(s))),
        ("set_logo", |s| ignore(h::set_logo(s, Some(std::path::Path::new("/tmp/logo.png"))))),
        ("today", |s| ignore(h::today(s))),
        ("clients", |s| ignore(h::clients(s, &ClientQuery::default()))),
        ("search_clients", |s| ignore(h::search_clients(s, "Mül", 10))),
        ("client", |s| ignore(h::client(s, ClientId::new()))),
        ("check_client", |s| ignore(h::check_client(s, ClientInput::with_full_name("Jörg Müller")))),
        ("add_client", |s| ignore(h::add_client(s, ClientInput::with_full_name("Jörg Müller")))),
        ("update_client", |s| ignore(h::update_client(s, ClientId::new(), ClientInput::with_full_name("Jörg Müller")))),
        ("client_timeline", |s| ignore(h::client_timeline(s, ClientId::new()))),
        ("services", |s| ignore(h::services(s))),
        ("tax_choices", |s| ignore(h::tax_choices(s))),
        ("add_service", |s| ignore(h::add_service(s, service_input()))),
        ("update_service", |s| ignore(h::update_service(s, ServiceId::new(), service_input()))),
        ("delete_service", |s| ignore(h::delete_service(s, ServiceId::new()))),
        ("add_appointment", |s| ignore(h::add_appointment(s, appointment_input()))),
        ("add_series", |s| {
            ignore(h::add_series(
                s,
                SeriesInput {
                    first: appointment_input(),
                    recurrence: Recurrence {
                        frequency: Frequency::Weekly { interval: 1 },
                        end: SeriesEnd::Count(3),
                        exceptions: vec![],
                    },
                },
            ))
        }),
        ("set_appointment_status", |s| {
            ignore(h::set_appointment_status(s, AppointmentId::new(), AppointmentStatus::Done))
        }),
        ("appointment", |s| ignore(h::appointment(s, AppointmentId::new()))),
        ("appointments_between", |s| ignore(h::appointments_between(s, date(2026, 11, 1), date(2026, 11, 30)))),
        ("add_session", |s| {
            ignore(h::add_session(
                s,
                SessionInput {
                    client_id: ClientId::new(),
                    appointment_id: None,
                    service_id: None,
                    date: date(2026, 11, 23),
                    minutes: Some(50),
                    fee: Some(Cents::new(9000)),
                    setting: None,
                    group_size: None,
                    note: "Erstgespräch".into(),
                },
            ))
        }),
        ("session", |s| ignore(h::session(s, SessionId::new()))),
        ("revise_session", |s| ignore(h::revise_session(s, SessionId::new(), "Verlauf"))),
        ("revisions", |s| ignore(h::revisions(s, SessionId::new()))),
        ("search", |s| ignore(h::search(s, "Angst", 20))),
        ("sync_status", |s| ignore(h::sync_status(s))),
        ("data_folder_info", |s| ignore(tresor_desktop::folder::data_folder_info(s))),
        ("move_data_folder", |s| {
            ignore(tresor_desktop::folder::move_data_folder(s, std::path::Path::new("/tmp/elsewhere"), &mut |_| {}))
        }),
        ("conflicts", |s| ignore(tresor_desktop::folder::conflicts(s, false))),
        ("resolve_conflict", |s| {
            ignore(tresor_desktop::folder::resolve_conflict(s, "01a2", tresor::store::Side::Other))
        }),
        ("backup_now", |s| ignore(tresor_desktop::folder::backup_now(s, std::path::Path::new("/tmp/backups")))),
        ("new_recovery_key", |s| ignore(tresor_desktop::folder::new_recovery_key(s))),
        ("rename_device", |s| ignore(tresor_desktop::device::rename(s, "Praxis-PC"))),
        ("backup_age", |s| ignore(tresor_desktop::folder::backup_age(s))),
        // attachments
        ("attachments", |s| ignore(ha::attachments(s, ClientId::new()))),
        ("add_attachment", |s| {
            ignore(ha::add_attachment(s, ClientId::new(), None, std::path::Path::new("/tmp/befund.pdf"), None))
        }),
        ("attachment_content", |s| ignore(ha::attachment_content(s, AttachmentId::new()))),
        ("pick_attachment_target", |s| ignore(ha::attachment_name(s, AttachmentId::new()))),
        ("save_attachment", |s| {
            ignore(ha::save_attachment(s, AttachmentId::new(), std::path::Path::new("/tmp/x.pdf")))
        }),
        ("delete_attachment", |s| ignore(ha::delete_attachment(s, AttachmentId::new()))),
        // retention
        ("retention_of", |s| ignore(hr::retention_of(s, ClientId::new()))),
        ("retention_due", |s| ignore(hr::retention_due(s))),
        ("retention_policy", |s| ignore(hr::retention_policy(s))),
        ("set_retention_policy", |s| ignore(hr::set_retention_policy(s, Default::default()))),
        ("restrict_client", |s| ignore(hr::restrict_client(s, ClientId::new(), true))),
        ("erase_client", |s| ignore(hr::erase_client(s, ClientId::new(), "Widerruf"))),
        ("erasure_log", |s| ignore(hr::erasure_log(s))),
        ("set_note_lifetime", |s| ignore(hr::set_note_lifetime(s, AppointmentId::new(), Some(30)))),
        // import
        ("import_columns", |s| ignore(hi::import_columns(s, ImportKind::Clients, std::path::Path::new("/tmp/k.csv")))),
        ("import_preview", |s| {
            ignore(hi::import_preview(s, ImportKind::Clients, std::path::Path::new("/tmp/k.csv"), &Default::default()))
        }),
        ("import_file", |s| {
            ignore(hi::import_file(s, ImportKind::Clients, std::path::Path::new("/tmp/k.csv"), &Default::default()))
        }),
        // statistics
        ("statistics", |s| ignore(tresor_desktop::stats::statistics(s, 2026, Names::Full))),
        ("export_calendar", |s| {
            ignore(tresor_desktop::stats::export_calendar(s, None, None, std::path::Path::new("/tmp/t.ics")))
        }),
        // draft texts and multipliers
        // fee forms
        ("preview_service_fee", |s| ignore(tresor_desktop::fee::preview_service_fee(s, &Default::default()))),
        ("set_draft_payer", |s| ignore(tresor_desktop::fee::set_draft_payer(s, InvoiceId::new(), "guardian"))),
        ("set_invoice_texts", |s| {
            ignore(tresor_desktop::drafts::set_invoice_texts(s, InvoiceId::new(), &Default::default()))
        }),
        ("set_line_multiplier", |s| {
            ignore(tresor_desktop::drafts::set_line_multiplier(
                s,
                InvoiceId::new(),
                InvoiceLineId::new(),
                "2,3",
                "Dauer",
            ))
        }),
        // reports
        ("report_view", |s| {
            ignore(reports::report_view(s, date(2026, 1, 1), date(2026, 12, 31), Names::Coded, Language::De))
        }),
        ("payment_list", |s| {
            ignore(reports::payment_list(s, date(2026, 1, 1), date(2026, 12, 31), Names::Full, Language::En))
        }),
        ("export_report", |s| {
            ignore(reports::export_report(
                s,
                1,
                reports::ReportKind::Journal,
                reports::ExportFormat::Xlsx,
                date(2026, 1, 1),
                date(2026, 12, 31),
                Names::Full,
                std::path::Path::new("/tmp/tresor-locked-journal.xlsx"),
            ))
        }),
        ("billing_settings", |s| ignore(reports::billing_settings(s))),
        ("update_billing_settings", |s| ignore(reports::update_billing_settings(s, &Default::default()))),
        // calendar
        ("calendar", |s| ignore(hc::calendar(s, date(2026, 11, 30), date(2026, 12, 6)))),
        ("today_overview", |s| ignore(hc::today_overview(s))),
        ("move_appointment", |s| ignore(hc::move_appointment(s, AppointmentId::new(), "2026-11-30T09:00:00", 50))),
        ("change_appointment", |s| {
            let change = AppointmentChange {
                local_start: date(2026, 11, 30).at(9, 0, 0, 0),
                minutes: 50,
                service_id: None,
                kind: AppointmentKind::InPerson,
                video_link: String::new(),
                note: String::new(),
            };
            ignore(hc::change_appointment(s, AppointmentId::new(), change, SeriesScope::All))
        }),
        ("remove_appointment", |s| ignore(hc::remove_appointment(s, AppointmentId::new(), SeriesScope::Only))),
        ("open_video_link", |s| ignore(hc::video_url(s, AppointmentId::new()))),
        // billing
        ("invoice_list", |s| ignore(b::invoice_list(s, &InvoiceListQuery::default()))),
        ("search_invoices", |s| ignore(b::search_invoices(s, "2026", 10))),
        ("unbilled_by_client", |s| ignore(b::unbilled_by_client(s))),
        ("client_billing", |s| ignore(b::client_billing(s, ClientId::new()))),
        ("month_preview", |s| ignore(b::month_preview(s, "2026-11"))),
        ("issue_month", |s| ignore(b::issue_month(s, "2026-11", &[ClientId::new()], None, |_, _| {}))),
        ("bill_client", |s| ignore(b::bill_client(s, ClientId::new()))),
        ("invoice_view", |s| ignore(b::invoice_view(s, InvoiceId::new()))),
        ("issue_invoice", |s| ignore(b::issue_invoice(s, InvoiceId::new(), None))),
        ("add_invoice_item", |s| {
            ignore(b::add_invoice_item(s, InvoiceId::new(), "Bericht".into(), Cents::new(5000), 1, false))
        }),
        ("remove_invoice_line", |s| ignore(b::remove_invoice_line(s, InvoiceId::new(), InvoiceLineId::new()))),
        ("delete_draft", |s| ignore(b::delete_draft(s, InvoiceId::new()))),
        ("record_payment", |s| ignore(b::record_payment(s, InvoiceId::new(), Cents::new(100), None, ""))),
        ("write_off", |s| ignore(b::write_off(s, InvoiceId::new(), "uneinbringlich"))),
        ("cancel_invoice", |s| ignore(b::cancel_invoice(s, InvoiceId::new(), "Falscher Betrag"))),
        ("dun_invoice", |s| ignore(b::dun_invoice(s, InvoiceId::new()))),
        ("invoice_document", |s| ignore(b::invoice_document(s, InvoiceId::new(), DocKind::Pdf))),
        ("pick_invoice_file", |s| ignore(b::default_file_name(s, InvoiceId::new(), DocKind::Pdf, true))),
        ("save_invoice_document", |s| {
            ignore(b::save_invoice_document(s, InvoiceId::new(), DocKind::Pdf, std::path::Path::new("x.pdf")))
        }),
    ]
}

#[test]
fn every_data_command_is_refused_while_locked() {
    let shell = Shell::new(None);
    assert!(!shell.is_unlocked());
    for (name, call) in data_commands() {
        let err = call(&shell).expect_err(name);
        assert_eq!(err.code, "vault.locked", "{name} was not refused: {err:?}");
        assert!(err.params.is_empty(), "{name}");
    }
}

#[test]
fn the_checked_commands_are_exactly_the_declared_data_commands() {
    let declared: BTreeSet<&str> = COMMANDS.iter().map(|c| c.name).collect();
    assert_eq!(declared.len(), COMMANDS.len(), "a command is declared twice");
    let data: BTreeSet<&str> =
        COMMANDS.iter().filter(|c| c.while_locked == WhileLocked::Refused).map(|c| c.name).collect();
    let checked: BTreeSet<&str> = data_commands().iter().map(|(n, _)| *n).collect();
    assert_eq!(data, checked, "a data command is declared but not checked above (or the reverse)");
}

#[test]
fn lock_while_locked_is_harmless_and_unlock_of_an_empty_folder_says_why() {
    let shell = Shell::new(None);
    assert!(!h::lock(&shell).unwrap(), "nothing was open");
    let dir = tempfile::tempdir().unwrap();
    let err = h::unlock(&shell, dir.path(), h::Secret::Password("irgendein Passwort".into()), &mut |_| {}).unwrap_err();
    assert_eq!(err.code, "vault.missing");
    assert!(!shell.is_unlocked());
}
