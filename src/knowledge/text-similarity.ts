/**
 * Similarity of two statements for corroboration: the Dice coefficient over their
 * normalised content words (folded, stop words dropped, crudely stemmed), so "positioned
 * near Panjshir" and "stationed near Panjshir" score high while different statements do not.
 */
import { fold } from './text.js';

const STOP_WORDS = new Set(
  (
    'a an the and or but of to in on at by for with from as is are was were be been being it its this that these ' +
    'those our we us you your he she his her they them their i my me will would has have had do does did not no so ' +
    'there here than then also which who whom what when where'
  ).split(' '),
);

/** A crude English stemmer: enough to make "problems"/"problem", "trying"/"try" meet. */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  return word
    .replace(/ies$/u, 'y')
    .replace(/(ing|edly|ed|ly|es|s)$/u, '')
    .replace(/(ation|ment|ness)$/u, '');
}

/**
 * Tokens of recently compared texts. Corroboration compares every pair of statements, so
 * without it each statement would be folded and stemmed once per comparison (n² times, most of
 * a build's time); bounded so a long-running bot does not keep every sentence it ever saw.
 */
const tokenCache = new Map<string, ReadonlySet<string>>();
const TOKEN_CACHE_SIZE = 200_000;

/** The set of stemmed content words of a text (shared: do not modify it). */
export function contentTokens(text: string): ReadonlySet<string> {
  const cached = tokenCache.get(text);
  if (cached !== undefined) return cached;
  const words = fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && !STOP_WORDS.has(w));
  const tokens: ReadonlySet<string> = new Set(words.map(stem));
  if (tokenCache.size >= TOKEN_CACHE_SIZE) tokenCache.clear();
  tokenCache.set(text, tokens);
  return tokens;
}

/**
 * Dice similarity (0…1) of two texts' content words.
 *
 * @example
 * diceSimilarity('Our fighters are positioned near Panjshir', 'are stationed near Panjshir') // ≈ 0.57
 */
export function diceSimilarity(a: string, b: string): number {
  const ta = contentTokens(a);
  const tb = contentTokens(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return (2 * shared) / (ta.size + tb.size);
}
