/** The search over the real seed story, as `loadStory` builds it from the articles and registry. */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadStory } from '../../src/knowledge/load.js';
import { createKnowledgeSearch } from '../../src/search/knowledge-search.js';
import type { EntityResolution, KnowledgeSearch, ResolveOptions } from '../../src/search/types.js';

const STORY_DIR = fileURLToPath(new URL('../../data/stories/panjshir', import.meta.url));
const WHO: ResolveOptions = { prefer: ['person', 'organisation'] };
const WHERE: ResolveOptions = { prefer: ['place'] };

let search: KnowledgeSearch;
beforeAll(() => {
  search = createKnowledgeSearch(loadStory(STORY_DIR));
});

const found = (r: EntityResolution) => (r.kind === 'found' ? r.hit.entity.id : `(${r.kind})`);

describe('search over the seed story', () => {
  it.each([
    ['Amrullah Saleh', WHO, 'amrullah-saleh'],
    ['ahmad shah massoud', WHO, 'ahmad-shah-massoud'],
    ['lion of panjshir', WHO, 'ahmad-shah-massoud'],
    ['taliban spokesman', WHO, 'zabihullah-mujahid'],
    ['nrf spokesman', WHO, 'ali-maisam-nazary'],
    ['zabiulah', WHO, 'zabihullah-mujahid'],
    ['amrulah saleh', WHO, 'amrullah-saleh'],
    ['levy', WHO, 'bernard-henri-levy'],
    ['saleh', WHO, 'amrullah-saleh'],
    ['saleh', WHERE, 'deh-saleh'],
    ['panjshr', WHERE, 'panjshir'],
    ['five lions', WHERE, 'panjshir'],
    ['bazarack', WHERE, 'bazarak'],
    ['پنجشیر', WHERE, 'panjshir'],
  ])('%s (%o) → %s', (query, options, expected) => {
    expect(found(search.resolveEntity(query, options))).toBe(expected);
  });

  it('"massoud" is ambiguous between the son and the father, the more mentioned first', () => {
    const r = search.resolveEntity('massoud', WHO);
    expect(r.kind).toBe('ambiguous');
    if (r.kind !== 'ambiguous') return;
    const [first, second] = r.hits;
    expect(new Set([first?.entity.id, second?.entity.id])).toEqual(new Set(['ahmad-massoud', 'ahmad-shah-massoud']));
    expect(first!.entity.mentions.length).toBeGreaterThanOrEqual(second!.entity.mentions.length);
  });

  it('"obama" is nobody', () => {
    expect(search.resolveEntity('obama', WHO).kind).toBe('none');
  });

  it('autocompletes names and finds facts and quotes', () => {
    expect(search.suggestEntities('panj')[0]?.entity.id).toBe('panjshir');
    expect(search.searchFacts('capital bazarak')[0]?.fact.text).toMatch(/Bazarak/);
    expect(search.searchQuotes('peacefully')[0]?.quote.speakerId).toBe('zabihullah-mujahid');
  });
});
