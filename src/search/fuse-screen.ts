/**
 * What fuse.js's bitap search will match, known before fuse.js runs. fuse.js (with
 * `ignoreLocation`) matches a name when its pattern fits some substring of the name with at
 * most `threshold × pattern length` edits, and scores the match by that error share; so the
 * names it would reject can be dropped beforehand, and fuse.js builds and scans only the
 * names that match. The test suite checks the agreement against fuse.js itself.
 */

/** fuse.js scores longer patterns in 32-letter chunks. */
const FUSE_MAX_PATTERN = 32;

/**
 * The pieces fuse.js's bitap search splits a pattern into: 32-letter chunks, the last one
 * ending at the pattern's end (so it may overlap the one before).
 *
 * @example
 * fuseChunks('abc') // → ['abc']
 */
export function fuseChunks(pattern: string): string[] {
  if (pattern.length <= FUSE_MAX_PATTERN) return [pattern];
  const chunks: string[] = [];
  const end = pattern.length - (pattern.length % FUSE_MAX_PATTERN);
  for (let i = 0; i < end; i += FUSE_MAX_PATTERN) chunks.push(pattern.slice(i, i + FUSE_MAX_PATTERN));
  if (end < pattern.length) chunks.push(pattern.slice(pattern.length - FUSE_MAX_PATTERN));
  return chunks;
}

/** Per letter (UTF-16 unit, as fuse.js reads them), the bit mask of its positions in the pattern. */
const patternMasks = new Int32Array(65536);

/**
 * The fewest edits (insert, delete, substitute) that turn `pattern` into some substring of
 * `text`: the error count of fuse.js's best bitap match (its score is this over the pattern
 * length). Myers' bit-parallel algorithm: one pass over the text, no allocation. Patterns
 * longer than 32 letters are not supported (fuse.js splits them); returns 0 for them.
 *
 * @example
 * substringDistance('masoud', 'ahmad massoud') // → 1
 */
export function substringDistance(pattern: string, text: string): number {
  const m = pattern.length;
  if (m === 0 || m > 32) return 0;
  for (let i = 0; i < m; i++) {
    const c = pattern.charCodeAt(i);
    patternMasks[c] = (patternMasks[c] as number) | (1 << i);
  }
  const last = 1 << (m - 1);
  let pv = -1;
  let mv = 0;
  let score = m;
  let best = m;
  for (let j = 0; j < text.length; j++) {
    const eq = patternMasks[text.charCodeAt(j)] as number;
    const xv = eq | mv;
    const xh = ((((eq & pv) + pv) | 0) ^ pv) | eq;
    let ph = mv | ~(xh | pv);
    let mh = pv & xh;
    if (ph & last) score++;
    else if (mh & last) score--;
    // A match may start anywhere in the text: the top row stays 0, so nothing is shifted in.
    ph <<= 1;
    mh <<= 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
    if (score < best) best = score;
  }
  for (let i = 0; i < m; i++) patternMasks[pattern.charCodeAt(i)] = 0;
  return best;
}

/**
 * The score fuse.js gives `text` for the pattern split into `chunks` (one string key,
 * `ignoreLocation`, default field-norm weight), or -1 when it does not match: per chunk the
 * error share of its best substring match (at least 0.001; 1 for a chunk that does not
 * match), averaged, then raised to fuse.js's field norm (1/√words, 3 decimals).
 */
export function predictFuseScore(chunks: readonly string[], text: string, threshold: number): number {
  let base: number;
  if (chunks.length === 1 && chunks[0] === text) {
    base = 0;
  } else {
    let total = 0;
    let matched = false;
    for (const chunk of chunks) {
      const errors = substringDistance(chunk, text);
      const score = errors / chunk.length;
      if (errors <= Math.floor(threshold * chunk.length + 1e-9)) {
        matched = true;
        total += Math.max(0.001, score);
      } else {
        total += 1;
      }
    }
    if (!matched) return -1;
    base = total / chunks.length;
  }
  const norm = Math.round(1000 / Math.sqrt(wordCount(text))) / 1000;
  return Math.pow(base === 0 ? Number.EPSILON : base, norm);
}

/** Words as fuse.js counts them for its field norm (runs of non-whitespace; at least 1). */
function wordCount(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const separator = (c >= 9 && c <= 13) || c === 32 || c === 160;
    if (!separator && !inWord) count++;
    inWord = !separator;
  }
  return Math.max(1, count);
}
