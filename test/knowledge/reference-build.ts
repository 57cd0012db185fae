/**
 * The reference build: the build as it was before it became incremental — every stage over the
 * whole story at once, and corroboration comparing every pair — kept as the specification the
 * incremental build (per-article results kept, blocked comparisons) is checked against.
 * Test-only; it calls the same extraction functions as the product, except the claims and
 * conflicts stages: the product's versions now keep their state between builds (the whole-story
 * call runs the same code in one pass), so the reference keeps their whole-story versions from
 * before that change in ./reference, to stay a check independent of the code it checks.
 */
import { createHash } from 'node:crypto';
import type { Article } from '../../src/knowledge/articles.js';
import { extractClaims } from './reference/claims.js';
import { cleanArticle, type BodyParagraph } from '../../src/knowledge/clean.js';
import { findConflicts } from './reference/conflicts.js';
import { FACT_SIMILARITY_THRESHOLD, QUOTE_SIMILARITY_THRESHOLD, type Corroborable } from '../../src/knowledge/corroborate.js';
import { diceSimilarity } from '../../src/knowledge/text-similarity.js';
import { canonicalOrder, type BuildInput as NewBuildInput, type KnowledgeTrace } from '../../src/knowledge/build.js';
import { findDates, toDateRef } from '../../src/knowledge/dates.js';
import { extractEvents } from '../../src/knowledge/events.js';
import { extractFacts } from '../../src/knowledge/facts.js';
import { findCandidates, findMentions, type MentionableEntity } from '../../src/knowledge/mentions.js';
import type { DateRef, Entity, Fact, KnowledgeBase, Quote, Source } from '../../src/knowledge/model.js';
import { provisionalSpeakers } from '../../src/knowledge/provisional.js';
import { preferOriginalWording } from '../../src/knowledge/quote-wording.js';
import { extractQuotes } from '../../src/knowledge/quotes.js';
import { resolveEvidence, type Registry } from '../../src/knowledge/registry.js';
import type { AnalysisInput, Mention, Sentence } from '../../src/knowledge/sentence.js';
import { splitSentences } from '../../src/knowledge/sentences.js';

type BuildInput = Omit<NewBuildInput, 'read'>;

/** A short id derived from where the item first appears, so rebuilds give the same ids. */
function stableId(prefix: string, parts: readonly (string | number)[]): string {
  return `${prefix}-${createHash('sha256').update(parts.join(':')).digest('hex').slice(0, 12)}`;
}

// ── Stages ────────────────────────────────────────────────────────────────────────────

/** A source and its kept paragraphs (which know whether they are photo captions). */
interface CleanedSource {
  source: Source;
  paragraphs: BodyParagraph[];
}

function cleanSources(articles: readonly Article[]): CleanedSource[] {
  return articles.map((article) => {
    const cleaned = cleanArticle(article.id, article.raw, article.meta);
    const source: Source = {
      id: article.id,
      outlet: article.meta.outlet,
      headline: article.meta.headline,
      published: article.meta.published,
      language: article.meta.language,
      ...(article.meta.originalLanguage ? { originalLanguage: article.meta.originalLanguage } : {}),
      ...(article.meta.url ? { url: article.meta.url } : {}),
      ...(article.meta.appearances?.length ? { appearances: article.meta.appearances } : {}),
      raw: article.raw,
      body: cleaned.body.map((p) => ({ sourceId: article.id, start: p.start, end: p.end, text: p.text })),
      removed: cleaned.removed,
    };
    return { source, paragraphs: cleaned.body };
  });
}

function sentencesOf(cleaned: readonly CleanedSource[]): Sentence[] {
  return cleaned.flatMap(({ source, paragraphs }) =>
    paragraphs.flatMap((paragraph, index) => splitSentences(source.id, paragraph, index)),
  );
}

/** What the reading stages make of a story's articles. */
interface ReadArticles {
  sources: Source[];
  sentences: Sentence[];
  mentions: Mention[];
}

/**
 * The build's reading stages: every article cleaned into a {@link Source}, its body split into
 * sentences, and the places the entities are named in them.
 *
 * @example
 * const { sources, sentences, mentions } = readArticles(loadArticles(storyDir), registry.entities);
 */
