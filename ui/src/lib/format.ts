// Every date, time and amount the window shows is formatted here, with Intl, in the user's
// language and the practice's region: `22.11.2026`, `09:00`, `1.234,56 €` (de-AT, de-DE);
// `22/11/2026`, `€1,234.56` (en-GB). Nothing else in the UI builds such strings by hand.

import type { Country, Language } from './api';

export interface Locale {
  language: Language;
  country: Country;
}

/** The BCP 47 tag for dates: de-AT says "Jänner", de-DE "Januar"; English follows en-GB. */
export function dateTag(l: Locale): string {
  return l.language === 'de' ? `de-${l.country}` : 'en-GB';
}

/**
 * The tag for numbers and money. de-AT's CLDR pattern puts the sign first ("€ 1.234,56");
 * Austrian invoices and UI.md write `1.234,56 €`, which is de-DE's pattern, so both German
 * regions use it.
 */
export function numberTag(l: Locale): string {
  return l.language === 'de' ? 'de-DE' : 'en-GB';
}

// Building an Intl formatter is slow; lists format thousands of values with a handful of them.
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => F): F {
  let f = cache.get(key) as F | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}
const dtf = (tag: string, opts: Intl.DateTimeFormatOptions) =>
  cached(`d|${tag}|${JSON.stringify(opts)}`, () => new Intl.DateTimeFormat(tag, opts));
const nf = (tag: string, opts: Intl.NumberFormatOptions) =>
  cached(`n|${tag}|${JSON.stringify(opts)}`, () => new Intl.NumberFormat(tag, opts));

/** A calendar date (`2026-11-22`) as a UTC-anchored Date, so no zone can shift the day. */
function civil(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

/** `22.11.2026` / `22/11/2026`. */
export function formatDate(iso: string, l: Locale): string {
  return dtf(dateTag(l), { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(
    civil(iso),
  );
}

/** `Sonntag, 22. November 2026` / `Sunday 22 November 2026`. */
export function formatLongDate(iso: string, l: Locale): string {
  return dtf(dateTag(l), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(civil(iso));
}

/** A month (`2026-01`) by name: `Jänner 2026` (de-AT), `Januar 2026` (de-DE), `January 2026`. */
export function formatMonth(month: string, l: Locale): string {
  return dtf(dateTag(l), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(civil(`${month}-01`));
}

/** An instant's local time in `zone`: `09:00`. */
export function formatTime(instant: string, zone: string, l: Locale): string {
  return dtf(dateTag(l), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone }).format(
    new Date(instant),
  );
}

/** An instant as local date and time in `zone`: `22.11.2026, 09:00`. */
export function formatDateTime(instant: string, zone: string, l: Locale, withSeconds = false): string {
  return dtf(dateTag(l), {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: withSeconds ? '2-digit' : undefined,
    hourCycle: 'h23',
    timeZone: zone,
  }).format(new Date(instant));
}

/** With seconds, for revisions saved seconds apart: `22.11.2026, 09:14:03`. */
export function formatStamp(instant: string, zone: string, l: Locale): string {
  return formatDateTime(instant, zone, l, true);
}

/** The calendar date of an instant in `zone`, as ISO (`2026-11-22`). */
export function isoDateIn(instant: string, zone: string): string {
  // From the parts, not a locale's pattern: en-CA's order differs between ICU versions.
  const parts = dtf('en-GB', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: zone,
  }).formatToParts(new Date(instant));
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Integer cents as money: `1.234,56 €` / `€1,234.56`. Cents stay integers until Intl shows them. */
export function formatMoney(cents: number, currency: string, l: Locale): string {
  return nf(numberTag(l), {
    style: 'currency',
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(cents / 100);
}

/** Cents as the number a user would type back into an amount field: `1.234,56` / `1,234.56`. */
export function formatAmountInput(cents: number, l: Locale): string {
  return nf(numberTag(l), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents / 100);
}

/** A tax rate in basis points as a percentage: `20 %` / `20%`. */
export function formatRate(basisPoints: number, l: Locale): string {
  return nf(numberTag(l), { style: 'percent', maximumFractionDigits: 2 }).format(basisPoints / 10000);
}

/** A GOÄ multiplier in hundredths as the practice writes it: `2,3` / `2.3`, `1,15`. */
export function formatMultiplier(hundredths: number, l: Locale): string {
  return nf(numberTag(l), { minimumFractionDigits: 1, maximumFractionDigits: 2 }).format(hundredths / 100);
}

export function formatNumber(n: number, l: Locale): string {
  return nf(numberTag(l), {}).format(n);
}

/** Full years between a birth date and today (both ISO). */
export function age(birth: string, today: string): number {
  const [by, bm, bd] = birth.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** How a date is typed in this language, for placeholders. */
export function datePattern(l: Locale): string {
  return l.language === 'de' ? 'TT.MM.JJJJ' : 'DD/MM/YYYY';
}

/**
 * Reads a typed date: `22.11.2026`, `22/11/2026`, `22.11.26` is not accepted (ambiguous
 * century), ISO `2026-11-22` always works. Returns ISO, or null when the text is no real
 * calendar date (31.02.). Range rules (not in the future …) are the core's.
 */
export function parseDate(text: string): string | null {
  const t = text.trim();
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (match) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else {
    match = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(t);
    if (!match) return null;
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Reads a typed time of day (`9:00`, `09:30`, `9.30`) as `HH:MM:00`, or null. */
export function parseTime(text: string): string | null {
  const match = /^(\d{1,2})[:.](\d{2})$/.exec(text.trim());
  if (!match) return null;
  const h = Number(match[1]);
  const min = Number(match[2]);
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}:00`;
}

/** A file size in the language's units and digits (`1,5 MB`, `830 kB`). */
export function formatBytes(bytes: number, l: Locale): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let i = 0;
  let n = bytes;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i += 1;
  }
  return nf(numberTag(l), {
    style: 'unit',
    unit: units[i],
    unitDisplay: 'short',
    maximumFractionDigits: i === 0 ? 0 : 1,
  }).format(n);
}
