//! The IPC commands as plain functions of the shell state, so they can be tested without a
//! window. Each maps onto one core operation; none holds a business rule. `ipc.rs` wraps them
//! as Tauri commands.

use std::path::{Path, PathBuf};

use data_encoding::BASE64;
use jiff::civil::Date;
use secrecy::SecretString;
use tresor::billing::rules::TaxChoices;
use tresor::crypto::RecoveryKey;
use tresor::domain::logo::Logo;
use tresor::domain::{
    Appointment, AppointmentId, AppointmentInput, AppointmentStatus, Cents, Client, ClientId, ClientInput,
    ClientSummary, Country, NoteRevision, NoteRevisionId, Practice, PracticeUpdate, SeriesId, Service, ServiceId,
    ServiceInput, Session, SessionId, SessionInput,
};
use tresor::paths::DataFolder;
use tresor::store::{ClientHit, ClientQuery, SearchResults};
use tresor::sync::round::FolderIo;
use tresor::vault::{ClientTimeline, SeriesInput};
use tresor::{CreateOptions, Unlock, Vault};

use crate::error::{ApiError, ApiResult};
use crate::settings::{self, Settings};
use crate::state::Shell;

/// Overrides the suggested data folder (end-to-end tests point it at a temp dir).
pub const DATA_FOLDER_ENV: &str = "TRESOR_DATA_FOLDER";

// ----- the app and the vault's lifecycle (allowed while locked) -----

#[derive(Debug, Clone, serde::Serialize, specta::Type)]
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

pub(crate) fn has_vault(folder: &Path) -> bool {
    DataFolder::new(folder).header().is_file()
}

#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct FolderStatus {
    pub has_vault: bool,
}

pub fn folder_status(folder: &Path) -> FolderStatus {
    FolderStatus { has_vault: has_vault(folder) }
}

#[derive(serde::Serialize, specta::Type)]
pub struct Created {
    /// Shown once; it exists nowhere else afterwards.
    pub recovery_key: String,
}

pub fn create_vault(shell: &Shell, folder: &Path, password: String, country: Country) -> ApiResult<Created> {
    let password = SecretString::from(password);
    let opts = CreateOptions { country, ..CreateOptions::default() };
    close_previous(shell);
    let (vault, recovery) = Vault::create(folder, &password, &opts)?;
    shell.install(vault);
    Ok(Created { recovery_key: recovery.display().to_string() })
}

/// What the user typed to unlock.
#[derive(Debug, serde::Deserialize, specta::Type)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Secret {
    Password(String),
    RecoveryKey(String),
}

