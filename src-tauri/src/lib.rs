//! Tresor's desktop shell: the window, the IPC commands that call the core, and the guard that
//! locks the vault. It holds no business rule; see `handlers.rs`.

pub mod error;
pub mod guard;
pub mod handlers;
pub mod ipc;
pub mod live;
pub mod settings;
pub mod state;

use tauri::{Emitter, Manager, RunEvent, WindowEvent};

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
            app.manage(Shell::new(settings));
            guard::start(app.handle().clone());
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
            // The final snapshot; dropping the vault wipes the key.
            if let Err(e) = app.state::<Shell>().lock() {
                eprintln!("tresor: final snapshot failed: {}", e.code);
            }
        }
    });
}
