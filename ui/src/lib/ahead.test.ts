import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Held } from './ahead.svelte';
import { app, clearAfterLock, dataChanged } from './app.svelte';

beforeEach(() => mockIPC(() => Promise.reject(new Error('no shell here'))));
afterEach(() => clearMocks());

describe('Held', () => {
  it('hands out an answer for its key while nothing has changed', async () => {
    const h = new Held<string>();
    expect(await h.fetch('open', async () => 'rows')).toBe('rows');
    expect(h.take('open')).toBe('rows');
    expect(h.take('paid')).toBeNull();
    dataChanged();
    expect(h.take('open')).toBeNull();
  });

  it('keeps no answer when something changed while it was on its way', async () => {
    const h = new Held<string>();
    await h.fetch('open', async () => {
      dataChanged();
      return 'rows';
    });
    expect(h.take('open')).toBeNull();
  });

  it('forgets on lock, and an answer arriving after the lock is not kept', async () => {
    const h = new Held<string>();
    await h.fetch('open', async () => 'rows');
    clearAfterLock('hand');
    expect(app.session.generation).toBe(0);
    expect(h.take('open')).toBeNull();

    let answer!: (v: string) => void;
    const late = h.fetch('open', () => new Promise<string>((r) => (answer = r)));
    clearAfterLock('idle');
    answer('rows');
    await late;
    expect(h.take('open')).toBeNull();
  });
});
