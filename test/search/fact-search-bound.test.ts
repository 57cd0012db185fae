/**
 * The bounded fact search (inline postings, a length-normalisation table, documents that cannot
 * enter the candidate pool passed over) ranks exactly as the search did before it: same facts,
 * same order, same scores, on many queries — common words found in most facts, names, pairs,
 * typos, every page size the bot and the web page ask for, with and without an entity filter —
 * over a generated story with photo captions and with facts added after the index was built.
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../../bench/generator.js';
import { generateWebStory } from '../../bench/web-bench.js';
import type { Fact } from '../../src/knowledge/model.js';
import { createKnowledgeSearch } from '../../src/search/knowledge-search.js';
import { ReferenceTextIndex } from './reference-text-index.js';

const CAPTION_WEIGHT = 0.9;

describe('bounded fact search', () => {
  const kb = generateWebStory(1200, 21);
  // Every seventh fact a photo caption, so the weight and its bound matter.
  const facts: Fact[] = kb.facts.map((f, i) => (i % 7 === 3 ? { ...f, rank: 'caption' as const } : f));
  const builtWith = Math.floor(facts.length * 0.9);
  const search = createKnowledgeSearch({ ...kb, facts: facts.slice(0, builtWith) });
  // The rest arrive later (a new article): they live in the index's delta postings.
  search.add({ facts: facts.slice(builtWith) });
  const oracle = new ReferenceTextIndex(builtWith, (i) => (facts[i] as Fact).text);
  for (const fact of facts.slice(builtWith)) oracle.add(fact.text);

  const reference = (query: string, limit: number, entityId?: string) =>
    oracle
      .search(query, {
        limit,
        accept: entityId ? (doc) => (facts[doc] as Fact).entities.includes(entityId) : undefined,
        weight: (doc) => ((facts[doc] as Fact).rank === 'caption' ? CAPTION_WEIGHT : 1),
        tieBreak: (doc) => ((facts[doc] as Fact).rank === 'caption' ? 1 : 0),
      })
      .map(({ doc, score }) => ({ id: (facts[doc] as Fact).id, score }));

  const random = new Random(4);
  const names = kb.entities.map((e) => e.label);
  const words = ['fighters', 'officials', 'report', 'said', 'the', 'surrounded', 'left', 'defended', 'never leave', 'fightrs', 'oficials'];
  const queries = Array.from({ length: 160 }, (_, i) => {
    const name = random.pick(names);
    switch (i % 4) {
      case 0:
        return random.pick(words);
      case 1:
        return name;
      case 2:
        return `${random.pick(words)} ${name}`;
      default:
        return `${name.slice(0, -1)} ${random.pick(words)}`;
    }
  });

  it('finds the same facts in the same order with the same scores, for every page size', () => {
    let compared = 0;
    let hits = 0;
    for (const query of queries) {
      for (const limit of [1, 5, 10, 26, 51, 100]) {
        const ours = search.searchFacts(query, { limit }).map(({ fact, score }) => ({ id: fact.id, score }));
        expect(ours, `${query} (${limit})`).toEqual(reference(query, limit));
        compared += 1;
        hits += ours.length;
      }
    }
    expect(compared).toBe(queries.length * 6);
    // The comparison is about full pages, not empty ones.
    expect(hits).toBeGreaterThan(compared * 10);
  });

  it('and the same when the search is about one entity', () => {
    const entities = kb.entities.slice(0, 12);
    for (const entity of entities) {
      for (const query of ['fighters', 'report', 'said', entity.label]) {
        const ours = search.searchFacts(query, { limit: 26, entityId: entity.id }).map(({ fact, score }) => ({ id: fact.id, score }));
        expect(ours, `${query} about ${entity.id}`).toEqual(reference(query, 26, entity.id));
      }
    }
  });
});
