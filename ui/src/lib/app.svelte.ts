// The window's state: which screen, where inside the app, and the little it keeps about the
// open vault. Everything that holds personal data lives below `session` and is dropped on lock.

import {
  api,
  type ApiError,
  type AppState,
  type Country,
  type Language,
  type Practice,
  type SyncState,
  type Uuid,
} from './api';
import { flushAll } from './autosave';
import type { Locale } from './format';
import { detectLanguage, i18n, setLanguage } from './i18n.svelte';

export type Route =
  | { name: 'today' }
  | { name: 'clients' }
  | { name: 'client'; id: Uuid }
  | { name: 'client-new' }
  | { name: 'client-edit'; id: Uuid }
  | { name: 'session-new'; clientId: Uuid; appointmentId?: Uuid }
  | { name: 'session'; id: Uuid; template?: 'intake' | 'progress' }
  | { name: 'calendar' }
  | { name: 'billing'; tab?: 'overview' | 'run' }
  | { name: 'invoice'; id: Uuid }
  | { name: 'reports' }
  | { name: 'conflicts' }
  | { name: 'payments' }
  | { name: 'settings'; tab?: SettingsTab };

export type SettingsTab =
  | 'practice'
  | 'services'
  | 'billing'
  | 'retention'
  | 'security'
  | 'folder'
  | 'backups'
  | 'import'
  | 'general';

export type Screen = 'loading' | 'first-run' | 'unlock' | 'recovery-key' | 'main';

interface Session {
  route: Route;
  history: Route[];
  practice: Practice | null;
  /** Unlocked with the recovery key: suggest a new password. */
  recovered: boolean;
  /** Bumped whenever data changed, so lists reload. */
  generation: number;
}

function freshSession(): Session {
  return { route: { name: 'today' }, history: [], practice: null, recovered: false, generation: 0 };
}

export const app = $state<{
  screen: Screen;
  state: AppState | null;
  /** Why the vault was last locked, for the unlock screen. */
  lockReason: 'idle' | 'sleep' | 'screen_lock' | 'hand' | null;
  /** Shown once after creating a vault; cleared when the user confirms. */
  recoveryKey: string | null;
  searchOpen: boolean;
  /** The data folder's state (other computers, notices); null while locked. */
  sync: SyncState | null;
  session: Session;
}>({
  screen: 'loading',
  state: null,
  lockReason: null,
  recoveryKey: null,
  searchOpen: false,
  sync: null,
  session: freshSession(),
});

/** Callbacks that drop module-level caches holding personal data. */
// eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping; nothing renders it
const clearers = new Set<() => void>();
export function onLockClear(f: () => void): () => void {
  clearers.add(f);
  return () => clearers.delete(f);
}

export function locale(): Locale {
  const country: Country = app.session.practice?.country ?? 'AT';
  return { language: i18n.language, country };
}

export function navigate(r: Route) {
  app.session.history = [...app.session.history.slice(-30), app.session.route];
  app.session.route = r;
  app.searchOpen = false;
}

export function back() {
  const prev = app.session.history.at(-1);
  if (prev) {
    app.session.history = app.session.history.slice(0, -1);
    app.session.route = prev;
  } else {
    app.session.route = { name: 'today' };
  }
}

export function dataChanged() {
  app.session.generation += 1;
}

/** After a sync round: another computer's changes may have arrived. */
export function synced(s: SyncState) {
  if (app.screen !== 'main') return;
  app.sync = s;
  if (s.changed > 0) dataChanged();
}

/** A background round failed or broke off; the sidebar says so until a round succeeds. */
export function syncProblem(e: ApiError) {
  if (app.screen !== 'main') return;
  app.sync = {
    changed: 0,
    others_open: [],
    attention: 0,
    in_transit: 0,
    conflicts: 0,
    working_locally: false,
    folder_key_older: false,
    ...app.sync,
    problem: e,
  };
}

export async function refreshState(): Promise<AppState> {
  const s = await api.appState();
  app.state = s;
  return s;
}

export async function loadPractice() {
  app.session.practice = await api.practice();
}

/** After a successful unlock or create. */
export async function enterVault(opts: { recovered?: boolean; recoveryKey?: string } = {}) {
  app.session = freshSession();
  app.session.recovered = opts.recovered ?? false;
  app.lockReason = null;
  await refreshState();
  await loadPractice();
  app.sync = await api.syncStatus().catch(() => null);
  if (opts.recoveryKey) {
    app.recoveryKey = opts.recoveryKey;
    app.screen = 'recovery-key';
  } else {
    app.screen = 'main';
  }
}

/** Drops everything that holds personal data and shows the unlock screen. */
export function clearAfterLock(reason: 'idle' | 'sleep' | 'screen_lock' | 'hand') {
  app.session = freshSession();
  app.recoveryKey = null;
  app.searchOpen = false;
  app.sync = null;
  app.lockReason = reason;
  for (const f of clearers) f();
  app.screen = 'unlock';
  // Only refreshes the folder and the wait shown on the unlock screen; the one it has is good enough.
  refreshState().catch(() => {});
}

/**
 * Saves what was typed, then locks. Never rejects: the window forgets everything even when the
 * shell's answer fails (it locks on its own timer as well), so a key press or click can fire it.
 */
export async function lockNow(reason: 'idle' | 'sleep' | 'screen_lock' | 'hand') {
  await flushAll();
  try {
    await api.lock();
  } catch {
    // Nothing to show: the unlock screen follows either way and reads the shell's state anew.
  } finally {
    clearAfterLock(reason);
  }
}

export async function start() {
  const s = await refreshState();
  setLanguage((s.settings.language as Language | null) ?? detectLanguage());
  app.screen = s.unlocked ? 'main' : s.folder_has_vault ? 'unlock' : 'first-run';
  if (s.unlocked) await loadPractice();
}
