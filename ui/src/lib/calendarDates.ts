// Date arithmetic of the calendar screen, on civil dates and wall-clock times of the practice's
// zone (`2026-03-30`, `2026-03-30T09:00:00`). The core resolves them to instants; nothing here
// knows a time zone, so a DST change can never shift what is shown or sent.

import type { WorkingHours } from './bindings';

export type CalendarView = 'day' | 'week' | 'month';

const pad = (n: number) => String(n).padStart(2, '0');

/** A civil date as a UTC-anchored Date, so arithmetic on it never meets a DST change. */
function utc(iso: string): Date {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function iso(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function addDays(date: string, n: number): string {
  const d = utc(date);
  d.setUTCDate(d.getUTCDate() + n);
  return iso(d);
}

/** The same day `n` months later, clamped to the month's end (31 Jan + 1 → 28/29 Feb). */
export function addMonths(date: string, n: number): string {
  const d = utc(date);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + n);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return iso(d);
}

/** ISO weekday, Monday = 1 … Sunday = 7. */
export function weekday(date: string): number {
  return utc(date).getUTCDay() || 7;
}

/** The Monday of the week `date` is in (weeks start on Monday). */
export function mondayOf(date: string): string {
  return addDays(date, 1 - weekday(date));
}

/** The days a view shows around `date`, first and last included. */
export function viewRange(view: CalendarView, date: string): { from: string; to: string } {
  if (view === 'day') return { from: date, to: date };
  if (view === 'week') {
    const from = mondayOf(date);
    return { from, to: addDays(from, 6) };
  }
  // The month grid: whole weeks from the Monday before the 1st to the Sunday after the last.
  const first = `${date.slice(0, 7)}-01`;
  const last = addDays(addMonths(first, 1), -1);
  return { from: mondayOf(first), to: addDays(mondayOf(last), 6) };
}

/** The date one step before (-1) or after (+1) in a view: a day, a week or a month. */
export function step(view: CalendarView, date: string, dir: -1 | 1): string {
  if (view === 'day') return addDays(date, dir);
  if (view === 'week') return addDays(date, 7 * dir);
  return addMonths(date, dir);
}

/** The days `from..=to`. */
export function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * A Date the calendar library hands back as a wall-clock time: the library gives browser-local
 * Dates whose fields are the wall-clock time shown, so their local fields are read.
 */
export function wallTime(d: Date): string {
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:00`
  );
}

/** Whole minutes from one wall-clock time to another (both `YYYY-MM-DDTHH:MM[:SS]`). */
export function minutesBetween(start: string, end: string): number {
  const at = (s: string) => {
    const [h, m] = s.slice(11, 16).split(':').map(Number);
    return utc(s).getTime() / 60000 + h * 60 + m;
  };
  return Math.round(at(end) - at(start));
}

/** `HH:MM` of a minute of the day. */
export function clock(minute: number): string {
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}

/** The working span of a date (`YYYY-MM-DD`) as `HH:MM` times, or null on a day off. */
export function workSpan(hours: WorkingHours, day: string): [string, string] | null {
  const s = hours.days[weekday(day) - 1];
  return s ? [clock(s.start_minute), clock(s.end_minute)] : null;
}

/**
 * The stretches of the days `from..=to` outside working hours (each weekday its own span),
 * between `dayStart` and `dayEnd` (the visible part of a day, `HH:MM`): what the calendar shades.
 */
export function offHours(
  from: string,
  to: string,
  hours: WorkingHours,
  dayStart = '00:00',
  dayEnd = '24:00',
): { start: string; end: string }[] {
  const out: { start: string; end: string }[] = [];
  const within = (t: string) => (t < dayStart ? dayStart : t > dayEnd ? dayEnd : t);
  for (const day of daysOf(from, to)) {
    const next = addDays(day, 1);
    const at = (t: string) => (t === '24:00' ? `${next}T00:00:00` : `${day}T${t}:00`);
    const work = workSpan(hours, day);
    if (!work) {
      out.push({ start: at(dayStart), end: at(dayEnd) });
      continue;
    }
    const [a, b] = [within(work[0]), within(work[1])];
    if (a > dayStart) out.push({ start: at(dayStart), end: at(a) });
    if (b < dayEnd) out.push({ start: at(b), end: at(dayEnd) });
  }
  return out;
}

/** The next full hour after a wall-clock time, for "new appointment" without a chosen slot. */
export function nextFullHour(now: Date): string {
  const d = new Date(now.getTime());
  d.setMinutes(0, 0, 0);
  d.setHours(d.getHours() + 1);
  return wallTime(d);
}
