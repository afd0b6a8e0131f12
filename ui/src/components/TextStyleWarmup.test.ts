import { render } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import TextStyleWarmup from './TextStyleWarmup.svelte';

describe('TextStyleWarmup', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('lays out each table text style once, a little at a time, hidden from sight and screen readers', async () => {
    const { container } = render(TextStyleWarmup);
    const box = container.querySelector('.warmup');
    expect(box?.getAttribute('aria-hidden')).toBe('true');
    expect(box?.querySelectorAll('span')).toHaveLength(0);

    await vi.advanceTimersByTimeAsync(40);
    expect(box?.querySelectorAll('span')).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(40 * 30);
    const styles = [...(box?.querySelectorAll('span') ?? [])].map(
      (s) => `${s.style.fontSize} ${s.style.fontWeight} ${s.style.fontVariantNumeric}`,
    );
    expect(styles).toHaveLength(16);
    expect(new Set(styles).size).toBe(16);
    expect(styles).toContain('0.85rem 600 tabular-nums');
    expect(styles).toContain('1rem 400 normal');
    expect(box?.querySelector('details')).not.toBeNull();
    // Done: no timer keeps running.
    expect(vi.getTimerCount()).toBe(0);
  });
});
