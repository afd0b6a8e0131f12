import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Appointment, CalendarItem, RetentionItem, Session, TodayOverview } from '../lib/bindings';
import { app } from '../lib/app.svelte';
import { setLanguage, t } from '../lib/i18n.svelte';
import Today from './Today.svelte';

const stamps = { created: '2026-11-01T08:00:00Z', updated: '2026-11-01T08:00:00Z', device: 'd' };
const ANNA = '0192f0c0-0000-7000-8000-0000000000a1';

function appointment(id: string, status: Appointment['status'] = 'planned'): Appointment {
  return {
    id,
    client_id: ANNA,
    service_id: null,
    start: '2026-11-10T08:00:00Z',
    end: '2026-11-10T08:50:00Z',
    time_zone: 'Europe/Vienna',
    kind: 'in_person',
    video_link: '',
    status,
    series_id: null,
    note: '',
    note_expires: null,
    stamps,
  };
}
const item = (id: string, start: string, end: string): CalendarItem => ({
  appointment: appointment(id),
  client_name: 'Anna Huber',
  local_start: start,
  local_end: end,
  session_id: null,
  restricted: false,
});
const session: Session = {
  id: '0192f0c0-0000-7000-8000-0000000000s1',
  client_id: ANNA,
  appointment_id: null,
  service_id: null,
  date: '2026-11-09',
  minutes: 50,
  fee: 9000,
  setting: 'individual',
  group_size: null,
  note: '',
  stamps,
};

function overview(over: Partial<TodayOverview> = {}): TodayOverview {
  return {
    today: '2026-11-10',
    tomorrow: '2026-11-11',
    today_items: [item('a1', '2026-11-10T09:00:00', '2026-11-10T09:50:00')],
    tomorrow_items: [],
    holiday_today: null,
    unrecorded: [item('a0', '2026-11-09T15:00:00', '2026-11-09T15:50:00')],
    undocumented: [{ session, client_name: 'Max Gruber' }],
    undocumented_total: 3,
    unbilled: [],
    unbilled_total: 0,
    overdue: [],
    open_conflicts: 2,
    ...over,
  };
}

let answer: TodayOverview = overview();
let age: unknown = { state: 'fresh', days: 1 };
let due: RetentionItem[] = [];
const OLGA = '0192f0c0-0000-7000-8000-0000000000c7';
const olga: RetentionItem = {
  client_id: OLGA,
  name: 'Olga Alt',
  code_name: 'KL-7',
  restricted: false,
  last_session: '2012-05-04',
  ends: { documentation: '2022-05-04', invoices: '2021-01-01' },
  end: '2022-05-04',
  due: true,
};

beforeEach(() => {
  setLanguage('de');
  app.session.route = { name: 'today' };
  answer = overview();
  age = { state: 'fresh', days: 1 };
  due = [];
  mockIPC((cmd) => {
    if (cmd === 'today_overview') return answer;
    if (cmd === 'backup_age') return age;
    if (cmd === 'retention_due') return due;
    throw new Error(`unexpected ${cmd}`);
  });
});
afterEach(() => clearMocks());

describe('Today', () => {
  it('shows the day, what is left to do and the action that settles each', async () => {
    render(Today);
    expect(await screen.findByText('09:00–09:50')).toBeInTheDocument();
    expect(screen.getByText(t('today_page.none_tomorrow'))).toBeInTheDocument();
    expect(screen.getByText(/2 Felder wurden auf zwei Computern/)).toBeInTheDocument();
    expect(screen.getByText(t('today_page.more', { n: 2 }))).toBeInTheDocument();

    const undocumented = document.querySelector('[data-list="undocumented"]') as HTMLElement;
    expect(within(undocumented).getByText('Max Gruber')).toBeInTheDocument();
    await userEvent.click(within(undocumented).getByRole('button', { name: t('today_page.document') }));
    expect(app.session.route).toEqual({ name: 'session', id: session.id });
  });

  it('records an appointment that is over from the list', async () => {
    render(Today);
    const list = (await screen.findByText(t('today_page.unrecorded'))).nextElementSibling?.nextElementSibling;
    await userEvent.click(within(list as HTMLElement).getByRole('button', { name: t('today_page.record') }));
    expect(app.session.route).toEqual({ name: 'session-new', clientId: ANNA, appointmentId: 'a0' });
  });

  it('says when nothing is open', async () => {
    answer = overview({ unrecorded: [], undocumented: [], undocumented_total: 0, open_conflicts: 0 });
    render(Today);
    expect(await screen.findByText(t('today_page.all_done'))).toBeInTheDocument();
  });

  it('asks for a backup when the core says the last one is old, with the way to make one', async () => {
    age = { state: 'old', days: 12 };
    render(Today);
    const notice = await screen.findByTestId('backup-due');
    expect(notice).toHaveTextContent('Ihre letzte Datensicherung auf diesem Computer ist 12 Tage alt.');
    await userEvent.click(within(notice).getByRole('button', { name: 'Datensicherung anlegen' }));
    expect(app.session.route).toEqual({ name: 'settings', tab: 'backups' });
  });

  it('asks for a first backup when there is none, and says nothing while it is fresh', async () => {
    age = { state: 'never' };
    const { unmount } = render(Today);
    expect(await screen.findByTestId('backup-due')).toHaveTextContent('noch keine Datensicherung');
    unmount();
    age = { state: 'fresh', days: 3 };
    render(Today);
    await screen.findByText('09:00–09:50');
    expect(screen.queryByTestId('backup-due')).toBeNull();
  });

  it('lists the clients whose retention has ended, with the date, and opens the client page to settle it', async () => {
    due = [
      olga,
      { ...olga, client_id: 'x2', name: '', code_name: 'K-4F2A9C', restricted: true, end: '2024-01-01' },
    ];
    render(Today);
    const heading = await screen.findByText('Aufbewahrungsfrist abgelaufen');
    expect(heading).toBeInTheDocument();
    const list = document.querySelector('[data-list="retention-due"]') as HTMLElement;
    const first = list.querySelector(`[data-client="${OLGA}"]`) as HTMLElement;
    expect(first).toHaveTextContent('Olga Alt');
    expect(first).toHaveTextContent('KL-7');
    expect(first).toHaveTextContent('abgelaufen am 04.05.2022');
    const second = list.querySelector('[data-client="x2"]') as HTMLElement;
    expect(second).toHaveTextContent('K-4F2A9C');
    expect(second).toHaveTextContent('Eingeschränkt');
    expect(second).toHaveTextContent('abgelaufen am 01.01.2024');
    await userEvent.click(within(first).getByRole('button', { name: 'Löschen oder einschränken…' }));
    expect(app.session.route).toEqual({ name: 'client', id: OLGA });
  });

  it('counts a due retention as open work and shows no list without one', async () => {
    answer = overview({ unrecorded: [], undocumented: [], undocumented_total: 0, open_conflicts: 0 });
    due = [olga];
    const { unmount } = render(Today);
    await screen.findByText('Olga Alt');
    expect(screen.queryByText(t('today_page.all_done'))).toBeNull();
    unmount();
    due = [];
    render(Today);
    expect(await screen.findByText(t('today_page.all_done'))).toBeInTheDocument();
    expect(document.querySelector('[data-list="retention-due"]')).toBeNull();
  });
});
