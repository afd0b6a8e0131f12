// Loading data for a screen, in one place: a loading flag, a failure in words (the core's code
// through `errorText`, in the current language), and the rule that only the newest request counts.
// An answer to an earlier request that arrives after a newer one was started (search-as-you-type,
// switching filters or clients fast, a reload after a sync) is dropped, never shown.

import { asApiError, type ApiError } from './api';
import { errorText } from './i18n.svelte';

export class Loader<T> {
  /** The last answer taken; kept while a newer load runs or after one fails. */
  data = $state<T | null>(null);
  /** Why the newest load failed; null while it runs or after it succeeded. */
  problem = $state<ApiError | null>(null);
  /** A load is running (the newest one; dropped ones do not count). */
  loading = $state(false);
  /** At least one load succeeded, so an empty `data` means "nothing there", not "not yet". */
  loaded = $state(false);
  private seq = 0;

  constructor(initial: T | null = null) {
    this.data = initial;
  }

  /** The failure as a sentence; read in markup, so it follows a change of language. */
  get error(): string | null {
    return this.problem ? errorText(this.problem) : null;
  }

  /**
   * Starts `fetch`. Its answer becomes `data` unless another `load` or `reset` started meanwhile.
   * Never rejects (a failure lands in `problem`), so callers may fire and forget. Resolves to
   * true when this answer was taken. `held`, an answer asked for ahead, is shown until then.
   */
  async load(fetch: () => Promise<T>, held: T | null = null): Promise<boolean> {
    const mine = ++this.seq;
    this.loading = true;
    this.problem = null;
    if (held !== null) {
      this.data = held;
      this.loaded = true;
    }
    try {
      const value = await fetch();
      if (mine !== this.seq) return false;
      this.data = value;
      this.loaded = true;
      return true;
    } catch (e) {
      if (mine !== this.seq) return false;
      this.problem = asApiError(e);
      return false;
    } finally {
      if (mine === this.seq) this.loading = false;
    }
  }

  /** Drops the data and every answer still on its way (the screen's subject changed). */
  reset() {
    this.seq += 1;
    this.data = null;
    this.problem = null;
    this.loading = false;
    this.loaded = false;
  }
}

/**
 * Runs an action the user started (a click, a change) and hands a failure to `onError` instead
 * of leaving an unhandled rejection; for event handlers that are not awaited by anyone.
 */
export async function attempt(action: () => Promise<unknown>, onError: (e: ApiError) => void): Promise<void> {
  try {
    await action();
  } catch (e) {
    onError(asApiError(e));
  }
}
