//! Which sync client (if any) carries a folder: OneDrive, Dropbox, iCloud Drive, Google Drive or
//! Syncthing, recognised from the folder's path and the marker files the clients leave in their
//! root (`.stfolder`, `.dropbox`, …). The window uses it to say where a data folder would go
//! before anything is moved; nothing here reads or writes a file's content.

use std::path::{Component, Path};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CloudKind {
    OneDrive,
    Dropbox,
    ICloudDrive,
    GoogleDrive,
    Syncthing,
}

/// Files or folders a client keeps in the root of what it syncs. Markers beat names: a folder
/// called "Dropbox" inside a Syncthing folder is synced by Syncthing.
const MARKERS: &[(&str, CloudKind)] = &[
    (".stfolder", CloudKind::Syncthing),
    (".dropbox", CloudKind::Dropbox),
    (".dropbox.cache", CloudKind::Dropbox),
    (".tmp.drivedownload", CloudKind::GoogleDrive),
    (".shortcut-targets-by-id", CloudKind::GoogleDrive),
];

/// The client a folder name stands for, as the clients name their roots on Windows, macOS and
/// Linux (`OneDrive - Praxis GmbH`, `~/Library/CloudStorage/OneDrive-Personal`,
/// `iCloud Drive`, `Mobile Documents/com~apple~CloudDocs`, `GoogleDrive-name@example.com`,
/// `Google Drive`/`My Drive`, `Dropbox (Praxis)`).
fn by_name(name: &str) -> Option<CloudKind> {
    let n = name.to_lowercase();
    if n == "onedrive" || n.starts_with("onedrive -") || n.starts_with("onedrive-") {
        Some(CloudKind::OneDrive)
    } else if n == "dropbox" || n.starts_with("dropbox (") || n.starts_with("dropbox-") {
        Some(CloudKind::Dropbox)
    } else if n == "icloud drive" || n == "iclouddrive" || n == "com~apple~clouddocs" || n == "mobile documents" {
        Some(CloudKind::ICloudDrive)
    } else if n == "google drive" || n == "googledrive" || n.starts_with("googledrive-") || n == "my drive" {
        Some(CloudKind::GoogleDrive)
    } else {
        None
    }
}

/// The client that syncs `path`: the nearest folder (from `path` upwards) that carries a
/// client's marker (`has_marker(folder, name)`) or is named like a client's root. Pure:
/// the caller decides how markers are looked up ([`detect`] asks the file system).
pub fn detect_with(path: &Path, has_marker: &dyn Fn(&Path, &str) -> bool) -> Option<CloudKind> {
    for dir in path.ancestors() {
        if let Some((_, kind)) = MARKERS.iter().find(|(m, _)| has_marker(dir, m)) {
            return Some(*kind);
        }
        if let Some(Component::Normal(name)) = dir.components().next_back() {
            if let Some(kind) = name.to_str().and_then(by_name) {
                return Some(kind);
            }
        }
    }
    None
}

/// [`detect_with`] on the real file system: a marker counts when it exists (file or folder;
/// links are not followed).
pub fn detect(path: &Path) -> Option<CloudKind> {
    detect_with(path, &|dir, marker| std::fs::symlink_metadata(dir.join(marker)).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_path(p: &str) -> Option<CloudKind> {
        detect_with(Path::new(p), &|_, _| false)
    }

    #[test]
    fn recognises_the_clients_by_their_folder_names() {
        use CloudKind::*;
        let cases: &[(&str, Option<CloudKind>)] = &[
            (r"C:\Users\anna\OneDrive\Praxis\Tresor", Some(OneDrive)),
            ("/Users/anna/Library/CloudStorage/OneDrive-Personal/Tresor", Some(OneDrive)),
            ("/home/anna/OneDrive - Praxis Huber GmbH/Tresor", Some(OneDrive)),
            ("/home/anna/Dropbox/Tresor", Some(Dropbox)),
            ("/home/anna/Dropbox (Praxis)/Tresor", Some(Dropbox)),
            ("/Users/anna/Library/Mobile Documents/com~apple~CloudDocs/Tresor", Some(ICloudDrive)),
            (r"C:\Users\anna\iCloudDrive\Tresor", Some(ICloudDrive)),
            ("/Users/anna/Library/CloudStorage/GoogleDrive-anna@example.com/My Drive/Tresor", Some(GoogleDrive)),
            ("/Volumes/GoogleDrive/Tresor", Some(GoogleDrive)),
            ("/home/anna/Documents/Tresor", None),
            ("/home/anna/OneDriveBackupOld/Tresor", None),
            ("/home/anna/Documents/Dropboxes/Tresor", None),
        ];
        for (path, want) in cases {
            // Windows paths are split on `\` only on Windows; check the last-but-one part there.
            let got = if path.contains('\\') { path.split('\\').find_map(by_name) } else { by_path(path) };
            assert_eq!(got, *want, "{path}");
        }
    }

    #[test]
    fn markers_on_disk_are_found_and_beat_names() {
        let d = tempfile::tempdir().unwrap();
        let st = d.path().join("Sync");
        std::fs::create_dir_all(st.join(".stfolder")).unwrap();
        std::fs::create_dir_all(st.join("Dropbox/Praxis")).unwrap();
        assert_eq!(detect(&st.join("Praxis/Tresor")), Some(CloudKind::Syncthing));
        // The nearest root counts: a folder named "Dropbox" inside a Syncthing folder.
        assert_eq!(detect(&st.join("Dropbox/Praxis")), Some(CloudKind::Dropbox));
        let db = d.path().join("Arbeit");
        std::fs::create_dir_all(&db).unwrap();
        std::fs::write(db.join(".dropbox"), b"{}").unwrap();
        assert_eq!(detect(&db.join("Tresor")), Some(CloudKind::Dropbox));
        let gd = d.path().join("Laufwerk");
        std::fs::create_dir_all(gd.join(".tmp.drivedownload")).unwrap();
        assert_eq!(detect(&gd.join("Tresor")), Some(CloudKind::GoogleDrive));
        assert_eq!(detect(&d.path().join("Lokal/Tresor")), None);
    }
}
