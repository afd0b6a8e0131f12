import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CalendarRange } from '../lib/bindings';
import { app } from '../lib/app.svelte';
import { setLanguage, t } from '../lib/i18n.svelte';
import Calendar from './Calendar.svelte';

const stamps = { created: '2026-11-01T08:00:00Z', updated: '2026-11-01T08:00:00Z', device: 'd' };
let asked: { from: string; to: string }[] = [];
let note = '';
let lifetimes: unknown[] = [];

function range(): CalendarRange {
  return {
    items: [
      {
        appointment: {
          id: 'a1',
          client_id: 'c1',
          service_id: null,
          start: '2026-03-30T07:00:00Z',
          end: '2026-03-30T07:50:00Z',
          time_zone: 'Europe/Vienna',
          kind: 'video',
          video_link: 'https://video.example/r',
          status: 'planned',
          series_id: 's1',
          note,
          note_expires: null,
          stamps,
        },
        client_name: 'Sophie Pichler',
        local_start: '2026-03-30T09:00:00',
        local_end: '2026-03-30T09:50:00',
        session_id: null,
        restricted: false,
      },
      {
        // A restricted client's appointment: the core sends the slot without name or details.
        appointment: {
          id: 'a2',
          client_id: 'c2',
          service_id: null,
          start: '2026-03-31T08:00:00Z',
          end: '2026-03-31T08:50:00Z',
          time_zone: 'Europe/Vienna',
          kind: 'in_person',
          video_link: '',
          status: 'planned',
          series_id: null,
          note: '',
          note_expires: null,
          stamps,
        },
        client_name: '',
        local_start: '2026-03-31T10:00:00',
        local_end: '2026-03-31T10:50:00',
        session_id: null,
        restricted: true,
      },
    ],
    holidays: [{ date: '2026-04-06', name_de: 'Ostermontag', name_en: 'Easter Monday' }],
    working_hours: { days: [...Array(5).fill({ start_minute: 480, end_minute: 1080 }), null, null] },
    time_zone: 'Europe/Vienna',
    no_show_fee: 4500,
  };
}

beforeAll(() => {
  // jsdom lays nothing out; the calendar library only needs to be told about sizes.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
  // The library's now-line observes itself whenever the real clock falls inside the shown
  // hours of a shown day (the first render shows this week): without it the test depended on
  // the time of day it ran at.
  globalThis.IntersectionObserver ??= class {
    readonly root = null;
    readonly rootMargin = '';
    readonly thresholds = [];
    observe() {}
    unobserve() {}
    disconnect() {}
    takeRecords() {
      return [];
    }
  } as unknown as typeof IntersectionObserver;
  document.elementsFromPoint ??= () => [];
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
});

beforeEach(() => {
  setLanguage('de');
  asked = [];
  note = '';
  lifetimes = [];
  mockIPC((cmd, args) => {
    if (cmd === 'set_note_lifetime') {
      lifetimes.push(args);
      return { ...range().items[0].appointment, note_expires: '2026-05-01T07:00:00Z' };
    }
    if (cmd === 'today') return '2026-04-01';
    if (cmd === 'calendar') {
      asked.push(args as { from: string; to: string });
      return range();
    }
    if (cmd === 'services') return [];
    if (cmd === 'search_clients') return [];
    throw new Error(`unexpected ${cmd}`);
  });
});
afterEach(() => clearMocks());

describe('Calendar', () => {
  it('asks the core for the week from Monday and shows its appointments', async () => {
    render(Calendar);
    await waitFor(() => expect(asked[0]).toEqual({ from: '2026-03-30', to: '2026-04-05' }));
    expect(await screen.findByText('Sophie Pichler')).toBeInTheDocument();
    expect(screen.getByText('30.03.2026 – 05.04.2026')).toBeInTheDocument();
  });

  it('moves with the arrow keys, jumps back with T and switches to the month with M', async () => {
    render(Calendar);
    await waitFor(() => expect(asked).toHaveLength(1));
    await userEvent.keyboard('{ArrowRight}');
    await waitFor(() => expect(asked.at(-1)).toEqual({ from: '2026-04-06', to: '2026-04-12' }));
    await userEvent.keyboard('t');
    await waitFor(() => expect(asked.at(-1)).toEqual({ from: '2026-03-30', to: '2026-04-05' }));
    await userEvent.keyboard('m');
    await waitFor(() => expect(asked.at(-1)).toEqual({ from: '2026-03-30', to: '2026-05-03' }));
  });

  it('opens the new-appointment dialog with N, asking for the client', async () => {
    render(Calendar);
    await waitFor(() => expect(asked).toHaveLength(1));
    await userEvent.keyboard('n');
    expect(await screen.findByLabelText(t('calendar.client'), { exact: false })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: t('appointment.save') }));
    expect(await screen.findByText(t('calendar.client_required'))).toBeInTheDocument();
  });

  it('opens an appointment with its actions and offers the series scope for a change', async () => {
    render(Calendar);
    // A plain click: jsdom has no layout for the library's pointer (drag) handling.
    await fireEvent.click(await screen.findByText('Sophie Pichler'));
    expect(await screen.findByRole('button', { name: t('calendar.join_video') })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: t('calendar.edit') }));
    expect(screen.getByLabelText(t('calendar.scope_following'))).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: t('common.back') }));
    await userEvent.click(screen.getByRole('button', { name: t('calendar.cancel') }));
    expect(screen.getByText(/mit Ausfallhonorar \(45,00\s€\)/)).toBeInTheDocument();
  });

  it("shows a restricted client's appointment as a busy slot that does not open", async () => {
    const { container } = render(Calendar);
    await screen.findByText('Sophie Pichler');
    const slot = await waitFor(() => {
      const el = container.querySelector<HTMLElement>('[data-appointment="a2"]');
      expect(el).not.toBeNull();
      return el as HTMLElement;
    });
    expect(slot.dataset.restricted).toBe('true');
    expect(slot.textContent).toContain('Eingeschränkt');
    expect(slot.title).toBe(t('retention.busy_hint'));
    await fireEvent.click(slot);
    expect(screen.queryByRole('button', { name: t('calendar.edit') })).toBeNull();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('documents an appointment: the session form opens for its client', async () => {
    render(Calendar);
    await fireEvent.click(await screen.findByText('Sophie Pichler'));
    await userEvent.click(await screen.findByRole('button', { name: t('calendar.document') }));
    expect(app.session.route).toEqual({ name: 'session-new', clientId: 'c1', appointmentId: 'a1' });
  });

  it('gives a note a lifetime and says when the core will delete it', async () => {
    note = 'Rückruf wegen Befund';
    render(Calendar);
    await fireEvent.click(await screen.findByText('Sophie Pichler'));
    expect(await screen.findByText('Rückruf wegen Befund')).toBeInTheDocument();
    expect(screen.queryByTestId('note-goes')).toBeNull();
    await userEvent.selectOptions(screen.getByLabelText(t('calendar.note_keep')), '30 Tage');
    await waitFor(() => expect(lifetimes).toEqual([{ appointment: 'a1', days: 30 }]));
    expect(await screen.findByTestId('note-goes')).toHaveTextContent('01.05.2026');
  });

  it('offers no lifetime for an appointment without a note', async () => {
    render(Calendar);
    await fireEvent.click(await screen.findByText('Sophie Pichler'));
    await screen.findByRole('button', { name: t('calendar.join_video') });
    expect(screen.queryByLabelText(t('calendar.note_keep'))).toBeNull();
  });
});
