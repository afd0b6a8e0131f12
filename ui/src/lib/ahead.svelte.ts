// Answers asked for before the screen that shows them opens (right after unlock, while the person
// looks at Today), so that a long list's first opening draws without waiting for the shell. An
// answer is handed out only while nothing has changed since it was asked for: the same session
// (no lock in between) and the same generation (no change the window made or a sync round
// brought). The screen asks again anyway and replaces it if the shell now says otherwise. Held
// answers hold personal data: they are dropped on lock.

import { app, onLockClear } from './app.svelte';

let locks = 0;
onLockClear(() => (locks += 1));

export class Held<T> {
  private held: { key: string; locks: number; generation: number; value: T } | null = null;

  constructor() {
    onLockClear(() => (this.held = null));
  }

  /** Asks, and keeps the answer unless something changed while it was on its way. */
  async fetch(key: string, ask: () => Promise<T>): Promise<T> {
    const asked = { locks, generation: app.session.generation };
    const value = await ask();
    if (asked.locks === locks && asked.generation === app.session.generation)
      this.held = { key, ...asked, value };
    return value;
  }

  /** The answer kept for `key`, if nothing has changed since it was asked for. */
  take(key: string): T | null {
    const h = this.held;
    if (!h || h.key !== key || h.locks !== locks || h.generation !== app.session.generation) return null;
    return h.value;
  }
}
