//! The macOS app menu. The system's own Quit item (Cmd+Q, the app menu) ends the process without
//! passing the window's save path (tauri#9198): our Quit item replaces it and goes through
//! `ask_window_first` like the close button. Built on every platform so it is compiled and
//! checked here; installed only on macOS, where an app without a menu bar has no Edit menu and
//! so no Cmd+C/Cmd+V in its text fields.

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::{AppHandle, Runtime};

/// The id of our Quit item.
pub const QUIT: &str = "tresor-quit";

struct Labels {
    quit: &'static str,
    edit: &'static str,
    window: &'static str,
}

fn labels(language: Option<&str>) -> Labels {
    if language == Some("en") {
        Labels { quit: "Quit Tresor", edit: "Edit", window: "Window" }
    } else {
        Labels { quit: "Tresor beenden", edit: "Bearbeiten", window: "Fenster" }
    }
}

#[cfg_attr(not(target_os = "macos"), allow(dead_code))]
pub fn build<R: Runtime>(app: &AppHandle<R>, language: Option<&str>) -> tauri::Result<Menu<R>> {
    let l = labels(language);
    let quit = MenuItem::with_id(app, QUIT, l.quit, true, Some("CmdOrCtrl+Q"))?;
    let app_menu = Submenu::with_items(
        app,
        "Tresor",
        true,
        &[
            &PredefinedMenuItem::about(app, None, None)?,
            &PredefinedMenuItem::separator(app)?,
            &PredefinedMenuItem::hide(app, None)?,
            &PredefinedMenuItem::hide_others(app, None)?,
            &PredefinedMenuItem::show_all(app, None)?,
            &PredefinedMenuItem::separator(app)?,
            &quit,
        ],
    )?;
    let edit = Submenu::with_items(
        app,
        l.edit,
        true,
        &[
            &PredefinedMenuItem::undo(app, None)?,
            &PredefinedMenuItem::redo(app, None)?,
            &PredefinedMenuItem::separator(app)?,
            &PredefinedMenuItem::cut(app, None)?,
            &PredefinedMenuItem::copy(app, None)?,
            &PredefinedMenuItem::paste(app, None)?,
            &PredefinedMenuItem::select_all(app, None)?,
        ],
    )?;
    let window = Submenu::with_items(
        app,
        l.window,
        true,
        &[
            &PredefinedMenuItem::minimize(app, None)?,
            &PredefinedMenuItem::maximize(app, None)?,
            &PredefinedMenuItem::close_window(app, None)?,
        ],
    )?;
    Menu::with_items(app, &[&app_menu, &edit, &window])
}
