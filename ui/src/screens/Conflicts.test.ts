import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConflictView } from '../lib/api';
import { setLanguage, t } from '../lib/i18n.svelte';
import Conflicts from './Conflicts.svelte';

const phone: ConflictView = {
  id: '01a2-phone',
  entity: 'client',
  row_id: '0192f0c0-0000-7000-8000-000000000001',
  field: 'phone',
  record: 'Anna Berger',
  kept: { value: '+43 660 1111111', at: '2026-11-22T09:05:00Z', computer: 'LAPTOP' },
  other: { value: '+43 660 2222222', at: '2026-11-22T09:04:00Z', computer: 'PRAXIS-PC' },
  resolution: null,
};

let open: ConflictView[] = [];
let resolved: { id: string; side: string }[] = [];

beforeEach(() => {
  setLanguage('de');
  open = [phone];
  resolved = [];
  mockIPC((cmd, args) => {
    if (cmd === 'conflicts') return open;
    if (cmd === 'resolve_conflict') {
      const a = args as { id: string; side: string };
      resolved.push(a);
      open = [];
      return { ...phone, resolution: a.side };
    }
    throw new Error(`unexpected ${cmd}`);
  });
});
afterEach(() => clearMocks());

describe('Conflicts', () => {
  it('shows the record, the field, both values with computer and time', async () => {
    render(Conflicts);
    expect(await screen.findByText(/Anna Berger/)).toBeInTheDocument();
    expect(screen.getByText(`Feld: ${t('fields.phone.label')}`)).toBeInTheDocument();
    const kept = within(document.querySelector('[data-side="kept"]') as HTMLElement);
    const other = within(document.querySelector('[data-side="other"]') as HTMLElement);
    expect(kept.getByText('+43 660 1111111')).toBeInTheDocument();
    expect(other.getByText('+43 660 2222222')).toBeInTheDocument();
    expect(other.getByText(/PRAXIS-PC, 22\.11\.2026/)).toBeInTheDocument();
  });

  it('takes the other value with one click and then has nothing left', async () => {
    render(Conflicts);
    await userEvent.click(await screen.findByRole('button', { name: t('conflicts.take_other') }));
    await waitFor(() => expect(resolved).toEqual([{ id: '01a2-phone', side: 'other' }]));
    expect(await screen.findByText(t('conflicts.none'))).toBeInTheDocument();
  });

  it('keeps the shown value with one click', async () => {
    render(Conflicts);
    await userEvent.click(await screen.findByRole('button', { name: t('conflicts.keep') }));
    await waitFor(() => expect(resolved).toEqual([{ id: '01a2-phone', side: 'kept' }]));
  });
});
