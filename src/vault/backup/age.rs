//! When a backup is due: the rules the shell and the window only show. A reminder when the last
//! good backup is older than the policy's days (or none exists), and the scheduled backup at
//! lock or close at most once a calendar day. Pure functions of the facts, so both are tested
//! without a clock.

use jiff::tz::TimeZone;
use jiff::Timestamp;

/// A backup older than this many days is called old on "Today" (the brief of issue 15).
pub const REMIND_AFTER_DAYS: u32 = 7;

/// How the last good backup stands.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum BackupAge {
    /// None was made of this vault (on this computer).
    Never,
    /// Made within the policy's days.
    Fresh { days: u32 },
    /// Older than the policy: "Today" asks for one.
    Old { days: u32 },
}

impl BackupAge {
    /// `last`: when the newest good backup of this vault was made. A last backup "in the future"
    /// (a clock set back) counts as made today rather than as never.
    pub fn of(last: Option<Timestamp>, now: Timestamp, tz: &TimeZone, remind_after_days: u32) -> BackupAge {
        let Some(last) = last else { return BackupAge::Never };
        let (then, today) = (last.to_zoned(tz.clone()).date(), now.to_zoned(tz.clone()).date());
        // Calendar days, so "yesterday evening" is one day whatever the hour.
        let days = then.until(today).map_or(0, |s| s.get_days()).max(0);
        let days = u32::try_from(days).unwrap_or(u32::MAX);
        if days > remind_after_days {
            BackupAge::Old { days }
        } else {
            BackupAge::Fresh { days }
        }
    }

    /// Whether "Today" should ask for a backup.
    pub fn is_due(self) -> bool {
        !matches!(self, BackupAge::Fresh { .. })
    }
}

/// Whether a scheduled backup (at lock or close) runs now: none made today yet, in `tz`.
pub fn scheduled_due(last: Option<Timestamp>, now: Timestamp, tz: &TimeZone) -> bool {
    last.is_none_or(|l| l.to_zoned(tz.clone()).date() != now.to_zoned(tz.clone()).date())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn a_backup_older_than_the_policy_or_none_is_due() {
        let vienna = TimeZone::get("Europe/Vienna").unwrap();
        let now = at("2026-12-01T09:00:00Z");
        assert_eq!(BackupAge::of(None, now, &vienna, 7), BackupAge::Never);
        assert!(BackupAge::of(None, now, &vienna, 7).is_due());
        assert_eq!(BackupAge::of(Some(at("2026-11-30T23:30:00Z")), now, &vienna, 7), BackupAge::Fresh { days: 0 });
        // Yesterday evening in Vienna is one day, whatever the hour.
        assert_eq!(BackupAge::of(Some(at("2026-11-30T22:30:00Z")), now, &vienna, 7), BackupAge::Fresh { days: 1 });
        assert_eq!(BackupAge::of(Some(at("2026-11-24T08:00:00Z")), now, &vienna, 7), BackupAge::Fresh { days: 7 });
        let old = BackupAge::of(Some(at("2026-11-23T08:00:00Z")), now, &vienna, 7);
        assert_eq!(old, BackupAge::Old { days: 8 });
        assert!(old.is_due());
        // A clock set back: the backup seems to come from tomorrow; it is fresh, not missing.
        assert_eq!(BackupAge::of(Some(at("2026-12-02T08:00:00Z")), now, &vienna, 7), BackupAge::Fresh { days: 0 });
    }

    #[test]
    fn the_scheduled_backup_runs_once_a_calendar_day_in_the_local_zone() {
        let vienna = TimeZone::get("Europe/Vienna").unwrap();
        let now = at("2026-12-01T09:00:00Z");
        assert!(scheduled_due(None, now, &vienna));
        assert!(!scheduled_due(Some(at("2026-11-30T23:30:00Z")), now, &vienna), "00:30 in Vienna is today");
        assert!(scheduled_due(Some(at("2026-11-30T22:30:00Z")), now, &vienna), "23:30 in Vienna was yesterday");
    }
}
