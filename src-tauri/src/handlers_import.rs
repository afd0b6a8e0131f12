//! The import's commands on the shell's vault (the file is read by the core from the path the
//! user chose); `ipc_import.rs` wraps them for the window, the locked test calls them directly.

use std::path::Path;

use tresor::import::{ImportOptions, ImportReport, Kind, Preview, Proposal};

use crate::error::ApiResult;
use crate::state::Shell;

pub fn import_columns(shell: &Shell, kind: Kind, path: &Path) -> ApiResult<Proposal> {
    shell.read(|v| v.records().import_columns(kind, path))
}

pub fn import_preview(shell: &Shell, kind: Kind, path: &Path, options: &ImportOptions) -> ApiResult<Preview> {
    shell.read(|v| v.records().import_preview(kind, path, options))
}

pub fn import_file(shell: &Shell, kind: Kind, path: &Path, options: &ImportOptions) -> ApiResult<ImportReport> {
    shell.write(|v| v.records_mut().import_file(kind, path, options))
}
