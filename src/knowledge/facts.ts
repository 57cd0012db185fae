/**
 * Facts: every sentence of the cleaned body (or photo caption) that names at least one
 * registry entity becomes a fact citing that sentence. A sentence that is only a quote and
 * its attribution ("“…,” Massoud said.") is not a separate fact: the quote covers it.
 */
import { citationOf, mentionsWithin } from './analysis-text.js';
import type { Fact } from './model.js';
import type { QuotedPassage } from './quotes.js';
import type { Mention, Sentence } from './sentence.js';
import { tidyWhitespace } from './text.js';

/** A fact before ids and dates are attached by the build. */
export interface FactDraft extends Omit<Fact, 'id' | 'date' | 'conflicts'> {
  sentence: Sentence;
}

/** Most words an attribution ("spokesman Ali Maisam Nazary said") has beside a full quote. */
const MAX_ATTRIBUTION_WORDS = 8;

/** True when a sentence is a full quotation plus, at most, a short attribution. */
export function isQuoteOnly(sentence: Sentence, passages: readonly QuotedPassage[]): boolean {
  const speech = passages.filter(
    (p) => p.kind === 'speech' && p.sourceId === sentence.sourceId && p.start >= sentence.start && p.end <= sentence.end,
  );
  if (speech.length === 0) return false;
  let outside = sentence.text;
  for (const p of [...speech].sort((a, b) => b.open - a.open)) {
    outside = outside.slice(0, p.open) + ' ' + outside.slice(p.close + 1);
  }
  const words = outside.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
  return words.length <= MAX_ATTRIBUTION_WORDS;
}

/**
 * Turns sentences into facts (one per sentence naming an entity, in reading order).
 *
 * @example
 * const facts = extractFacts(sentences, mentions, passages);
 * // "The capital of Panjshir is Bazarak, …" → entities ['panjshir', 'bazarak', 'afghanistan', 'kabul']
 */
export function extractFacts(
  sentences: readonly Sentence[],
  mentions: readonly Mention[],
  passages: readonly QuotedPassage[],
): FactDraft[] {
  const facts: FactDraft[] = [];
  for (const sentence of sentences) {
    const named = mentionsWithin(mentions, sentence.sourceId, sentence.start, sentence.end);
    if (named.length === 0 || isQuoteOnly(sentence, passages)) continue;
    facts.push({
      sentence,
      text: tidyWhitespace(sentence.text),
      entities: [...new Set(named.map((m) => m.entityId))],
      rank: sentence.caption ? 'caption' : 'body',
      citations: [citationOf(sentence)],
    });
  }
  return facts;
}
