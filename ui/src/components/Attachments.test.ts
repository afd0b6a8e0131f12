import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Attachment } from '../lib/bindings';
import { app } from '../lib/app.svelte';
import { setLanguage } from '../lib/i18n.svelte';
import Attachments from './Attachments.svelte';

// jsdom draws no canvas: the PDF viewer is tried and says it cannot show the document.
vi.mock('pdfjs-dist', () => {
  throw new Error('no pdf.js in jsdom');
});

const CLIENT = '0192f0c0-0000-7000-8000-000000000001';
const SESSION = '0192f0c0-0000-7000-8000-000000000005';
const stamps = { created: '2026-11-20T08:00:00Z', updated: '2026-11-20T08:00:00Z', device: 'd' };
const item = (id: string, name: string, media_type: string, extra: Partial<Attachment> = {}): Attachment => ({
  id,
  client_id: CLIENT,
  session_id: null,
  name,
  media_type,
  size: 2048,
  expires_at: null,
  stamps,
  viewable: media_type === 'application/pdf' || media_type.startsWith('image/'),
  ...extra,
});
const PDF = item('0192f0c0-0000-7000-8000-0000000000a1', 'Einverständnis.pdf', 'application/pdf');
const PNG = item('0192f0c0-0000-7000-8000-0000000000a2', 'Skizze.png', 'image/png', { session_id: SESSION });
const MP3 = item('0192f0c0-0000-7000-8000-0000000000a3', 'Aufnahme.mp3', 'audio/mpeg', {
  expires_at: '2026-12-20T08:00:00Z',
});

let stored: Attachment[] = [];
let calls: { cmd: string; args: Record<string, unknown> }[] = [];
let picked: string | null = '/home/anna/Scans/Befund.pdf';
let target: string | null = '/home/anna/Desktop/Einverständnis.pdf';
let addFails = false;

beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
  URL.createObjectURL ??= () => '';
  URL.revokeObjectURL ??= () => {};
});

beforeEach(() => {
  setLanguage('de');
  app.session.generation = 0;
  stored = [PDF, PNG, MP3];
  calls = [];
  picked = '/home/anna/Scans/Befund.pdf';
  target = '/home/anna/Desktop/Einverständnis.pdf';
  addFails = false;
  vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:tauri://localhost/1');
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
    if (cmd === 'attachments') return stored;
    if (cmd === 'pick_attachment_file') return picked;
    if (cmd === 'add_attachment') {
      if (addFails) throw { code: 'attachment.too_large', params: { size_mib: 300, limit_mib: 256 } };
      const a = item('0192f0c0-0000-7000-8000-0000000000b1', 'Befund.pdf', 'application/pdf');
      stored = [a, ...stored];
      return a;
    }
    if (cmd === 'attachment_content') return btoa('\x89PNG fake bytes');
    if (cmd === 'pick_attachment_target') return target;
    if (cmd === 'save_attachment') return (args as { path: string }).path;
    if (cmd === 'delete_attachment') {
      stored = stored.filter((a) => a.id !== (args as { id: string }).id);
      return null;
    }
    throw new Error(`unexpected ${cmd}`);
  });
});
afterEach(() => {
  clearMocks();
  vi.restoreAllMocks();
});

const called = (cmd: string) => calls.filter((c) => c.cmd === cmd);

