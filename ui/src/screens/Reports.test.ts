import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReportLine, ReportView, Statistics } from '../lib/bindings';
import { setLanguage } from '../lib/i18n.svelte';

// jsdom has no canvas: Chart.js is replaced by a recorder of what it was asked to draw.
const charts = vi.hoisted(() => ({
  made: [] as { data: { labels: string[]; datasets: { label: string; data: unknown[] }[] } }[],
  destroyed: 0,
}));
vi.mock('chart.js', () => {
  class Chart {
    static register() {}
    constructor(_canvas: unknown, config: (typeof charts.made)[number]) {
      charts.made.push(config);
    }
    destroy() {
      charts.destroyed += 1;
    }
  }
  const part = {};
  return {
    Chart,
    BarController: part,
    BarElement: part,
    CategoryScale: part,
    LinearScale: part,
    Tooltip: part,
    Legend: part,
  };
});

const { default: Reports } = await import('./Reports.svelte');

function line(label: string, invoiced: number, received: number, sessions: number): ReportLine {
  const euro = (c: number) => `${(c / 100).toFixed(2).replace('.', ',')} €`;
  return {
    label,
    figures: { invoiced, received, sessions, minutes: sessions * 50, no_shows: 1, no_show_bp: 2500 },
    text: {
      invoiced: euro(invoiced),
      received: euro(received),
      sessions: String(sessions),
      hours: '2,5 h',
      no_shows: '1',
      no_show_rate: '25,0 %',
    },
  };
}

const view = (label: string): ReportView => ({
  from: '2026-01-01',
  to: '2026-12-31',
  period: '01.01.2026 – 31.12.2026',
  months: [line('Jänner 2026', 0, 0, 0), line('Februar 2026', 27000, 13500, 3)],
  clients: [line(label, 27000, 13500, 3)],
  total: line('Summe', 27000, 13500, 3),
});

const period = (key: string, start: string, sessions: number) => ({
  key,
  start,
  sessions,
  minutes: sessions * 50,
});

const statistics = (label: string): Statistics => ({
  year: 2026,
  weeks: [period('2026-W01', '2025-12-29', 1), period('2026-W02', '2026-01-05', 2)],
  months: [],
  years: [period('2025', '2025-01-01', 2), period('2026', '2026-01-01', 23)],
  rates: { appointments: 5, no_shows: 1, cancellations: 2, no_show_bp: 417, cancellation_bp: 4000 },
  clients: [
    {
      client_id: '0190a0a0-0000-7000-8000-000000000001',
      label,
      sessions: 14,
      last_session: '2026-03-23',
      open: 44000,
      approved_sessions: 20,
      sessions_left: 6,
      needs_approval: false,
    },
    {
      client_id: '0190a0a0-0000-7000-8000-000000000002',
      label: 'Konrad Zwölfer',
      sessions: 11,
      last_session: '2026-03-17',
      open: 0,
      approved_sessions: null,
      sessions_left: null,
      needs_approval: true,
    },
  ],
});

let calls: { cmd: string; args: Record<string, unknown> }[] = [];
let calendarPath: string | null = '/home/praxis/Termine-2026.ics';
let exportAnswer: () => Promise<string> = async () => 'saved';

beforeEach(() => {
  setLanguage('de');
  calls = [];
  charts.made = [];
  charts.destroyed = 0;
  exportAnswer = async () => 'saved';
  calendarPath = '/home/praxis/Termine-2026.ics';
  mockIPC(async (cmd, args) => {
    calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
    if (cmd === 'today') return '2026-11-22';
    if (cmd === 'report_view') {
      const a = args as { names: string };
      return view(a.names === 'coded' ? 'AÄ-7' : 'Anna Äpfel');
    }
    if (cmd === 'pick_export_file') return '/home/praxis/Rechnungsausgangsbuch-2026.xlsx';
    if (cmd === 'export_report') return exportAnswer();
    if (cmd === 'cancel_export') return null;
    if (cmd === 'statistics') {
      return statistics((args as { names: string }).names === 'coded' ? 'BB-2' : 'Berta Birne');
    }
    if (cmd === 'pick_calendar_file') return calendarPath;
    if (cmd === 'export_calendar') return null;
    throw new Error(`unexpected ${cmd}`);
  });
});

