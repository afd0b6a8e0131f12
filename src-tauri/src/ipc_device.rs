//! The command that renames this computer; listed in `ipc.rs`'s `commands!` under `// device`.

use tauri::State;

use crate::error::ApiResult;
use crate::state::Shell;

/// Gives this computer another name ("Praxis-PC"); refused with `record.invalid` (field `name`)
/// when nothing visible is left. Returns the name as kept.
#[tauri::command(async, rename_all = "snake_case")]
#[specta::specta]
pub fn rename_device(shell: State<'_, Shell>, name: String) -> ApiResult<String> {
    crate::device::rename(&shell, &name)
}
