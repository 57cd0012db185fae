/**
 * Digest schedules: parsing what a moderator types, and computing slots (the instants a digest
 * is due) deterministically in the schedule's time zone.
 *
 * Forms: `daily 08:00`, `weekdays 18:00`, `weekly mon 09:00`, `every 6h` / `every 30m` (at least
 * 15 minutes, dividing a day, counted from local midnight), or a 5-field cron expression.
 * Slots are local wall-clock times, so they follow daylight-saving changes: a time that does not
 * exist (spring forward) fires at the first instant after the gap, a time that happens twice
 * (fall back) fires once, at its first occurrence.
 */
import { parse as parseCron, validate as validateCron } from 'node-cron';
import { UserFacingError } from '../commands/types.js';
import { addDays, canonicalTimeZone, daysInMonth, instantsOnDay, localDayOf, type LocalDay } from './zoned-time.js';

/** The shortest interval a schedule may have, in minutes. */
export const MIN_INTERVAL_MINUTES = 15;
const MINUTES_PER_DAY = 1440;
/** How far ahead (and back) slot searches look: enough for `0 0 29 2 *` (a leap day). */
const SEARCH_DAYS = 366 * 8 + 2;

export const SCHEDULE_EXAMPLES = [
  'daily 08:00',
  'daily 08:00 Asia/Kabul',
  'weekdays 18:00 Europe/Dublin',
  'weekly mon 09:00',
  'every 6h',
  'every 30m',
  '0 8 * * 1-5 (cron: minute hour day month weekday)',
] as const;

export type ScheduleRule =
  | { kind: 'daily'; minuteOfDay: number }
  | { kind: 'weekdays'; minuteOfDay: number }
  | { kind: 'weekly'; weekday: number; minuteOfDay: number }
  | { kind: 'every'; minutes: number }
  | { kind: 'cron'; expression: string; cron: CronSpec };

/** A cron expression expanded to sets (node-cron parses; we match, so slots are ours). */
export interface CronSpec {
  minutes: number[];
  hours: number[];
  /** Days of the month; 32 stands for `L` (the last day). */
  daysOfMonth: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Both day fields restricted: classic cron fires when either matches. */
  dayEither: boolean;
  domRestricted: boolean;
  dowRestricted: boolean;
}

/** A parsed schedule in a time zone. */
export interface Schedule {
  rule: ScheduleRule;
  /** Canonical IANA zone name. */
  timeZone: string;
  /** Canonical text of the rule without the zone, as stored: `daily 08:00`, `cron 0 8 * * 1-5`. */
  text: string;
}

const WEEKDAYS: Record<string, number> = {
  sun: 0, sunday: 0, mon: 1, monday: 1, tue: 2, tues: 2, tuesday: 2, wed: 3, wednesday: 3,
  thu: 4, thur: 4, thurs: 4, thursday: 4, fri: 5, friday: 5, sat: 6, saturday: 6,
};
const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const WEEKDAY_LONG = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const CRON_FIELD = /^[\d*][\d*,/-]*$|^L$|^[a-z]{3}([,-][a-z]{3})*$/i;

function badSchedule(message: string): UserFacingError {
  return new UserFacingError(message, SCHEDULE_EXAMPLES.map((e) => `/subscribe ${e}`));
}

/** `08:00`, `8:00`, `8am`, `6:30pm` → minutes after midnight; `undefined` if not a time. */
export function parseTimeOfDay(token: string): number | undefined {
  const m = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/i.exec(token);
  if (m === null) return undefined;
  const [, h = '', mm, ampm] = m;
  if (mm === undefined && ampm === undefined) return undefined;
  let hour = Number(h);
  const minute = mm === undefined ? 0 : Number(mm);
  if (minute > 59) return undefined;
  if (ampm !== undefined) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (ampm.toLowerCase() === 'pm' ? 12 : 0);
  }
  if (hour > 23) return undefined;
  return hour * 60 + minute;
}

function clock(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
}

