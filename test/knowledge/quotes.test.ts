import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadArticles } from '../../src/knowledge/articles.js';
import { buildKnowledgeBase } from '../../src/knowledge/build.js';
import { findQuoteMarks, quotedPassages } from '../../src/knowledge/quotes.js';
import { loadRegistry } from '../../src/knowledge/registry.js';
import type { Sentence } from '../../src/knowledge/sentence.js';
import { G1_ID, JOURNAL_ID, quoteIn, SEED_STORY_DIR, seed } from './seed.js';

const sentence = (text: string): Sentence => ({ sourceId: 's', start: 0, end: text.length, text, paragraph: 0, caption: false });

describe('quotes of the G1 report, each with its speaker', () => {
  it('Saleh calls himself “legitimate interim president” (partial)', () => {
    const q = quoteIn(G1_ID, 'legitimate interim president');
    expect(q).toMatchObject({ speakerId: 'amrullah-saleh', partial: true });
  });

  it('Saleh said on Tuesday (17 August) he would “under no circumstances bow” to “Taliban terrorists”', () => {
    for (const text of ['under no circumstances bow', 'Taliban terrorists']) {
      const q = quoteIn(G1_ID, text);
      expect(q).toMatchObject({ speakerId: 'amrullah-saleh', partial: true, mode: 'said' });
      expect(q.date).toMatchObject({ start: '2021-08-17', precision: 'day' });
    }
  });

  it('Saleh appealed to Afghans: “Join the resistance”', () => {
    expect(quoteIn(G1_ID, 'Join the resistance')).toMatchObject({ speakerId: 'amrullah-saleh', partial: false });
  });

  it('“Our fighters are positioned near Panjshir,” said Zabihullah Mujahid, a Taliban spokesman', () => {
    const q = quoteIn(G1_ID, 'Our fighters are positioned near Panjshir');
    expect(q).toMatchObject({ speakerId: 'zabihullah-mujahid', partial: false, speakerText: 'Zabihullah Mujahid, a Taliban spokesman' });
  });

  it('the next sentence, a quote with no attribution, continues Mujahid’s words', () => {
    const q = quoteIn(G1_ID, 'The Islamic Emirate is trying to resolve the problems peacefully.');
    expect(q.speakerId).toBe('zabihullah-mujahid');
    expect(q.citations.find((c) => c.sourceId === G1_ID)?.text).toBe('The Islamic Emirate is trying to resolve the problems peacefully.');
  });

  it('“Massoud said” is the son, in the Reuters interview of Sunday 22 August', () => {
    for (const text of [
      'We want to make the Taliban realize that the only way forward is through negotiations',
      'We don’t want a war to start.',
    ]) {
      const q = quoteIn(G1_ID, text);
      expect(q).toMatchObject({ speakerId: 'ahmad-massoud', mode: 'interview', context: 'in an interview with Reuters news agency' });
      expect(q.date).toMatchObject({ start: '2021-08-22', precision: 'day' });
    }
  });

  it('“hundreds”, announced by pro-Taliban Twitter accounts, has no speaker entity', () => {
    const q = quoteIn(G1_ID, 'hundreds');
    expect(q).toMatchObject({ speakerId: null, speakerText: 'pro-Taliban Twitter accounts', partial: true });
  });

  it('titles, nicknames and translations in quotation marks are not quotes', () => {
    const texts = seed().kb.quotes.flatMap((q) => q.citations.map((c) => c.text));
    for (const notSpeech of ['The Washington Post', 'La Règle du jeu', 'The rule of the game', 'Five Lions', 'Lion of Panjshir', 'our beloved martyred commander']) {
      expect(texts).not.toContain(notSpeech);
    }
    const kinds = Object.fromEntries(seed().passages.map((p) => [p.text, p.kind]));
    expect(kinds).toMatchObject({
      'The Washington Post': 'title',
      'La Règle du jeu': 'title',
      'The rule of the game': 'term',
      'Five Lions': 'term',
      'Lion of Panjshir': 'term',
      'our beloved martyred commander': 'term',
    });
  });

  it('finds exactly these nine quotes in G1', () => {
    const g1 = seed().kb.quotes.filter((q) => q.citations.some((c) => c.sourceId === G1_ID));
    expect(g1).toHaveLength(9);
  });
});

describe('quotes of the TheJournal (AFP) report', () => {
  it('Mujahid tweeted that fighters “are stationed near Panjshir”', () => {
    // Merged with G1's “positioned near Panjshir”: the more specific "tweeted" is kept.
    expect(quoteIn(JOURNAL_ID, 'are stationed near Panjshir')).toMatchObject({ speakerId: 'zabihullah-mujahid', mode: 'tweeted' });
  });

  it('“…resolve this issue peacefully,” he added → the last named speaker, Mujahid', () => {
    expect(quoteIn(JOURNAL_ID, 'The Islamic Emirate is trying to resolve this issue peacefully').speakerId).toBe('zabihullah-mujahid');
  });

  it('“long-term conflict”, said by “a spokesman for … National Resistance Front”, is Ali Maisam Nazary (spokesman-for link)', () => {
    const q = quoteIn(JOURNAL_ID, 'long-term conflict');
    expect(q).toMatchObject({ speakerId: 'ali-maisam-nazary', partial: true });
    expect(q.speakerText).toMatch(/^A spokesman for/u);
  });

  it('the conditions for a peace deal are Nazary’s', () => {
    const q = quoteIn(
      JOURNAL_ID,
      'The conditions for a peace deal with the Taliban are decentralisation, a system that ensures social justice, equality, rights, and freedom for all',
    );
    expect(q).toMatchObject({ speakerId: 'ali-maisam-nazary', partial: false });
  });

  it("has no quote 'besieged': it is only in the headline line, which cleaning removes", () => {
    expect(seed().kb.quotes.some((q) => /besieged/u.test(q.text))).toBe(false);
  });

  it('finds exactly these four quotes in TheJournal', () => {
    expect(seed().kb.quotes.filter((q) => q.citations.some((c) => c.sourceId === JOURNAL_ID))).toHaveLength(4);
  });
});

