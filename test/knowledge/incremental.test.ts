/**
 * The incremental build is the full build: adding articles one at a time — each article's own
 * stages kept from the step it arrived, only the story-wide stages run again — gives exactly
 * the knowledge base that the reference build (every stage over the whole story at once,
 * corroboration comparing every pair) gives for the same articles, whatever order they arrive
 * in. Stories are drawn at random (seeded) from the seed articles, the corpus reports and
 * near-copies of them, which make corroboration merge across many sources.
 */
import { describe, expect, it } from 'vitest';
import { buildKnowledgeBase } from '../../src/knowledge/build.js';
import { createReadingCache } from '../../src/knowledge/reading-cache.js';
import { randomStory, registry, seed, story } from './random-story.js';
import { referenceBuild } from './reference-build.js';

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
