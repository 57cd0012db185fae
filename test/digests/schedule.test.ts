import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/commands/types.js';
import { describeSchedule, nextSlot, parseSchedule, previousSlot, slotsBetween } from '../../src/digests/schedule.js';
import { canonicalTimeZone, formatInZone } from '../../src/digests/zoned-time.js';

const at = (iso: string) => new Date(iso);
const isoList = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('parsing schedules', () => {
  it.each([
    ['daily 08:00', 'daily 08:00', 'every day at 08:00'],
    ['daily 8:05', 'daily 08:05', 'every day at 08:05'],
    ['DAILY 6pm', 'daily 18:00', 'every day at 18:00'],
    ['weekdays 18:00', 'weekdays 18:00', 'Monday to Friday at 18:00'],
    ['weekly mon 09:00', 'weekly mon 09:00', 'every Monday at 09:00'],
    ['weekly Friday 17:30', 'weekly fri 17:30', 'every Friday at 17:30'],
    ['every 6h', 'every 6h', 'every 6 hours'],
    ['every 30m', 'every 30m', 'every 30 minutes'],
    ['every 2 hours', 'every 2h', 'every 2 hours'],
    ['every 45 minutes', 'every 45m', 'every 45 minutes'],
    ['every 60m', 'every 1h', 'every hour'],
    ['0 8 * * 1-5', 'cron 0 8 * * 1-5', 'on the cron schedule 0 8 * * 1-5'],
    ['cron */30 * * * *', 'cron */30 * * * *', 'on the cron schedule */30 * * * *'],
  ])('reads %s', (text, canonical, words) => {
    const schedule = parseSchedule(text, 'UTC');
    expect(schedule.text).toBe(canonical);
    expect(describeSchedule(schedule)).toBe(words);
    expect(parseSchedule(schedule.text, 'UTC').text).toBe(canonical);
  });

  it.each([
    ['daily', /needs a time/],
    ['daily 25:00', /needs a time/],
    ['daily 8:60', /needs a time/],
    ['weekly 09:00', /needs a day and a time/],
    ['every 5m', /at most every 15 minutes/],
    ['every 7h', /does not divide a day/],
    ['every soon', /needs an interval/],
    ['* * * * *', /at most every 15 minutes/],
    ['0 8 * *', /5 fields/],
    ['0 0 8 * * *', /seconds are not supported/],
    ['99 8 * * *', /not a valid cron expression/],
    ['tomorrow', /not a schedule I understand/],
    ['daily 08:00 extra', /not a schedule I understand/],
  ])('rejects %s with examples', (text, message) => {
    let caught: unknown;
    try {
      parseSchedule(text, 'UTC');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UserFacingError);
    expect((caught as UserFacingError).message).toMatch(message);
    expect((caught as UserFacingError).hints).toContain('/subscribe daily 08:00 Asia/Kabul');
  });

  it('rejects unknown time zones and canonicalises known ones', () => {
    expect(() => parseSchedule('daily 08:00', 'Mars/Olympus_Mons')).toThrow(/not a time zone I know/);
    expect(parseSchedule('daily 08:00', 'asia/kabul').timeZone).toBe('Asia/Kabul');
    expect(canonicalTimeZone('europe/dublin')).toBe('Europe/Dublin');
    expect(canonicalTimeZone('Nowhere/Land')).toBeUndefined();
  });
});

