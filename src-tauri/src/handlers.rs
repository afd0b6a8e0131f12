//! The IPC commands as plain functions of the shell state, so they can be tested without a
//! window. Each maps onto one core operation; none holds a business rule. `ipc.rs` wraps them
//! as Tauri commands.

use std::path::{Path, PathBuf};

use data_encoding::BASE64;
use jiff::civil::Date;
use secrecy::SecretString;
use tresor::crypto::RecoveryKey;
use tresor::domain::logo::Logo;
use tresor::domain::{
    Appointment, AppointmentId, AppointmentInput, AppointmentStatus, Cents, Client, ClientId, ClientInput,
    ClientSummary, Country, NoteRevision, NoteRevisionId, Practice, PracticeUpdate, SeriesId, Service, ServiceId,
    ServiceInput, Session, SessionId, SessionInput,
};
use tresor::paths::DataFolder;
use tresor::store::{ClientHit, ClientQuery, SearchResults};
use tresor::vault::{ClientTimeline, SeriesInput};
use tresor::{CreateOptions, Unlock, Vault};

use crate::error::{ApiError, ApiResult};
use crate::settings::{self, Settings};
use crate::state::Shell;

/// Overrides the suggested data folder (end-to-end tests point it at a temp dir).
pub const DATA_FOLDER_ENV: &str = "TRESOR_DATA_FOLDER";

// ----- the app and the vault's lifecycle (allowed while locked) -----

#[derive(Debug, Clone, serde::Serialize)]
pub struct AppState {
    pub unlocked: bool,
    /// The open vault's folder, or the one to offer: `TRESOR_DATA_FOLDER`, the last used one,
    /// or the core's default.
    pub data_folder: PathBuf,
    pub folder_has_vault: bool,
    pub settings: Settings,
    pub unlock_wait_seconds: u64,
}

pub fn app_state(shell: &Shell) -> AppState {
    let settings = shell.settings();
    let open = shell.read(|v| Ok(v.folder().to_path_buf())).ok();
    let data_folder = open.clone().unwrap_or_else(|| suggested_folder(&settings));
    let wait = tresor::vault::unlock_wait(&data_folder).1;
    AppState {
        unlocked: open.is_some(),
        folder_has_vault: has_vault(&data_folder),
        data_folder,
        settings,
        unlock_wait_seconds: tresor::vault::whole_seconds(wait),
    }
}

fn suggested_folder(settings: &Settings) -> PathBuf {
    std::env::var_os(DATA_FOLDER_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| settings.last_data_folder.clone())
        .unwrap_or_else(tresor::paths::default_data_folder)
}

fn has_vault(folder: &Path) -> bool {
    DataFolder::new(folder).header().is_file()
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct FolderStatus {
    pub has_vault: bool,
}

pub fn folder_status(folder: &Path) -> FolderStatus {
    FolderStatus { has_vault: has_vault(folder) }
}

#[derive(serde::Serialize)]
pub struct Created {
    /// Shown once; it exists nowhere else afterwards.
    pub recovery_key: String,
}

pub fn create_vault(shell: &Shell, folder: &Path, password: String, country: Country) -> ApiResult<Created> {
    let password = SecretString::from(password);
    let opts = CreateOptions { country, ..CreateOptions::default() };
    let (vault, recovery) = Vault::create(folder, &password, &opts)?;
    shell.install(vault);
    Ok(Created { recovery_key: recovery.display().to_string() })
}

/// What the user typed to unlock.
#[derive(Debug, serde::Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Secret {
    Password(String),
    RecoveryKey(String),
}

/// The core serialises tries and keeps the growing wait after wrong ones (`unlock.wait`), on
/// disk, so a restart of the app does not reset it.
pub fn unlock(shell: &Shell, folder: &Path, secret: Secret) -> ApiResult<()> {
    let opened = match secret {
        Secret::Password(p) => Vault::open(folder, Unlock::Password(&SecretString::from(p))),
        Secret::RecoveryKey(k) => {
            let key = RecoveryKey::parse(&k)?;
            Vault::open(folder, Unlock::RecoveryKey(&key))
        }
    };
    match opened {
        Ok(v) => {
            shell.install(v);
            Ok(())
        }
        Err(e @ tresor::Error::WrongSecret) => {
            let (attempts, wait) = tresor::vault::unlock_wait(folder);
            let wait = tresor::vault::whole_seconds(wait);
            Err(ApiError::from(e).with("attempts", attempts).with("wait_seconds", wait))
        }
        Err(e) => Err(e.into()),
    }
}

