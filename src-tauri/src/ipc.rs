//! The Tauri commands: one line each, calling `handlers`. Arguments keep their snake_case names
//! on the JavaScript side. Commands run off the main thread (`async`), so a password derivation
//! never freezes the window.

use std::path::PathBuf;

use jiff::civil::Date;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;
use tresor::domain::{
    Appointment, AppointmentId, AppointmentInput, AppointmentStatus, Cents, Client, ClientId, ClientInput, Country,
    NoteRevision, NoteRevisionId, Practice, PracticeUpdate, Service, ServiceId, ServiceInput, Session, SessionId,
    SessionInput,
};
use tresor::store::{ClientHit, ClientQuery, SearchResults};
use tresor::vault::{ClientTimeline, SeriesInput};

use crate::error::{codes, ApiError, ApiResult};
use crate::handlers::{
    self as h, AppState, ClientPage, Created, FolderStatus, LogoInfo, Secret, SeriesCreated, VaultInfo,
};
use crate::settings::Settings;
use crate::state::Shell;

/// Commands that work while the vault is locked. Every other command is a data command and is
/// refused while locked; `tests/locked.rs` checks each one.
pub const UNGUARDED: &[&str] = &[
    "app_state",
    "folder_status",
    "create_vault",
    "unlock",
    "lock",
    "activity",
    "set_language",
    "set_idle_minutes",
    "pick_folder",
    "pick_save_file",
    "pick_png_file",
    "parse_amount",
    "quit",
];

pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        app_state,
        folder_status,
        create_vault,
        unlock,
        lock,
        activity,
        set_language,
        set_idle_minutes,
        pick_folder,
        pick_save_file,
        pick_png_file,
        parse_amount,
        quit,
        vault_info,
        change_password,
        reveal_data_folder,
        save_emergency_kit,
        reveal_export,
        practice,
        update_practice,
        logo,
        set_logo,
        today,
        clients,
        search_clients,
        client,
        check_client,
        add_client,
        update_client,
        client_timeline,
        services,
        add_service,
        update_service,
        delete_service,
        add_appointment,
        add_series,
        set_appointment_status,
        appointment,
        appointments_between,
        add_session,
        session,
        revise_session,
        revisions,
        search,
        sync_status,
    ]
}

// ----- allowed while locked -----

