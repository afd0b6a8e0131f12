//! The Tauri commands: the one list of them (`commands!`) and a wrapper each, calling `handlers`.
//! Arguments keep their snake_case names on the JavaScript side. Commands run off the main thread (`async`), so a password derivation
//! never freezes the window.

use std::path::PathBuf;

use jiff::civil::Date;
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;
use tresor::billing::rules::TaxChoices;
use tresor::domain::{
    Appointment, AppointmentId, AppointmentInput, AppointmentStatus, Cents, Client, ClientId, ClientInput, Country,
    NoteRevision, NoteRevisionId, Practice, PracticeUpdate, Service, ServiceId, ServiceInput, Session, SessionId,
    SessionInput,
};
use tresor::store::{ClientHit, ClientQuery, SearchResults};
use tresor::vault::{ClientTimeline, SeriesInput};

use crate::diag::{self, Problem};
use crate::error::{codes, ApiError, ApiResult};
// The reports commands, with the macros `commands!` needs for each (`__cmd__…`, specta's).
use crate::handlers::{
    self as h, AppState, ClientPage, Created, FolderStatus, LogoInfo, Secret, SeriesCreated, VaultInfo,
};
#[allow(clippy::wildcard_imports)]
use crate::ipc_app::*;
#[allow(clippy::wildcard_imports)] // the attachments' commands, named in `commands!`
use crate::ipc_attachments::*;
#[allow(clippy::wildcard_imports)]
use crate::ipc_billing::*;
#[allow(unused_imports)] // the calendar's commands, named in `commands!`
use crate::ipc_calendar::*;
#[allow(clippy::wildcard_imports)]
use crate::ipc_device::*;
#[allow(clippy::wildcard_imports)] // the fee forms' commands and their macros
use crate::ipc_fee::*;
#[allow(clippy::wildcard_imports)] // the commands and the macros `#[tauri::command]` makes beside them
use crate::ipc_folder::*;
#[allow(clippy::wildcard_imports)] // the import wizard's commands and their macros
use crate::ipc_import::*;
#[allow(clippy::wildcard_imports)]
use crate::ipc_reports::*;
#[allow(clippy::wildcard_imports)] // the retention commands, named in `commands!`
use crate::ipc_retention::*;
#[allow(clippy::wildcard_imports)]
use crate::ipc_stats::*;
use crate::settings::Settings;
use crate::state::Shell;

/// Every command, declared once: its name and whether it works while no vault is open
/// (`Allowed`) or is a data command refused with `vault.locked` (`Refused`). From this list come
/// the handler Tauri calls, [`COMMANDS`] (which `tests/locked.rs` walks) and the TypeScript
/// wrappers in `ui/src/lib/bindings.ts` (`bindings.rs`). A new command is a function below with
/// `#[tauri::command]` and `#[specta::specta]`, plus its line here.
macro_rules! commands {
    ($($name:ident: $locked:ident,)*) => {
        pub const COMMANDS: &[Command] = &[$(Command { name: stringify!($name), while_locked: WhileLocked::$locked },)*];

        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// The commands' signatures, for the TypeScript bindings.
        pub fn signatures(types: &mut specta::TypeCollection) -> Vec<specta::datatype::Function> {
            specta::function::collect_functions![$($name),*](types)
        }
    };
}

/// Whether a command may run while the vault is locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhileLocked {
    /// The app's life, dialogs, settings and diagnostics: nothing of the vault's content.
    Allowed,
    /// A data command: refused with `vault.locked` until a vault is open.
    Refused,
}

