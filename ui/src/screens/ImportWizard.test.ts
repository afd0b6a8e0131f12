import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportOptions, Preview, Proposal } from '../lib/bindings';
import { setLanguage, t } from '../lib/i18n.svelte';
import ImportWizard from './ImportWizard.svelte';

// What the core answers for a small German client list (see tests/import.rs for the real thing).
const proposal: Proposal = {
  kind: 'clients',
  columns: ['Nachname', 'Vorname', 'Geb.-Datum', 'Ort'],
  fields: [
    { field: 'given_name', required: false },
    { field: 'family_name', required: true },
    { field: 'birth_date', required: false },
    { field: 'city', required: false },
  ],
  mapping: { family_name: 'Nachname', given_name: 'Vorname', birth_date: 'Geb.-Datum' },
  rows: 3,
};

const preview = (mapping: Partial<Record<string, string>>): Preview => ({
  kind: 'clients',
  columns: proposal.columns,
  fields: proposal.fields,
  mapping,
  rows: 3,
  ready: [{ row: 2, label: 'Anna Müller', date: '1985-02-03', time: null, minutes: null, amount: null }],
  duplicates: [{ row: 4, label: 'Anna Müller', date: '1985-02-03', time: null, minutes: null, amount: null }],
  rejected: [{ row: 3, field: 'birth_date', reason: 'invalid', problem: 'bad_date' }],
});

let calls: { cmd: string; args: Record<string, unknown> }[] = [];
let picked: string | null = '/home/praxis/Klienten.csv';

beforeEach(() => {
  setLanguage('de');
  calls = [];
  picked = '/home/praxis/Klienten.csv';
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
    if (cmd === 'pick_import_file') return picked;
    if (cmd === 'import_columns') return proposal;
    if (cmd === 'import_preview') return preview((args as { options: ImportOptions }).options.mapping ?? {});
    if (cmd === 'import_file') {
      const o = (args as { options: ImportOptions }).options;
      return {
        imported: o.duplicates ? 2 : 1,
        skipped_duplicates: o.duplicates ? 0 : 1,
        rejected_rows: 1,
        preview: preview({}),
      };
    }
    throw new Error(`unexpected ${cmd}`);
  });
});
afterEach(() => clearMocks());

describe('ImportWizard', () => {
  it('proposes the mapping, lists each bad row by number and reason, and imports with the mapping shown', async () => {
    render(ImportWizard);
    await userEvent.click(screen.getByRole('button', { name: t('import.pick') }));
    // The window passes only the path; the core reads the file.
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === 'import_columns')?.args.path).toBe('/home/praxis/Klienten.csv'),
    );
    const family = (await screen.findByLabelText(/Nachname/)) as HTMLSelectElement;
    expect(family.value).toBe('Nachname');
    const city = screen.getByLabelText(/Ort/) as HTMLSelectElement;
    expect(city.value).toBe('');
    await userEvent.selectOptions(city, 'Ort');

    await userEvent.click(screen.getByRole('button', { name: t('import.check') }));
    const row = await waitFor(() => {
      const r = document.querySelector('[data-list="rejected"] [data-row="3"]');
      if (!r) throw new Error('no rejected row 3');
      return r as HTMLElement;
    });
    expect(within(row).getByText(/Geburtsdatum ist kein gültiges Datum/)).toBeInTheDocument();
    expect(screen.getByText(t('import.summary_rejected', { n: 1 }))).toBeInTheDocument();
    const sent = calls.find((c) => c.cmd === 'import_preview')?.args.options as ImportOptions;
    expect(sent.mapping).toEqual({
      family_name: 'Nachname',
      given_name: 'Vorname',
      birth_date: 'Geb.-Datum',
      city: 'Ort',
    });
    expect(sent.duplicates).toBe(false);

    await userEvent.click(screen.getByRole('button', { name: t('import.run', { n: 1 }) }));
    expect(await screen.findByText(t('import.done', { n: 1 }))).toBeInTheDocument();
    expect(screen.getByText(t('import.done_skipped', { n: 1 }))).toBeInTheDocument();
    expect(calls.filter((c) => c.cmd === 'import_file')).toHaveLength(1);
  });

  it('imports duplicates only when asked', async () => {
    render(ImportWizard);
    await userEvent.click(screen.getByRole('button', { name: t('import.pick') }));
    await userEvent.click(await screen.findByRole('button', { name: t('import.check') }));
    await userEvent.click(await screen.findByLabelText(t('import.import_duplicates')));
    await userEvent.click(screen.getByRole('button', { name: t('import.run', { n: 2 }) }));
    await screen.findByText(t('import.done', { n: 2 }));
    expect((calls.find((c) => c.cmd === 'import_file')?.args.options as ImportOptions).duplicates).toBe(true);
  });

  it('does nothing when the dialog is cancelled, and shows a refusal in words', async () => {
    picked = null;
    render(ImportWizard);
    await userEvent.click(screen.getByRole('button', { name: t('import.pick') }));
    await waitFor(() => expect(calls.map((c) => c.cmd)).toEqual(['pick_import_file']));
    expect(screen.queryByText(t('import.step_map'))).toBeNull();

    picked = '/x.xlsx';
    mockIPC((cmd) => {
      if (cmd === 'pick_import_file') return picked;
      throw { code: 'import.unreadable', params: { reason: 'spreadsheet' } };
    });
    await userEvent.click(screen.getByRole('button', { name: t('import.pick') }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Die Datei kann nicht gelesen werden');
  });
});
