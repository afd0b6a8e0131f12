//! Diagnostics that help and tell nothing: what went wrong, as error codes, ids and timings,
//! written with `tracing` to a file per day in the app's log folder (seven days kept) and kept
//! in memory (the last 50 problems) for the Settings screen's "Diagnose" section. Never a name,
//! note text or path: a core error's message can name a client's export file, so only its code
//! and allow-listed parameters are logged, and a path only as its file kind (the extension).
//!
//! A Windows release build has no console, so `eprintln!` reached nobody; the file does. The
//! user saves it where they choose (`save_log`) and sends it with a support request.

use std::collections::VecDeque;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use serde_json::{Map, Value};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::fmt::writer::OptionalWriter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::{filter, Layer};

use crate::error::{ApiError, ApiResult};

/// Log files are `tresor.YYYY-MM-DD.log`.
pub const FILE_PREFIX: &str = "tresor";
pub const FILE_SUFFIX: &str = "log";
/// Days of log kept; older files are removed by the writer.
pub const KEEP_DAYS: usize = 7;
/// Problems kept in memory for the Diagnose section.
pub const RECENT: usize = 50;
/// A saved log holds at most this much (the newest part): a week of a working app is a few KB.
const SAVE_LIMIT: u64 = 8 * 1024 * 1024;

/// One problem as the Diagnose section lists it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
pub struct Problem {
    /// When, in UTC (`2026-11-30T18:02:11Z`).
    pub at: String,
    /// `warn` or `error`.
    pub level: String,
    /// The stable error code (`io.failed`, `shell.background_panic`).
    pub code: String,
    /// What the shell was doing, in English for a support request ("background sync failed").
    pub what: String,
    /// The allow-listed parameters of the error (no paths, names or text).
    pub params: Map<String, Value>,
}

static RING: Mutex<VecDeque<Problem>> = Mutex::new(VecDeque::new());
static FILE: OnceLock<(PathBuf, RollingFileAppender)> = OnceLock::new();

/// Installs the subscriber: the in-memory ring, stderr (a terminal in development) and the log
/// file once [`open_file`] named its folder. Harmless when called twice (tests).
pub fn init() {
    let only_ours = filter::filter_fn(|m| m.target().starts_with("tresor"));
    let file = tracing_subscriber::fmt::layer()
        .with_writer(LateFile)
        .with_ansi(false)
        .with_target(false)
        .with_filter(filter::LevelFilter::INFO)
        .with_filter(only_ours.clone());
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_filter(filter::LevelFilter::WARN)
        .with_filter(only_ours);
    let subscriber = tracing_subscriber::registry().with(Ring).with(file).with(stderr);
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// Starts writing the log into `dir` (made 0700 where the platform has modes, so the files in
/// it are the user's alone). Returns false when the folder cannot be made; the ring still works.
pub fn open_file(dir: &Path) -> bool {
    if FILE.get().is_some() {
        return true;
    }
    if tresor::fsutil::create_dir_all(dir).is_err() {
        return false;
    }
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(FILE_PREFIX)
        .filename_suffix(FILE_SUFFIX)
        .max_log_files(KEEP_DAYS)
        .build(dir);
    match appender {
        Ok(a) => FILE.set((dir.to_path_buf(), a)).is_ok(),
        Err(_) => false,
    }
}

/// The last problems, newest first.
pub fn recent() -> Vec<Problem> {
    let ring = RING.lock().unwrap_or_else(|p| p.into_inner());
    ring.iter().rev().cloned().collect()
}

/// Logs a failure by its code and allow-listed parameters.
pub fn failed(what: &str, e: &ApiError) {
    let params = Value::Object(safe_params(&e.params)).to_string();
    tracing::warn!(code = %e.code, params = %params, "{what}");
}

/// Logs a core error as it becomes an `ApiError`: failures the user cannot fix by typing
/// something else as warnings, refusals of input (a wrong password, a field) as information.
pub fn core_error(e: &tresor::Error) {
    let code = e.code();
    let params = Value::Object(safe_params(&e.params())).to_string();
    if is_refusal(code) {
        tracing::info!(code, params = %params, "refused");
    } else {
        tracing::warn!(code, params = %params, "failed");
    }
}

fn is_refusal(code: &str) -> bool {
    const PREFIXES: &[&str] = &["record.", "money.", "billing.", "invoice.", "search.", "unlock.", "einvoice."];
    const CODES: &[&str] = &[
        "vault.wrong_secret",
        "vault.recovery_key_typo",
        "vault.recovery_key_malformed",
        "vault.locked",
        "vault.missing",
        "export.exists",
    ];
    PREFIXES.iter().any(|p| code.starts_with(p)) || CODES.contains(&code)
}

/// The parameters that can never hold a name, text or path; a path becomes its file kind.
pub fn safe_params(params: &Map<String, Value>) -> Map<String, Value> {
    const SAFE: &[&str] = &[
        "kind",
        "found",
        "known",
        "entity",
        "field",
        "problem",
        "reason",
        "mode",
        "rate_bp",
        "country",
        "small_business",
        "limit",
        "max",
        "size",
        "seconds",
        "attempts",
        "wait_seconds",
        "group",
        "tried",
        "from",
        "multiplier",
        "number_format_from",
    ];
    let mut out = Map::new();
    for (k, v) in params {
        let plain = matches!(v, Value::Number(_) | Value::Bool(_))
            || v.as_str()
                .is_some_and(|s| s.len() <= 40 && s.chars().all(|c| c.is_ascii_alphanumeric() || "._-,".contains(c)));
        let id = k == "id" && v.as_str().is_some_and(uuid_shaped);
        if (SAFE.contains(&k.as_str()) && plain) || id {
            out.insert(k.clone(), v.clone());
        } else if k == "path" {
            out.insert("file".into(), Value::String(file_kind(v.as_str().unwrap_or_default())));
        }
    }
    out
}

fn uuid_shaped(s: &str) -> bool {
    s.len() == 36 && s.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

/// `…/Jörg Müller.pdf` → `pdf`; no or an odd extension → `file`.
pub fn file_kind(path: &str) -> String {
    Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| e.len() <= 8 && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_else(|| "file".into())
}

/// Every log file, oldest first, joined; the newest `SAVE_LIMIT` bytes of them.
pub fn log_text() -> ApiResult<Vec<u8>> {
    let Some((dir, _)) = FILE.get() else { return Ok(Vec::new()) };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| ApiError::from(tresor::Error::io("read log folder", dir, e)))?
        .filter_map(|e| e.ok())
        .filter(tresor::fsutil::is_plain_file)
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(FILE_PREFIX)))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files.iter().rev() {
        let mut part = Vec::new();
        let read = std::fs::File::open(f).and_then(|h| h.take(SAVE_LIMIT).read_to_end(&mut part));
        if read.is_err() {
            continue;
        }
        part.extend_from_slice(&out);
        out = part;
        if out.len() as u64 >= SAVE_LIMIT {
            break;
        }
    }
    Ok(out)
}

