/**
 * Calendar arithmetic on ISO `YYYY-MM-DD` days, in UTC so no local time zone can shift a day,
 * and the human wording of a {@link DateRef} ("23 Aug 2021", "1980s", "week of 16 Aug 2021").
 * Used by date resolution, the timeline and the claims reply.
 */
import type { DateRef } from './model.js';

const DAY_MS = 86_400_000;

/** Parse an ISO day; throws on anything else so a bad publication date fails loudly. */
export function parseIsoDay(iso: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`Expected a date as YYYY-MM-DD, got "${iso}"`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new Error(`"${iso}" is not a real calendar day`);
  }
  return date;
}

/** Format a UTC date as ISO `YYYY-MM-DD`. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The ISO day `n` days after (negative: before) `iso`. */
export function addDays(iso: string, n: number): string {
  return isoDay(new Date(parseIsoDay(iso).getTime() + n * DAY_MS));
}

/** ISO day from parts; `null` when the parts do not make a real day (30 February). */
export function makeDay(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return null;
  return isoDay(date);
}

/** Day of the week, 0 = Sunday … 6 = Saturday. */
export function weekday(iso: string): number {
  return parseIsoDay(iso).getUTCDay();
}

/** The Monday of the (ISO, Monday-first) week containing `iso`. */
export function mondayOf(iso: string): string {
  return addDays(iso, -((weekday(iso) + 6) % 7));
}

/** Last day of a month (1-based month). */
export function lastDayOfMonth(year: number, month: number): string {
  return isoDay(new Date(Date.UTC(year, month, 0)));
}

/** Whole days from `a` to `b` (positive when `b` is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((parseIsoDay(b).getTime() - parseIsoDay(a).getTime()) / DAY_MS);
}

export const MONTH_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "23 Aug 2021". */
export function formatDay(iso: string): string {
  const d = parseIsoDay(iso);
  return `${d.getUTCDate()} ${MONTH_SHORT[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/**
 * A date as a reader should see it, precision kept: "23 Aug 2021", "week of 16 Aug 2021",
 * "Aug 2021", "2001", "1980s", "1996–2001", "21–22 Aug 2021".
 *
 * @example
 * formatDateRef({ text: 'in the 1980s', precision: 'decade', start: '1980-01-01', end: '1989-12-31' }); // "1980s"
 */
export function formatDateRef(date: DateRef): string {
  const start = parseIsoDay(date.start);
  const end = parseIsoDay(date.end);
  const y1 = start.getUTCFullYear();
  const y2 = end.getUTCFullYear();
  switch (date.precision) {
    case 'day':
      return formatDay(date.start);
    case 'week':
      return `week of ${formatDay(date.start)}`;
    case 'month':
      return `${MONTH_SHORT[start.getUTCMonth()]} ${y1}`;
    case 'year':
      return String(y1);
    case 'decade':
      return `${y1}s`;
    case 'span': {
      if (date.start === date.end) return formatDay(date.start);
      const wholeYears = date.start.endsWith('-01-01') && date.end.endsWith('-12-31');
      if (wholeYears) return y1 === y2 ? String(y1) : `${y1}–${y2}`;
      if (y1 !== y2) return `${formatDay(date.start)} – ${formatDay(date.end)}`;
      if (start.getUTCMonth() !== end.getUTCMonth()) {
        return `${start.getUTCDate()} ${MONTH_SHORT[start.getUTCMonth()]} – ${formatDay(date.end)}`;
      }
      return `${start.getUTCDate()}–${formatDay(date.end)}`;
    }
  }
}

/** Width of a date's range in days; the narrower of two equal starts is the more precise. */
export function spanDays(date: DateRef): number {
  return daysBetween(date.start, date.end);
}

/** `true` when two dates share at least one day. */
export function datesOverlap(a: DateRef, b: DateRef): boolean {
  return a.start <= b.end && b.start <= a.end;
}
