/**
 * Test helper: the seed story (data/stories/panjshir) built once through the real pipeline,
 * and small finders over it. The build is pure, so sharing it between tests is safe.
 */
import { join } from 'node:path';
import { loadArticles, type Article } from '../../src/knowledge/articles.js';
import { buildKnowledgeBase, type KnowledgeTrace } from '../../src/knowledge/build.js';
import { loadStoryWithTrace } from '../../src/knowledge/load.js';
import type { KnowledgeBase, Quote, Source } from '../../src/knowledge/model.js';
import { loadRegistry } from '../../src/knowledge/registry.js';

export const SEED_STORY_DIR = join(import.meta.dirname, '../../data/stories/panjshir');
/** G1 (Globo), English translation. */
export const G1_ID = '000_80426d2fa619d4a8';
/** TheJournal.ie carrying AFP. */
export const JOURNAL_ID = '003_150d7347964c21d9';

let cached: KnowledgeTrace | undefined;

/** The seed story's knowledge base and its intermediate stages. */
export function seed(): KnowledgeTrace {
  cached ??= loadStoryWithTrace(SEED_STORY_DIR);
  return cached;
}

export function sourceById(id: string): Source {
  const source = seed().kb.sources.find((s) => s.id === id);
  if (!source) throw new Error(`no source ${id}`);
  return source;
}

/** The quote of the knowledge base whose wording in `sourceId` is `text` (exactly). */
export function quoteIn(sourceId: string, text: string): Quote {
  const quote = seed().kb.quotes.find((q) => q.citations.some((c) => c.sourceId === sourceId && c.text.trim() === text));
  if (!quote) throw new Error(`no quote "${text}" in ${sourceId}`);
  return quote;
}

/** An invented report for a rule's test: its text, published on a day, by "Outlet <id>". */
export function inventedArticle(id: string, published: string, raw: string): Article {
  return { id, file: `${id}.txt`, raw, meta: { outlet: `Outlet ${id}`, headline: `Report ${id}`, published, language: 'en' } };
}

/** The seed story with invented reports added, built by the real pipeline. */
export function seedStoryWith(articles: readonly Article[]): KnowledgeBase {
  return buildKnowledgeBase({
    story: { id: 'panjshir', title: 'Panjshir' },
    registry: loadRegistry(join(SEED_STORY_DIR, 'registry.yaml')),
    articles: [...loadArticles(SEED_STORY_DIR), ...articles],
  });
}

