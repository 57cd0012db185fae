/**
 * Corroboration: the same quote or statement reported by two sources becomes one item with
 * a citation per source, each keeping that source's own wording (translations differ).
 * Matching is by similarity ({@link diceSimilarity}), never equality, and never merges two
 * items of the same source, or quotes of different (or unknown) speakers.
 */
import type { Citation, EntityId } from './model.js';
import { diceSimilarity } from './text-similarity.js';

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

function sourcesOf(item: Corroborable): Set<string> {
  return new Set(item.citations.map((c) => c.sourceId));
}

/**
 * Merges items that say the same thing in different sources. The first item (in input
 * order) is kept, with the later one's citation and entities added; `fill` may copy
 * further fields (a date the first lacks).
 *
 * @example
 * const quotes = corroborate(drafts, { threshold: QUOTE_SIMILARITY_THRESHOLD, sameSpeaker: true });
 */
export function corroborate<T extends Corroborable>(
  items: readonly T[],
  options: {
    threshold: number;
    sameSpeaker: boolean;
    fill?: (kept: T, other: T) => T;
    /** Items that may never be one (a photo caption and a sentence of a report). */
    compatible?: (a: T, b: T) => boolean;
  },
): T[] {
  const merged: T[] = [];
  for (const item of items) {
    const itemSources = sourcesOf(item);
    let best: { index: number; score: number } | undefined;
    merged.forEach((candidate, index) => {
      if ([...itemSources].some((s) => sourcesOf(candidate).has(s))) return;
      if (options.sameSpeaker && (!item.speakerId || candidate.speakerId !== item.speakerId)) return;
      if (!options.sameSpeaker && !item.entities.some((e) => candidate.entities.includes(e))) return;
      if (options.compatible && !options.compatible(candidate, item)) return;
      const score = diceSimilarity(candidate.text, item.text);
      if (score >= options.threshold && (!best || score > best.score)) best = { index, score };
    });
    if (!best) {
      merged.push(item);
      continue;
    }
    const kept = merged[best.index] as T;
    const combined: T = {
      ...kept,
      entities: [...new Set([...kept.entities, ...item.entities])],
      citations: [...kept.citations, ...item.citations],
    };
    merged[best.index] = options.fill ? options.fill(combined, item) : combined;
  }
  return merged;
}
