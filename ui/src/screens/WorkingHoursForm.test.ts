import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Practice, PracticeUpdate } from '../lib/api';
import { setLanguage, t } from '../lib/i18n.svelte';
import WorkingHoursForm from './WorkingHoursForm.svelte';

const eight = { start_minute: 480, end_minute: 1080 };
const practice = {
  id: '0192f0c0-0000-7000-8000-000000000009',
  working_hours: { days: [eight, eight, eight, eight, eight, null, null] },
} as unknown as Practice;

let sent: PracticeUpdate[] = [];
let refuse = false;

beforeEach(() => {
  sent = [];
  refuse = false;
  setLanguage('de');
  mockIPC((cmd, args) => {
    if (cmd === 'update_practice') {
      const change = (args as { change: PracticeUpdate }).change;
      sent.push(change);
      if (refuse)
        throw {
          code: 'record.invalid',
          params: {
            field: 'hours_tuesday',
            problem: 'out_of_range',
            fields: [{ field: 'hours_tuesday', problem: 'out_of_range' }],
          },
        };
      return { ...practice, ...change };
    }
    throw new Error(`unexpected ${cmd}`);
  });
});
afterEach(() => clearMocks());

describe('WorkingHoursForm', () => {
  it('shows seven days and sends each as off or a span in minutes', async () => {
    render(WorkingHoursForm, { practice });
    expect(screen.getAllByRole('checkbox')).toHaveLength(7);
    expect((screen.getByLabelText('Samstag') as HTMLInputElement).checked).toBe(false);
    const tuesdayStart = screen.getByLabelText('Dienstag: Beginn') as HTMLInputElement;
    expect(tuesdayStart.value).toBe('08:00');
    await userEvent.clear(tuesdayStart);
    await userEvent.type(tuesdayStart, '12:00');
    const tuesdayEnd = screen.getByLabelText('Dienstag: Ende') as HTMLInputElement;
    await userEvent.clear(tuesdayEnd);
    await userEvent.type(tuesdayEnd, '20:00');
    await userEvent.click(screen.getByLabelText('Freitag'));
    await userEvent.click(screen.getByLabelText('Samstag'));
    await userEvent.click(screen.getByRole('button', { name: 'Arbeitszeiten speichern' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({
      working_hours: {
        days: [
          eight,
          { start_minute: 720, end_minute: 1200 },
          eight,
          eight,
          null,
          { start_minute: 480, end_minute: 1080 },
          null,
        ],
      },
    });
    await screen.findByText(t('working_hours.saved'));
  });

  it('sends an end of 00:00 as midnight', async () => {
    render(WorkingHoursForm, { practice });
    const end = screen.getByLabelText('Montag: Ende') as HTMLInputElement;
    await userEvent.clear(end);
    await userEvent.type(end, '00:00');
    await userEvent.click(screen.getByRole('button', { name: 'Arbeitszeiten speichern' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].working_hours?.days[0]).toEqual({ start_minute: 480, end_minute: 1440 });
  });

  it('shows the core’s refusal on the row of the day it names', async () => {
    refuse = true;
    render(WorkingHoursForm, { practice });
    await userEvent.click(screen.getByRole('button', { name: 'Arbeitszeiten speichern' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Dienstag: Das Ende muss nach dem Beginn liegen, spätestens um 24:00.');
    expect(alert.id).toBe('wh-hours_tuesday-error');
    expect(screen.getByLabelText('Dienstag: Beginn').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Montag: Beginn').getAttribute('aria-invalid')).toBeNull();
  });
});
