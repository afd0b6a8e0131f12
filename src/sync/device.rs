//! This computer's identity within a vault: a random id (stamped on every row it writes, and
//! naming its snapshots and sync segments) and a readable name ("also open on LAPTOP-X").

use std::path::Path;

use crate::error::{Error, Result};
use crate::fsutil;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Device {
    pub id: String,
    pub name: String,
}

impl Device {
    pub fn load_or_create(path: &Path) -> Result<Device> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                // device.json lives in the working folder: `repair` puts it aside and starts anew.
                .map_err(|_| Error::WorkingCopyDamaged),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let d = Device { id: uuid::Uuid::now_v7().to_string(), name: this_computer_name() };
                let json = serde_json::to_vec_pretty(&d).expect("two strings always serialise to JSON");
                fsutil::write_atomic(path, &json)?;
                Ok(d)
            }
            Err(e) => Err(Error::io("read", path, e)),
        }
    }

    /// Gives this computer another name (the user's choice) in `path` (`device.json`). The name
    /// is cleaned as every device name is ([`clean_device_name`]); nothing left is refused.
    pub fn rename(&mut self, path: &Path, raw: &str) -> Result<()> {
        let name = clean_device_name(raw);
        if name.is_empty() {
            return Err(Error::invalid(crate::domain::Field::Name, crate::error::Problem::Required));
        }
        let renamed = Device { id: self.id.clone(), name };
        let json = serde_json::to_vec_pretty(&renamed).expect("two strings always serialise to JSON");
        fsutil::write_atomic(path, &json)?;
        *self = renamed;
        Ok(())
    }

    /// The first eight characters of the id: enough to tell a handful of devices apart.
    pub fn short(&self) -> &str {
        self.id.get(..8).unwrap_or(&self.id)
    }
}

/// This computer's name as its user knows it: the name the system shows (macOS: the
/// ComputerName of System Settings → General → Sharing, "Annas MacBook Air"; Linux: the pretty
/// hostname, else the hostname; Windows: the computer name, "DESKTOP-7F3K2LQ"), read by the
/// `whoami` crate. `TRESOR_DEVICE_NAME` overrides it (tests, scripts); "computer" if none.
pub fn this_computer_name() -> String {
    let chosen = std::env::var("TRESOR_DEVICE_NAME").ok().filter(|v| !v.trim().is_empty());
    let name = chosen
        .or_else(|| whoami::fallible::devicename().ok())
        .map(|n| clean_device_name(&n))
        .filter(|n| !n.is_empty())
        .or_else(|| whoami::fallible::hostname().ok().map(|n| clean_device_name(&n)))
        .filter(|n| !n.is_empty());
    name.unwrap_or_else(|| "computer".into())
}

/// A device name as Tresor keeps it: Unicode NFC (a Mac may hand over "Jörg" decomposed, as
/// "o" + combining diaeresis; the same name typed on Windows is precomposed), no control or
/// invisible characters, whitespace runs as one space, at most 64 characters
/// (`lease::clean_name`).
pub fn clean_device_name(raw: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    super::lease::clean_name(&raw.nfc().collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_nfc_clean_and_short() {
        assert_eq!(clean_device_name("Jo\u{308}rgs MacBook\u{202E} Air\n"), "Jörgs MacBook Air");
        assert_eq!(clean_device_name("Jörgs MacBook Air"), clean_device_name("Jo\u{308}rgs MacBook Air"));
        let long = clean_device_name(&"x".repeat(300));
        assert!(long.ends_with('…') && long.chars().count() == crate::sync::lease::MAX_NAME_CHARS + 1, "{long}");
        assert_eq!(clean_device_name(" \t\u{200B} "), "");
    }

    #[test]
    fn the_systems_name_is_used_unless_overridden() {
        // The test environment may set TRESOR_DEVICE_NAME; either way a name comes out clean.
        let n = this_computer_name();
        assert!(!n.is_empty() && n == clean_device_name(&n), "{n:?}");
    }

    #[test]
    fn a_rename_is_kept_and_an_empty_name_refused_without_change() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("device.json");
        let mut dev = Device::load_or_create(&path).unwrap();
        let before = std::fs::read(&path).unwrap();
        let err = dev.rename(&path, " \u{200B} ").unwrap_err();
        assert_eq!(err.code(), "record.invalid");
        assert_eq!(std::fs::read(&path).unwrap(), before);
        dev.rename(&path, "Praxis-PC Ko\u{308}ln").unwrap();
        let again = Device::load_or_create(&path).unwrap();
        assert_eq!((again.name.as_str(), again.id), ("Praxis-PC Köln", dev.id));
    }
}
