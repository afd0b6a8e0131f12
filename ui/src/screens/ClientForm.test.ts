import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientInput } from '../lib/api';
import { app } from '../lib/app.svelte';
import { setLanguage } from '../lib/i18n.svelte';
import ClientForm from './ClientForm.svelte';

/** A stand-in for the core's checks: the same codes the core sends, for three rules, naming every wrong field. */
function fakeCore(input: ClientInput) {
  const fields: { field: string; problem: string }[] = [];
  if (!input.family_name.trim()) fields.push({ field: 'family_name', problem: 'required' });
  if (input.insurance_number.replace(/\s/g, '') === '1238010180')
    fields.push({ field: 'insurance_number', problem: 'check_digit' });
  if (input.birth_date && input.birth_date > '2026-11-22')
    fields.push({ field: 'birth_date', problem: 'out_of_range' });
  if (fields.length) throw { code: 'record.invalid', params: { ...fields[0], fields } };
}

let added: ClientInput[] = [];

beforeEach(() => {
  added = [];
  setLanguage('de');
  app.session.route = { name: 'client-new' };
  mockIPC((cmd, args) => {
    const input = (args as { input: ClientInput }).input;
    if (cmd === 'check_client') {
      fakeCore(input);
      return input;
    }
    if (cmd === 'add_client') {
      fakeCore(input);
      added.push(input);
      return '0192f0c0-0000-7000-8000-000000000001';
    }
    throw new Error(`unexpected ${cmd}`);
  });
});
afterEach(() => clearMocks());

describe('client form', () => {
  it('says which field is wrong when the user leaves it', async () => {
    const user = userEvent.setup();
    render(ClientForm);
    const svnr = screen.getByLabelText('Versicherungsnummer (SVNR / KVNR)');
    await user.type(svnr, '1238 010180');
    await user.tab();
    const msg = await screen.findByText(/Die Sozialversicherungsnummer hat eine falsche Prüfziffer/);
    expect(msg).toHaveAttribute('role', 'alert');
    expect(svnr).toHaveAttribute('aria-invalid', 'true');
    expect(svnr.getAttribute('aria-describedby')).toContain(msg.id);
    // The family name is empty too, but the user has not been there: no message for it yet.
    expect(screen.queryByText('Bitte geben Sie den Nachnamen ein.')).toBeNull();
    // Fixing it clears the message; the empty family name does not mask the check.
    await user.clear(svnr);
    await user.type(svnr, '1237 010180');
    await user.tab();
    await waitFor(() => expect(screen.queryByText(/falsche Prüfziffer/)).toBeNull());
    expect(svnr).not.toHaveAttribute('aria-invalid');
  });

  it('catches an impossible birth date before the core sees it, and the core’s range rule after', async () => {
    const user = userEvent.setup();
    render(ClientForm);
    const birth = screen.getByLabelText('Geburtsdatum');
    await user.type(birth, '31.02.1985');
    await user.tab();
    expect(await screen.findByText(/kein gültiges Datum/)).toBeInTheDocument();
    await user.clear(birth);
    await user.type(birth, '01.01.2030');
    await user.tab();
    expect(await screen.findByText(/in der Zukunft oder vor 1900/)).toBeInTheDocument();
  });

  it('on save, focuses the field the core rejected, and saves umlauts as typed', async () => {
    const user = userEvent.setup();
    render(ClientForm);
    await user.click(screen.getByRole('button', { name: 'Klient*in speichern' }));
    const family = screen.getByLabelText(/Nachname/);
    await waitFor(() => expect(document.activeElement).toBe(family));
    expect(screen.getByText('Bitte geben Sie den Nachnamen ein.')).toBeInTheDocument();
    expect(screen.getByText('Bitte prüfen Sie die markierten Felder.')).toBeInTheDocument();

    await user.type(screen.getByLabelText('Vorname'), 'Jörg');
    await user.type(family, 'Müller-Lüdenscheidt');
    await user.type(screen.getByLabelText('Geburtsdatum'), '07.03.1985');
    await user.click(screen.getByRole('button', { name: 'Klient*in speichern' }));
    await waitFor(() => expect(added).toHaveLength(1));
    expect(added[0]).toMatchObject({
      given_name: 'Jörg',
      family_name: 'Müller-Lüdenscheidt',
      birth_date: '1985-03-07',
      status: 'active',
    });
    expect(app.session.route).toEqual({ name: 'client', id: '0192f0c0-0000-7000-8000-000000000001' });
  });

  it('on save, marks every field the core rejected at once and focuses the first', async () => {
    const user = userEvent.setup();
    render(ClientForm);
    const svnr = screen.getByLabelText('Versicherungsnummer (SVNR / KVNR)');
    await user.type(svnr, '1238 010180');
    await user.type(screen.getByLabelText('Geburtsdatum'), '01.01.2030');
    await user.click(screen.getByRole('button', { name: 'Klient*in speichern' }));
    const family = screen.getByLabelText(/Nachname/);
    await waitFor(() => expect(document.activeElement).toBe(family));
    expect(screen.getByText('Bitte geben Sie den Nachnamen ein.')).toBeInTheDocument();
    expect(screen.getByText(/falsche Prüfziffer/)).toBeInTheDocument();
    expect(screen.getByText(/in der Zukunft oder vor 1900/)).toBeInTheDocument();
    expect(svnr).toHaveAttribute('aria-invalid', 'true');
    expect(added).toHaveLength(0);
  });

  it('speaks English when asked', async () => {
    setLanguage('en');
    const user = userEvent.setup();
    render(ClientForm);
    await user.type(screen.getByLabelText('Insurance number (SVNR / KVNR)'), '1238010180');
    await user.tab();
    expect(await screen.findByText(/wrong check digit/)).toBeInTheDocument();
  });
});
