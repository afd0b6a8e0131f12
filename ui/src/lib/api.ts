// The one door to the shell: every `invoke` of the app goes through here, typed. Errors arrive
// as `{ code, params }` (the core's stable codes); `i18n.errorText` turns them into a sentence.

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';

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

export type Country = 'AT' | 'DE';
export type Language = 'de' | 'en';
export type ClientStatus = 'active' | 'closed' | 'restricted';
export type ClientSort = 'name_asc' | 'name_desc' | 'newest_first';
export type AppointmentKind = 'in_person' | 'video' | 'phone';
export type AppointmentStatus = 'planned' | 'done' | 'cancelled' | 'no_show';
export type Setting = 'individual' | 'group';

export interface Settings {
  last_data_folder: string | null;
  language: Language | null;
  idle_minutes: number;
}

export interface AppState {
  unlocked: boolean;
  data_folder: string;
  folder_has_vault: boolean;
  settings: Settings;
  unlock_wait_seconds: number;
}

/** A computer that has the vault open (its lease in the data folder). */
export interface Lease {
  device: string;
  name: string;
  opened_at: string;
  heartbeat: string;
}

/** The data folder as the sidebar shows it, after each sync round. */
export interface SyncState {
  /** Rows another computer's changes altered here in the last round. */
  changed: number;
  others_open: Lease[];
  /** What needs the user: a differing copy of vault.key, invoices two computers billed. */
  attention: number;
  /** Files listed in the data folder but not downloaded yet; retried, nothing to do. */
  in_transit: number;
  /** The last background round failed or broke off (cleared by the next good one). */
  problem: ApiError | null;
}

export interface LogoInfo {
  width: number;
  height: number;
  /** The PNG as a `data:` URL, for the preview. */
  data_url: string;
}

export interface VaultInfo {
  id: string;
  data_folder: string;
  device: string;
}

export interface Stamps {
  created: Instant;
  updated: Instant;
  device: string;
}

export interface Practice {
  id: Uuid;
  practitioner_name: string;
  title: string;
  profession: string;
  registration_number: string;
  practice_name: string;
  street: string;
  postal_code: string;
  city: string;
  country: Country;
  phone: string;
  email: string;
  tax_number: string;
  vat_id: string;
  iban: string;
  bic: string;
  bank: string;
  currency: string;
  time_zone: string;
  language: Language;
  /** Kleinunternehmer*in (§ 6 Abs. 1 Z 27 UStG / § 19 UStG): decides the tax modes allowed. */
  small_business: boolean;
}

/** A partial change; a missing field stays as it is. Values are what the user typed. */
export type PracticeUpdate = Partial<Record<Exclude<keyof Practice, 'id' | 'small_business'>, string>> & {
  small_business?: boolean;
};

export interface Diagnosis {
  code: string;
  text: string;
}

export interface Party {
  name: string;
  street: string;
  postal_code: string;
  city: string;
  country: string;
  email: string;
}

export interface ClientInput {
  given_name: string;
  family_name: string;
  code_name: string;
  birth_date: Iso | null;
  email: string;
  phone: string;
  street: string;
  postal_code: string;
  city: string;
  country: string;
  insurer: string;
  insurance_number: string;
  diagnoses: Diagnosis[];
  guardian: Party | null;
  bill_to: Party | null;
  status: ClientStatus | null;
  notes: string;
  language: Language | null;
}

export interface Client extends ClientInput {
  id: Uuid;
  stamps: Stamps;
}

export interface ClientSummary {
  id: Uuid;
  given_name: string;
  family_name: string;
  code_name: string;
  birth_date: Iso | null;
  status: ClientStatus;
  city: string;
}

export interface ClientQuery {
  status?: ClientStatus | null;
  sort?: ClientSort;
  offset?: number;
  limit?: number;
}

export interface ClientPage {
  items: ClientSummary[];
  total: number;
}

export type TaxMode =
  | { mode: 'at_exempt' }
  | { mode: 'at_small_business' }
  | { mode: 'de_exempt' }
  | { mode: 'de_small_business' }
  | { mode: 'taxable'; rate_bp: number };

export interface ServiceInput {
  name: string;
  code: string;
  minutes: number;
  price: number; // cents
  tax: TaxMode;
}

export interface Service extends ServiceInput {
  id: Uuid;
  stamps: Stamps;
}

export interface Appointment {
  id: Uuid;
  client_id: Uuid;
  service_id: Uuid | null;
  start: Instant;
  end: Instant;
  time_zone: string;
  kind: AppointmentKind;
  video_link: string;
  status: AppointmentStatus;
  series_id: Uuid | null;
  note: string;
  stamps: Stamps;
}

export interface AppointmentInput {
  client_id: Uuid;
  service_id: Uuid | null;
  /** Local wall-clock start in the practice's zone: `2026-11-23T09:00:00`. */
  local_start: string;
  minutes: number;
  kind: AppointmentKind;
  video_link?: string;
  note?: string;
}

export interface Recurrence {
  frequency: { freq: 'weekly' | 'monthly'; interval: number };
  end: { until: Iso } | { count: number };
  exceptions?: Iso[];
}

export interface SeriesInput {
  first: AppointmentInput;
  recurrence: Recurrence;
}