afterEach(() => clearMocks());

/** Text with the non-breaking spaces Intl puts before % and € made plain. */
const plain = (s: string | null | undefined) => (s ?? '').replace(/\u00a0/g, ' ').trim();

const last = (cmd: string) => calls.filter((c) => c.cmd === cmd).at(-1)?.args;

describe('Reports', () => {
  it('shows the core’s figures and draws the months as charts', async () => {
    render(Reports);
    expect(await screen.findByText('01.01.2026 – 31.12.2026')).toBeInTheDocument();
    expect(document.querySelector('[data-figure="invoiced"]')?.textContent).toBe('270,00 €');
    expect(document.querySelector('[data-figure="no-show"]')?.textContent).toBe('25,0 %');
    expect(last('report_view')).toMatchObject({
      from: '2026-01-01',
      to: '2026-12-31',
      names: 'full',
      language: 'de',
    });
    await waitFor(() => expect(charts.made.length).toBeGreaterThanOrEqual(2));
    const money = charts.made.find((c) => c.data.datasets[0].label === 'Fakturiert')!;
    expect(money.data.labels).toEqual(['Jänner 2026', 'Februar 2026']);
    expect(money.data.datasets.map((d) => [d.label, d.data])).toEqual([
      ['Fakturiert', [0, 27000]],
      ['Eingegangen', [0, 13500]],
    ]);
    const months = charts.made.filter((c) => c.data.labels[0] === 'Jänner 2026');
    expect(months.map((c) => c.data.datasets[0].label)).toEqual(['Fakturiert', 'Einheiten']);
    expect(screen.getByText('Anna Äpfel')).toBeInTheDocument();
  });

  it('asks for a quarter and for code names, and shows them', async () => {
    render(Reports);
    await screen.findByText('Anna Äpfel');
    await fireEvent.change(screen.getByTestId('reports-period'), { target: { value: 'q1' } });
    await waitFor(() => expect(last('report_view')).toMatchObject({ from: '2026-01-01', to: '2026-03-31' }));
    await userEvent.click(screen.getByTestId('reports-anonymous'));
    expect(await screen.findByText('AÄ-7')).toBeInTheDocument();
    expect(last('report_view')).toMatchObject({ names: 'coded' });
    expect(screen.queryByText('Anna Äpfel')).toBeNull();
    expect(screen.getByText('Codename')).toBeInTheDocument();
  });

  it('exports the journal as XLSX to the path chosen in the save dialog', async () => {
    render(Reports);
    await screen.findByText('Anna Äpfel');
    await userEvent.click(document.querySelector<HTMLButtonElement>('[data-export="journal-xlsx"]')!);
    expect(await screen.findByTestId('export-saved')).toHaveTextContent(
      'Gespeichert: /home/praxis/Rechnungsausgangsbuch-2026.xlsx',
    );
    expect(last('pick_export_file')).toEqual({
      title: 'Rechnungsausgangsbuch speichern',
      file_name: 'Rechnungsausgangsbuch-2026.xlsx',
      format: 'xlsx',
    });
    expect(last('export_report')).toMatchObject({
      report: 'journal',
      format: 'xlsx',
      from: '2026-01-01',
      to: '2026-12-31',
      names: 'full',
      path: '/home/praxis/Rechnungsausgangsbuch-2026.xlsx',
    });
  });

  it('shows a running export and cancels it: nothing is written', async () => {
    let finish: (v: string) => void = () => {};
    exportAnswer = () => new Promise((resolve) => (finish = resolve));
    render(Reports);
    await screen.findByText('Anna Äpfel');
    await userEvent.click(document.querySelector<HTMLButtonElement>('[data-export="protocol-pdf"]')!);
    expect(await screen.findByTestId('export-running')).toHaveTextContent('Sitzungsprotokoll wird erstellt');
    expect(document.querySelector<HTMLButtonElement>('[data-export="journal-pdf"]')!.disabled).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: 'Abbrechen' }));
    const job = last('export_report')?.job;
    expect(last('cancel_export')).toEqual({ job });
    finish('cancelled');
    expect(await screen.findByTestId('export-cancelled')).toHaveTextContent(
      'Es wurde keine Datei geschrieben',
    );
  });

  it('says in words why an export failed', async () => {
    exportAnswer = () => Promise.reject({ code: 'export.failed', params: { path: '/media/usb/j.pdf' } });
    render(Reports);
    await screen.findByText('Anna Äpfel');
    await userEvent.click(document.querySelector<HTMLButtonElement>('[data-export="revenue-pdf"]')!);
    const alert = await screen.findByTestId('export-failed');
    expect(alert).toHaveTextContent('/media/usb/j.pdf konnte nicht geschrieben werden.');
  });

  it('shows the year’s statistics: weeks, years, rates and each client’s course', async () => {
    render(Reports);
    expect(await screen.findByText('Berta Birne')).toBeInTheDocument();
    expect(last('statistics')).toEqual({ year: 2026, names: 'full' });
    expect(plain(document.querySelector('[data-stat="no-show"]')?.textContent)).toBe('4,17 %');
    expect(plain(document.querySelector('[data-stat="cancellation"]')?.textContent)).toBe('40 %');
    await waitFor(() => expect(charts.made.some((c) => c.data.labels[0] === 'KW 1')).toBe(true));
    const weeks = charts.made.find((c) => c.data.labels[0] === 'KW 1')!;
    expect(weeks.data.labels).toEqual(['KW 1', 'KW 2']);
    expect(weeks.data.datasets[0].data).toEqual([1, 2]);
    const years = charts.made.find((c) => c.data.labels[0] === '2025')!;
    expect(years.data.datasets[0].data).toEqual([2, 23]);
    const rows = [...screen.getByTestId('stats-clients').querySelectorAll('tbody tr')].map((r) =>
      [...r.querySelectorAll('td')].map((td) => plain(td.textContent)),
    );
    expect(rows[0]).toEqual(['Berta Birne', '14', '23.03.2026', '440,00 €', '20', '6']);
    expect(rows[1]).toEqual(['Konrad Zwölfer', '11', '17.03.2026', '0,00 €', '–', 'Bewilligung nötig']);
    await userEvent.click(screen.getByTestId('reports-anonymous'));
    expect(await screen.findByText('BB-2')).toBeInTheDocument();
    expect(last('statistics')).toEqual({ year: 2026, names: 'coded' });
    expect(screen.queryByText('Berta Birne')).toBeNull();
  });

  it('exports the calendar to the file chosen in the save dialog, or nothing when cancelled', async () => {
    render(Reports);
    await screen.findByText('Anna Äpfel');
    calendarPath = null;
    await userEvent.click(document.querySelector<HTMLButtonElement>('[data-export="calendar-ics"]')!);
    expect(last('pick_calendar_file')).toEqual({
      title: 'Kalender exportieren',
      file_name: 'Termine-2026.ics',
    });
    expect(last('export_calendar')).toBeUndefined();
    calendarPath = '/home/praxis/Termine-2026.ics';
    await userEvent.click(document.querySelector<HTMLButtonElement>('[data-export="calendar-ics"]')!);
    expect(await screen.findByTestId('calendar-saved')).toHaveTextContent(
      'Der Kalender wurde gespeichert: /home/praxis/Termine-2026.ics',
    );
    expect(last('export_calendar')).toEqual({
      from: '2026-01-01',
      to: '2026-12-31',
      path: '/home/praxis/Termine-2026.ics',
    });
  });
});
