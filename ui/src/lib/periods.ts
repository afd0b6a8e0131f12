// The periods a report can cover — a year, a quarter or a month — as the first and last day
// (ISO), and how a period is named in a file name. Calendar arithmetic only; the core widens
// every period to whole months and computes every figure.

import { dateTag, type Locale } from './format';

/** `year`: the whole year; `q1`…`q4`: a quarter; `m01`…`m12`: a month. */
export type PeriodKey = 'year' | 'q1' | 'q2' | 'q3' | 'q4' | `m${string}`;

export const PERIOD_KEYS: PeriodKey[] = [
  'year',
  'q1',
  'q2',
  'q3',
  'q4',
  ...Array.from({ length: 12 }, (_, i) => `m${String(i + 1).padStart(2, '0')}` as PeriodKey),
];

const pad = (n: number) => String(n).padStart(2, '0');

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The first and last day of a period, as ISO dates. */
export function periodRange(year: number, key: PeriodKey): { from: string; to: string } {
  let first = 1;
  let last = 12;
  if (key.startsWith('q')) {
    const q = Number(key.slice(1));
    first = q * 3 - 2;
    last = q * 3;
  } else if (key.startsWith('m')) {
    first = last = Number(key.slice(1));
  }
  return { from: `${year}-${pad(first)}-01`, to: `${year}-${pad(last)}-${pad(lastDay(year, last))}` };
}

/** "2026", "2026-Q1", "2026-03": the period in a file name. */
export function periodSlug(year: number, key: PeriodKey): string {
  if (key === 'year') return String(year);
  if (key.startsWith('q')) return `${year}-Q${key.slice(1)}`;
  return `${year}-${key.slice(1)}`;
}

/** A month's name as the practice's language and country write it ("Jänner" in Austria). */
export function monthName(month: number, l: Locale): string {
  return new Intl.DateTimeFormat(dateTag(l), { month: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2026, month - 1, 1)),
  );
}

/** The years to offer: from five years back to next year, newest first. */
export function yearChoices(currentYear: number): number[] {
  return Array.from({ length: 7 }, (_, i) => currentYear + 1 - i);
}
