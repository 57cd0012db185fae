import { describe, expect, it } from 'vitest';
import { createKnowledgeSearch } from '../../src/search/knowledge-search.js';
import { fact, quote, seedLikeKb } from './fixtures.js';

const search = createKnowledgeSearch(seedLikeKb());
const texts = (query: string, options = {}) => search.searchFacts(query, options).map((h) => h.fact.text);

describe('searchFacts', () => {
  it('finds the fact that best matches the words', () => {
    expect(texts('capital bazarak')[0]).toMatch(/^The capital of Panjshir is Bazarak/);
    expect(texts('killed takhar 2001')[0]).toMatch(/killed by al-Qaeda in Takhar/);
  });

  it('ranks a fact with more of the words above one with fewer', () => {
    const hits = search.searchFacts('northern alliance stronghold');
    expect(hits[0]?.fact.text).toMatch(/stronghold for the Northern Alliance/);
    expect(hits.every((h, i) => i === 0 || (hits[i - 1]?.score ?? 0) <= h.score)).toBe(true);
  });

  it('puts a body sentence above a caption that says the same', () => {
    const hits = search.searchFacts('taliban retakes districts baghlan');
    expect(hits[0]?.fact.rank).toBe('body');
    expect(hits.findIndex((h) => h.fact.rank === 'caption')).toBeGreaterThan(0);
  });

  it('breaks exact ties in favour of the body', () => {
    const kb = seedLikeKb();
    kb.facts = [fact('Fighters gathered at the gorge.', [], 'caption'), fact('Fighters gathered at the gorge.', [], 'body')];
    const hits = createKnowledgeSearch(kb).searchFacts('fighters gorge');
    expect(hits.map((h) => h.fact.rank)).toEqual(['body', 'caption']);
  });

  it('matches transliterations and typos of the words', () => {
    expect(texts('masood takhar')[0]).toMatch(/Ahmad Shah Massoud was killed/);
    expect(texts('bazarck capitol')[0]).toMatch(/^The capital of Panjshir is Bazarak/);
  });

  it('ignores stopwords but still answers a stopword-only query', () => {
    expect(texts('the capital of bazarak')[0]).toMatch(/Bazarak/);
    expect(() => search.searchFacts('the of and')).not.toThrow();
  });

  it('restricts to facts about one entity', () => {
    const hits = search.searchFacts('massoud', { entityId: 'amrullah-saleh' });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.fact.entities.includes('amrullah-saleh'))).toBe(true);
  });

  it('honours the limit and scores in [0, 1]', () => {
    const hits = search.searchFacts('panjshir', { limit: 2 });
    expect(hits).toHaveLength(2);
    for (const h of hits) {
      expect(h.score).toBeGreaterThanOrEqual(0);
      expect(h.score).toBeLessThanOrEqual(1);
    }
    expect(search.searchFacts('panjshir', { limit: 0 })).toEqual([]);
  });

  it('finds nothing for words the story does not contain', () => {
    expect(search.searchFacts('pizza hawaii')).toEqual([]);
  });
});

describe('searchQuotes', () => {
  it('matches the words of a quote', () => {
    expect(search.searchQuotes('negotiations forward')[0]?.quote.speakerId).toBe('ahmad-massoud');
  });

  it('matches the speaker, by name or alias', () => {
    expect(search.searchQuotes('mujahid').map((h) => h.quote.speakerId)).toEqual(['zabihullah-mujahid']);
    expect(search.searchQuotes('nazari peace').map((h) => h.quote.speakerId)[0]).toBe('ali-maisam-nazary');
  });

  it('restricts to one speaker', () => {
    const hits = search.searchQuotes('taliban', { entityId: 'ali-maisam-nazary' });
    expect(hits.map((h) => h.quote.speakerId)).toEqual(['ali-maisam-nazary']);
  });
});

describe('adding an article', () => {
  it('makes new facts, quotes and entities searchable at once', () => {
    const live = createKnowledgeSearch(seedLikeKb());
    expect(live.searchFacts('kapisa convoy')).toEqual([]);
    live.add({
      facts: [fact('A convoy left Kapisa for the valley at dawn.', ['kapisa'])],
      quotes: [quote('The convoy will reach Kapisa tonight', 'kapisa-governor')],
      entities: [
        { ...seedLikeKb().entities[0]!, id: 'kapisa', type: 'place', label: 'Kapisa', aliases: [], links: [], role: 'Province of Afghanistan', description: 'A province' },
      ],
    });
    expect(live.searchFacts('kapisa convoy')[0]?.fact.text).toMatch(/Kapisa/);
    expect(live.searchQuotes('kapisa tonight')).toHaveLength(1);
    const r = live.resolveEntity('kapisa', { prefer: ['place'] });
    expect(r.kind === 'found' && r.hit.entity.id).toBe('kapisa');
    expect(live.stats()).toMatchObject({ facts: seedLikeKb().facts.length + 1 });
  });

  it('replaces a fact whose id it already knows, and the old wording is no longer found', () => {
    const kb = seedLikeKb();
    const live = createKnowledgeSearch(kb);
    const first = kb.facts[0]!;
    live.add({ facts: [{ ...first, text: 'Bazarak lies on the Panjshir river.' }] });
    expect(live.searchFacts('120 km northeast').some((h) => h.fact.id === first.id)).toBe(false);
    expect(live.searchFacts('bazarak river')[0]?.fact.id).toBe(first.id);
  });

  it('takes a known fact sent again with the same words but other entities, and lists it once', () => {
    const kb = seedLikeKb();
    const live = createKnowledgeSearch(kb);
    const first = kb.facts[0]!;
    expect(live.searchFacts('bazarak', { entityId: 'takhar' })).toEqual([]);
    live.add({ facts: [{ ...first, entities: [...first.entities, 'takhar'] }] });
    expect(live.searchFacts('bazarak', { entityId: 'takhar' }).map((h) => h.fact.id)).toEqual([first.id]);
    expect(live.searchFacts('bazarak').filter((h) => h.fact.id === first.id)).toHaveLength(1);
  });

  it('rebuilds names when a known entity changes', () => {
    const kb = seedLikeKb();
    const live = createKnowledgeSearch(kb);
    const kabul = kb.entities.find((e) => e.id === 'kabul')!;
    live.add({ entities: [{ ...kabul, aliases: [...kabul.aliases, 'Kabul city'] }] });
    const r = live.resolveEntity('kabul city');
    expect(r.kind === 'found' && r.hit.exact).toBe(true);
  });
});
