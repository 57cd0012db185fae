/**
 * Corroboration: the same quote or statement reported by two sources becomes one item with
 * a citation per source, each keeping that source's own wording (translations differ).
 * Matching is by similarity ({@link diceSimilarity}), never equality, and never merges two
 * items of the same source, or quotes of different (or unknown) speakers.
 *
 * The rule is a greedy pass in input order (the build's canonical order): each item joins the
 * most similar item kept so far, the earliest on a tie, or is kept itself. Comparing each item
 * with every kept one made a build grow with the square of the story; here each item is
 * compared only with kept items that could reach the threshold — those sharing a word of the
 * rarest part of both texts (prefix filtering, exact for the Dice coefficient) — so the result
 * is the same as comparing every pair.
 */
import type { Citation, EntityId } from './model.js';
import { contentTokens, diceSimilarity } from './text-similarity.js';

/**
 * Quotes of the same speaker in two sources are one quote from this similarity up.
 * ("Our fighters are positioned near Panjshir" / "are stationed near Panjshir" score 0.57;
 * unrelated quotes of one speaker score below 0.2.)
 */
export const QUOTE_SIMILARITY_THRESHOLD = 0.5;

/** Facts need more: no speaker ties them, so most of the content words must be shared. */
export const FACT_SIMILARITY_THRESHOLD = 0.6;

/** What corroboration needs of a quote or fact. */
export interface Corroborable {
  text: string;
  entities: EntityId[];
  citations: Citation[];
  speakerId?: EntityId | null;
}

export interface CorroborateOptions<T> {
  threshold: number;
  sameSpeaker: boolean;
  fill?: (kept: T, other: T) => T;
  /** Items that may never be one (a photo caption and a sentence of a report). */
  compatible?: (a: T, b: T) => boolean;
}

/**
 * Whether `item` may join `candidate` at all (before similarity): no shared source, the same
 * known speaker for quotes, a shared entity for facts, and `compatible`. The one definition of
 * who may be compared, used by every loop.
 */
export function mayJoin<T extends Corroborable>(candidate: T, candidateSources: ReadonlySet<string>, item: T, options: CorroborateOptions<T>): boolean {
  if (item.citations.some((c) => candidateSources.has(c.sourceId))) return false;
  if (options.sameSpeaker && (!item.speakerId || candidate.speakerId !== item.speakerId)) return false;
  if (!options.sameSpeaker && !item.entities.some((e) => candidate.entities.includes(e))) return false;
  if (options.compatible && !options.compatible(candidate, item)) return false;
  return true;
}

/** Item `item` joined to `kept`: its citations and entities added, then `fill`. */
function join<T extends Corroborable>(kept: T, item: T, options: CorroborateOptions<T>): T {
  const combined: T = {
    ...kept,
    entities: [...new Set([...kept.entities, ...item.entities])],
    citations: [...kept.citations, ...item.citations],
  };
  return options.fill ? options.fill(combined, item) : combined;
}

/**
 * The fewest content words two texts must share for their Dice coefficient to reach
 * `threshold`, knowing only that one of them has `size` words: o ≥ t·size / (2 − t).
 * Rounded down by a hair so floating point never makes the filter stricter than the score.
 */
function minimumOverlap(size: number, threshold: number): number {
  return Math.max(1, Math.ceil((threshold * size) / (2 - threshold) - 1e-9));
}

/**
 * Merges items that say the same thing in different sources. The first item (in input
 * order) is kept, with the later one's citation and entities added; `fill` may copy
 * further fields (a date the first lacks).
 *
 * @example
 * const quotes = corroborate(drafts, { threshold: QUOTE_SIMILARITY_THRESHOLD, sameSpeaker: true });
 */
export function corroborate<T extends Corroborable>(items: readonly T[], options: CorroborateOptions<T>): T[] {
  // Below or at 0 every pair may match: prefix filtering does not apply.
  if (options.threshold <= 0) return corroborateEveryPair(items, options);
  // One order of words for every text: rarest first, so prefixes hold the telling words.
  const frequency = new Map<string, number>();
  for (const item of items) for (const token of contentTokens(item.text)) frequency.set(token, (frequency.get(token) ?? 0) + 1);
  const prefix = (text: string): string[] => {
    const tokens = [...contentTokens(text)].sort((a, b) => (frequency.get(a) ?? 0) - (frequency.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
    return tokens.slice(0, tokens.length - minimumOverlap(tokens.length, options.threshold) + 1);
  };

  const merged: T[] = [];
  const mergedSources: Array<Set<string>> = [];
  const postings = new Map<string, number[]>();
  const index = (at: number): void => {
    for (const token of prefix((merged[at] as T).text)) {
      const list = postings.get(token);
      if (list) list.push(at);
      else postings.set(token, [at]);
    }
  };
  for (const item of items) {
    const candidates = new Set<number>();
    for (const token of prefix(item.text)) for (const at of postings.get(token) ?? []) candidates.add(at);
    let best: { index: number; score: number } | undefined;
    // Ascending index: on equal scores the earliest kept item wins, as in the every-pair loop.
    for (const at of [...candidates].sort((a, b) => a - b)) {
      const candidate = merged[at] as T;
      if (!mayJoin(candidate, mergedSources[at] as Set<string>, item, options)) continue;
      const score = diceSimilarity(candidate.text, item.text);
      if (score >= options.threshold && (!best || score > best.score)) best = { index: at, score };
    }
    if (!best) {
      merged.push(item);
      mergedSources.push(new Set(item.citations.map((c) => c.sourceId)));
      index(merged.length - 1);
      continue;
    }
    const kept = merged[best.index] as T;
    const next = join(kept, item, options);
    merged[best.index] = next;
    for (const c of item.citations) mergedSources[best.index]?.add(c.sourceId);
    if (next.text !== kept.text) index(best.index); // a `fill` that rewrites the text is found by its new words too
  }
  return merged;
}

/** The same greedy rule comparing each item with every kept one (any threshold). */
function corroborateEveryPair<T extends Corroborable>(items: readonly T[], options: CorroborateOptions<T>): T[] {
  const merged: T[] = [];
  const mergedSources: Array<Set<string>> = [];
  for (const item of items) {
    let best: { index: number; score: number } | undefined;
    merged.forEach((candidate, at) => {
      if (!mayJoin(candidate, mergedSources[at] as Set<string>, item, options)) return;
      const score = diceSimilarity(candidate.text, item.text);
      if (score >= options.threshold && (!best || score > best.score)) best = { index: at, score };
    });
    if (!best) {
      merged.push(item);
      mergedSources.push(new Set(item.citations.map((c) => c.sourceId)));
      continue;
    }
    merged[best.index] = join(merged[best.index] as T, item, options);
    for (const c of item.citations) mergedSources[best.index]?.add(c.sourceId);
  }
  return merged;
}
