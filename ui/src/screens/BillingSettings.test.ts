import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BillingSettings as Settings } from '../lib/bindings';
import { setLanguage } from '../lib/i18n.svelte';
import BillingSettings from './BillingSettings.svelte';

const stored: Settings = {
  number_format: '{year}-{series-}{seq:4}',
  payment_days: 14,
  no_show_fee: 0,
  treatment_method: 'Existenzanalyse',
  dunning_days: 14,
  dunning_fees: [0, 500, 1000],
  print_diagnosis: true,
  default_interest: false,
  next_number_format: '',
  next_format_from: 0,
  invoice_intro: '',
  invoice_closing: 'Bitte sagen Sie Termine rechtzeitig ab.',
  dunning_levels: 3,
  dunning_texts: ['', '', ''],
};

let saved: Settings[] = [];
let answer: (s: Settings) => unknown;

beforeEach(() => {
  setLanguage('de');
  saved = [];
  answer = (s) => s;
  mockIPC((cmd, args) => {
    if (cmd === 'billing_settings') return stored;
    if (cmd === 'parse_amount') {
      const text = (args as { text: string }).text;
      const m = /^(\d+)(?:,(\d{2}))?$/.exec(text.trim());
      if (!m) throw { code: 'money.bad_amount', params: {} };
      return Number(m[1]) * 100 + Number(m[2] ?? 0);
    }
    if (cmd === 'update_billing_settings') {
      const s = (args as { settings: Settings }).settings;
      saved.push(s);
      return answer(s);
    }
    throw new Error(`unexpected ${cmd}`);
  });
});

afterEach(() => clearMocks());

describe('billing settings', () => {
  it('shows the stored settings as typed and saves a change through the core', async () => {
    render(BillingSettings);
    const days = await screen.findByLabelText('Zahlungsziel in Tagen');
    await screen.findByDisplayValue('Existenzanalyse');
    expect(screen.getByLabelText('Spesen Mahnung')).toHaveValue('5,00');
    await userEvent.clear(days);
    await userEvent.type(days, '30');
    await userEvent.clear(screen.getByLabelText('Ausfallhonorar'));
    await userEvent.type(screen.getByLabelText('Ausfallhonorar'), '45,50');
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    expect(await screen.findByTestId('billing-saved')).toHaveTextContent('Gespeichert');
    expect(saved[0]).toMatchObject({ payment_days: 30, no_show_fee: 4550, dunning_fees: [0, 500, 1000] });
  });

  it('puts the core’s field-named error under its field', async () => {
    answer = () => {
      throw { code: 'record.invalid', params: { field: 'payment_days', problem: 'out_of_range' } };
    };
    render(BillingSettings);
    const days = await screen.findByLabelText('Zahlungsziel in Tagen');
    await screen.findByDisplayValue('14', { exact: true }).catch(() => undefined);
    await userEvent.clear(days);
    await userEvent.type(days, '400');
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    expect(
      await screen.findByText('Das Zahlungsziel muss zwischen 0 und 365 Tagen liegen.'),
    ).toBeInTheDocument();
    expect(days).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByTestId('billing-saved')).toBeNull();
  });

  it('says which field is no whole number before asking the core', async () => {
    render(BillingSettings);
    const days = await screen.findByLabelText('Tage bis zur nächsten Mahnstufe');
    await screen.findByDisplayValue('Existenzanalyse');
    await userEvent.clear(days);
    await userEvent.type(days, 'zwei Wochen');
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    expect(
      await screen.findByText('„Tage bis zur nächsten Mahnstufe“ muss eine ganze Zahl sein, z. B. 14.'),
    ).toBeInTheDocument();
    expect(saved).toHaveLength(0);
  });

  it('shows a number format the core refuses, with the way to write one', async () => {
    answer = () => {
      throw { code: 'record.invalid', params: { field: 'number_format', problem: 'bad_format' } };
    };
    render(BillingSettings);
    const fmt = await screen.findByLabelText('Nummernformat');
    await screen.findByDisplayValue('Existenzanalyse');
    await userEvent.clear(fmt);
    await userEvent.type(fmt, 'RE-{{year}');
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    expect(await screen.findByText(/braucht genau einmal \{seq\}/)).toBeInTheDocument();
  });

  it('edits the invoice texts, the number of dunning levels and a level’s text', async () => {
    render(BillingSettings);
    const intro = await screen.findByLabelText('Einleitungstext');
    await screen.findByDisplayValue('Bitte sagen Sie Termine rechtzeitig ab.');
    await userEvent.type(intro, 'Für die Therapie stelle ich in Rechnung:');
    expect(screen.getByLabelText('Text der letzten Mahnung')).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Verschickte Mahnstufen'), '2');
    // Only the levels the practice sends have a text.
    expect(screen.queryByLabelText('Text der letzten Mahnung')).toBeNull();
    await userEvent.type(
      screen.getByLabelText('Text der Zahlungserinnerung'),
      'Eine freundliche Erinnerung.',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    expect(await screen.findByTestId('billing-saved')).toBeInTheDocument();
    expect(saved[0]).toMatchObject({
      invoice_intro: 'Für die Therapie stelle ich in Rechnung:',
      invoice_closing: 'Bitte sagen Sie Termine rechtzeitig ab.',
      dunning_levels: 2,
      dunning_texts: ['Eine freundliche Erinnerung.', '', ''],
    });
  });

  it('puts the core’s refusal of a too long text under that text', async () => {
    answer = () => {
      throw { code: 'record.invalid', params: { field: 'invoice_closing', problem: 'too_long' } };
    };
    render(BillingSettings);
    const closing = await screen.findByLabelText('Schlusstext');
    await screen.findByDisplayValue('Bitte sagen Sie Termine rechtzeitig ab.');
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    expect(
      await screen.findByText('Der Schlusstext darf höchstens 2.000 Zeichen lang sein.'),
    ).toBeInTheDocument();
    expect(closing).toHaveAttribute('aria-invalid', 'true');
  });
});
