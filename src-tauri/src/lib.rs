//! Tresor's desktop shell: the window, the IPC commands that call the core, and the guard that
//! locks the vault. It holds no business rule; see `handlers.rs`.

pub mod billing;
pub mod bindings;
pub mod device;
pub mod diag;
pub mod drafts;
pub mod error;
pub mod fee;
pub mod folder;
pub mod guard;
pub mod handlers;
pub mod handlers_attachments;
pub mod handlers_calendar;
pub mod handlers_import;
pub mod handlers_retention;
pub mod ipc;
pub mod ipc_app;
pub mod ipc_attachments;
pub mod ipc_billing;
pub mod ipc_calendar;
pub mod ipc_device;
pub mod ipc_fee;
pub mod ipc_folder;
pub mod ipc_import;
pub mod ipc_reports;
pub mod ipc_retention;
pub mod ipc_stats;
pub mod live;
mod menu;
mod os_events;
pub mod reminders;
pub mod reports;
pub mod settings;
pub mod start;
pub mod state;
pub mod stats;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tauri::{Emitter, Manager, RunEvent, WindowEvent};
use tresor::sync::round::{FolderIo, FILE_LIMIT};

use error::codes;
use state::{Quit, Shell};

/// Sent to the window when the user closes it while the vault is open: the UI saves what was
/// typed and calls `quit`. If it does not answer, the shell locks and exits on its own.
pub const EVENT_CLOSE_REQUESTED: &str = "close-requested";

pub fn run() {
    diag::init();
    let app = tauri::Builder::default()
        // First: a second launch ends here, after bringing the open window to the front.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| start::focus_main_window(app)))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            if let Ok(dir) = app.path().app_log_dir() {
                diag::open_file(&dir);
            }
            tracing::info!(version = env!("CARGO_PKG_VERSION"), "started");
            let settings = app.path().app_config_dir().ok().map(|d| d.join("settings.json"));
            let shell = Shell::new(settings);
            open_window(app)?;
            #[cfg(target_os = "macos")]
            app.set_menu(menu::build(app.handle(), shell.settings().language.as_deref())?)?;
            app.manage(shell.clone());
            let events: Arc<dyn live::Events> = Arc::new(app.handle().clone());
            guard::start(shell.clone(), events.clone())?;
            reminders::start(shell.clone(), Arc::new(reminders::PluginSink(app.handle().clone())))?;
            let worker = live::Worker::start(shell, events, FolderIo::new(FILE_LIMIT), Arc::new(handlers::sync_round))?;
            app.manage(Mutex::new(worker));
            Ok(())
        })
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                if ask_window_first(window.app_handle()) {
                    api.prevent_close();
                }
            }
        })
        .on_menu_event(|app, event| {
            if event.id() == menu::QUIT && !ask_window_first(app) {
                app.exit(0);
            }
        })
        .invoke_handler(ipc::handler())
        .build(tauri::generate_context!())
        .unwrap_or_else(|e| {
            // The message may name a path; the code and the kind of failure say enough.
            let kind = match e {
                tauri::Error::Io(_) => "io",
                tauri::Error::Runtime(_) => "runtime",
                tauri::Error::Setup(_) => "setup",
                _ => "other",
            };
            start::report_fatal(kind, start::show_native);
            std::process::exit(1);
        });
    app.run(|app, event| match event {
        // `code` is `None` when the event loop ends by itself (the last window gone); our own
        // `exit` carries a code and has passed the save path already.
        RunEvent::ExitRequested { api, code: None, .. } if ask_window_first(app) => api.prevent_exit(),
        RunEvent::Exit => close_before_exit(app.state::<Shell>().inner()),
        _ => {}
    });
}

/// The window of `tauri.conf.json` (created here, not by Tauri, for the one exception below).
/// Its WebView keeps nothing on disk: incognito (WebView2 InPrivate, WKWebView's non-persistent
/// store, WebKitGTK's ephemeral context), no general autofill, no crash dumps (docs/SECURITY.md).
fn open_window(app: &tauri::App) -> tauri::Result<()> {
    let Some(config) = app.config().app.windows.iter().find(|w| w.label == "main").cloned() else {
        return Err(tauri::Error::WindowNotFound);
    };
    tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?.incognito(ephemeral_webview()).build()?;
    Ok(())
}

/// The one exception: WebKitGTK's ephemeral context cannot be driven by WebDriver (wry 0.57
/// creates it without automation), so under the end-to-end tests on Linux the WebView keeps its
/// (persistent) context — and those tests scan everything it wrote for client data.
fn ephemeral_webview() -> bool {
    !(cfg!(target_os = "linux") && std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() == Ok("true"))
}

/// The save path of every quit: with a vault open, the window is asked to save what was typed
/// and then calls `quit`; if it does not answer within the guard's grace period, the app ends on
/// its own. Returns whether the quit must wait (the caller prevents it).
fn ask_window_first(app: &tauri::AppHandle) -> bool {
    match app.state::<Shell>().quit_requested() {
        Quit::Now => false,
        Quit::Asked => true,
        Quit::SaveFirst => {
            let _ = app.emit(EVENT_CLOSE_REQUESTED, ());
            let app = app.clone();
            std::thread::spawn(move || {
                std::thread::sleep(guard::GRACE);
                app.exit(0);
            });
            true
        }
    }
}

/// How long quitting waits for the vault's last files; a data folder that does not answer must
/// not keep the app from ending (the OS kills it at logoff anyway).
const EXIT_LIMIT: Duration = Duration::from_secs(10);

/// Writes the last files (segment and closed lease; the snapshot waits for the next start),
/// waiting at most `EXIT_LIMIT`; dropping the vault wipes the key.
fn close_before_exit(shell: &Shell) {
    let shell = shell.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new().name("tresor-exit".into()).spawn(move || {
        let _ = tx.send(shell.close_at_exit());
    });
    if spawned.is_err() {
        return;
    }
    let started = std::time::Instant::now();
    match rx.recv_timeout(EXIT_LIMIT) {
        Ok(Ok(_)) => tracing::info!(ms = started.elapsed().as_millis() as u64, "closed at exit"),
        Ok(Err(e)) => diag::failed("final write-out failed at exit", &e),
        Err(_) => tracing::error!(
            code = codes::EXIT_TIMEOUT,
            "the data folder did not answer in time; the last changes are written at the next start"
        ),
    }
}
