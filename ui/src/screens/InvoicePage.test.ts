import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InvoiceView } from '../lib/api';
import { app } from '../lib/app.svelte';
import { setLanguage } from '../lib/i18n.svelte';
import InvoicePage from './InvoicePage.svelte';

// jsdom draws no canvas: the viewer is tried and says it cannot show the document.
vi.mock('pdfjs-dist', () => {
  throw new Error('no pdf.js in jsdom');
});

const ID = '0192f0c0-0000-7000-8000-000000000042';
const view = (paid: number): InvoiceView => ({
  id: ID,
  client_id: '0192f0c0-0000-7000-8000-000000000001',
  client_name: 'Jörg Müller',
  kind: 'invoice',
  number: '2026-0042',
  issue_date: '2026-11-02',
  due_date: '2026-11-16',
  period_from: '2026-10-01',
  period_to: '2026-10-31',
  payer_name: 'Jörg Müller',
  payer_role: 'client',
  lines: [],
  net: 18000,
  tax: 0,
  gross: 18000,
  balance: {
    status: paid ? 'partly_paid' : 'open',
    paid,
    fees: 0,
    due: 18000 - paid,
    overdue: true,
    paid_on: null,
    dunning_level: 0,
  },
  payments: paid ? [{ id: 'p', date: '2026-11-20', amount: paid, method: 'cash' }] : [],
  letters: [],
  write_off_reason: null,
  cancelled_by: null,
  cancels: null,
  actions: { edit: false, issue: false, pay: true, write_off: true, cancel: true, dun: 1, honorarnote: true },
});

let paid = 0;
let calls: { cmd: string; args: Record<string, unknown> }[] = [];

beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
});

beforeEach(() => {
  setLanguage('de');
  app.session.generation = 0;
  app.session.practice = null;
  paid = 0;
  calls = [];
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    calls.push({ cmd, args: a });
    if (cmd === 'invoice_view') return view(paid);
    if (cmd === 'invoice_document') return 'JVBERi0=';
    if (cmd === 'parse_amount') {
      if (a.text === '1x')
        return Promise.reject({ code: 'record.invalid', params: { field: 'amount', problem: 'bad_format' } });
      return 10000;
    }
    if (cmd === 'record_payment') {
      paid = a.amount as number;
      return null;
    }
    throw new Error(`unexpected ${cmd}`);
  });
});
afterEach(() => clearMocks());

describe('invoice page', () => {
  it('shows amounts, status and only the actions the core allows, with shortcuts in tooltips', async () => {
    render(InvoicePage, { props: { id: ID } });
    expect(await screen.findByTestId('invoice-title')).toHaveTextContent('Honorarnote 2026-0042');
    expect(screen.getByTestId('invoice-status')).toHaveTextContent('Überfällig');
    expect(screen.getByTestId('invoice-due')).toHaveTextContent('180,00 €');
    expect(screen.getByRole('button', { name: 'Zahlungserinnerung schreiben' })).toHaveAttribute(
      'title',
      'Alt+M',
    );
    expect(screen.getByRole('button', { name: 'Zahlung erfassen' })).toHaveAttribute('title', 'Alt+P');
    expect(screen.queryByRole('button', { name: 'Ausstellen …' })).toBeNull();
    expect(await screen.findByText(/lässt sich hier nicht anzeigen/)).toBeInTheDocument();
  });

  it('records a payment typed as a person types it, read by the core', async () => {
    const user = userEvent.setup();
    render(InvoicePage, { props: { id: ID } });
    await screen.findByTestId('invoice-title');
    await user.keyboard('{Alt>}p{/Alt}');
    await user.type(screen.getByLabelText('Betrag'), '1x');
    await user.click(screen.getByRole('button', { name: 'Zahlung speichern' }));
    await waitFor(() => expect(document.getElementById('pay-amount-error')).not.toBeNull());
    expect(calls.some((c) => c.cmd === 'record_payment')).toBe(false);
    await user.clear(screen.getByLabelText('Betrag'));
    await user.type(screen.getByLabelText('Betrag'), '100');
    await user.type(screen.getByLabelText('Eingangsdatum'), '20.11.2026');
    await user.click(screen.getByRole('button', { name: 'Zahlung speichern' }));
    await waitFor(() => expect(screen.getByTestId('invoice-status')).toHaveTextContent('Überfällig'));
    const pay = calls.find((c) => c.cmd === 'record_payment');
    expect(pay?.args).toMatchObject({ id: ID, amount: 10000, date: '2026-11-20', method: 'transfer' });
    expect(await screen.findByTestId('payments')).toHaveTextContent('100,00 €');
  });
});
