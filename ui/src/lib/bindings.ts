// Generated from src-tauri (bindings.rs) — do not edit. Regenerate:
//   TRESOR_WRITE_BINDINGS=1 cargo test -p tresor-desktop --test bindings
// One function per command, arguments as the shell names them; a refusal is thrown as ApiError.

/* eslint-disable */

export type Invoke = <T>(cmd: string, args?: Record<string, unknown>) => Promise<T>;

/** The commands, each calling `invoke` with its own name and snake_case arguments. */
export function makeCommands(invoke: Invoke) {
  return {
    activity: () => invoke<void>('activity'),
    addAppointment: (input: AppointmentInput) => invoke<AppointmentId>('add_appointment', { input }),
    addAttachment: (client: ClientId, session: SessionId | null, path: string, keep_days: number | null) => invoke<Attachment>('add_attachment', { client, session, path, keep_days }),
    addClient: (input: ClientInput) => invoke<ClientId>('add_client', { input }),
    addInvoiceItem: (id: InvoiceId, description: string, unit: Cents, quantity: number, no_show: boolean) => invoke<InvoiceLineId>('add_invoice_item', { id, description, unit, quantity, no_show }),
    addSeries: (input: SeriesInput) => invoke<SeriesCreated>('add_series', { input }),
    addService: (input: ServiceInput) => invoke<ServiceId>('add_service', { input }),
    addSession: (input: SessionInput) => invoke<SessionId>('add_session', { input }),
    appState: () => invoke<AppState>('app_state'),
    appointment: (id: AppointmentId) => invoke<Appointment>('appointment', { id }),
    appointmentsBetween: (from: Iso, to: Iso) => invoke<Appointment[]>('appointments_between', { from, to }),
    /** The attachment's bytes (base64), decrypted in memory for the window. */
    attachmentContent: (id: AttachmentId) => invoke<string>('attachment_content', { id }),
    attachments: (client: ClientId) => invoke<Attachment[]>('attachments', { client }),
    /** How the last backup stands: "Today" asks for one when it is old or missing. */
    backupAge: () => invoke<BackupAge>('backup_age'),
    backupNow: (dir: string) => invoke<BackupDone>('backup_now', { dir }),
    billClient: (client: ClientId) => invoke<InvoiceId[]>('bill_client', { client }),
    billingSettings: () => invoke<BillingSettings>('billing_settings'),
    calendar: (from: Iso, to: Iso) => invoke<CalendarRange>('calendar', { from, to }),
    /** Stops a running month-end run; nothing of it is kept. Touches no data, so it is allowed  while locked too. */
    cancelBillingRun: () => invoke<void>('cancel_billing_run'),
    /** Cancels a running export (no vault content: allowed while locked). */
    cancelExport: (job: number) => invoke<void>('cancel_export', { job }),
    cancelInvoice: (id: InvoiceId, reason: string) => invoke<InvoiceId>('cancel_invoice', { id, reason }),
    /** Asks the long work in progress (a move) to stop; it stops between two files. */
    cancelTask: () => invoke<void>('cancel_task'),
    changeAppointment: (id: AppointmentId, change: AppointmentChange, scope: SeriesScope) => invoke<AppointmentId[]>('change_appointment', { id, change, scope }),
    changePassword: (new_password: string) => invoke<void>('change_password', { new_password }),
    checkClient: (input: ClientInput) => invoke<ClientInput>('check_client', { input }),
    client: (id: ClientId) => invoke<Client>('client', { id }),
    clientBilling: (client: ClientId) => invoke<ClientBilling>('client_billing', { client }),
    clientTimeline: (id: ClientId) => invoke<ClientTimeline>('client_timeline', { id }),
    clients: (query: ClientQuery) => invoke<ClientPage>('clients', { query }),
    conflicts: (all: boolean) => invoke<ConflictView[]>('conflicts', { all }),
    createVault: (folder: string, password: string, country: Country) => invoke<Created>('create_vault', { folder, password, country }),
    dataFolderInfo: () => invoke<DataFolderInfo>('data_folder_info'),
    deleteAttachment: (id: AttachmentId) => invoke<void>('delete_attachment', { id }),
    deleteDraft: (id: InvoiceId) => invoke<void>('delete_draft', { id }),
    deleteService: (id: ServiceId) => invoke<void>('delete_service', { id }),
    /** The last problems the shell logged (codes, no personal data), newest first. */
    diagnostics: () => invoke<Problem[]>('diagnostics'),
    dunInvoice: (id: InvoiceId) => invoke<number>('dun_invoice', { id }),
    /** Erases a client for good; before the end of the retention only with a reason. */
    eraseClient: (client: ClientId, reason: string) => invoke<ErasureReport>('erase_client', { client, reason }),
    erasureLog: () => invoke<Erasure[]>('erasure_log'),
    exportCalendar: (from: Iso | null, to: Iso | null, path: string) => invoke<void>('export_calendar', { from, to, path }),
    exportReport: (job: number, report: ReportKind, format: ExportFormat, from: Iso, to: Iso, names: Names, path: string) => invoke<ExportOutcome>('export_report', { job, report, format, from, to, names, path }),
    folderStatus: (folder: string) => invoke<FolderStatus>('folder_status', { folder }),
    /** The Bundesländer of `country`, for the practice form (the core's list). */
    holidayRegions: (country: Country) => invoke<HolidayRegion[]>('holiday_regions', { country }),
    /** The file's columns and the proposed mapping (remembered, else guessed from the headers). */
    importColumns: (kind: ImportKind, path: string) => invoke<Proposal>('import_columns', { kind, path }),
    /** Imports every row that can be, in one transaction. */
    importFile: (kind: ImportKind, path: string, options: ImportOptions) => invoke<ImportReport>('import_file', { kind, path, options }),
    /** The dry run: what would be imported, the duplicates, every row that cannot be. Changes nothing. */
    importPreview: (kind: ImportKind, path: string, options: ImportOptions) => invoke<Preview>('import_preview', { kind, path, options }),
    inspectFolder: (folder: string) => invoke<FolderCheck>('inspect_folder', { folder }),
    /** A document of the invoice as base64, for the viewer in the window (never a file). */
    invoiceDocument: (id: InvoiceId, kind: DocKind) => invoke<string>('invoice_document', { id, kind }),
    invoiceList: (query: InvoiceListQuery) => invoke<InvoiceList>('invoice_list', { query }),
    invoiceView: (id: InvoiceId) => invoke<InvoiceView>('invoice_view', { id }),
    issueInvoice: (id: InvoiceId, date: Iso | null) => invoke<string>('issue_invoice', { id, date }),
    /** Issues the chosen clients' bills of the month; `billing-run-progress` after each invoice. */
    issueMonth: (month: string, clients: ClientId[], date: Iso | null) => invoke<RunOutcome>('issue_month', { month, clients, date }),
    lock: () => invoke<boolean>('lock'),
    logo: () => invoke<LogoInfo | null>('logo'),
    monthPreview: (month: string) => invoke<MonthPreview>('month_preview', { month }),
    /** `local_start` is the wall-clock start in the practice's zone (`2026-03-30T09:00:00`). */
    moveAppointment: (id: AppointmentId, local_start: string, minutes: number) => invoke<void>('move_appointment', { id, local_start, minutes }),
    moveDataFolder: (to: string) => invoke<Moved>('move_data_folder', { to }),
    newRecoveryKey: () => invoke<Created>('new_recovery_key'),
    /** Opens an appointment's video link in the default browser; the core says whether the link  may be opened (http or https only). */
    openVideoLink: (id: AppointmentId) => invoke<void>('open_video_link', { id }),
    parseAmount: (text: string) => invoke<Cents>('parse_amount', { text }),
    paymentList: (from: Iso, to: Iso, names: Names, language: Language) => invoke<PaymentList>('payment_list', { from, to, names, language }),
    /** The native open dialog for a file to attach; `None` when the user cancelled. */
    pickAttachmentFile: (title: string) => invoke<string | null>('pick_attachment_file', { title }),
    /** The native save dialog, offering the attachment's name; `None` when the user cancelled. */
    pickAttachmentTarget: (id: AttachmentId, title: string) => invoke<string | null>('pick_attachment_target', { id, title }),
    /** The native open dialog for a backup file; `None` when the user cancelled. */
    pickBackupFile: (title: string) => invoke<string | null>('pick_backup_file', { title }),
    /** The native save dialog for a calendar file; `None` when the user cancelled. */
    pickCalendarFile: (title: string, file_name: string) => invoke<string | null>('pick_calendar_file', { title, file_name }),
    /** The native save dialog for a report, filtered to its format; `None` when the user cancelled. */
    pickExportFile: (title: string, file_name: string, format: ExportFormat) => invoke<string | null>('pick_export_file', { title, file_name, format }),
    /** The native folder dialog; `None` when the user cancelled. */
    pickFolder: (title: string, start: string | null) => invoke<string | null>('pick_folder', { title, start }),
    /** The native open dialog for a CSV or spreadsheet file; `None` when the user cancelled. */
    pickImportFile: (title: string, filter: string) => invoke<string | null>('pick_import_file', { title, filter }),
    /** The native save dialog for a document of the invoice, with its file filter and a default  name (`Rechnung-2026-0042.pdf`); `None` when the user cancelled. */
    pickInvoiceFile: (id: InvoiceId, kind: DocKind, title: string) => invoke<string | null>('pick_invoice_file', { id, kind, title }),
    /** The native save dialog for the log; `None` when the user cancelled. */
    pickLogFile: (title: string, file_name: string) => invoke<string | null>('pick_log_file', { title, file_name }),
    /** The native open dialog for a PNG picture; `None` when the user cancelled. */
    pickPngFile: (title: string) => invoke<string | null>('pick_png_file', { title }),
    /** The native save dialog for an export; `None` when the user cancelled. */
    pickSaveFile: (title: string, file_name: string) => invoke<string | null>('pick_save_file', { title, file_name }),
    practice: () => invoke<Practice>('practice'),
    /** What a service's fee schedule as typed comes to; saves nothing. */
    previewServiceFee: (form: FeeForm) => invoke<FeePreview>('preview_service_fee', { form }),
    /** Ends the app after the window has saved what was typed: the last segment and the closed lease are  written first, the snapshot waits for the next start. */
    quit: () => invoke<void>('quit'),
    recordPayment: (id: InvoiceId, amount: Cents, date: Iso | null, method: string) => invoke<void>('record_payment', { id, amount, date, method }),
    removeAppointment: (id: AppointmentId, scope: SeriesScope) => invoke<AppointmentId[]>('remove_appointment', { id, scope }),
    removeInvoiceLine: (id: InvoiceId, line: InvoiceLineId) => invoke<void>('remove_invoice_line', { id, line }),
    /** Gives this computer another name ("Praxis-PC"); refused with `record.invalid` (field `name`)  when nothing visible is left. Returns the name as kept. */
    renameDevice: (name: string) => invoke<string>('rename_device', { name }),
    reportView: (from: Iso, to: Iso, names: Names, language: Language) => invoke<ReportView>('report_view', { from, to, names, language }),
    resolveConflict: (id: string, side: Side) => invoke<ConflictView>('resolve_conflict', { id, side }),
    restoreBackup: (file: string, into: string, secret: Secret) => invoke<number>('restore_backup', { file, into, secret }),
    /** Restricts (`restricted: true`) or lifts the restriction of a client. */
    restrictClient: (client: ClientId, restricted: boolean) => invoke<void>('restrict_client', { client, restricted }),
    retentionDue: () => invoke<RetentionItem[]>('retention_due'),
    retentionOf: (client: ClientId) => invoke<RetentionItem>('retention_of', { client }),
    retentionPolicy: () => invoke<RetentionPolicy>('retention_policy'),
    revealDataFolder: () => invoke<void>('reveal_data_folder'),
    /** Shows an exported file in the file manager (only while unlocked). */
    revealExport: (path: string) => invoke<void>('reveal_export', { path }),
    reviseSession: (id: SessionId, body: string) => invoke<NoteRevisionId | null>('revise_session', { id, body }),
    revisions: (id: SessionId) => invoke<NoteRevision[]>('revisions', { id }),
    saveAttachment: (id: AttachmentId, path: string) => invoke<string>('save_attachment', { id, path }),
    saveEmergencyKit: (recovery_key: string, path: string) => invoke<void>('save_emergency_kit', { recovery_key, path }),
    /** Writes the document where the user chose in `pick_invoice_file`. */
    saveInvoiceDocument: (id: InvoiceId, kind: DocKind, path: string) => invoke<void>('save_invoice_document', { id, kind, path }),
    /** Saves the log (the last days' files, joined) where the user chose in `pick_log_file`. */
    saveLog: (path: string) => invoke<void>('save_log', { path }),
    search: (query: string, limit: number) => invoke<SearchResults>('search', { query, limit }),
    searchClients: (query: string, limit: number) => invoke<ClientHit[]>('search_clients', { query, limit }),
    /** Invoices for the global search (Ctrl/Cmd+K), beside `search`'s clients and documentation. */
    searchInvoices: (query: string, limit: number) => invoke<InvoiceRow[]>('search_invoices', { query, limit }),
    services: () => invoke<Service[]>('services'),
    session: (id: SessionId) => invoke<Session>('session', { id }),
    setAppointmentStatus: (id: AppointmentId, status: AppointmentStatus) => invoke<void>('set_appointment_status', { id, status }),
    setBackupSchedule: (schedule: BackupSchedule | null) => invoke<Settings>('set_backup_schedule', { schedule }),
    setDraftPayer: (id: InvoiceId, role: string) => invoke<void>('set_draft_payer', { id, role }),
    setIdleMinutes: (minutes: number) => invoke<Settings>('set_idle_minutes', { minutes }),
    setInvoiceTexts: (id: InvoiceId, texts: InvoiceTexts) => invoke<void>('set_invoice_texts', { id, texts }),
    setLanguage: (language: string) => invoke<Settings>('set_language', { language }),
    setLineMultiplier: (id: InvoiceId, line: InvoiceLineId, multiplier: string, reason: string) => invoke<void>('set_line_multiplier', { id, line, multiplier, reason }),
    setLogo: (path: string | null) => invoke<LogoInfo | null>('set_logo', { path }),
    /** Gives an appointment's note a lifetime in days from now (`null`: kept); returns the  appointment with the instant its note goes. */
    setNoteLifetime: (appointment: AppointmentId, days: number | null) => invoke<Appointment>('set_note_lifetime', { appointment, days }),
    /** Which notifications this computer shows (a preference of this computer, like the idle time). */
    setReminders: (prefs: ReminderPrefs) => invoke<Settings>('set_reminders', { prefs }),
    setRetentionPolicy: (policy: RetentionPolicy) => invoke<RetentionPolicy>('set_retention_policy', { policy }),
    statistics: (year: number, names: Names) => invoke<Statistics>('statistics', { year, names }),
    /** Other computers with the vault open, and what in the data folder wants attention. */
    syncStatus: () => invoke<SyncState>('sync_status'),
    /** The tax modes, default and fee schedules the open practice may use (the core's one rule). */
    taxChoices: () => invoke<TaxChoices>('tax_choices'),
    today: () => invoke<Iso>('today'),
    todayOverview: () => invoke<TodayOverview>('today_overview'),
    unbilledByClient: () => invoke<UnbilledClient[]>('unbilled_by_client'),
    unlock: (folder: string, secret: Secret) => invoke<void>('unlock', { folder, secret }),
    updateBillingSettings: (settings: BillingSettings) => invoke<BillingSettings>('update_billing_settings', { settings }),
    updateClient: (id: ClientId, input: ClientInput) => invoke<void>('update_client', { id, input }),
    updatePractice: (change: PracticeUpdate) => invoke<Practice>('update_practice', { change }),
    updateService: (id: ServiceId, input: ServiceInput) => invoke<void>('update_service', { id, input }),
    vaultInfo: () => invoke<VaultInfo>('vault_info'),
    writeOff: (id: InvoiceId, reason: string) => invoke<void>('write_off', { id, reason }),
  };
}

