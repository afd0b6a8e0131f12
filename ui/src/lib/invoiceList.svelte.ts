// The invoice list's view (filter, sort, text, scroll position survive leaving the list, as
// UI.md asks of lists) and its rows, fetched page by page from the core, which filters, sorts
// and sums: the window adds up no money. Rows are dropped on lock. The first page of the view the
// list will open with, and the unbilled work above it, are asked for ahead (`readBillingAhead`,
// after unlock), so the first opening of a long list shows at once.

import {
  api,
  asApiError,
  type InvoiceFilter,
  type InvoiceList,
  type InvoiceRow,
  type InvoiceSort,
  type UnbilledClient,
} from './api';
import { Held } from './ahead.svelte';
import { errorText } from './i18n.svelte';
import { afterPaint } from './paint';

export const PAGE = 100;

export const invoiceView = $state<{
  filter: InvoiceFilter;
  sort: InvoiceSort;
  reverse: boolean;
  text: string;
  scrollTop: number;
}>({ filter: 'open', sort: 'number', reverse: false, text: '', scrollTop: 0 });

const firstPages = new Held<InvoiceList>();
export const unbilledAhead = new Held<UnbilledClient[]>();

/**
 * Asks for what Abrechnung shows first while the person is elsewhere. Resolves to true when both
 * answers are held (nothing changed meanwhile), so the screen can be drawn without asking. Never
 * rejects: the screen asks again and shows its own failure.
 */
export async function readBillingAhead(): Promise<boolean> {
  const v = invoiceView;
  const rows = new InvoiceRows(v.filter, v.sort, v.reverse, v.text);
  try {
    // A first page still held is still right: nothing changed since it was asked for.
    await Promise.all([rows.start(false), unbilledAhead.fetch('', () => api.unbilledByClient())]);
  } catch {
    return false;
  }
  return rows.held() && unbilledAhead.take('') !== null;
}

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

  /** Loads the first page; `again`: a held one is shown at once and asked for anew once drawn. */
  async start(again = true) {
    const held = this.client === null ? firstPages.take(this.key) : null;
    if (held) {
      this.take(0, held);
      this.loaded = true;
      // The shell has the last word.
      if (again)
        afterPaint(() => this.page(0).catch((e: unknown) => (this.error = errorText(asApiError(e)))));
      return;
    }
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

  /** The first page of this view is held, as asked for ahead. */
  held(): boolean {
    return firstPages.take(this.key) !== null;
  }

  private get key(): string {
    return JSON.stringify([this.filter, this.sort, this.reverse, this.text]);
  }

  private async page(p: number) {
    if (this.pending.has(p)) return;
    this.pending.add(p);
    try {
      const ask = () =>
        api.invoiceList({
          filter: this.filter,
          sort: this.sort,
          reverse: this.reverse,
          text: this.text,
          client: this.client,
          offset: p * PAGE,
          limit: PAGE,
        });
      this.take(p, p === 0 && this.client === null ? await firstPages.fetch(this.key, ask) : await ask());
    } finally {
      this.pending.delete(p);
    }
  }

  private take(p: number, res: InvoiceList) {
    // The same first page again (asked for anew after a held one was shown): nothing to redraw.
    if (p === 0 && this.head && JSON.stringify(this.head) === JSON.stringify(res)) return;
    this.total = res.total;
    if (p === 0) this.head = res;
    const next = this.rows.slice();
    res.items.forEach((c, k) => (next[p * PAGE + k] = c));
    this.rows = next;
  }
}
