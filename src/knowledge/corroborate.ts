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
  const kept = new Corroboration(options, frequency);
  for (const item of items) kept.add(item);
  return [...kept.merged];
}

/**
 * The state of {@link corroborate}'s greedy pass, kept so that items read after the last one
 * (an article that sorts last in the build's order) continue the same pass: the merged items
 * are exactly what {@link corroborate} gives for all the items read so far.
 *
 * The word order of the prefix filter is fixed when the state is made (`frequency`; words it
 * does not know count 0): the filter is exact for any one order used on both sides, so a stale
 * order only makes it read more candidates, never another result.
 */
export class Corroboration<T extends Corroborable> {
  private readonly items: T[] = [];
  private readonly sources: Array<Set<string>> = [];
  private readonly postings = new Map<string, number[]>();

  constructor(
    private readonly options: CorroborateOptions<T>,
    private readonly frequency: ReadonlyMap<string, number>,
  ) {
    if (options.threshold <= 0) throw new Error('prefix filtering needs a positive threshold');
  }

  /** The merged items so far, in the order they were first kept (do not change them). */
  get merged(): readonly T[] {
    return this.items;
  }

  private prefix(text: string): string[] {
    const f = this.frequency;
    const tokens = [...contentTokens(text)].sort((a, b) => (f.get(a) ?? 0) - (f.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
    return tokens.slice(0, tokens.length - minimumOverlap(tokens.length, this.options.threshold) + 1);
  }

  private index(at: number): void {
    for (const token of this.prefix((this.items[at] as T).text)) {
      const list = this.postings.get(token);
      if (list) list.push(at);
      else this.postings.set(token, [at]);
    }
  }

  /** Read one more item; returns the index of the merged item it made or joined. */
  add(item: T): number {
    const candidates = new Set<number>();
    for (const token of this.prefix(item.text)) for (const at of this.postings.get(token) ?? []) candidates.add(at);
    let best: { index: number; score: number } | undefined;
    // Ascending index: on equal scores the earliest kept item wins, as in the every-pair loop.
    for (const at of [...candidates].sort((a, b) => a - b)) {
      const candidate = this.items[at] as T;
      if (!mayJoin(candidate, this.sources[at] as Set<string>, item, this.options)) continue;
      const score = diceSimilarity(candidate.text, item.text);
      if (score >= this.options.threshold && (!best || score > best.score)) best = { index: at, score };
    }
    if (!best) {
      this.items.push(item);
      this.sources.push(new Set(item.citations.map((c) => c.sourceId)));
      this.index(this.items.length - 1);
      return this.items.length - 1;
    }
    const kept = this.items[best.index] as T;
    const next = join(kept, item, this.options);
    this.items[best.index] = next;
    for (const c of item.citations) this.sources[best.index]?.add(c.sourceId);
    if (next.text !== kept.text) this.index(best.index); // a `fill` that rewrites the text is found by its new words too
    return best.index;
  }
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
