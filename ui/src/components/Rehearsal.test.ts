import { render } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Rehearsal from './Rehearsal.svelte';

/** A screen that notes where it was drawn: inside which box, and whether that box was inert. */
function screenProbe() {
  const drawn: { hidden: string | null; inert: boolean }[] = [];
  const children = createRawSnippet(() => ({
    render: () => '<p class="probe">Abrechnung</p>',
    setup: (el: Element) => {
      const box = el.closest('.rehearsal');
      drawn.push({
        hidden: box?.getAttribute('aria-hidden') ?? null,
        inert: box?.hasAttribute('inert') ?? false,
      });
    },
  }));
  return { drawn, children };
}

describe('Rehearsal', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('draws the screen once, unseen and unreachable, after the delay and once ready, then removes it', async () => {
    const { drawn, children } = screenProbe();
    const ready = vi.fn(async () => true);
    const { container } = render(Rehearsal, { props: { ready, delay: 300, skip: false, children } });

    await vi.advanceTimersByTimeAsync(299);
    expect(ready).not.toHaveBeenCalled();
    expect(drawn).toHaveLength(0);

    await vi.advanceTimersByTimeAsync(1);
    expect(ready).toHaveBeenCalledOnce();
    expect(drawn).toEqual([{ hidden: 'true', inert: true }]);
    expect(container.querySelector('.probe')).not.toBeNull();

    // Gone after the next frame, and nothing keeps running.
    await vi.advanceTimersByTimeAsync(100);
    expect(container.querySelector('.probe')).toBeNull();
    expect(drawn).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('draws nothing when what the screen needs is not at hand', async () => {
    const { drawn, children } = screenProbe();
    render(Rehearsal, { props: { ready: async () => false, delay: 300, skip: false, children } });
    await vi.advanceTimersByTimeAsync(1000);
    expect(drawn).toHaveLength(0);
  });

  it('draws nothing while the screen is open for real', async () => {
    const { drawn, children } = screenProbe();
    const ready = vi.fn(async () => true);
    render(Rehearsal, { props: { ready, delay: 300, skip: true, children } });
    await vi.advanceTimersByTimeAsync(1000);
    // Still asked for ahead: the real screen takes the answers.
    expect(ready).toHaveBeenCalledOnce();
    expect(drawn).toHaveLength(0);
  });

  it('does nothing once the place is left before the delay', async () => {
    const { drawn, children } = screenProbe();
    const ready = vi.fn(async () => true);
    const { unmount } = render(Rehearsal, { props: { ready, delay: 300, skip: false, children } });
    unmount();
    await vi.advanceTimersByTimeAsync(1000);
    expect(ready).not.toHaveBeenCalled();
    expect(drawn).toHaveLength(0);
  });
});