/// Locks by hand, on idle or on sleep. Returns whether a vault was open.
pub fn lock(shell: &Shell) -> ApiResult<bool> {
    shell.lock()
}

pub fn activity(shell: &Shell) {
    shell.touch();
}

pub fn set_language(shell: &Shell, language: &str) -> ApiResult<Settings> {
    let lang = tresor::domain::Language::parse(language)?;
    Ok(shell.update_settings(|s| s.language = Some(lang.as_str().to_string())))
}

pub fn set_idle_minutes(shell: &Shell, minutes: u32) -> Settings {
    shell.update_settings(|s| s.idle_minutes = settings::clamp_idle(minutes))
}

/// A typed amount (`1.234,56`, `95`) as cents, by the core's rules.
pub fn parse_amount(text: &str) -> ApiResult<Cents> {
    Ok(Cents::parse_amount(text)?)
}

// ----- data commands: refused with `vault.locked` while no vault is open -----

#[derive(Debug, Clone, serde::Serialize)]
pub struct VaultInfo {
    pub id: String,
    pub data_folder: PathBuf,
    pub device: String,
}

pub fn vault_info(shell: &Shell) -> ApiResult<VaultInfo> {
    shell.read(|v| {
        Ok(VaultInfo { id: v.id().to_string(), data_folder: v.folder().to_path_buf(), device: v.device().name.clone() })
    })
}

pub fn change_password(shell: &Shell, new_password: String) -> ApiResult<()> {
    let p = SecretString::from(new_password);
    shell.write(|v| v.change_password(&p))
}

pub fn practice(shell: &Shell) -> ApiResult<Practice> {
    shell.read(Vault::practice)
}

pub fn update_practice(shell: &Shell, change: &PracticeUpdate) -> ApiResult<Practice> {
    shell.write(|v| v.update_practice(change))
}

/// The letterhead logo: its size in pixels and the PNG as a `data:` URL for the preview (the
/// CSP allows `data:` images, and the file never has to be served from disk).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LogoInfo {
    pub width: u32,
    pub height: u32,
    pub data_url: String,
}

pub fn logo(shell: &Shell) -> ApiResult<Option<LogoInfo>> {
    shell.read(|v| {
        let Some(png) = v.logo_png()? else { return Ok(None) };
        let logo = Logo::from_png(&png)?;
        Ok(Some(LogoInfo {
            width: logo.width,
            height: logo.height,
            data_url: format!("data:image/png;base64,{}", BASE64.encode(&png)),
        }))
    })
}

/// Sets the logo from the PNG file at `path` (chosen in the native dialog), or removes it.
pub fn set_logo(shell: &Shell, path: Option<&Path>) -> ApiResult<Option<LogoInfo>> {
    shell.write(|v| v.set_logo_file(path))?;
    logo(shell)
}

