//! `tresor`, the command-line face of the core: scripts, backups, tests and benchmarks use it.
//! It parses arguments, gets secrets, calls the core and prints; the exit code follows the
//! error's code (documented in `tresor --help` and the README).

mod attach;
mod billing;
mod calendar;
mod cli;
mod conflicts;
mod import;
mod print;
mod retention;
mod run;
mod secrets;

use std::process::ExitCode;

use clap::Parser;
use tresor::domain::Field;

/// Why the CLI stopped: a core error, or a usage problem found before reaching the core.
pub enum Failure {
    Core(tresor::Error),
    Usage(String),
    /// Already reported (a check that found problems, e.g. `verify`): exit with this code.
    Unsound(u8),
}

impl Failure {
    pub fn usage(msg: String) -> Failure {
        Failure::Usage(msg)
    }
}

impl From<tresor::Error> for Failure {
    fn from(e: tresor::Error) -> Self {
        Failure::Core(e)
    }
}

/// The one place where error codes become exit codes.
fn exit_code(e: &tresor::Error) -> u8 {
    use tresor::Error as E;
    match e {
        E::WrongSecret | E::RecoveryKeyTypo { .. } | E::RecoveryKeyMalformed | E::UnlockWait { .. } => 3,
        E::InUse => 4,
        e if e.is_damaged_data() => 5,
        E::Invalid { .. }
        | E::AmountTooLarge { .. }
        | E::TaxModeNotAllowed { .. }
        | E::RecipientIncomplete { .. }
        | E::FeeReasonRequired { .. }
        | E::FeeAgreementRequired { .. }
        | E::NumberFormatLocked { .. }
        | E::ImportUnreadable { .. }
        | E::ImportTooLarge { .. }
        | E::ImportUnknownField { .. }
        | E::ImportUnknownColumn { .. }
        | E::ImportMappingIncomplete { .. }
        | E::EmptySearch
        | E::AttachmentTooLarge { .. }
        | E::VaultMissing { .. }
        | E::VaultExists { .. } => 2,
        E::Immutable { .. }
        | E::InvoiceState { .. }
        | E::SessionBilled { .. }
        | E::NothingToBill
        | E::RunCancelled
        | E::ServiceInUse
        | E::RetentionActive { .. }
        | E::ClientRestricted
        | E::EInvoice { .. }
        | E::DocumentPending { .. } => 6,
        E::ExportExists { .. } | E::ExportFailed { .. } | E::BackupTargetInVault { .. } => 7,
        E::Pending { .. } => 8,
        // Unlocking needs the folder only where this computer has no working copy of it yet.
        E::FolderOffline { .. } => 1,
        _ => 1,
    }
}

