/**
 * Words set apart without quotation marks. Pages print some quotations as blocks of their own
 * and credit them on the line below rather than with quotation marks:
 *
 * - an **embedded post**: the post's text, then its credit line `— Name (@handle) Month D, YYYY`
 *   (on the next line, or closing the same paragraph when the scraper joined them);
 * - a **pull quote**: a short passage in the first person, then a line `Name, description`.
 *
 * The credit lines themselves are page furniture (cleaning removes them); this module reads
 * them back to credit the block above.
 */
import type { Citation } from './model.js';

/** Words in the first person: a term or a nickname never has them, someone's words do ("fighters and I"). */
export const FIRST_PERSON = /(?<![\p{L}’'])(?:I|I’m|I'm|I’ve|I've|we|We|me|my|My|our|Our|us)(?![\p{L}’'])/u;

/** "— Name (@handle) September 5, 2021": group 1 is the name as the post shows it. */
const POST_CREDIT = /[—–-]\s*([^—–()]{1,80}?)\s*\(@\w+\)\s*\p{L}+\.? \d{1,2},? \d{4}\s*$/u;
/** "Name Surname, Panjshir valley resident": a name of two or more words and a short description. */
const PULL_CREDIT = /^(\p{Lu}[\p{L}'’.-]+(?:\s+\p{Lu}[\p{L}'’.-]+)+),\s+([^.!?:;"“”\d]{3,60})$/u;

/** A block quotation: its words (a span of the raw text) and the credit that names its author. */
export interface BlockQuote {
  /** Offsets of the quoted words in the raw text. */
  start: number;
  end: number;
  /** The author as the credit names them, other scripts left out ("Frud Bezhan فرود بيژن" → "Frud Bezhan"). */
  name: string;
  /** The whole credit as written ("Name, description"), for the attribution. */
  speakerText: string;
  kind: 'post' | 'pull';
  /** The credit, whose date is the post's date. */
  credit: Citation;
}

/** The Latin-script words of a name shown in two scripts. */
function latinName(name: string): string {
  return name
    .split(/\s+/u)
    .filter((w) => /^[\p{Script=Latin}'’.-]+$/u.test(w))
    .join(' ');
}

/**
 * The block quotation a paragraph is, if its credit follows it: `next` is the page line right
 * after the paragraph (a removed credit line), if any.
 *
 * @example
 * blockQuoteOf({ sourceId: 'x', start: 0, end: 12, text: 'Roads closed.' }, { sourceId: 'x', start: 14, end: 52, text: '— Jane Roe (@janeroe) May 1, 2021', reason: '' })
 * // → { kind: 'post', name: 'Jane Roe', start: 0, end: 12, … }
 */
export function blockQuoteOf(paragraph: Citation, next: Citation | undefined): BlockQuote | undefined {
  if (/["“”«»]/u.test(paragraph.text)) return undefined;
  // The credit closes the paragraph itself: "… Major blow. — Name (@handle) September 5, 2021".
  const inline = POST_CREDIT.exec(paragraph.text);
  if (inline?.[1] && inline.index > 0 && /\s$/u.test(paragraph.text.slice(0, inline.index))) {
    const words = paragraph.text.slice(0, inline.index).trimEnd();
    const name = latinName(inline[1].trim());
    const creditStart = paragraph.start + inline.index;
    if (name && words.length > 0) {
      return {
        start: paragraph.start,
        end: paragraph.start + words.length,
        name,
        speakerText: name,
        kind: 'post',
        credit: { sourceId: paragraph.sourceId, start: creditStart, end: paragraph.end, text: paragraph.text.slice(inline.index) },
      };
    }
  }
  if (!next) return undefined;
  const post = POST_CREDIT.exec(next.text);
  if (post?.[1] && post.index === 0) {
    const name = latinName(post[1].trim());
    if (name) return { start: paragraph.start, end: paragraph.end, name, speakerText: name, kind: 'post', credit: next };
  }
  const pull = PULL_CREDIT.exec(next.text);
  // A pull quote is someone's words in the first person; a line of the report is not.
  if (pull?.[1] && FIRST_PERSON.test(paragraph.text) && paragraph.text.split(/[.!?]\s/u).length <= 3) {
    return { start: paragraph.start, end: paragraph.end, name: pull[1], speakerText: next.text, kind: 'pull', credit: next };
  }
  return undefined;
}