/** Every error code the core and the shell can send (each has a sentence in both languages). */
export const ERROR_CODES = ["vault.wrong_secret","vault.recovery_key_typo","vault.recovery_key_malformed","vault.missing","vault.exists","vault.header_truncated","vault.header_corrupt","vault.header_unsupported_version","vault.header_foreign","vault.header_other_vault","store.database_foreign","store.database_unreadable","store.database_corrupt","store.schema_too_new","store.no_encryption","vault.in_use","vault.locked","unlock.wait","vault.no_snapshot","vault.no_good_snapshot","vault.working_copy_damaged","record.not_found","record.invalid","record.immutable","sync.segment_unreadable","io.target_not_empty","folder.file_too_large","folder.not_a_file","folder.in_transit","io.file_busy","backup.corrupt","task.cancelled","search.empty","money.overflow","money.too_large","io.failed","io.disk_full","store.failed","billing.practice_incomplete","invoice.nothing_to_bill","billing.run_cancelled","invoice.wrong_state","einvoice.not_applicable","invoice.session_billed","document.pending","export.exists","export.failed","export.render_failed","sync.pending","folder.offline","backup.target_in_vault","billing.tax_mode_not_allowed","invoice.recipient_incomplete","billing.fee_reason_required","billing.fee_agreement_required","billing.number_format_locked","service.in_use","attachment.too_large","attachment.damaged","attachment.missing","retention.active","retention.restricted","import.unreadable","import.too_large","import.unknown_field","import.unknown_column","import.mapping_incomplete","shell.dialog_failed","shell.open_failed","shell.background_panic","shell.start_failed","shell.exit_timeout","shell.thread_failed","shell.notification_failed"] as const;

