/**
 * Builds a story's {@link KnowledgeBase} from its registry and articles: a pure, deterministic
 * sequence of stages (same input → same output, ids included), each stage one module.
 *
 *   articles → clean → sentences → mentions → entities
 *            → quotes + facts → dates → corroboration
 *            → events, claims, conflicts (story analysis) → candidates
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Article } from './articles.js';
import { extractClaims } from './claims.js';
import { cleanArticle, type BodyParagraph } from './clean.js';
import { findConflicts } from './conflicts.js';
import { corroborate, FACT_SIMILARITY_THRESHOLD, QUOTE_SIMILARITY_THRESHOLD } from './corroborate.js';
import { findDates, toDateRef } from './dates.js';
import { extractEvents } from './events.js';
import { extractFacts } from './facts.js';
import { findCandidates, findMentions, type MentionableEntity } from './mentions.js';
import type { DateRef, Entity, Fact, KnowledgeBase, Quote, Source } from './model.js';
import { provisionalSpeakers } from './provisional.js';
import { extractQuotes, type QuotedPassage } from './quotes.js';
import { resolveEvidence, type Registry } from './registry.js';
import type { AnalysisInput, Mention, Sentence } from './sentence.js';
import { splitSentences } from './sentences.js';
import { fold } from './text.js';

export const storyMetaSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/u, 'must be kebab-case'),
  title: z.string().trim().min(1, 'must not be empty'),
  description: z.string().optional(),
});

export type StoryMeta = z.infer<typeof storyMetaSchema>;

export interface BuildInput {
  story: StoryMeta;
  registry: Registry;
  articles: readonly Article[];
  /** The reading stages (default {@link readArticles}); a cache of per-article results may stand in. */
  read?: typeof readArticles;
}

/** The knowledge base and the intermediate units it was built from (for analysis and review). */
export interface KnowledgeTrace {
  kb: KnowledgeBase;
  sentences: Sentence[];
  mentions: Mention[];
  /** Every passage in quotation marks, with its kind (speech, title, term). */
  passages: QuotedPassage[];
}

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
export interface ReadArticles {
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
export function readArticles(articles: readonly Article[], entities: readonly MentionableEntity[]): ReadArticles {
  const cleaned = cleanSources(articles);
  const sentences = sentencesOf(cleaned);
  return { sources: cleaned.map((c) => c.source), sentences, mentions: findMentions(sentences, entities) };
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
 * The order the build reads articles in, whatever order they arrived or were listed in:
 * by publication date, then the longer report first, then outlet, then content. Every merge (quotes, facts, events,
 * claims) keeps the first of what it merges, so this makes the knowledge base the same
 * whichever article came first.
 *
 * @example
 * canonicalOrder([later, earlier]); // [earlier, later]
 */
export function canonicalOrder(articles: readonly Article[]): Article[] {
  // Same day: the fuller report first (its wording leads merged items), then outlet, then content.
  const key = (a: Article): string => {
    const text = a.raw.replace(/\r\n?/gu, '\n').trim();
    const shorter = String(1e9 - text.length).padStart(10, '0');
    return `${a.meta.published}\u0000${shorter}\u0000${fold(a.meta.outlet)}\u0000${createHash('sha256').update(text).digest('hex')}`;
  };
  return articles
    .map((article) => ({ article, key: key(article) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ article }) => article);
}

/**
 * Builds the knowledge base of one story. Pure: reads nothing from disk.
 *
 * @throws RegistryError when registry evidence is not found in the named article
 * @example
 * const { kb, sentences, mentions } = buildKnowledgeBaseWithTrace({ story, registry, articles });
 */
export function buildKnowledgeBaseWithTrace(input: BuildInput): KnowledgeTrace {
  const { sources, sentences, mentions } = (input.read ?? readArticles)(canonicalOrder(input.articles), input.registry.entities);
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
  const quotes = corroborate(provisional.quotes, {
    threshold: QUOTE_SIMILARITY_THRESHOLD,
    sameSpeaker: true,
    fill: fillQuote,
  });

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

/**
 * Builds the knowledge base of one story (see {@link buildKnowledgeBaseWithTrace}).
 *
 * @example
 * const kb = buildKnowledgeBase({ story, registry, articles });
 * kb.quotes.find((q) => q.speakerId === 'zabihullah-mujahid')?.citations.length // 2 (G1 and TheJournal)
 */
export function buildKnowledgeBase(input: BuildInput): KnowledgeBase {
  return buildKnowledgeBaseWithTrace(input).kb;
}