function readArticles(articles: readonly Article[], entities: readonly MentionableEntity[]): ReadArticles {
  const cleaned = cleanSources(articles);
  const sentences = sentencesOf(cleaned);
  return { sources: cleaned.map((c) => c.source), sentences, mentions: findMentions(sentences, entities) };
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
function corroborate<T extends Corroborable>(
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

function entitiesOf(registry: Registry, sources: readonly Source[], mentions: readonly Mention[]): Entity[] {
  const raws = new Map(sources.map((s) => [s.id, s.raw]));
  return registry.entities.map((e) => ({
    id: e.id,
    type: e.type,
    label: e.label,
    aliases: e.aliases,
    ...(e.role ? { role: e.role } : {}),
    description: e.description,
    descriptionCitation: resolveEvidence(e.evidence, raws, { file: registry.file, entityId: e.id, field: 'evidence' }),
    links: e.links.map((link, i) => ({
      relation: link.relation,
      target: link.target,
      citation: resolveEvidence(link.evidence, raws, { file: registry.file, entityId: e.id, field: `links.${i}.evidence` }),
    })),
    mentions: mentions
      .filter((m) => m.entityId === e.id)
      .map((m) => ({ sourceId: m.sourceId, start: m.start, end: m.end, text: m.text })),
  }));
}

/** The first date the sentences give (in order of preference), resolved against publication. */
function dateOf(sentences: readonly Sentence[], published: ReadonlyMap<string, string>): DateRef | undefined {
  for (const sentence of sentences) {
    const found = findDates(sentence.text, published.get(sentence.sourceId) ?? '')[0];
    if (found) return toDateRef(found);
  }
  return undefined;
}

function withEarlierDate<T extends { date?: DateRef }>(kept: T, other: T): T {
  return kept.date || !other.date ? kept : { ...kept, date: other.date };
}

/** A quote reported by two outlets: the more specific "how" wins ("tweeted" over "said"). */
function fillQuote(kept: Quote, other: Quote): Quote {
  const dated = withEarlierDate(kept, other);
  const mode = (!dated.mode || dated.mode === 'said') && other.mode ? other.mode : dated.mode;
  return {
    ...dated,
    ...(mode ? { mode } : {}),
    ...(!dated.context && other.context ? { context: other.context } : {}),
    ...(!dated.speakerText && other.speakerText ? { speakerText: other.speakerText } : {}),
  };
}

/**
 * Builds the knowledge base of one story. Pure: reads nothing from disk.
 *
 * @throws RegistryError when registry evidence is not found in the named article
 * @example
 * const { kb, sentences, mentions } = buildKnowledgeBaseWithTrace({ story, registry, articles });
 */
export function referenceBuild(input: BuildInput): KnowledgeTrace {
  const { sources, sentences, mentions } = readArticles(canonicalOrder(input.articles), input.registry.entities);
  const published = new Map(sources.map((s) => [s.id, s.published]));
  const entities = entitiesOf(input.registry, sources, mentions);

  const { quotes: quoteDrafts, passages } = extractQuotes(sentences, mentions, input.registry.entities, sources);
  const datedQuotes: Quote[] = quoteDrafts.map(({ sentence: _s, dateSentences, sourceId, ...quote }) => {
    const first = quote.citations[0];
    const date = dateOf(dateSentences, published);
    return { id: stableId('q', [sourceId, first?.start ?? 0, first?.end ?? 0]), ...quote, ...(date ? { date } : {}) };
  });
  // Speakers named but not in the registry get a provisional entity before quotes merge.
  const provisional = provisionalSpeakers(datedQuotes, sources, new Set(entities.map((e) => e.id)));
  const quotes = preferOriginalWording(
    corroborate(provisional.quotes, {
      threshold: QUOTE_SIMILARITY_THRESHOLD,
      sameSpeaker: true,
      fill: fillQuote,
    }),
    provisional.quotes,
    sources,
  );

  const datedFacts: Fact[] = extractFacts(sentences, mentions, passages).map(({ sentence, ...fact }) => {
    const date = dateOf([sentence], published);
    return {
      id: stableId('f', [sentence.sourceId, sentence.start, sentence.end]),
      ...fact,
      ...(date ? { date } : {}),
      conflicts: [],
    };
  });
  const corroboratedFacts = corroborate(datedFacts, {
    threshold: FACT_SIMILARITY_THRESHOLD,
    sameSpeaker: false,
    fill: withEarlierDate,
    // A caption describes a photo; it does not corroborate a report's sentence, nor the reverse.
    compatible: (a, b) => a.rank === b.rank,
  });

  // Story analysis (timeline, contested claims, contradictions) reads the stages above.
  const analysis: AnalysisInput = { sources, sentences, mentions, entities, facts: corroboratedFacts, quotes };
  const events = extractEvents(analysis);
  const claims = extractClaims(analysis);
  const { conflicts, factConflicts } = findConflicts(analysis, claims);
  const facts = corroboratedFacts.map((f) => ({ ...f, conflicts: factConflicts.get(f.id) ?? [] }));

  const candidates = findCandidates(sentences, mentions);

  const kb: KnowledgeBase = {
    story: { id: input.story.id, title: input.story.title, ...(input.story.description ? { description: input.story.description } : {}) },
    sources,
    entities: [...entities, ...provisional.entities],
    facts,
    quotes,
    events,
    claims,
    conflicts,
    candidates,
  };
  return { kb, sentences, mentions, passages };
}