export type ApiError = { code: string; params: Partial<{ [key in string]: JsonValue }> }
export type AppState = { unlocked: boolean; 
/**
 * The open vault's folder, or the one to offer: `TRESOR_DATA_FOLDER`, the last used one,
 * or the core's default.
 */
data_folder: string; folder_has_vault: boolean; settings: Settings; unlock_wait_seconds: number }
export type Appointment = { id: AppointmentId; client_id: ClientId; service_id: ServiceId | null; start: string; end: string; time_zone: string; kind: AppointmentKind; video_link: string; status: AppointmentStatus; series_id: SeriesId | null; note: string; 
/**
 * When the note is erased (at the next unlock after it); `None` keeps it.
 */
note_expires: string | null; stamps: Stamps }
/**
 * Everything an appointment is, as the calendar's dialog edits it.
 */
export type AppointmentChange = { 
/**
 * Local wall-clock start in the practice's time zone.
 */
local_start: string; minutes: number; service_id: ServiceId | null; kind: AppointmentKind; video_link?: string; note?: string }
export type AppointmentId = string
/**
 * What the user enters for one appointment (or the first of a series).
 */
export type AppointmentInput = { client_id: ClientId; service_id: ServiceId | null; 
/**
 * Local wall-clock start in the practice's time zone.
 */
local_start: string; minutes: number; kind: AppointmentKind; video_link?: string; note?: string }
export type AppointmentKind = "in_person" | "video" | "phone"
export type AppointmentStatus = "planned" | "done" | "cancelled" | "no_show"
export type Attachment = { id: AttachmentId; client_id: ClientId; session_id: SessionId | null; 
/**
 * The file's name as it was attached (shown in Tresor only; never a name in the folder).
 */
name: string; media_type: string; 
/**
 * Plaintext bytes.
 */
size: number; 
/**
 * When the attachment is erased (at the first unlock after it), if it has a lifetime.
 */
expires_at: string | null; stamps: Stamps; 
/**
 * Whether the window can show it inside itself: a PDF or a picture of at most
 * [`MAX_VIEW_BYTES`].
 */
viewable: boolean }
export type AttachmentId = string
/**
 * How the last good backup stands.
 */
export type BackupAge = 
/**
 * None was made of this vault (on this computer).
 */
{ state: "never" } | 
/**
 * Made within the policy's days.
 */
{ state: "fresh"; days: number } | 
/**
 * Older than the policy: "Today" asks for one.
 */
{ state: "old"; days: number }
export type BackupDone = { path: string; bytes: number; at: string }
export type BackupSchedule = { 
/**
 * A folder outside the data folder, e.g. on a USB drive.
 */
dir: string; 
/**
 * How many of this vault's backups to keep there.
 */
keep: number; 
/**
 * Once a day, when the vault locks or the app closes.
 */
at_close: boolean }
/**
 * What is owed on an invoice today. A sum is `None` (JSON `null`) when the stored amounts
 * cannot be added up within range.
 */
export type Balance = { status: InvoiceStatus; paid: Cents | null; 
/**
 * Dunning fees charged so far.
 */
fees: Cents | null; 
/**
 * gross + fees − paid; 0 once settled, cancelled or written off.
 */
due: Cents | null; overdue: boolean; 
/**
 * The date of the payment that settled it.
 */
paid_on: string | null; dunning_level: number }
/**
 * Practice-wide billing settings.
 */
export type BillingSettings = { number_format: string; payment_days: number; 
/**
 * Fee for a missed appointment; 0 means "the service's price".
 */
no_show_fee: Cents; 
/**
 * Printed on the Honorarnote (e.g. "Verhaltenstherapie").
 */
treatment_method: string; 
/**
 * Days between a dunning letter and the next level.
 */
dunning_days: number; dunning_fees: [Cents, Cents, Cents]; 
/**
 * German private invoices print the client's diagnosis (not every payer wants it).
 */
print_diagnosis: boolean; 
/**
 * Dunning letters announce default interest (§ 288 BGB / § 1000 ABGB).
 */
default_interest: boolean; 
/**
 * A number format that applies from `next_format_from` (a year) on; '' when none.
 */
next_number_format: string; next_format_from: number; 
/**
 * A new draft's text above its lines; '' prints the built-in sentence. Each draft keeps its
 * own copy, which may be changed until it is issued.
 */
invoice_intro: string; 
/**
 * A new draft's text below its payment terms (a greeting, a note on cancellations); ''
 * prints nothing.
 */
invoice_closing: string; 
/**
 * How many dunning levels the practice sends (1 to [`dunning::MAX_LEVEL`]): after the last
 * one no further letter is offered.
 */
dunning_levels: number; 
/**
 * Each level's opening paragraph; '' prints the built-in wording of that level.
 */
dunning_texts: [string, string, string] }
/**
 * One appointment as a calendar or Today shows it: with its client's name, its local times in
 * the practice's zone (`2026-03-30T09:00:00`) and its session when one was recorded.
 */
export type CalendarItem = { appointment: Appointment; client_name: string; local_start: string; local_end: string; session_id: SessionId | null; 
/**
 * The client's processing is restricted (GDPR Art. 18): the slot is taken, and that is all
 * the item says — no name, note, link, service or session; it cannot be opened or changed.
 */
restricted: boolean }
/**
 * What a calendar view of the days `from..=to` shows.
 */
