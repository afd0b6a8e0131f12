//! The core's one error type. Every variant has a stable `code()` that the CLI maps to an exit
//! code and the UI maps to a sentence in the user's language; messages here are for logs and the
//! CLI only, and never contain personal data or secrets.

use std::path::PathBuf;

use serde_json::{json, Map, Value};

use crate::domain::Field;
use crate::paths::FileKind;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a field was rejected. Kept as an enum so the UI can phrase each case itself.
// `FieldProblem` in the TypeScript bindings: the shell has a `Problem` of its own (diagnostics).
#[cfg_attr(feature = "specta", derive(specta::Type), specta(rename = "FieldProblem"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooShort,
    TooLong,
    BadFormat,
    BadDate,
    CheckDigit,
    OutOfRange,
    UnknownValue,
    NotAllowed,
    /// A date after today where only today or the past make sense (an issue date, a payment).
    InFuture,
}

impl Problem {
    pub fn as_str(self) -> &'static str {
        match self {
            Problem::Required => "required",
            Problem::TooShort => "too_short",
            Problem::TooLong => "too_long",
            Problem::BadFormat => "bad_format",
            Problem::BadDate => "bad_date",
            Problem::CheckDigit => "check_digit",
            Problem::OutOfRange => "out_of_range",
            Problem::UnknownValue => "unknown_value",
            Problem::NotAllowed => "not_allowed",
            Problem::InFuture => "in_future",
        }
    }
}

