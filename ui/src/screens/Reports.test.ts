import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReportLine, ReportView } from '../lib/bindings';
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

let calls: { cmd: string; args: Record<string, unknown> }[] = [];
let exportAnswer: () => Promise<string> = async () => 'saved';

beforeEach(() => {
  setLanguage('de');
  calls = [];
  charts.made = [];
  charts.destroyed = 0;
  exportAnswer = async () => 'saved';
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
    throw new Error(`unexpected ${cmd}`);
  });
});

afterEach(() => clearMocks());

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
    const money = charts.made.at(-2)!;
    expect(money.data.labels).toEqual(['Jänner 2026', 'Februar 2026']);
    expect(money.data.datasets.map((d) => [d.label, d.data])).toEqual([
      ['Fakturiert', [0, 27000]],
      ['Eingegangen', [0, 13500]],
    ]);
    expect(charts.made.at(-1)!.data.datasets[0].label).toBe('Einheiten');
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
});