export type CalendarRange = { items: CalendarItem[]; holidays: Holiday[]; working_hours: WorkingHours; time_zone: string; 
/**
 * What a missed appointment is billed (0: the service's price), for the cancel dialog.
 */
no_show_fee: Cents }
export type CappedCount = { count: number; 
/**
 * True when there are at least `count` hits and maybe more.
 */
capped: boolean }
export type Cents = number
export type ClashView = { 
/**
 * `series_code`, `invoice_number`, `cancellation`, `dunning_level`, `write_off`.
 */
kind: string; key: string; count: number }
export type Client = ({ given_name: string; family_name: string; code_name: string; birth_date: string | null; email: string; phone: string; street: string; postal_code: string; city: string; country: string; insurer: string; insurance_number: string; diagnoses: Diagnosis[]; guardian: Party | null; bill_to: Party | null; status: ClientStatus | null; notes: string; language: Language | null; insurance_kind: InsuranceKind; 
/**
 * A co-insured child or spouse: the insured person's name and insurance number, which the
 * ÖGK's Honorarnote shows next to the patient.
 */
insured_name: string; insured_number: string; 
/**
 * The medical examination required before the second session (§ 135 Abs. 1 ASVG).
 */
medical_exam_date: string | null; 
/**
 * The treatment method the claim form names (else the practice's setting).
 */
treatment_method: string; 
/**
 * The date of a written fee agreement (§ 2 GOÄ), which allows a multiplier above 3,5.
 */
fee_agreement_date: string | null; 
/**
 * The opening of a letter to the client ("Sehr geehrte Frau Müller,"); neutral when empty.
 */
salutation: string; 
/**
 * Sessions the insurer approved in all, counted from the first session (ÖGK: approval is
 * needed from the eleventh on); `None` when no approval is recorded.
 */
approved_sessions: number | null }) & { id: ClientId; stamps: Stamps }
/**
 * A client's billing at a glance: the open amount, payments, unbilled sessions.
 */
export type ClientBilling = { open: Cents | null; payments: ClientPayment[]; unbilled: UnbilledClient | null }
export type ClientHit = { client: ClientSummary }
export type ClientId = string
/**
 * Everything the user enters for a client; used for creating and for replacing.
 */
export type ClientInput = { given_name: string; family_name: string; code_name: string; birth_date: string | null; email: string; phone: string; street: string; postal_code: string; city: string; country: string; insurer: string; insurance_number: string; diagnoses: Diagnosis[]; guardian: Party | null; bill_to: Party | null; status: ClientStatus | null; notes: string; language: Language | null; insurance_kind: InsuranceKind; 
/**
 * A co-insured child or spouse: the insured person's name and insurance number, which the
 * ÖGK's Honorarnote shows next to the patient.
 */
insured_name: string; insured_number: string; 
/**
 * The medical examination required before the second session (§ 135 Abs. 1 ASVG).
 */
medical_exam_date: string | null; 
/**
 * The treatment method the claim form names (else the practice's setting).
 */
treatment_method: string; 
/**
 * The date of a written fee agreement (§ 2 GOÄ), which allows a multiplier above 3,5.
 */
fee_agreement_date: string | null; 
/**
 * The opening of a letter to the client ("Sehr geehrte Frau Müller,"); neutral when empty.
 */
salutation: string; 
/**
 * Sessions the insurer approved in all, counted from the first session (ÖGK: approval is
 * needed from the eleventh on); `None` when no approval is recorded.
 */
approved_sessions: number | null }
export type ClientPage = { items: ClientSummary[]; total: number }
/**
 * A payment received, with the number of the invoice it paid (a client's timeline).
 */
export type ClientPayment = { id: PaymentId; invoice_id: InvoiceId; number: string; date: string; amount: Cents; method: string }
/**
 * A page of the client list.
 */
export type ClientQuery = { status: ClientStatus | null; sort: ClientSort; offset: number; limit: number; 
/**
 * The clients whose processing is restricted (GDPR Art. 18) instead of the others: a
 * restricted client appears in no other list.
 */
restricted: boolean }
/**
 * How the client list is ordered.
 */
export type ClientSort = "name_asc" | "name_desc" | "newest_first"
/**
 * One client's course so far.
 */
export type ClientStats = { client_id: ClientId; 
/**
 * Name or code name, as asked.
 */
label: string; 
/**
 * Every session recorded, all years.
 */
sessions: number; last_session: string | null; 
/**
 * Owed on issued invoices today; `None` when not computable.
 */
open: Cents | null; approved_sessions: number | null; 
/**
 * Approved minus held; `None` without an approval.
 */
sessions_left: number | null; 
/**
 * An ÖGK client past the tenth session without a recorded approval.
 */
needs_approval: boolean }
export type ClientStatus = "active" | "closed" | 
/**
 * Visible only deliberately (e.g. a colleague or a public figure); never in quick lists.
 */
"restricted"
/**
 * A row of the client list.
 */
export type ClientSummary = { id: ClientId; given_name: string; family_name: string; code_name: string; birth_date: string | null; status: ClientStatus; city: string }
/**
 * A client's page: the record and everything that happened, newest first.
 */
export type ClientTimeline = { client: Client; appointments: Appointment[]; sessions: Session[]; 
/**
 * Drafts and issued invoices, each with what is still due.
 */
invoices: InvoiceSummary[] }
export type CloudKind = "one_drive" | "dropbox" | "i_cloud_drive" | "google_drive" | "syncthing"
export type ConflictSide = { 
/**
 * As the field stores it: text, a number, `null` for empty.
 */
value: JsonValue; at: string; 
/**
 * The computer's name, or the start of its id when no lease names it.
 */
computer: string }
export type ConflictView = { id: string; entity: string; row_id: string; 
/**
 * The field; `deleted` when one computer deleted the record the other changed.
 */
field: string; 
/**
 * A few words naming the record (the client's name).
 */
record: string | null; 
/**
 * The value the record holds now (the newer change).
 */
kept: ConflictSide; 
/**
 * The other computer's concurrent value.
 */
other: ConflictSide; resolution: Side | null }
export type Country = "AT" | "DE"
export type Created = { 
/**
 * Shown once; it exists nowhere else afterwards.
 */
recovery_key: string }
export type DataFolderInfo = { path: string; files: number; bytes: number; cloud: CloudKind | null; devices: DeviceView[]; foreign: ForeignView[]; conflicts: number; 
/**
 * Invoice numbers (and other billing facts) two computers made independently.
 */
clashes: ClashView[] }
/**
 * One working span of a day: `start_minute..end_minute` after local midnight (end ≤ 1440).
 */
export type DaySpan = { start_minute: number; end_minute: number }
/**
 * One computer that uses the data folder.
 */
export type DeviceView = { id: string; 
/**
 * Empty when no lease names it (a computer that only left change files).
 */
name: string; this_device: boolean; open_now: boolean; 
/**
 * `2026-11-22T08:00:00Z`, when it last said it was there.
 */
last_seen: string | null }
export type Diagnosis = { code: string; text: string }
/**
 * Which document of an invoice to make.
 */
export type DocKind = "pdf" | "xlsx" | "honorarnote" | 
/**
 * The XRechnung (EN 16931 XML) of an issued invoice, where one applies.
 */
"einvoice" | 
/**
 * The newest dunning letter.
 */
"dunning"
/**
 * One draft the month would make.
 */
export type DraftPreview = { client_id: ClientId; client_name: string; payer_name: string; payer_role: string; sessions: number; no_shows: number; gross: Cents; 
/**
 * What stops it from being issued as things are; empty when it can be.
 */
blockers: RunProblem[]; 
/**
 * Codes of `rules::issue_notes` (e.g. `svnr_missing`).
 */
notes: string[] }
export type DunningLetterId = string
/**
 * One entry of the erasure log: what is left of a client after the erasure.
 */
export type Erasure = { id: string; client_id: string; code_name: string; first_session: string | null; last_session: string | null; retention_end: string | null; 
/**
 * Erased before the end of the retention (with the reason given).
 */
early: boolean; reason: string; 
/**
 * UTC, RFC 3339.
 */
erased_at: string; 
/**
 * The computer's name.
 */
erased_by: string; 
/**
 * The client stayed as its code name because invoices are still inside their retention.
 */
pseudonymised: boolean }
/**
 * What one erasure did.
 */
export type ErasureReport = { erasure: Erasure; rows_removed: number; 
/**
 * Rows kept (without their text) because invoices inside their retention refer to them.
 */
rows_kept: number; segments_rewritten: number; snapshots_removed: number; snapshot: string | null }
export type ExportFormat = "pdf" | "xlsx"
export type ExportOutcome = "saved" | 
/**
 * The window cancelled the export before it was written: no file was made or changed.
 */
"cancelled"
/**
 * A service's fee schedule as a form holds it: points and multiplier as typed ("2,3").
 */
