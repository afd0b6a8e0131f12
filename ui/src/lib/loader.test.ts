import { describe, expect, it } from 'vitest';
import { setLanguage } from './i18n.svelte';
import { attempt, Loader } from './loader.svelte';

/** A promise the test settles by hand, to choose which answer arrives first. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('Loader', () => {
  it('drops an earlier answer that arrives after a newer request', async () => {
    const l = new Loader<string>();
    const slow = deferred<string>();
    const fast = deferred<string>();
    const first = l.load(() => slow.promise);
    const second = l.load(() => fast.promise);
    fast.resolve('new');
    expect(await second).toBe(true);
    expect(l.data).toBe('new');
    slow.resolve('old');
    expect(await first).toBe(false);
    expect(l.data).toBe('new');
    expect(l.loading).toBe(false);
  });

  it('drops an earlier failure that arrives after a newer answer', async () => {
    const l = new Loader<number>();
    const slow = deferred<number>();
    const first = l.load(() => slow.promise);
    await l.load(async () => 2);
    slow.reject({ code: 'vault.locked', params: {} });
    await first;
    expect(l.problem).toBeNull();
    expect(l.data).toBe(2);
  });

  it('shows the loading flag only while the newest request runs', async () => {
    const l = new Loader<number>();
    const d = deferred<number>();
    expect(l.loading).toBe(false);
    const p = l.load(() => d.promise);
    expect(l.loading).toBe(true);
    expect(l.loaded).toBe(false);
    d.resolve(1);
    await p;
    expect(l.loading).toBe(false);
    expect(l.loaded).toBe(true);
  });

  it('says a failure in words, in the current language, and keeps the last data', async () => {
    const l = new Loader<number>(7);
    setLanguage('de');
    expect(
      await l.load(() => Promise.reject({ code: 'record.not_found', params: { entity: 'client' } })),
    ).toBe(false);
    expect(l.problem?.code).toBe('record.not_found');
    expect(l.error).toMatch(/Klient/);
    setLanguage('en');
    expect(l.error).toMatch(/client/i);
    expect(l.data).toBe(7);
    expect(l.loading).toBe(false);
    // Something that is not the core's error (a bug, a broken IPC) is said too, not thrown.
    await l.load(() => Promise.reject(new Error('boom')));
    expect(l.problem?.code).toBe('ipc.failed');
    setLanguage('de');
  });

  it('reset forgets answers still on their way', async () => {
    const l = new Loader<string>('x');
    const d = deferred<string>();
    const p = l.load(() => d.promise);
    l.reset();
    d.resolve('late');
    await p;
    expect(l.data).toBeNull();
    expect(l.loading).toBe(false);
  });
});

describe('attempt', () => {
  it('hands a failure to the caller instead of rejecting', async () => {
    const seen: string[] = [];
    await attempt(
      () => Promise.reject({ code: 'vault.locked', params: {} }),
      (e) => seen.push(e.code),
    );
    await attempt(
      async () => 1,
      (e) => seen.push(e.code),
    );
    expect(seen).toEqual(['vault.locked']);
  });
});
