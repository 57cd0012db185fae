import { describe, expect, it } from 'vitest';
import type { EntityResolution, ResolveOptions } from '../../src/search/types.js';
import { createKnowledgeSearch } from '../../src/search/knowledge-search.js';
import { entity, seedLikeKb } from './fixtures.js';

const search = createKnowledgeSearch(seedLikeKb());
const WHO: ResolveOptions = { prefer: ['person', 'organisation'] };
const WHERE: ResolveOptions = { prefer: ['place'] };

function foundId(resolution: EntityResolution): string | undefined {
  return resolution.kind === 'found' ? resolution.hit.entity.id : undefined;
}
function ids(resolution: EntityResolution): string[] {
  if (resolution.kind === 'found') return [resolution.hit.entity.id];
  if (resolution.kind === 'ambiguous') return resolution.hits.map((h) => h.entity.id);
  return resolution.suggestions.map((h) => h.entity.id);
}

describe('resolveEntity: exact names', () => {
  it('finds an entity by its label, with the exact flag and the matched text', () => {
    const r = search.resolveEntity('Amrullah Saleh');
    expect(r.kind).toBe('found');
    if (r.kind !== 'found') return;
    expect(r.hit).toMatchObject({ score: 0, exact: true, matched: 'Amrullah Saleh' });
    expect(r.hit.entity.id).toBe('amrullah-saleh');
  });

  it('finds an entity by an alias in any case and spelling of punctuation', () => {
    expect(foundId(search.resolveEntity('AL QAIDA'))).toBe('al-qaeda');
    expect(foundId(search.resolveEntity('Islamic Emirate'))).toBe('taliban');
    expect(foundId(search.resolveEntity('national-resistance-front'))).toBe('national-resistance-front');
  });

  it('prefers the full name over a surname match: "ahmad shah massoud" is the father, the son offered beside him', () => {
    const r = search.resolveEntity('ahmad shah massoud', WHO);
    expect(foundId(r)).toBe('ahmad-shah-massoud');
    if (r.kind === 'found') expect(r.others.map((h) => h.entity.id)).toContain('ahmad-massoud');
  });

  it('"ahmad massoud" is the son, the father among the others', () => {
    const r = search.resolveEntity('Ahmad Massoud', WHO);
    expect(foundId(r)).toBe('ahmad-massoud');
    if (r.kind === 'found') expect(r.others.map((h) => h.entity.id)).toContain('ahmad-shah-massoud');
  });

  it('an exact alias beats a fuzzy label match of another entity', () => {
    // "Mujahid" is Zabihullah Mujahid's alias; "Mujahidin" (the mujahideen) is only near it.
    const r = search.resolveEntity('mujahid');
    expect(foundId(r)).toBe('zabihullah-mujahid');
  });
});

describe('resolveEntity: nicknames and roles', () => {
  it('finds the father by his nickname, and offers the other Massoud', () => {
    const r = search.resolveEntity('lion of panjshir', WHO);
    expect(foundId(r)).toBe('ahmad-shah-massoud');
    if (r.kind === 'found') expect(r.others.map((h) => h.entity.id)).toContain('ahmad-massoud');
  });

  it('finds people by role', () => {
    expect(foundId(search.resolveEntity('taliban spokesman', WHO))).toBe('zabihullah-mujahid');
    expect(foundId(search.resolveEntity('nrf spokesman', WHO))).toBe('ali-maisam-nazary');
    expect(foundId(search.resolveEntity('resistance spokesman', WHO))).toBe('ali-maisam-nazary');
  });

  it('finds a place by its nickname', () => {
    expect(foundId(search.resolveEntity('five lions', WHERE))).toBe('panjshir');
  });

  it('does not take an adviser for the man he advised (linked roles need the role word)', () => {
    expect(ids(search.resolveEntity('massoud'))).not.toContain('amrullah-saleh');
  });
});

