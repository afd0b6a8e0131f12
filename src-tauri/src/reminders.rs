//! The reminder timer: every half minute it asks the core which notifications are due
//! (`tresor::domain::reminders::due`, which holds the whole rule and the words) and hands them
//! to a [`NoticeSink`] — the notification plugin in the app, a recorder in tests.
//!
//! A locked app sends nothing: the timer never opens the vault, it only reads it while it is
//! open. Nothing of a notice reaches the log: a failed one (no notification daemon, as under
//! Xvfb) is logged by its code and kind only, and the timer goes on. A panic in a tick is caught.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use tresor::domain::reminders::{self, Notice, NoticeKind, ReminderMemory};
use tresor::domain::Language;

use crate::error::{codes, ApiError};
use crate::state::Shell;

pub const TICK: Duration = Duration::from_secs(30);

/// A notice the system did not show; it carries nothing of the notice (it may be logged).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotShown;

/// Where a notice goes.
pub trait NoticeSink: Send + Sync {
    fn show(&self, notice: &Notice) -> Result<(), NotShown>;
}

/// The operating system's notifications, through tauri-plugin-notification.
pub struct PluginSink(pub tauri::AppHandle);

impl NoticeSink for PluginSink {
    fn show(&self, notice: &Notice) -> Result<(), NotShown> {
        use tauri_plugin_notification::NotificationExt;
        self.0.notification().builder().title(&notice.title).body(&notice.body).show().map_err(|_| NotShown)
    }
}

/// What the timer keeps between ticks: what was announced already.
#[derive(Debug, Default)]
pub struct Timer {
    memory: ReminderMemory,
}

impl Timer {
    /// The timer of a new run: the overdue invoices are announced once a day, also across
    /// restarts (the day is kept in this computer's settings).
    pub fn new(shell: &Shell) -> Timer {
        let mut memory = ReminderMemory::default();
        memory.overdue_checked_on = shell.settings().reminders_checked_on.and_then(|d| d.parse().ok());
        Timer { memory }
    }

    /// One tick at `now`: sends what is due and returns how many notices were shown.
    pub fn tick(&mut self, shell: &Shell, sink: &dyn NoticeSink, now: Timestamp) -> usize {
        let settings = shell.settings();
        let prefs = settings.reminders;
        if !prefs.appointments && !prefs.overdue_invoices {
            return 0;
        }
        // Locked (or locked while we asked): no facts, so nothing is due.
        let read = if shell.is_unlocked() {
            shell.read(|v| Ok((v.records().reminder_facts(now)?, v.records().practice()?.language))).ok()
        } else {
            None
        };
        let language = settings
            .language
            .as_deref()
            .and_then(|l| Language::parse(l).ok())
            .or(read.as_ref().map(|r| r.1))
            .unwrap_or(Language::De);
        let before = self.memory.overdue_checked_on;
        let due = reminders::due(now, prefs, language, read.as_ref().map(|r| &r.0), &mut self.memory);
        if self.memory.overdue_checked_on != before {
            let day = self.memory.overdue_checked_on.map(|d| d.to_string());
            shell.update_settings(|s| s.reminders_checked_on = day);
        }
        let mut shown = 0;
        for notice in &due {
            match sink.show(notice) {
                Ok(()) => shown += 1,
                Err(NotShown) => {
                    let kind = match notice.kind {
                        NoticeKind::Appointment => "appointment",
                        NoticeKind::OverdueInvoices => "overdue_invoices",
                    };
                    crate::diag::failed(
                        "a notification could not be shown",
                        &ApiError::new(codes::NOTIFICATION_FAILED).with("kind", kind),
                    );
                }
            }
        }
        shown
    }
}

pub fn start(shell: Shell, sink: Arc<dyn NoticeSink>) -> std::io::Result<()> {
    std::thread::Builder::new().name("tresor-reminders".into()).spawn(move || {
        let mut timer = Timer::new(&shell);
        loop {
            std::thread::sleep(TICK);
            let ticked = catch_unwind(AssertUnwindSafe(|| timer.tick(&shell, &*sink, Timestamp::now())));
            if ticked.is_err() {
                tracing::error!(code = codes::BACKGROUND_PANIC, "the reminder timer caught a panic and goes on");
            }
        }
    })?;
    Ok(())
}
