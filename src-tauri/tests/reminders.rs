//! The reminder timer on a real vault in a temporary folder, with a recording sink in place of
//! the operating system's notifications: an appointment ten minutes ahead gives one notice,
//! without the client's name unless allowed, and a locked app gives none. A sink that fails (no
//! notification daemon) costs nothing but a log line.

use std::sync::Mutex;
use std::time::Duration;

use jiff::{Timestamp, ToSpan};
use secrecy::SecretString;
use tresor::domain::reminders::{Notice, ReminderPrefs};
use tresor::domain::{AppointmentInput, AppointmentKind, ClientInput, Country};
use tresor::Vault;
use tresor_desktop::handlers as h;
use tresor_desktop::reminders::{NotShown, NoticeSink, Timer};
use tresor_desktop::state::Shell;

const PASSWORD: &str = "Sonnenblume am Fenster 7";

#[derive(Default)]
struct Recorder {
    shown: Mutex<Vec<Notice>>,
}

impl NoticeSink for Recorder {
    fn show(&self, notice: &Notice) -> Result<(), NotShown> {
        self.shown.lock().unwrap().push(notice.clone());
        Ok(())
    }
}

/// Like a desktop without a notification daemon (Xvfb): every notice fails.
struct NoDaemon;

impl NoticeSink for NoDaemon {
    fn show(&self, _: &Notice) -> Result<(), NotShown> {
        Err(NotShown)
    }
}

/// A shell with an open vault holding Maria Muster's appointment ten minutes after `now`.
fn shell_with_appointment(dir: &std::path::Path, now: Timestamp) -> Shell {
    let opts =
        tresor::CreateOptions { kdf_target: Duration::ZERO, local_root: Some(dir.join("home")), country: Country::AT };
    let (mut v, _) = Vault::create(&dir.join("Tresor"), &SecretString::from(PASSWORD), &opts).unwrap();
    let mut client = ClientInput::with_full_name("Maria Muster");
    client.notes = "Panikattacken".into();
    let c = v.records_mut().add_client(client).unwrap();
    let tz = v.records().practice().unwrap().tz().unwrap();
    let start = now.checked_add(10.minutes()).unwrap().to_zoned(tz).datetime();
    let appointment = AppointmentInput {
        client_id: c,
        service_id: None,
        local_start: start,
        minutes: 50,
        kind: AppointmentKind::InPerson,
        video_link: String::new(),
        note: "Befund mitbringen".into(),
    };
    v.records_mut().add_appointment(appointment).unwrap();
    let shell = Shell::new(Some(dir.join("config/settings.json")));
    h::set_language(&shell, "de").unwrap();
    shell.install(v);
    shell
}

#[test]
fn an_appointment_ten_minutes_ahead_gives_one_notice_without_the_name_and_none_after_lock() {
    let dir = tempfile::tempdir().unwrap();
    // Whole minutes, so the appointment starts exactly ten minutes after `now`.
    let now = Timestamp::from_second(Timestamp::now().as_second() / 60 * 60).unwrap();
    let shell = shell_with_appointment(dir.path(), now);
    let sink = Recorder::default();
    let mut timer = Timer::new(&shell);
    assert_eq!(timer.tick(&shell, &sink, now), 1);
    let shown = sink.shown.lock().unwrap().clone();
    assert_eq!(shown.len(), 1);
    assert!(shown[0].body.starts_with("Nächster Termin um "), "{:?}", shown[0].body);
    for n in &shown {
        for secret in ["Muster", "Maria", "M. ", "Panik", "Befund"] {
            assert!(!n.body.contains(secret) && !n.title.contains(secret), "{secret} in {n:?}");
        }
    }
    assert_eq!(timer.tick(&shell, &sink, now.checked_add(1.minute()).unwrap()), 0, "announced once");

    // Allowed names: a new run of the timer (or a moved appointment) says whose it is.
    h::set_reminders(&shell, ReminderPrefs { show_names: true, ..ReminderPrefs::default() });
    let mut fresh = Timer::new(&shell);
    assert_eq!(fresh.tick(&shell, &sink, now.checked_add(1.minute()).unwrap()), 1);
    assert!(sink.shown.lock().unwrap()[1].body.ends_with(" mit M. Muster"));

    // Locked: nothing, not even for a timer that has not announced it yet.
    h::lock(&shell).unwrap();
    let mut after_lock = Timer::new(&shell);
    assert_eq!(after_lock.tick(&shell, &sink, now.checked_add(2.minutes()).unwrap()), 0);
    assert_eq!(sink.shown.lock().unwrap().len(), 2);
    shell.close_pending().unwrap();
}

#[test]
fn a_missing_notification_daemon_is_survived_and_switched_off_reminders_are_silent() {
    let dir = tempfile::tempdir().unwrap();
    let now = Timestamp::from_second(Timestamp::now().as_second() / 60 * 60).unwrap();
    let shell = shell_with_appointment(dir.path(), now);
    let mut timer = Timer::new(&shell);
    assert_eq!(timer.tick(&shell, &NoDaemon, now), 0, "failed, logged, no panic");
    let off = ReminderPrefs { appointments: false, overdue_invoices: false, ..ReminderPrefs::default() };
    let saved = h::set_reminders(&shell, off);
    assert_eq!(saved.reminders, off);
    let sink = Recorder::default();
    assert_eq!(Timer::new(&shell).tick(&shell, &sink, now), 0);
    // The choice is this computer's: kept in its settings file, beside the auto-lock time.
    let file = std::fs::read_to_string(dir.path().join("config/settings.json")).unwrap();
    assert!(file.contains("\"reminders\"") && file.contains("\"show_names\": false"), "{file}");
    assert!(!file.contains("Muster"));
    shell.lock_now();
    shell.close_pending().unwrap();
}
