/**
 * Finds the dates a news report gives and resolves them against its publication date, keeping
 * their precision: "Monday (23)" is a day, "last week" a week, "in the 1980s" a decade.
 *
 * The rule throughout is that no date is better than a wrong one: a weekday whose bracketed
 * day of month disagrees with it, a "September 11" that names an attack with no year in the
 * sentence, "at night" (habitual as often as not) and "after 20 years" give no date.
 */
import {
  addDays,
  daysBetween,
  lastDayOfMonth,
  makeDay,
  mondayOf,
  parseIsoDay,
  weekday,
} from './analysis-calendar.js';
import type { DateRef } from './model.js';

/** A date found in a text: the resolved {@link DateRef} and where its words are. */
export interface DateMention extends DateRef {
  /** Offset of the date words within the text passed to {@link findDates}. */
  index: number;
  /** Length of the date words (`text.length`). */
  length: number;
}

type Resolved = Omit<DateRef, 'text'>;

interface Rule {
  re: RegExp;
  /** The resolved date, or `null` when the words match but cannot be resolved safely. */
  resolve(m: RegExpExecArray, ctx: Context): Resolved | null;
}

interface Context {
  text: string;
  published: string;
  pubYear: number;
  pubMonth: number;
}

const MONTH_NUMBER: Record<string, number> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5,
  june: 6, jun: 6, july: 7, jul: 7, august: 8, aug: 8, september: 9, sept: 9, sep: 9,
  october: 10, oct: 10, november: 11, nov: 11, december: 12, dec: 12,
};

const FULL_MONTH = '(January|February|March|April|May|June|July|August|September|October|November|December)';
/** Full names or the usual abbreviations ("Aug.", "Sept."): only allowed next to a day number. */
const ANY_MONTH =
  '(January|February|March|April|May|June|July|August|September|October|November|December|' +
  'Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept\\.?|Sep\\.?|Oct\\.?|Nov\\.?|Dec\\.?)';
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const WEEKDAY = `(${WEEKDAYS.join('|')})`;
const ORDINAL = '(?:st|nd|rd|th)?';

/** Weekdays that are part of a name ("Sunday Times", "Bloody Sunday"), not a date. */
const NAMED_WEEKDAY_AFTER = /^\s+(?:Times|Telegraph|Express|Mirror|Post|Herald|Independent|Observer|Mail|Tribune|Business)\b/;
const NAMED_WEEKDAY_BEFORE = /\b(?:Bloody|Good|Black|Easter|Palm|Ash|Holy|Super|Cyber|Maundy)\s+$/;
/** Tense markers that make a weekday point forward ("talks will resume on Friday"). */
const FUTURE_MARKERS = /\b(?:will|shall|is due to|are due to|is expected to|are expected to|plans? to|scheduled|is set to|are set to)\b/i;
/** A year that counts things rather than naming a time ("2000 fighters"). */
const YEAR_IS_A_COUNT = /^\s*(?:km|kilomet|mile|people|men|fighters|troops|soldiers|families|refugees|civilians|%|percent)/i;

function monthNumber(word: string): number {
  return MONTH_NUMBER[word.replace('.', '').toLowerCase()] ?? 0;
}

function day(iso: string): Resolved {
  return { precision: 'day', start: iso, end: iso };
}

function yearRef(year: number): Resolved {
  return { precision: 'year', start: `${year}-01-01`, end: `${year}-12-31` };
}

function monthRef(year: number, month: number): Resolved {
  return {
    precision: 'month',
    start: makeDay(year, month, 1) ?? `${year}-01-01`,
    end: lastDayOfMonth(year, month),
  };
}

function isPlausibleYear(year: number): boolean {
  return year >= 1800 && year <= 2099;
}

/** The text of the sentence up to `index` (from the last sentence end before it). */
function sentenceBefore(text: string, index: number): string {
  const before = text.slice(0, index);
  const boundary = Math.max(before.lastIndexOf('. '), before.lastIndexOf('! '), before.lastIndexOf('? '), before.lastIndexOf('\n'));
  return before.slice(boundary + 1);
}

