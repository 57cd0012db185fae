/**
 * The screen in front of fuse.js must drop exactly the names fuse.js itself would not match:
 * it decides which names fuse.js scores, so one wrong "no" would lose a fuzzy hit.
 */
import Fuse from 'fuse.js';
import { describe, expect, it } from 'vitest';
import { generateStory, Random, withTypos } from '../../bench/generator.js';
import { fuseChunks, predictFuseScore, substringDistance } from '../../src/search/fuse-screen.js';
import { normaliseText } from '../../src/search/normalise.js';

describe('substringDistance', () => {
  it('counts the edits that fit a pattern into the best-fitting part of a text', () => {
    expect(substringDistance('massoud', 'ahmad massoud')).toBe(0);
    expect(substringDistance('masoud', 'ahmad massoud')).toBe(1);
    expect(substringDistance('masood', 'ahmad massoud')).toBe(2);
    expect(substringDistance('ahmd masud', 'ahmad massoud')).toBe(3);
    expect(substringDistance('xyz', 'kabul')).toBe(3);
    expect(substringDistance('kabul', '')).toBe(5);
  });
});

describe('fuseChunks', () => {
  it('splits like fuse.js: 32-letter pieces, the last one ending at the end', () => {
    expect(fuseChunks('short')).toEqual(['short']);
    const long = 'a'.repeat(32) + 'b'.repeat(8);
    expect(fuseChunks(long)).toEqual(['a'.repeat(32), 'a'.repeat(24) + 'b'.repeat(8)]);
  });
});

describe('predictFuseScore agrees with fuse.js', () => {
  const story = generateStory({ entities: 1200, facts: 10, seed: 11 });
  const names = story.kb.entities.flatMap((e) => [e.label, ...e.aliases, e.description]).map(normaliseText);
  const random = new Random(4);

  it.each([0.45, 0.3125])('on typo\'d names, short and long, at threshold %s', (threshold) => {
    let matched = 0;
    let compared = 0;
    for (let round = 0; round < 300; round++) {
      const source = random.pick(names);
      const pattern = normaliseText(withTypos(source, random.int(4), random)).slice(0, 3 + random.int(60));
      // Mostly unrelated names, and the typo'd one's source now and then.
      const docs = Array.from({ length: 30 }, () => ({ norm: random.chance(0.1) ? source : random.pick(names) }));
      const fuse = new Fuse(docs, { keys: ['norm'], includeScore: true, ignoreLocation: true, threshold });
      const hits = new Map(fuse.search(pattern).map((r) => [r.refIndex, r.score]));
      const chunks = fuseChunks(pattern);
      docs.forEach((doc, i) => {
        compared++;
        if (hits.has(i)) matched++;
        expect(predictFuseScore(chunks, doc.norm, threshold) >= 0, `${pattern} in ${doc.norm}`).toBe(hits.has(i));
        if (hits.has(i)) expect(predictFuseScore(chunks, doc.norm, threshold), `${pattern} in ${doc.norm}`).toBe(hits.get(i));
        else expect(predictFuseScore(chunks, doc.norm, threshold)).toBe(-1);
      });
    }
    // The sample must hold both answers in numbers, or the agreement says little.
    expect(matched).toBeGreaterThan(compared * 0.1);
    expect(matched).toBeLessThan(compared * 0.9);
  });
});
