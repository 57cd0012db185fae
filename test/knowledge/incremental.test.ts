/**
 * The incremental build is the full build: adding articles one at a time — each article's own
 * stages kept from the step it arrived, only the story-wide stages run again — gives exactly
 * the knowledge base that the reference build (every stage over the whole story at once,
 * corroboration comparing every pair) gives for the same articles, whatever order they arrive
 * in. Stories are drawn at random (seeded) from the seed articles, the corpus reports and
 * near-copies of them, which make corroboration merge across many sources.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../eval/corpus.js';
import { loadArticles, type Article } from '../../src/knowledge/articles.js';
import { buildKnowledgeBase } from '../../src/knowledge/build.js';
import { loadStoryMeta } from '../../src/knowledge/load.js';
import { createReadingCache } from '../../src/knowledge/reading-cache.js';
import { loadRegistry } from '../../src/knowledge/registry.js';
import { referenceBuild } from './reference-build.js';
import { SEED_STORY_DIR } from './seed.js';

const story = loadStoryMeta(SEED_STORY_DIR);
const registry = loadRegistry(join(SEED_STORY_DIR, 'registry.yaml'));
const seed = loadArticles(SEED_STORY_DIR);
const reports = loadCorpus().map((r) => r.article);

/** A small seeded PRNG (mulberry32), so a failure can be replayed. */
function random(seedValue: number): () => number {
  let state = seedValue >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Another outlet's copy of a report with a line of its own: the same quotes and facts, another source. */
function copyOf(article: Article, n: number): Article {
  return { ...article, id: `${article.id}-copy${n}`, raw: `${article.raw.trimEnd()}\n\nThis copy ran as number ${n} in another paper.\n`, meta: { ...article.meta, outlet: `Reprint ${n}` } };
}

/**
 * A random story: the seed articles first (the registry's evidence cites them, so a story
 * cannot be built without them), then some reports and copies in random order.
 */
function randomStory(seedValue: number): Article[] {
  const next = random(seedValue);
  const picked = shuffled(reports, next).slice(0, 4 + Math.floor(next() * 5));
  const copies = picked.filter(() => next() < 0.5).map((a, i) => copyOf(a, i));
  return [...seed, ...shuffled([...picked, ...copies, ...(next() < 0.5 ? [copyOf(seed[0] as Article, 9)] : [])], next)];
}

describe('incremental build', () => {
  for (const seedValue of [1, 2, 3]) {
    it(`adding articles one by one gives the reference build's knowledge base (story ${seedValue})`, () => {
      const articles = randomStory(seedValue);
      const cache = createReadingCache({ version: 'test' });
      let kb = buildKnowledgeBase({ story, registry, articles: seed, read: cache.read });
      for (let n = seed.length + 1; n <= articles.length; n++) kb = buildKnowledgeBase({ story, registry, articles: articles.slice(0, n), read: cache.read });
      // Each article was read once, when it arrived.
      expect(cache.stats.misses).toBe(articles.length);
      const reference = referenceBuild({ story, registry, articles }).kb;
      expect(reference.quotes.some((q) => new Set(q.citations.map((c) => c.sourceId)).size >= 2)).toBe(true);
      expect(kb).toEqual(reference);
    }, 120_000);
  }

  it('is the same knowledge base in reverse arrival order', () => {
    const articles = randomStory(7);
    const forward = createReadingCache({ version: 'test' });
    const backward = createReadingCache({ version: 'test' });
    for (let n = seed.length; n <= articles.length; n++) buildKnowledgeBase({ story, registry, articles: articles.slice(0, n), read: forward.read });
    const reversed = [...seed, ...articles.slice(seed.length).reverse()];
    for (let n = seed.length; n <= reversed.length; n++) buildKnowledgeBase({ story, registry, articles: reversed.slice(0, n), read: backward.read });
    expect(buildKnowledgeBase({ story, registry, articles: reversed, read: backward.read })).toEqual(buildKnowledgeBase({ story, registry, articles, read: forward.read }));
  }, 120_000);
});
