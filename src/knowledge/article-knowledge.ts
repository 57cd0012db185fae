/**
 * What one article gives the knowledge base on its own, before anything is compared across
 * articles: its source (cleaned body), sentences, entity mentions, quoted passages, quotes and
 * facts (dated, with their stable ids) and the capitalised names no entity covers. Every stage
 * here keeps its context within one article, so the result depends only on the article, the
 * registry's names and the pipeline's code: it is computed once per article and kept (in
 * memory, on disk, in PostgreSQL), and the story-wide stages (build.ts) start from it.
 */
import { createHash } from 'node:crypto';
import type { Article } from './articles.js';
import { cleanArticle, type BodyParagraph } from './clean.js';
import { findDates, toDateRef } from './dates.js';
import { extractFacts } from './facts.js';
import { candidateNames, findMentions, type MentionableEntity } from './mentions.js';
import type { DateRef, EntityCandidate, Fact, Quote, Source } from './model.js';
import { extractQuotes, type QuotedPassage, type SpeakerEntity } from './quotes.js';
import type { Mention, Sentence } from './sentence.js';
import { splitSentences } from './sentences.js';

/** One article's share of the knowledge base, before the story-wide stages. */
export interface ArticleKnowledge {
  source: Source;
  sentences: Sentence[];
  mentions: Mention[];
  /** Every passage in quotation marks, with its kind (speech, title, term). */
  passages: QuotedPassage[];
  /** Quotes with ids and dates, before provisional speakers and corroboration. */
  quotes: Quote[];
  /** Facts with ids and dates, before corroboration and conflicts. */
  facts: Fact[];
  /** Candidate names keyed by folded name, in order of first appearance. */
  names: Array<[string, EntityCandidate]>;
}

/** What the reading stages make of a story's articles. */
export interface ReadArticles {
  sources: Source[];
  sentences: Sentence[];
  mentions: Mention[];
}

/** A short id derived from where the item first appears, so rebuilds give the same ids. */
export function stableId(prefix: string, parts: readonly (string | number)[]): string {
  return `${prefix}-${createHash('sha256').update(parts.join(':')).digest('hex').slice(0, 12)}`;
}

/** A source and its kept paragraphs (which know whether they are photo captions). */
interface CleanedSource {
  source: Source;
  paragraphs: BodyParagraph[];
}

function cleanSource(article: Article): CleanedSource {
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
}

/**
 * The build's reading stages: every article cleaned into a {@link Source}, its body split into
 * sentences, and the places the entities are named in them.
 *
 * @example
 * const { sources, sentences, mentions } = readArticles(loadArticles(storyDir), registry.entities);
 */
export function readArticles(articles: readonly Article[], entities: readonly MentionableEntity[]): ReadArticles {
  const cleaned = articles.map(cleanSource);
  const sentences = cleaned.flatMap(({ source, paragraphs }) => paragraphs.flatMap((paragraph, index) => splitSentences(source.id, paragraph, index)));
  return { sources: cleaned.map((c) => c.source), sentences, mentions: findMentions(sentences, entities) };
}

/** The first date the sentences give (in order of preference), resolved against publication. */
function dateOf(sentences: readonly Sentence[], published: string): DateRef | undefined {
  for (const sentence of sentences) {
    const found = findDates(sentence.text, published)[0];
    if (found) return toDateRef(found);
  }
  return undefined;
}

/** The per-article stages over one article already read (its source, sentences and mentions). */
function fromReading(source: Source, sentences: Sentence[], mentions: Mention[], entities: readonly SpeakerEntity[]): ArticleKnowledge {
  const { quotes: drafts, passages } = extractQuotes(sentences, mentions, entities, [source]);
  const quotes: Quote[] = drafts.map(({ sentence: _s, dateSentences, sourceId, ...quote }) => {
    const first = quote.citations[0];
    const date = dateOf(dateSentences, source.published);
    return { id: stableId('q', [sourceId, first?.start ?? 0, first?.end ?? 0]), ...quote, ...(date ? { date } : {}) };
  });
  const facts: Fact[] = extractFacts(sentences, mentions, passages).map(({ sentence, ...fact }) => {
    const date = dateOf([sentence], source.published);
    return { id: stableId('f', [sentence.sourceId, sentence.start, sentence.end]), ...fact, ...(date ? { date } : {}), conflicts: [] };
  });
  return { source, sentences, mentions, passages, quotes, facts, names: [...candidateNames(sentences, mentions)] };
}

/**
 * Every per-article stage for each article, in the order given (one result per article).
 * Articles are read together (one alias index), then each article's result is separated:
 * every stage keeps its context within one source.
 *
 * @example
 * const units = knowArticles(canonicalOrder(articles), registry.entities);
 */
export function knowArticles(articles: readonly Article[], entities: readonly (MentionableEntity & SpeakerEntity)[]): ArticleKnowledge[] {
  const read = readArticles(articles, entities);
  const sentences = new Map<string, Sentence[]>(read.sources.map((s) => [s.id, []]));
  const mentions = new Map<string, Mention[]>(read.sources.map((s) => [s.id, []]));
  for (const sentence of read.sentences) sentences.get(sentence.sourceId)?.push(sentence);
  for (const mention of read.mentions) mentions.get(mention.sourceId)?.push(mention);
  return read.sources.map((source) => fromReading(source, sentences.get(source.id) ?? [], mentions.get(source.id) ?? [], entities));
}
