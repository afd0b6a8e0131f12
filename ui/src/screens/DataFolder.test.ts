import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DataFolderInfo, FolderCheck } from '../lib/api';
import { setLanguage, t } from '../lib/i18n.svelte';
import DataFolder from './DataFolder.svelte';

const info = (over: Partial<DataFolderInfo> = {}): DataFolderInfo => ({
  path: '/home/anna/Dokumente/Tresor',
  files: 12,
  bytes: 1_536_000,
  cloud: null,
  devices: [
    { id: 'a', name: 'PRAXIS-PC', this_device: true, open_now: true, last_seen: '2026-11-22T08:00:00Z' },
    { id: 'b', name: 'LAPTOP', this_device: false, open_now: false, last_seen: '2026-11-21T17:30:00Z' },
  ],
  foreign: [
    { shown: 'vault (1).key', kind: 'header_conflict', same_as_current: false, needs_user: true },
    { shown: 'log/x/1.seg.icloud', kind: 'in_transit', same_as_current: null, needs_user: false },
  ],
  conflicts: 2,
  clashes: [{ kind: 'invoice_number', key: '2026-0007', count: 2 }],
  ...over,
});

const empty = (path: string, cloud: FolderCheck['cloud']): FolderCheck => ({
  path,
  exists: true,
  empty: true,
  has_vault: false,
  cloud,
});

let calls: { cmd: string; args: Record<string, unknown> }[] = [];
let releaseMove: ((v: unknown) => void) | null = null;
let rejectMove: ((e: unknown) => void) | null = null;

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
  calls = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> });
    if (cmd === 'data_folder_info') return info();
    if (cmd === 'inspect_folder') {
      const folder = (args as { folder: string }).folder;
      // The OneDrive root holds other files: the dialog offers a "Tresor" folder inside.
      if (folder === '/home/anna/OneDrive') return { ...empty(folder, 'one_drive'), empty: false };
      return empty(folder, 'one_drive');
    }
    if (cmd === 'move_data_folder')
      return new Promise((resolve, reject) => {
        releaseMove = resolve;
        rejectMove = reject;
      });
    if (cmd === 'cancel_task') {
      rejectMove?.({ code: 'task.cancelled', params: {} });
      return null;
    }
    if (cmd === 'app_state') return null;
    if (cmd === 'rename_device') {
      const name = (args as { name: string }).name.trim();
      if (!name) throw { code: 'record.invalid', params: { field: 'name', problem: 'required' } };
      return name.normalize('NFC');
    }
    if (cmd.startsWith('plugin:event')) return 1;
    throw new Error(`unexpected ${cmd}`);
  });
});
afterEach(() => clearMocks());

describe('DataFolder', () => {
  it('tells where the folder is, how big, who uses it and what the foreign files mean', async () => {
    render(DataFolder);
    expect(await screen.findByText('/home/anna/Dokumente/Tresor')).toBeInTheDocument();
    expect(screen.getByText('12 Dateien, zusammen 1,5 MB')).toBeInTheDocument();
    expect(screen.getByText(t('folder.not_synced'))).toBeInTheDocument();
    const devices = within(document.querySelector('[data-card="devices"]') as HTMLElement);
    expect(devices.getByText('PRAXIS-PC')).toBeInTheDocument();
    expect(devices.getByText(/zuletzt gesehen 21\.11\.2026/)).toBeInTheDocument();
    expect(screen.getByText(t('folder.foreign.header_differs'))).toBeInTheDocument();
    expect(screen.getByText(t('folder.foreign.in_transit'))).toBeInTheDocument();
    expect(screen.getByText(/Die Rechnungsnummer 2026-0007 wurde 2-mal vergeben/)).toBeInTheDocument();
    expect(screen.getByText(/2 Felder wurden auf zwei Computern/)).toBeInTheDocument();
  });

  it("renames this computer through the core and shows the core's refusal", async () => {
    render(DataFolder);
    const field = (await screen.findByLabelText(t('desktop.device_name'))) as HTMLInputElement;
    expect(field.value).toBe('PRAXIS-PC');
    await userEvent.clear(field);
    await userEvent.click(screen.getByRole('button', { name: t('desktop.device_rename') }));
    expect(await screen.findByRole('alert')).toBeInTheDocument();
    await userEvent.type(field, 'Praxis Ko\u0308ln');
    await userEvent.click(screen.getByRole('button', { name: t('desktop.device_rename') }));
    expect(await screen.findByText(t('desktop.device_renamed'))).toBeInTheDocument();
    expect(calls.filter((c) => c.cmd === 'rename_device').map((c) => c.args)).toEqual([
      { name: '' },
      { name: 'Praxis Ko\u0308ln' },
    ]);
  });

  it('recognises the cloud folder, explains the move and cancels it safely', async () => {
    render(DataFolder);
    await userEvent.click(await screen.findByRole('button', { name: t('folder.move') }));
    const target = screen.getByLabelText(t('folder.move_target'));
    await userEvent.type(target, '/home/anna/OneDrive');
    await userEvent.tab();
    expect(await screen.findByText('Dieser Ordner wird von OneDrive synchronisiert.')).toBeInTheDocument();
    expect((target as HTMLInputElement).value).toBe('/home/anna/OneDrive/Tresor');
    expect(screen.getByText(t('folder.step_verify'))).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: t('folder.move_start') }));
    await waitFor(() => expect(calls.some((c) => c.cmd === 'move_data_folder')).toBe(true));
    expect(calls.find((c) => c.cmd === 'move_data_folder')?.args).toEqual({
      to: '/home/anna/OneDrive/Tresor',
    });
    await userEvent.click(screen.getByRole('button', { name: t('common.cancel') }));
    expect(await screen.findByText(t('folder.move_cancelled'))).toBeInTheDocument();
    expect(calls.some((c) => c.cmd === 'cancel_task')).toBe(true);
  });

  it('says where the folder went after a move', async () => {
    render(DataFolder);
    await userEvent.click(await screen.findByRole('button', { name: t('folder.move') }));
    await userEvent.type(screen.getByLabelText(t('folder.move_target')), '/home/anna/Dropbox/Tresor');
    await userEvent.tab();
    await userEvent.click(await screen.findByRole('button', { name: t('folder.move_start') }));
    await waitFor(() => expect(releaseMove).not.toBeNull());
    releaseMove?.({ path: '/home/anna/Dropbox/Tresor', files: 12, bytes: 1_536_000, skipped: [] });
    expect(
      await screen.findByText(t('folder.moved', { path: '/home/anna/Dropbox/Tresor' })),
    ).toBeInTheDocument();
  });
});
