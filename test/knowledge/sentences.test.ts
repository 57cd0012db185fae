import { describe, expect, it } from 'vitest';
import type { BodyParagraph } from '../../src/knowledge/clean.js';
import { splitSentences } from '../../src/knowledge/sentences.js';
import { seed } from './seed.js';

const split = (text: string): string[] => {
  const paragraph: BodyParagraph = { start: 10, end: 10 + text.length, text, caption: false };
  return splitSentences('s', paragraph, 0).map((s) => s.text);
};

describe('sentence splitting', () => {
  it('splits on full stops, question and exclamation marks', () => {
    expect(split('One is here. Is two? Three!')).toEqual(['One is here.', 'Is two?', 'Three!']);
  });

  it('does not split after abbreviations or initials', () => {
    expect(split('Mr. Saleh met U.S. envoys and J. Smith on Aug. 20. They talked.')).toEqual([
      'Mr. Saleh met U.S. envoys and J. Smith on Aug. 20.',
      'They talked.',
    ]);
  });

  it('treats a doubled full stop as the end of a sentence', () => {
    expect(split('It is a stronghold.. The front is led by Massoud.')).toEqual(['It is a stronghold..', 'The front is led by Massoud.']);
  });

  it('keeps a quotation with full stops inside one sentence', () => {
    expect(split('"We are ready. We will fight," she said. Then she left.')).toEqual([
      '"We are ready. We will fight," she said.',
      'Then she left.',
    ]);
  });

  it('ends a sentence after a closing quotation mark', () => {
    expect(split('“It is over.” The Taliban said so.')).toEqual(['“It is over.”', 'The Taliban said so.']);
  });

  it('does not split before a lower-case word ("2001 invasion. to drive")', () => {
    expect(split('during the 2001 invasion. to drive the Taliban out.')).toHaveLength(1);
  });

  it('gives exact offsets into the raw text of both seed articles', () => {
    const { kb, sentences } = seed();
    for (const s of sentences) {
      const raw = kb.sources.find((src) => src.id === s.sourceId)?.raw ?? '';
      expect(raw.slice(s.start, s.end)).toBe(s.text);
    }
    expect(sentences.length).toBe(41);
  });
});