pub fn today(shell: &Shell) -> ApiResult<Date> {
    shell.read(Vault::today)
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ClientPage {
    pub items: Vec<ClientSummary>,
    pub total: u64,
}

pub fn clients(shell: &Shell, query: &ClientQuery) -> ApiResult<ClientPage> {
    shell.read(|v| v.clients(query)).map(|(items, total)| ClientPage { items, total })
}

pub fn search_clients(shell: &Shell, query: &str, limit: u32) -> ApiResult<Vec<ClientHit>> {
    shell.read(|v| v.search_clients(query, limit))
}

pub fn client(shell: &Shell, id: ClientId) -> ApiResult<Client> {
    shell.read(|v| v.client(id))
}

pub fn check_client(shell: &Shell, input: ClientInput) -> ApiResult<ClientInput> {
    shell.read(|v| v.check_client(input))
}

pub fn add_client(shell: &Shell, input: ClientInput) -> ApiResult<ClientId> {
    shell.write(|v| v.add_client(input))
}

pub fn update_client(shell: &Shell, id: ClientId, input: ClientInput) -> ApiResult<()> {
    shell.write(|v| v.update_client(id, input))
}

pub fn client_timeline(shell: &Shell, id: ClientId) -> ApiResult<ClientTimeline> {
    shell.read(|v| v.client_timeline(id))
}

pub fn services(shell: &Shell) -> ApiResult<Vec<Service>> {
    shell.read(Vault::services)
}

pub fn add_service(shell: &Shell, input: ServiceInput) -> ApiResult<ServiceId> {
    shell.write(|v| v.add_service(input))
}

pub fn update_service(shell: &Shell, id: ServiceId, input: ServiceInput) -> ApiResult<()> {
    shell.write(|v| v.update_service(id, input))
}

pub fn delete_service(shell: &Shell, id: ServiceId) -> ApiResult<()> {
    shell.write(|v| v.delete_service(id))
}

pub fn add_appointment(shell: &Shell, input: AppointmentInput) -> ApiResult<AppointmentId> {
    shell.write(|v| v.add_appointment(input))
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SeriesCreated {
    pub series_id: SeriesId,
    pub appointment_ids: Vec<AppointmentId>,
}

pub fn add_series(shell: &Shell, input: SeriesInput) -> ApiResult<SeriesCreated> {
    shell
        .write(|v| v.add_series(input))
        .map(|(series_id, appointment_ids)| SeriesCreated { series_id, appointment_ids })
}

pub fn set_appointment_status(shell: &Shell, id: AppointmentId, status: AppointmentStatus) -> ApiResult<()> {
    shell.write(|v| v.set_appointment_status(id, status))
}

pub fn appointment(shell: &Shell, id: AppointmentId) -> ApiResult<Appointment> {
    shell.read(|v| v.appointment(id))
}

pub fn appointments_between(shell: &Shell, from: Date, to: Date) -> ApiResult<Vec<Appointment>> {
    shell.read(|v| v.appointments_between(from, to))
}

pub fn add_session(shell: &Shell, input: SessionInput) -> ApiResult<SessionId> {
    shell.write(|v| v.add_session(input))
}

pub fn session(shell: &Shell, id: SessionId) -> ApiResult<Session> {
    shell.read(|v| v.session(id))
}

pub fn revise_session(shell: &Shell, id: SessionId, body: &str) -> ApiResult<Option<NoteRevisionId>> {
    shell.write(|v| v.revise_session(id, body))
}

pub fn revisions(shell: &Shell, id: SessionId) -> ApiResult<Vec<NoteRevision>> {
    shell.read(|v| v.revisions(id))
}

pub fn search(shell: &Shell, query: &str, limit: u32) -> ApiResult<SearchResults> {
    shell.read(|v| v.search(query, limit))
}

/// Writes the emergency kit (the recovery key on a printable page) as a PDF to the path the user
/// chose; an existing file is kept (`export.exists`). The key is the one just shown after
/// creating the vault; a mistyped or foreign string is refused before anything is written.
pub fn save_emergency_kit(shell: &Shell, recovery_key: &str, path: &Path) -> ApiResult<()> {
    let pdf = shell.read(|v| {
        RecoveryKey::parse(recovery_key)?;
        v.emergency_kit(recovery_key)
    })?;
    Ok(tresor::export::write_file(path, &pdf, false)?)
}

/// An exported file to show in the file manager: allowed only while unlocked.
pub fn export_to_reveal(shell: &Shell, path: &Path) -> ApiResult<PathBuf> {
    shell.read(|_| Ok(path.to_path_buf()))
}

/// The open vault's data folder, to show it in the file manager.
pub fn data_folder(shell: &Shell) -> ApiResult<PathBuf> {
    shell.read(|v| Ok(v.folder().to_path_buf()))
}

/// What the sidebar shows about the data folder: other computers that have the vault open, and
/// how many things in the folder want the user's attention (conflict copies, clashes).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SyncState {
    /// Rows changed here by the last merge (0 when this is only a status read).
    pub changed: u32,
    pub others_open: Vec<tresor::sync::Lease>,
    pub attention: usize,
}

fn sync_state(v: &tresor::Vault, changed: u32) -> tresor::Result<SyncState> {
    let status = v.sync_status()?;
    let attention = status.clashes.len()
        + status.foreign.iter().filter(|f| f.kind != tresor::sync::ForeignKind::LeftoverTemp).count();
    Ok(SyncState { changed, others_open: v.others_open(), attention })
}

pub fn sync_status(shell: &Shell) -> ApiResult<SyncState> {
    shell.read(|v| sync_state(v, 0))
}

/// One round with the data folder: merge what other computers wrote, write what changed here,
/// refresh this computer's lease, and take a snapshot when one is due.
pub fn sync_round(shell: &Shell) -> ApiResult<SyncState> {
    shell.write(|v| {
        let report = v.sync_now()?;
        v.snapshot_if_due()?;
        sync_state(v, report.rows_changed)
    })
}
