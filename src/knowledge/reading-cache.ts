/**
 * Incremental reading: the build's reading stages (cleaning, sentences, mentions —
 * {@link readArticles}) give each article a result that depends only on that article, the
 * registry's names and the pipeline's code. This cache keeps those results, keyed by a hash of
 * all three, in memory and on disk, so adding one article reads one article, and a restart
 * reads none that it read before. The later, story-wide stages (quotes, corroboration, events,
 * claims, conflicts) still run over the whole story on each build.
 *
 * The pipeline version is a hash of the knowledge modules' own source files: any change to the
 * code invalidates every cached result, so a cache can never serve what older code produced.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadArticles, type Article } from './articles.js';
import { buildKnowledgeBaseWithTrace, readArticles, type ReadArticles } from './build.js';
import { loadStoryMeta } from './load.js';
import type { MentionableEntity } from './mentions.js';
import type { KnowledgeBase } from './model.js';
import { loadRegistry } from './registry.js';

/** Hash of every module of the knowledge pipeline (this folder's .ts or .js files). */
export function pipelineVersion(): string {
  const dir = dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).filter((n) => /\.(ts|js)$/u.test(n) && !n.endsWith('.d.ts')).sort()) {
    hash.update(name).update('\u0000').update(readFileSync(join(dir, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

export interface ReadingCacheOptions {
  /** Where results are kept between runs; without it the cache lives in memory only. */
  dir?: string;
  /** Default: {@link pipelineVersion}. */
  version?: string;
}

export interface ReadingCache {
  /** A drop-in for {@link readArticles}: cached articles are not read again. */
  read(articles: readonly Article[], entities: readonly MentionableEntity[]): ReadArticles;
  /** Hits and misses since creation (for logs and the bench). */
  readonly stats: { hits: number; misses: number };
}

type OneArticle = ReadArticles;

/**
 * Create a reading cache.
 *
 * @example
 * const cache = createReadingCache({ dir: 'var/reading-cache' });
 * const kb = buildKnowledgeBase({ story, registry, articles, read: cache.read });
 */
export function createReadingCache(options: ReadingCacheOptions = {}): ReadingCache {
  const version = options.version ?? pipelineVersion();
  const memory = new Map<string, OneArticle>();
  const stats = { hits: 0, misses: 0 };
  if (options.dir !== undefined) mkdirSync(options.dir, { recursive: true });

  const entitiesKey = (entities: readonly MentionableEntity[]): string => createHash('sha256').update(JSON.stringify(entities)).digest('hex');
  const keyOf = (article: Article, entities: string): string =>
    createHash('sha256').update(version).update('\u0000').update(entities).update('\u0000').update(article.id).update('\u0000').update(JSON.stringify(article.meta)).update('\u0000').update(article.raw).digest('hex');

  function fromDisk(key: string, raw: string): OneArticle | undefined {
    if (options.dir === undefined) return undefined;
    const file = join(options.dir, `${key}.json`);
    if (!existsSync(file)) return undefined;
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as OneArticle;
      // The raw text is not duplicated on disk: the article file is the one copy.
      for (const source of stored.sources) source.raw = raw;
      return stored;
    } catch {
      return undefined; // A torn or foreign file is simply read again.
    }
  }

  function toDisk(key: string, result: OneArticle): void {
    if (options.dir === undefined) return;
    const file = join(options.dir, `${key}.json`);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ ...result, sources: result.sources.map((s) => ({ ...s, raw: '' })) }));
    renameSync(temporary, file);
  }

  return {
    stats,
    read(articles, entities) {
      const names = entitiesKey(entities);
      const results: Array<OneArticle | undefined> = [];
      const missing: Array<{ index: number; key: string; article: Article }> = [];
      articles.forEach((article, index) => {
        const key = keyOf(article, names);
        const cached = memory.get(key) ?? fromDisk(key, article.raw);
        if (cached === undefined) missing.push({ index, key, article });
        else {
          memory.set(key, cached);
          stats.hits++;
        }
        results.push(cached);
      });
      // Misses are read together (one alias index); each source's result is separable because
      // every reading stage keeps its context within one source.
      if (missing.length > 0) {
        const read = readArticles(missing.map((m) => m.article), entities);
        const bySource = new Map<string, OneArticle>(read.sources.map((s) => [s.id, { sources: [s], sentences: [], mentions: [] }]));
        for (const sentence of read.sentences) bySource.get(sentence.sourceId)?.sentences.push(sentence);
        for (const mention of read.mentions) bySource.get(mention.sourceId)?.mentions.push(mention);
        for (const { index, key, article } of missing) {
          const one: OneArticle = bySource.get(article.id) ?? { sources: [], sentences: [], mentions: [] };
          memory.set(key, one);
          toDisk(key, one);
          results[index] = one;
          stats.misses++;
        }
      }
      return {
        sources: results.flatMap((r) => r!.sources),
        sentences: results.flatMap((r) => r!.sentences),
        mentions: results.flatMap((r) => r!.mentions),
      };
    },
  };
}

/**
 * {@link loadStory} through a reading cache: the story's story.yaml and registry.yaml from its
 * folder, the articles from the folder or from `articles` (PostgreSQL mode).
 *
 * @example
 * const kb = await loadStoryWithCache('data/stories/panjshir', cache);
 */
export async function loadStoryWithCache(storyDir: string, cache: ReadingCache, articles?: { list(): Promise<Article[]> }): Promise<KnowledgeBase> {
  return buildKnowledgeBaseWithTrace({
    story: loadStoryMeta(storyDir),
    registry: loadRegistry(join(storyDir, 'registry.yaml')),
    articles: articles === undefined ? loadArticles(storyDir) : await articles.list(),
    read: cache.read,
  }).kb;
}
