import { describe, expect, it } from 'vitest';
import { parseRegistry, RegistryError, resolveEvidence } from '../../src/knowledge/registry.js';

const valid = {
  id: 'ahmad-massoud',
  type: 'person',
  label: 'Ahmad Massoud',
  aliases: ['Massoud'],
  description: 'Leader of the front',
  evidence: { source: 'a', text: 'Ahmad Massoud leads the front' },
  links: [],
};

const errorOf = (data: unknown): string => {
  try {
    parseRegistry(data, 'registry.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(RegistryError);
    return (err as Error).message;
  }
  throw new Error('expected a RegistryError');
};

describe('registry validation', () => {
  it('accepts a valid registry', () => {
    expect(parseRegistry({ entities: [valid] }, 'registry.yaml').entities[0]?.id).toBe('ahmad-massoud');
  });

  it('names the file, the entity and the field of a bad value', () => {
    expect(errorOf({ entities: [{ ...valid, type: 'man' }] })).toMatch(
      /^registry\.yaml: .*entity "ahmad-massoud": field "type" must be person, place or organisation/u,
    );
  });

  it('names a missing field', () => {
    const { description: _d, ...noDescription } = valid;
    expect(errorOf({ entities: [noDescription] })).toMatch(/entity "ahmad-massoud": field "description" is missing/u);
  });

  it('requires kebab-case ids and known link relations', () => {
    expect(errorOf({ entities: [{ ...valid, id: 'Ahmad Massoud' }] })).toMatch(/field "id" must be kebab-case/u);
    expect(
      errorOf({ entities: [{ ...valid, links: [{ relation: 'uncle-of', target: 'ahmad-massoud', evidence: valid.evidence }] }] }),
    ).toMatch(/field "links\.0\.relation" must be one of: son-of/u);
  });

  it('rejects duplicate ids and links to unknown entities', () => {
    expect(errorOf({ entities: [valid, valid] })).toMatch(/entity "ahmad-massoud": field "id" is used twice/u);
    expect(
      errorOf({ entities: [{ ...valid, links: [{ relation: 'son-of', target: 'nobody', evidence: valid.evidence }] }] }),
    ).toMatch(/field "links\.0\.target" names "nobody", which is not an entity id/u);
  });

  it('rejects an empty or missing entity list', () => {
    expect(errorOf({})).toMatch(/registry\.yaml: invalid registry/u);
    expect(errorOf(null)).toMatch(/registry\.yaml/u);
  });
});

describe('registry evidence', () => {
  const articles = new Map([['a', 'Intro.\n\nAhmad Massoud leads\nthe front. More.']]);
  const where = { file: 'registry.yaml', entityId: 'ahmad-massoud', field: 'evidence' };

  it('becomes a citation with exact offsets (line breaks match spaces)', () => {
    const c = resolveEvidence(valid.evidence, articles, where);
    expect(articles.get('a')?.slice(c.start, c.end)).toBe(c.text);
    expect(c.text).toBe('Ahmad Massoud leads\nthe front');
  });

  it('matches punctuation literally: "(NRF)" is found, "Massoud.leads" is not "Massoud leads"', () => {
    const withBrackets = new Map([['b', 'The National Resistance Front (NRF) is led by Massoud.']]);
    expect(resolveEvidence({ source: 'b', text: 'Front (NRF) is' }, withBrackets, where).text).toBe('Front (NRF) is');
    expect(() => resolveEvidence({ source: 'a', text: 'Massoud.leads' }, articles, where)).toThrow(/was not found/u);
  });

  it('fails loudly, naming entity and field, when the text is not in the article', () => {
    expect(() => resolveEvidence({ source: 'a', text: 'Ahmad Massoud rules' }, articles, where)).toThrow(
      /entity "ahmad-massoud": field "evidence": text "Ahmad Massoud rules" was not found in article "a"/u,
    );
    expect(() => resolveEvidence({ source: 'zzz', text: 'x y z' }, articles, where)).toThrow(/names article "zzz", which does not exist/u);
  });
});
