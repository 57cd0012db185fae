/**
 * The search updated in place after a rebuild finds what a search built afresh over the new
 * knowledge base finds: the new article's facts and quotes, and no item that left (merged into
 * another by corroboration, under the other's id).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../eval/corpus.js';
import { loadArticles, type Article } from '../../src/knowledge/articles.js';
import { buildKnowledgeBase } from '../../src/knowledge/build.js';
import { loadStoryMeta } from '../../src/knowledge/load.js';
import type { KnowledgeBase } from '../../src/knowledge/model.js';
import { loadRegistry } from '../../src/knowledge/registry.js';
import { createKnowledgeSearch, type IndexedKnowledgeSearch } from '../../src/search/knowledge-search.js';
import { updateKnowledgeSearch } from '../../src/search/update.js';
import { SEED_STORY_DIR } from '../knowledge/seed.js';

const story = loadStoryMeta(SEED_STORY_DIR);
const registry = loadRegistry(join(SEED_STORY_DIR, 'registry.yaml'));
const seed = loadArticles(SEED_STORY_DIR);
const reports = loadCorpus().map((r) => r.article);
const build = (articles: Article[]): KnowledgeBase => buildKnowledgeBase({ story, registry, articles });

/** Ids of every fact and quote the search finds for words of each item (as sets, best first not compared). */
function found(search: IndexedKnowledgeSearch, kb: KnowledgeBase): { facts: string[]; quotes: string[] } {
  const facts = new Set<string>();
  const quotes = new Set<string>();
  for (const item of [...kb.facts, ...kb.quotes]) {
    const words = item.text.split(/\s+/u).slice(0, 6).join(' ');
    for (const hit of search.searchFacts(words, { limit: 100 })) facts.add(hit.fact.id);
    for (const hit of search.searchQuotes(words, { limit: 100 })) quotes.add(hit.quote.id);
  }
  return { facts: [...facts].sort(), quotes: [...quotes].sort() };
}

describe('search updated in place', () => {
  it('finds what a fresh search finds after articles are added, merged items included', () => {
    const before = build([...seed, ...reports.slice(0, 3)]);
    // An earlier, fuller copy of a report already known leads its merged items now: the old ids leave.
    const known = reports[0] as Article;
    const earlier: Article = { ...known, id: 'zz_earlier', raw: `${known.raw.trimEnd()}\n\nA longer copy ran the day before, with this closing paragraph added.\n`, meta: { ...known.meta, outlet: 'Early Wire', published: '2000-01-01' } };
    const after = build([...seed, ...reports.slice(0, 5), earlier]);
    const left = before.facts.filter((f) => !after.facts.some((g) => g.id === f.id));
    expect(left.length).toBeGreaterThan(0);

    const search = createKnowledgeSearch(before);
    const updated = updateKnowledgeSearch(search, before, after);
    expect(updated).toBe(search); // updated in place, not built afresh
    expect(found(updated, after)).toEqual(found(createKnowledgeSearch(after), after));
  });
});
