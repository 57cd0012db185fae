import { describe, expect, it } from 'vitest';
import { loadArticles } from '../../src/knowledge/articles.js';
import { buildKnowledgeBase } from '../../src/knowledge/build.js';
import { corroborate, QUOTE_SIMILARITY_THRESHOLD } from '../../src/knowledge/corroborate.js';
import { loadStoryMeta } from '../../src/knowledge/load.js';
import { loadRegistry } from '../../src/knowledge/registry.js';
import { diceSimilarity } from '../../src/knowledge/text-similarity.js';
import { G1_ID, JOURNAL_ID, quoteIn, SEED_STORY_DIR, seed } from './seed.js';

const factStarting = (start: string) => {
  const fact = seed().kb.facts.find((f) => f.text.startsWith(start));
  if (!fact) throw new Error(`no fact "${start}"`);
  return fact;
};

describe('facts', () => {
  it('turns each sentence naming an entity into a fact citing that sentence', () => {
    const fact = factStarting('The capital of Panjshir is Bazarak');
    expect(fact.entities).toEqual(expect.arrayContaining(['panjshir', 'bazarak', 'kabul']));
    expect(fact.rank).toBe('body');
    expect(fact.citations).toHaveLength(1);
  });

  it('ranks photo-caption facts as captions', () => {
    expect(factStarting('Taliban retakes 3 districts in Baghlan province').rank).toBe('caption');
    expect(factStarting('Taliban fighters stand guard on their side').rank).toBe('caption');
  });

  it('does not repeat a sentence that is only a quote and its attribution', () => {
    const texts = seed().kb.facts.map((f) => f.text);
    expect(texts.some((t) => t.startsWith('“Our fighters are positioned'))).toBe(false);
    expect(texts.some((t) => t.startsWith('“We want to make the Taliban realize'))).toBe(false);
    // …but a sentence with more to say than the quote stays a fact.
    expect(texts.some((t) => t.startsWith('Taliban fighters “are stationed near Panjshir”'))).toBe(true);
  });

  it('dates facts from their sentence, resolved against the publication day', () => {
    expect(factStarting('The Taliban announced on Monday (23)').date).toMatchObject({ start: '2021-08-23', precision: 'day' });
    expect(factStarting('In an interview with Reuters news agency').date).toMatchObject({ start: '2021-08-22' });
    expect(factStarting('They had been taken over by local militias last week').date).toMatchObject({ precision: 'week', start: '2021-08-16' });
    expect(factStarting('The capital of Panjshir is Bazarak').date).toBeUndefined();
  });
});

describe('corroboration across outlets', () => {
  it('“positioned near Panjshir” (G1) and “stationed near Panjshir” (TheJournal) are one quote with two sources', () => {
    const q = quoteIn(G1_ID, 'Our fighters are positioned near Panjshir');
    expect(q.citations.map((c) => [c.sourceId, c.text])).toEqual([
      [G1_ID, 'Our fighters are positioned near Panjshir'],
      [JOURNAL_ID, 'are stationed near Panjshir'],
    ]);
    expect(q.text).toBe('Our fighters are positioned near Panjshir');
  });

  it('“…resolve the problems peacefully” and “…resolve this issue peacefully” are one quote, each wording kept, the untranslated one shown', () => {
    const q = quoteIn(JOURNAL_ID, 'The Islamic Emirate is trying to resolve this issue peacefully');
    // G1's text is an English translation of a Portuguese report; TheJournal's AFP copy is in its
    // original language, one step closer to what was said.
    expect(q.citations.map((c) => c.sourceId)).toEqual([JOURNAL_ID, G1_ID]);
    expect(q.text).toBe('The Islamic Emirate is trying to resolve this issue peacefully');
    expect(q.citations[1]?.text).toBe('The Islamic Emirate is trying to resolve the problems peacefully.');
  });

  it('leaves 11 distinct quotes from the 13 reported', () => {
    expect(seed().kb.quotes).toHaveLength(11);
  });

  it('scores the two wordings above the threshold and unrelated quotes below', () => {
    expect(diceSimilarity('Our fighters are positioned near Panjshir', 'are stationed near Panjshir')).toBeGreaterThanOrEqual(QUOTE_SIMILARITY_THRESHOLD);
    expect(diceSimilarity('Our fighters are positioned near Panjshir', 'The Islamic Emirate is trying to resolve this issue peacefully')).toBeLessThan(0.2);
  });

  it('never merges quotes of different or unknown speakers, nor two of the same source', () => {
    const cite = (sourceId: string) => [{ sourceId, start: 0, end: 1, text: 'x' }];
    const same = 'We will defend the valley';
    const merged = corroborate(
      [
        { text: same, entities: [], citations: cite('a'), speakerId: 'x' },
        { text: same, entities: [], citations: cite('b'), speakerId: 'y' },
        { text: same, entities: [], citations: cite('a'), speakerId: 'x' },
        { text: same, entities: [], citations: cite('c'), speakerId: null },
        { text: same, entities: [], citations: cite('d'), speakerId: 'x' },
      ],
      { threshold: QUOTE_SIMILARITY_THRESHOLD, sameSpeaker: true },
    );
    expect(merged.map((m) => m.citations.map((c) => c.sourceId).join('+'))).toEqual(['a+d', 'b', 'a', 'c']);
  });
});

describe('building', () => {
  it('is deterministic: the same input gives the same knowledge base, ids included', () => {
    const input = {
      story: loadStoryMeta(SEED_STORY_DIR),
      registry: loadRegistry(`${SEED_STORY_DIR}/registry.yaml`),
      articles: loadArticles(SEED_STORY_DIR),
    };
    expect(JSON.stringify(buildKnowledgeBase(input))).toBe(JSON.stringify(seed().kb));
  });

  it('gives every fact and quote a unique id', () => {
    const ids = [...seed().kb.facts, ...seed().kb.quotes].map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('holds the story, both sources with their metadata, and every registry entity', () => {
    const { kb } = seed();
    expect(kb.story).toMatchObject({ id: 'panjshir' });
    expect(kb.sources.map((s) => [s.id, s.outlet, s.published])).toEqual([
      [G1_ID, 'G1 (Globo)', '2021-08-23'],
      [JOURNAL_ID, 'TheJournal.ie', '2021-08-23'],
    ]);
    expect(kb.sources[0]?.originalLanguage).toBe('pt');
    expect(kb.entities.length).toBeGreaterThanOrEqual(29);
  });

  it('exposes the sentences and mentions the analysis stages read', () => {
    const { sentences, mentions } = seed();
    expect(sentences.filter((s) => s.sourceId === G1_ID && s.caption)).toHaveLength(3);
    expect(mentions.every((m) => sentences.some((s) => s.sourceId === m.sourceId && s.start <= m.start && m.end <= s.end))).toBe(true);
  });
});
