import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Problem } from '../lib/api';
import { setLanguage } from '../lib/i18n.svelte';
import Diagnose from './Diagnose.svelte';

const problems: Problem[] = [
  {
    at: '2026-11-30T18:02:11Z',
    level: 'warn',
    code: 'io.failed',
    what: 'failed',
    params: { file: 'pdf', kind: 'NotFound' },
  },
  {
    at: '2026-11-30T17:40:00Z',
    level: 'error',
    code: 'shell.exit_timeout',
    what: 'the data folder did not answer in time',
    params: {},
  },
];

let calls: { cmd: string; args: unknown }[] = [];
let listed: Problem[] = problems;
let chosen: string | null = '/home/anna/Tresor-Protokoll.log';

beforeEach(() => {
  calls = [];
  listed = problems;
  chosen = '/home/anna/Tresor-Protokoll.log';
  setLanguage('de');
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === 'diagnostics') return listed;
    if (cmd === 'pick_log_file') return chosen;
    if (cmd === 'save_log') return null;
    throw new Error(`unexpected ${cmd}`);
  });
});
afterEach(() => clearMocks());

describe('Diagnose', () => {
  it('lists the last problems in words with their codes', async () => {
    render(Diagnose);
    expect(await screen.findByText('io.failed')).toBeInTheDocument();
    expect(screen.getByText('shell.exit_timeout')).toBeInTheDocument();
    expect(
      screen.getByText(/Datenordner hat beim Beenden nicht rechtzeitig geantwortet/),
    ).toBeInTheDocument();
    // A path is never logged; the sentence that would name one says "…" instead.
    expect(screen.getByTestId('diagnose').textContent).not.toContain('{path}');
  });

  it('says so when nothing went wrong', async () => {
    listed = [];
    setLanguage('en');
    render(Diagnose);
    expect(await screen.findByText('Tresor has noticed no problems since it started.')).toBeInTheDocument();
  });

  it('saves the log where the user chose, with the shell’s argument names', async () => {
    render(Diagnose);
    await userEvent.click(await screen.findByRole('button', { name: 'Protokoll speichern …' }));
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent('/home/anna/Tresor-Protokoll.log'),
    );
    const pick = calls.find((c) => c.cmd === 'pick_log_file');
    expect(pick?.args).toEqual({ title: 'Protokoll speichern', file_name: 'Tresor-Protokoll.log' });
    expect(calls.find((c) => c.cmd === 'save_log')?.args).toEqual({
      path: '/home/anna/Tresor-Protokoll.log',
    });
  });

  it('writes nothing when the dialog was cancelled', async () => {
    chosen = null;
    render(Diagnose);
    await userEvent.click(await screen.findByRole('button', { name: 'Protokoll speichern …' }));
    await waitFor(() => expect(calls.some((c) => c.cmd === 'pick_log_file')).toBe(true));
    expect(calls.some((c) => c.cmd === 'save_log')).toBe(false);
  });
});