/**
 * The year a month-day without one belongs to: an explicit year earlier in the same sentence
 * ("in 2001, at the time of the September 11 attack"), else the year that puts the day nearest
 * the publication date; `null` when the words name an event ("the September 11 attacks") and
 * the sentence gives no year.
 */
function yearForMonthDay(month: number, dom: number, m: RegExpExecArray, ctx: Context): number | null {
  const before = sentenceBefore(ctx.text, m.index);
  // "the twentieth anniversary of the September 11 attacks": twenty years before the anniversary.
  const anniversary = ANNIVERSARY_BEFORE.exec(before);
  const yearsSince = anniversary ? ordinalNumber(anniversary[1] ?? '') : undefined;
  if (yearsSince !== undefined) return nearestYear(month, dom, ctx) - yearsSince;
  const years = [...before.matchAll(/\b(1[89]\d\d|20\d\d)\b(?!s)/g)].map((y) => Number(y[1]));
  const contextYear = years.at(-1);
  if (contextYear !== undefined) return contextYear;
  const after = ctx.text.slice(m.index + m[0].length);
  if (/^\s*(?:terror(?:ist)?\s+)?attacks?\b/i.test(after)) return null;
  let best: number | null = null;
  let bestDistance = Infinity;
  for (const year of [ctx.pubYear - 1, ctx.pubYear, ctx.pubYear + 1]) {
    const iso = makeDay(year, month, dom);
    if (!iso) continue;
    const distance = Math.abs(daysBetween(ctx.published, iso));
    if (distance < bestDistance) {
      best = year;
      bestDistance = distance;
    }
  }
  return best;
}

/** "the twentieth anniversary of (the) " right before a month-day. */
const ANNIVERSARY_BEFORE = /\b([\w-]+)\s+anniversary\s+of\s+(?:the\s+)?$/iu;

const ORDINALS = [
  'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth',
  'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth', 'twentieth',
];
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const TENS_ORDINAL: Record<string, number> = { thirtieth: 30, fortieth: 40, fiftieth: 50, sixtieth: 60, seventieth: 70, eightieth: 80, ninetieth: 90, hundredth: 100 };

/** "twentieth" → 20, "20th" → 20, "twenty-fifth" → 25; `undefined` for anything else. */
export function ordinalNumber(word: string): number | undefined {
  const w = word.toLowerCase();
  const digits = /^(\d{1,3})(?:st|nd|rd|th)$/u.exec(w);
  if (digits) return Number(digits[1]);
  const simple = ORDINALS.indexOf(w);
  if (simple >= 0) return simple + 1;
  if (TENS_ORDINAL[w] !== undefined) return TENS_ORDINAL[w];
  const compound = /^(\w+)-(\w+)$/u.exec(w);
  if (compound && TENS[compound[1]!] !== undefined && ORDINALS.indexOf(compound[2]!) >= 0 && ORDINALS.indexOf(compound[2]!) < 9) {
    return TENS[compound[1]!]! + ORDINALS.indexOf(compound[2]!) + 1;
  }
  return undefined;
}

/** The year that puts a month-day nearest the publication day. */
function nearestYear(month: number, dom: number, ctx: Context): number {
  let best = ctx.pubYear;
  let bestDistance = Infinity;
  for (const year of [ctx.pubYear - 1, ctx.pubYear, ctx.pubYear + 1]) {
    const iso = makeDay(year, month, dom);
    if (!iso) continue;
    const distance = Math.abs(daysBetween(ctx.published, iso));
    if (distance < bestDistance) [best, bestDistance] = [year, distance];
  }
  return best;
}

/** The day the parts name, or `null` when they make no real day (30 February). */
function dayOf(year: number, month: number, dom: number): Resolved | null {
  const iso = makeDay(year, month, dom);
  return iso ? day(iso) : null;
}

/** A month-day written without a year, in the year {@link yearForMonthDay} gives it. */
function dayWithoutYear(month: number, dom: number, m: RegExpExecArray, ctx: Context): Resolved | null {
  const year = yearForMonthDay(month, dom, m, ctx);
  return year === null ? null : dayOf(year, month, dom);
}

