/**
 * How the scorer compares the pipeline's output with a reader's expectations: folded text
 * located in the raw article, spans that overlap, names that match by tokens, dates that fit.
 * Deliberately simple, so a reader can check any verdict by hand.
 */

/** A span of an article's raw text. */
export interface Span {
  start: number;
  end: number;
}

const QUOTE_MARKS = /["“”„«»‹›'’‘`´ʼ]/u;
const DASHES = /[-‐‑‒–—―]/u;

/**
 * Folds text for matching (lower case, no accents, no quotation marks or apostrophes, dashes
 * and runs of white space as one space, "…" as "..."), keeping the raw offset of every folded
 * character.
 */
export function foldForMatch(raw: string): { text: string; starts: number[]; ends: number[] } {
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  for (const ch of raw) {
    let folded: string;
    if (QUOTE_MARKS.test(ch)) folded = '';
    else if (DASHES.test(ch) || /\s/u.test(ch)) folded = ' ';
    else if (ch === '…') folded = '...';
    else if (ch === '&') folded = '&';
    else folded = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    for (const f of folded) {
      if (f === ' ' && (text.length === 0 || text.endsWith(' '))) continue;
      text += f;
      starts.push(i);
      ends.push(i + ch.length);
    }
    i += ch.length;
  }
  return { text, starts, ends };
}

/** Folded text for comparison, trimmed, without trailing punctuation. */
export function foldText(s: string): string {
  return foldForMatch(s).text.trim().replace(/[\s.,;:!?]+$/u, '');
}

/** Every raw span where `needle` (folded) occurs in `raw`; a long needle also by its first 80 characters. */
export function locateAll(raw: string, needle: string, folded = foldForMatch(raw)): Span[] {
  const target = foldText(needle);
  if (target.length === 0) return [];
  const spans: Span[] = [];
  const find = (t: string, keepLength: number): void => {
    for (let at = folded.text.indexOf(t); at !== -1; at = folded.text.indexOf(t, at + 1)) {
      const last = Math.min(at + keepLength, folded.text.length) - 1;
      spans.push({ start: folded.starts[at] ?? 0, end: folded.ends[last] ?? 0 });
    }
  };
  find(target, target.length);
  if (spans.length === 0 && target.length > 80) find(target.slice(0, 80), target.length);
  return spans;
}

/** Characters two spans share. */
export function overlap(a: Span, b: Span): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

/** True when the spans share at least half of the shorter one. */
export function overlapsMostly(a: Span, b: Span): boolean {
  const shorter = Math.min(a.end - a.start, b.end - b.start);
  return shorter > 0 && overlap(a, b) * 2 >= shorter;
}

// ── Names ─────────────────────────────────────────────────────────────────────────────

/** Words that are not part of a name: titles, articles, honorifics. */
const NOT_NAME_WORDS = new Set([
  'a', 'an', 'the', 'of', 'mr', 'mrs', 'ms', 'dr', 'mullah', 'mawlawi', 'maulvi', 'sheikh', 'haji', 'hajji', 'general', 'gen',
  'commander', 'marshal', 'president', 'vice', 'first', 'former', 'minister', 'spokesman', 'spokesperson', 'leader', 'chief',
  'not', 'yet', 'in', 'registry', 'said',
]);

/** The name words of a name, folded ("Mullah Amir Khan Muttaqi" → amir khan muttaqi). */
export function nameTokens(name: string): string[] {
  return foldText(name.replace(/\s*\(not yet in the registry\)\s*$/u, ''))
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0 && !NOT_NAME_WORDS.has(t));
}

/** Edit distance, for spelling variants of one name (Motaqi / Muttaqi). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** Same name word, allowing a transliteration's spelling (two edits in a word of 5+ letters). */
export function sameToken(a: string, b: string): boolean {
  if (a === b) return true;
  return Math.min(a.length, b.length) >= 5 && editDistance(a, b) <= 2;
}

/**
 * True when two names name the same person or body by their words: the surnames (last
 * words) are the same word, and the words of one are all among the words of the other.
 */
export function sameName(a: string, b: string): boolean {
  const ta = nameTokens(a);
  const tb = nameTokens(b);
  if (ta.length === 0 || tb.length === 0) return false;
  const within = (x: string[], y: string[]): boolean => x.every((t) => y.some((u) => sameToken(t, u)));
  const lastA = ta[ta.length - 1] ?? '';
  const lastB = tb[tb.length - 1] ?? '';
  const surnames = sameToken(lastA, lastB) || (ta.length === 1 && tb.some((t) => sameToken(t, lastA))) || (tb.length === 1 && ta.some((t) => sameToken(t, lastB)));
  return surnames && (within(ta, tb) || within(tb, ta));
}

/** An expectation naming an unnamed speaker by description ("a Taliban commander"). */
export function isDescription(speaker: string): boolean {
  return /^(a|an|the|some|one|two|several)\s/iu.test(speaker) || /^\p{Ll}/u.test(speaker);
}

/** True when the description's words all appear in the pipeline's words for the speaker. */
export function keepsDescription(expected: string, given: string): boolean {
  const words = foldText(expected)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0 && !['a', 'an', 'the', 'of', 'some'].includes(w));
  const have = new Set(foldText(given).split(/[^\p{L}\p{N}]+/u));
  return words.length > 0 && words.every((w) => have.has(w) || have.has(w.replace(/s$/u, '')) || have.has(`${w}s`));
}

// ── Dates ─────────────────────────────────────────────────────────────────────────────

/** A closed interval of ISO days. */
export interface DayRange {
  start: string;
  end: string;
}

const iso = (d: Date): string => d.toISOString().slice(0, 10);
const lastDayOfMonth = (y: number, m: number): string => iso(new Date(Date.UTC(y, m, 0)));

/**
 * The days an expected date covers, from its text ("2021-09-06", "2021-08", "1990",
 * "1980s") and precision (day, week, month, year, decade); `undefined` if unreadable.
 */
export function expectedRange(date: string, precision: string | null | undefined): DayRange | undefined {
  const decade = /^(\d{3})\ds$/u.exec(date);
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/u.exec(date);
  if (decade) return { start: `${decade[1]}0-01-01`, end: `${decade[1]}9-12-31` };
  if (!m) return undefined;
  const year = Number(m[1]);
  if (precision === 'decade') {
    const d0 = Math.floor(year / 10) * 10;
    return { start: `${d0}-01-01`, end: `${d0 + 9}-12-31` };
  }
  if (precision === 'year' || m[2] === undefined) return { start: `${year}-01-01`, end: `${year}-12-31` };
  const month = Number(m[2]);
  if (precision === 'month' || m[3] === undefined) return { start: `${m[1]}-${m[2]}-01`, end: lastDayOfMonth(year, month) };
  const day = new Date(Date.UTC(year, month - 1, Number(m[3])));
  if (precision === 'week') {
    const monday = new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000);
    return { start: iso(monday), end: iso(new Date(monday.getTime() + 6 * 86_400_000)) };
  }
  return { start: iso(day), end: iso(day) };
}

/** The pipeline's date is right when it lies within the expected range. */
export function dateFits(given: DayRange, expected: DayRange): boolean {
  return given.start >= expected.start && given.end <= expected.end;
}

/** Two ranges that share a day: dates of the same happening may be given at other precisions. */
export function rangesMeet(a: DayRange, b: DayRange): boolean {
  return a.start <= b.end && b.start <= a.end;
}