/// What kind of record a `NotFound` or `Immutable` error is about.
pub type Entity = &'static str;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the password or recovery key is wrong")]
    WrongSecret,
    #[error("the recovery key has a typo in group {group}")]
    RecoveryKeyTypo { group: usize },
    #[error("the recovery key is not complete or has characters that do not belong in it")]
    RecoveryKeyMalformed,
    #[error("no vault in {path}: vault.key is missing")]
    VaultMissing { path: PathBuf },
    #[error("a vault already exists in {path}")]
    VaultExists { path: PathBuf },
    #[error("vault.key is truncated")]
    HeaderTruncated,
    #[error("vault.key is damaged (its checksum does not match)")]
    HeaderCorrupt,
    #[error("vault.key was written by a newer Tresor (format version {found})")]
    HeaderUnsupportedVersion { found: u32 },
    #[error("vault.key is not a Tresor vault header")]
    HeaderForeign,
    #[error("vault.key belongs to another vault than the snapshots in this folder")]
    HeaderOtherVault,
    #[error("the database belongs to another vault")]
    DatabaseForeign,
    #[error("the database does not match this vault's key or is damaged")]
    DatabaseUnreadable,
    #[error("the database failed its integrity check: {detail}")]
    DatabaseCorrupt { detail: String },
    #[error("the database was written by a newer Tresor (schema {found}, this build knows {known})")]
    SchemaTooNew { found: i64, known: i64 },
    #[error("this build's SQLite has no encryption; refusing to write plaintext")]
    NoEncryption,
    #[error("the vault is open in another Tresor window or process")]
    InUse,
    #[error("the vault is locked")]
    Locked,
    #[error("too many wrong passwords on this computer: try again in {seconds} s")]
    UnlockWait { seconds: u64 },
    #[error("no snapshot in the data folder to restore from")]
    NoSnapshot,
    #[error(
        "none of the {tried} snapshot(s) in the data folder could be read completely; the data folder was not changed"
    )]
    NoGoodSnapshot { tried: usize },
    #[error("this computer's working copy is damaged; the data folder is not affected")]
    WorkingCopyDamaged,
    #[error("{entity} not found")]
    NotFound { entity: Entity, id: String },
    /// One or more wrong fields of one input: `field`/`problem` is the first, `more` the rest,
    /// so a form can mark every wrong field at once.
    #[error("invalid {field}: {}{}", problem.as_str(), more.iter().map(|(f, p)| format!(", {f}: {}", p.as_str())).collect::<String>())]
    Invalid { field: Field, problem: Problem, more: Vec<(Field, Problem)> },
    #[error("{entity} cannot be changed: {reason}")]
    Immutable { entity: Entity, reason: &'static str },
    #[error("a change file from another computer cannot be read (incomplete, altered or not ours): {path}")]
    SegmentUnreadable { path: PathBuf },
    #[error("the {} file {path} is larger than Tresor reads ({size} bytes, at most {limit})", kind.as_str())]
    FileTooLarge { kind: FileKind, path: PathBuf, size: u64, limit: u64 },
    #[error("{path} should be a {} file, but is a folder, a link or a special file", kind.as_str())]
    NotAFile { kind: FileKind, path: PathBuf },
    #[error("{path} is not downloaded yet: the cloud drive has only a placeholder")]
    InTransit { kind: FileKind, path: PathBuf },
    #[error("the data folder {path} is not reachable (not mounted, offline or empty): saved on this computer only")]
    FolderOffline { path: PathBuf },
    #[error("{path} is held by another program (a cloud drive, a virus scanner or the indexer)")]
    FileBusy { path: PathBuf },
    #[error("the target folder is not empty: {path}")]
    TargetNotEmpty { path: PathBuf },
    #[error("the backup file is damaged or not a Tresor backup")]
    BackupCorrupt,
    #[error("cancelled: nothing was changed")]
    Cancelled,
    #[error("the search text has nothing to search for")]
    EmptySearch,
    #[error("amount out of range")]
    AmountOverflow,
    #[error("invalid {field}: an amount may be at most {max} € (or -{max} € where negative amounts are allowed)")]
    AmountTooLarge { field: Field, max: crate::domain::money::Cents },
    #[error("{op} failed for {path}: {source}")]
    Io {
        op: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the disk is full")]
    DiskFull,
    #[error("database error: {0}")]
    Sqlite(#[source] rusqlite::Error),
    #[error("the practice profile lacks {field}, which an invoice must show")]
    PracticeIncomplete { field: Field },
    #[error("nothing to bill: no unbilled sessions in that range")]
    NothingToBill,
    /// The month-end run was cancelled before it finished: nothing of it was kept.
    #[error("the billing run was cancelled; no invoice of it was issued")]
    RunCancelled,
    #[error("the invoice cannot do that now: {reason}")]
    InvoiceState { reason: &'static str },
    /// No e-invoice for this invoice: `consumer`, `small_business`, `exempt`, `up_to_250` (see
    /// `export::einvoice::decide`) or `issued_without` (issued before it had the XML).
    #[error("no e-invoice for this invoice: {}", crate::export::einvoice::explain(reason))]
    EInvoice { reason: &'static str },
    /// A document issued on another computer that this one could not render identically (another
    /// Tresor version, or a logo changed here meanwhile); it was asked for and arrives whole.
    #[error("this {kind} was issued on another computer; its document has not arrived here yet")]
    DocumentPending { kind: &'static str },
    #[error("session {id} is already on another invoice")]
    SessionBilled { id: String },
    #[error("{path} already exists")]
    ExportExists { path: PathBuf },
    #[error("cannot write {path}: {source}")]
    ExportFailed {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("document could not be generated: {detail}")]
    Render { detail: String },
    /// The change is committed in this computer's working copy, but writing it into the data
    /// folder failed; it stays pending and is written at the next chance (CLI exit code 8).
    #[error(
        "saved on this computer; the data folder could not be written ({cause}); it will be written when possible"
    )]
    Pending { cause: Box<Error> },
    #[error("a backup cannot be written into the vault's own folders: {path}")]
    BackupTargetInVault { path: PathBuf },
    #[error("this practice may not print the tax mode {mode} (country {country}, small business: {small_business})")]
    TaxModeNotAllowed { mode: &'static str, rate_bp: u32, country: &'static str, small_business: bool },
    #[error("the invoice's recipient lacks {field}, which the law asks for on an invoice above {limit} €")]
    RecipientIncomplete { field: Field, limit: crate::domain::money::Cents },
    #[error("a multiplier of {} needs a written reason (fee_reason) on the invoice (§ 12 Abs. 3 GOÄ)", multiplier.label('.'))]
    FeeReasonRequired { multiplier: crate::domain::service::Multiplier },
    #[error(
        "a multiplier of {} is above {} and needs a fee agreement (§ 2 GOÄ) recorded for the client before the session (fee_agreement_date)",
        multiplier.label('.'),
        max.label('.')
    )]
    FeeAgreementRequired { multiplier: crate::domain::service::Multiplier, max: crate::domain::service::Multiplier },
    #[error("invoices were issued with the current number format: a new format can apply from {from} on (number_format_from)")]
    NumberFormatLocked { from: i16 },
    #[error("the service is used by sessions or appointments: retire it instead of deleting it")]
    ServiceInUse,
    #[error("the file is too large to attach ({size} bytes, at most {limit}); nothing was attached")]
    AttachmentTooLarge { size: u64, limit: u64 },
    /// The attachment's file is altered, cut off, not ours, or belongs to another attachment.
    #[error("the file of attachment {id} is damaged and cannot be opened")]
    AttachmentDamaged { id: String },
    /// The row is there, the file not (not synced yet, or removed outside Tresor).
    #[error("the file of attachment {id} is not in the data folder (not synced yet, or removed)")]
    AttachmentMissing { id: String },
    /// Documentation or invoices of the client must still be kept (`domain::retention`): a
    /// delete is refused, an erasure needs a reason.
    #[error("this client's records must be kept until {until}: restrict the client, or erase with a reason")]
    RetentionActive { until: jiff::civil::Date },
    /// Processing is restricted (GDPR Art. 18): nothing of the client changes until lifted.
    #[error("this client is restricted: lift the restriction before changing the client's records")]
    ClientRestricted,
    /// `reason`: `encoding` (not text in a known encoding), `spreadsheet` (a damaged or
    /// protected workbook), `empty` (no header row).
    #[error("the file cannot be imported: {reason}")]
    ImportUnreadable { reason: &'static str },
    /// `unit`: `bytes`, `rows` or `columns`.
    #[error("the file is larger than an import takes (at most {limit} {unit})")]
    ImportTooLarge { limit: u64, unit: &'static str },
    #[error("{name} is not a field of this kind of import")]
    ImportUnknownField { name: String },
    #[error("the file has no column {column}")]
    ImportUnknownColumn { column: String },
    #[error("no column is chosen for {field}, which every row needs")]
    ImportMappingIncomplete { field: Field },
}

/// Every code [`Error::code`] can return, for the tests that hold each one to a situation
/// that raises it (`tests/error_codes.rs`) and a sentence in the UI.
pub const CODES: &[&str] = &[
    "vault.wrong_secret",
    "vault.recovery_key_typo",
    "vault.recovery_key_malformed",
    "vault.missing",
    "vault.exists",
    "vault.header_truncated",
    "vault.header_corrupt",
    "vault.header_unsupported_version",
    "vault.header_foreign",
    "vault.header_other_vault",
    "store.database_foreign",
    "store.database_unreadable",
    "store.database_corrupt",
    "store.schema_too_new",
    "store.no_encryption",
    "vault.in_use",
    "vault.locked",
    "unlock.wait",
    "vault.no_snapshot",
    "vault.no_good_snapshot",
    "vault.working_copy_damaged",
    "record.not_found",
    "record.invalid",
    "record.immutable",
    "sync.segment_unreadable",
    "io.target_not_empty",
    "folder.file_too_large",
    "folder.not_a_file",
    "folder.in_transit",
    "io.file_busy",
    "backup.corrupt",
    "task.cancelled",
    "search.empty",
    "money.overflow",
    "money.too_large",
    "io.failed",
    "io.disk_full",
    "store.failed",
    "billing.practice_incomplete",
    "invoice.nothing_to_bill",
    "billing.run_cancelled",
    "invoice.wrong_state",
    "einvoice.not_applicable",
    "invoice.session_billed",
    "document.pending",
    "export.exists",
    "export.failed",
    "export.render_failed",
    "sync.pending",
    "folder.offline",
    "backup.target_in_vault",
    "billing.tax_mode_not_allowed",
    "invoice.recipient_incomplete",
    "billing.fee_reason_required",
    "billing.fee_agreement_required",
    "billing.number_format_locked",
    "service.in_use",
    "attachment.too_large",
    "attachment.damaged",
    "attachment.missing",
    "retention.active",
    "retention.restricted",
    "import.unreadable",
    "import.too_large",
    "import.unknown_field",
    "import.unknown_column",
    "import.mapping_incomplete",
];

impl Error {
    /// The stable identifier the UI and the CLI rely on. Never change an existing code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::WrongSecret => "vault.wrong_secret",
            Error::RecoveryKeyTypo { .. } => "vault.recovery_key_typo",
            Error::RecoveryKeyMalformed => "vault.recovery_key_malformed",
            Error::VaultMissing { .. } => "vault.missing",
            Error::VaultExists { .. } => "vault.exists",
            Error::HeaderTruncated => "vault.header_truncated",
            Error::HeaderCorrupt => "vault.header_corrupt",
            Error::HeaderUnsupportedVersion { .. } => "vault.header_unsupported_version",
            Error::HeaderForeign => "vault.header_foreign",
            Error::HeaderOtherVault => "vault.header_other_vault",
            Error::DatabaseForeign => "store.database_foreign",
            Error::DatabaseUnreadable => "store.database_unreadable",
            Error::DatabaseCorrupt { .. } => "store.database_corrupt",
            Error::SchemaTooNew { .. } => "store.schema_too_new",
            Error::NoEncryption => "store.no_encryption",
            Error::InUse => "vault.in_use",
            Error::Locked => "vault.locked",
            // The shell's code from before the back-off moved into the core, so the UI keeps
            // its sentence.
            Error::UnlockWait { .. } => "unlock.wait",
            Error::NoSnapshot => "vault.no_snapshot",
            Error::NoGoodSnapshot { .. } => "vault.no_good_snapshot",
            Error::WorkingCopyDamaged => "vault.working_copy_damaged",
            Error::NotFound { .. } => "record.not_found",
            Error::Invalid { .. } => "record.invalid",
            Error::Immutable { .. } => "record.immutable",
            Error::SegmentUnreadable { .. } => "sync.segment_unreadable",
            Error::TargetNotEmpty { .. } => "io.target_not_empty",
            Error::FileTooLarge { .. } => "folder.file_too_large",
            Error::NotAFile { .. } => "folder.not_a_file",
            Error::InTransit { .. } => "folder.in_transit",
            Error::FolderOffline { .. } => "folder.offline",
            Error::FileBusy { .. } => "io.file_busy",
            Error::BackupCorrupt => "backup.corrupt",
            Error::Cancelled => "task.cancelled",
            Error::EmptySearch => "search.empty",
            Error::AmountOverflow => "money.overflow",
            Error::AmountTooLarge { .. } => "money.too_large",
            Error::Io { .. } => "io.failed",
            Error::DiskFull => "io.disk_full",
            Error::Sqlite(_) => "store.failed",
            Error::PracticeIncomplete { .. } => "billing.practice_incomplete",
            Error::NothingToBill => "invoice.nothing_to_bill",
            Error::RunCancelled => "billing.run_cancelled",
            Error::InvoiceState { .. } => "invoice.wrong_state",
            Error::EInvoice { .. } => "einvoice.not_applicable",
            Error::SessionBilled { .. } => "invoice.session_billed",
            Error::DocumentPending { .. } => "document.pending",
            Error::ExportExists { .. } => "export.exists",
            Error::ExportFailed { .. } => "export.failed",
            Error::Render { .. } => "export.render_failed",
            Error::Pending { .. } => "sync.pending",
            Error::BackupTargetInVault { .. } => "backup.target_in_vault",
            Error::TaxModeNotAllowed { .. } => "billing.tax_mode_not_allowed",
            Error::RecipientIncomplete { .. } => "invoice.recipient_incomplete",
            Error::FeeReasonRequired { .. } => "billing.fee_reason_required",
            Error::FeeAgreementRequired { .. } => "billing.fee_agreement_required",
            Error::NumberFormatLocked { .. } => "billing.number_format_locked",
            Error::ServiceInUse => "service.in_use",
            Error::AttachmentTooLarge { .. } => "attachment.too_large",
            Error::AttachmentDamaged { .. } => "attachment.damaged",
            Error::AttachmentMissing { .. } => "attachment.missing",
            Error::RetentionActive { .. } => "retention.active",
            Error::ClientRestricted => "retention.restricted",
            Error::ImportUnreadable { .. } => "import.unreadable",
            Error::ImportTooLarge { .. } => "import.too_large",
            Error::ImportUnknownField { .. } => "import.unknown_field",
            Error::ImportUnknownColumn { .. } => "import.unknown_column",
            Error::ImportMappingIncomplete { .. } => "import.mapping_incomplete",
        }
    }

    /// Structured parameters for the UI's sentence. Paths are included (the user chose them);
    /// record contents never are.
    pub fn params(&self) -> Map<String, Value> {
        let v = match self {
            Error::RecoveryKeyTypo { group } => json!({ "group": group }),
            Error::VaultMissing { path }
            | Error::VaultExists { path }
            | Error::SegmentUnreadable { path }
            | Error::TargetNotEmpty { path }
            | Error::FileBusy { path }
            | Error::FolderOffline { path } => {
                json!({ "path": path.display().to_string() })
            }
            Error::NotAFile { kind, path } | Error::InTransit { kind, path } => {
                json!({ "kind": kind, "path": path.display().to_string() })
            }
            Error::FileTooLarge { kind, path, size, limit } => {
                json!({ "kind": kind, "path": path.display().to_string(), "size": size, "limit": limit })
            }
            Error::HeaderUnsupportedVersion { found } => json!({ "found": found }),
            Error::NoGoodSnapshot { tried } => json!({ "tried": tried }),
            Error::UnlockWait { seconds } => json!({ "seconds": seconds }),
            Error::SchemaTooNew { found, known } => json!({ "found": found, "known": known }),
            Error::NotFound { entity, id } => json!({ "entity": entity, "id": id }),
            Error::Invalid { field, problem, more } => {
                let all: Vec<Value> = std::iter::once((field, problem))
                    .chain(more.iter().map(|(f, p)| (f, p)))
                    .map(|(f, p)| json!({ "field": f, "problem": p }))
                    .collect();
                json!({ "field": field, "problem": problem, "fields": all })
            }
            // The limit in whole euros, so the UI formats it as a number in the user's locale.
            Error::AmountTooLarge { field, max } => json!({ "field": field, "max": max.get() / 100 }),
            Error::Immutable { entity, reason } => json!({ "entity": entity, "reason": reason }),
            Error::PracticeIncomplete { field } => json!({ "field": field }),
            Error::TaxModeNotAllowed { mode, rate_bp, country, small_business } => json!({
                "field": Field::Tax, "mode": mode, "rate_bp": rate_bp, "country": country, "small_business": small_business,
            }),
            // The limit in whole euros, as for `money.too_large`.
            Error::RecipientIncomplete { field, limit } => json!({ "field": field, "limit": limit.get() / 100 }),
            Error::FeeReasonRequired { multiplier } => {
                json!({ "field": Field::FeeReason, "multiplier": multiplier.label('.') })
            }
            Error::FeeAgreementRequired { multiplier, max } => json!({
                "field": Field::FeeAgreementDate, "multiplier": multiplier.label('.'), "max": max.label('.'),
            }),
            Error::NumberFormatLocked { from } => json!({ "field": Field::NumberFormatFrom, "from": from }),
            Error::ServiceInUse => json!({ "field": Field::Service }),
            // Sizes in whole MiB (rounded up), as the sentence shows them.
            Error::AttachmentTooLarge { size, limit } => {
                json!({ "size_mib": size.div_ceil(1 << 20), "limit_mib": limit / (1 << 20) })
            }
            Error::AttachmentDamaged { id } | Error::AttachmentMissing { id } => json!({ "id": id }),
            Error::RetentionActive { until } => json!({ "until": until.to_string() }),
            Error::ImportUnreadable { reason } => json!({ "reason": reason }),
            Error::ImportTooLarge { limit, unit } => json!({ "limit": limit, "unit": unit }),
            Error::ImportUnknownField { name } => json!({ "name": name }),
            Error::ImportUnknownColumn { column } => json!({ "column": column }),
            Error::ImportMappingIncomplete { field } => json!({ "field": field }),
            Error::InvoiceState { reason } => json!({ "reason": reason }),
            Error::EInvoice { reason } => json!({ "reason": reason }),
            Error::SessionBilled { id } => json!({ "id": id }),
            Error::DocumentPending { kind } => json!({ "kind": kind }),
            Error::ExportExists { path } | Error::BackupTargetInVault { path } => {
                json!({ "path": path.display().to_string() })
            }
            Error::Pending { cause } => {
                let mut m = cause.params();
                m.insert("cause".into(), json!(cause.code()));
                m.insert("cause_message".into(), json!(cause.to_string()));
                Value::Object(m)
            }
            Error::ExportFailed { path, source } => json!({
                "path": path.display().to_string(),
                "kind": format!("{:?}", source.kind()),
            }),
            Error::Io { op, path, source } => json!({
                "op": op,
                "path": path.display().to_string(),
                "kind": format!("{:?}", source.kind()),
            }),
            _ => json!({}),
        };
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    /// True for errors that mean the files on disk are damaged or not ours (CLI exit code 5).
    pub fn is_damaged_data(&self) -> bool {
        matches!(
            self,
            Error::HeaderTruncated
                | Error::HeaderCorrupt
                | Error::HeaderUnsupportedVersion { .. }
                | Error::HeaderForeign
                | Error::HeaderOtherVault
                | Error::DatabaseForeign
                | Error::DatabaseUnreadable
                | Error::DatabaseCorrupt { .. }
                | Error::SchemaTooNew { .. }
                | Error::SegmentUnreadable { .. }
                | Error::BackupCorrupt
                | Error::NoGoodSnapshot { .. }
                | Error::WorkingCopyDamaged
                | Error::FileTooLarge { .. }
                | Error::NotAFile { .. }
                | Error::AttachmentDamaged { .. }
        )
    }

    pub fn invalid(field: Field, problem: Problem) -> Self {
        Error::Invalid { field, problem, more: Vec::new() }
    }

    /// Every wrong field of one input in one error; `None` when there is none.
    pub fn invalid_all(fields: Vec<(Field, Problem)>) -> Option<Self> {
        let mut it = fields.into_iter();
        let (field, problem) = it.next()?;
        let more: Vec<_> = it.collect();
        Some(Error::Invalid { field, problem, more })
    }

    /// The wrong fields this error names, first to last (empty for any other error).
    pub fn fields(&self) -> Vec<(Field, Problem)> {
        match self {
            Error::Invalid { field, problem, more } => {
                std::iter::once((*field, *problem)).chain(more.iter().copied()).collect()
            }
            _ => Vec::new(),
        }
    }

    pub fn not_found(entity: Entity, id: impl ToString) -> Self {
        Error::NotFound { entity, id: id.to_string() }
    }

    /// Wraps an I/O error with what we were doing, turning "no space" into its own code because
    /// the user can act on it.
    pub fn io(op: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        if source.kind() == std::io::ErrorKind::StorageFull {
            return Error::DiskFull;
        }
        Error::Io { op, path: path.into(), source }
    }
}

/// Entities whose rows the schema's triggers guard (`RAISE(ABORT, 'tresor.immutable:<entity>')`).
const GUARDED: [Entity; 7] =
    ["invoice", "invoice_line", "payment", "dunning_letter", "write_off", "issued_document", "erasure"];

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        if let rusqlite::Error::SqliteFailure(_, Some(msg)) = &e {
            if let Some(entity) = msg.strip_prefix("tresor.immutable:") {
                let entity = GUARDED.iter().copied().find(|g| *g == entity).unwrap_or("record");
                return Error::Immutable { entity, reason: "issued" };
            }
        }
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => Error::DiskFull,
            Some(ErrorCode::NotADatabase) => Error::DatabaseUnreadable,
            Some(ErrorCode::DatabaseCorrupt) => Error::DatabaseCorrupt { detail: "malformed database".into() },
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => Error::InUse,
            _ => Error::Sqlite(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique() {
        let samples = [
            Error::WrongSecret,
            Error::RecoveryKeyTypo { group: 1 },
            Error::RecoveryKeyMalformed,
            Error::HeaderTruncated,
            Error::HeaderCorrupt,
            Error::HeaderUnsupportedVersion { found: 9 },
            Error::HeaderForeign,
            Error::HeaderOtherVault,
            Error::DatabaseForeign,
            Error::DatabaseUnreadable,
            Error::InUse,
            Error::Locked,
            Error::UnlockWait { seconds: 1 },
            Error::EmptySearch,
            Error::AmountOverflow,
            Error::AmountTooLarge { field: Field::Fee, max: crate::domain::money::Cents::MAX_ENTRY },
            Error::DiskFull,
            Error::NothingToBill,
            Error::RunCancelled,
            Error::InvoiceState { reason: "draft" },
            Error::EInvoice { reason: "consumer" },
            Error::PracticeIncomplete { field: Field::Street },
            Error::SessionBilled { id: String::new() },
            Error::DocumentPending { kind: "invoice" },
            Error::ExportExists { path: PathBuf::new() },
            Error::Render { detail: String::new() },
            Error::Pending { cause: Box::new(Error::DiskFull) },
            Error::BackupTargetInVault { path: PathBuf::new() },
            Error::NoSnapshot,
            Error::NoGoodSnapshot { tried: 2 },
            Error::WorkingCopyDamaged,
            Error::FileTooLarge { kind: FileKind::Segment, path: PathBuf::new(), size: 1, limit: 0 },
            Error::NotAFile { kind: FileKind::Lease, path: PathBuf::new() },
            Error::InTransit { kind: FileKind::Header, path: PathBuf::new() },
            Error::FolderOffline { path: PathBuf::new() },
            Error::FileBusy { path: PathBuf::new() },
            Error::TaxModeNotAllowed { mode: "taxable", rate_bp: 2000, country: "DE", small_business: false },
            Error::RecipientIncomplete { field: Field::Street, limit: crate::domain::money::Cents::new(25_000) },
            Error::FeeReasonRequired { multiplier: crate::domain::service::Multiplier(300) },
            Error::FeeAgreementRequired {
                multiplier: crate::domain::service::Multiplier(400),
                max: crate::domain::service::Multiplier(350),
            },
            Error::NumberFormatLocked { from: 2027 },
            Error::ServiceInUse,
            Error::AttachmentTooLarge { size: 2, limit: 1 },
            Error::AttachmentDamaged { id: String::new() },
            Error::AttachmentMissing { id: String::new() },
            Error::RetentionActive { until: jiff::civil::date(2035, 1, 1) },
            Error::ClientRestricted,
            Error::ImportUnreadable { reason: "encoding" },
            Error::ImportTooLarge { limit: 1, unit: "rows" },
            Error::ImportUnknownField { name: String::new() },
            Error::ImportUnknownColumn { column: String::new() },
            Error::ImportMappingIncomplete { field: Field::FamilyName },
            Error::VaultMissing { path: PathBuf::new() },
            Error::VaultExists { path: PathBuf::new() },
            Error::DatabaseCorrupt { detail: String::new() },
            Error::SchemaTooNew { found: 9, known: 8 },
            Error::NoEncryption,
            Error::not_found("client", "x"),
            Error::invalid(Field::Email, Problem::BadFormat),
            Error::Immutable { entity: "invoice", reason: "issued" },
            Error::SegmentUnreadable { path: PathBuf::new() },
            Error::TargetNotEmpty { path: PathBuf::new() },
            Error::BackupCorrupt,
            Error::Cancelled,
            Error::io("read", "/x", std::io::Error::from(std::io::ErrorKind::NotFound)),
            Error::Sqlite(rusqlite::Error::InvalidQuery),
            Error::ExportFailed { path: PathBuf::new(), source: std::io::Error::from(std::io::ErrorKind::NotFound) },
        ];
        let mut codes: Vec<_> = samples.iter().map(Error::code).collect();
        codes.sort();
        let n = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), n);
        let mut listed = CODES.to_vec();
        listed.sort();
        assert_eq!(codes, listed, "CODES lists every code once, and every variant has a sample here");
    }

    #[test]
    fn full_disk_gets_its_own_code() {
        let e = Error::io("write", "/x", std::io::Error::from(std::io::ErrorKind::StorageFull));
        assert_eq!(e.code(), "io.disk_full");
    }
}
