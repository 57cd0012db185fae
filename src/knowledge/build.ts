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
import { knowArticles, type ArticleKnowledge } from './article-knowledge.js';
import type { Article } from './articles.js';
import { extractClaims } from './claims.js';
import { findConflicts } from './conflicts.js';
import { corroborate, FACT_SIMILARITY_THRESHOLD, QUOTE_SIMILARITY_THRESHOLD } from './corroborate.js';
import { extractEvents } from './events.js';
import { addCandidateNames, clusterCandidates } from './mentions.js';
import type { DateRef, Entity, EntityCandidate, Fact, KnowledgeBase, Quote, Source } from './model.js';
import { provisionalSpeakers } from './provisional.js';
import { preferOriginalWording } from './quote-wording.js';
import type { QuotedPassage } from './quotes.js';
import { resolveEvidence, type Registry } from './registry.js';
import type { AnalysisInput, Mention, Sentence } from './sentence.js';
import { fold } from './text.js';

export { readArticles, type ArticleKnowledge, type ReadArticles } from './article-knowledge.js';

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
  /** The per-article stages (default {@link knowArticles}); a cache of per-article results may stand in. */
  read?: typeof knowArticles;
}

/** The knowledge base and the intermediate units it was built from (for analysis and review). */
export interface KnowledgeTrace {
  kb: KnowledgeBase;
  sentences: Sentence[];
  mentions: Mention[];
  /** Every passage in quotation marks, with its kind (speech, title, term). */
  passages: QuotedPassage[];
}

// ── Stages ────────────────────────────────────────────────────────────────────────────

function entitiesOf(registry: Registry, sources: readonly Source[], mentions: readonly Mention[]): Entity[] {
  const raws = new Map(sources.map((s) => [s.id, s.raw]));
  const byEntity = new Map<string, Mention[]>();
  for (const m of mentions) {
    const list = byEntity.get(m.entityId);
    if (list) list.push(m);
    else byEntity.set(m.entityId, [m]);
  }
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
    mentions: (byEntity.get(e.id) ?? []).map((m) => ({ sourceId: m.sourceId, start: m.start, end: m.end, text: m.text })),
  }));
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
  const units = (input.read ?? knowArticles)(canonicalOrder(input.articles), input.registry.entities);
  return assembleKnowledge(input.story, input.registry, units);
}

/**
 * The story-wide stages over per-article results given in canonical order
 * ({@link canonicalOrder}): provisional speakers, corroboration of quotes and facts, events,
 * claims, conflicts and candidate clustering.
 *
 * @throws RegistryError when registry evidence is not found in the named article
 * @example
 * const { kb } = assembleKnowledge(story, registry, knowArticles(canonicalOrder(articles), registry.entities));
 */
export function assembleKnowledge(story: StoryMeta, registry: Registry, units: readonly ArticleKnowledge[]): KnowledgeTrace {
  const sources = units.map((u) => u.source);
  const sentences = units.flatMap((u) => u.sentences);
  const mentions = units.flatMap((u) => u.mentions);
  const passages = units.flatMap((u) => u.passages);
  const entities = entitiesOf(registry, sources, mentions);

  // Speakers named but not in the registry get a provisional entity before quotes merge.
  const provisional = provisionalSpeakers(units.flatMap((u) => u.quotes), sources, new Set(entities.map((e) => e.id)));
  const merged = corroborate(provisional.quotes, {
    threshold: QUOTE_SIMILARITY_THRESHOLD,
    sameSpeaker: true,
    fill: fillQuote,
  });
  // Each merged quote shows its fullest, untranslated wording first.
  const quotes = preferOriginalWording(merged, provisional.quotes, sources);

  const corroboratedFacts = corroborate(units.flatMap((u) => u.facts), {
    threshold: FACT_SIMILARITY_THRESHOLD,
    sameSpeaker: false,
    fill: withEarlierDate,
    // A caption describes a photo; it does not corroborate a report's sentence, nor the reverse.
    compatible: (a: Fact, b: Fact) => a.rank === b.rank,
  });

  // Story analysis (timeline, contested claims, contradictions) reads the stages above.
  const analysis: AnalysisInput = { sources, sentences, mentions, entities, facts: corroboratedFacts, quotes };
  const events = extractEvents(analysis);
  const claims = extractClaims(analysis);
  const { conflicts, factConflicts } = findConflicts(analysis, claims);
  const facts = corroboratedFacts.map((f) => ({ ...f, conflicts: factConflicts.get(f.id) ?? [] }));

  const names = new Map<string, EntityCandidate>();
  for (const unit of units) addCandidateNames(names, unit.names);
  const candidates = clusterCandidates(names);

  const kb: KnowledgeBase = {
    story: { id: story.id, title: story.title, ...(story.description ? { description: story.description } : {}) },
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
