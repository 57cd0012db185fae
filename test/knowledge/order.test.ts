/**
 * The same knowledge base whatever order articles arrive in: the build reads them in a
 * canonical order (publication date, fuller report first, outlet, content), so every merge
 * keeps the same first item. Articles are numbered by arrival as `npm run ingest` numbers
 * them (NNN_), in one order and in the reverse order, and the two builds are compared.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../eval/corpus.js';
import { loadArticles, type Article } from '../../src/knowledge/articles.js';
import { buildKnowledgeBase } from '../../src/knowledge/build.js';
import { loadStoryMeta } from '../../src/knowledge/load.js';
import { loadRegistry } from '../../src/knowledge/registry.js';
import { SEED_STORY_DIR } from './seed.js';

/** New reports numbered in the order they arrive after the seed articles, as ingest names their files. */
function arrived(reports: readonly Article[]): Article[] {
  return reports.map((a, i) => ({ ...a, id: `${String(i + 4).padStart(3, '0')}_${a.id}` }));
}

/** The knowledge base as JSON, arrival numbers and the ids derived from them replaced by stable names. */
function normalised(articles: readonly Article[]): string {
  const kb = buildKnowledgeBase({
    story: loadStoryMeta(SEED_STORY_DIR),
    registry: loadRegistry(join(SEED_STORY_DIR, 'registry.yaml')),
    articles,
  });
  const ids = new Map<string, string>();
  return JSON.stringify(kb)
    .replace(/\b0(?:0[4-9]|[1-9]\d)_(?=[ab]\d\d-)/gu, '')
    .replace(/"(?:[qf]-[0-9a-f]{12}|claim-[0-9a-z]+|conflict-[a-z]+-[0-9a-z]+)"/gu, (id) => {
      if (!ids.has(id)) ids.set(id, `"#${ids.size}"`);
      return ids.get(id) ?? id;
    });
}

describe('the order articles arrive in', () => {
  const seed = loadArticles(SEED_STORY_DIR);
  // A dozen corpus reports keep the test fast; the eval builds them all.
  const reports = loadCorpus()
    .filter((_, i) => i % 2 === 0)
    .map((r) => r.article);

  it('does not change the knowledge base: ingesting in reverse order gives the same one', () => {
    const forward = normalised([...seed, ...arrived(reports)]);
    const backward = normalised([...seed, ...arrived([...reports].reverse())]);
    expect(backward.length).toBeGreaterThan(10_000);
    expect(backward).toBe(forward);
  });
});