describe('slots of each form', () => {
  it('daily: 08:00 in Kabul (UTC+4:30) is 03:30Z', () => {
    const s = parseSchedule('daily 08:00', 'Asia/Kabul');
    expect(nextSlot(s, at('2021-08-22T03:29:00Z')).toISOString()).toBe('2021-08-22T03:30:00.000Z');
    expect(nextSlot(s, at('2021-08-22T03:30:00Z')).toISOString()).toBe('2021-08-23T03:30:00.000Z');
    expect(previousSlot(s, at('2021-08-22T03:30:00Z'))?.toISOString()).toBe('2021-08-22T03:30:00.000Z');
  });

  it('weekdays: skips the weekend', () => {
    const s = parseSchedule('weekdays 18:00', 'UTC');
    // Fri 27 Aug 2021 → Mon 30 Aug.
    expect(isoList(slotsBetween(s, at('2021-08-27T00:00:00Z'), at('2021-08-31T00:00:00Z')))).toEqual([
      '2021-08-27T18:00:00.000Z',
      '2021-08-30T18:00:00.000Z',
    ]);
  });

  it('weekly: once a week on its day', () => {
    const s = parseSchedule('weekly mon 09:00', 'Asia/Kabul');
    expect(isoList(slotsBetween(s, at('2021-08-22T00:00:00Z'), at('2021-09-07T00:00:00Z')))).toEqual([
      '2021-08-23T04:30:00.000Z',
      '2021-08-30T04:30:00.000Z',
      '2021-09-06T04:30:00.000Z',
    ]);
  });

  it('every: local multiples of the interval from midnight', () => {
    const s = parseSchedule('every 6h', 'Asia/Kabul');
    expect(isoList(slotsBetween(s, at('2021-08-21T19:30:00Z'), at('2021-08-22T19:30:00Z')))).toEqual([
      '2021-08-22T01:30:00.000Z',
      '2021-08-22T07:30:00.000Z',
      '2021-08-22T13:30:00.000Z',
      '2021-08-22T19:30:00.000Z',
    ]);
  });

  it('cron: classic day-of-month OR day-of-week, months, and L for the last day', () => {
    const either = parseSchedule('0 12 1 * mon', 'UTC');
    // 1 Sep 2021 is a Wednesday; Mondays are 6, 13 Sep.
    expect(isoList(slotsBetween(either, at('2021-08-31T00:00:00Z'), at('2021-09-14T00:00:00Z')))).toEqual([
      '2021-09-01T12:00:00.000Z',
      '2021-09-06T12:00:00.000Z',
      '2021-09-13T12:00:00.000Z',
    ]);
    const last = parseSchedule('0 0 L * *', 'UTC');
    expect(nextSlot(last, at('2021-02-01T00:00:00Z')).toISOString()).toBe('2021-02-28T00:00:00.000Z');
    const leap = parseSchedule('0 0 29 2 *', 'UTC');
    expect(nextSlot(leap, at('2021-03-01T00:00:00Z')).toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });

  it('formats a slot in its zone', () => {
    expect(formatInZone(at('2021-08-23T03:30:00Z'), 'Asia/Kabul')).toBe('Mon 23 Aug 2021, 08:00 (Asia/Kabul)');
  });
});

describe('daylight-saving changes: no slot skipped or doubled', () => {
  /** Every real instant the schedule fires in a window, checked for strict increase. */
  function slots(text: string, zone: string, from: string, to: string): string[] {
    const list = slotsBetween(parseSchedule(text, zone), at(from), at(to));
    for (let i = 1; i < list.length; i++) expect(list[i]!.getTime()).toBeGreaterThan(list[i - 1]!.getTime());
    return isoList(list);
  }

  it('Europe/Dublin spring forward (28 Mar 2021, 01:00 → 02:00): a missing time fires when the clocks jump', () => {
    expect(slots('daily 01:30', 'Europe/Dublin', '2021-03-26T00:00:00Z', '2021-03-30T00:00:00Z')).toEqual([
      '2021-03-26T01:30:00.000Z',
      '2021-03-27T01:30:00.000Z',
      '2021-03-28T01:00:00.000Z', // 01:30 does not exist: fires at 02:00 IST, the first instant after
      '2021-03-29T00:30:00.000Z', // 01:30 IST
    ]);
    expect(slots('daily 08:00', 'Europe/Dublin', '2021-03-27T00:00:00Z', '2021-03-29T00:00:00Z')).toEqual([
      '2021-03-27T08:00:00.000Z',
      '2021-03-28T07:00:00.000Z',
    ]);
  });

  it('Europe/Dublin spring forward with every 30m: each real half hour once', () => {
    expect(slots('every 30m', 'Europe/Dublin', '2021-03-28T00:00:00Z', '2021-03-28T02:00:00Z')).toEqual([
      '2021-03-28T00:30:00.000Z',
      '2021-03-28T01:00:00.000Z', // 01:00, 01:30 (missing) and 02:00 IST are one instant: fired once
      '2021-03-28T01:30:00.000Z',
      '2021-03-28T02:00:00.000Z',
    ]);
  });

  it('Europe/Dublin fall back (31 Oct 2021, 02:00 → 01:00): a repeated time fires once, at its first occurrence', () => {
    expect(slots('daily 01:30', 'Europe/Dublin', '2021-10-29T00:00:00Z', '2021-11-02T00:00:00Z')).toEqual([
      '2021-10-29T00:30:00.000Z',
      '2021-10-30T00:30:00.000Z',
      '2021-10-31T00:30:00.000Z', // 01:30 IST, not again at 01:30 GMT
      '2021-11-01T01:30:00.000Z',
    ]);
    expect(slots('every 30m', 'Europe/Dublin', '2021-10-30T23:30:00Z', '2021-10-31T02:30:00Z')).toEqual([
      '2021-10-31T00:00:00.000Z', // 01:00 IST
      '2021-10-31T00:30:00.000Z', // 01:30 IST; the repeated 01:00 and 01:30 GMT do not fire again
      '2021-10-31T02:00:00.000Z',
      '2021-10-31T02:30:00.000Z',
    ]);
  });

  it('America/New_York both ways (14 Mar and 7 Nov 2021)', () => {
    expect(slots('daily 02:30', 'America/New_York', '2021-03-13T00:00:00Z', '2021-03-16T00:00:00Z')).toEqual([
      '2021-03-13T07:30:00.000Z',
      '2021-03-14T07:00:00.000Z', // 02:30 does not exist: 03:00 EDT
      '2021-03-15T06:30:00.000Z',
    ]);
    expect(slots('daily 01:30', 'America/New_York', '2021-11-06T00:00:00Z', '2021-11-09T00:00:00Z')).toEqual([
      '2021-11-06T05:30:00.000Z',
      '2021-11-07T05:30:00.000Z', // first 01:30 (EDT)
      '2021-11-08T06:30:00.000Z',
    ]);
    expect(slots('weekdays 18:00', 'America/New_York', '2021-11-05T00:00:00Z', '2021-11-09T00:00:00Z')).toEqual([
      '2021-11-05T22:00:00.000Z',
      '2021-11-08T23:00:00.000Z',
    ]);
  });

  it('an hourly cron schedule fires once per real hour on the 23-hour day', () => {
    const list = slots('0 * * * *', 'Europe/Dublin', '2021-03-27T23:59:00Z', '2021-03-28T22:59:00Z');
    // Local 00:00 … 23:00 with 01:00 missing (it maps onto 02:00): 23 distinct instants, one per real hour.
    expect(list).toHaveLength(23);
    expect(new Set(list).size).toBe(23);
  });
});
