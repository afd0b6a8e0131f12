//! Opening a SQLCipher connection: raw key, refuse plaintext builds, probe the key, pragmas.

use std::path::Path;
use std::sync::Once;

use rusqlite::{Connection, OpenFlags};

use crate::crypto::DataKey;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create the file if needed; WAL, synchronous NORMAL (the local working copy).
    CreateWorking,
    /// An existing working copy; never creates a file.
    Working,
    /// A snapshot or other file we must not change: read-only and immutable (no -wal/-shm).
    ReadOnly,
    /// A second, read-only connection beside the working copy's own, which reads its WAL: a
    /// long read in the background without holding the vault.
    Beside,
}

impl OpenMode {
    pub fn writable(self) -> bool {
        !matches!(self, OpenMode::ReadOnly | OpenMode::Beside)
    }
}

/// The cipher settings Tresor writes with. SQLCipher 4 engine, HMAC-SHA1 page authentication and
/// 4 KiB pages: every SQLCipher 4 tool opens it (with these pragmas), and so does the SQLCipher
/// 3.4 that Debian 12 ships as `sqlcipher`, which knows neither SHA-512 nor the v4 defaults.
/// The page cipher is AES-256-CBC either way; HMAC-SHA1 remains a sound MAC.
pub fn cipher_settings_sql() -> &'static str {
    "PRAGMA cipher_page_size = 4096; \
     PRAGMA cipher_hmac_algorithm = HMAC_SHA1; \
     PRAGMA cipher_kdf_algorithm = PBKDF2_HMAC_SHA1;"
}

/// Process-wide defaults, so that files made by `VACUUM INTO` (which do not inherit the main
/// connection's per-connection settings) are written the same way.
fn set_cipher_defaults() -> Result<()> {
    static ONCE: Once = Once::new();
    let mut result = Ok(());
    ONCE.call_once(|| {
        result = Connection::open_in_memory()
            .and_then(|c| {
                c.execute_batch(
                    "PRAGMA cipher_log_level = NONE; \
                     PRAGMA cipher_default_page_size = 4096; \
                     PRAGMA cipher_default_hmac_algorithm = HMAC_SHA1; \
                     PRAGMA cipher_default_kdf_algorithm = PBKDF2_HMAC_SHA1;",
                )
            })
            .map_err(Error::from);
    });
    result
}

pub fn connect(path: &Path, key: &DataKey, mode: OpenMode) -> Result<Connection> {
    set_cipher_defaults()?;
    let flags = match mode {
        OpenMode::CreateWorking => OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        OpenMode::Working => OpenFlags::SQLITE_OPEN_READ_WRITE,
        OpenMode::ReadOnly => OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
        OpenMode::Beside => OpenFlags::SQLITE_OPEN_READ_ONLY,
    } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if mode != OpenMode::CreateWorking && !path.exists() {
        return Err(Error::io("open", path, std::io::Error::from(std::io::ErrorKind::NotFound)));
    }
    if mode == OpenMode::CreateWorking {
        // SQLite would create it 0644; its -wal and -shm files copy the database file's mode.
        crate::fsutil::ensure_private_file(path)?;
    }
    let target = match mode {
        OpenMode::ReadOnly => format!("file:{}?immutable=1", uri_path(path)),
        _ => path.to_string_lossy().into_owned(),
    };
    let conn = Connection::open_with_flags(&target, flags).map_err(|e| match Error::from(e) {
        Error::Sqlite(inner) => Error::io("open", path, std::io::Error::other(inner.to_string())),
        other => other,
    })?;

    let version: String = conn.query_row("PRAGMA cipher_version", [], |r| r.get(0)).unwrap_or_default();
    if version.trim().is_empty() {
        return Err(Error::NoEncryption);
    }

    let literal = key.sqlcipher_literal();
    let keying = zeroize::Zeroizing::new(format!("PRAGMA key = \"{}\";", literal.as_str()));
    conn.execute_batch(&keying)?;
    conn.execute_batch(cipher_settings_sql())?;

    // A wrong key only shows at the first read of page 1.
    let probe: rusqlite::Result<i64> = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0));
    if let Err(e) = probe {
        return Err(match Error::from(e) {
            Error::DatabaseCorrupt { .. } | Error::DatabaseUnreadable | Error::Sqlite(_) => Error::DatabaseUnreadable,
            other => other,
        });
    }

    tune(&conn, mode)?;
    Ok(conn)
}

