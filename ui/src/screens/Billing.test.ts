import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InvoiceList, InvoiceListQuery, InvoiceRow, UnbilledClient } from '../lib/api';
import { app, dataChanged } from '../lib/app.svelte';
import { setLanguage } from '../lib/i18n.svelte';
import { invoiceView, readBillingAhead } from '../lib/invoiceList.svelte';
import Billing from './Billing.svelte';

const CLIENT = '0192f0c0-0000-7000-8000-000000000001';
const row = (n: number, overdue: boolean): InvoiceRow => ({
  client_name: 'Jörg Müller',
  invoice: {
    id: `0192f0c0-0000-7000-8000-0000000001${String(n).padStart(2, '0')}`,
    client_id: CLIENT,
    kind: 'invoice',
    number: `2026-00${String(n).padStart(2, '0')}`,
    issue_date: '2026-10-31',
    due_date: '2026-11-14',
    recipient: 'Jörg Müller',
    gross: 123456,
    balance: { status: 'open', paid: 0, fees: 0, due: 123456, overdue, paid_on: null, dunning_level: 0 },
  },
});

// jsdom has no layout; the list measures its height with a ResizeObserver, which never fires here.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

let queries: InvoiceListQuery[] = [];
let unbilledAsked = 0;
/** While set, the shell's answers wait for it. */
let gate: Promise<void> | null = null;
/** A payment the window was not told of: only the first invoice is still open. */
let paidMeanwhile = false;
const unbilled: UnbilledClient[] = [
  {
    client_id: CLIENT,
    name: 'Jörg Müller',
    sessions: 3,
    total: 27000,
    first: '2026-11-02',
    last: '2026-11-16',
  },
];

beforeEach(() => {
  setLanguage('de');
  // A new generation: nothing asked ahead by an earlier test is taken.
  dataChanged();
  gate = null;
  paidMeanwhile = false;
  app.session.practice = null;
  invoiceView.filter = 'open';
  invoiceView.text = '';
  queries = [];
  unbilledAsked = 0;
  mockIPC(async (cmd, args) => {
    if (gate) await gate;
    if (cmd === 'unbilled_by_client') {
      unbilledAsked += 1;
      return unbilled;
    }
    if (cmd === 'invoice_list') {
      const q = (args as { query: InvoiceListQuery }).query;
      queries.push(q);
      const items = q.filter === 'overdue' || paidMeanwhile ? [row(1, true)] : [row(1, true), row(2, false)];
      const list: InvoiceList = {
        items,
        total: items.length,
        gross: 246912,
        due: 246912,
        counts: [
          { filter: 'open', count: 2 },
          { filter: 'overdue', count: 1 },
        ],
      };
      return list;
    }
    throw new Error(`unexpected ${cmd}`);
  });
});
afterEach(() => clearMocks());

describe('billing overview', () => {
  it('shows unbilled work and the invoice list with the sums and counts the core sends', async () => {
    render(Billing, { props: { tab: 'overview' } });
    expect(await screen.findByText('270,00 €')).toBeInTheDocument();
    expect(await screen.findByText('2026-0001')).toBeInTheDocument();
    expect(screen.getByTestId('invoice-count')).toHaveTextContent(
      '2 Honorarnoten · Summe 2.469,12 € · offen 2.469,12 €',
    );
    expect(screen.getByText('Überfällig', { selector: '.badge' })).toBeInTheDocument();
    expect(document.querySelector('[data-filter="overdue"]')).toHaveTextContent('Überfällig 1');
    expect(queries[0]).toMatchObject({ filter: 'open', offset: 0, limit: 100 });
  });

  it('asks the core again for another filter and for typed text', async () => {
    const user = userEvent.setup();
    render(Billing, { props: { tab: 'overview' } });
    await screen.findByText('2026-0002');
    await user.click(document.querySelector('[data-filter="overdue"]') as HTMLElement);
    await waitFor(() => expect(screen.queryByText('2026-0002')).toBeNull());
    expect(queries.at(-1)?.filter).toBe('overdue');
    await user.type(screen.getByTestId('invoice-filter'), '1.234,56');
    await waitFor(() => expect(queries.at(-1)?.text).toBe('1.234,56'));
  });

  it('draws what was asked for ahead before the shell answers, then takes the newer answer', async () => {
    await readBillingAhead();
    expect(queries).toHaveLength(1);
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    paidMeanwhile = true;
    render(Billing, { props: { tab: 'overview' } });
    expect(await screen.findByText('2026-0002')).toBeInTheDocument();
    expect(screen.getByText('270,00 €')).toBeInTheDocument();
    expect(queries).toHaveLength(1);
    open();
    await waitFor(() => expect(screen.queryByText('2026-0002')).toBeNull());
    expect(queries).toHaveLength(2);
  });

  it('does not draw what was asked for ahead once data changed', async () => {
    await readBillingAhead();
    dataChanged();
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    render(Billing, { props: { tab: 'overview' } });
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByText('2026-0001')).toBeNull();
    open();
    expect(await screen.findByText('2026-0001')).toBeInTheDocument();
  });

  it('says whether both answers asked for ahead are held', async () => {
    expect(await readBillingAhead()).toBe(true);
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    const asked = readBillingAhead();
    dataChanged();
    open();
    expect(await asked).toBe(false);
  });

  it('rehearses from what was asked for ahead without asking the shell or taking keys', async () => {
    expect(await readBillingAhead()).toBe(true);
    expect([queries.length, unbilledAsked]).toEqual([1, 1]);
    render(Billing, { props: { tab: 'overview', rehearsal: true } });
    expect(await screen.findByText('2026-0002')).toBeInTheDocument();
    expect(screen.getByText('270,00 €')).toBeInTheDocument();
    await userEvent.keyboard('/');
    expect(document.activeElement).not.toBe(screen.getByTestId('invoice-filter'));
    await new Promise((r) => setTimeout(r, 50));
    expect([queries.length, unbilledAsked]).toEqual([1, 1]);
  });

  it('asks the shell again once the held page is drawn, outside a rehearsal', async () => {
    await readBillingAhead();
    render(Billing, { props: { tab: 'overview' } });
    expect(await screen.findByText('2026-0002')).toBeInTheDocument();
    await waitFor(() => expect([queries.length, unbilledAsked]).toEqual([2, 2]));
  });
});
