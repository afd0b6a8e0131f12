//! Errors as the UI receives them: the core's stable code plus structured parameters, never a
//! message string. The UI has one sentence per code in each language.

use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
pub struct ApiError {
    pub code: String,
    pub params: Map<String, Value>,
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The shell's own codes, for situations the core does not know about.
pub mod codes {
    /// A native dialog could not be shown.
    pub const DIALOG_FAILED: &str = "shell.dialog_failed";
    /// The file manager could not be asked to show a file or folder.
    pub const OPEN_FAILED: &str = "shell.open_failed";
    /// Background work (a sync round, the watcher, a snapshot) broke off unexpectedly; it is
    /// tried again, and the automatic lock is not affected.
    pub const BACKGROUND_PANIC: &str = "shell.background_panic";
    /// The window could not be started (logged only; nobody sees a window).
    pub const START_FAILED: &str = "shell.start_failed";
    /// Quitting: the data folder did not answer in time; the last changes are written at the
    /// next start.
    pub const EXIT_TIMEOUT: &str = "shell.exit_timeout";
    /// A helper thread could not be started.
    pub const THREAD_FAILED: &str = "shell.thread_failed";
    /// The operating system did not show a notification (no notification service running); logged
    /// by its kind only, never its text.
    pub const NOTIFICATION_FAILED: &str = "shell.notification_failed";

    /// Every code above, for the generated bindings (the UI's test holds each to a sentence).
    pub const ALL: &[&str] =
        &[DIALOG_FAILED, OPEN_FAILED, BACKGROUND_PANIC, START_FAILED, EXIT_TIMEOUT, THREAD_FAILED, NOTIFICATION_FAILED];
}

impl ApiError {
    pub fn new(code: &str) -> Self {
        ApiError { code: code.to_string(), params: Map::new() }
    }

    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.params.insert(key.to_string(), value.into());
        self
    }
}

impl From<tresor::Error> for ApiError {
    fn from(e: tresor::Error) -> Self {
        // Logged by code and safe parameters only: the message may name a path (diag.rs).
        crate::diag::core_error(&e);
        ApiError { code: e.code().to_string(), params: e.params() }
    }
}
