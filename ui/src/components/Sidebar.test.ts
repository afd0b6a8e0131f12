import { render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { app, synced, syncProblem } from '../lib/app.svelte';
import { setLanguage } from '../lib/i18n.svelte';
import Sidebar from './Sidebar.svelte';

const laptop = {
  device: 'd-2',
  name: 'LAPTOP-X',
  opened_at: '2026-11-22T09:02:00Z',
  heartbeat: '2026-11-22T09:30:00Z',
};

beforeEach(() => {
  app.screen = 'main';
  app.sync = null;
  app.session.practice = null;
  vi.useFakeTimers({ toFake: ['Date'] });
  // The laptop's last heartbeat was three and a half minutes ago.
  vi.setSystemTime(new Date('2026-11-22T09:33:30Z'));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the data folder in the sidebar', () => {
  it('says which other computer has the vault open, in local time', async () => {
    setLanguage('de');
    app.session.practice = { time_zone: 'Europe/Vienna', country: 'AT' } as never;
    synced({
      changed: 0,
      others_open: [laptop],
      attention: 0,
      in_transit: 0,
      conflicts: 0,
      problem: null,
      working_locally: false,
      folder_key_older: false,
    });
    render(Sidebar);
    expect(
      await screen.findByText('Auch geöffnet auf LAPTOP-X seit 10:02, zuletzt vor 3 Minuten gesehen'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Hinweis/)).toBeNull();
  });

  it('says "just now" for a heartbeat within the last minute, in English too', async () => {
    setLanguage('en');
    app.session.practice = { time_zone: 'Europe/Vienna', country: 'AT' } as never;
    vi.setSystemTime(new Date('2026-11-22T09:30:40Z'));
    synced({
      changed: 0,
      others_open: [laptop],
      attention: 0,
      in_transit: 0,
      conflicts: 0,
      problem: null,
      working_locally: false,
      folder_key_older: false,
    });
    render(Sidebar);
    expect(
      await screen.findByText('Also open on LAPTOP-X since 10:02, last seen just now'),
    ).toBeInTheDocument();
  });

  it('says the practice works locally while the data folder is away, calmly', async () => {
    setLanguage('de');
    synced({
      changed: 0,
      others_open: [],
      attention: 0,
      in_transit: 0,
      conflicts: 0,
      problem: null,
      working_locally: true,
      folder_key_older: false,
    });
    const { container } = render(Sidebar);
    expect(
      await screen.findByText(/Sie arbeiten lokal: Der Datenordner ist gerade nicht erreichbar/),
    ).toBeInTheDocument();
    expect(container.querySelector('[data-state="attention"]')).toBeNull();
    expect(container.querySelector('[data-state="folder-key-older"]')).toBeNull();
  });

  it('names an older vault.key in the data folder as something for the user', async () => {
    setLanguage('en');
    synced({
      changed: 0,
      others_open: [],
      attention: 0,
      in_transit: 0,
      conflicts: 0,
      problem: null,
      working_locally: false,
      folder_key_older: true,
    });
    const { container } = render(Sidebar);
    expect(await screen.findByText(/holds an older vault.key than this computer/)).toBeInTheDocument();
    expect(container.querySelector('[data-state="working-locally"]')).toBeNull();
  });

  it('names files still on their way calmly, without the attention mark', async () => {
    setLanguage('de');
    synced({
      changed: 0,
      others_open: [],
      attention: 0,
      in_transit: 2,
      conflicts: 0,
      problem: null,
      working_locally: false,
      folder_key_older: false,
    });
    const { container } = render(Sidebar);
    expect(await screen.findByText(/2 Dateien im Datenordner noch unterwegs/)).toBeInTheDocument();
    expect(container.querySelector('[data-state="attention"]')).toBeNull();
  });

  it('tells a background problem in words until a round succeeds', async () => {
    setLanguage('de');
    synced({
      changed: 0,
      others_open: [],
      attention: 0,
      in_transit: 0,
      conflicts: 0,
      problem: null,
      working_locally: false,
      folder_key_older: false,
    });
    syncProblem({ code: 'shell.background_panic', params: {} });
    render(Sidebar);
    const note = await screen.findByText(
      /Der Abgleich mit dem Datenordner hat gerade nicht geklappt: Die Arbeit im Hintergrund/,
    );
    expect(note.textContent).toContain('die automatische Sperre ist davon nicht betroffen');
    synced({
      changed: 0,
      others_open: [],
      attention: 0,
      in_transit: 0,
      conflicts: 0,
      problem: null,
      working_locally: false,
      folder_key_older: false,
    });
    await vi.waitFor(() => expect(screen.queryByText(/nicht geklappt/)).toBeNull());
  });

  it('counts what wants attention, in English too', async () => {
    setLanguage('en');
    synced({
      changed: 0,
      others_open: [],
      attention: 2,
      in_transit: 0,
      conflicts: 0,
      problem: null,
      working_locally: false,
      folder_key_older: false,
    });
    render(Sidebar);
    expect(await screen.findByText('2 notices in the data folder (tresor status)')).toBeInTheDocument();
  });

  it('leads from the conflicts and the other computer to their screens', async () => {
    setLanguage('de');
    synced({
      changed: 0,
      others_open: [laptop],
      attention: 0,
      in_transit: 0,
      conflicts: 2,
      problem: null,
      working_locally: false,
      folder_key_older: false,
    });
    render(Sidebar);
    (await screen.findByText('2 Felder auf zwei Computern geändert')).click();
    expect(app.session.route).toEqual({ name: 'conflicts' });
    (await screen.findByText(/Auch geöffnet auf LAPTOP-X/)).click();
    expect(app.session.route).toEqual({ name: 'settings', tab: 'folder' });
  });
});

describe('a sync round', () => {
  it('reloads lists only when another computer changed something', () => {
    const g = app.session.generation;
    synced({
      changed: 0,
      others_open: [],
      attention: 0,
      in_transit: 0,
      conflicts: 0,
      problem: null,
      working_locally: false,
      folder_key_older: false,
    });
    expect(app.session.generation).toBe(g);
    synced({
      changed: 3,
      others_open: [],
      attention: 0,
      in_transit: 0,
      conflicts: 0,
      problem: null,
      working_locally: false,
      folder_key_older: false,
    });
    expect(app.session.generation).toBe(g + 1);
  });

  it('is ignored while locked, so nothing about the vault shows on the unlock screen', () => {
    app.screen = 'unlock';
    synced({
      changed: 1,
      others_open: [laptop],
      attention: 0,
      in_transit: 0,
      conflicts: 0,
      problem: null,
      working_locally: false,
      folder_key_older: false,
    });
    expect(app.sync).toBeNull();
  });
});
