//! Starting: one app per user (a second launch brings the open window to the front) and a
//! failed start told in a native message box, not only in the log a user never sees (a Windows
//! release build has no console).

use tauri::Manager;

/// Shown when the window cannot be started. Both languages: the settings (the user's language)
/// may be what failed. No path or message of the error: those can name a person.
pub fn fatal_message(kind: &str) -> String {
    format!(
        "Tresor konnte nicht gestartet werden ({kind}). Ihre Daten sind nicht betroffen. Bitte starten Sie \
         Tresor neu; hilft das nicht, senden Sie die Protokolldatei aus dem Protokollordner von Tresor \
         an den Support.\n\n\
         Tresor could not start ({kind}). Your data is not affected. Please start Tresor again; if that \
         does not help, send the log file from Tresor's log folder to support."
    )
}

/// Logs the failed start and tells the user through `show` (the native box in the app;
/// a recorder in the tests).
pub fn report_fatal(kind: &str, show: impl FnOnce(&str)) {
    tracing::error!(code = crate::error::codes::START_FAILED, kind, "the window could not be started");
    show(&fatal_message(kind));
}

/// The native message box (rfd: Win32 MessageBox, NSAlert, GTK).
pub fn show_native(message: &str) {
    let _ = rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Error)
        .set_title("Tresor")
        .set_description(message)
        .set_buttons(rfd::MessageButtons::Ok)
        .show();
}

/// A second launch of Tresor (the single-instance plugin hands us its arguments, which we do
/// not use): the open window comes to the front, also from minimised or hidden.
pub fn focus_main_window<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    tracing::info!("a second start brought the open window to the front");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_start_is_shown_in_both_languages_without_personal_data() {
        let mut shown = Vec::new();
        report_fatal("io", |m| shown.push(m.to_string()));
        assert_eq!(shown.len(), 1, "shown once, never swallowed");
        assert!(shown[0].contains("Tresor konnte nicht gestartet werden (io)"));
        assert!(shown[0].contains("Tresor could not start (io)"));
        assert!(!shown[0].contains('/') && !shown[0].contains('\\'), "no path");
    }
}