/// A sentence that tells the user what to do next, where there is one.
fn hint(e: &tresor::Error) -> Option<&'static str> {
    use tresor::Error as E;
    Some(match e {
        E::WrongSecret => "Check the password (or recovery key) and try again.",
        E::RecoveryKeyTypo { .. } => "Compare that group with your emergency kit.",
        E::UnlockWait { .. } => "Each wrong password makes the next try wait longer (up to 30 s).",
        E::InUse => "Close the other Tresor window or process using this vault.",
        E::VaultMissing { .. } => "Pass --vault with your data folder, or run `tresor init`.",
        E::DiskFull => "Free some disk space and try again.",
        E::DocumentPending { .. } => {
            "Export it on the computer that issued it, or sync both computers again (run Tresor there)."
        }
        E::Pending { .. } => {
            "Nothing is lost. Make the data folder writable again (free space, permissions); the next `tresor` command (e.g. `tresor sync`) writes it."
        }
        E::BackupTargetInVault { .. } => "Write backups outside the data folder and Tresor's local folder, e.g. onto a USB stick.",
        E::Invalid { field: Field::Until, .. } => {
            "The last date must not be before the first, and a series holds at most 520 appointments: use an earlier --until or --count."
        }
        E::BackupCorrupt => "Nothing was restored. Try another backup file.",
        E::Cancelled => "Nothing was changed; run the command again when you are ready.",
        E::ExportExists { .. } => "Choose another file name, or pass --force to replace it.",
        E::ExportFailed { .. } => "Check that the folder exists and that you may write there.",
        E::Immutable { .. } => {
            "An issued invoice never changes: cancel it (`tresor invoice cancel`) and issue a new one."
        }
        E::PracticeIncomplete { .. } => "Complete the practice profile with `tresor practice set`.",
        E::TaxModeNotAllowed { .. } => {
            "`tresor service tax-modes` lists the modes this practice may print (set --small-business with `tresor practice set` if it applies)."
        }
        E::RecipientIncomplete { .. } => {
            "Nothing was issued. Add the recipient's address (`tresor client update` or `tresor invoice bill-to`), then issue again; the address is taken when the invoice is issued."
        }
        E::FeeReasonRequired { .. } => {
            "Give the reason with `tresor invoice fee DRAFT LINE --multiplier M --reason TEXT`, or bill at 2,3."
        }
        E::FeeAgreementRequired { .. } => {
            "Record the written fee agreement with `tresor client update ID --fee-agreement-date YYYY-MM-DD`, or bill at 3,5 at most."
        }
        E::NumberFormatLocked { .. } => {
            "Give the year the new format starts with: `tresor invoice settings --number-format F --number-format-from YEAR`."
        }
        E::ServiceInUse => "Nothing was deleted. `tresor service retire ID` keeps it for past sessions and hides it for new ones.",
        E::RetentionActive { .. } => {
            "Nothing was deleted. `tresor client restrict ID` hides the client until the end; `tresor retention erase ID --reason TEXT` erases now and logs why."
        }
        E::ClientRestricted => "Nothing was changed. `tresor client unrestrict ID` lifts the restriction (it is logged).",
        E::WorkingCopyDamaged => {
            "The data folder is not affected: `tresor repair` rebuilds this computer's working copy from it."
        }
        E::DatabaseCorrupt { .. } => {
            "`tresor verify` tells which file is damaged; a damaged working copy is rebuilt from the data folder with `tresor repair`."
        }
        E::NoGoodSnapshot { .. } => {
            "The data folder was not changed. Put a good snapshot back into the data folder (from a backup or another computer's synced copy), or restore a backup into a new folder."
        }
        E::FileBusy { .. } => {
            "Nothing was changed. Try again in a moment, or close the program that has the file open."
        }
        E::AttachmentTooLarge { .. } => "Nothing was attached. Shrink the file (e.g. save a scan at a lower resolution) or split it.",
        E::AttachmentDamaged { .. } => {
            "Nothing else is affected. Restore the attachments folder from a backup or a synced copy, or attach the file again."
        }
        E::AttachmentMissing { .. } => {
            "Wait until the data folder has synced, or restore the attachments folder from a backup."
        }
        E::InTransit { .. } => {
            "Make the data folder available offline in your cloud drive, or wait until it has synced."
        }
        E::FolderOffline { .. } => {
            "Connect the drive or share that holds the data folder (or go online). Changes made meanwhile are kept on this computer and written when it is back."
        }
        E::ImportMappingIncomplete { .. } | E::ImportUnknownColumn { .. } | E::ImportUnknownField { .. } => {
            "Nothing was imported. Name the columns with --map FIELD=COLUMN,… (the file's first line holds the column names)."
        }
        E::ImportUnreadable { .. } | E::ImportTooLarge { .. } => {
            "Nothing was imported. Save the file from the other program as CSV or XLSX (split a large file) and try again."
        }
        e if e.is_damaged_data() => "Nothing was changed. Restore the data folder from a backup or a synced copy.",
        _ => return None,
    })
}

fn main() -> ExitCode {
    // Before any secret is read: no core dumps, no ptrace by the same user (where the OS has them).
    let hardening = tresor::process::harden();
    // Test builds only: lets the black-box tests see what the OS granted this very process.
    #[cfg(debug_assertions)]
    if std::env::var_os("TRESOR_TEST_REPORT_HARDENING").is_some() {
        eprintln!("hardening {}", serde_json::json!(hardening));
    }
    #[cfg(not(debug_assertions))]
    let _ = hardening;
    let cli = match cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let json = cli.json;
    let out = print::Out::new(json);
    let result = run::run(cli, &out);
    // What the command did is printed even when the data folder could not be written after it.
    let told = out.flush(match &result {
        Err(Failure::Core(e @ tresor::Error::Pending { .. })) => Some(e),
        _ => None,
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Unsound(code)) => ExitCode::from(code),
        Err(Failure::Usage(msg)) => {
            if json {
                println!("{}", serde_json::json!({ "error": { "code": "usage", "message": msg } }));
            }
            eprintln!("tresor: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Core(e)) => {
            // A pending save's --json document was printed above and carries it as "pending".
            let told = told && matches!(e, tresor::Error::Pending { .. });
            if json && !told {
                println!(
                    "{}",
                    serde_json::json!({ "error": { "code": e.code(), "params": e.params(), "message": e.to_string() } })
                );
            }
            eprintln!("tresor: {e}");
            if let Some(h) = hint(&e) {
                eprintln!("  {h}");
            }
            ExitCode::from(exit_code(&e))
        }
    }
}
