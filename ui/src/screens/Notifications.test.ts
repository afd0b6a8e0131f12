import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppState, Settings } from '../lib/api';
import type { ReminderPrefs } from '../lib/bindings';
import { app } from '../lib/app.svelte';
import { setLanguage } from '../lib/i18n.svelte';
import Notifications from './Notifications.svelte';

const defaults: ReminderPrefs = {
  appointments: true,
  minutes_before: 15,
  overdue_invoices: true,
  show_names: false,
};

function settings(reminders: ReminderPrefs): Settings {
  return {
    last_data_folder: '/d',
    language: 'de',
    idle_minutes: 10,
    backup: null,
    last_backup: null,
    reminders,
    reminders_checked_on: null,
  } as Settings;
}

let sent: ReminderPrefs[] = [];

beforeEach(() => {
  sent = [];
  setLanguage('de');
  app.state = { settings: settings(defaults), data_folder: '/d', unlocked: true } as unknown as AppState;
  mockIPC((cmd, args) => {
    if (cmd === 'set_reminders') {
      const prefs = (args as { prefs: ReminderPrefs }).prefs;
      sent.push(prefs);
      // The shell clamps the minutes to 1..240.
      return settings({ ...prefs, minutes_before: Math.min(240, Math.max(1, prefs.minutes_before)) });
    }
    throw new Error(`unexpected ${cmd}`);
  });
});
afterEach(() => clearMocks());

describe('Notifications', () => {
  it('shows the stored choice, with names off by default', () => {
    render(Notifications);
    expect((screen.getByLabelText('An den nächsten Termin erinnern') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText(/überfällige Rechnungen/) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText(/Namen der Klient\*in/) as HTMLInputElement).checked).toBe(false);
    expect((screen.getByLabelText('Wie lange vorher') as HTMLInputElement).value).toBe('15');
    expect(screen.getByText(/Sperrbildschirm/)).toBeInTheDocument();
  });

  it('stores each change at once and shows what the shell kept', async () => {
    render(Notifications);
    await userEvent.click(screen.getByLabelText(/Namen der Klient\*in/));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ ...defaults, show_names: true });
    const minutes = screen.getByLabelText('Wie lange vorher') as HTMLInputElement;
    await userEvent.clear(minutes);
    await userEvent.type(minutes, '500');
    await userEvent.tab();
    await waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[1].minutes_before).toBe(500);
    await waitFor(() => expect(minutes.value).toBe('240'));
    expect(app.state?.settings.reminders.show_names).toBe(true);
    await userEvent.click(screen.getByLabelText('An den nächsten Termin erinnern'));
    await waitFor(() => expect(sent).toHaveLength(3));
    expect(sent[2].appointments).toBe(false);
    expect(minutes.disabled).toBe(true);
  });
});
