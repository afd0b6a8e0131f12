import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppState } from '../lib/api';
import { app } from '../lib/app.svelte';
import { setLanguage } from '../lib/i18n.svelte';
import Security from './Security.svelte';

let saved: number[] = [];
/** While set, the shell's answer to a save waits for it. */
let gate: Promise<void> | null = null;

beforeEach(() => {
  setLanguage('de');
  saved = [];
  gate = null;
  app.state = { settings: { idle_minutes: 10 } } as unknown as AppState;
  mockIPC(async (cmd, args) => {
    if (cmd !== 'set_idle_minutes') throw new Error(`unexpected ${cmd}`);
    const minutes = (args as { minutes: number }).minutes;
    saved.push(minutes);
    if (gate) await gate;
    return { idle_minutes: Math.min(Math.max(minutes, 1), 240) };
  });
});
afterEach(() => clearMocks());

const field = () => document.querySelector('#sec-idle') as HTMLInputElement;

describe('idle lock minutes', () => {
  it('saves nothing for an empty field and says what to enter', async () => {
    render(Security);
    await fireEvent.input(field(), { target: { value: '' } });
    await fireEvent.change(field());
    expect(await screen.findByText('Bitte eine Zahl von 1 bis 240 eingeben.')).toBeInTheDocument();
    expect(saved).toEqual([]);

    await fireEvent.input(field(), { target: { value: '1' } });
    await fireEvent.change(field());
    expect(await screen.findByText('Tresor sperrt sich nach 1 Minute ohne Eingabe.')).toBeInTheDocument();
    expect(saved).toEqual([1]);
    expect(screen.queryByText('Bitte eine Zahl von 1 bis 240 eingeben.')).toBeNull();
  });

  it('does not put an answer under what was typed after the question', async () => {
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    render(Security);
    await fireEvent.input(field(), { target: { value: '300' } });
    await fireEvent.change(field());
    await fireEvent.input(field(), { target: { value: '7' } });
    open();
    await waitFor(() => expect(app.state?.settings.idle_minutes).toBe(240));
    expect(field().value).toBe('7');
    expect(screen.queryByText(/Tresor sperrt sich nach 240/)).toBeNull();
  });
});
