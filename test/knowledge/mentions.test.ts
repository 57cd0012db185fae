import { describe, expect, it } from 'vitest';
import { findCandidates, findMentions, type MentionableEntity } from '../../src/knowledge/mentions.js';
import type { Sentence } from '../../src/knowledge/sentence.js';
import { G1_ID, JOURNAL_ID, seed, seedStoryWith } from './seed.js';

/** The entities the mentions written `text` in a source link to, in reading order. */
function entitiesWritten(sourceId: string, text: string): string[] {
  return seed().mentions.filter((m) => m.sourceId === sourceId && m.text === text).map((m) => m.entityId);
}

/** The entity the first mention written `text` links to. */
const entityAt = (sourceId: string, text: string): string | undefined => entitiesWritten(sourceId, text)[0];

describe('the two Massouds', () => {
  it('in G1, "son of the legendary commander Massoud" is the father, via the son-of link', () => {
    expect(entityAt(G1_ID, 'Ahmad Massoud')).toBe('ahmad-massoud');
    expect(entityAt(G1_ID, 'commander Massoud')).toBe('ahmad-shah-massoud');
  });

  it('in G1, "Massoud’s father" and "Massoud father" are the father, as one mention', () => {
    expect(entityAt(G1_ID, 'Massoud’s father')).toBe('ahmad-shah-massoud');
    expect(entityAt(G1_ID, 'Massoud father')).toBe('ahmad-shah-massoud');
  });

  it('in G1, the bare "Massoud" who writes in the press and who "said" is the son', () => {
    expect(entitiesWritten(G1_ID, 'Massoud')).toEqual(['ahmad-massoud', 'ahmad-massoud']);
  });

  it('in TheJournal, "son of … Ahmed Shah Massoud" does not make the father the later "Massoud"', () => {
    expect(entityAt(JOURNAL_ID, 'Ahmed Shah Massoud')).toBe('ahmad-shah-massoud');
    expect(entitiesWritten(JOURNAL_ID, 'Massoud')).toEqual(['ahmad-massoud', 'ahmad-massoud']);
  });

  it('nicknames link to the father', () => {
    expect(entityAt(G1_ID, 'Lion of Panjshir')).toBe('ahmad-shah-massoud');
    expect(entityAt(G1_ID, 'Amir Sahib-e Shahid')).toBe('ahmad-shah-massoud');
  });
});

describe('places and spellings', () => {
  it('"Deh Saleh" is the district, "Saleh" alone is Amrullah Saleh', () => {
    expect(entityAt(G1_ID, 'Deh Saleh')).toBe('deh-saleh');
    expect(entityAt(G1_ID, 'Saleh')).toBe('amrullah-saleh');
  });

  it('matches longest first: "Panjshir Valley", "Reuters news agency", "France Presse news agency"', () => {
    expect(entityAt(G1_ID, 'Panjshir Valley')).toBe('panjshir');
    expect(entityAt(G1_ID, 'Reuters news agency')).toBe('reuters');
    expect(entityAt(G1_ID, 'France Presse news agency')).toBe('agence-france-presse');
  });

  it('records the spelling each outlet used on the entity', () => {
    const father = seed().kb.entities.find((e) => e.id === 'ahmad-shah-massoud');
    const spellings = new Set(father?.mentions.map((m) => m.text));
    expect(spellings).toContain('Ahmad Shah Massoud');
    expect(spellings).toContain('Ahmed Shah Massoud');
    const blv = seed().kb.entities.find((e) => e.id === 'bernard-henri-levy');
    expect(blv?.mentions.map((m) => m.text)).toEqual(['Bernard Henri-Lévy']);
  });

  it('is case-, accent- and hyphen-insensitive, and keeps acronyms case-sensitive', () => {
    const entities: MentionableEntity[] = [
      { id: 'blv', type: 'person', label: 'Bernard-Henri Lévy', aliases: [], links: [] },
      { id: 'us', type: 'place', label: 'United States', aliases: ['US'], links: [] },
      { id: 'panjshir', type: 'place', label: 'Panjshir', aliases: ['پنجشیر'], links: [] },
    ];
    const text = 'BERNARD HENRI LEVY told us the US and پنجشیر matter.';
    const s: Sentence = { sourceId: 's', start: 0, end: text.length, text, paragraph: 0, caption: false };
    expect(findMentions([s], entities).map((m) => [m.text, m.entityId])).toEqual([
      ['BERNARD HENRI LEVY', 'blv'],
      ['US', 'us'],
      ['پنجشیر', 'panjshir'],
    ]);
  });
});