export interface Session {
  id: Uuid;
  client_id: Uuid;
  appointment_id: Uuid | null;
  service_id: Uuid | null;
  date: Iso;
  minutes: number;
  fee: number; // cents
  setting: Setting;
  note: string;
  stamps: Stamps;
}

export interface SessionInput {
  client_id: Uuid;
  appointment_id?: Uuid | null;
  service_id?: Uuid | null;
  date: Iso;
  minutes?: number | null;
  fee?: number | null;
  setting?: Setting | null;
  note?: string;
}

export interface NoteRevision {
  id: Uuid;
  session_id: Uuid;
  body: string;
  created: Instant;
  device: string;
}

export interface ClientTimeline {
  client: Client;
  appointments: Appointment[];
  sessions: Session[];
}

export interface SnippetPart {
  text: string;
  hit: boolean;
}

export interface ClientHit {
  client: ClientSummary;
}

export interface SessionHit {
  session_id: Uuid;
  client_id: Uuid;
  client_name: string;
  date: Iso;
  snippet: SnippetPart[];
}

export interface SearchResults {
  clients: ClientHit[];
  sessions: SessionHit[];
  session_total: { count: number; capped: boolean };
}

export type Secret = { kind: 'password'; value: string } | { kind: 'recovery_key'; value: string };

export type LockReason = 'idle' | 'sleep';

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw asApiError(e);
  }
}

export const api = {
  // the app and the vault's life
  appState: () => call<AppState>('app_state'),
  folderStatus: (folder: string) => call<{ has_vault: boolean }>('folder_status', { folder }),
  createVault: (folder: string, password: string, country: Country) =>
    call<{ recovery_key: string }>('create_vault', { folder, password, country }),
  unlock: (folder: string, secret: Secret) => call<void>('unlock', { folder, secret }),
  lock: () => call<boolean>('lock'),
  activity: () => call<void>('activity'),
  setLanguage: (language: Language) => call<Settings>('set_language', { language }),
  setIdleMinutes: (minutes: number) => call<Settings>('set_idle_minutes', { minutes }),
  pickFolder: (title: string, start: string | null) => call<string | null>('pick_folder', { title, start }),
  pickSaveFile: (title: string, fileName: string) =>
    call<string | null>('pick_save_file', { title, file_name: fileName }),
  pickPngFile: (title: string) => call<string | null>('pick_png_file', { title }),
  parseAmount: (text: string) => call<number>('parse_amount', { text }),
  quit: () => call<void>('quit'),

  // data (refused while locked)
  vaultInfo: () => call<VaultInfo>('vault_info'),
  changePassword: (newPassword: string) => call<void>('change_password', { new_password: newPassword }),
  revealDataFolder: () => call<void>('reveal_data_folder'),
  saveEmergencyKit: (recoveryKey: string, path: string) =>
    call<void>('save_emergency_kit', { recovery_key: recoveryKey, path }),
  revealExport: (path: string) => call<void>('reveal_export', { path }),
  practice: () => call<Practice>('practice'),
  updatePractice: (change: PracticeUpdate) => call<Practice>('update_practice', { change }),
  logo: () => call<LogoInfo | null>('logo'),
  /** Sets the logo from the PNG at `path`, or removes it with `null`. */
  setLogo: (path: string | null) => call<LogoInfo | null>('set_logo', { path }),
  today: () => call<Iso>('today'),
  clients: (query: ClientQuery) => call<ClientPage>('clients', { query }),
  searchClients: (query: string, limit = 200) => call<ClientHit[]>('search_clients', { query, limit }),
  client: (id: Uuid) => call<Client>('client', { id }),
  checkClient: (input: ClientInput) => call<ClientInput>('check_client', { input }),
  addClient: (input: ClientInput) => call<Uuid>('add_client', { input }),
  updateClient: (id: Uuid, input: ClientInput) => call<void>('update_client', { id, input }),
  clientTimeline: (id: Uuid) => call<ClientTimeline>('client_timeline', { id }),
  services: () => call<Service[]>('services'),
  addService: (input: ServiceInput) => call<Uuid>('add_service', { input }),
  updateService: (id: Uuid, input: ServiceInput) => call<void>('update_service', { id, input }),
  deleteService: (id: Uuid) => call<void>('delete_service', { id }),
  addAppointment: (input: AppointmentInput) => call<Uuid>('add_appointment', { input }),
  addSeries: (input: SeriesInput) =>
    call<{ series_id: Uuid; appointment_ids: Uuid[] }>('add_series', { input }),
  setAppointmentStatus: (id: Uuid, status: AppointmentStatus) =>
    call<void>('set_appointment_status', { id, status }),
  appointment: (id: Uuid) => call<Appointment>('appointment', { id }),
  appointmentsBetween: (from: Iso, to: Iso) => call<Appointment[]>('appointments_between', { from, to }),
  addSession: (input: SessionInput) => call<Uuid>('add_session', { input }),
  session: (id: Uuid) => call<Session>('session', { id }),
  reviseSession: (id: Uuid, body: string) => call<Uuid | null>('revise_session', { id, body }),
  revisions: (id: Uuid) => call<NoteRevision[]>('revisions', { id }),
  search: (query: string, limit = 20) => call<SearchResults>('search', { query, limit }),
  syncStatus: () => call<SyncState>('sync_status'),
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
};