describe('resolveEntity: transliterations, typos, accents and native script', () => {
  it.each([
    ['panjsher', 'panjshir'],
    ['panjshr', 'panjshir'],
    ['amrulah saleh', 'amrullah-saleh'],
    ['amrolah salih', 'amrullah-saleh'],
    ['zabiulah', 'zabihullah-mujahid'],
    ['zabiullah mojahid', 'zabihullah-mujahid'],
    ['bazarack', 'bazarak'],
    ['bazraak', 'bazarak'],
    ['Lévy', 'bernard-henri-levy'],
    ['levy', 'bernard-henri-levy'],
    ['پنجشیر', 'panjshir'],
    ['ali nazari', 'ali-maisam-nazary'],
    ['qaida', 'al-qaeda'],
    ['kabol', 'kabul'],
  ])('%s → %s', (query, expected) => {
    expect(foundId(search.resolveEntity(query))).toBe(expected);
  });
});

describe('resolveEntity: /who and /where preference', () => {
  it('/who saleh is Amrullah Saleh, /where saleh is Deh Saleh', () => {
    expect(foundId(search.resolveEntity('saleh', WHO))).toBe('amrullah-saleh');
    expect(foundId(search.resolveEntity('saleh', WHERE))).toBe('deh-saleh');
  });

  it('still finds an entity of another type when nothing of the preferred type fits', () => {
    expect(foundId(search.resolveEntity('kabul', WHO))).toBe('kabul');
  });
});

describe('resolveEntity: ambiguity', () => {
  it.each(['massoud', 'masood', 'Masud', 'massod', 'who is massoud?'])('"%s" fits the son and the father equally: both, most mentioned first', (query) => {
    const r = search.resolveEntity(query, WHO);
    expect(r.kind).toBe('ambiguous');
    if (r.kind !== 'ambiguous') return;
    expect(r.hits.map((h) => h.entity.id).slice(0, 2)).toEqual(['ahmad-massoud', 'ahmad-shah-massoud']);
  });

  it('orders ambiguous hits by how often the sources mention them', () => {
    const kb = seedLikeKb();
    // A changed copy: the fixture's entities are shared by every test file of a worker.
    kb.entities = kb.entities.map((e) => (e.id === 'ahmad-shah-massoud' ? { ...e, mentions: Array.from({ length: 50 }, () => e.descriptionCitation) } : e));
    const r = createKnowledgeSearch(kb).resolveEntity('massoud', WHO);
    expect(r.kind === 'ambiguous' && r.hits[0]?.entity.id).toBe('ahmad-shah-massoud');
  });

  it('two entities with the same label are ambiguous', () => {
    const kb = seedLikeKb();
    kb.entities = [
      ...kb.entities,
      entity({ id: 'other-kabul', type: 'place', label: 'Kabul', description: 'A river', mentions: 1 }),
    ];
    const r = createKnowledgeSearch(kb).resolveEntity('kabul', WHERE);
    expect(r.kind).toBe('ambiguous');
    if (r.kind === 'ambiguous') expect(r.hits.map((h) => h.entity.id)).toEqual(['kabul', 'other-kabul']);
  });
});

describe('resolveEntity: no match', () => {
  it.each(['obama', 'xyzzy', 'pizza', 'qwertyuiop', 'the'])('"%s" fits nothing: none, never a guess', (query) => {
    const r = search.resolveEntity(query, WHO);
    expect(r.kind).toBe('none');
    if (r.kind === 'none') expect(r.suggestions.length).toBeLessThanOrEqual(5);
  });

  it('offers the closest names as suggestions, at most five', () => {
    const r = search.resolveEntity('massoud taliban kabul panjshir leader', WHO);
    if (r.kind === 'none') {
      expect(r.suggestions.length).toBeGreaterThan(0);
      expect(r.suggestions.length).toBeLessThanOrEqual(5);
    }
    const near = search.resolveEntity('Panjshir Kabul Road');
    expect(near.kind === 'none' ? near.suggestions.map((s) => s.entity.id) : ids(near)).toContain('panjshir');
  });
});
