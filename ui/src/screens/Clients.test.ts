import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientPage, ClientQuery, ClientStatus } from '../lib/api';
import { view } from '../lib/clientList.svelte';
import { setLanguage } from '../lib/i18n.svelte';
import Clients from './Clients.svelte';

/** All `total` clients of one status in one page, each named after its status. */
const pageOf = (total: number, status: ClientStatus): ClientPage => ({
  total,
  items: Array.from({ length: total }, (_, i) => ({
    id: `0192f0c0-0000-7000-8000-${String(i).padStart(12, '0')}`,
    given_name: status,
    family_name: `Nr. ${i}`,
    code_name: '',
    birth_date: null,
    status,
    city: '',
  })),
});

// jsdom has no layout; the list measures its height with a ResizeObserver, which never fires here.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

let releaseClosed: (() => void) | null = null;

beforeEach(() => {
  setLanguage('de');
  view.filter = 'active';
  view.query = '';
  releaseClosed = null;
  mockIPC((cmd, args) => {
    if (cmd !== 'clients') throw { code: 'vault.locked', params: {} };
    const { status } = (args as { query: ClientQuery }).query;
    // The closed clients are slow to come: their answer arrives after the user moved on.
    if (status === 'closed') return new Promise((res) => (releaseClosed = () => res(pageOf(3, 'closed'))));
    if (status === 'active') return pageOf(5, 'active');
    return pageOf(42, 'restricted');
  });
});
afterEach(() => clearMocks());

describe('client list', () => {
  it('shows the newest filter’s answer even when an earlier one arrives later', async () => {
    const user = userEvent.setup();
    render(Clients);
    await screen.findByText('5 Klient*innen');
    await user.click(screen.getByRole('radio', { name: 'Abgeschlossen' }));
    await user.click(screen.getByRole('radio', { name: 'Alle' }));
    await screen.findByText('42 Klient*innen');
    await waitFor(() => expect(releaseClosed).not.toBeNull());
    releaseClosed?.();
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByText('3 Klient*innen')).toBeNull();
    expect(screen.getByText('42 Klient*innen')).toBeInTheDocument();
  });

  it('says in words when the list cannot be read', async () => {
    mockIPC(() => {
      throw { code: 'vault.locked', params: {} };
    });
    render(Clients);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).not.toContain('vault.locked');
    expect(alert.textContent?.length).toBeGreaterThan(10);
  });

  it('lists the clients restricted under Art. 18 in a view of their own', async () => {
    const asked: ClientQuery[] = [];
    mockIPC((_cmd, args) => {
      const q = (args as { query: ClientQuery }).query;
      asked.push(q);
      return q.restricted ? pageOf(2, 'active') : pageOf(5, 'active');
    });
    const user = userEvent.setup();
    render(Clients);
    await screen.findByText('5 Klient*innen');
    expect(asked[0].restricted).toBe(false);
    await user.click(screen.getByRole('radio', { name: 'Verarbeitung eingeschränkt' }));
    await screen.findByText('2 Klient*innen');
    expect(asked.at(-1)).toMatchObject({ status: null, restricted: true });
  });
});
