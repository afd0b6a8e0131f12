//! Documents: invoice and Honorarnote PDFs with the GiroCode, dunning letters, invoice and
//! report workbooks, the GDPR client file and the emergency kit. Every document is generated
//! in memory; [`write_file`] is the only way one reaches the disk, and only at the path the
//! user chose.

pub mod client_file;
pub mod einvoice;
pub mod epc;
pub mod ics;
pub mod invoice_pdf;
pub mod invoice_xlsx;
pub mod kit;
pub mod letters;
pub mod pdf;
pub mod receipt;
pub mod reports;
pub mod text;
mod xlsx;

use std::fs;
use std::io::Write;
use std::path::Path;

use jiff::civil::Date;

use crate::billing::{Balance, ClientFacts, Invoice, Issuer};
use crate::domain::logo::Logo;
use crate::error::{Error, Result};

pub use kit::emergency_kit_pdf;
pub use text::Locale;

/// An invoice with everything its documents print: the frozen issuer and client of an issued
/// invoice (live ones for a draft's preview), its balance and the billing texts.
#[derive(Debug, Clone)]
pub struct InvoiceDoc {
    pub invoice: Invoice,
    pub issuer: Issuer,
    pub client: ClientFacts,
    pub balance: Balance,
    /// For a cancellation: the cancelled invoice's number and date.
    pub cancels: Option<(String, Date)>,
    /// For a cancellation: its reason and what had been paid (none before Tresor kept them).
    pub storno: Option<crate::billing::StornoFacts>,
    pub treatment_method: String,
    /// The practice's current logo: not part of the frozen snapshot, as it carries no fact the
    /// invoice states, and a practice that changes its logo wants it on every reprint.
    pub logo: Option<Logo>,
}

impl InvoiceDoc {
    pub fn locale(&self) -> Locale {
        Locale::new(self.invoice.language, self.issuer.country)
    }
}

/// Writes `bytes` to `path` the way every export is written: a temp file in the same folder,
/// fsynced, then linked (or, with `force`, renamed) into place. An existing file is kept
/// unless `force` (the CLI's `--force`, or a path the native save dialog already asked about);
/// a failure leaves neither a half-written file nor the temp file behind.
pub fn write_file(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    write_file_with(path, bytes, force, &mut |a, b| fs::hard_link(a, b))
}

/// [`write_file`] with the hard link given, so tests can play a file system that has none.
pub fn write_file_with(
    path: &Path,
    bytes: &[u8],
    force: bool,
    link: &mut dyn FnMut(&Path, &Path) -> std::io::Result<()>,
) -> Result<()> {
    let fail = |e: std::io::Error| export_error(path, e);
    if path.is_dir() {
        return Err(fail(std::io::Error::from(std::io::ErrorKind::IsADirectory)));
    }
    if !force && path.exists() {
        return Err(Error::ExportExists { path: path.to_path_buf() });
    }
    let tmp = crate::fsutil::temp_path_for(path)?;
    let result = (|| {
        let mut f = fs::OpenOptions::new().write(true).create_new(true).open(&tmp).map_err(fail)?;
        f.write_all(bytes).map_err(fail)?;
        f.sync_all().map_err(fail)?;
        drop(f);
        if force {
            // Retried while a viewer or a virus scanner holds the old file (Windows).
            return crate::fsutil::rename_durable(&tmp, path).map_err(|e| match e {
                Error::Io { source, .. } => fail(source),
                other => other,
            });
        }
        // A hard link never replaces an existing file, so a file that appeared meanwhile is
        // kept, too. FAT and exFAT sticks, SMB shares and Google Drive's drive have no hard
        // links: there an exclusive create does the same, without the all-or-nothing rename.
        match link(&tmp, path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(Error::ExportExists { path: path.to_path_buf() })
            }
            Err(e) if e.kind() == std::io::ErrorKind::StorageFull => return Err(Error::DiskFull),
            Err(_) => create_exclusive(path, bytes)?,
        }
        let _ = fs::remove_file(&tmp);
        crate::fsutil::sync_dir(path.parent().unwrap_or_else(|| Path::new(".")));
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn export_error(path: &Path, e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::StorageFull {
        Error::DiskFull
    } else {
        Error::ExportFailed { path: path.to_path_buf(), source: e }
    }
}

/// Creates `path`, which must not exist, and writes `bytes` into it; what it created is removed
/// again if writing fails.
fn create_exclusive(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = match fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::ExportExists { path: path.to_path_buf() })
        }
        Err(e) => return Err(export_error(path, e)),
    };
    let written = f.write_all(bytes).and_then(|_| f.sync_all());
    drop(f);
    written.map_err(|e| {
        let _ = fs::remove_file(path);
        export_error(path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_file_keeps_existing_files_and_leaves_no_temp() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.pdf");
        write_file(&p, b"one", false).unwrap();
        assert_eq!(write_file(&p, b"two", false).unwrap_err().code(), "export.exists");
        assert_eq!(fs::read(&p).unwrap(), b"one");
        write_file(&p, b"two", true).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1);
        let missing = d.path().join("no-such-folder").join("a.pdf");
        assert_eq!(write_file(&missing, b"x", false).unwrap_err().code(), "export.failed");
        assert_eq!(write_file(d.path(), b"x", true).unwrap_err().code(), "export.failed");
    }

    #[test]
    fn without_hard_links_an_export_is_created_exclusively() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("Rechnung 2026-0001.pdf");
        // As vfat answers on Linux (EPERM), and Windows on FAT (ERROR_INVALID_FUNCTION).
        for refusal in
            [std::io::Error::from(std::io::ErrorKind::PermissionDenied), std::io::Error::from_raw_os_error(1)]
        {
            let kind = refusal.kind();
            let mut no_links = |_: &Path, _: &Path| Err(std::io::Error::from(kind));
            let _ = fs::remove_file(&p);
            write_file_with(&p, b"one", false, &mut no_links).unwrap();
            assert_eq!(fs::read(&p).unwrap(), b"one");
            let e = write_file_with(&p, b"two", false, &mut no_links).unwrap_err();
            assert_eq!(e.code(), "export.exists");
            assert_eq!(fs::read(&p).unwrap(), b"one");
            assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1, "no temp file stays");
        }
        // A file that appears between the check and the link is kept as well.
        let mut racing = |_: &Path, b: &Path| {
            fs::write(b, b"someone else's")?;
            Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists))
        };
        let q = d.path().join("b.pdf");
        assert_eq!(write_file_with(&q, b"ours", false, &mut racing).unwrap_err().code(), "export.exists");
        assert_eq!(fs::read(&q).unwrap(), b"someone else's");
    }
}
