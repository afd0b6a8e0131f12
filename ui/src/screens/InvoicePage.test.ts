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
  payer_choices: [],
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
  texts: { intro: '', closing: '' },
  actions: { edit: false, issue: false, pay: true, write_off: true, cancel: true, dun: 1, honorarnote: true },
});

let paid = 0;
let draft: InvoiceView | null = null;
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
  draft = null;
  calls = [];
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    calls.push({ cmd, args: a });
    if (cmd === 'invoice_view') return draft ?? view(paid);
    if (cmd === 'set_invoice_texts' && draft) {
      const texts = a.texts as { intro: string; closing: string };
      if (texts.intro.length > 20)
        return Promise.reject({
          code: 'record.invalid',
          params: { field: 'invoice_intro', problem: 'too_long' },
        });
      draft = { ...draft, texts };
      return null;
    }
    if (cmd === 'set_line_multiplier') {
      if (a.multiplier === '2,5' && !a.reason)
        return Promise.reject({
          code: 'record.invalid',
          params: { field: 'fee_reason', problem: 'required' },
        });
      return null;
    }
    if (cmd === 'set_draft_payer' && draft) {
      const choice = draft.payer_choices.find((c) => c.role === a.role);
      if (!choice)
        return Promise.reject({ code: 'record.invalid', params: { field: 'insurer', problem: 'required' } });
      draft = { ...draft, payer_role: choice.role, payer_name: choice.name };
      return null;
    }
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

  it('edits a draft’s texts and a GOÄ multiplier through the core, and the preview follows', async () => {
    const user = userEvent.setup();
    draft = {
      ...view(0),
      number: null,
      issue_date: null,
      due_date: null,
      texts: { intro: 'Honorar:', closing: '' },
      lines: [
        {
          id: 'l1',
          kind: 'session',
          date: '2026-10-05',
          description: 'Psychotherapie, 50 Minuten',
          minutes: 50,
          quantity: 1,
          unit: 10055,
          amount: 10055,
          fee_number: '870',
          multiplier: '2,3',
          fee_reason: '',
          multiplier_editable: true,
        },
      ],
      actions: {
        edit: true,
        issue: true,
        pay: false,
        write_off: false,
        cancel: false,
        dun: null,
        honorarnote: true,
      },
    };
    render(InvoicePage, { props: { id: ID } });
    const intro = await screen.findByLabelText('Einleitungstext');
    expect(intro).toHaveValue('Honorar:');
    const docs = () => calls.filter((c) => c.cmd === 'invoice_document').length;
    const before = docs();

    await user.clear(intro);
    await user.type(intro, 'Ein viel zu langer Einleitungstext');
    await user.click(screen.getByRole('button', { name: 'Texte speichern' }));
    expect(
      await screen.findByText('Der Einleitungstext darf höchstens 2.000 Zeichen lang sein.'),
    ).toBeInTheDocument();

    await user.clear(intro);
    await user.type(intro, 'Für Oktober:');
    await user.type(screen.getByLabelText('Schlusstext'), 'Danke!');
    await user.click(screen.getByRole('button', { name: 'Texte speichern' }));
    expect(await screen.findByText('Texte gespeichert; die Vorschau zeigt sie.')).toBeInTheDocument();
    expect(calls.filter((c) => c.cmd === 'set_invoice_texts').at(-1)?.args).toMatchObject({
      id: ID,
      texts: { intro: 'Für Oktober:', closing: 'Danke!' },
    });
    await waitFor(() => expect(docs()).toBeGreaterThan(before));

    const factor = screen.getByLabelText('Steigerungssatz · 870');
    expect(factor).toHaveValue('2,3');
    await user.clear(factor);
    await user.type(factor, '2,5');
    await user.click(screen.getByRole('button', { name: 'Übernehmen' }));
    await waitFor(() => expect(document.getElementById('factor-l1-error')).not.toBeNull());
    await user.type(screen.getByLabelText('Begründung (über 2,3)'), 'Erhöhter Zeitaufwand');
    await user.click(screen.getByRole('button', { name: 'Übernehmen' }));
    await waitFor(() =>
      expect(calls.filter((c) => c.cmd === 'set_line_multiplier').at(-1)?.args).toMatchObject({
        line: 'l1',
        multiplier: '2,5',
        reason: 'Erhöhter Zeitaufwand',
      }),
    );
  });

  it("lets a draft's payer be chosen from the client record and reloads the preview", async () => {
    const user = userEvent.setup();
    draft = {
      ...view(0),
      number: null,
      issue_date: null,
      due_date: null,
      balance: { ...view(0).balance, status: 'draft', overdue: false },
      payer_name: 'Lena Kind',
      payer_choices: [
        { role: 'client', name: 'Lena Kind' },
        { role: 'guardian', name: 'Maria Kind' },
      ],
      actions: {
        edit: true,
        issue: true,
        pay: false,
        write_off: false,
        cancel: false,
        dun: null,
        honorarnote: true,
      },
    };
    render(InvoicePage, { props: { id: ID } });
    const payer = (await screen.findByLabelText('Rechnung geht an')) as HTMLSelectElement;
    expect([...payer.options].map((o) => o.textContent?.trim())).toEqual([
      'Lena Kind · Klient*in',
      'Maria Kind · Erziehungsberechtigte*r',
    ]);
    expect(payer.value).toBe('client');
    const docs = () => calls.filter((c) => c.cmd === 'invoice_document').length;
    const before = docs();
    await user.selectOptions(payer, 'guardian');
    expect(
      await screen.findByText('Empfänger*in geändert; die Vorschau zeigt die neue Anschrift.'),
    ).toBeInTheDocument();
    expect(calls.filter((c) => c.cmd === 'set_draft_payer').at(-1)?.args).toEqual({
      id: ID,
      role: 'guardian',
    });
    await waitFor(() => expect(docs()).toBeGreaterThan(before));
    await waitFor(() =>
      expect((screen.getByLabelText('Rechnung geht an') as HTMLSelectElement).value).toBe('guardian'),
    );
  });

  it('offers no payer choice on an issued invoice', async () => {
    render(InvoicePage, { props: { id: ID } });
    expect(await screen.findByTestId('invoice-title')).toBeInTheDocument();
    expect(screen.queryByLabelText('Rechnung geht an')).toBeNull();
    expect(screen.getByText('Jörg Müller', { selector: 'dd' })).toBeInTheDocument();
  });
});
