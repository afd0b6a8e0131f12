//! The command line's shape (clap). Behaviour lives in `run.rs`.

#![expect(clippy::large_enum_variant, reason = "parsed once per process: a variant's size does not matter")]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::billing::{DunningCommand, InvoiceCommand, ReportCommand};

pub const EXIT_CODES: &str = "\
Exit codes:
  0  ok
  1  other error
  2  usage: wrong arguments or an invalid value
  3  cannot unlock: wrong password or recovery key
  4  the vault is in use by another Tresor process
  5  damaged or foreign data (vault.key, database or snapshot)
  6  refused: an issued invoice cannot change, or the invoice is in the wrong state
  7  an export or backup file exists (pass --force) or cannot be written there
  8  saved on this computer, but the data folder could not be written (full,
     read-only, damaged); it is written at the next chance, nothing is lost

Secrets come from the environment when set, otherwise from a hidden prompt:
  TRESOR_PASSWORD, TRESOR_NEW_PASSWORD, TRESOR_RECOVERY_KEY";

#[derive(Parser, Debug)]
#[command(name = "tresor", version, about = "Tresor: the encrypted practice manager, from the command line", after_help = EXIT_CODES)]
pub struct Cli {
    /// The data folder (default: Documents/Tresor).
    #[arg(long, global = true, env = "TRESOR_VAULT")]
    pub vault: Option<PathBuf>,
    /// Machine-readable output on stdout.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a new vault and print its recovery key (shown only this once).
    Init {
        #[arg(long, default_value = "AT")]
        country: String,
        /// Target time for one password derivation in ms (never below 64 MiB, t=3).
        #[arg(long, default_value_t = 700)]
        kdf_ms: u64,
    },
    /// Change the password (TRESOR_PASSWORD, then TRESOR_NEW_PASSWORD).
    Passwd,
    /// Set a new password with the recovery key (TRESOR_RECOVERY_KEY, TRESOR_NEW_PASSWORD).
    Recover,
    /// Check vault.key, the database page by page, and the newest snapshot.
    Verify,
    /// Rebuild this computer's working copy from the data folder (after damage). Changes made
    /// here that are not in the data folder yet are written there first where they can be read.
    Repair {
        /// Rebuild even when the working copy passes every check.
        #[arg(long)]
        force: bool,
    },
    /// Take a snapshot into the data folder now.
    Snapshot,
    /// The raw database key, for opening the data with the stock sqlcipher tool.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// This computer's name as the other computers see it ("also open on …").
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
    /// The practice profile.
    Practice {
        #[command(subcommand)]
        command: PracticeCommand,
    },
    /// Clients.
    Client {
        #[command(subcommand)]
        command: ClientCommand,
    },
    /// Retention: what is due for erasure, erasure and its log, the practice's period.
    Retention {
        #[command(subcommand)]
        command: crate::retention::RetentionCommand,
    },
    /// Services and fees.
    Service {
        #[command(subcommand)]
        command: ServiceCommand,
    },
    /// Appointments and series.
    Appointment {
        #[command(subcommand)]
        command: AppointmentCommand,
    },
    /// Sessions and their documentation.
    Session {
        #[command(subcommand)]
        command: SessionCommand,
    },
    /// Files attached to clients and sessions (kept encrypted in the data folder).
    Attach {
        #[command(subcommand)]
        command: crate::attach::AttachCommand,
    },
    /// Search clients and documentation.
    Search {
        text: String,
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// How many records of each kind the vault holds; with --year or --client the statistics:
    /// sessions and hours per week, month and year, money per month, no-show and cancellation
    /// rates, and per client sessions, last session, open amount and approved sessions left.
    Stats {
        /// The year of the series (default: this year).
        #[arg(long)]
        year: Option<i16>,
        /// Only this client's line.
        #[arg(long)]
        client: Option<String>,
        /// Code names instead of names.
        #[arg(long)]
        anonymous: bool,
    },
    /// The newest entries of the change journal.
    Journal {
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Merge what other computers wrote to the data folder and write this one's changes.
    Sync,
    /// Devices, who has the vault open, what was applied, and files a sync client left behind.
    Status,
    /// Fields two computers changed at the same time, with both values; `take` keeps one.
    Conflicts(crate::conflicts::ConflictsArgs),
    /// Move the data folder (copy, verify every file, then remove the old one).
    Move {
        #[arg(long)]
        to: PathBuf,
    },
    /// Write one encrypted, verified backup file (never inside the data folder).
    Backup {
        /// The backup file.
        #[arg(long, conflicts_with = "to_dir")]
        to: Option<PathBuf>,
        /// A folder of rotating backups (named by time).
        #[arg(long)]
        to_dir: Option<PathBuf>,
        /// With --to-dir: how many backups to keep.
        #[arg(long, default_value_t = 10)]
        keep: usize,
        /// With --to: replace an existing file.
        #[arg(long, requires = "to")]
        force: bool,
    },
    /// Restore a backup into a new data folder (--vault) and check it.
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
    /// Measure a generated practice, encrypted and plain side by side (run with --release).
    Bench {
        /// small (100/5,000), large (2,000/100,000), huge (5,000/500,000), or ten-year
        /// (150 clients, 12,000 sessions over ten years, as `tresor demo` makes it).
        #[arg(long, default_value = "large")]
        size: String,
        /// Only the working day: bytes written to the data folder (snapshots counted) and a new
        /// computer opening the folder.
        #[arg(long)]
        day: bool,
        /// Where the generated practices live (reused between runs).
        #[arg(long, default_value = "target/bench")]
        dir: PathBuf,
        #[arg(long, default_value_t = 200)]
        reps: u32,
        /// Also write the table to this Markdown file.
        #[arg(long)]
        markdown: Option<PathBuf>,
    },
    /// Open a vault, show the screens once and print the peak memory (used by `bench`).
    #[command(hide = true)]
    RssProbe,
    /// Invoices: draft, issue, cancel, pay, export.
    Invoice {
        #[command(subcommand)]
        command: InvoiceCommand,
    },
    /// Payment reminders and dunning letters.
    Dunning {
        #[command(subcommand)]
        command: DunningCommand,
    },
    /// The appointments as an .ics file for a calendar app.
    Calendar {
        #[command(subcommand)]
        command: crate::calendar::CalendarCommand,
    },
    /// Invoice journal, revenue report, session protocol.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// Print the emergency kit (recovery key from TRESOR_RECOVERY_KEY) as PDF.
    Kit {
        #[arg(long)]
        pdf: PathBuf,
        #[arg(long)]
        force: bool,
    },
    /// Import clients, services, appointments or past sessions from a CSV or XLSX file.
    Import(crate::import::ImportArgs),
    /// Fill the vault with a generated demo practice.
    Demo {
        #[arg(long, default_value_t = 50)]
        clients: u32,
        #[arg(long, default_value_t = 1000)]
        sessions: u32,
        #[arg(long, default_value_t = 3)]
        years: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also issue this many invoices (about two in three paid, 1 % cancelled).
        #[arg(long, default_value_t = 0)]
        invoices: u32,
    },
}

#[derive(Subcommand, Debug)]
pub enum KeyCommand {
    /// Print the raw SQLCipher key (hex). Anyone with it and the files can read everything.
    ShowRaw,
}

#[derive(Subcommand, Debug)]
pub enum DeviceCommand {
    /// Show this computer's id and name.
    Show,
    /// Give this computer another name (default: the name the system shows).
    Rename { name: String },
}

#[derive(Subcommand, Debug)]
pub enum PracticeCommand {
    Show,
    Set(Box<PracticeArgs>),
    /// Set the letterhead logo of invoices and letters from a PNG file, or remove it.
    Logo {
        /// A PNG file (at most 512 KB and 1200 px a side).
        #[arg(required_unless_present = "remove")]
        file: Option<PathBuf>,
        #[arg(long, conflicts_with = "file")]
        remove: bool,
    },
}

#[derive(Args, Debug, Default)]
pub struct PracticeArgs {
    /// The practitioner's name.
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub profession: Option<String>,
    #[arg(long)]
    pub registration_number: Option<String>,
    #[arg(long)]
    pub practice_name: Option<String>,
    /// Street and number.
    #[arg(long, alias = "street")]
    pub address: Option<String>,
    #[arg(long)]
    pub postal_code: Option<String>,
    #[arg(long)]
    pub city: Option<String>,
    /// AT or DE.
    #[arg(long)]
    pub country: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub tax_number: Option<String>,
    /// UID / USt-IdNr.
    #[arg(long)]
    pub vat_id: Option<String>,
    #[arg(long)]
    pub iban: Option<String>,
    #[arg(long)]
    pub bic: Option<String>,
    #[arg(long)]
    pub bank: Option<String>,
    #[arg(long)]
    pub currency: Option<String>,
    /// IANA zone, e.g. Europe/Vienna.
    #[arg(long)]
    pub time_zone: Option<String>,
    /// de or en.
    #[arg(long)]
    pub language: Option<String>,
    /// Small business (AT § 6 Abs. 1 Z 27, DE § 19 UStG): true or false. Decides the tax modes
    /// the practice may use (`tresor service tax-modes`).
    #[arg(long)]
    pub small_business: Option<bool>,
    /// The Bundesland whose holidays the calendar shades (ISO 3166-2, e.g. AT-9, DE-BY; '' for none).
    #[arg(long)]
    pub holiday_region: Option<String>,
    /// The practice's tax adviser, name and address on one line ('' for none); named in a
    /// client's Art. 15 file as a recipient of invoice data.
    #[arg(long)]
    pub tax_adviser: Option<String>,
    /// One weekday's working hours, e.g. `tue=12:00-20:00` or `sat=off` (repeatable; times on a
    /// 5-minute grid). The other days stay as they are.
    #[arg(long = "hours", value_name = "DAY=HH:MM-HH:MM|off")]
    pub hours: Vec<String>,
}

#[derive(Subcommand, Debug)]
pub enum ClientCommand {
    Add(ClientArgs),
    List {
        /// active, closed or restricted.
        #[arg(long)]
        status: Option<String>,
        /// name, name-desc or newest.
        #[arg(long, default_value = "name")]
        sort: String,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
        /// List the restricted clients (GDPR Art. 18), which no other list shows.
        #[arg(long)]
        restricted: bool,
    },
    Show {
        id: String,
    },
    /// Restrict processing (GDPR Art. 18): hidden from lists, search, Today and the month-end
    /// run, and unchangeable until lifted. Logged in the journal.
    Restrict {
        id: String,
    },
    /// Lift a restriction (logged in the journal).
    Unrestrict {
        id: String,
    },
    /// Change fields of a client; fields not given stay as they are.
    Update {
        id: String,
        #[command(flatten)]
        fields: ClientArgs,
    },
    Delete {
        id: String,
    },
    /// Everything held about a client (GDPR Art. 15/20) as JSON and/or PDF.
    Export {
        id: String,
        /// The JSON file. (`--json` alone is the global machine-output flag, hence the name.)
        #[arg(long, value_name = "FILE")]
        json_file: Option<PathBuf>,
        #[arg(long)]
        pdf: Option<PathBuf>,
        #[arg(long)]
        force: bool,
    },
}

#[derive(Args, Debug, Default)]
pub struct ClientArgs {
    /// Full name, "Given Family" (split at the last space).
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub given_name: Option<String>,
    #[arg(long)]
    pub family_name: Option<String>,
    #[arg(long)]
    pub code_name: Option<String>,
    /// YYYY-MM-DD.
    #[arg(long)]
    pub birth_date: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long, alias = "address")]
    pub street: Option<String>,
    #[arg(long)]
    pub postal_code: Option<String>,
    #[arg(long)]
    pub city: Option<String>,
    #[arg(long)]
    pub country: Option<String>,
    #[arg(long)]
    pub insurer: Option<String>,
    /// Austrian SVNR (check digit verified), German KVNR, or another insurer's number.
    #[arg(long)]
    pub insurance_number: Option<String>,
    /// "F32.1 Mittelgradige depressive Episode"; repeat for several.
    #[arg(long = "diagnosis")]
    pub diagnoses: Vec<String>,
    /// The guardian's name ("" removes the guardian).
    #[arg(long)]
    pub guardian: Option<String>,
    #[arg(long)]
    pub guardian_street: Option<String>,
    #[arg(long)]
    pub guardian_postal_code: Option<String>,
    #[arg(long)]
    pub guardian_city: Option<String>,
    /// Another recipient of invoices ("" removes it).
    #[arg(long)]
    pub bill_to: Option<String>,
    #[arg(long)]
    pub bill_to_street: Option<String>,
    #[arg(long)]
    pub bill_to_postal_code: Option<String>,
    #[arg(long)]
    pub bill_to_city: Option<String>,
    /// The recipient's VAT id (UID, USt-IdNr.), e.g. ATU13585627; makes them a business.
    #[arg(long)]
    pub bill_to_vat_id: Option<String>,
    /// at-statutory (ÖGK, BVAEB, SVS: SVNR checked), de-statutory (KVNR checked), private
    /// (the insurer's own number, 4–20 letters and digits), or "" (judged by the country).
    #[arg(long)]
    pub insurance_kind: Option<String>,
    /// A co-insured child or spouse: the insured person's name (printed on the Honorarnote).
    #[arg(long)]
    pub insured_name: Option<String>,
    /// The insured person's social-insurance number.
    #[arg(long)]
    pub insured_number: Option<String>,
    /// Date of a written fee agreement (§ 2 GOÄ), YYYY-MM-DD ("" removes it).
    #[arg(long)]
    pub fee_agreement_date: Option<String>,
    /// Date of the medical examination before the second session (ÖGK), YYYY-MM-DD ("" removes
    /// it); the claim form prints it.
    #[arg(long)]
    pub medical_exam_date: Option<String>,
    /// The treatment method the claim form names for this client (else the practice's setting).
    #[arg(long)]
    pub treatment_method: Option<String>,
    /// The opening of letters to the client, e.g. "Sehr geehrte Frau Größ," (else a neutral one).
    #[arg(long)]
    pub salutation: Option<String>,
    /// Sessions the insurer approved in all, counted from the first (ÖGK: needed from the
    /// eleventh on); "" removes it.
    #[arg(long)]
    pub approved_sessions: Option<String>,
    /// active, closed or restricted.
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
    /// de or en (documents for this client).
    #[arg(long)]
    pub language: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum ServiceCommand {
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        minutes: u32,
        #[command(flatten)]
        fields: ServiceArgs,
    },
    /// Change a service; flags not given stay as they are. Recorded sessions keep their fee.
    Update {
        id: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        minutes: Option<u32>,
        #[command(flatten)]
        fields: ServiceArgs,
    },
    /// Retire a service: kept for the sessions that used it, not offered for new ones.
    Retire {
        id: String,
        /// Offer it again.
        #[arg(long)]
        undo: bool,
    },
    /// Delete a service nothing uses (a used one is refused: retire it instead).
    Delete {
        id: String,
    },
    /// The tax modes and fee schedules this practice may use, the default first.
    TaxModes,
    /// The GOÄ/GOP items and analog items Tresor ships, with points and the fee at their rate.
    Catalogue,
    List,
}

