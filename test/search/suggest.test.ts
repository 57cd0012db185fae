import { describe, expect, it } from 'vitest';
import { createKnowledgeSearch } from '../../src/search/knowledge-search.js';
import { entity, seedLikeKb } from './fixtures.js';

const search = createKnowledgeSearch(seedLikeKb());
const idsFor = (query: string, options = {}) => search.suggestEntities(query, options).map((h) => h.entity.id);

describe('suggestEntities (autocomplete)', () => {
  it('puts an exact alias first, before names that merely start with it', () => {
    const hits = search.suggestEntities('kabul');
    expect(hits[0]?.entity.id).toBe('kabul');
    expect(hits[0]?.exact).toBe(true);
  });

  it('completes a prefix', () => {
    expect(idsFor('panj')[0]).toBe('panjshir');
    expect(idsFor('bazar')[0]).toBe('bazarak');
  });

  it('ranks tiers: exact, then name prefix, then word prefix, then fuzzy', () => {
    const kb = seedLikeKb();
    kb.entities = [
      ...kb.entities,
      entity({ id: 'saleh-town', type: 'place', label: 'Salehabad', description: 'A town', mentions: 100 }),
      entity({ id: 'salang', type: 'place', label: 'Salang Pass', description: 'A pass', mentions: 200 }),
    ];
    const ranked = createKnowledgeSearch(kb).suggestEntities('saleh').map((h) => h.entity.id);
    // Exact alias "Saleh" → Amrullah Saleh; prefix → Salehabad; word prefix → Deh Saleh; fuzzy → Salang last.
    expect(ranked.indexOf('amrullah-saleh')).toBe(0);
    expect(ranked.indexOf('saleh-town')).toBeLessThan(ranked.indexOf('deh-saleh'));
    if (ranked.includes('salang')) expect(ranked.indexOf('deh-saleh')).toBeLessThan(ranked.indexOf('salang'));
  });

  it('within a tier, the most mentioned entity comes first', () => {
    expect(idsFor('ma').slice(0, 2)).toEqual(['ahmad-massoud', 'ahmad-shah-massoud']);
  });

  it('gives each entity once', () => {
    const ids = idsFor('massoud');
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['ahmad-massoud', 'ahmad-shah-massoud']));
  });

  it('filters by type', () => {
    expect(idsFor('saleh', { types: ['place'] })).toEqual(['deh-saleh']);
    expect(idsFor('saleh', { types: ['person'] })[0]).toBe('amrullah-saleh');
  });

  it('tolerates typos and transliterations', () => {
    expect(idsFor('panjsher')[0]).toBe('panjshir');
    expect(idsFor('zabiulah')[0]).toBe('zabihullah-mujahid');
  });

  it('caps the list at 25 (Discord) and honours a smaller limit', () => {
    const kb = seedLikeKb();
    kb.entities = [
      ...kb.entities,
      ...Array.from({ length: 60 }, (_, i) => entity({ id: `kala-${i}`, type: 'place', label: `Kala ${i}`, description: 'A village', mentions: 1 })),
    ];
    const many = createKnowledgeSearch(kb);
    expect(many.suggestEntities('kala')).toHaveLength(25);
    expect(many.suggestEntities('kala', { limit: 100 })).toHaveLength(25);
    expect(many.suggestEntities('kala', { limit: 3 })).toHaveLength(3);
    expect(many.suggestEntities('kala', { limit: 0 })).toEqual([]);
  });

  it('returns nothing for an empty query', () => {
    expect(idsFor('')).toEqual([]);
    expect(idsFor('   ')).toEqual([]);
  });
});
