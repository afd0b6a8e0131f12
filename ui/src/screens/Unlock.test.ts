import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { emit } from '@tauri-apps/api/event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppState } from '../lib/api';
import { app } from '../lib/app.svelte';
import { setLanguage, t } from '../lib/i18n.svelte';
import Unlock from './Unlock.svelte';

let calls: string[] = [];
let rejectUnlock: ((e: unknown) => void) | null = null;

beforeEach(() => {
  setLanguage('de');
  calls = [];
  app.state = {
    data_folder: '/cloud/Tresor',
    unlocked: false,
    unlock_wait_seconds: 0,
  } as unknown as AppState;
  mockIPC(
    (cmd) => {
      calls.push(cmd);
      if (cmd === 'unlock') return new Promise((_, reject) => (rejectUnlock = reject));
      if (cmd === 'cancel_task') {
        rejectUnlock?.({ code: 'task.cancelled', params: {} });
        return null;
      }
      throw new Error(`unexpected ${cmd}`);
    },
    { shouldMockEvents: true },
  );
});
afterEach(() => clearMocks());

describe('Unlock on a second computer', () => {
  it('shows how far the working copy is built and cancels it', async () => {
    const user = userEvent.setup();
    render(Unlock);
    await user.type(document.getElementById('unlock-secret') as HTMLInputElement, 'ein gutes Passwort');
    await user.click(screen.getByRole('button', { name: t('unlock.submit') }));
    await waitFor(() => expect(calls).toContain('unlock'));
    await emit('build-progress', { done: 1_048_576, total: 3_145_728 });
    const bar = await screen.findByRole('progressbar');
    await waitFor(() => expect(bar.getAttribute('value')).toBe('1048576'));
    expect(screen.getByRole('status').textContent).toMatch(/1(,0)? MB von 3(,1)? MB/);

    await user.click(screen.getByRole('button', { name: t('common.cancel') }));
    expect(calls).toContain('cancel_task');
    expect(await screen.findByTestId('unlock-error')).toHaveTextContent(t('second.cancelled'));
    expect(screen.queryByRole('progressbar')).toBeNull();
  });
});
