import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  age,
  formatDate,
  formatDateTime,
  formatMoney,
  formatRate,
  formatStamp,
  formatTime,
  isoDateIn,
  parseDate,
  parseTime,
  type Locale,
} from './format';

const deAT: Locale = { language: 'de', country: 'AT' };
const deDE: Locale = { language: 'de', country: 'DE' };
const en: Locale = { language: 'en', country: 'AT' };
const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('format', () => {
  it('writes dates the way each region reads them', () => {
    expect(formatDate('2026-11-22', deAT)).toBe('22.11.2026');
    expect(formatDate('2026-11-22', deDE)).toBe('22.11.2026');
    expect(formatDate('2026-11-22', en)).toBe('22/11/2026');
    // A civil date never moves a day, whatever the machine's zone.
    expect(formatDate('2026-01-01', deAT)).toBe('01.01.2026');
  });

  it('shows local times in the practice zone, across DST', () => {
    expect(formatTime('2026-11-23T08:00:00Z', 'Europe/Vienna', deAT)).toBe('09:00');
    expect(formatTime('2026-07-06T07:00:00Z', 'Europe/Vienna', deAT)).toBe('09:00');
    expect(formatTime('2026-07-06T07:00:00Z', 'Europe/Vienna', en)).toBe('09:00');
    expect(nbsp(formatDateTime('2026-11-23T08:00:00Z', 'Europe/Berlin', deDE))).toBe('23.11.2026, 09:00');
    expect(nbsp(formatStamp('2026-11-23T08:00:05Z', 'Europe/Vienna', deAT))).toBe('23.11.2026, 09:00:05');
    expect(isoDateIn('2026-11-22T23:30:00Z', 'Europe/Vienna')).toBe('2026-11-23');
  });

  it('formats cents as money with the sign after the amount in German', () => {
    const table: [number, Locale, string][] = [
      [123456, deAT, '1.234,56 €'],
      [123456, deDE, '1.234,56 €'],
      [9500, deAT, '95,00 €'],
      [5, deAT, '0,05 €'],
      [-100000, deDE, '-1.000,00 €'],
      [123456, en, '€1,234.56'],
    ];
    for (const [cents, l, want] of table) expect(nbsp(formatMoney(cents, 'EUR', l))).toBe(want);
    expect(nbsp(formatRate(2000, deAT))).toBe('20 %');
    expect(formatRate(750, en)).toBe('7.5%');
  });

  it('reads typed dates and refuses impossible ones', () => {
    expect(parseDate('07.03.1985')).toBe('1985-03-07');
    expect(parseDate(' 7.3.1985 ')).toBe('1985-03-07');
    expect(parseDate('07/03/1985')).toBe('1985-03-07');
    expect(parseDate('1985-03-07')).toBe('1985-03-07');
    for (const bad of ['31.02.1985', '7.3.85', '1985', '', 'morgen', '00.01.2000', '29.02.2025'])
      expect(parseDate(bad)).toBeNull();
    expect(parseDate('29.02.2024')).toBe('2024-02-29');
  });

  it('reads typed times', () => {
    expect(parseTime('9:00')).toBe('09:00:00');
    expect(parseTime('14.30')).toBe('14:30:00');
    for (const bad of ['24:00', '9', '9:60', 'neun']) expect(parseTime(bad)).toBeNull();
  });

  it('counts full years of age', () => {
    expect(age('1985-03-07', '2026-03-06')).toBe(40);
    expect(age('1985-03-07', '2026-03-07')).toBe(41);
  });

  it('formats file sizes in each language', () => {
    const de = { language: 'de', country: 'AT' } as const;
    const en = { language: 'en', country: 'AT' } as const;
    expect(formatBytes(512, de)).toBe('512 Byte');
    expect(formatBytes(1_536_000, de)).toBe('1,5 MB');
    expect(formatBytes(1_536_000, en)).toBe('1.5 MB');
    expect(formatBytes(104_857_600, en)).toBe('104.9 MB');
  });
});
