import { fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../lib/i18n.svelte';
import ClientRetention from './ClientRetention.svelte';

const ID = '0192f0c0-0000-7000-8000-000000000001';
let restricted = false;
let due = false;
let calls: { cmd: string; args: Record<string, unknown> }[] = [];

const item = () => ({
  client_id: ID,
  name: 'Rosa Sperr',
  code_name: 'KL-1',
  restricted,
  last_session: '2025-03-01',
  ends: { documentation: due ? '2020-03-01' : '2035-03-01', invoices: null },
  end: due ? '2020-03-01' : '2035-03-01',
  due,
});

beforeAll(() => {
  // jsdom has no modal dialogs; the dialog only needs them to open.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
});

beforeEach(() => {
  setLanguage('de');
  restricted = false;
  due = false;
  calls = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
    if (cmd === 'retention_of') return item();
    if (cmd === 'restrict_client') {
      restricted = Boolean((args as { restricted: boolean }).restricted);
      return null;
    }
    if (cmd === 'erase_client') {
      if (!due && !(args as { reason: string }).reason.trim())
        throw { code: 'retention.active', params: { until: '2035-03-01' } };
      return {
        erasure: {},
        rows_removed: 3,
        rows_kept: 0,
        segments_rewritten: 1,
        snapshots_removed: 1,
        snapshot: null,
      };
    }
    throw new Error(`unexpected ${cmd}`);
  });
});
afterEach(() => clearMocks());

describe('client retention', () => {
  it('shows the end, restricts and lifts', async () => {
    render(ClientRetention, { props: { clientId: ID } });
    expect(await screen.findByTestId('retention-end')).toHaveTextContent('Aufzubewahren bis 01.03.2035');
    await fireEvent.click(screen.getByText('Einschränken'));
    expect(await screen.findByText('Aufheben')).toBeInTheDocument();
    expect(screen.getByTestId('retention-end')).toHaveTextContent('Eingeschränkt');
    await fireEvent.click(screen.getByText('Aufheben'));
    expect(await screen.findByText('Einschränken')).toBeInTheDocument();
    expect(calls.filter((c) => c.cmd === 'restrict_client').map((c) => c.args.restricted)).toEqual([
      true,
      false,
    ]);
  });

  it('inside retention: explains it, offers restriction, and erases only with a reason', async () => {
    render(ClientRetention, { props: { clientId: ID } });
    await fireEvent.click(await screen.findByText('Löschen…'));
    expect(screen.getByTestId('erase-explain')).toHaveTextContent('bis 01.03.2035 aufzubewahren');
    const confirm = screen.getByText('Endgültig löschen');
    expect(confirm).toBeDisabled();
    expect(
      screen.getByText('Einschränken', { selector: '[data-action="restrict-instead"]' }),
    ).toBeInTheDocument();
    await fireEvent.input(screen.getByRole('textbox'), { target: { value: 'Widerruf der Einwilligung' } });
    expect(confirm).toBeEnabled();
    await fireEvent.click(confirm);
    await new Promise((r) => setTimeout(r, 0));
    const erase = calls.find((c) => c.cmd === 'erase_client');
    expect(erase?.args).toMatchObject({ client: ID, reason: 'Widerruf der Einwilligung' });
  });

  it('after the end: erases without a reason', async () => {
    due = true;
    render(ClientRetention, { props: { clientId: ID } });
    expect(await screen.findByTestId('retention-end')).toHaveTextContent('endete am 01.03.2020');
    await fireEvent.click(screen.getByText('Löschen…'));
    expect(screen.getByTestId('erase-explain')).toHaveTextContent('endete am 01.03.2020');
    const confirm = screen.getByText('Endgültig löschen');
    expect(confirm).toBeEnabled();
    await fireEvent.click(confirm);
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.some((c) => c.cmd === 'erase_client')).toBe(true);
  });
});
