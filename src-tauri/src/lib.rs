//! Tresor's desktop shell: the window, the IPC commands that call the core, and the guard that
//! locks the vault. It holds no business rule; see `handlers.rs`.

pub mod bindings;
pub mod diag;
pub mod error;
pub mod guard;
pub mod handlers;
pub mod ipc;
pub mod live;
pub mod settings;
pub mod state;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tauri::{Emitter, Manager, RunEvent, WindowEvent};
use tresor::sync::round::{FolderIo, FILE_LIMIT};

use state::Shell;

/// Sent to the window when the user closes it while the vault is open: the UI saves what was
/// typed and calls `quit`. If it does not answer, the shell locks and exits on its own.
pub const EVENT_CLOSE_REQUESTED: &str = "close-requested";

pub fn run() {
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .setup(|app| {
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
            eprintln!("tresor: the window could not be started: {e}");
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
    match rx.recv_timeout(EXIT_LIMIT) {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => eprintln!("tresor: final write-out failed: {}", e.code),
        Err(_) => {
            eprintln!("tresor: the data folder did not answer in time; the last changes are written at the next start")
        }
    }
}
