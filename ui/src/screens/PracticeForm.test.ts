import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Practice, PracticeUpdate } from '../lib/api';
import { setLanguage, t } from '../lib/i18n.svelte';
import PracticeForm from './PracticeForm.svelte';

const stored: Practice = {
  id: '0192f0c0-0000-7000-8000-000000000009',
  practitioner_name: 'Mag. Brigitte Öhlinger',
  title: '',
  profession: 'Psychotherapeutin',
  registration_number: '',
  practice_name: '',
  street: 'Lindengasse 5',
  postal_code: '1070',
  city: 'Wien',
  country: 'AT',
  phone: '',
  email: '',
  tax_number: '',
  vat_id: '',
  iban: '',
  bic: '',
  bank: '',
  currency: 'EUR',
  time_zone: 'Europe/Vienna',
  language: 'de',
  small_business: false,
  holiday_region: '',
  tax_adviser: '',
  working_hours: { days: [...Array(5).fill({ start_minute: 480, end_minute: 1080 }), null, null] },
};

let sent: PracticeUpdate[] = [];

beforeEach(() => {
  sent = [];
  setLanguage('de');
  mockIPC((cmd, args) => {
    if (cmd === 'practice') return stored;
    if (cmd === 'logo') return null;
    if (cmd === 'holiday_regions')
      return (args as { country: string }).country === 'AT'
        ? [
            { code: 'AT-3', name: 'Niederösterreich' },
            { code: 'AT-9', name: 'Wien' },
          ]
        : [{ code: 'DE-BY', name: 'Bayern' }];
    if (cmd === 'update_practice') {
      const change = (args as { change: PracticeUpdate }).change;
      sent.push(change);
      // The core's rule (one line of at most 300 characters), as the core answers it.
      if ((change.tax_adviser?.length ?? 0) > 300)
        throw { code: 'record.invalid', params: { field: 'tax_adviser', problem: 'too_long' } };
      // The shell takes the flag only as a boolean (serde refuses the text "false").
      if (typeof change.small_business !== 'boolean')
        throw new Error('invalid type: string, expected a boolean');
      return { ...stored, ...change };
    }
    throw new Error(`unexpected ${cmd}`);
  });
});
afterEach(() => clearMocks());

describe('PracticeForm', () => {
  it('sends the small-business flag as a boolean next to the text fields', async () => {
    render(PracticeForm);
    const box = (await screen.findByLabelText(/Kleinunternehmer/)) as HTMLInputElement;
    expect(box.checked).toBe(false);
    await userEvent.click(box);
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].small_business).toBe(true);
    expect(sent[0].city).toBe('Wien');
    expect(Object.values(sent[0]).filter((v) => typeof v !== 'string' && typeof v !== 'boolean')).toEqual([]);
    expect(sent[0].working_hours).toBeUndefined();
    // Saved and shown again from what the core returned.
    await screen.findByText(t('practice.saved'));
    expect(box.checked).toBe(true);
  });

  it('offers the Bundesländer of the practice’s country for its holidays', async () => {
    render(PracticeForm);
    const region = (await screen.findByLabelText('Bundesland für Feiertage')) as HTMLSelectElement;
    await waitFor(() => expect(region.options).toHaveLength(3));
    await userEvent.selectOptions(region, 'AT-9');
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].holiday_region).toBe('AT-9');
  });

  it('saves the tax adviser for the Art. 15 file and shows the core refusal under it', async () => {
    render(PracticeForm);
    const adviser = await screen.findByLabelText('Steuerberatung (Name und Anschrift)');
    expect(adviser).toHaveAccessibleDescription(/Art\. 15 DSGVO/);
    await userEvent.type(adviser, 'Steuerkanzlei Huber, Ring 1, 1010 Wien');
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].tax_adviser).toBe('Steuerkanzlei Huber, Ring 1, 1010 Wien');
    await screen.findByText(t('practice.saved'));

    sent = [];
    await userEvent.clear(adviser);
    await fireEvent.input(adviser, { target: { value: 'K'.repeat(301) } });
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    expect(
      await screen.findByText('Die Steuerberatung passt in eine Zeile mit höchstens 300 Zeichen.'),
    ).toBeInTheDocument();
    expect(adviser).toHaveAttribute('aria-invalid', 'true');
  });
});
