/**
 * Text folding shared by the ingest stages: case-, accent- and punctuation-insensitive
 * comparison that still maps every folded character back to its offset in the raw text.
 */

/** Zero-width joiners/non-joiners and soft hyphens: invisible, dropped when folding. */
const INVISIBLE = /[\u200b-\u200d\u2060\u00ad\ufeff]/u;
const APOSTROPHES = /[’‘ʼ`´]/u;
const DASHES = /[-‐‑‒–—―]/u;

/** Arabic-script letters that Dari/Pashto spell with a different code point. */
const ARABIC_VARIANTS: Record<string, string> = { 'ي': 'ی', 'ى': 'ی', 'ك': 'ک', 'ة': 'ه', 'ۀ': 'ه' };

/** Folds one character: lower case, no accents, one apostrophe, hyphens as spaces. */
function foldChar(ch: string): string {
  if (INVISIBLE.test(ch)) return '';
  if (APOSTROPHES.test(ch)) return "'";
  if (DASHES.test(ch)) return ' ';
  if (/\s/u.test(ch)) return ' ';
  const variant = ARABIC_VARIANTS[ch];
  if (variant) return variant;
  return ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** A folded string with, for each of its characters, the raw offset it came from. */
export interface FoldedText {
  text: string;
  /** `starts[i]` is the raw offset of the character folded character `i` came from. */
  starts: number[];
  /** `ends[i]` is the raw offset just after that character. */
  ends: number[];
}

/**
 * Folds `raw` for matching (lower case, accents and zero-width characters removed, curly
 * apostrophes straightened, dashes and runs of whitespace turned into one space), keeping
 * the offset of every folded character so a match maps back to an exact raw span.
 *
 * @example
 * foldWithOffsets('Règle du jeu').text // 'regle du jeu'
 */
export function foldWithOffsets(raw: string): FoldedText {
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  for (const ch of raw) {
    const folded = foldChar(ch);
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

/** Folds a string for comparison (see {@link foldWithOffsets}), trimmed. */
export function fold(s: string): string {
  return foldWithOffsets(s).text.trim();
}

/** Collapses runs of whitespace to one space and trims: how facts and quotes are stored. */
export function tidyWhitespace(s: string): string {
  return s.replace(/\s+/gu, ' ').trim();
}

/** True for a letter or digit in any script. */
export function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}

/** `s` with every regular-expression metacharacter escaped, to match it literally. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}