export type FeeForm = { schedule: FeeSchedule; number: string; 
/**
 * Empty: the catalogue item's points (GOÄ items Tresor ships, e.g. "870").
 */
points: string; 
/**
 * Empty: the item's usual rate (2,3).
 */
multiplier: string }
/**
 * What a fee under a schedule comes to, as the core computes it (the window computes no money).
 */
export type FeePreview = { 
/**
 * The fee to save with the service (catalogue points and usual rate filled in).
 */
fee: ServiceFee; 
/**
 * points × point value × multiplier; `None` under a schedule without points (typed price).
 */
price: Cents | null; 
/**
 * The multiplier as the practice writes it ("2,3").
 */
multiplier: string; 
/**
 * The catalogue item's designation (§ 12 GOÄ), when Tresor ships the item.
 */
text: string }
/**
 * Which fee schedule a service is billed under (§ 12 GOÄ asks for number, multiplier and
 * reason on German private invoices; the catalogue of items is `billing::fees`).
 */
export type FeeSchedule = 
/**
 * A fee of its own (Austria, self-payers, coaching).
 */
"none" | 
/**
 * GOÄ, as the GOP applies it to psychotherapists: points × point value × multiplier.
 */
"goae" | 
/**
 * An analog item of the 2024 joint recommendation (BÄK, BPtK, PKV-Verband, Beihilfe),
 * billed "entsprechend" a GOÄ item (§ 6 Abs. 2 GOÄ), printed as "A 812".
 */
"analog" | 
/**
 * Gebührenverzeichnis für Heilpraktiker: a number and a typed amount, no multiplier.
 */
"gebueh"
/**
 * A field an error names; serialised as its snake_case name (`"bill_to_email"`).
 */
export type Field = "amount" | "appointment" | "approved_sessions" | "bank" | "bic" | "bill_to" | "bill_to_country" | "bill_to_email" | "bill_to_vat_id" | "birth_date" | "buyer_city" | "buyer_email" | "buyer_name" | "buyer_postal_code" | "buyer_reference" | "city" | "clients" | "code" | "code_name" | "count" | "country" | "currency" | "date" | "description" | "diagnosis_code" | "diagnosis_text" | "dunning_days" | "dunning_fees" | "dunning_levels" | "dunning_texts" | "email" | "except" | "family_name" | "fee" | "fee_agreement_date" | "fee_multiplier" | "fee_number" | "fee_points" | "fee_reason" | "fee_schedule" | "from" | "given_name" | "group_size" | "guardian" | "guardian_email" | "guardian_vat_id" | "holiday_region" | "hours_friday" | "hours_monday" | "hours_saturday" | "hours_sunday" | "hours_thursday" | "hours_tuesday" | "hours_wednesday" | "iban" | "id" | "insurance_kind" | "insurance_number" | "insured_name" | "insured_number" | "insurer" | "interval" | "invoice_closing" | "invoice_intro" | "kind" | "language" | "level" | "line_kind" | "logo" | "medical_exam_date" | "method" | "minors_age" | "minutes" | "month" | "name" | "no_show_fee" | "note" | "note_lifetime" | "notes" | "number_format" | "number_format_from" | "password" | "payer" | "payment" | "payment_days" | "phone" | "postal_code" | "practice_name" | "practitioner_name" | "price" | "profession" | "quantity" | "reason" | "recurrence" | "registration_number" | "retention_years" | "salutation" | "service" | "setting" | "size" | "sort" | "split_country" | "split_email" | "split_name" | "split_share" | "split_vat_id" | "start" | "status" | "street" | "tax" | "tax_adviser" | "tax_mode" | "tax_number" | "tax_rate" | "time_zone" | "title" | "to" | "treatment_method" | "until" | "vat_id" | "video_link" | "working_hours" | "year"
export type FieldChoice = { field: Field; required: boolean }
/**
 * Why a field was rejected. Kept as an enum so the UI can phrase each case itself.
 */
export type FieldProblem = "required" | "too_short" | "too_long" | "bad_format" | "bad_date" | "check_digit" | "out_of_range" | "unknown_value" | "not_allowed" | 
/**
 * A date after today where only today or the past make sense (an issue date, a payment).
 */
"in_future"
/**
 * The figures as the window shows them, in the requested language.
 */
export type FigureTexts = { invoiced: string; received: string; sessions: string; hours: string; no_shows: string; 
/**
 * "8,3 %"; "–" when there was nothing to miss.
 */
no_show_rate: string }
/**
 * One line's figures. Money is `None` where the stored amounts do not add up within range.
 */
export type Figures = { 
/**
 * Gross of the invoices issued in the period; a Storno counts negative.
 */
invoiced: Cents | null; 
/**
 * Payments received in the period.
 */
received: Cents | null; sessions: number; minutes: number; 
/**
 * Appointments marked as missed (no-show).
 */
no_shows: number; 
/**
 * Missed appointments per session held or missed, in basis points; `None` when neither.
 */
no_show_bp: number | null }
/**
 * How many invoices each filter holds (for the text typed).
 */
export type FilterCount = { filter: InvoiceFilter; count: number }
/**
 * What a folder the user picked is, before anything is done with it.
 */
export type FolderCheck = { path: string; exists: boolean; 
/**
 * Missing or without any entry: a move or a restore may go there.
 */
empty: boolean; has_vault: boolean; cloud: CloudKind | null }
export type FolderStatus = { has_vault: boolean }
export type ForeignKind = 
/**
 * A copy of `vault.key` (by name or by content): the password was changed on two computers
 * at once, or a copy arrived twice. `same_as_current` tells which.
 */
"header_conflict" | 
/**
 * A conflict copy of a change segment: it is read and merged like any other segment.
 */
"segment_conflict" | 
/**
 * A conflict copy of a snapshot or lease: harmless, shown so the user may tidy up.
 */
"other_conflict" | 
/**
 * Our temp file from an interrupted write.
 */
"leftover_temp" | 
/**
 * A cloud drive's placeholder for a file not downloaded yet (iCloud's `.name.icloud`,
 * Nextcloud's `name.nextcloud`): read once it has arrived.
 */
"in_transit" | 
/**
 * A symbolic link: never followed, so it can lead nowhere outside or around the folder.
 */
"link" | 
/**
 * A folder, pipe or device where one of Tresor's files belongs (e.g. a folder `vault.key`).
 */
"not_a_file" | 
/**
 * Not written by Tresor at all (a folder of that kind is reported once, not walked).
 */
"unknown"
/**
 * A file a sync client (or a person) left in the data folder, as the core classified it.
 */
export type ForeignView = { shown: string; kind: ForeignKind; same_as_current: boolean | null; needs_user: boolean }
export type Frequency = { freq: "weekly"; interval: number } | { freq: "monthly"; interval: number }
/**
 * One public holiday: its date and its German and English name.
 */
export type Holiday = { date: string; name_de: string; name_en: string }
/**
 * A Bundesland the practice may choose for its holidays: its code (`AT-9`) and name.
 */
export type HolidayRegion = { code: string; name: string }
/**
 * What an import brings in (`ImportKind` in the TypeScript bindings).
 */
export type ImportKind = "clients" | "services" | "appointments" | "sessions"
/**
 * What the user chose besides the file.
 */
export type ImportOptions = { 
/**
 * Field → column; `None` takes the proposal (remembered, else guessed from the headers).
 */
mapping: Partial<{ [key in string]: string }> | null; 
/**
 * Import rows found to be duplicates too (else they are reported and skipped).
 */
duplicates: boolean }
/**
 * Why a row cannot be imported. `Invalid` comes with the field and its [`Problem`].
 * (`ImportReason` in the TypeScript bindings.)
 */
export type ImportReason = "invalid" | 
/**
 * No client of the practice has this name (and birth date).
 */
"no_such_client" | 
/**
 * Several clients have this name: a birth date column tells them apart.
 */
"ambiguous_client" | "no_such_service" | "ambiguous_service"
/**
 * What an import did.
 */