describe('attachments', () => {
  it('lists a client’s attachments with size, session and lifetime; only PDFs and pictures can be shown', async () => {
    render(Attachments, { props: { clientId: CLIENT, sessionDates: { [SESSION]: '2026-11-18' } } });
    const row = await screen.findByText('Einverständnis.pdf');
    expect(row).toBeInTheDocument();
    expect(screen.getByText(/Sitzung vom 18\.11\.2026/)).toBeInTheDocument();
    expect(screen.getByText(/wird am 20\.12\.2026/)).toBeInTheDocument();
    const audio = screen.getByText('Aufnahme.mp3').closest('li') as HTMLElement;
    expect(within(audio).queryByRole('button', { name: 'Anzeigen' })).toBeNull();
    expect(within(audio).getByRole('button', { name: 'Speichern unter …' })).toBeInTheDocument();
  });

  it('on a session’s page shows only that session’s attachments', async () => {
    render(Attachments, { props: { clientId: CLIENT, sessionId: SESSION } });
    expect(await screen.findByText('Skizze.png')).toBeInTheDocument();
    expect(screen.queryByText('Einverständnis.pdf')).toBeNull();
  });

  it('says so when there is nothing', async () => {
    stored = [];
    render(Attachments, { props: { clientId: CLIENT } });
    expect(await screen.findByText(/Noch keine Anhänge/)).toBeInTheDocument();
  });

  it('adds the picked file with the chosen lifetime and the session, and lists it', async () => {
    const user = userEvent.setup();
    render(Attachments, { props: { clientId: CLIENT, sessionId: SESSION } });
    await screen.findByText('Skizze.png');
    await user.selectOptions(screen.getByRole('combobox'), '30 Tage');
    await user.click(screen.getByRole('button', { name: 'Datei anhängen …' }));
    await waitFor(() => expect(called('add_attachment')).toHaveLength(1));
    expect(called('add_attachment')[0].args).toEqual({
      client: CLIENT,
      session: SESSION,
      path: '/home/anna/Scans/Befund.pdf',
      keep_days: 30,
    });
    expect(await screen.findByText('„Befund.pdf“ angehängt.')).toBeInTheDocument();
    await waitFor(() => expect(called('attachments').length).toBeGreaterThan(1));
  });

  it('adds nothing when the picker is cancelled, and shows the core’s error in words', async () => {
    const user = userEvent.setup();
    render(Attachments, { props: { clientId: CLIENT } });
    await screen.findByText('Einverständnis.pdf');
    picked = null;
    await user.click(screen.getByRole('button', { name: 'Datei anhängen …' }));
    await waitFor(() => expect(called('pick_attachment_file')).toHaveLength(1));
    expect(called('add_attachment')).toHaveLength(0);
    picked = '/home/anna/aufnahme.wav';
    addFails = true;
    await user.click(screen.getByRole('button', { name: 'Datei anhängen …' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'zu groß zum Anhängen (300 MB; höchstens 256 MB)',
    );
  });

  it('shows a picture from memory through a blob: URL and lets it go when closed', async () => {
    const user = userEvent.setup();
    render(Attachments, { props: { clientId: CLIENT } });
    const row = (await screen.findByText('Skizze.png')).closest('li') as HTMLElement;
    await user.click(within(row).getByRole('button', { name: 'Anzeigen' }));
    const img = await screen.findByRole('img', { name: 'Bild „Skizze.png“' });
    expect(img).toHaveAttribute('src', 'blob:tauri://localhost/1');
    expect(called('attachment_content')[0].args).toEqual({ id: PNG.id });
    const blob = vi.mocked(URL.createObjectURL).mock.calls[0][0] as Blob;
    expect(blob.type).toBe('image/png');
    await user.click(screen.getByRole('button', { name: 'Schließen' }));
    expect(screen.queryByTestId('attachment-viewer')).toBeNull();
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:tauri://localhost/1');
  });

  it('opens a PDF in the window’s viewer', async () => {
    const user = userEvent.setup();
    render(Attachments, { props: { clientId: CLIENT } });
    const row = (await screen.findByText('Einverständnis.pdf')).closest('li') as HTMLElement;
    await user.click(within(row).getByRole('button', { name: 'Anzeigen' }));
    expect(await screen.findByRole('document', { name: 'PDF „Einverständnis.pdf“' })).toBeInTheDocument();
    expect(URL.createObjectURL).not.toHaveBeenCalled();
  });

  it('saves where the save dialog says, and not at all when it is cancelled', async () => {
    const user = userEvent.setup();
    render(Attachments, { props: { clientId: CLIENT } });
    const row = (await screen.findByText('Einverständnis.pdf')).closest('li') as HTMLElement;
    await user.click(within(row).getByRole('button', { name: 'Speichern unter …' }));
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Gespeichert unter /home/anna/Desktop/Einverständnis.pdf.',
    );
    expect(called('save_attachment')[0].args).toEqual({ id: PDF.id, path: target });
    target = null;
    await user.click(within(row).getByRole('button', { name: 'Speichern unter …' }));
    await waitFor(() => expect(called('pick_attachment_target')).toHaveLength(2));
    expect(called('save_attachment')).toHaveLength(1);
  });

  it('deletes only after asking', async () => {
    const user = userEvent.setup();
    render(Attachments, { props: { clientId: CLIENT } });
    const row = (await screen.findByText('Einverständnis.pdf')).closest('li') as HTMLElement;
    await user.click(within(row).getByRole('button', { name: 'Löschen' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('„Einverständnis.pdf“ endgültig löschen?');
    await user.click(within(dialog).getByRole('button', { name: 'Abbrechen' }));
    expect(called('delete_attachment')).toHaveLength(0);
    await user.click(within(row).getByRole('button', { name: 'Löschen' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Löschen' }));
    await waitFor(() => expect(called('delete_attachment')).toHaveLength(1));
    expect(called('delete_attachment')[0].args).toEqual({ id: PDF.id });
    await waitFor(() => expect(screen.queryByText('Einverständnis.pdf')).toBeNull());
  });
});
