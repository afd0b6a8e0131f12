// The one door to the shell: every `invoke` of the app goes through here, typed. Errors arrive
// as `{ code, params }` (the core's stable codes); `i18n.errorText` turns them into a sentence.

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import { makeCommands } from './bindings';

export type Iso = string; // `2026-11-22`
export type Instant = string; // `2026-11-22T08:00:00Z`
export type Uuid = string;

export interface ApiError {
  code: string;
  params: Record<string, unknown>;
}

export function isApiError(e: unknown): e is ApiError {
  return typeof e === 'object' && e !== null && typeof (e as ApiError).code === 'string';
}

/** Anything thrown that is not the shell's `{code, params}` (a bug, a broken IPC) becomes one. */
export function asApiError(e: unknown): ApiError {
  if (isApiError(e)) return { code: e.code, params: e.params ?? {} };
  return { code: 'ipc.failed', params: {} };
}

// The wire types, generated from the shell's Rust types (bindings.ts). Names the screens used
// before the generation are kept as aliases.
export type {
  Appointment,
  AppointmentInput,
  AppointmentKind,
  AppointmentStatus,
  Balance,
  ClientHit,
  ClientPage,
  ClientSort,
  ClientStatus,
  ClientSummary,
  ClientTimeline,
  Country,
  Diagnosis,
  InvoiceSummary,
  Language,
  Lease,
  LogoInfo,
  NoteRevision,
  Practice,
  Recurrence,
  SearchResults,
  Secret,
  SeriesInput,
  ServiceInput,
  Session,
  SessionHit,
  SessionInput,
  Setting,
  Settings,
  SnippetPart,
  Stamps,
  TaxChoices,
  TaxMode,
  VaultInfo,
  AppState,
  Problem,
  BackupDone,
  BackupSchedule,
  ClashView,
  CloudKind,
  ConflictSide,
  ConflictView,
  DataFolderInfo,
  DeviceView,
  FolderCheck,
  ForeignKind,
  ForeignView,
  LastBackup,
  MoveProgress,
  Moved,
  Side,
  // billing
  DocKind,
  DraftPreview,
  FilterCount,
  InvoiceFilter,
  InvoiceKind,
  InvoiceListQuery,
  InvoiceList,
  InvoiceRow,
  InvoiceSort,
  InvoiceStatus,
  InvoiceView,
  LineView,
  MonthPreview,
  RunOutcome,
  RunProblem,
  UnbilledClient,
  ClientBilling,
  ClientPayment,
} from './bindings';
import type * as Wire from './bindings';
import type {
  ClientQuery as WireClientQuery,
  Language,
  PracticeUpdate as WirePracticeUpdate,
} from './bindings';
// The wrappers cast an argument only where the Rust type fills in what is left out
// (`#[serde(default)]`), so a field the window does not send yet arrives as its default.

/** Fields the shell fills in when the window leaves them out (the core's defaults). */
type Defaulted<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

/** Client fields the window does not edit yet (the CLI does); left out, they stay empty. */
type NotInForm =
  | 'insurance_kind'
  | 'insured_name'
  | 'insured_number'
  | 'medical_exam_date'
  | 'treatment_method'
  | 'fee_agreement_date'
  | 'salutation'
  | 'approved_sessions';
export type ClientInput = Omit<Defaulted<Wire.ClientInput, NotInForm>, 'guardian' | 'bill_to'> & {
  guardian: Party | null;
  bill_to: Party | null;
};
export type Client = Wire.Client;
export type Party = Defaulted<Wire.Party, 'vat_id' | 'business' | 'salutation'>;
/** What the shell sends always has every field. */
export type Service = Required<Wire.Service>;
export type SyncState = Omit<Wire.SyncState, 'problem'> & { problem: ApiError | null };

/** Every field may be left out; the shell fills in the defaults. */
export type ClientQuery = Partial<WireClientQuery>;
/** A partial change; a missing field stays as it is. Values are what the user typed. */
export type PracticeUpdate = Partial<WirePracticeUpdate>;

export type LockReason = 'idle' | 'sleep' | 'screen_lock';

/** After each invoice of a month-end run (`billing-run-progress`). */
export interface RunProgress {
  done: number;
  total: number;
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw asApiError(e);
  }
}

const commands = makeCommands(call);

export const api = {
  ...commands,
  setLanguage: (language: Language) => commands.setLanguage(language),
  checkClient: (input: ClientInput) =>
    commands.checkClient(input as Wire.ClientInput) as Promise<ClientInput>,
  addClient: (input: ClientInput) => commands.addClient(input as Wire.ClientInput),
  updateClient: (id: Wire.ClientId, input: ClientInput) =>
    commands.updateClient(id, input as Wire.ClientInput),
  services: () => commands.services() as Promise<Service[]>,
  syncStatus: () => commands.syncStatus() as Promise<SyncState>,
  renameDevice: (name: string) => commands.renameDevice(name),
  clients: (query: ClientQuery) => commands.clients(query as WireClientQuery),
  updatePractice: (change: PracticeUpdate) => commands.updatePractice(change as WirePracticeUpdate),
  searchClients: (query: string, limit = 200) => commands.searchClients(query, limit),
  search: (query: string, limit = 20) => commands.search(query, limit),
};

export type Api = typeof api;

/** Events the shell sends to the window. */
export const events = {
  onLockRequested: (f: (reason: LockReason) => void): Promise<UnlistenFn> =>
    listen<LockReason>('lock-requested', (e) => f(e.payload)),
  onLocked: (f: (reason: LockReason) => void): Promise<UnlistenFn> =>
    listen<LockReason>('locked', (e) => f(e.payload)),
  onCloseRequested: (f: () => void): Promise<UnlistenFn> => listen('close-requested', () => f()),
  onSynced: (f: (s: SyncState) => void): Promise<UnlistenFn> =>
    listen<SyncState>('synced', (e) => f(e.payload)),
  onSyncProblem: (f: (e: ApiError) => void): Promise<UnlistenFn> =>
    listen<ApiError>('sync-problem', (e) => f(e.payload)),
  onFolderProgress: (f: (p: Wire.MoveProgress) => void): Promise<UnlistenFn> =>
    listen<Wire.MoveProgress>('folder-progress', (e) => f(e.payload)),
  onRestoreProgress: (f: (p: Wire.RestoreProgress) => void): Promise<UnlistenFn> =>
    listen<Wire.RestoreProgress>('restore-progress', (e) => f(e.payload)),
  onBuildProgress: (f: (p: Wire.RestoreProgress) => void): Promise<UnlistenFn> =>
    listen<Wire.RestoreProgress>('build-progress', (e) => f(e.payload)),
  onRunProgress: (f: (p: RunProgress) => void): Promise<UnlistenFn> =>
    listen<RunProgress>('billing-run-progress', (e) => f(e.payload)),
};
