/**
 * Recognising an article again: the same page under another URL (tracking parameters, AMP,
 * mobile hosts, fragments) and the same report on another site (syndication: one wire story run
 * by many outlets, each with its own furniture around the same words).
 *
 * URLs are compared after {@link normaliseUrl}; texts by a MinHash sketch of their word
 * 5-shingles, whose agreement estimates the Jaccard similarity of the shingle sets. Two outlets
 * running one AFP report agree on nearly every shingle; two reports of the same event in their
 * own words agree on almost none.
 */
import { createHash } from 'node:crypto';

/** Query parameters that track the reader, not select the page. */
const TRACKING = /^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|ocid|cmpid|cmp|ref|ref_src|ref_url|src|source|smid|smtyp|taid|guccounter|_ga|_gl|igshid|s_cid|at_medium|at_campaign|at_custom\d|outputType|amp|output|ito|mbid|rss|feed|partner|xtor|wt_mc|spm)$/iu;
/** Host prefixes of mobile and AMP editions. */
const EDITION_HOST = /^(www|m|mobile|amp|amp-\w+)\./u;

/**
 * The key two URLs of one page share: lower-case host without `www.`/`m.`/`amp.`, no default
 * port, no fragment, no tracking parameters, no `/amp` path segment or `.amp` suffix, no
 * trailing slash, remaining parameters sorted, `http` and `https` alike.
 *
 * @example
 * normaliseUrl('https://m.example.org/world/story/amp/?utm_source=x&id=2#top') // 'example.org/world/story?id=2'
 */
export function normaliseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return raw.trim();
  }
  let host = url.hostname.toLowerCase();
  while (EDITION_HOST.test(host) && host.split('.').length > 2) host = host.replace(EDITION_HOST, '');
  const port = url.port && url.port !== '80' && url.port !== '443' ? `:${url.port}` : '';
  let path = url.pathname
    .replace(/\/amp(\/|$)/iu, '/')
    .replace(/\.amp(\.html?)?$/iu, '$1')
    .replace(/\/index\.html?$/iu, '/')
    .replace(/\/{2,}/gu, '/');
  if (path.length > 1) path = path.replace(/\/+$/u, '');
  const params = [...url.searchParams.entries()].filter(([key]) => !TRACKING.test(key)).sort(([a], [b]) => a.localeCompare(b));
  const query = params.length === 0 ? '' : `?${new URLSearchParams(params).toString()}`;
  return `${host}${port}${path === '/' ? '' : path}${query}`;
}

/** Hashes in a sketch: more is a finer estimate (error about 1/√n). */
export const SKETCH_SIZE = 64;
const SHINGLE_WORDS = 5;

/** The words of a text, lower-cased, quotes and dashes unified, punctuation dropped. */
function words(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`´]/gu, "'")
    .split(/[^\p{L}\p{N}']+/u)
    .filter((w) => w.length > 0);
}

function hash32(text: string, seed: number): number {
  return createHash('sha1').update(`${seed}:${text}`).digest().readUInt32BE(0);
}

/**
 * The MinHash sketch of a text's word 5-shingles. Seeded hashes via one SHA-1 per shingle and
 * cheap per-seed mixing, so sketches are stable across processes and versions.
 *
 * @example
 * similarity(sketch(afpOnSiteA), sketch(afpOnSiteB)) // ≈ 0.9
 */
export function sketch(text: string): number[] {
  const w = words(text);
  const mins = new Array<number>(SKETCH_SIZE).fill(0xffffffff);
  if (w.length === 0) return mins;
  const count = Math.max(1, w.length - SHINGLE_WORDS + 1);
  for (let i = 0; i < count; i++) {
    const base = hash32(w.slice(i, i + SHINGLE_WORDS).join(' '), 0);
    for (let k = 0; k < SKETCH_SIZE; k++) {
      // Per-seed permutation: multiply-xorshift mixing of the base hash (a 32-bit universal-ish family).
      let h = Math.imul(base ^ Math.imul(k + 1, 0x9e3779b1), 0x85ebca6b) >>> 0;
      h = (h ^ (h >>> 13)) >>> 0;
      h = Math.imul(h, 0xc2b2ae35) >>> 0;
      h = (h ^ (h >>> 16)) >>> 0;
      if (h < mins[k]!) mins[k] = h;
    }
  }
  return mins;
}

/** Estimated Jaccard similarity of two sketches' shingle sets, in [0, 1]. */
export function similarity(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) return 0;
  let same = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) same++;
  return same / n;
}

/**
 * At or above this similarity two texts are one report (a syndicated copy, or the same page
 * under another URL). Outlets trim a wire story (a paragraph cut, a credit line added), so the
 * bar is below 1; two different reports of one event share few 5-word sequences.
 */
export const SYNDICATION_THRESHOLD = 0.6;
