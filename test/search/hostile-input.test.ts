import { describe, expect, it } from 'vitest';
import { createKnowledgeSearch } from '../../src/search/knowledge-search.js';
import { seedLikeKb } from './fixtures.js';

const search = createKnowledgeSearch(seedLikeKb());

const HOSTILE = [
  '',
  '   ',
  '\t\n\r',
  '\u0000\u0001\u0007\u001b[31m',
  '@everyone @here',
  '<script>alert(1)</script>',
  '**bold** __x__ `code` ||spoiler||',
  '🦁🦁🦁',
  '\u202eriuhsjnap\u202c',
  'מסעוד',
  'ﻣﺴﻌﻮﺩ',
  '\ud800',
  'a'.repeat(500),
  'massoud '.repeat(200),
  'x'.repeat(10_000),
  '%s %d ${}',
  '.*+?^$()[]{}|\\',
];

describe('hostile input', () => {
  it.each(HOSTILE.map((q) => [JSON.stringify(q.slice(0, 40)), q]))('%s never throws in any operation', (_label, query) => {
    expect(() => search.resolveEntity(query, { prefer: ['person'] })).not.toThrow();
    expect(() => search.suggestEntities(query)).not.toThrow();
    expect(() => search.searchFacts(query)).not.toThrow();
    expect(() => search.searchQuotes(query)).not.toThrow();
    expect(search.suggestEntities(query).length).toBeLessThanOrEqual(25);
  });

  it('gives empty results for an empty or blank query', () => {
    for (const q of ['', '   ', '\n', '🙂']) {
      expect(search.resolveEntity(q)).toEqual({ kind: 'none', suggestions: [] });
      expect(search.suggestEntities(q)).toEqual([]);
      expect(search.searchFacts(q)).toEqual([]);
      expect(search.searchQuotes(q)).toEqual([]);
    }
  });

  it('reads only the first 500 characters of a query', () => {
    const r = search.resolveEntity(`${'x'.repeat(500)} massoud`);
    expect(r.kind).toBe('none');
    // Within the first 500 characters the same words are found, by every operation.
    expect(search.searchFacts(`${'x'.repeat(490)} bazarak`)).not.toEqual([]);
    expect(search.searchFacts(`${'x'.repeat(500)} bazarak`)).toEqual([]);
    expect(search.searchQuotes(`${'x'.repeat(490)} peacefully`)).not.toEqual([]);
    expect(search.searchQuotes(`${'x'.repeat(500)} peacefully`)).toEqual([]);
  });

  it('treats non-string input from loosely typed callers as empty', () => {
    expect(() => search.resolveEntity(undefined as unknown as string)).not.toThrow();
    expect(search.searchFacts(null as unknown as string)).toEqual([]);
  });
});