export type ImportReport = { imported: number; 
/**
 * Duplicates left out (0 when the user asked to import them).
 */
skipped_duplicates: number; rejected_rows: number; 
/**
 * The dry run the import carried out.
 */
preview: Preview }
/**
 * Which kind of insurer a client's insurance number belongs to: it decides which check the
 * number gets (an Austrian SVNR, a German KVNR, or none for a private insurer's own numbers).
 */
export type InsuranceKind = 
/**
 * Not said (records from before kinds existed): judged by the practice's country.
 */
"unspecified" | 
/**
 * ÖGK, BVAEB, SVS: the number is an SVNR.
 */
"at_statutory" | 
/**
 * A German Krankenkasse: the number is a KVNR.
 */
"de_statutory" | 
/**
 * A private insurer, in either country: its own numbers.
 */
"private"
/**
 * What can be done with the invoice now (the core's rules, so the page offers no button the
 * core would refuse).
 */
export type InvoiceActions = { edit: boolean; issue: boolean; pay: boolean; write_off: boolean; cancel: boolean; 
/**
 * The level of the dunning letter due today, if one is.
 */
dun: number | null; honorarnote: boolean }
/**
 * Which invoices the list shows.
 */
export type InvoiceFilter = "all" | "drafts" | 
/**
 * Issued, live and not settled (overdue ones included).
 */
"open" | "overdue" | "paid" | 
/**
 * Cancelled invoices and the Stornos that cancel them.
 */
"cancelled" | "written_off"
export type InvoiceId = string
export type InvoiceKind = "invoice" | 
/**
 * A Stornorechnung: the negated copy of an issued invoice, referencing it.
 */
"cancellation"
export type InvoiceLineId = string
/**
 * One page of the list, the number of rows in all, their sums and each filter's count.
 */
export type InvoiceList = { items: InvoiceRow[]; total: number; 
/**
 * The gross amounts of all rows the filter admits (Stornos count negative); `None` when
 * they cannot be added up within range.
 */
gross: Cents | null; 
/**
 * What is still owed on them.
 */
due: Cents | null; counts: FilterCount[] }
export type InvoiceListQuery = { filter?: InvoiceFilter; 
/**
 * Part of a number, a client's or recipient's name, or an amount as typed ("90", "1.234,56").
 */
text?: string; sort?: InvoiceSort; 
/**
 * Reverses the sort.
 */
reverse?: boolean; client?: ClientId | null; offset: number; limit: number }
/**
 * A row of the invoice list: the summary and the client's name.
 */
export type InvoiceRow = { invoice: InvoiceSummary; client_name: string }
export type InvoiceSort = 
/**
 * Drafts first, then the newest number (the core's list order).
 */
"number" | "issue_date" | "due_date" | "client" | "amount" | "due"
export type InvoiceStatus = "draft" | "open" | "partly_paid" | "paid" | "cancelled" | "written_off" | 
/**
 * Issued and live, but its stored amounts do not add up within range, so whether it is
 * paid cannot be said.
 */
"not_computable"
/**
 * A row of the invoice list.
 */
export type InvoiceSummary = { id: InvoiceId; client_id: ClientId; kind: InvoiceKind; number: string | null; issue_date: string | null; due_date: string | null; recipient: string; gross: Cents; balance: Balance }
/**
 * An invoice's own texts: above its lines ('' prints the built-in sentence) and at its end.
 */
export type InvoiceTexts = { intro: string; closing: string }
/**
 * One invoice as its page shows it.
 */
export type InvoiceView = { id: InvoiceId; client_id: ClientId; client_name: string; kind: InvoiceKind; number: string | null; issue_date: string | null; due_date: string | null; period_from: string; period_to: string; payer_name: string; 
/**
 * client, guardian, insurer or other.
 */
payer_role: string; 
/**
 * Who else this draft can go to (the client record's payers, the current one included);
 * empty once issued and for a share of a split bill.
 */
payer_choices: PayerChoice[]; lines: LineView[]; net: Cents; tax: Cents; gross: Cents; balance: Balance; payments: PaymentView[]; letters: LetterView[]; write_off_reason: string | null; 
/**
 * The Storno that cancels this invoice, or the invoice this Storno cancels.
 */
cancelled_by: string | null; cancels: string | null; 
/**
 * The texts above and below the lines (a draft's can be changed).
 */
texts: InvoiceTexts; actions: InvoiceActions }
/**
 * A civil date on the wire (`2026-11-22`), as jiff writes and reads it.
 */
export type Iso = string
export type JsonValue = null | boolean | number | string | JsonValue[] | Partial<{ [key in string]: JsonValue }>
export type Language = "de" | "en"
export type LastBackup = { vault_id: string; 
/**
 * `2026-11-22T18:00:00Z`.
 */
at: string; path: string }
export type Lease = { device: string; name: string; opened_at: string; heartbeat: string }
export type LetterView = { id: DunningLetterId; level: number; date: string; due_date: string; fee: Cents }
/**
 * One line of an invoice as its page lists it.
 */
export type LineView = { id: InvoiceLineId; kind: string; date: string | null; description: string; minutes: number | null; quantity: number; unit: Cents; amount: Cents; 
/**
 * A GOÄ or analog item: its number and multiplier as the practice writes it ("2,3").
 */
fee_number: string | null; multiplier: string | null; fee_reason: string; 
/**
 * Whether the multiplier can be changed here (a draft, not a split bill, a points item).
 */
multiplier_editable: boolean }
/**
 * The letterhead logo: its size in pixels and the PNG as a `data:` URL for the preview (the
 * CSP allows `data:` images, and the file never has to be served from disk).
 */
export type LogoInfo = { width: number; height: number; data_url: string }
/**
 * Every draft of the month, and the clients whose bill could not even be drafted.
 */
export type MonthPreview = { month: string; drafts: DraftPreview[]; skipped: SkippedClient[]; gross: Cents | null }
/**
 * One month of the year: sessions, money and appointments.
 */
export type MonthStats = { period: Period; 
/**
 * Gross of the invoices issued that month (a Storno negative); `None` when the stored
 * amounts do not add up within range.
 */
invoiced: Cents | null; received: Cents | null; appointments: number; no_shows: number; cancellations: number }
/**
 * How far a move is: the step, and the files and bytes of that step done before the current file.
 */
export type MoveProgress = { step: Step; files_done: number; files: number; bytes_done: number; bytes: number }
export type Moved = { path: string; files: number; bytes: number; 
/**
 * Entries that were neither files nor folders (links, pipes) and stayed where they were.
 */
skipped: string[] }
/**
 * A GOÄ multiplier (Steigerungssatz) in hundredths: 230 is the 2,3-fold rate. An integer, so
 * no float touches a fee.
 */
export type Multiplier = number
/**
 * How reports name clients.
 */
export type Names = 
/**
 * The client's name as in the client list.
 */
"full" | 
/**
 * The client's code name, or `K-` and the end of the record id where none was given: what a
 * tax adviser or a supervision group may see.
 */
"coded"
export type NoteRevision = { id: NoteRevisionId; session_id: SessionId; body: string; created: string; device: string }
export type NoteRevisionId = string
/**
 * An overdue invoice with its client's name.
 */
export type OverdueItem = { invoice: InvoiceSummary; client_name: string }
/**
 * A person or body other than the client: guardian, bill-to party, insurer.
 */
export type Party = { name: string; street: string; postal_code: string; city: string; country: string; email: string; 
/**
 * The recipient's UID (AT § 11 Abs. 1 Z 3 lit. j UStG, needed above 10,000 €).
 */
vat_id: string; 
/**
 * A business rather than a consumer (decides the recipient's UID and, in Germany, the
 * consumer notice of § 286 Abs. 3 BGB).
 */
business: boolean; 
/**
 * The opening of a letter to them ("Sehr geehrte Frau Kind,"); a neutral one when empty.
 */
salutation: string }
/**
 * A payer a draft can be sent to, with the name the invoice would print.
 */
export type PayerChoice = { 
/**
 * client, guardian, insurer or other.
 */
role: string; name: string }
export type PaymentId = string
/**
 * One payment received.
 */
