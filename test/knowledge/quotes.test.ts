import { describe, expect, it } from 'vitest';
import { findQuoteMarks, quotedPassages } from '../../src/knowledge/quotes.js';
import type { Sentence } from '../../src/knowledge/sentence.js';
import { G1_ID, JOURNAL_ID, quoteIn, seed } from './seed.js';

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
    expect(q.text).toBe('The Islamic Emirate is trying to resolve the problems peacefully.');
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
