import { render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import { app, synced } from '../lib/app.svelte';
import { setLanguage } from '../lib/i18n.svelte';
import Sidebar from './Sidebar.svelte';

const laptop = { device: 'd-2', name: 'LAPTOP-X', opened_at: '2026-11-22T09:02:00Z', heartbeat: '2026-11-22T09:30:00Z' };

beforeEach(() => {
  app.screen = 'main';
  app.sync = null;
  app.session.practice = null;
});

describe('the data folder in the sidebar', () => {
  it('says which other computer has the vault open, in local time', async () => {
    setLanguage('de');
    app.session.practice = { time_zone: 'Europe/Vienna', country: 'AT' } as never;
    synced({ changed: 0, others_open: [laptop], attention: 0 });
    render(Sidebar);
    expect(await screen.findByText('Auch geöffnet auf LAPTOP-X seit 10:02')).toBeInTheDocument();
    expect(screen.queryByText(/Hinweis/)).toBeNull();
  });

  it('counts what wants attention, in English too', async () => {
    setLanguage('en');
    synced({ changed: 0, others_open: [], attention: 2 });
    render(Sidebar);
    expect(await screen.findByText('2 notices in the data folder (tresor status)')).toBeInTheDocument();
  });
});

describe('a sync round', () => {
  it('reloads lists only when another computer changed something', () => {
    const g = app.session.generation;
    synced({ changed: 0, others_open: [], attention: 0 });
    expect(app.session.generation).toBe(g);
    synced({ changed: 3, others_open: [], attention: 0 });
    expect(app.session.generation).toBe(g + 1);
  });

  it('is ignored while locked, so nothing about the vault shows on the unlock screen', () => {
    app.screen = 'unlock';
    synced({ changed: 1, others_open: [laptop], attention: 0 });
    expect(app.sync).toBeNull();
  });
});
