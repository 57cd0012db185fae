/**
 * Calendar arithmetic on ISO `YYYY-MM-DD` days, in UTC so no local time zone can shift a day.
 * (Dates are worded for readers by `formatDateRef` in src/replies/format.ts.)
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

/** Width of a date's range in days; the narrower of two equal starts is the more precise. */
export function spanDays(date: DateRef): number {
  return daysBetween(date.start, date.end);
}

/** `true` when two dates share at least one day. */
export function datesOverlap(a: DateRef, b: DateRef): boolean {
  return a.start <= b.end && b.start <= a.end;
}