/// The benchmark's plaintext twin: no key, otherwise the working copy's settings.
#[cfg(feature = "tools")]
pub fn connect_plain(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    tune(&conn, OpenMode::Working)?;
    Ok(conn)
}

fn tune(conn: &Connection, mode: OpenMode) -> Result<()> {
    conn.execute_batch(&format!(
        "PRAGMA cache_size = -{}; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = ON;",
        super::CACHE_KIB
    ))?;
    let temp_store: i64 = conn.query_row("PRAGMA temp_store", [], |r| r.get(0))?;
    if temp_store != 2 {
        // Anything else could spill sort buffers and temp tables to unencrypted files.
        return Err(Error::NoEncryption);
    }
    if mode.writable() {
        let jm: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !jm.eq_ignore_ascii_case("wal") {
            return Err(Error::DatabaseUnreadable);
        }
        // FAST: deleted content is zeroed where that costs no extra I/O; an erasure turns it fully
        // on (`Store::write_erasing`).
        conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 0; PRAGMA secure_delete = FAST;")?;
    }
    Ok(())
}

/// Percent-encodes what a SQLite URI path cannot hold literally.
fn uri_path(path: &Path) -> String {
    uri_path_of(&path.to_string_lossy(), cfg!(windows))
}

/// The URI path for a file path, on Windows or elsewhere (a parameter, so both are tested on
/// any system). Windows: `C:\x` → `/C:/x`; a UNC share `\\NAS\share\x` → `////NAS/share/x`
/// (an empty authority, then the UNC path: `file://NAS/…` would be refused as a foreign host);
/// the verbatim forms `\\?\C:\x` and `\\?\UNC\NAS\share\x` (what `canonicalize` returns)
/// lose their prefix, which a URI cannot carry.
fn uri_path_of(path: &str, windows: bool) -> String {
    let mut s = path.to_string();
    if windows {
        if let Some(rest) = s.strip_prefix(r"\\?\UNC\") {
            s = format!(r"\\{rest}");
        } else if let Some(rest) = s.strip_prefix(r"\\?\") {
            s = rest.to_string();
        }
        s = s.replace('\\', "/");
    }
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    if windows && out.starts_with("//") {
        out.insert_str(0, "//");
    } else if windows && !out.starts_with('/') {
        out.insert(0, '/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::uri_path_of;

    #[test]
    fn uris_of_local_unc_and_verbatim_windows_paths() {
        let win = |p: &str| uri_path_of(p, true);
        assert_eq!(win(r"C:\Users\Jörg\Tresor\a.db"), "/C:/Users/Jörg/Tresor/a.db");
        assert_eq!(
            win(r"\\NAS\share\Praxis\snapshots\a.tresor-snapshot"),
            "////NAS/share/Praxis/snapshots/a.tresor-snapshot"
        );
        assert_eq!(win(r"\\?\UNC\NAS\share\Praxis\a.db"), "////NAS/share/Praxis/a.db");
        assert_eq!(win(r"\\?\C:\Users\a.db"), "/C:/Users/a.db");
        assert_eq!(win(r"C:\100% sicher\#1?.db"), "/C:/100%25 sicher/%231%3f.db");
        assert_eq!(uri_path_of("/home/jörg/100%/a?.db", false), "/home/jörg/100%25/a%3f.db");
        // A backslash is an ordinary character in a Unix name.
        assert_eq!(uri_path_of("/home/a\\b.db", false), "/home/a\\b.db");
    }
}