#[tauri::command(async, rename_all = "snake_case")]
pub fn app_state(shell: State<'_, Shell>) -> ApiResult<AppState> {
    Ok(h::app_state(&shell))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn folder_status(folder: PathBuf) -> ApiResult<FolderStatus> {
    Ok(h::folder_status(&folder))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn create_vault(
    shell: State<'_, Shell>,
    folder: PathBuf,
    password: String,
    country: Country,
) -> ApiResult<Created> {
    h::create_vault(&shell, &folder, password, country)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn unlock(shell: State<'_, Shell>, folder: PathBuf, secret: Secret) -> ApiResult<()> {
    h::unlock(&shell, &folder, secret)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn lock(shell: State<'_, Shell>) -> ApiResult<bool> {
    h::lock(&shell)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn activity(shell: State<'_, Shell>) -> ApiResult<()> {
    h::activity(&shell);
    Ok(())
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn set_language(shell: State<'_, Shell>, language: String) -> ApiResult<Settings> {
    h::set_language(&shell, &language)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn set_idle_minutes(shell: State<'_, Shell>, minutes: u32) -> ApiResult<Settings> {
    Ok(h::set_idle_minutes(&shell, minutes))
}

/// The native folder dialog; `None` when the user cancelled.
#[tauri::command(async, rename_all = "snake_case")]
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
pub fn pick_save_file(app: AppHandle, title: String, file_name: String) -> ApiResult<Option<PathBuf>> {
    let dialog = app.dialog().file().set_title(title).set_file_name(file_name).add_filter("PDF", &["pdf"]);
    match dialog.blocking_save_file() {
        None => Ok(None),
        Some(p) => p.into_path().map(Some).map_err(|_| ApiError::new(codes::DIALOG_FAILED)),
    }
}

/// The native open dialog for a PNG picture; `None` when the user cancelled.
#[tauri::command(async, rename_all = "snake_case")]
pub fn pick_png_file(app: AppHandle, title: String) -> ApiResult<Option<PathBuf>> {
    match app.dialog().file().set_title(title).add_filter("PNG", &["png"]).blocking_pick_file() {
        None => Ok(None),
        Some(p) => p.into_path().map(Some).map_err(|_| ApiError::new(codes::DIALOG_FAILED)),
    }
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn parse_amount(text: String) -> ApiResult<Cents> {
    h::parse_amount(&text)
}

/// Locks (final snapshot) and ends the app; the UI calls it after saving what was typed.
#[tauri::command(async, rename_all = "snake_case")]
pub fn quit(app: AppHandle, shell: State<'_, Shell>) -> ApiResult<()> {
    let locked = h::lock(&shell);
    app.exit(0);
    locked.map(|_| ())
}

// ----- data commands -----

#[tauri::command(async, rename_all = "snake_case")]
pub fn vault_info(shell: State<'_, Shell>) -> ApiResult<VaultInfo> {
    h::vault_info(&shell)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn change_password(shell: State<'_, Shell>, new_password: String) -> ApiResult<()> {
    h::change_password(&shell, new_password)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn reveal_data_folder(app: AppHandle, shell: State<'_, Shell>) -> ApiResult<()> {
    let folder = h::data_folder(&shell)?;
    app.opener()
        .reveal_item_in_dir(&folder)
        .map_err(|_| ApiError::new(codes::OPEN_FAILED).with("path", folder.display().to_string()))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn save_emergency_kit(shell: State<'_, Shell>, recovery_key: String, path: PathBuf) -> ApiResult<()> {
    h::save_emergency_kit(&shell, &recovery_key, &path)
}

/// Shows an exported file in the file manager (only while unlocked).
#[tauri::command(async, rename_all = "snake_case")]
pub fn reveal_export(app: AppHandle, shell: State<'_, Shell>, path: PathBuf) -> ApiResult<()> {
    let path = h::export_to_reveal(&shell, &path)?;
    app.opener()
        .reveal_item_in_dir(&path)
        .map_err(|_| ApiError::new(codes::OPEN_FAILED).with("path", path.display().to_string()))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn practice(shell: State<'_, Shell>) -> ApiResult<Practice> {
    h::practice(&shell)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn update_practice(shell: State<'_, Shell>, change: PracticeUpdate) -> ApiResult<Practice> {
    h::update_practice(&shell, &change)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn logo(shell: State<'_, Shell>) -> ApiResult<Option<LogoInfo>> {
    h::logo(&shell)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn set_logo(shell: State<'_, Shell>, path: Option<PathBuf>) -> ApiResult<Option<LogoInfo>> {
    h::set_logo(&shell, path.as_deref())
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn today(shell: State<'_, Shell>) -> ApiResult<Date> {
    h::today(&shell)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn clients(shell: State<'_, Shell>, query: ClientQuery) -> ApiResult<ClientPage> {
    h::clients(&shell, &query)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn search_clients(shell: State<'_, Shell>, query: String, limit: u32) -> ApiResult<Vec<ClientHit>> {
    h::search_clients(&shell, &query, limit)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn client(shell: State<'_, Shell>, id: ClientId) -> ApiResult<Client> {
    h::client(&shell, id)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn check_client(shell: State<'_, Shell>, input: ClientInput) -> ApiResult<ClientInput> {
    h::check_client(&shell, input)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn add_client(shell: State<'_, Shell>, input: ClientInput) -> ApiResult<ClientId> {
    h::add_client(&shell, input)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn update_client(shell: State<'_, Shell>, id: ClientId, input: ClientInput) -> ApiResult<()> {
    h::update_client(&shell, id, input)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn client_timeline(shell: State<'_, Shell>, id: ClientId) -> ApiResult<ClientTimeline> {
    h::client_timeline(&shell, id)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn services(shell: State<'_, Shell>) -> ApiResult<Vec<Service>> {
    h::services(&shell)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn add_service(shell: State<'_, Shell>, input: ServiceInput) -> ApiResult<ServiceId> {
    h::add_service(&shell, input)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn update_service(shell: State<'_, Shell>, id: ServiceId, input: ServiceInput) -> ApiResult<()> {
    h::update_service(&shell, id, input)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn delete_service(shell: State<'_, Shell>, id: ServiceId) -> ApiResult<()> {
    h::delete_service(&shell, id)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn add_appointment(shell: State<'_, Shell>, input: AppointmentInput) -> ApiResult<AppointmentId> {
    h::add_appointment(&shell, input)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn add_series(shell: State<'_, Shell>, input: SeriesInput) -> ApiResult<SeriesCreated> {
    h::add_series(&shell, input)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn set_appointment_status(shell: State<'_, Shell>, id: AppointmentId, status: AppointmentStatus) -> ApiResult<()> {
    h::set_appointment_status(&shell, id, status)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn appointment(shell: State<'_, Shell>, id: AppointmentId) -> ApiResult<Appointment> {
    h::appointment(&shell, id)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn appointments_between(shell: State<'_, Shell>, from: Date, to: Date) -> ApiResult<Vec<Appointment>> {
    h::appointments_between(&shell, from, to)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn add_session(shell: State<'_, Shell>, input: SessionInput) -> ApiResult<SessionId> {
    h::add_session(&shell, input)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn session(shell: State<'_, Shell>, id: SessionId) -> ApiResult<Session> {
    h::session(&shell, id)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn revise_session(shell: State<'_, Shell>, id: SessionId, body: String) -> ApiResult<Option<NoteRevisionId>> {
    h::revise_session(&shell, id, &body)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn revisions(shell: State<'_, Shell>, id: SessionId) -> ApiResult<Vec<NoteRevision>> {
    h::revisions(&shell, id)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn search(shell: State<'_, Shell>, query: String, limit: u32) -> ApiResult<SearchResults> {
    h::search(&shell, &query, limit)
}

/// Other computers with the vault open, and what in the data folder wants attention.
#[tauri::command(async, rename_all = "snake_case")]
pub fn sync_status(shell: State<'_, Shell>) -> ApiResult<h::SyncState> {
    h::sync_status(&shell)
}