#[derive(Args, Debug, Default)]
pub struct ServiceArgs {
    /// Price in euros, e.g. 95,00 or 95.00 (not for GOÄ items: computed from the points).
    #[arg(long, conflicts_with = "price_cents")]
    pub price: Option<String>,
    /// Price in cents, e.g. 9500.
    #[arg(long)]
    pub price_cents: Option<i64>,
    #[arg(long)]
    pub code: Option<String>,
    /// at-exempt, at-small-business, de-exempt, de-small-business, taxable:RATE (default: the
    /// practice's usual mode).
    #[arg(long)]
    pub tax: Option<String>,
    /// none, goae (GOÄ/GOP), analog (Abrechnungsempfehlung 2024) or gebueh (GebüH).
    #[arg(long)]
    pub schedule: Option<String>,
    /// The fee number: a catalogue item for goae/analog (870, A812s; see `service catalogue`),
    /// the GebüH number as printed otherwise.
    #[arg(long)]
    pub fee_number: Option<String>,
    /// The usual multiplier, 1,0 to 2,3 (default 2,3; higher rates are set per invoice line).
    #[arg(long)]
    pub multiplier: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum AppointmentCommand {
    /// Book an appointment, or a series with --weekly/--monthly.
    Add {
        #[arg(long)]
        client: String,
        /// Local start "YYYY-MM-DD HH:MM" in the practice's time zone.
        #[arg(long)]
        start: String,
        #[arg(long, default_value_t = 50)]
        minutes: u32,
        #[arg(long)]
        service: Option<String>,
        /// in-person, video or phone.
        #[arg(long, default_value = "in-person")]
        kind: String,
        #[arg(long, default_value = "")]
        link: String,
        #[arg(long, default_value = "")]
        note: String,
        /// Repeat every N weeks.
        #[arg(long, conflicts_with = "monthly")]
        weekly: Option<u32>,
        /// Repeat every N months.
        #[arg(long)]
        monthly: Option<u32>,
        /// Last date of the series (YYYY-MM-DD).
        #[arg(long, conflicts_with = "count")]
        until: Option<String>,
        /// Number of occurrences.
        #[arg(long)]
        count: Option<u32>,
        /// A date the series skips; repeat for several.
        #[arg(long = "except")]
        exceptions: Vec<String>,
    },
    /// Appointments between two local dates (default: this week).
    List {
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        client: Option<String>,
    },
    /// Set the status: planned, done, cancelled or no-show.
    Status { id: String, status: String },
}

#[derive(Subcommand, Debug)]
pub enum SessionCommand {
    Add {
        #[arg(long)]
        client: String,
        /// YYYY-MM-DD (default: the appointment's date, else today).
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        minutes: Option<u32>,
        #[arg(long)]
        service: Option<String>,
        /// Fee in euros, e.g. 90,00 (default: the service's price).
        #[arg(long, conflicts_with = "fee_cents")]
        fee: Option<String>,
        /// Fee in cents, e.g. 9000.
        #[arg(long)]
        fee_cents: Option<i64>,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        appointment: Option<String>,
        #[arg(long)]
        group: bool,
        /// Participants of a group session (implies --group).
        #[arg(long)]
        group_size: Option<u32>,
    },
    List {
        #[arg(long)]
        client: Option<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// A session with every revision of its documentation.
    Show { id: String },
    /// Add a documentation revision (the earlier text stays).
    Revise {
        id: String,
        #[arg(long)]
        note: String,
    },
}