/// The core serialises tries and keeps the growing wait after wrong ones (`unlock.wait`), on
/// disk, so a restart of the app does not reset it. On a computer that has no working copy yet
/// it is built from the folder's snapshot first: `progress` hears after each MiB, and
/// `cancel_task` stops it with nothing left behind (`task.cancelled`).
pub fn unlock(
    shell: &Shell,
    folder: &Path,
    secret: Secret,
    progress: &mut dyn FnMut(crate::folder::RestoreProgress),
) -> ApiResult<()> {
    close_previous(shell);
    let started = std::time::Instant::now();
    let root = tresor::paths::local_root();
    let mut watch = crate::folder::cancellable(progress);
    let opened = match secret {
        Secret::Password(p) => Vault::open_watched(folder, &root, Unlock::Password(&SecretString::from(p)), &mut watch),
        Secret::RecoveryKey(k) => {
            let key = RecoveryKey::parse(&k)?;
            Vault::open_watched(folder, &root, Unlock::RecoveryKey(&key), &mut watch)
        }
    };
    match opened {
        Ok(v) => {
            tracing::info!(vault = %v.id(), ms = started.elapsed().as_millis() as u64, "unlocked");
            shell.install(v);
            crate::billing::read_list_ahead(shell);
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

/// A vault locked a moment ago may still be writing its last files; its working copy is free
/// once that is done. Its failure (a full disk, say) does not stop the next unlock: the vault is
/// closed either way, and what it could not write stays pending in its working copy.
fn close_previous(shell: &Shell) {
    if let Err(e) = shell.close_pending() {
        crate::diag::failed("final write-out of the locked vault failed", &e);
    }
}

/// Locks by hand, on idle or on sleep. Returns whether a vault was open. Takes effect at once;
/// the last files are written into the data folder on a thread of its own, so a data folder
/// that does not answer (a cloud drive still downloading) never keeps the window waiting.
pub fn lock(shell: &Shell) -> ApiResult<bool> {
    Ok(shell.lock_now())
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

/// Which notifications this computer shows; the minutes are clamped to the offered range.
pub fn set_reminders(shell: &Shell, prefs: tresor::domain::reminders::ReminderPrefs) -> Settings {
    shell.update_settings(|s| s.reminders = prefs.clamped())
}

/// A typed amount (`1.234,56`, `95`) as cents, by the core's rules.
pub fn parse_amount(text: &str) -> ApiResult<Cents> {
    Ok(Cents::parse_amount(text)?)
}

// ----- data commands: refused with `vault.locked` while no vault is open -----

#[derive(Debug, Clone, serde::Serialize, specta::Type)]
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
    shell.read(|v| v.records().practice())
}

pub fn update_practice(shell: &Shell, change: &PracticeUpdate) -> ApiResult<Practice> {
    shell.write(|v| v.records_mut().update_practice(change))
}

/// The letterhead logo: its size in pixels and the PNG as a `data:` URL for the preview (the
/// CSP allows `data:` images, and the file never has to be served from disk).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
pub struct LogoInfo {
    pub width: u32,
    pub height: u32,
    pub data_url: String,
}

pub fn logo(shell: &Shell) -> ApiResult<Option<LogoInfo>> {
    shell.read(|v| {
        let Some(png) = v.records().logo_png()? else { return Ok(None) };
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
    shell.write(|v| v.records_mut().set_logo_file(path))?;
    logo(shell)
}

pub fn today(shell: &Shell) -> ApiResult<Date> {
    shell.read(|v| v.records().today())
}

#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct ClientPage {
    pub items: Vec<ClientSummary>,
    pub total: u64,
}

pub fn clients(shell: &Shell, query: &ClientQuery) -> ApiResult<ClientPage> {
    shell.read(|v| v.records().clients(query)).map(|(items, total)| ClientPage { items, total })
}

pub fn search_clients(shell: &Shell, query: &str, limit: u32) -> ApiResult<Vec<ClientHit>> {
    shell.read(|v| v.records().search_clients(query, limit))
}

pub fn client(shell: &Shell, id: ClientId) -> ApiResult<Client> {
    shell.read(|v| v.records().client(id))
}

pub fn check_client(shell: &Shell, input: ClientInput) -> ApiResult<ClientInput> {
    shell.read(|v| v.records().check_client(input))
}

pub fn add_client(shell: &Shell, input: ClientInput) -> ApiResult<ClientId> {
    shell.write(|v| v.records_mut().add_client(input))
}

pub fn update_client(shell: &Shell, id: ClientId, input: ClientInput) -> ApiResult<()> {
    shell.write(|v| v.records_mut().update_client(id, input))
}

pub fn client_timeline(shell: &Shell, id: ClientId) -> ApiResult<ClientTimeline> {
    shell.read(|v| v.records().client_timeline(id))
}

pub fn services(shell: &Shell) -> ApiResult<Vec<Service>> {
    shell.read(|v| v.records().services())
}

/// The tax modes and fee schedules the open practice may use, and the default for a new service:
/// the core's one rule, so the window keeps no copy of it.
pub fn tax_choices(shell: &Shell) -> ApiResult<TaxChoices> {
    shell.read(|v| v.records().tax_choices())
}

pub fn add_service(shell: &Shell, input: ServiceInput) -> ApiResult<ServiceId> {
    shell.write(|v| v.records_mut().add_service(input))
}

pub fn update_service(shell: &Shell, id: ServiceId, input: ServiceInput) -> ApiResult<()> {
    shell.write(|v| v.records_mut().update_service(id, input))
}

pub fn delete_service(shell: &Shell, id: ServiceId) -> ApiResult<()> {
    shell.write(|v| v.records_mut().delete_service(id))
}

pub fn add_appointment(shell: &Shell, input: AppointmentInput) -> ApiResult<AppointmentId> {
    shell.write(|v| v.records_mut().add_appointment(input))
}

#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct SeriesCreated {
    pub series_id: SeriesId,
    pub appointment_ids: Vec<AppointmentId>,
}

pub fn add_series(shell: &Shell, input: SeriesInput) -> ApiResult<SeriesCreated> {
    shell
        .write(|v| v.records_mut().add_series(input))
        .map(|(series_id, appointment_ids)| SeriesCreated { series_id, appointment_ids })
}

pub fn set_appointment_status(shell: &Shell, id: AppointmentId, status: AppointmentStatus) -> ApiResult<()> {
    shell.write(|v| v.records_mut().set_appointment_status(id, status))
}

pub fn appointment(shell: &Shell, id: AppointmentId) -> ApiResult<Appointment> {
    shell.read(|v| v.records().appointment(id))
}

pub fn appointments_between(shell: &Shell, from: Date, to: Date) -> ApiResult<Vec<Appointment>> {
    shell.read(|v| v.records().appointments_between(from, to))
}

pub fn add_session(shell: &Shell, input: SessionInput) -> ApiResult<SessionId> {
    shell.write(|v| v.records_mut().add_session(input))
}

pub fn session(shell: &Shell, id: SessionId) -> ApiResult<Session> {
    shell.read(|v| v.records().session(id))
}

pub fn revise_session(shell: &Shell, id: SessionId, body: &str) -> ApiResult<Option<NoteRevisionId>> {
    shell.write(|v| v.records_mut().revise_session(id, body))
}

pub fn revisions(shell: &Shell, id: SessionId) -> ApiResult<Vec<NoteRevision>> {
    shell.read(|v| v.records().revisions(id))
}

pub fn search(shell: &Shell, query: &str, limit: u32) -> ApiResult<SearchResults> {
    shell.read(|v| v.records().search(query, limit))
}

/// Writes the emergency kit (the recovery key on a printable page) as a PDF to the path the user
/// chose in the native save dialog, which has already asked before replacing a file. The key is the one just shown after
/// creating the vault; a mistyped or foreign string is refused before anything is written.
pub fn save_emergency_kit(shell: &Shell, recovery_key: &str, path: &Path) -> ApiResult<()> {
    let pdf = shell.read(|v| {
        RecoveryKey::parse(recovery_key)?;
        v.documents().emergency_kit(recovery_key)
    })?;
    Ok(tresor::export::write_file(path, &pdf, true)?)
}

/// An exported file to show in the file manager: allowed only while unlocked.
pub fn export_to_reveal(shell: &Shell, path: &Path) -> ApiResult<PathBuf> {
    shell.read(|_| Ok(path.to_path_buf()))
}

/// The open vault's data folder, to show it in the file manager.
pub fn data_folder(shell: &Shell) -> ApiResult<PathBuf> {
    shell.read(|v| Ok(v.folder().to_path_buf()))
}

/// What the sidebar shows about the data folder: other computers that have the vault open (with
/// their last heartbeat), how many things in the folder want the user's attention, files still
/// on their way, and a background problem in words.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct SyncState {
    /// Rows changed here by the last merge (0 when this is only a status read).
    pub changed: u32,
    pub others_open: Vec<tresor::sync::Lease>,
    /// What needs the user: a differing copy of `vault.key`, invoices two computers billed.
    pub attention: usize,
    /// Files listed in the data folder but not readable yet (a cloud drive still downloading);
    /// the next round tries again. Needs nothing from the user.
    pub in_transit: usize,
    /// Open conflicts from the field-level merge (both values kept; the conflicts screen).
    pub conflicts: usize,
    /// The last background round failed or broke off: its error code and parameters.
    pub problem: Option<ApiError>,
    /// The data folder cannot be reached (not mounted, offline): the vault was opened from this
    /// computer's copy of `vault.key` or lost the folder since; what is typed is saved here and
    /// synced once the folder is back ("desktop.working_locally").
    pub working_locally: bool,
    /// The data folder's `vault.key` is older than this computer's copy ("desktop.folder_key_older").
    pub folder_key_older: bool,
}

/// Whether a file in the data folder needs the user: the core's classification decides
/// (a differing copy of `vault.key`, links, stray files; not merged segment copies, cloud
/// placeholders or our own leftovers).
fn needs_user(f: &tresor::sync::ForeignFile) -> bool {
    f.needs_user
}

/// The window's status from the last round's view of the folder plus the billing clashes in the
/// database; reads nothing from the data folder.
fn sync_state(shell: &Shell, changed: u32) -> ApiResult<SyncState> {
    let (clashes, conflicts, working_locally, folder_key_older) = shell.read(|v| {
        Ok((v.store().read().billing_clashes()?.len(), v.conflicts(false)?.len(), v.is_offline(), v.folder_key_older()))
    })?;
    let view = shell.folder_view();
    Ok(SyncState {
        changed,
        others_open: view.others_open,
        attention: clashes + view.foreign.iter().filter(|f| needs_user(f)).count(),
        in_transit: view.in_transit,
        conflicts,
        problem: view.problem,
        working_locally,
        folder_key_older,
    })
}

pub fn sync_status(shell: &Shell) -> ApiResult<SyncState> {
    sync_state(shell, 0)
}

/// One round with the data folder (see `tresor::sync::round`): read what other computers wrote,
/// on `io`'s helper threads with time limits, merge it, write what changed here and this
/// computer's lease; then a snapshot when one is due (`tresor::vault::round::snapshot_phase`).
/// The vault is held only for database work, never while the data folder is read or written.
pub fn sync_round(shell: &Shell, io: &FolderIo) -> ApiResult<SyncState> {
    let report = tresor::vault::round::run(shell, io)?;
    tresor::vault::round::snapshot_phase(shell, io)?;
    shell.set_folder_view(|view| {
        if !report.folder_slow {
            view.others_open = report.sync.others_open.clone();
        }
        if let Some(foreign) = report.foreign {
            view.foreign = foreign;
        }
        view.in_transit = report.in_transit.len();
        view.problem = None;
    });
    if report.sync.rows_changed > 0 {
        crate::billing::read_list_ahead(shell);
    }
    sync_state(shell, report.sync.rows_changed)
}
