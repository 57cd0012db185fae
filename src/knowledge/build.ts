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
import { KeptAssembly, type KnowledgeTrace } from './assembly.js';
import type { KnowledgeBase } from './model.js';
import type { Registry } from './registry.js';
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

export type { KnowledgeTrace } from './assembly.js';

/** Each article's sort key, worked out once per article object (a story folder's articles are kept between builds). */
const orderKeys = new WeakMap<Article, { raw: string; published: string; outlet: string; key: string }>();

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
    const known = orderKeys.get(a);
    if (known !== undefined && known.raw === a.raw && known.published === a.meta.published && known.outlet === a.meta.outlet) return known.key;
    const text = a.raw.replace(/\r\n?/gu, '\n').trim();
    const shorter = String(1e9 - text.length).padStart(10, '0');
    const made = `${a.meta.published}\u0000${shorter}\u0000${fold(a.meta.outlet)}\u0000${createHash('sha256').update(text).digest('hex')}`;
    orderKeys.set(a, { raw: a.raw, published: a.meta.published, outlet: a.meta.outlet, key: made });
    return made;
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
  return KeptAssembly.build(story, registry, units).trace;
}

/** Builds of one story that keep the story-wide stages' state (see {@link createAssembler}). */
export interface Assembler {
  /** {@link assembleKnowledge}, in place when the articles are the last build's and more after them. */
  assemble(story: StoryMeta, registry: Registry, units: readonly ArticleKnowledge[]): KnowledgeTrace;
  /** Builds of the whole story and builds in place, since creation (for logs, the bench and tests). */
  readonly stats: { full: number; inPlace: number };
}

/**
 * Story-wide stages that keep their state between builds of one story: when the per-article
 * results given are those of the last build (the same objects, in the same order) followed by
 * more, the new ones are added in place (see assembly.ts); otherwise the whole story is built.
 * Either way the result is {@link assembleKnowledge}'s.
 *
 * @example
 * const assembler = createAssembler();
 * const { kb } = assembler.assemble(story, registry, cache.read(canonicalOrder(articles), registry.entities));
 */
export function createAssembler(): Assembler {
  let kept: { context: string; assembly: KeptAssembly } | undefined;
  const stats = { full: 0, inPlace: 0 };
  return {
    stats,
    assemble(story, registry, units) {
      const context = JSON.stringify([story, registry]);
      const previous = kept;
      kept = undefined; // a build that throws leaves no state half changed
      if (previous !== undefined && previous.context === context) {
        const known = previous.assembly.articles;
        if (known.length <= units.length && known.every((u, i) => units[i] === u)) {
          if (known.length === units.length) {
            kept = previous;
            return previous.assembly.trace;
          }
          let appended = true;
          for (const unit of units.slice(known.length)) {
            if (!(appended = previous.assembly.append(unit))) break;
          }
          if (appended) {
            stats.inPlace++;
            kept = previous;
            return previous.assembly.trace;
          }
        }
      }
      const assembly = KeptAssembly.build(story, registry, units);
      stats.full++;
      kept = { context, assembly };
      return assembly.trace;
    },
  };
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