/** `6h`, `30m`, `90 minutes`, `2 hours` → minutes; `undefined` if not an interval. */
function parseInterval(tokens: string[]): { minutes: number; used: number } | undefined {
  // `6h` is one token; `6 hours` is two (only when the first is a bare number).
  const joined = /^\d+$/.test(tokens[0] ?? '') && tokens[1] !== undefined ? `${tokens[0]} ${tokens[1]}` : (tokens[0] ?? '');
  const m = /^(\d{1,5})\s*(m|mins?|minutes?|h|hrs?|hours?)?$/i.exec(joined.trim());
  if (m === null || m[2] === undefined) return undefined;
  const n = Number(m[1]);
  const minutes = m[2].toLowerCase().startsWith('h') ? n * 60 : n;
  return { minutes, used: joined.includes(' ') ? 2 : 1 };
}

/**
 * Read a schedule rule from the start of `tokens`. Returns the rule and how many tokens it used,
 * or `undefined` when the first token does not start a schedule (so it is a zone or a topic).
 *
 * @throws {UserFacingError} when the tokens start a schedule but it is malformed.
 */
export function readScheduleRule(tokens: readonly string[]): { rule: ScheduleRule; text: string; used: number } | undefined {
  const first = (tokens[0] ?? '').toLowerCase();
  if (first === '') return undefined;
  if (first === 'daily' || first === 'weekdays') {
    const time = parseTimeOfDay(tokens[1] ?? '');
    if (time === undefined) throw badSchedule(`"${first}" needs a time such as 08:00 (24-hour clock).`);
    return { rule: { kind: first, minuteOfDay: time }, text: `${first} ${clock(time)}`, used: 2 };
  }
  if (first === 'weekly') {
    const weekday = WEEKDAYS[(tokens[1] ?? '').toLowerCase()];
    const time = parseTimeOfDay(tokens[2] ?? '');
    if (weekday === undefined || time === undefined) throw badSchedule('"weekly" needs a day and a time, e.g. weekly mon 09:00.');
    return { rule: { kind: 'weekly', weekday, minuteOfDay: time }, text: `weekly ${WEEKDAY_NAMES[weekday]} ${clock(time)}`, used: 3 };
  }
  if (first === 'every') {
    const interval = parseInterval(tokens.slice(1));
    if (interval === undefined) throw badSchedule('"every" needs an interval such as 6h or 30m.');
    const { minutes } = interval;
    if (minutes < MIN_INTERVAL_MINUTES) throw badSchedule(`Digests can come at most every ${MIN_INTERVAL_MINUTES} minutes.`);
    if (minutes > MINUTES_PER_DAY || MINUTES_PER_DAY % minutes !== 0) {
      throw badSchedule(`"every ${minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`}" does not divide a day evenly; use a divisor of 24 hours (e.g. every 6h, every 8h) or a daily, weekly or cron schedule.`);
    }
    return { rule: { kind: 'every', minutes }, text: `every ${minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`}`, used: 1 + interval.used };
  }
  const cronStart = first === 'cron' ? 1 : 0;
  if (cronStart === 1 || /^[\d*]/.test(first)) {
    const fields = tokens.slice(cronStart, cronStart + 5);
    if (fields.length < 5 || !fields.every((f) => CRON_FIELD.test(f))) {
      throw badSchedule('A cron schedule has 5 fields: minute hour day-of-month month day-of-week, e.g. 0 8 * * 1-5.');
    }
    const next = tokens[cronStart + 5];
    if (next !== undefined && /^[\d*][\d*,/-]*$/.test(next)) {
      throw badSchedule('Use a 5-field cron expression (minute hour day month weekday); seconds are not supported.');
    }
    const expression = fields.join(' ');
    return { rule: { kind: 'cron', expression, cron: compileCron(expression) }, text: `cron ${expression}`, used: cronStart + 5 };
  }
  return undefined;
}

function compileCron(expression: string): CronSpec {
  if (!validateCron(expression)) throw badSchedule(`"${expression}" is not a valid cron expression.`);
  const parsed = parseCron(expression);
  const fields = expression.split(' ');
  const numbers = (values: Array<number | string>, what: string): number[] =>
    values.map((v) => {
      if (typeof v === 'number') return v;
      if (v === 'L' && what === 'day of month') return 32;
      throw badSchedule(`"${v}" in the ${what} field is not supported here.`);
    });
  const minutes = [...new Set(parsed.minute)].sort((a, b) => a - b);
  const hours = [...new Set(parsed.hour)].sort((a, b) => a - b);
  const spec: CronSpec = {
    minutes,
    hours,
    daysOfMonth: new Set(numbers(parsed.dayOfMonth, 'day of month')),
    months: new Set(parsed.month),
    weekdays: new Set(numbers(parsed.dayOfWeek, 'day of week').map((d) => d % 7)),
    domRestricted: !(fields[2] ?? '*').startsWith('*'),
    dowRestricted: !(fields[4] ?? '*').startsWith('*'),
    dayEither: false,
  };
  spec.dayEither = spec.domRestricted && spec.dowRestricted;
  const times = hours.flatMap((h) => minutes.map((m) => h * 60 + m));
  for (let i = 0; i < times.length; i++) {
    const here = times[i] ?? 0;
    const next = i + 1 < times.length ? (times[i + 1] ?? 0) : (times[0] ?? 0) + MINUTES_PER_DAY;
    if (next - here < MIN_INTERVAL_MINUTES) throw badSchedule(`Digests can come at most every ${MIN_INTERVAL_MINUTES} minutes; "${expression}" fires more often.`);
  }
  return spec;
}

/**
 * Parse a stored or typed schedule (`daily 08:00`, `cron 0 8 * * 1-5`, …) in a time zone.
 *
 * @example
 * const s = parseSchedule('weekdays 18:00', 'Europe/Dublin');
 * nextSlot(s, new Date('2021-10-29T17:30:00Z')) // → 2021-11-01T18:00:00Z (Monday 18:00, Irish winter time)
 * @throws {UserFacingError} for a malformed schedule or an unknown time zone.
 */
export function parseSchedule(text: string, timeZone: string): Schedule {
  const tokens = text.trim().split(/\s+/).filter((t) => t !== '');
  const read = readScheduleRule(tokens);
  if (read === undefined || read.used !== tokens.length) throw badSchedule(`"${text.trim()}" is not a schedule I understand.`);
  const zone = canonicalTimeZone(timeZone);
  if (zone === undefined) throw unknownTimeZone(timeZone);
  const schedule = { rule: read.rule, timeZone: zone, text: read.text };
  assertFires(schedule);
  return schedule;
}

/** A {@link UserFacingError} for a time zone Intl does not know, with examples. */
export function unknownTimeZone(name: string): UserFacingError {
  return new UserFacingError(`"${name.slice(0, 64)}" is not a time zone I know. Use an IANA name such as Asia/Kabul.`, [
    '/subscribe daily 08:00 Asia/Kabul',
    '/subscribe weekdays 18:00 Europe/Dublin',
    '/subscribe daily 07:00 America/New_York',
    '/subscribe every 6h UTC',
  ]);
}

function assertFires(schedule: Schedule): void {
  if (schedule.rule.kind !== 'cron') return;
  try {
    nextSlot(schedule, new Date(Date.UTC(2000, 0, 1)));
  } catch {
    throw badSchedule(`"${schedule.rule.expression}" never fires (no such date).`);
  }
}

/** The local times (minutes after midnight, ascending) the rule fires at on one local day. */
function timesOn(rule: ScheduleRule, day: LocalDay): readonly number[] {
  switch (rule.kind) {
    case 'daily':
      return [rule.minuteOfDay];
    case 'weekdays':
      return day.weekday >= 1 && day.weekday <= 5 ? [rule.minuteOfDay] : [];
    case 'weekly':
      return day.weekday === rule.weekday ? [rule.minuteOfDay] : [];
    case 'every':
      return everyTimes(rule.minutes);
    case 'cron':
      return cronDayMatches(rule.cron, day) ? cronTimes(rule.cron) : [];
  }
}

const everyCache = new Map<number, number[]>();
function everyTimes(minutes: number): number[] {
  let times = everyCache.get(minutes);
  if (times === undefined) {
    times = Array.from({ length: MINUTES_PER_DAY / minutes }, (_, i) => i * minutes);
    everyCache.set(minutes, times);
  }
  return times;
}

const cronTimeCache = new WeakMap<CronSpec, number[]>();
function cronTimes(spec: CronSpec): number[] {
  let times = cronTimeCache.get(spec);
  if (times === undefined) {
    times = spec.hours.flatMap((h) => spec.minutes.map((m) => h * 60 + m));
    cronTimeCache.set(spec, times);
  }
  return times;
}

function cronDayMatches(spec: CronSpec, day: LocalDay): boolean {
  if (!spec.months.has(day.month)) return false;
  const dom = spec.daysOfMonth.has(day.day) || (spec.daysOfMonth.has(32) && day.day === daysInMonth(day.year, day.month));
  const dow = spec.weekdays.has(day.weekday);
  if (spec.dayEither) return dom || dow;
  return (spec.domRestricted ? dom : true) && (spec.dowRestricted ? dow : true);
}

/**
 * The first slot strictly after `after`.
 *
 * @example
 * nextSlot(parseSchedule('daily 08:00', 'Asia/Kabul'), new Date('2021-08-22T04:00:00Z'))
 * // → 2021-08-23T03:30:00.000Z (08:00 in Kabul, UTC+4:30)
 * @throws {Error} if the schedule never fires within eight years (rejected at parse time).
 */
export function nextSlot(schedule: Schedule, after: Date): Date {
  const afterMs = after.getTime();
  const start = localDayOf(afterMs, schedule.timeZone);
  for (let i = 0; i <= SEARCH_DAYS; i++) {
    const day = addDays(start, i);
    const times = timesOn(schedule.rule, day);
    if (times.length === 0) continue;
    for (const instant of instantsOnDay(day, times, schedule.timeZone)) if (instant > afterMs) return new Date(instant);
  }
  throw new Error(`Schedule "${schedule.text}" has no slot after ${after.toISOString()}.`);
}

/**
 * The latest slot at or before `at`, or `undefined` if none in the search window.
 *
 * @example
 * previousSlot(parseSchedule('every 6h', 'UTC'), new Date('2021-08-22T13:00:00Z')) // → 12:00Z
 */
export function previousSlot(schedule: Schedule, at: Date): Date | undefined {
  const atMs = at.getTime();
  const start = localDayOf(atMs, schedule.timeZone);
  for (let i = 0; i <= SEARCH_DAYS; i++) {
    const day = addDays(start, -i);
    const times = timesOn(schedule.rule, day);
    if (times.length === 0) continue;
    const instants = instantsOnDay(day, times, schedule.timeZone);
    for (let j = instants.length - 1; j >= 0; j--) {
      const instant = instants[j] ?? Number.POSITIVE_INFINITY;
      if (instant <= atMs) return new Date(instant);
    }
  }
  return undefined;
}

/**
 * Every slot in `(from, to]`, in order, at most `limit` of them.
 *
 * @example
 * slotsBetween(parseSchedule('every 6h', 'UTC'), new Date('2021-08-22T00:00:00Z'), new Date('2021-08-23T00:00:00Z'))
 * // → 06:00, 12:00, 18:00 and the next day's 00:00
 */
export function slotsBetween(schedule: Schedule, from: Date, to: Date, limit = 10_000): Date[] {
  const slots: Date[] = [];
  let cursor = from;
  while (slots.length < limit) {
    const next = nextSlot(schedule, cursor);
    if (next.getTime() > to.getTime()) break;
    slots.push(next);
    cursor = next;
  }
  return slots;
}

/**
 * The schedule in words: `every day at 08:00`, `every 6 hours`, `on weekdays at 18:00`.
 *
 * @example
 * describeSchedule(parseSchedule('weekly mon 09:00', 'UTC')) // → 'every Monday at 09:00'
 */
export function describeSchedule(schedule: Schedule): string {
  const rule = schedule.rule;
  switch (rule.kind) {
    case 'daily':
      return `every day at ${clock(rule.minuteOfDay)}`;
    case 'weekdays':
      return `Monday to Friday at ${clock(rule.minuteOfDay)}`;
    case 'weekly':
      return `every ${WEEKDAY_LONG[rule.weekday]} at ${clock(rule.minuteOfDay)}`;
    case 'every':
      return rule.minutes % 60 === 0
        ? rule.minutes === 60
          ? 'every hour'
          : `every ${rule.minutes / 60} hours`
        : `every ${rule.minutes} minutes`;
    case 'cron':
      return `on the cron schedule ${rule.expression}`;
  }
}
