// The invoice list's view (filter, sort, text, scroll position survive leaving the list, as
// UI.md asks of lists) and its rows, fetched page by page from the core, which filters, sorts
// and sums: the window adds up no money. Rows are dropped on lock.

import {
  api,
  asApiError,
  type InvoiceFilter,
  type InvoiceList,
  type InvoiceRow,
  type InvoiceSort,
} from './api';
import { errorText } from './i18n.svelte';

export const PAGE = 100;

export const invoiceView = $state<{
  filter: InvoiceFilter;
  sort: InvoiceSort;
  reverse: boolean;
  text: string;
  scrollTop: number;
}>({ filter: 'open', sort: 'number', reverse: false, text: '', scrollTop: 0 });

/** Rows by index for one filter, sort and text; the first page brings the count and the sums. */
export class InvoiceRows {
  total = $state(0);
  loaded = $state(false);
  /** The first page's answer: sums and the count per filter. */
  head = $state<InvoiceList | null>(null);
  error = $state<string | null>(null);
  private rows = $state<(InvoiceRow | undefined)[]>([]);
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- pages in flight; nothing renders it
  private pending = new Set<number>();

  constructor(
    private readonly filter: InvoiceFilter,
    private readonly sort: InvoiceSort,
    private readonly reverse: boolean,
    private readonly text: string,
    private readonly client: string | null = null,
  ) {}

  at(i: number): InvoiceRow | undefined {
    return this.rows[i];
  }

  async start() {
    await this.page(0);
    this.loaded = true;
  }

  /** Makes sure rows `from..to` are loaded. */
  need(from: number, to: number) {
    for (let p = Math.floor(from / PAGE); p * PAGE < to; p++) {
      if (this.rows[p * PAGE] === undefined)
        this.page(p).catch((e: unknown) => (this.error = errorText(asApiError(e))));
    }
  }

  private async page(p: number) {
    if (this.pending.has(p)) return;
    this.pending.add(p);
    try {
      const res = await api.invoiceList({
        filter: this.filter,
        sort: this.sort,
        reverse: this.reverse,
        text: this.text,
        client: this.client,
        offset: p * PAGE,
        limit: PAGE,
      });
      this.total = res.total;
      if (p === 0) this.head = res;
      const next = this.rows.slice();
      res.items.forEach((c, k) => (next[p * PAGE + k] = c));
      this.rows = next;
    } finally {
      this.pending.delete(p);
    }
  }
}
