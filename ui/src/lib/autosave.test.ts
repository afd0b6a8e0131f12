import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosave, flushAll } from './autosave';

describe('autosave', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('saves after a pause, and not an unchanged text', async () => {
    const saved: string[] = [];
    const a = new Autosave('alt', async (t) => void saved.push(t), { pauseMs: 500 });
    a.change('alt');
    a.change('neu');
    a.change('neuer');
    await vi.advanceTimersByTimeAsync(400);
    expect(saved).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(saved).toEqual(['neuer']);
    a.change('neuer');
    await vi.advanceTimersByTimeAsync(1000);
    expect(saved).toEqual(['neuer']);
    await a.dispose();
  });

  it('saves during long typing at the latest after maxWait', async () => {
    const saved: string[] = [];
    const a = new Autosave('', async (t) => void saved.push(t), { pauseMs: 500, maxWaitMs: 2000 });
    for (let i = 1; i <= 12; i++) {
      a.change('x'.repeat(i));
      await vi.advanceTimersByTimeAsync(200);
    }
    expect(saved.length).toBeGreaterThanOrEqual(1);
    await a.dispose();
  });

  it('flushAll saves every pending text at once (before a lock)', async () => {
    const saved: string[] = [];
    const a = new Autosave('', async (t) => void saved.push(`a:${t}`));
    const b = new Autosave('', async (t) => void saved.push(`b:${t}`));
    a.change('eins');
    b.change('zwei');
    await flushAll();
    expect(saved.sort()).toEqual(['a:eins', 'b:zwei']);
    await a.dispose();
    await b.dispose();
  });

  it('keeps the text when saving fails and reports the error', async () => {
    const states: string[] = [];
    let fail = true;
    const a = new Autosave(
      '',
      async () => {
        if (fail) throw { code: 'io.disk_full', params: {} };
      },
      { onState: (s) => states.push(s) },
    );
    a.change('wichtig');
    await a.flush();
    expect(states).toContain('error');
    expect(a.dirty).toBe(true);
    fail = false;
    await a.flush();
    expect(a.dirty).toBe(false);
    await a.dispose();
  });
});
