/**
 * Text normalisation shared by every search index: one function decides what "the same word"
 * means, so an alias typed as "Lévy", "LEVY" or "levy" — or "Massoud", "Masood", "Masud" —
 * meets its entity.
 *
 * Two levels:
 * - {@link normaliseText}: case, accents, punctuation and script variants folded; two strings
 *   with the same normal form are the *same* name (an exact match).
 * - {@link skeletonToken}: a phonetic-ish key for Latin transliterations (vowels, doubled
 *   letters, kh/k, q/k, dh/d, sh/s, silent h folded); two tokens with the same skeleton are
 *   *variants* of one name (a near-exact match).
 */

const ASCII_ONLY = /^[\x20-\x7e]*$/;

/** Letters NFKD does not decompose into base + mark. */
const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  ı: 'i',
  þ: 'th',
};

/** Arabic-script letters that Persian, Pashto and Arabic write differently for the same sound. */
const ARABIC_SCRIPT_FOLDS: Record<string, string> = {
  '\u064a': '\u06cc', // Arabic yeh → Farsi yeh
  '\u0649': '\u06cc', // alef maksura → Farsi yeh
  '\u0643': '\u06a9', // Arabic kaf → keheh
  '\u0629': '\u0647', // teh marbuta → heh
  '\u0623': '\u0627', // alef with hamza above → alef
  '\u0625': '\u0627', // alef with hamza below → alef
  '\u0622': '\u0627', // alef with madda → alef
  '\u0671': '\u0627', // alef wasla → alef
};

