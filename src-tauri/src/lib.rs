//! Tresor's desktop shell: the window, the IPC commands that call the core, and the guard that
//! locks the vault. It holds no business rule; see `handlers.rs`.

pub mod billing;
pub mod bindings;
pub mod diag;
pub mod error;
pub mod guard;
pub mod handlers;
pub mod ipc;
pub mod ipc_billing;
pub mod live;
pub mod settings;
pub mod state;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tauri::{Emitter, Manager, RunEvent, WindowEvent};
use tresor::sync::round::{FolderIo, FILE_LIMIT};

use error::codes;
use state::Shell;

/// Sent to the window when the user closes it while the vault is open: the UI saves what was
/// typed and calls `quit`. If it does not answer, the shell locks and exits on its own.
pub const EVENT_CLOSE_REQUESTED: &str = "close-requested";

pub fn run() {
    diag::init();
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .setup(|app| {
            if let Ok(dir) = app.path().app_log_dir() {
                diag::open_file(&dir);
            }
            tracing::info!(version = env!("CARGO_PKG_VERSION"), "started");
            let settings = app.path().app_config_dir().ok().map(|d| d.join("settings.json"));
            let shell = Shell::new(settings);
            app.manage(shell.clone());
            let events: Arc<dyn live::Events> = Arc::new(app.handle().clone());
            guard::start(shell.clone(), events.clone())?;
            let worker = live::Worker::start(shell, events, FolderIo::new(FILE_LIMIT), Arc::new(handlers::sync_round))?;
            app.manage(Mutex::new(worker));
            Ok(())
        })
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                let app = window.app_handle().clone();
                if app.state::<Shell>().is_unlocked() {
                    api.prevent_close();
                    let _ = app.emit(EVENT_CLOSE_REQUESTED, ());
                    std::thread::spawn(move || {
                        std::thread::sleep(guard::GRACE);
                        let _ = app.state::<Shell>().lock();
                        app.exit(0);
                    });
                }
            }
        })
        .invoke_handler(ipc::handler())
        .build(tauri::generate_context!())
        .unwrap_or_else(|e| {
            // The message may name a path; the code and the kind of failure say enough.
            let kind = match e {
                tauri::Error::Io(_) => "io",
                tauri::Error::Runtime(_) => "runtime",
                _ => "other",
            };
            tracing::error!(code = codes::START_FAILED, kind, "the window could not be started");
            std::process::exit(1);
        });
    app.run(|app, event| {
        if let RunEvent::Exit = event {
            close_before_exit(app.state::<Shell>().inner());
        }
    });
}

/// How long quitting waits for the vault's last files; a data folder that does not answer must
/// not keep the app from ending (the OS kills it at logoff anyway).
const EXIT_LIMIT: Duration = Duration::from_secs(10);

/// Locks and writes the last files (segment, snapshot, closed lease), waiting at most
/// `EXIT_LIMIT`; dropping the vault wipes the key.
fn close_before_exit(shell: &Shell) {
    let shell = shell.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new().name("tresor-exit".into()).spawn(move || {
        let _ = tx.send(shell.lock());
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
