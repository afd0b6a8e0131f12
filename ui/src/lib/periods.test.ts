import { describe, expect, it } from 'vitest';
import { monthName, periodRange, periodSlug, PERIOD_KEYS, yearChoices } from './periods';

describe('periods', () => {
  it('gives the first and last day of a year, a quarter and a month', () => {
    expect(periodRange(2026, 'year')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(periodRange(2026, 'q1')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(periodRange(2026, 'q4')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(periodRange(2028, 'm02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(periodRange(2026, 'm02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
  });

  it('names periods in file names', () => {
    expect(periodSlug(2026, 'year')).toBe('2026');
    expect(periodSlug(2026, 'q3')).toBe('2026-Q3');
    expect(periodSlug(2026, 'm11')).toBe('2026-11');
    expect(PERIOD_KEYS).toHaveLength(17);
  });

  it('writes January as Austria and Germany do', () => {
    expect(monthName(1, { language: 'de', country: 'AT' })).toBe('Jänner');
    expect(monthName(1, { language: 'de', country: 'DE' })).toBe('Januar');
    expect(monthName(1, { language: 'en', country: 'AT' })).toBe('January');
  });

  it('offers the years around this one, newest first', () => {
    expect(yearChoices(2026)).toEqual([2027, 2026, 2025, 2024, 2023, 2022, 2021]);
  });
});