/// Writes the log to the path the user chose in the native save dialog, which has already asked
/// before replacing a file (as the emergency kit is saved).
pub fn save_log(path: &Path) -> ApiResult<()> {
    let text = log_text()?;
    Ok(tresor::export::write_file(path, &text, true)?)
}

/// The file writer, or nothing until [`open_file`] ran.
struct LateFile;

impl<'a> MakeWriter<'a> for LateFile {
    type Writer = OptionalWriter<<RollingFileAppender as MakeWriter<'a>>::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        match FILE.get() {
            Some((_, a)) => OptionalWriter::some(a.make_writer()),
            None => OptionalWriter::none(),
        }
    }
}

/// Keeps warnings and errors that carry a `code` for the Diagnose section.
struct Ring;

impl<S: Subscriber> Layer<S> for Ring {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let level = *event.metadata().level();
        if level > Level::WARN || !event.metadata().target().starts_with("tresor") {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        let params = serde_json::from_str::<Map<String, Value>>(&fields.params).unwrap_or_default();
        let problem = Problem {
            at: jiff::Timestamp::now().round(jiff::Unit::Second).unwrap_or_else(|_| jiff::Timestamp::now()).to_string(),
            level: if level == Level::ERROR { "error" } else { "warn" }.into(),
            code: fields.code,
            what: fields.message,
            params,
        };
        let mut ring = RING.lock().unwrap_or_else(|p| p.into_inner());
        if ring.len() == RECENT {
            ring.pop_front();
        }
        ring.push_back(problem);
    }
}

#[derive(Default)]
struct Fields {
    code: String,
    message: String,
    params: String,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "code" => self.code = value.to_string(),
            "message" => self.message = value.to_string(),
            "params" => self.params = value.to_string(),
            _ => {}
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.record_str(field, &format!("{value:?}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_logged_as_its_kind_and_text_never() {
        let params = serde_json::json!({
            "path": "/home/anna/Jörg Müller/Müller Jörg.PDF",
            "kind": "NotFound",
            "field": "family_name",
            "id": "Müller",
            "detail": "Jörg Müller",
            "limit": 25000,
        });
        let safe = safe_params(params.as_object().unwrap());
        let text = Value::Object(safe.clone()).to_string();
        assert_eq!(safe["file"], "pdf");
        assert_eq!(safe["kind"], "NotFound");
        assert_eq!(safe["limit"], 25000);
        assert!(!text.contains("Müller") && !text.contains("anna"), "{text}");
        assert_eq!(file_kind("/x/Notfallblatt"), "file");
    }
}
