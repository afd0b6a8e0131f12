import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  daysOf,
  minutesBetween,
  mondayOf,
  offHours,
  workSpan,
  step,
  viewRange,
  wallTime,
  weekday,
} from './calendarDates';

const eight = { start_minute: 480, end_minute: 1080 };
const weekdays = { days: [eight, eight, eight, eight, eight, null, null] };

describe('calendar dates', () => {
  it('adds days across a DST change and a leap day without shifting', () => {
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(addDays('2026-10-24', 2)).toBe('2026-10-26');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
  });

  it('adds months clamped to the month end', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
  });

  it('starts weeks on Monday', () => {
    expect(weekday('2026-11-30')).toBe(1);
    expect(weekday('2026-11-29')).toBe(7);
    expect(mondayOf('2026-11-29')).toBe('2026-11-23');
    expect(mondayOf('2026-11-30')).toBe('2026-11-30');
  });

  it('gives each view its range and step', () => {
    expect(viewRange('day', '2026-03-29')).toEqual({ from: '2026-03-29', to: '2026-03-29' });
    expect(viewRange('week', '2026-03-29')).toEqual({ from: '2026-03-23', to: '2026-03-29' });
    // March 2026 starts on a Sunday: the grid starts on Monday 23 February.
    expect(viewRange('month', '2026-03-15')).toEqual({ from: '2026-02-23', to: '2026-04-05' });
    expect(step('week', '2026-03-25', 1)).toBe('2026-04-01');
    expect(step('month', '2026-01-31', 1)).toBe('2026-02-28');
    expect(step('day', '2026-03-01', -1)).toBe('2026-02-28');
    expect(daysOf('2026-12-30', '2027-01-02')).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
  });

  it('reads the wall-clock time of a library date and measures minutes', () => {
    expect(wallTime(new Date(2026, 2, 30, 9, 5))).toBe('2026-03-30T09:05:00');
    expect(minutesBetween('2026-03-29T01:30:00', '2026-03-29T03:30:00')).toBe(120);
    expect(minutesBetween('2026-03-30T23:30:00', '2026-03-31T00:20:00')).toBe(50);
  });

  it('shades the hours outside working hours and whole weekend days', () => {
    const off = offHours('2026-11-27', '2026-11-28', weekdays, '07:00', '21:00');
    expect(off).toEqual([
      { start: '2026-11-27T07:00:00', end: '2026-11-27T08:00:00' },
      { start: '2026-11-27T18:00:00', end: '2026-11-27T21:00:00' },
      { start: '2026-11-28T07:00:00', end: '2026-11-28T21:00:00' },
    ]);
    expect(offHours('2026-11-29', '2026-11-29', weekdays)).toEqual([
      { start: '2026-11-29T00:00:00', end: '2026-11-30T00:00:00' },
    ]);
  });

  it('shades each weekday by its own span, clamped to the visible hours', () => {
    // Tuesday 12:00–20:00, Wednesday off, Thursday 05:00–23:30 (wider than the view).
    const hours = {
      days: [
        eight,
        { start_minute: 720, end_minute: 1200 },
        null,
        { start_minute: 300, end_minute: 1410 },
        eight,
        null,
        { start_minute: 0, end_minute: 1440 },
      ],
    };
    expect(workSpan(hours, '2026-11-24')).toEqual(['12:00', '20:00']);
    expect(workSpan(hours, '2026-11-25')).toBeNull();
    expect(offHours('2026-11-24', '2026-11-26', hours, '06:00', '22:00')).toEqual([
      { start: '2026-11-24T06:00:00', end: '2026-11-24T12:00:00' },
      { start: '2026-11-24T20:00:00', end: '2026-11-24T22:00:00' },
      { start: '2026-11-25T06:00:00', end: '2026-11-25T22:00:00' },
    ]);
    // A Sunday worked around the clock has nothing shaded, even to midnight.
    expect(offHours('2026-11-29', '2026-11-29', hours)).toEqual([]);
  });
});
