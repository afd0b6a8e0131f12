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

    /// The first eight characters of the id: enough to tell a handful of devices apart.
    pub fn short(&self) -> &str {
        self.id.get(..8).unwrap_or(&self.id)
    }
}

pub fn this_computer_name() -> String {
    let from_env = ["TRESOR_DEVICE_NAME", "COMPUTERNAME", "HOSTNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()));
    let name = from_env
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok().map(|s| s.trim().to_string()))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "computer".into());
    name.chars().filter(|c| !c.is_control()).take(64).collect()
}
