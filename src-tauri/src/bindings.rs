//! The TypeScript side of the IPC, generated from the one list of commands (`ipc.rs`) and the
//! Rust types they take and return: `ui/src/lib/bindings.ts`. `tests/bindings.rs` fails when the
//! committed file differs from what this makes; `TRESOR_WRITE_BINDINGS=1` writes it.
//!
//! Types come from `specta` (the core derives them behind its `specta` feature); the wrappers are
//! written here rather than by `tauri-specta`, because that one renames arguments to camelCase
//! and wraps results in `{status, data}`, and the window sends snake_case arguments and receives
//! errors as thrown `{code, params}`.

use std::fmt::Write as _;

use specta::datatype::{Function, FunctionResultVariant};
use specta::TypeCollection;
use specta_typescript::{BigIntExportBehavior, Typescript};

use crate::ipc;

/// Where the generated file lives, relative to `src-tauri/`.
pub const PATH: &str = "../ui/src/lib/bindings.ts";

const HEADER: &str = "// Generated from src-tauri (bindings.rs) — do not edit. Regenerate:
//   TRESOR_WRITE_BINDINGS=1 cargo test -p tresor-desktop --test bindings
// One function per command, arguments as the shell names them; a refusal is thrown as ApiError.
";

/// The whole file. Money is `i64` cents and counts are `u64`; both stay far below 2^53, so they
/// are plain `number`s in TypeScript, as `JSON.parse` gives them.
pub fn typescript() -> Result<String, specta_typescript::ExportError> {
    let ts = Typescript::new().bigint(BigIntExportBehavior::Number).header("");
    let mut types = TypeCollection::default();
    let mut functions = ipc::signatures(&mut types);
    // Sent as an event, not returned by a command.
    types.register::<tresor::sync::mover::MoveProgress>();
    types.register::<crate::folder::RestoreProgress>();
    functions.sort_by(|a, b| a.name().cmp(b.name()));
    let mut out = String::from(HEADER);
    out.push_str("\n/* eslint-disable */\n\n");
    out.push_str("export type Invoke = <T>(cmd: string, args?: Record<string, unknown>) => Promise<T>;\n\n");
    out.push_str("/** The commands, each calling `invoke` with its own name and snake_case arguments. */\n");
    out.push_str("export function makeCommands(invoke: Invoke) {\n  return {\n");
    for f in &functions {
        out.push_str(&wrapper(&ts, &types, f)?);
    }
    out.push_str("  };\n}\n\n");
    let codes: Vec<&str> = tresor::error::CODES.iter().chain(crate::error::codes::ALL).copied().collect();
    out.push_str("/** Every error code the core and the shell can send (each has a sentence in both languages). */\n");
    let _ = writeln!(
        out,
        "export const ERROR_CODES = {} as const;\n",
        serde_json::to_string(&codes).expect("a list of strings serialises")
    );
    let mut names: Vec<_> = types.into_iter().map(|(_, t)| t.clone()).collect();
    names.sort_by(|a, b| a.name().cmp(b.name()));
    for t in &names {
        out.push_str(&specta_typescript::export_named_datatype(&ts, t, &types)?);
        out.push('\n');
    }
    Ok(out)
}

/// `appState: () => invoke<AppState>('app_state'),`
fn wrapper(ts: &Typescript, types: &TypeCollection, f: &Function) -> Result<String, specta_typescript::ExportError> {
    let mut params = Vec::new();
    let mut names = Vec::new();
    for (name, ty) in f.args() {
        let ty = specta_typescript::datatype(ts, &FunctionResultVariant::Value(ty.clone()), types)?;
        params.push(format!("{name}: {ty}"));
        names.push(name.to_string());
    }
    let ok = match f.result() {
        Some(FunctionResultVariant::Result(ok, _)) | Some(FunctionResultVariant::Value(ok)) => {
            specta_typescript::datatype(ts, &FunctionResultVariant::Value(ok.clone()), types)?
        }
        None => "null".to_string(),
    };
    let ok = if ok == "null" { "void".to_string() } else { ok };
    let args = if names.is_empty() { String::new() } else { format!(", {{ {} }}", names.join(", ")) };
    let mut s = String::new();
    let doc = f.docs().trim();
    if !doc.is_empty() {
        let _ = writeln!(s, "    /** {} */", doc.replace('\n', " "));
    }
    let _ = writeln!(s, "    {}: ({}) => invoke<{ok}>('{}'{args}),", camel(f.name()), params.join(", "), f.name());
    Ok(s)
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in snake.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn camel_case_names() {
        assert_eq!(super::camel("app_state"), "appState");
        assert_eq!(super::camel("search"), "search");
    }
}
