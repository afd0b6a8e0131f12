//! This computer's name in the data folder (Settings → Data folder): the core cleans, checks and
//! announces it (`Vault::rename_device`); the shell only passes it on.

use crate::error::ApiResult;
use crate::state::Shell;

/// Renames this computer; returns the name as kept (cleaned, NFC).
pub fn rename(shell: &Shell, name: &str) -> ApiResult<String> {
    shell.write(|v| {
        v.rename_device(name)?;
        Ok(v.device().name.clone())
    })
}
