//! Where Tresor's files live. This module alone decides paths, so that the rule "the live
//! database never sits in the data folder" is kept in one place.
//!
//! - The data folder (user's choice; default `Documents/Tresor`) may be synced by a cloud client.
//!   It only receives files written once and renamed into place.
//! - The local root (`TRESOR_HOME`, else the platform's local application-data directory) holds
//!   one working folder per vault id with the live database and this device's identity.

use std::path::{Path, PathBuf};

pub const HEADER_FILE: &str = "vault.key";
pub const SNAPSHOT_DIR: &str = "snapshots";
pub const SNAPSHOT_EXT: &str = "tresor-snapshot";
pub const LOG_DIR: &str = "log";
pub const LEASE_DIR: &str = "leases";
pub const ATTACHMENT_DIR: &str = "attachments";
/// Written by a restore: the restored folder's own identity, so it gets a working copy of its
/// own on a computer that also has the folder it was backed up from (`vault::working_dir`).
pub const FOLDER_ID_FILE: &str = "folder.id";

/// The kinds of file Tresor reads from the data folder, each with the most it will read of one.
/// A file larger than its kind's limit is refused before a byte of it is read: a 3 GB file named
/// like a segment must not cost 3 GB of memory on every command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Header,
    Snapshot,
    Segment,
    Lease,
    Backup,
    Attachment,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Header => "header",
            FileKind::Snapshot => "snapshot",
            FileKind::Segment => "segment",
            FileKind::Lease => "lease",
            FileKind::Backup => "backup",
            FileKind::Attachment => "attachment",
        }
    }

    /// The largest file of this kind Tresor reads. Headers are under 1 KB and leases a few
    /// hundred bytes per device; a segment of 2,000 journal entries is about 1.8 MB on a demo
    /// practice, so 256 MiB leaves room for unusually long documentation. Snapshots and backups
    /// are copied in streams, never held in memory; their limit only stops a runaway file.
    pub fn max_bytes(self) -> u64 {
        const MIB: u64 = 1 << 20;
        match self {
            FileKind::Header => 64 * 1024,
            FileKind::Lease => 256 * 1024,
            FileKind::Segment => 256 * MIB,
            FileKind::Attachment => 1024 * MIB,
            FileKind::Snapshot | FileKind::Backup => 64 * 1024 * MIB,
        }
    }
}

/// A device id as Tresor makes them: a UUID in its canonical lowercase form. Folder and file
/// names in the data folder that claim to be a device must be one, so a name a person or a sync
/// client made ("Protokoll_Müller", "ABC (1)") is never taken for a device.
pub fn is_device_id(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
        })
}

/// The default data folder: `Tresor` in the user's documents (or home when there is none).
pub fn default_data_folder() -> PathBuf {
    dirs::document_dir().or_else(dirs::home_dir).unwrap_or_else(|| PathBuf::from(".")).join("Tresor")
}

/// The local application-data root; `TRESOR_HOME` overrides it for tests and scripts.
pub fn local_root() -> PathBuf {
    if let Some(home) = std::env::var_os("TRESOR_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(home);
    }
    dirs::data_local_dir().unwrap_or_else(std::env::temp_dir).join("Tresor")
}

/// Paths inside one data folder.
#[derive(Debug, Clone)]
pub struct DataFolder {
    root: PathBuf,
}

impl DataFolder {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DataFolder { root: root.into() }
    }
    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn header(&self) -> PathBuf {
        self.root.join(HEADER_FILE)
    }
    pub fn snapshots(&self) -> PathBuf {
        self.root.join(SNAPSHOT_DIR)
    }
    pub fn log(&self) -> PathBuf {
        self.root.join(LOG_DIR)
    }
    pub fn leases(&self) -> PathBuf {
        self.root.join(LEASE_DIR)
    }
    pub fn attachments(&self) -> PathBuf {
        self.root.join(ATTACHMENT_DIR)
    }

    /// Refuses with `FolderOffline` unless the folder is there and holds something. Every write
    /// into the data folder asks first: an unmounted drive leaves its path missing or an empty
    /// mount point, and creating `log/…` there would start a second, local "data folder" that
    /// the real one hides once it is back. (A cloud drive that is offline still lists its files,
    /// so writes go into its folder and are uploaded later.)
    pub fn check_present(&self) -> crate::error::Result<()> {
        match std::fs::read_dir(&self.root).map(|mut entries| entries.next().is_some()) {
            Ok(true) => Ok(()),
            _ => Err(crate::error::Error::FolderOffline { path: self.root.clone() }),
        }
    }
}

/// Paths of one vault's local working folder.
#[derive(Debug, Clone)]
pub struct WorkingDir {
    root: PathBuf,
}

impl WorkingDir {
    /// The working folder under the default local root.
    pub fn for_vault(vault_id: &str) -> Self {
        Self::in_root(&local_root(), vault_id)
    }
    pub fn in_root(local_root: &Path, vault_id: &str) -> Self {
        WorkingDir { root: local_root.join("vaults").join(vault_id) }
    }
    /// A working folder found on disk (`vault/key_copy.rs` looks them up by data folder).
    pub fn at(root: PathBuf) -> Self {
        WorkingDir { root }
    }
    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn database(&self) -> PathBuf {
        self.root.join("tresor.db")
    }
    pub fn device_file(&self) -> PathBuf {
        self.root.join("device.json")
    }
    pub fn lock_file(&self) -> PathBuf {
        self.root.join("lock")
    }
    pub fn sync_state(&self) -> PathBuf {
        self.root.join("sync.json")
    }
    /// Held while a password is tried, so tries on one vault run one after another.
    pub fn unlock_lock(&self) -> PathBuf {
        self.root.join("unlock.lock")
    }
    /// A copy of the data folder's `vault.key` (wrapped keys only), so the practice opens while
    /// the data folder is offline (`vault/key_copy.rs`).
    pub fn header_copy(&self) -> PathBuf {
        self.root.join(crate::paths::HEADER_FILE)
    }
    /// Which data folder this working folder belongs to, to find `header_copy` without it.
    pub fn folder_record(&self) -> PathBuf {
        self.root.join("data-folder.json")
    }
    /// This computer's wrong-password count for the vault (never in the data folder).
    pub fn unlock_attempts(&self) -> PathBuf {
        self.root.join("unlock-attempts.json")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn working_copy_is_never_inside_the_data_folder() {
        let wd = WorkingDir::for_vault("abc");
        let df = DataFolder::new(default_data_folder());
        assert!(!wd.database().starts_with(df.root()));
        assert!(wd.database().ends_with("vaults/abc/tresor.db"));
    }

    #[test]
    fn only_canonical_uuids_are_device_ids() {
        assert!(is_device_id(&uuid::Uuid::now_v7().to_string()));
        for bad in [
            "",
            "dev",
            "01A22C45-2E1A-767B-BD69-51B5F3305740",
            "01a22c45-2e1a-767b-bd69-51b5f330574",
            "01a22c45_2e1a-767b-bd69-51b5f3305740",
            "01a22c45-2e1a-767b-bd69-51b5f33057ü",
        ] {
            assert!(!is_device_id(bad), "{bad}");
        }
    }
}
