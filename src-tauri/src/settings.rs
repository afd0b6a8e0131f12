//! The shell's own small settings file in the app's config directory: the last data folder, the
//! language, the idle time before locking and the reminders this computer shows. It never holds
//! personal data of clients.

use std::path::{Path, PathBuf};

/// Idle minutes before the vault locks itself, unless the user chose otherwise.
pub const DEFAULT_IDLE_MINUTES: u32 = 10;
/// The range offered in the settings; outside it the value is clamped.
pub const IDLE_MINUTES_RANGE: (u32, u32) = (1, 240);

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(default)]
pub struct Settings {
    pub last_data_folder: Option<PathBuf>,
    /// "de" or "en"; `None` until the user picks one (the UI then follows the OS).
    #[specta(type = Option<tresor::domain::Language>)]
    pub language: Option<String>,
    pub idle_minutes: u32,
    /// The backup schedule (Settings → Backups); `None`: backups only by hand.
    pub backup: Option<BackupSchedule>,
    /// The last backup that was written and checked, for Settings and Today.
    pub last_backup: Option<LastBackup>,
    /// Which notifications this computer shows (`reminders.rs`); a notification is seen on a lock
    /// screen, so each computer decides for itself.
    pub reminders: tresor::domain::reminders::ReminderPrefs,
    /// The local day the overdue invoices were last checked (`2026-11-22`), so they are announced
    /// once a day, also across restarts.
    pub reminders_checked_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
pub struct BackupSchedule {
    /// A folder outside the data folder, e.g. on a USB drive.
    pub dir: PathBuf,
    /// How many of this vault's backups to keep there.
    pub keep: u32,
    /// Once a day, when the vault locks or the app closes.
    pub at_close: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
pub struct LastBackup {
    pub vault_id: String,
    /// `2026-11-22T18:00:00Z`.
    pub at: String,
    pub path: PathBuf,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            last_data_folder: None,
            language: None,
            idle_minutes: DEFAULT_IDLE_MINUTES,
            backup: None,
            last_backup: None,
            reminders: Default::default(),
            reminders_checked_on: None,
        }
    }
}

impl Settings {
    /// Reads the file; a missing or unreadable one gives the defaults (it holds nothing that
    /// cannot be chosen again).
    pub fn load(path: &Path) -> Settings {
        let mut s: Settings =
            std::fs::read(path).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default();
        s.idle_minutes = clamp_idle(s.idle_minutes);
        s.reminders = s.reminders.clamped();
        s
    }

    pub fn save(&self, path: &Path) -> tresor::Result<()> {
        if let Some(dir) = path.parent() {
            tresor::fsutil::create_dir_all(dir)?;
        }
        let bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        tresor::fsutil::write_atomic(path, &bytes)
    }
}

pub fn clamp_idle(minutes: u32) -> u32 {
    minutes.clamp(IDLE_MINUTES_RANGE.0, IDLE_MINUTES_RANGE.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_survives_a_damaged_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/settings.json");
        assert_eq!(Settings::load(&p), Settings::default());
        let s = Settings {
            last_data_folder: Some("/x/Tresor".into()),
            language: Some("en".into()),
            idle_minutes: 5,
            backup: Some(BackupSchedule { dir: "/media/usb".into(), keep: 7, at_close: true }),
            last_backup: None,
            reminders: tresor::domain::reminders::ReminderPrefs { show_names: true, ..Default::default() },
            reminders_checked_on: Some("2026-11-22".into()),
        };
        s.save(&p).unwrap();
        assert_eq!(Settings::load(&p), s);
        std::fs::write(&p, b"{not json").unwrap();
        assert_eq!(Settings::load(&p), Settings::default());
        std::fs::write(&p, br#"{"idle_minutes": 0}"#).unwrap();
        assert_eq!(Settings::load(&p).idle_minutes, 1);
        // A file from before the reminders: they are on, without names, 15 minutes ahead.
        let old = Settings::load(&p).reminders;
        assert!(old.appointments && old.overdue_invoices && !old.show_names);
        assert_eq!(old.minutes_before, 15);
    }
}
