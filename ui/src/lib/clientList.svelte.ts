// The client list's view: filter, sort, search text and scroll position survive leaving the
// list (UI.md: lists keep their position); the rows themselves are fetched page by page and
// dropped on lock.

import { api, asApiError, type ClientSort, type ClientStatus, type ClientSummary } from './api';
import { onLockClear } from './app.svelte';
import { errorText } from './i18n.svelte';

export const PAGE = 100;

/** A status, all of them, or `processing_restricted`: the clients restricted under GDPR Art. 18,
 * who appear in no other view (the core keeps them apart). */
export type Filter = ClientStatus | 'all' | 'processing_restricted';

export const view = $state<{ filter: Filter; sort: ClientSort; query: string; scrollTop: number }>({
  filter: 'active',
  sort: 'name_asc',
  query: '',
  scrollTop: 0,
});

/** Rows by index for the current filter and sort; pages load on demand. */
export class ClientRows {
  total = $state(0);
  loaded = $state(false);
  /** A later page failed to load (the first page's failure rejects `start`). */
  error = $state<string | null>(null);
  private rows = $state<(ClientSummary | undefined)[]>([]);
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- pages in flight; nothing renders it
  private pending = new Set<number>();
  private searchHits: ClientSummary[] | null = null;

  constructor(
    private readonly filter: Filter,
    private readonly sort: ClientSort,
    private readonly query: string,
  ) {}

  at(i: number): ClientSummary | undefined {
    return this.rows[i];
  }

  async start() {
    if (this.query.trim()) {
      const hits = await api.searchClients(this.query, 200);
      this.searchHits = hits
        .map((h) => h.client)
        // The search never finds a restricted client (Art. 18): that view has no hits.
        .filter(
          (c) =>
            this.filter !== 'processing_restricted' && (this.filter === 'all' || c.status === this.filter),
        );
      this.rows = this.searchHits;
      this.total = this.searchHits.length;
    } else {
      await this.page(0);
    }
    this.loaded = true;
  }

  /** Makes sure rows `from..to` are loaded. */
  need(from: number, to: number) {
    if (this.searchHits) return;
    for (let p = Math.floor(from / PAGE); p * PAGE < to; p++) {
      if (this.rows[p * PAGE] === undefined)
        this.page(p).catch((e: unknown) => (this.error = errorText(asApiError(e))));
    }
  }

  private async page(p: number) {
    if (this.pending.has(p)) return;
    this.pending.add(p);
    try {
      const held = this.filter === 'processing_restricted';
      const res = await api.clients({
        status: this.filter === 'all' || held ? null : this.filter,
        restricted: held,
        sort: this.sort,
        offset: p * PAGE,
        limit: PAGE,
      });
      this.total = res.total;
      const next = this.rows.slice();
      res.items.forEach((c, k) => (next[p * PAGE + k] = c));
      this.rows = next;
    } finally {
      this.pending.delete(p);
    }
  }
}

onLockClear(() => {
  view.query = '';
  view.scrollTop = 0;
});
