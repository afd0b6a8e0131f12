import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentList } from '../lib/bindings';
import { setLanguage } from '../lib/i18n.svelte';
import Payments from './Payments.svelte';

const november: PaymentList = {
  period: '01.11.2026 – 30.11.2026',
  payments: [
    {
      date: '2026-11-03',
      date_text: '03.11.2026',
      invoice: '2026-0007',
      client: 'Anna Äpfel',
      amount: 13500,
      amount_text: '135,00 €',
      method: 'Überweisung',
    },
    {
      date: '2026-11-20',
      date_text: '20.11.2026',
      invoice: '2026-0009',
      client: 'Bernd Öztürk',
      amount: 123456,
      amount_text: '1.234,56 €',
      method: 'Bar',
    },
  ],
  total: 136956,
  total_text: '1.369,56 €',
};

let asked: Record<string, unknown>[] = [];

beforeEach(() => {
  setLanguage('de');
  asked = [];
  mockIPC((cmd, args) => {
    if (cmd === 'today') return '2026-11-22';
    if (cmd === 'payment_list') {
      asked.push(args as Record<string, unknown>);
      const a = args as { from: string };
      return a.from === '2026-11-01'
        ? november
        : { period: '01.10.2026 – 31.10.2026', payments: [], total: 0, total_text: '0,00 €' };
    }
    throw new Error(`unexpected ${cmd}`);
  });
});

afterEach(() => clearMocks());

describe('Payments', () => {
  it('lists this month’s payments with the core’s sum', async () => {
    render(Payments);
    expect(await screen.findByText('Bernd Öztürk')).toBeInTheDocument();
    expect(asked.at(-1)).toMatchObject({
      from: '2026-11-01',
      to: '2026-11-30',
      names: 'full',
      language: 'de',
    });
    expect(screen.getByText('1.234,56 €')).toBeInTheDocument();
    expect(screen.getByTestId('payments-total')).toHaveTextContent('1.369,56 €');
    expect(screen.getByText('Summe (2 Zahlungen)')).toBeInTheDocument();
  });

  it('says so when a period has no payments', async () => {
    render(Payments);
    await screen.findByText('Bernd Öztürk');
    await fireEvent.change(screen.getByTestId('payments-period'), { target: { value: 'm10' } });
    expect(
      await screen.findByText('In diesem Zeitraum sind keine Zahlungen eingegangen.'),
    ).toBeInTheDocument();
    await waitFor(() => expect(asked.at(-1)).toMatchObject({ from: '2026-10-01', to: '2026-10-31' }));
  });
});
