import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MonthPreview } from '../lib/api';
import { app } from '../lib/app.svelte';
import { setLanguage } from '../lib/i18n.svelte';
import BillingRun from './BillingRun.svelte';

const A = '0192f0c0-0000-7000-8000-00000000000a';
const C = '0192f0c0-0000-7000-8000-00000000000c';
const preview: MonthPreview = {
  month: '2026-10',
  gross: 63000,
  skipped: [],
  drafts: [
    {
      client_id: A,
      client_name: 'Anna Äpfel',
      payer_name: 'Anna Äpfel',
      payer_role: 'client',
      sessions: 2,
      no_shows: 1,
      gross: 18000,
      blockers: [],
      notes: ['svnr_missing'],
    },
    {
      client_id: C,
      client_name: 'Clara Ohneadresse',
      payer_name: 'Clara Ohneadresse',
      payer_role: 'client',
      sessions: 3,
      no_shows: 0,
      gross: 45000,
      blockers: [{ code: 'invoice.recipient_incomplete', params: { field: 'street', limit: 400 } }],
      notes: [],
    },
  ],
};

let months: string[] = [];
let issued: { month: string; clients: string[] }[] = [];
let answer: 'ok' | 'cancelled' = 'ok';

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
  months = [];
  issued = [];
  answer = 'ok';
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    if (cmd === 'today') return '2026-11-22';
    if (cmd === 'month_preview') {
      months.push(a.month as string);
      return preview;
    }
    if (cmd === 'issue_month') {
      issued.push({ month: a.month as string, clients: a.clients as string[] });
      if (answer === 'cancelled') return Promise.reject({ code: 'billing.run_cancelled', params: {} });
      return { issued: [{ id: 'x', number: '2026-0007', client_id: A, gross: 18000 }], gross: 18000 };
    }
    if (cmd === 'plugin:event|listen') return 1;
    if (cmd === 'plugin:event|unlisten') return null;
    throw new Error(`unexpected ${cmd}`);
  });
});
afterEach(() => clearMocks());

describe('month-end run', () => {
  it('previews last month, leaves out what cannot be issued and says why, with a link to fix it', async () => {
    render(BillingRun);
    expect(await screen.findAllByText('Anna Äpfel')).toHaveLength(2);
    expect(months).toEqual(['2026-10']);
    expect(screen.getByTestId('run-month')).toHaveDisplayValue('Oktober 2026');
    const boxes = screen.getAllByRole('checkbox') as HTMLInputElement[];
    expect(boxes.map((b) => b.checked)).toEqual([true, false]);
    expect(screen.getByText(/verlangt das Gesetz beim Rechnungsempfänger/)).toBeInTheDocument();
    expect(screen.getAllByText('In den Stammdaten ergänzen').length).toBe(2);
    expect(screen.getByText(/Sozialversicherungsnummer fehlt/)).toBeInTheDocument();
    expect(screen.getByText('1 von 2 ausgewählt', { exact: false })).toBeInTheDocument();
  });

  it('issues the chosen clients after asking once and sums up what was issued', async () => {
    const user = userEvent.setup();
    render(BillingRun);
    await screen.findAllByText('Anna Äpfel');
    await user.click(screen.getByRole('button', { name: /1 Honorarnote ausstellen/ }));
    expect(screen.getByText(/lässt sie sich nicht mehr ändern/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Alle ausstellen' }));
    expect(await screen.findByTestId('run-summary')).toHaveTextContent(
      '1 Honorarnote ausgestellt, zusammen 180,00 €.',
    );
    expect(issued).toEqual([{ month: '2026-10', clients: [A] }]);
  });

  it('says plainly that a cancelled run left nothing behind', async () => {
    answer = 'cancelled';
    const user = userEvent.setup();
    render(BillingRun);
    await screen.findAllByText('Anna Äpfel');
    await user.click(screen.getAllByRole('checkbox')[1]);
    await user.click(screen.getByRole('button', { name: /2 Honorarnoten ausstellen/ }));
    await user.click(screen.getByRole('button', { name: 'Alle ausstellen' }));
    await waitFor(() => expect(screen.getByTestId('run-failed')).toHaveTextContent('keine Nummer vergeben'));
    expect(issued[0].clients).toEqual([A, C]);
  });
});
