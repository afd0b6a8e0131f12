import { render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client, ClientTimeline } from '../lib/api';
import { app, dataChanged } from '../lib/app.svelte';
import { emptyClient } from '../lib/clientForm';
import { setLanguage } from '../lib/i18n.svelte';
import ClientPage from './ClientPage.svelte';

const ID = '0192f0c0-0000-7000-8000-000000000001';
const timeline = (family_name: string): ClientTimeline => ({
  client: {
    ...emptyClient(),
    family_name,
    id: ID,
    stamps: { created: '2026-11-01T08:00:00Z', updated: '2026-11-01T08:00:00Z', device: 'd' },
  } as Client,
  appointments: [],
  sessions: [],
  invoices: [],
});

let releaseFirst: (() => void) | null = null;
let calls = 0;
let retention: unknown = new Promise(() => {});

beforeEach(() => {
  setLanguage('de');
  app.session.generation = 0;
  calls = 0;
  releaseFirst = null;
  retention = new Promise(() => {});
  mockIPC((cmd) => {
    if (cmd === 'today') return '2026-11-22';
    if (cmd === 'client_billing') return { open: null, payments: [], unbilled: null };
    if (cmd === 'attachments') return [];
    if (cmd === 'retention_of') return retention;
    if (cmd !== 'client_timeline') throw new Error(`unexpected ${cmd}`);
    calls += 1;
    // The first read is slow; a sync changes the name meanwhile and the page reads again.
    if (calls === 1) return new Promise((res) => (releaseFirst = () => res(timeline('Alt'))));
    return timeline('Neu');
  });
});
afterEach(() => clearMocks());

describe('client page', () => {
  it('keeps the newer read when an older one arrives after it', async () => {
    render(ClientPage, { props: { id: ID } });
    await new Promise((r) => setTimeout(r, 0));
    dataChanged();
    expect(await screen.findByTestId('client-name')).toHaveTextContent('Neu');
    expect(releaseFirst).not.toBeNull();
    releaseFirst?.();
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByTestId('client-name')).toHaveTextContent('Neu');
  });

  it('offers no change of a client restricted under Art. 18, only lifting it', async () => {
    retention = {
      client_id: ID,
      name: 'Neu',
      code_name: 'K-1',
      restricted: true,
      last_session: '2025-11-03',
      ends: { documentation: '2035-11-03', invoices: null },
      end: '2035-11-03',
      due: false,
    };
    calls = 1; // no slow first read here
    render(ClientPage, { props: { id: ID } });
    expect(await screen.findByTestId('client-frozen')).toHaveTextContent('DSGVO Art. 18');
    expect(screen.getByRole('button', { name: 'Aufheben' })).toBeInTheDocument();
    for (const action of ['edit-client', 'new-appointment', 'new-session'])
      expect(document.querySelector(`[data-action="${action}"]`), action).toBeNull();
  });

  it('offers the changes while the client is not restricted', async () => {
    retention = {
      client_id: ID,
      name: 'Neu',
      code_name: 'K-1',
      restricted: false,
      last_session: null,
      ends: { documentation: null, invoices: null },
      end: null,
      due: true,
    };
    calls = 1;
    render(ClientPage, { props: { id: ID } });
    await screen.findByRole('button', { name: 'Einschränken' });
    expect(document.querySelector('[data-action="new-session"]')).not.toBeNull();
    expect(screen.queryByTestId('client-frozen')).toBeNull();
  });
});