export type PaymentLine = { date: string; date_text: string; invoice: string; client: string; amount: Cents; amount_text: string; method: string }
export type PaymentList = { period: string; 
/**
 * Oldest first.
 */
payments: PaymentLine[]; total: Cents | null; total_text: string }
export type PaymentView = { id: PaymentId; date: string; amount: Cents; method: string }
/**
 * Sessions and their minutes in one week, month or year.
 */
export type Period = { 
/**
 * `2026-W03`, `2026-01` or `2026`.
 */
key: string; 
/**
 * The period's first day (a week's Monday).
 */
start: string; sessions: number; minutes: number }
export type Practice = { id: PracticeId; practitioner_name: string; title: string; profession: string; registration_number: string; practice_name: string; street: string; postal_code: string; city: string; country: Country; phone: string; email: string; 
/**
 * Steuernummer.
 */
tax_number: string; 
/**
 * UID (AT) / USt-IdNr. (DE).
 */
vat_id: string; iban: string; bic: string; bank: string; currency: string; time_zone: string; language: Language; 
/**
 * Kleinunternehmer (AT § 6 Abs. 1 Z 27, DE § 19 UStG): no VAT on any invoice.
 */
small_business: boolean; 
/**
 * The Bundesland whose own holidays the calendar shades (`AT-9`, `DE-BY`); '' for none.
 */
holiday_region: string; 
/**
 * The practice's tax adviser, name and address on one line ('' for none): named in a
 * client's Art. 15 file as a recipient of invoice data.
 */
tax_adviser: string; 
/**
 * When the practice usually works; the calendar shades the rest.
 */
working_hours: WorkingHours }
export type PracticeId = string
/**
 * A partial change: `None` leaves a field as it is.
 */
export type PracticeUpdate = { practitioner_name: string | null; title: string | null; profession: string | null; registration_number: string | null; practice_name: string | null; street: string | null; postal_code: string | null; city: string | null; country: string | null; phone: string | null; email: string | null; tax_number: string | null; vat_id: string | null; iban: string | null; bic: string | null; bank: string | null; currency: string | null; time_zone: string | null; language: string | null; small_business: boolean | null; holiday_region?: string | null; tax_adviser?: string | null; 
/**
 * All seven days at once (the form shows them together).
 */
working_hours?: WorkingHours | null }
/**
 * The dry run: what would be imported, what would be skipped as a duplicate, and every row that
 * cannot be, with why.
 */
export type Preview = { kind: ImportKind; 
/**
 * The file's column headers, in order.
 */
columns: string[]; 
/**
 * The fields of this kind, each with whether a row needs it.
 */
fields: FieldChoice[]; 
/**
 * The mapping this preview used.
 */
mapping: Partial<{ [key in string]: string }>; 
/**
 * Data rows read (empty lines not counted).
 */
rows: number; ready: ReadyRow[]; 
/**
 * Rows that match a record already there (or an earlier row of the file).
 */
duplicates: ReadyRow[]; rejected: RowIssue[] }
/**
 * One problem as the Diagnose section lists it.
 */
export type Problem = { 
/**
 * When, in UTC (`2026-11-30T18:02:11Z`).
 */
at: string; 
/**
 * `warn` or `error`.
 */
level: string; 
/**
 * The stable error code (`io.failed`, `shell.background_panic`).
 */
code: string; 
/**
 * What the shell was doing, in English for a support request ("background sync failed").
 */
what: string; 
/**
 * The allow-listed parameters of the error (no paths, names or text).
 */
params: Partial<{ [key in string]: JsonValue }> }
/**
 * A file's columns and the mapping proposed for them: the wizard's mapping step.
 */
export type Proposal = { kind: ImportKind; columns: string[]; fields: FieldChoice[]; 
/**
 * Remembered from the last import of this kind where its columns exist, else guessed.
 */
mapping: Partial<{ [key in string]: string }>; 
/**
 * Data rows in the file.
 */
rows: number }
/**
 * How often appointments were missed or cancelled in the year.
 */
export type Rates = { 
/**
 * Appointments of the year, whatever became of them.
 */
appointments: number; no_shows: number; cancellations: number; 
/**
 * No-shows per session held or missed, in basis points (as the Reports screen counts).
 */
no_show_bp: number | null; 
/**
 * Cancelled appointments per appointment, in basis points.
 */
cancellation_bp: number | null }
/**
 * A row as it would be saved, in short: who or what, and its date, time, length and amount.
 */
export type ReadyRow = { row: number; 
/**
 * The client's or the service's name.
 */
label: string; 
/**
 * A client's birth date; an appointment's or a session's date.
 */
date: string | null; 
/**
 * An appointment's local start, `HH:MM`.
 */
time: string | null; minutes: number | null; 
/**
 * A service's price or a session's fee.
 */
amount: Cents | null }
export type Recurrence = { frequency: Frequency; end: SeriesEnd; 
/**
 * Local dates on which the series does not take place (holidays, cancellations).
 */
exceptions?: string[] }
/**
 * This computer's choice (kept with its other preferences, not in the practice's data: one
 * computer may sit in a shared room, another at home).
 */
export type ReminderPrefs = { appointments: boolean; minutes_before: number; overdue_invoices: boolean; 
/**
 * "Den Namen der Klient*in in Benachrichtigungen zeigen": off unless the user turns it on.
 */
show_names: boolean }
/**
 * Which report to export.
 */
export type ReportKind = 
/**
 * Per month: invoiced, received, open (Umsatzübersicht).
 */
"revenue" | 
/**
 * The invoice journal for the tax adviser (Rechnungsausgangsbuch).
 */
"journal" | 
/**
 * Every session of the period (Sitzungsprotokoll).
 */
"protocol"
export type ReportLine = { 
/**
 * "Jänner 2026" for a month, the client's name or code name for a client, "Summe" for the total.
 */
label: string; figures: Figures; text: FigureTexts }
export type ReportView = { 
/**
 * The period, widened to whole months.
 */
from: string; to: string; 
/**
 * "01.01.2026 – 31.12.2026".
 */
period: string; months: ReportLine[]; 
/**
 * Every client with a session, a missed appointment, an invoice or a payment in the period,
 * by label.
 */
clients: ReportLine[]; total: ReportLine }
/**
 * How far a restore or the first working copy is: bytes written of the backup's or the
 * snapshot's size.
 */
export type RestoreProgress = { done: number; total: number }
/**
 * A client's retention ends: each the first day on which nothing obliges keeping it any more.
 */
export type RetentionEnds = { documentation: string | null; invoices: string | null }
/**
 * One client's retention as the list and the client page show it.
 */
export type RetentionItem = { client_id: ClientId; name: string; code_name: string; restricted: boolean; last_session: string | null; ends: RetentionEnds; 
/**
 * The later end; `None` when nothing must be kept.
 */
end: string | null; 
/**
 * The end has come: the client may be erased without a reason.
 */
due: boolean }
/**
 * The practice's retention settings.
 */
export type RetentionPolicy = { 
/**
 * Years documentation is kept after the last session.
 */
years: number; 
/**
 * A minor's documentation is kept at least until this age plus `years`.
 */
minors_age: number }
/**
 * One reason a row is not imported; a row may have several.
 */
export type RowIssue = { 
/**
 * The row number a spreadsheet program shows (the header is row 1).
 */
row: number; field: Field; reason: ImportReason; problem: FieldProblem | null }
/**
 * One invoice the run issued.
 */
export type RunIssued = { id: InvoiceId; number: string; client_id: ClientId; gross: Cents }
/**
 * What a finished run issued, and its sum.
 */
export type RunOutcome = { issued: RunIssued[]; gross: Cents | null }
/**
 * Why a draft cannot be issued (a core error as code and parameters), or a note worth reading.
 */
export type RunProblem = { code: string; params: Partial<{ [key in string]: JsonValue }> }
export type SearchResults = { clients: ClientHit[]; sessions: SessionHit[]; session_total: CappedCount }
/**
 * What the user typed to unlock.
 */
