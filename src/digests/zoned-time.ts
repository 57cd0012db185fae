/**
 * Wall-clock arithmetic in IANA time zones with nothing but `Intl.DateTimeFormat`.
 *
 * The one hard part is turning a local date and time into an instant around daylight-saving
 * changes: a local time can be missing (spring forward) or happen twice (fall back). The rule
 * here: a missing time becomes the first instant after the gap (the moment the clocks jump), an
 * ambiguous one its first occurrence.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A calendar day in some time zone; `weekday` 0 = Sunday … 6 = Saturday. */
export interface LocalDay {
  year: number;
  month: number;
  day: number;
  weekday: number;
}

/** One formatter per zone for these options: building one costs far more than using it. */
function formatterPerZone(locale: string, options: Intl.DateTimeFormatOptions): (timeZone: string) => Intl.DateTimeFormat {
  const byZone = new Map<string, Intl.DateTimeFormat>();
  return (timeZone) => {
    let f = byZone.get(timeZone);
    if (f === undefined) {
      f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
      byZone.set(timeZone, f);
    }
    return f;
  };
}

const formatter = formatterPerZone('en-US', {
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(ms: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The zone's offset from UTC at an instant, in milliseconds (Kabul: +4.5 h). */
export function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The local calendar day of an instant. */
export function localDayOf(ms: number, timeZone: string): LocalDay {
  const p = localParts(ms, timeZone);
  return dayFromUtcFields(p.year, p.month, p.day);
}

/** The local day `days` after `day` (negative goes back), by the calendar. */
export function addDays(day: LocalDay, days: number): LocalDay {
  const d = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return dayFromUtcFields(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function dayFromUtcFields(year: number, month: number, day: number): LocalDay {
  return { year, month, day, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay() };
}

/** Days in a month (1-based month). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The instants of several local times (minutes after local midnight, ascending) on one local day.
 * Missing times (spring forward) map to the first instant after the gap; ambiguous ones (fall back)
 * to their first occurrence. Equal instants are kept once, so a gap never doubles a slot.
 */
export function instantsOnDay(day: LocalDay, minutesOfDay: readonly number[], timeZone: string): number[] {
  const midnight = Date.UTC(day.year, day.month - 1, day.day);
  const before = offsetAt(midnight - DAY, timeZone);
  const after = offsetAt(midnight + 2 * DAY, timeZone);
  const result: number[] = [];
  for (const minute of minutesOfDay) {
    const local = midnight + minute * MINUTE;
    const instant = before === after ? local - before : localToInstant(local, before, after, timeZone);
    if (result[result.length - 1] !== instant) result.push(instant);
  }
  return result;
}

/** One local wall-clock time (as if UTC) to an instant, on a day with an offset change near it. */
function localToInstant(local: number, offsetA: number, offsetB: number, timeZone: string): number {
  const candidates = [local - offsetA, local - offsetB].filter((t) => offsetAt(t, timeZone) === local - t).sort((a, b) => a - b);
  if (candidates[0] !== undefined) return candidates[0];
  // A gap: the local time never happens. Find the instant the clocks jump (the offset changes),
  // which lies between the two candidate readings; offsets change on whole minutes.
  let lo = Math.min(local - offsetA, local - offsetB);
  let hi = Math.max(local - offsetA, local - offsetB);
  const startOffset = offsetAt(lo, timeZone);
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (offsetAt(mid, timeZone) === startOffset) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Canonical IANA name of a time zone (any letter case), or `undefined` when Intl does not know it.
 *
 * @example
 * canonicalTimeZone('asia/kabul') // → 'Asia/Kabul'
 */
export function canonicalTimeZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const displayFormatter = formatterPerZone('en-GB', {
  hourCycle: 'h23',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/**
 * An instant as people read it in a zone: `Mon 23 Aug 2021, 08:00 (Asia/Kabul)`.
 *
 * @example
 * formatInZone(new Date('2021-08-23T03:30:00Z'), 'Asia/Kabul') // → 'Mon 23 Aug 2021, 08:00 (Asia/Kabul)'
 */
export function formatInZone(date: Date, timeZone: string): string {
  const p: Record<string, string> = {};
  for (const part of displayFormatter(timeZone).formatToParts(date)) if (part.type !== 'literal') p[part.type] = part.value;
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute} (${timeZone})`;
}