const SPECIAL_LETTER_PATTERN = /[ßæœøđðłıþ]/g;
const ARABIC_FOLD_PATTERN = /[\u064a\u0649\u0643\u0629\u0623\u0625\u0622\u0671]/g;
/** Tatweel and zero-width joiners/non-joiners: typographic only. */
const INVISIBLE_PATTERN = /[\u0640\u200b-\u200d\u2060\ufeff]/g;
const MARKS_PATTERN = /\p{M}+/gu;
/** A possessive `'s` ("Massoud's") is not part of the name. */
const POSSESSIVE_PATTERN = /(\p{L})['’ʼ]s(?![\p{L}\p{N}])/gu;
const APOSTROPHES_PATTERN = /['’‘ʼʻ`´]/g;
const NON_WORD_PATTERN = /[^\p{L}\p{N}]+/gu;
const ASCII_NON_WORD_PATTERN = /[^a-z0-9]+/g;

/**
 * Folds a string to its normal form: lower case, accents and diacritics removed (NFKD, marks
 * stripped), Arabic-script letter variants unified, possessive `'s` and apostrophes dropped,
 * every other non-letter/non-digit (hyphens, punctuation, emoji, control characters) turned into
 * a single space.
 *
 * @example
 * normaliseText("Bernard Henri-Lévy's") // → "bernard henri levy"
 * normaliseText('  PANJSHIR!! ')        // → "panjshir"
 */
export function normaliseText(input: string): string {
  if (ASCII_ONLY.test(input)) {
    return input
      .toLowerCase()
      .replace(POSSESSIVE_PATTERN, '$1')
      .replace(APOSTROPHES_PATTERN, '')
      .replace(ASCII_NON_WORD_PATTERN, ' ')
      .trim();
  }
  return input
    .normalize('NFKD')
    .replace(MARKS_PATTERN, '')
    .toLowerCase()
    .replace(SPECIAL_LETTER_PATTERN, (c) => SPECIAL_LETTERS[c] ?? c)
    .replace(ARABIC_FOLD_PATTERN, (c) => ARABIC_SCRIPT_FOLDS[c] ?? c)
    .replace(INVISIBLE_PATTERN, '')
    .replace(POSSESSIVE_PATTERN, '$1')
    .replace(APOSTROPHES_PATTERN, '')
    .replace(NON_WORD_PATTERN, ' ')
    .trim();
}

/** Query length cap of every search index: longer input is cut, never rejected. */
const MAX_QUERY_LENGTH = 500;

/**
 * A query as the search indexes read it: its first {@link MAX_QUERY_LENGTH} characters, and an
 * empty string for a missing query from a loosely typed caller.
 */
export function queryText(query: string): string {
  return String(query ?? '').slice(0, MAX_QUERY_LENGTH);
}

/** The words of a string's normal form. */
export function tokenize(input: string): string[] {
  const normal = normaliseText(input);
  return normal === '' ? [] : normal.split(' ');
}

const LATIN_TOKEN = /^[a-z]+$/;
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

/**
 * The transliteration skeleton of one normalised token. Rules, in order:
 * 1. digraphs: `kh`→k, `gh`→g, `dh`→d, `th`→t, `sh`→s, `zh`→z, `ph`→f, `ck`→k, `dj`→j;
 *    `q`→k, lone `c`→k (`ch` kept);
 * 2. `h` after the first letter is dropped (Ahmad/Amad, Zabihullah/Zabiullah, Saleh/Sale);
 * 3. `y` and `w` after the first letter count as vowels (Nazary/Nazari, Dawud/Daoud);
 * 4. every run of vowels becomes one `a` (Massoud/Masood/Masud, Ahmad/Ahmed, Panjshir/Panjsher);
 * 5. doubled consonants collapse (Massoud/Masoud, Amrullah/Amrulah).
 * Tokens that are not plain Latin letters (digits, other scripts) are returned unchanged.
 *
 * @example
 * skeletonToken('massoud') === skeletonToken('masood') // both "masad"
 * skeletonToken('panjshir') === skeletonToken('panjsher') // both "panjsar"
 */
export function skeletonToken(token: string): string {
  if (!LATIN_TOKEN.test(token)) return token;
  const s = token
    .replace(/kh/g, 'k')
    .replace(/gh/g, 'g')
    .replace(/dh/g, 'd')
    .replace(/th/g, 't')
    .replace(/sh/g, 's')
    .replace(/zh/g, 'z')
    .replace(/ph/g, 'f')
    .replace(/ck/g, 'k')
    .replace(/dj/g, 'j')
    .replace(/q/g, 'k')
    .replace(/c(?!h)/g, 'k');
  let out = '';
  let previous = '';
  for (let i = 0; i < s.length; i++) {
    let c = s[i] as string;
    if (i > 0) {
      if (c === 'h' && s[i - 1] !== 'c') continue;
      if (c === 'y' || c === 'w') c = 'a';
    }
    if (VOWELS.has(c)) c = 'a';
    if (c === previous) continue;
    out += c;
    previous = c;
  }
  return out;
}

/** Arabic article prefixes written as separate words after normalisation ("al-Qaeda" → "al qaeda"). */
const ARTICLE_TOKENS = new Set(['al', 'el', 'ul']);

/**
 * The skeleton of a whole normalised phrase: each token's skeleton, with the Arabic article
 * (`al`/`el`) dropped, so "al-Qaeda", "Al Qaida" and "Qaeda" share one key.
 */
export function skeletonKey(normal: string): string {
  if (normal === '') return '';
  const tokens = normal.split(' ');
  const kept = tokens.length > 1 ? tokens.filter((t) => !ARTICLE_TOKENS.has(t)) : tokens;
  return kept.map(skeletonToken).join(' ');
}

/** Whether a token is an Arabic article that a phrase skeleton ignores. */
export function isArticleToken(token: string): boolean {
  return ARTICLE_TOKENS.has(token);
}

/** Function words that carry no meaning in a name or a search ("valley of the five lions"). */
export const STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'has', 'have', 'he', 'her',
  'his', 'in', 'is', 'it', 'its', 'of', 'on', 'or', 'she', 'that', 'the', 'their', 'they',
  'this', 'to', 'was', 'were', 'who', 'will', 'with', 'what', 'where', 'which', 'when',
]);

/** The trigrams of a string padded with a space at each end (`"ab"` → `" ab"`, `"ab "`). */
export function trigrams(text: string): string[] {
  const padded = ` ${text} `;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  return [...grams];
}