describe('candidates: names no entity matches', () => {
  it('finds none in the seed articles, whose every name is in the registry', () => {
    expect(seed().kb.candidates).toEqual([]);
  });

  it('reports unknown names with counts, but not sentence openers, days, months or titles', () => {
    const texts = [
      'Commander Abdul Hamid Safi met Nasrin Rahimi in Gulbahar on Monday.',
      'Later, Nasrin Rahimi left for Gulbahar in September.',
      'Unconfirmed reports spoke of fighting.',
    ];
    let at = 0;
    const sentences: Sentence[] = texts.map((text, i) => {
      const s = { sourceId: 's', start: at, end: at + text.length, text, paragraph: i, caption: false };
      at += text.length + 1;
      return s;
    });
    const candidates = findCandidates(sentences, []);
    expect(candidates.map((c) => [c.name, c.count])).toEqual([
      ['Gulbahar', 2],
      ['Nasrin Rahimi', 2],
      ['Abdul Hamid Safi', 1],
    ]);
  });
});

describe('names on a report of another outlet', () => {
  const kb = seedStoryWith([
      {
        id: 'x',
        file: 'x.txt',
        raw: [
          'Shuresh Saleh said his uncle was stopped at a checkpoint on Thursday.',
          'Speaking from the Panjshir Valley Saleh said the resistance would go on.',
          'Mullah Amir Khan Motaqi, a Taliban official, said talks had failed. Muttaqi spoke in an audio message. We will see, Muttaqi added.',
          'Western-backed forces and Russian diplomats met in Aug and Islamist groups watched, according to @AmrullahSaleh2 and Voice of Am',
        ].join('\n\n'),
        meta: { outlet: 'Wire', headline: 'Names', published: '2021-09-10', language: 'en' },
      },
  ]);
  const linked = (id: string): string[] =>
    kb.entities.find((e) => e.id === id)?.mentions.filter((m) => m.sourceId === 'x').map((m) => m.text) ?? [];
  const candidates = kb.candidates.filter((c) => c.citations.some((x) => x.sourceId === 'x'));

  it('a surname after a given name the registry does not know is someone else; after a known place it is the registered man', () => {
    expect(linked('amrullah-saleh')).toEqual(['Saleh']);
    expect(candidates.map((c) => c.name)).toContain('Shuresh Saleh');
  });

  it('candidates are names: no months, adjectives, handles, pronouns or words the page cut off; spellings fold into one', () => {
    const names = candidates.map((c) => c.name);
    for (const noise of ['Aug', 'Western-backed', 'Russian', 'Islamist', 'AmrullahSaleh2', 'We', 'Voice of Am']) expect(names).not.toContain(noise);
    const minister = candidates.find((c) => c.name === 'Amir Khan Motaqi');
    expect(minister?.variants).toEqual(expect.arrayContaining(['Amir Khan Motaqi', 'Muttaqi']));
    expect(names).not.toContain('Muttaqi');
  });
});

describe('name candidates that are names', () => {
  const candidatesOf = (texts: string[]): string[] => {
    let at = 0;
    const sentences: Sentence[] = texts.map((text, i) => {
      const s = { sourceId: 's', start: at, end: at + text.length, text, paragraph: i, caption: false };
      at += text.length + 1;
      return s;
    });
    return findCandidates(sentences, []).map((c) => c.name);
  };

  it('offers no nationality adjective, office, plural acronym or point of the compass', () => {
    expect(
      candidatesOf([
        'Several Uzbek and Kazakh traders met a Pakistani envoy near Gulbahar.',
        'The group said the First Vice President would see MPs and IDPs on TV.',
        'Leaders in the West said little to Nasrin Rahimi.',
      ]),
    ).toEqual(['Gulbahar', 'Nasrin Rahimi']);
  });

  it('keeps a name with an initial whole ("Harry S. Truman")', () => {
    expect(candidatesOf(['The plan was drawn up under Harry S. Truman after the war.'])).toEqual(['Harry S. Truman']);
  });
});
