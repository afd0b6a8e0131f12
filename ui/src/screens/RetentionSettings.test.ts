import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RetentionPolicy } from '../lib/bindings';
import { setLanguage } from '../lib/i18n.svelte';
import RetentionSettings from './RetentionSettings.svelte';

let saved: RetentionPolicy[] = [];
let answer: (p: RetentionPolicy) => unknown;

beforeEach(() => {
  setLanguage('de');
  saved = [];
  answer = (p) => p;
  mockIPC((cmd, args) => {
    if (cmd === 'retention_policy') return { years: 10, minors_age: 18 };
    if (cmd === 'set_retention_policy') {
      const p = (args as { policy: RetentionPolicy }).policy;
      saved.push(p);
      return answer(p);
    }
    throw new Error(`unexpected ${cmd}`);
  });
});

afterEach(() => clearMocks());

const yearsLabel = 'Dokumentation aufbewahren (Jahre nach der letzten Sitzung)';

describe('retention settings', () => {
  it('shows the stored policy and saves a change through the core', async () => {
    render(RetentionSettings);
    const years = await screen.findByLabelText(yearsLabel);
    await screen.findByDisplayValue('10');
    expect(screen.getByLabelText('Bei Minderjährigen mindestens bis zum Alter (plus Frist)')).toHaveValue(
      '18',
    );
    await userEvent.clear(years);
    await userEvent.type(years, '12');
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    expect(await screen.findByTestId('retention-saved')).toBeInTheDocument();
    expect(saved).toEqual([{ years: 12, minors_age: 18 }]);
  });

  it('puts the core refusal under the field it names, in formal German', async () => {
    answer = () => {
      throw { code: 'record.invalid', params: { field: 'retention_years', problem: 'out_of_range' } };
    };
    render(RetentionSettings);
    const years = await screen.findByLabelText(yearsLabel);
    await screen.findByDisplayValue('10');
    await userEvent.clear(years);
    await userEvent.type(years, '0');
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    expect(
      await screen.findByText('Die Aufbewahrungsfrist muss zwischen 1 und 100 Jahren liegen.'),
    ).toBeInTheDocument();
    expect(years).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByTestId('retention-saved')).toBeNull();
  });

  it('asks for a whole number before it asks the core', async () => {
    render(RetentionSettings);
    const age = await screen.findByLabelText('Bei Minderjährigen mindestens bis zum Alter (plus Frist)');
    await screen.findByDisplayValue('18');
    await userEvent.clear(age);
    await userEvent.type(age, 'achtzehn');
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    expect(
      await screen.findByText(
        'Bei Minderjährigen mindestens bis zum Alter (plus Frist): Bitte geben Sie eine ganze Zahl ein.',
      ),
    ).toBeInTheDocument();
    expect(saved).toEqual([]);
  });
});