describe('quotation marks and apostrophes', () => {
  it('does not take apostrophes (Massoud’s, don’t, fighters’) for quotation marks', () => {
    expect(findQuoteMarks('Massoud’s men don’t retreat, the fighters’ commander said.')).toEqual([]);
  });

  it('finds curly, straight, single and guillemet quotes', () => {
    const text = 'He said “one”, then "two", then ‘three’, then \'four\' and «five».';
    expect(quotedPassages(sentence(text)).map((p) => p.text)).toEqual(['one', 'two', 'three', 'four', 'five']);
  });

  it('keeps an apostrophe inside a single-quoted passage', () => {
    expect(quotedPassages(sentence("She said 'we don't leave' at dawn.")).map((p) => p.text)).toEqual(["we don't leave"]);
  });
});

describe('attribution that reads like a person, on a report of another outlet', () => {
  const report = [
    'KABUL, Sept 1 (Reuters) - "The valley will be ours within days," a Taliban commander said.',
    'Hundreds of Taliban fighters were heading to the valley, the group said in a statement.',
    'Ahmad Massoud spoke to a TV channel on Sunday.',
    'The TV channel also quoted him as saying he is "ready to forgive the Taliban".',
    'Mullah Amir Khan Motaqi, the head of a Taliban commission, reportedly said that the talks "went in vain."',
    '"Now it is up to you to talk to them," Muttaqi said in an audio message.',
    '"Resistance is still alive!" posted Bismillah Muhammadi from his official handle on Twitter.',
    'Mustafa, a Kabul resident, says that his relatives live in the valley but he cannot reach them.',
    '"All my relatives and friends are in the valley. The road is closed',
    'Phone lines have been down since Sunday.',
    '"The three districts have been retaken.',
    'And no place is now under the control of the resistance," said Gul Haidar, a resident.',
    'The senior Taliban official blamed the elders for the failure, saying there are people who "do not want peace".',
    'Local sources said the shopkeeper would not flee, telling them: "I am just a poor shop owner."',
    'Two commanders were killed on Sunday, sources from the National Resistance Front told the Wire.',
    'One source revealed that a general was also killed.',
    'Dismissing reports of combat, the source said: "They were killed in a targeted assassination."',
  ].join('\n\n');
  const kb = buildKnowledgeBase({
    story: { id: 'panjshir', title: 'Panjshir' },
    registry: loadRegistry(join(SEED_STORY_DIR, 'registry.yaml')),
    articles: [
      ...loadArticles(SEED_STORY_DIR),
      { id: 'x', file: 'x.txt', raw: report, meta: { outlet: 'Wire', headline: 'Talks fail', published: '2021-09-01', language: 'en' } },
    ],
  });
  const said = (start: string) => {
    const q = kb.quotes.find((x) => x.citations.some((c) => c.sourceId === 'x' && c.text.startsWith(start)));
    if (!q) throw new Error(`no quote "${start}"`);
    return q;
  };

  it('a dateline and its agency credit are never the speaker; an unnamed speaker keeps its description', () => {
    expect(said('The valley will be ours')).toMatchObject({ speakerId: null, speakerText: 'a Taliban commander' });
  });

  it('"the group said" is the organisation named before it; "quoted him as saying" is the man named before', () => {
    expect(said('ready to forgive').speakerId).toBe('ahmad-massoud');
  });

  it('a minister the registry does not know is one provisional speaker under both spellings', () => {
    const first = said('went in vain');
    expect(first.speakerId).toBe('unregistered-amir-khan-motaqi');
    expect(said('Now it is up to you').speakerId).toBe(first.speakerId);
    const entity = kb.entities.find((e) => e.id === first.speakerId);
    expect(entity).toMatchObject({ label: 'Amir Khan Motaqi (not yet in the registry)', provisional: true });
    expect(entity?.aliases).toEqual(expect.arrayContaining(['Muttaqi', 'Motaqi']));
  });

  it('"one source" after "sources from the National Resistance Front" is one of theirs, and "the source" is that source', () => {
    expect(said('They were killed')).toMatchObject({ speakerId: null, speakerText: 'a National Resistance Front source' });
  });

  it('"posted X from his handle on Twitter": X, not Twitter', () => {
    expect(said('Resistance is still alive').speakerId).toBe('unregistered-bismillah-muhammadi');
  });

  it('a quote standing alone after a sentence naming its speaker, cut off by the page, is hers', () => {
    expect(said('All my relatives').speakerId).toBe('unregistered-mustafa');
  });

  it('a quote running over two paragraphs gets the speaker named at its end', () => {
    expect(said('The three districts have been retaken').speakerId).toBe('unregistered-gul-haidar');
    expect(said('And no place is now under').speakerId).toBe('unregistered-gul-haidar');
  });

  it('no guess when the subject is doubtful: a description of someone, or a report inside a report', () => {
    expect(said('do not want peace').speakerId).toBeNull();
    expect(said('I am just a poor shop owner').speakerId).toBeNull();
  });
});