/// A civil date on the wire (`2026-11-22`), as jiff writes and reads it.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(transparent)]
pub struct Iso(#[specta(type = String)] pub Date);

#[derive(Debug, Clone, Copy)]
pub struct Command {
    pub name: &'static str,
    pub while_locked: WhileLocked,
}

commands! {
    app_state: Allowed,
    folder_status: Allowed,
    create_vault: Allowed,
    unlock: Allowed,
    lock: Allowed,
    activity: Allowed,
    set_language: Allowed,
    set_idle_minutes: Allowed,
    pick_folder: Allowed,
    pick_save_file: Allowed,
    pick_png_file: Allowed,
    parse_amount: Allowed,
    quit: Allowed,
    diagnostics: Allowed,
    pick_log_file: Allowed,
    save_log: Allowed,
    vault_info: Refused,
    change_password: Refused,
    reveal_data_folder: Refused,
    save_emergency_kit: Refused,
    reveal_export: Refused,
    practice: Refused,
    update_practice: Refused,
    logo: Refused,
    set_logo: Refused,
    today: Refused,
    clients: Refused,
    search_clients: Refused,
    client: Refused,
    check_client: Refused,
    add_client: Refused,
    update_client: Refused,
    client_timeline: Refused,
    services: Refused,
    tax_choices: Refused,
    add_service: Refused,
    update_service: Refused,
    delete_service: Refused,
    add_appointment: Refused,
    add_series: Refused,
    set_appointment_status: Refused,
    appointment: Refused,
    appointments_between: Refused,
    add_session: Refused,
    session: Refused,
    revise_session: Refused,
    revisions: Refused,
    search: Refused,
    sync_status: Refused,
    // folder
    inspect_folder: Allowed,
    cancel_task: Allowed,
    pick_backup_file: Allowed,
    restore_backup: Allowed,
    set_backup_schedule: Allowed,
    data_folder_info: Refused,
    move_data_folder: Refused,
    conflicts: Refused,
    resolve_conflict: Refused,
    backup_now: Refused,
    new_recovery_key: Refused,
    // device
    rename_device: Refused,
    // reports
    report_view: Refused,
    payment_list: Refused,
    pick_export_file: Allowed,
    export_report: Refused,
    cancel_export: Allowed,
    billing_settings: Refused,
    update_billing_settings: Refused,
    // calendar
    calendar: Refused,
    today_overview: Refused,
    move_appointment: Refused,
    change_appointment: Refused,
    remove_appointment: Refused,
    open_video_link: Refused,
    // billing
    invoice_list: Refused,
    search_invoices: Refused,
    unbilled_by_client: Refused,
    client_billing: Refused,
    month_preview: Refused,
    issue_month: Refused,
    cancel_billing_run: Allowed,
    bill_client: Refused,
    invoice_view: Refused,
    issue_invoice: Refused,
    add_invoice_item: Refused,
    remove_invoice_line: Refused,
    delete_draft: Refused,
    record_payment: Refused,
    write_off: Refused,
    cancel_invoice: Refused,
    dun_invoice: Refused,
    invoice_document: Refused,
    pick_invoice_file: Refused,
    save_invoice_document: Refused,
    // statistics
    statistics: Refused,
    pick_calendar_file: Allowed,
    export_calendar: Refused,
    // attachments
    attachments: Refused,
    pick_attachment_file: Allowed,
    add_attachment: Refused,
    attachment_content: Refused,
    pick_attachment_target: Refused,
    save_attachment: Refused,
    delete_attachment: Refused,
    // retention
    retention_of: Refused,
    retention_due: Refused,
    retention_policy: Refused,
    set_retention_policy: Refused,
    restrict_client: Refused,
    erase_client: Refused,
    erasure_log: Refused,
    set_note_lifetime: Refused,
    // import
    pick_import_file: Allowed,
    import_columns: Refused,
    import_preview: Refused,
    import_file: Refused,
    // app
    set_invoice_texts: Refused,
    set_line_multiplier: Refused,
    backup_age: Refused,
    holiday_regions: Allowed,
    // reminders
    set_reminders: Allowed,
    // fee
    preview_service_fee: Refused,
    set_draft_payer: Refused,
}

// ----- allowed while locked -----

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn app_state(shell: State<'_, Shell>) -> ApiResult<AppState> {
    Ok(h::app_state(&shell))
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn folder_status(folder: PathBuf) -> ApiResult<FolderStatus> {
    Ok(h::folder_status(&folder))
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn create_vault(
    shell: State<'_, Shell>,
    folder: PathBuf,
    password: String,
    country: Country,
) -> ApiResult<Created> {
    h::create_vault(&shell, &folder, password, country)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn unlock(app: AppHandle, shell: State<'_, Shell>, folder: PathBuf, secret: Secret) -> ApiResult<()> {
    h::unlock(&shell, &folder, secret, &mut |p| {
        let _ = app.emit(EVENT_BUILD_PROGRESS, p);
    })
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn lock(shell: State<'_, Shell>) -> ApiResult<bool> {
    h::lock(&shell)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn activity(shell: State<'_, Shell>) -> ApiResult<()> {
    h::activity(&shell);
    Ok(())
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn set_language(shell: State<'_, Shell>, language: String) -> ApiResult<Settings> {
    h::set_language(&shell, &language)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn set_idle_minutes(shell: State<'_, Shell>, minutes: u32) -> ApiResult<Settings> {
    Ok(h::set_idle_minutes(&shell, minutes))
}

/// Which notifications this computer shows (a preference of this computer, like the idle time).
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn set_reminders(shell: State<'_, Shell>, prefs: tresor::domain::reminders::ReminderPrefs) -> ApiResult<Settings> {
    Ok(h::set_reminders(&shell, prefs))
}

/// The native folder dialog; `None` when the user cancelled.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn pick_folder(app: AppHandle, title: String, start: Option<PathBuf>) -> ApiResult<Option<PathBuf>> {
    let mut dialog = app.dialog().file().set_title(title);
    if let Some(dir) = start.filter(|d| d.is_dir()) {
        dialog = dialog.set_directory(dir);
    }
    match dialog.blocking_pick_folder() {
        None => Ok(None),
        Some(p) => p.into_path().map(Some).map_err(|_| ApiError::new(codes::DIALOG_FAILED)),
    }
}

/// The native save dialog for an export; `None` when the user cancelled.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn pick_save_file(app: AppHandle, title: String, file_name: String) -> ApiResult<Option<PathBuf>> {
    let dialog = app.dialog().file().set_title(title).set_file_name(file_name).add_filter("PDF", &["pdf"]);
    match dialog.blocking_save_file() {
        None => Ok(None),
        Some(p) => p.into_path().map(Some).map_err(|_| ApiError::new(codes::DIALOG_FAILED)),
    }
}

/// The native open dialog for a PNG picture; `None` when the user cancelled.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn pick_png_file(app: AppHandle, title: String) -> ApiResult<Option<PathBuf>> {
    match app.dialog().file().set_title(title).add_filter("PNG", &["png"]).blocking_pick_file() {
        None => Ok(None),
        Some(p) => p.into_path().map(Some).map_err(|_| ApiError::new(codes::DIALOG_FAILED)),
    }
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn parse_amount(text: String) -> ApiResult<Cents> {
    h::parse_amount(&text)
}

/// Ends the app after the window has saved what was typed: the last segment and the closed lease are
/// written first, the snapshot waits for the next start.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn quit(app: AppHandle, shell: State<'_, Shell>) -> ApiResult<()> {
    // The window has saved; only the segment and the closed lease are written before the app
    // ends (the snapshot waits for the next start: an OS shutdown gives seconds, not minutes).
    let closed = shell.close_at_exit();
    app.exit(0);
    closed.map(|_| ())
}

/// The last problems the shell logged (codes, no personal data), newest first.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn diagnostics() -> ApiResult<Vec<Problem>> {
    Ok(diag::recent())
}

/// The native save dialog for the log; `None` when the user cancelled.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn pick_log_file(app: AppHandle, title: String, file_name: String) -> ApiResult<Option<PathBuf>> {
    let dialog = app.dialog().file().set_title(title).set_file_name(file_name).add_filter("Log", &["log", "txt"]);
    match dialog.blocking_save_file() {
        None => Ok(None),
        Some(p) => p.into_path().map(Some).map_err(|_| ApiError::new(codes::DIALOG_FAILED)),
    }
}

/// Saves the log (the last days' files, joined) where the user chose in `pick_log_file`.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn save_log(path: PathBuf) -> ApiResult<()> {
    diag::save_log(&path)
}

// ----- data commands -----

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn vault_info(shell: State<'_, Shell>) -> ApiResult<VaultInfo> {
    h::vault_info(&shell)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn change_password(shell: State<'_, Shell>, new_password: String) -> ApiResult<()> {
    h::change_password(&shell, new_password)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn reveal_data_folder(app: AppHandle, shell: State<'_, Shell>) -> ApiResult<()> {
    let folder = h::data_folder(&shell)?;
    app.opener()
        .reveal_item_in_dir(&folder)
        .map_err(|_| ApiError::new(codes::OPEN_FAILED).with("path", folder.display().to_string()))
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn save_emergency_kit(shell: State<'_, Shell>, recovery_key: String, path: PathBuf) -> ApiResult<()> {
    h::save_emergency_kit(&shell, &recovery_key, &path)
}

/// Shows an exported file in the file manager (only while unlocked).
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn reveal_export(app: AppHandle, shell: State<'_, Shell>, path: PathBuf) -> ApiResult<()> {
    let path = h::export_to_reveal(&shell, &path)?;
    app.opener()
        .reveal_item_in_dir(&path)
        .map_err(|_| ApiError::new(codes::OPEN_FAILED).with("path", path.display().to_string()))
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn practice(shell: State<'_, Shell>) -> ApiResult<Practice> {
    h::practice(&shell)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn update_practice(shell: State<'_, Shell>, change: PracticeUpdate) -> ApiResult<Practice> {
    h::update_practice(&shell, &change)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn logo(shell: State<'_, Shell>) -> ApiResult<Option<LogoInfo>> {
    h::logo(&shell)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn set_logo(shell: State<'_, Shell>, path: Option<PathBuf>) -> ApiResult<Option<LogoInfo>> {
    h::set_logo(&shell, path.as_deref())
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn today(shell: State<'_, Shell>) -> ApiResult<Iso> {
    h::today(&shell).map(Iso)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn clients(shell: State<'_, Shell>, query: ClientQuery) -> ApiResult<ClientPage> {
    h::clients(&shell, &query)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn search_clients(shell: State<'_, Shell>, query: String, limit: u32) -> ApiResult<Vec<ClientHit>> {
    h::search_clients(&shell, &query, limit)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn client(shell: State<'_, Shell>, id: ClientId) -> ApiResult<Client> {
    h::client(&shell, id)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn check_client(shell: State<'_, Shell>, input: ClientInput) -> ApiResult<ClientInput> {
    h::check_client(&shell, input)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn add_client(shell: State<'_, Shell>, input: ClientInput) -> ApiResult<ClientId> {
    h::add_client(&shell, input)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn update_client(shell: State<'_, Shell>, id: ClientId, input: ClientInput) -> ApiResult<()> {
    h::update_client(&shell, id, input)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn client_timeline(shell: State<'_, Shell>, id: ClientId) -> ApiResult<ClientTimeline> {
    h::client_timeline(&shell, id)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn services(shell: State<'_, Shell>) -> ApiResult<Vec<Service>> {
    h::services(&shell)
}

/// The tax modes, default and fee schedules the open practice may use (the core's one rule).
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn tax_choices(shell: State<'_, Shell>) -> ApiResult<TaxChoices> {
    h::tax_choices(&shell)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn add_service(shell: State<'_, Shell>, input: ServiceInput) -> ApiResult<ServiceId> {
    h::add_service(&shell, input)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn update_service(shell: State<'_, Shell>, id: ServiceId, input: ServiceInput) -> ApiResult<()> {
    h::update_service(&shell, id, input)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn delete_service(shell: State<'_, Shell>, id: ServiceId) -> ApiResult<()> {
    h::delete_service(&shell, id)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn add_appointment(shell: State<'_, Shell>, input: AppointmentInput) -> ApiResult<AppointmentId> {
    h::add_appointment(&shell, input)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn add_series(shell: State<'_, Shell>, input: SeriesInput) -> ApiResult<SeriesCreated> {
    h::add_series(&shell, input)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn set_appointment_status(shell: State<'_, Shell>, id: AppointmentId, status: AppointmentStatus) -> ApiResult<()> {
    h::set_appointment_status(&shell, id, status)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn appointment(shell: State<'_, Shell>, id: AppointmentId) -> ApiResult<Appointment> {
    h::appointment(&shell, id)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn appointments_between(shell: State<'_, Shell>, from: Iso, to: Iso) -> ApiResult<Vec<Appointment>> {
    h::appointments_between(&shell, from.0, to.0)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn add_session(shell: State<'_, Shell>, input: SessionInput) -> ApiResult<SessionId> {
    h::add_session(&shell, input)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn session(shell: State<'_, Shell>, id: SessionId) -> ApiResult<Session> {
    h::session(&shell, id)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn revise_session(shell: State<'_, Shell>, id: SessionId, body: String) -> ApiResult<Option<NoteRevisionId>> {
    h::revise_session(&shell, id, &body)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn revisions(shell: State<'_, Shell>, id: SessionId) -> ApiResult<Vec<NoteRevision>> {
    h::revisions(&shell, id)
}

#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn search(shell: State<'_, Shell>, query: String, limit: u32) -> ApiResult<SearchResults> {
    h::search(&shell, &query, limit)
}

/// Other computers with the vault open, and what in the data folder wants attention.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn sync_status(shell: State<'_, Shell>) -> ApiResult<h::SyncState> {
    h::sync_status(&shell)
}
