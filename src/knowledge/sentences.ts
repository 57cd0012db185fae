/**
 * Sentence splitting of the cleaned body: each sentence is an exact span of the raw text.
 * Handles abbreviations ("Mr.", "U.S."), initials ("J. Smith"), doubled full stops
 * ("stronghold.. The"), and quotations that contain full stops ("We are ready. We will fight,"
 * she said — one sentence).
 */
import type { BodyParagraph } from './clean.js';
import type { SourceId } from './model.js';
import type { Sentence } from './sentence.js';

const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'st', 'gen', 'lt', 'col', 'sgt', 'capt', 'cpt', 'maj', 'prof', 'sen', 'rep',
  'gov', 'pres', 'jr', 'sr', 'no', 'nos', 'vs', 'etc', 'eg', 'ie', 'approx', 'inc', 'ltd', 'co', 'corp',
  'dept', 'est', 'fig', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov',
  'dec', 'mt', 'ft', 'km', 'vol', 'p', 'pp', 'ca',
]);

const OPENING_DOUBLE = new Set(['“', '«', '„']);
const CLOSING_DOUBLE = new Set(['”', '»']);
const CLOSERS = /["”’'»)\]]/u;
const SENTENCE_START = /[\p{Lu}\p{N}"“‘'«([¿¡\p{Script=Arabic}]/u;

/** True when the full stop at `dot` ends an abbreviation or an initial, not a sentence. */
function isAbbreviation(text: string, dot: number): boolean {
  const before = /([\p{L}.]+)$/u.exec(text.slice(0, dot))?.[1] ?? '';
  if (before.length === 0) return false;
  if (/^\p{Lu}$/u.test(before)) return true; // initial: "J. Smith"
  if (/^(\p{L}\.)+\p{L}$/u.test(before)) return true; // "U.S", "e.g"
  return ABBREVIATIONS.has(before.replace(/\./gu, '').toLowerCase());
}

/** Offsets (within `text`) where sentences end. */
function sentenceEnds(text: string, respectQuotes: boolean): { ends: number[]; balanced: boolean } {
  const ends: number[] = [];
  let depth = 0;
  let straightOpen = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (OPENING_DOUBLE.has(ch)) depth++;
    else if (CLOSING_DOUBLE.has(ch)) depth = Math.max(0, depth - 1);
    else if (ch === '"') straightOpen = !straightOpen;
    if (!/[.!?…]/u.test(ch)) continue;
    let j = i;
    while (j + 1 < text.length && /[.!?…]/u.test(text[j + 1] ?? '')) j++;
    if (j === i && ch === '.' && isAbbreviation(text, i)) continue;
    let k = j + 1;
    let closingDepth: number = depth;
    let closingStraight: boolean = straightOpen;
    while (k < text.length && CLOSERS.test(text[k] ?? '')) {
      const c = text[k] ?? '';
      if (CLOSING_DOUBLE.has(c)) closingDepth = Math.max(0, closingDepth - 1);
      if (c === '"') closingStraight = !closingStraight;
      k++;
    }
    const rest = text.slice(k);
    const nextStart = /^\s+(.)/u.exec(rest)?.[1];
    const atEnd = rest.trim().length === 0;
    if (!atEnd && (nextStart === undefined || !SENTENCE_START.test(nextStart))) {
      i = j;
      continue;
    }
    if (respectQuotes && !atEnd && (closingDepth > 0 || closingStraight)) {
      i = j;
      continue;
    }
    depth = closingDepth;
    straightOpen = closingStraight;
    ends.push(k);
    i = k - 1;
  }
  return { ends, balanced: depth === 0 && !straightOpen };
}

/**
 * Splits one body paragraph into sentences with exact raw offsets.
 *
 * @example
 * splitSentences('000_x', { start: 0, end: 9, text: 'Hi. Bye.', caption: false }, 0)
 * // → two sentences: "Hi." and "Bye."
 */
export function splitSentences(sourceId: SourceId, paragraph: BodyParagraph, index: number): Sentence[] {
  const quoted = sentenceEnds(paragraph.text, true);
  // A quotation mark left open would swallow the rest of the paragraph: split as if unquoted.
  const ends = quoted.balanced ? quoted.ends : sentenceEnds(paragraph.text, false).ends;
  const sentences: Sentence[] = [];
  let from = 0;
  for (const end of [...ends, paragraph.text.length]) {
    const piece = paragraph.text.slice(from, end);
    const lead = piece.length - piece.trimStart().length;
    const text = piece.trim();
    if (text.length > 0) {
      const start = paragraph.start + from + lead;
      sentences.push({ sourceId, start, end: start + text.length, text, paragraph: index, caption: paragraph.caption });
    }
    from = end;
  }
  return sentences;
}
