import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppState, Settings } from '../lib/api';
import { app } from '../lib/app.svelte';
import { setLanguage, t } from '../lib/i18n.svelte';
import Backups from './Backups.svelte';

const settings = (over: Partial<Settings> = {}): Settings => ({
  last_data_folder: null,
  language: 'de',
  idle_minutes: 10,
  backup: null,
  last_backup: null,
  reminders: { appointments: true, minutes_before: 15, overdue_invoices: true, show_names: false },
  reminders_checked_on: null,
  ...over,
});

let calls: { cmd: string; args: Record<string, unknown> }[] = [];
let rejectRestore: ((e: unknown) => void) | null = null;

beforeEach(() => {
  setLanguage('de');
  calls = [];
  app.state = { settings: settings(), data_folder: '/d', unlocked: true } as AppState;
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> });
    if (cmd === 'vault_info') return { id: 'v1', data_folder: '/d', device: 'PC' };
    if (cmd === 'backup_now')
      return { path: '/media/usb/tresor-v1-x.tresor-backup', bytes: 2_500_000, at: '2026-11-22T17:00:00Z' };
    if (cmd === 'app_state')
      return {
        ...app.state,
        settings: settings({
          last_backup: { vault_id: 'v1', at: '2026-11-22T17:00:00Z', path: '/media/usb/x' },
        }),
      };
    if (cmd === 'set_backup_schedule') {
      const s = (args as { schedule: Settings['backup'] }).schedule;
      return settings({ backup: s });
    }
    if (cmd.startsWith('plugin:event')) return 1;
    if (cmd === 'cancel_task') {
      rejectRestore?.({ code: 'task.cancelled', params: {} });
      return null;
    }
    if (cmd === 'restore_backup' && (args as { into: string }).into === '/slow')
      return new Promise((_, reject) => (rejectRestore = reject));
    if (cmd === 'restore_backup') {
      if ((args as { secret: { value: string } }).secret.value !== 'richtig richtig')
        throw { code: 'vault.wrong_secret', params: {} };
      return 1;
    }
    throw new Error(`unexpected ${cmd}`);
  });
});
afterEach(() => clearMocks());

describe('Backups', () => {
  it('makes a backup now and then shows the date of the last good one', async () => {
    render(Backups);
    expect(await screen.findByText(t('backups.never'))).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText(t('backups.folder')), '/media/usb');
    await userEvent.click(screen.getByRole('button', { name: t('backups.now') }));
    expect(await screen.findByText(/Die Sicherung wurde geschrieben und geprüft/)).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === 'backup_now')?.args).toEqual({ dir: '/media/usb' });
    expect(
      await screen.findByText(/Die letzte gelungene Sicherung wurde am 22\.11\.2026/),
    ).toBeInTheDocument();
  });

  it('stores the daily schedule with the number to keep', async () => {
    render(Backups);
    await userEvent.type(screen.getByLabelText(t('backups.folder')), '/media/usb');
    await userEvent.click(screen.getByLabelText(t('backups.daily')));
    const keep = screen.getByLabelText(t('backups.keep'));
    await userEvent.clear(keep);
    await userEvent.type(keep, '7');
    await userEvent.click(screen.getByRole('button', { name: t('backups.save_schedule') }));
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === 'set_backup_schedule')?.args).toEqual({
        schedule: { dir: '/media/usb', keep: 7, at_close: true },
      }),
    );
    expect(await screen.findByText(t('backups.schedule_on', { keep: 7 }))).toBeInTheDocument();
  });

  it('restores into a new folder, and says so in words when the password is wrong', async () => {
    render(Backups);
    await userEvent.type(screen.getByLabelText(t('backups.file')), '/media/usb/x.tresor-backup');
    await userEvent.type(screen.getByLabelText(t('backups.into')), '/home/anna/Wiederhergestellt');
    const pw = screen.getByLabelText(t('backups.password'));
    await userEvent.type(pw, 'falsch');
    await userEvent.click(screen.getByRole('button', { name: t('backups.restore') }));
    expect(await screen.findByText(t('errors.vault.wrong_secret'))).toBeInTheDocument();
    await userEvent.clear(pw);
    await userEvent.type(pw, 'richtig richtig');
    await userEvent.click(screen.getByRole('button', { name: t('backups.restore') }));
    expect(
      await screen.findByText(t('backups.restored', { path: '/home/anna/Wiederhergestellt' })),
    ).toBeInTheDocument();
  });

  it('cancels a restore and says that nothing was left', async () => {
    render(Backups);
    await userEvent.type(screen.getByLabelText(t('backups.file')), '/media/usb/x.tresor-backup');
    await userEvent.type(screen.getByLabelText(t('backups.into')), '/slow');
    await userEvent.type(screen.getByLabelText(t('backups.password')), 'richtig richtig');
    await userEvent.click(screen.getByRole('button', { name: t('backups.restore') }));
    await userEvent.click(await screen.findByRole('button', { name: t('common.cancel') }));
    expect(await screen.findByText(t('backups.restore_cancelled'))).toBeInTheDocument();
    expect(calls.some((c) => c.cmd === 'cancel_task')).toBe(true);
  });
});