/** The most recent `target` weekday on or before `iso` (strictly before when `strict`). */
function previousWeekday(iso: string, target: number, strict: boolean): string {
  let back = (weekday(iso) - target + 7) % 7;
  if (strict && back === 0) back = 7;
  return addDays(iso, -back);
}

const RULES: Rule[] = [
  // on the twentieth anniversary of (the) September 11 …: that day this year (the month-day
  // itself is dated by its own rule, the years before)
  {
    re: new RegExp(`\\b(?:[Oo]n\\s+)?the\\s+([\\w-]+)\\s+anniversary\\s+of(?=\\s+(?:the\\s+)?${ANY_MONTH}\\s+(\\d{1,2})\\b|\\s+(?:the\\s+)?(\\d{1,2})${ORDINAL}\\s+(?:of\\s+)?${ANY_MONTH})`, 'g'),
    resolve: (m, ctx) => {
      if (ordinalNumber(m[1] ?? '') === undefined) return null;
      const month = monthNumber(m[2] ?? m[5] ?? '');
      const dom = Number(m[3] ?? m[4]);
      return dayOf(nearestYear(month, dom, ctx), month, dom);
    },
  },
  // 2021-08-23
  {
    re: /\b(\d{4})-(\d{2})-(\d{2})\b/g,
    resolve: (m) => dayOf(Number(m[1]), Number(m[2]), Number(m[3])),
  },
  // 5 September 2019, 5th of September, 2019
  {
    re: new RegExp(`\\b(?:on\\s+)?(\\d{1,2})${ORDINAL}\\s+(?:of\\s+)?${ANY_MONTH},?\\s+(\\d{4})\\b`, 'g'),
    resolve: (m) => dayOf(Number(m[3]), monthNumber(m[2] ?? ''), Number(m[1])),
  },
  // September 5, 2019 / Aug. 23 2021
  {
    re: new RegExp(`\\b(?:on\\s+)?${ANY_MONTH}\\s+(\\d{1,2})${ORDINAL},?\\s+(\\d{4})\\b`, 'g'),
    resolve: (m) => dayOf(Number(m[3]), monthNumber(m[1] ?? ''), Number(m[2])),
  },
  // September 6 / Aug. 23 (no year)
  {
    re: new RegExp(`\\b(?:on\\s+)?${ANY_MONTH}\\s+(\\d{1,2})${ORDINAL}(?![\\d:])\\b`, 'g'),
    resolve: (m, ctx) => dayWithoutYear(monthNumber(m[1] ?? ''), Number(m[2]), m, ctx),
  },
  // 23 August (no year)
  {
    re: new RegExp(`\\b(?:on\\s+)?(\\d{1,2})${ORDINAL}\\s+(?:of\\s+)?${ANY_MONTH}(?!\\.?\\w)`, 'g'),
    resolve: (m, ctx) => dayWithoutYear(monthNumber(m[2] ?? ''), Number(m[1]), m, ctx),
  },
  // (in) (early) August 2021
  {
    re: new RegExp(`\\b(?:in\\s+)?(?:(?:early|mid|late)[-\\s]+)?${FULL_MONTH}\\s+(\\d{4})\\b`, 'g'),
    resolve: (m) => {
      const year = Number(m[2]);
      return isPlausibleYear(year) ? monthRef(year, monthNumber(m[1] ?? '')) : null;
    },
  },
  // in August (no year): this year's, when it is not after publication
  {
    re: new RegExp(`\\b(?:in|since|during|until|(?:early|mid|late)[-\\s]|in\\s+(?:early|mid|late)[-\\s])\\s*${FULL_MONTH}\\b(?!\\s+\\d)`, 'g'),
    resolve: (m, ctx) => {
      const month = monthNumber(m[1] ?? '');
      return month <= ctx.pubMonth ? monthRef(ctx.pubYear, month) : null;
    },
  },
  // between 1996 and 2001 / from 1996 to 2001 / 1996–2001
  {
    re: /\b(?:between\s+(\d{4})\s+and\s+(\d{4})|from\s+(\d{4})\s+(?:to|until|till)\s+(\d{4})|(\d{4})\s*[–—-]\s*(\d{4}))\b/g,
    resolve: (m) => {
      const from = Number(m[1] ?? m[3] ?? m[5]);
      const to = Number(m[2] ?? m[4] ?? m[6]);
      if (!isPlausibleYear(from) || !isPlausibleYear(to) || to <= from || to - from > 100) return null;
      return { precision: 'span', start: `${from}-01-01`, end: `${to}-12-31` };
    },
  },
  // in the 1980s / the 1990s / the 1980's
  {
    re: /\b(?:in\s+)?(?:the\s+)?(?:(?:early|mid|late)[-\s]+)?(1[89]\d0|20\d0)'?s\b/g,
    resolve: (m) => {
      const decade = Number(m[1]);
      return { precision: 'decade', start: `${decade}-01-01`, end: `${decade + 9}-12-31` };
    },
  },
  // in 2001 / since 2001 / the 2001 invasion
  {
    re: /\b(?:([Ii]n|[Dd]uring|[Ss]ince|[Uu]ntil)\s+)?(1[89]\d\d|20\d\d)\b(?![-–]\d|'?s\b)/g,
    resolve: (m, ctx) => {
      const year = Number(m[2]);
      const after = ctx.text.slice(m.index + m[0].length);
      if (YEAR_IS_A_COUNT.test(after)) return null;
      const preposition = m[1]?.toLowerCase();
      if (!preposition) {
        // A bare number is a year only where English puts one: "the 2001 invasion", "of 2001".
        const before = ctx.text.slice(0, m.index);
        if (!/\b(?:the|of|early|late|mid|[Ii]n|[Ss]ince|until)[\s-]+$/.test(before)) return null;
      }
      if (preposition === 'since') {
        if (`${year}-01-01` > ctx.published) return null;
        return { precision: 'span', start: `${year}-01-01`, end: ctx.published };
      }
      return yearRef(year);
    },
  },
  // on Monday (23): the bracketed day of month must agree with the weekday
  {
    re: new RegExp(`\\b(?:[Oo]n\\s+)?${WEEKDAY}\\s*\\((\\d{1,2})\\)`, 'g'),
    resolve: (m, ctx) => {
      const target = WEEKDAYS.indexOf(m[1] ?? '');
      const dom = Number(m[2]);
      for (let offset = -14; offset <= 14; offset++) {
        const iso = addDays(ctx.published, offset);
        if (weekday(iso) === target && parseIsoDay(iso).getUTCDate() === dom) return day(iso);
      }
      return null;
    },
  },
  // (on|last|next|this) Sunday (morning|night)
  {
    re: new RegExp(`\\b(?:([Oo]n|[Ll]ast|[Nn]ext|[Tt]his|early on|late on)\\s+)?${WEEKDAY}(?:'s)?(?:\\s+(?:morning|afternoon|evening|night))?\\b`, 'g'),
    resolve: (m, ctx) => {
      const after = ctx.text.slice(m.index + m[0].length);
      const before = ctx.text.slice(0, m.index);
      if (NAMED_WEEKDAY_AFTER.test(after) || NAMED_WEEKDAY_BEFORE.test(before)) return null;
      const target = WEEKDAYS.indexOf(m[2] ?? '');
      const modifier = m[1]?.toLowerCase();
      const pubDay = weekday(ctx.published);
      if (modifier === 'last') return day(previousWeekday(ctx.published, target, true));
      if (modifier === 'this') return day(addDays(mondayOf(ctx.published), (target + 6) % 7));
      // Only the weekday's own clause tells its tense: "he will not surrender …, the channel
      // cited him as saying on Sunday" said it on Sunday.
      const clause = sentenceBefore(ctx.text, m.index).split(/[,;:]|\b(?:said|says|told|reported|saying|cited)\b/u).pop() ?? '';
      const future = modifier === 'next' || FUTURE_MARKERS.test(clause);
      if (future) {
        // "will meet on Monday" written on a Monday: today or in a week? Too risky to guess.
        if (target === pubDay && modifier !== 'next') return null;
        return day(addDays(ctx.published, (target - pubDay + 7) % 7 || 7));
      }
      return day(previousWeekday(ctx.published, target, false));
    },
  },
  // today / this morning / tonight
  {
    re: /\b(?:today|this (?:morning|afternoon|evening)|tonight)\b(?!'s\s+(?:Afghanistan|world))/gi,
    resolve: (_m, ctx) => day(ctx.published),
  },
  {
    re: /\byesterday\b/gi,
    resolve: (_m, ctx) => day(addDays(ctx.published, -1)),
  },
  {
    re: /\btomorrow\b/gi,
    resolve: (_m, ctx) => day(addDays(ctx.published, 1)),
  },
  // overnight / last night: the night before publication, which straddles two days
  {
    re: /\b(?:overnight|last night)\b/gi,
    resolve: (_m, ctx) => ({ precision: 'span', start: addDays(ctx.published, -1), end: ctx.published }),
  },
  // at the weekend / over the weekend / last weekend
  {
    re: /\b(?:(?:at|over|on|during|this)\s+the\s+weekend|(this|last)\s+weekend)\b/gi,
    resolve: (m, ctx) => {
      let saturday = previousWeekday(ctx.published, 6, false);
      const pubDay = weekday(ctx.published);
      if (m[1]?.toLowerCase() === 'last' && (pubDay === 6 || pubDay === 0)) saturday = addDays(saturday, -7);
      return { precision: 'span', start: saturday, end: addDays(saturday, 1) };
    },
  },
  // last week / this week / earlier this week / next week
  {
    re: /\b(last|this|next|earlier this|later this)\s+week\b/gi,
    resolve: (m, ctx) => {
      const which = (m[1] ?? '').toLowerCase();
      const shift = which === 'last' ? -7 : which === 'next' ? 7 : 0;
      const monday = addDays(mondayOf(ctx.published), shift);
      return { precision: 'week', start: monday, end: addDays(monday, 6) };
    },
  },
  // in the past week: the seven days up to publication
  {
    re: /\b(?:in|over|during)\s+the\s+(?:past|last)\s+week\b/gi,
    resolve: (_m, ctx) => ({ precision: 'span', start: addDays(ctx.published, -6), end: ctx.published }),
  },
  // last month / this month / earlier this month / next month
  {
    re: /\b(last|this|next|earlier this|later this)\s+month\b/gi,
    resolve: (m, ctx) => {
      const which = (m[1] ?? '').toLowerCase();
      const shift = which === 'last' ? -1 : which === 'next' ? 1 : 0;
      const index = ctx.pubYear * 12 + (ctx.pubMonth - 1) + shift;
      return monthRef(Math.floor(index / 12), (index % 12) + 1);
    },
  },
  // last year / this year / earlier this year / next year
  {
    re: /\b(last|this|next|earlier this|later this)\s+year\b/gi,
    resolve: (m, ctx) => {
      const which = (m[1] ?? '').toLowerCase();
      return yearRef(ctx.pubYear + (which === 'last' ? -1 : which === 'next' ? 1 : 0));
    },
  },
  // for the last 24 hours / in the past 24 hours: the day of the report
  {
    re: /\b(?:for|in|over|during|within)\s+the\s+(?:last|past)\s+(?:24|twenty-four)\s+hours\b/gi,
    resolve: (_m, ctx) => day(ctx.published),
  },
  // in recent days / in the past few days: the week up to publication
  {
    re: /\b(?:in|over)\s+(?:recent|the\s+(?:past|last)(?:\s+(?:few|several))?)\s+days\b/gi,
    resolve: (_m, ctx) => ({ precision: 'span', start: addDays(ctx.published, -6), end: ctx.published }),
  },
  // in recent weeks / in the past few weeks: the four weeks up to publication
  {
    re: /\b(?:in|over)\s+(?:recent|the\s+(?:past|last)(?:\s+(?:few|several))?)\s+weeks\b/gi,
    resolve: (_m, ctx) => ({ precision: 'span', start: addDays(ctx.published, -27), end: ctx.published }),
  },
];

/**
 * The {@link DateRef} of a found date, without its position in the text (what the knowledge
 * base stores).
 */
export function toDateRef(found: DateMention): DateRef {
  return { text: found.text, precision: found.precision, start: found.start, end: found.end };
}

interface Candidate {
  index: number;
  length: number;
  order: number;
  resolved: Resolved | null;
}

/**
 * Find the dates in `text` and resolve each against the publication day.
 *
 * Overlapping matches are settled by position then length (the longer wording wins, so
 * "September 5, 2019" is one day, not a day plus a year). Words that look like a date but
 * cannot be resolved safely still claim their span, so a weaker rule cannot guess at them.
 *
 * @param text      a sentence or paragraph of the report
 * @param published the publication day, `YYYY-MM-DD`
 * @returns the dates in reading order, each with the words that gave it and their position
 * @example
 * findDates('The Taliban announced on Monday (23) that it has encircled the valley', '2021-08-23');
 * // [{ text: 'on Monday (23)', precision: 'day', start: '2021-08-23', end: '2021-08-23', index: 22, length: 14 }]
 */
export function findDates(text: string, published: string): DateMention[] {
  const pub = parseIsoDay(published);
  const ctx: Context = { text, published, pubYear: pub.getUTCFullYear(), pubMonth: pub.getUTCMonth() + 1 };
  const candidates: Candidate[] = [];
  RULES.forEach((rule, order) => {
    rule.re.lastIndex = 0;
    for (const m of text.matchAll(rule.re)) {
      candidates.push({ index: m.index, length: m[0].length, order, resolved: rule.resolve(m, ctx) });
    }
  });
  candidates.sort((a, b) => a.index - b.index || b.length - a.length || a.order - b.order);
  const found: DateMention[] = [];
  let claimedUntil = 0;
  for (const c of candidates) {
    if (c.index < claimedUntil) continue;
    claimedUntil = c.index + c.length;
    if (!c.resolved) continue;
    found.push({ text: text.slice(c.index, c.index + c.length), ...c.resolved, index: c.index, length: c.length });
  }
  return found;
}

/** A relative clause that describes someone or something ("who fought the Soviets in the 1980s,"). */
const DESCRIBING_CLAUSE = /(?:,\s*|\s)(?:who|whose|which)\b[^,;.]*(?:,|$)/giu;

/**
 * Spans of the clauses of a sentence that describe someone or something ("Ahmad Massoud, son
 * of a man who fought the Soviets in the 1980s, said on Sunday …"): a date inside one dates
 * that description, never the sentence's main happening.
 *
 * @example
 * describingClauses('Massoud, who fought in the 1980s, said …') // [[7, 33]]
 */
export function describingClauses(text: string): Array<[number, number]> {
  return [...text.matchAll(DESCRIBING_CLAUSE)].map((m) => [m.index, m.index + m[0].length]);
}

const COUNT_WORDS: Record<string, number> = { a: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7 };

/** "a day after", "two days before", "the day after": a clause dated from its sentence's date. */
const RELATIVE_CLAUSE = /\b(a|one|two|three|four|five|six|seven|the)\s+days?\s+(after|before)\s+[^,;:.!?“”"&]+/giu;

/** A clause dated relative to the date of the clause it hangs on: its span and the offset in days. */
export interface RelativeClause {
  index: number;
  length: number;
  /** Days from the main clause's date to this clause's (negative: earlier). */
  offset: number;
}

/**
 * Clauses of a sentence dated relative to its main clause ("Talibs have massed forces near the
 * entrance a day after they got trapped in ambush zones" — the ambush was the day before the
 * massing). A clause that gives its own date is not relative ("a day after August 22" dates the
 * main clause), so it is left out.
 *
 * @example
 * relativeClauses('They massed on Sunday a day after they were ambushed') // [{ index: 22, length: 30, offset: -1 }]
 */
export function relativeClauses(text: string, published: string): RelativeClause[] {
  const found: RelativeClause[] = [];
  for (const m of text.matchAll(RELATIVE_CLAUSE)) {
    const clause = m[0].trimEnd();
    if (findDates(clause, published).length > 0) continue;
    const days = m[1]!.toLowerCase() === 'the' ? 1 : (COUNT_WORDS[m[1]!.toLowerCase()] ?? 1);
    found.push({ index: m.index, length: clause.length, offset: m[2]!.toLowerCase() === 'after' ? -days : days });
  }
  return found;
}