export type Secret = { kind: "password"; value: string } | { kind: "recovery_key"; value: string }
export type SeriesCreated = { series_id: SeriesId; appointment_ids: AppointmentId[] }
export type SeriesEnd = { until: string } | { count: number }
export type SeriesId = string
export type SeriesInput = { first: AppointmentInput; recurrence: Recurrence }
/**
 * Which appointments of a series a change applies to. For an appointment outside a series every
 * scope means "this one".
 */
export type SeriesScope = 
/**
 * Only this appointment.
 */
"only" | 
/**
 * This one and every later one of its series.
 */
"following" | 
/**
 * Every appointment of its series.
 */
"all"
export type Service = ({ name: string; code?: string; minutes: number; 
/**
 * The price; under GOÄ and analog items computed from points and multiplier.
 */
price: Cents; tax: TaxMode; fee?: ServiceFee; 
/**
 * Retired: kept for the sessions and invoices that used it, not offered for new ones.
 */
retired?: boolean }) & { id: ServiceId; stamps: Stamps }
/**
 * How a service is billed under a fee schedule. `number` is the Gebührenziffer as printed
 * ("870", "A 812", "19.1"); `points` and `multiplier` are used by GOÄ and analog items only.
 */
export type ServiceFee = { schedule: FeeSchedule; number: string; points: number; multiplier: Multiplier }
export type ServiceId = string
export type ServiceInput = { name: string; code?: string; minutes: number; 
/**
 * The price; under GOÄ and analog items computed from points and multiplier.
 */
price: Cents; tax: TaxMode; fee?: ServiceFee; 
/**
 * Retired: kept for the sessions and invoices that used it, not offered for new ones.
 */
retired?: boolean }
export type Session = { id: SessionId; client_id: ClientId; appointment_id: AppointmentId | null; service_id: ServiceId | null; date: string; minutes: number; fee: Cents; setting: Setting; 
/**
 * Participants of a group session (printed on the ÖGK form).
 */
group_size: number | null; 
/**
 * The newest documentation text ("" when none yet).
 */
note: string; stamps: Stamps }
export type SessionHit = { session_id: SessionId; client_id: ClientId; client_name: string; date: string; snippet: SnippetPart[] }
export type SessionId = string
/**
 * What the user enters for a session. Missing minutes and fee come from the service.
 */
export type SessionInput = { client_id: ClientId; appointment_id?: AppointmentId | null; service_id?: ServiceId | null; date: string; minutes?: number | null; fee?: Cents | null; setting?: Setting | null; 
/**
 * Participants of a group session; implies the group setting.
 */
group_size?: number | null; note?: string }
/**
 * A session with its client's name (Today's lists).
 */
export type SessionItem = { session: Session; client_name: string }
export type Setting = "individual" | "group"
export type Settings = { last_data_folder: string | null; 
/**
 * "de" or "en"; `None` until the user picks one (the UI then follows the OS).
 */
language: Language | null; idle_minutes: number; 
/**
 * The backup schedule (Settings → Backups); `None`: backups only by hand.
 */
backup: BackupSchedule | null; 
/**
 * The last backup that was written and checked, for Settings and Today.
 */
last_backup: LastBackup | null; 
/**
 * Which notifications this computer shows (`reminders.rs`); a notification is seen on a lock
 * screen, so each computer decides for itself.
 */
reminders: ReminderPrefs; 
/**
 * The local day the overdue invoices were last checked (`2026-11-22`), so they are announced
 * once a day, also across restarts.
 */
reminders_checked_on: string | null }
/**
 * Which of a conflict's two values a person took.
 */
export type Side = 
/**
 * The value the record holds: the newer change.
 */
"kept" | 
/**
 * The value of the older, concurrent change.
 */
"other"
export type SkippedClient = { client_id: ClientId; client_name: string; problem: RunProblem }
export type SnippetPart = { text: string; hit: boolean }
/**
 * A record's lifecycle stamps, read from its hybrid-logical-clock columns.
 */
export type Stamps = { created: string; updated: string; device: string }
export type Statistics = { year: number; 
/**
 * Every ISO week of the year (52 or 53), empty ones too.
 */
weeks: Period[]; months: MonthStats[]; 
/**
 * Every year from the first session to the last (or just `year` without sessions).
 */
years: Period[]; rates: Rates; 
/**
 * Clients with a session, by label; only the one asked for with `client`.
 */
clients: ClientStats[] }
/**
 * The steps of a move, for progress reports and for tests that interrupt each one.
 */
export type Step = "copy" | "verify" | "remove_old"
/**
 * What the sidebar shows about the data folder: other computers that have the vault open (with
 * their last heartbeat), how many things in the folder want the user's attention, files still
 * on their way, and a background problem in words.
 */
export type SyncState = { 
/**
 * Rows changed here by the last merge (0 when this is only a status read).
 */
changed: number; others_open: Lease[]; 
/**
 * What needs the user: a differing copy of `vault.key`, invoices two computers billed.
 */
attention: number; 
/**
 * Files listed in the data folder but not readable yet (a cloud drive still downloading);
 * the next round tries again. Needs nothing from the user.
 */
in_transit: number; 
/**
 * Open conflicts from the field-level merge (both values kept; the conflicts screen).
 */
conflicts: number; 
/**
 * The last background round failed or broke off: its error code and parameters.
 */
problem: ApiError | null; 
/**
 * The data folder cannot be reached (not mounted, offline): the vault was opened from this
 * computer's copy of `vault.key` or lost the folder since; what is typed is saved here and
 * synced once the folder is back ("desktop.working_locally").
 */
working_locally: boolean; 
/**
 * The data folder's `vault.key` is older than this computer's copy ("desktop.folder_key_older").
 */
folder_key_older: boolean }
/**
 * Everything a screen needs to offer tax modes: the one answer for the CLI and the app.
 */
export type TaxChoices = { allowed: TaxMode[]; default: TaxMode; fee_schedules: FeeSchedule[] }
/**
 * How a service is taxed; the billing module prints the matching legal note.
 */
export type TaxMode = 
/**
 * § 6 Abs. 1 Z 19 UStG (AT): health care by psychotherapists and similar professions.
 */
{ mode: "at_exempt" } | 
/**
 * § 6 Abs. 1 Z 27 UStG (AT): small-business exemption.
 */
{ mode: "at_small_business" } | 
/**
 * § 4 Nr. 14 UStG (DE): heilberufliche Leistungen.
 */
{ mode: "de_exempt" } | 
/**
 * § 19 UStG (DE): Kleinunternehmerregelung.
 */
{ mode: "de_small_business" } | 
/**
 * Taxable at a rate in basis points (2000 = 20 %), e.g. coaching or supervision.
 */
{ mode: "taxable"; rate_bp: number }
/**
 * The Today page: what is planned and what is left to settle, each list capped at
 * [`TODAY_LIMIT`] with its full count beside it.
 */
export type TodayOverview = { today: string; tomorrow: string; today_items: CalendarItem[]; tomorrow_items: CalendarItem[]; holiday_today: Holiday | null; 
/**
 * Appointments that are over but still planned: held (or missed) and not yet recorded.
 */
unrecorded: CalendarItem[]; 
/**
 * Recorded sessions without documentation.
 */
undocumented: SessionItem[]; undocumented_total: number; 
/**
 * Sessions on no invoice yet.
 */
unbilled: SessionItem[]; unbilled_total: number; overdue: OverdueItem[]; 
/**
 * Open conflicts between two computers' changes.
 */
open_conflicts: number }
/**
 * One client's unbilled sessions (live, on no live invoice), summed.
 */
export type UnbilledClient = { client_id: ClientId; name: string; sessions: number; 
/**
 * The sessions' fees; `None` when the stored fees cannot be added up within range.
 */
total: Cents | null; first: string; last: string }
export type VaultInfo = { id: string; data_folder: string; device: string }
/**
 * When the practice usually works. `days` has seven entries, Monday first; `None` is a day off.
 */
export type WorkingHours = { days: (DaySpan | null)[] }
