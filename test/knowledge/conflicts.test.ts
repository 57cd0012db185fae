import { describe, expect, it } from 'vitest';
import { findConflicts } from '../../src/knowledge/conflicts.js';
import type { Conflict, Fact } from '../../src/knowledge/model.js';
import { analysisInputFor, findOne, FIXTURE_STORY, G1, JOURNAL, SEED_STORY } from './analysis-input.js';

const seed = analysisInputFor(SEED_STORY);

const conflictAbout = (conflicts: Conflict[], topic: RegExp): Conflict =>
  findOne(conflicts, (c) => topic.test(c.topic), `a conflict about ${topic}`);

describe('findConflicts on the seed reports', () => {
  const { conflicts } = findConflicts(seed);

  it('flags who killed Ahmad Shah Massoud: the Taliban (G1 caption) vs al-Qaeda (G1 body)', () => {
    const c = conflictAbout(conflicts, /^Who killed Ahmad Shah Massoud$/);
    expect(c.entities).toEqual(expect.arrayContaining(['ahmad-shah-massoud', 'taliban', 'al-qaeda']));
    expect(c.sides.map((s) => s.citation.sourceId)).toEqual([G1, G1]);
    expect(c.sides[0]!.statement).toMatch(/killed by the Taliban in 2001/);
    expect(c.sides[1]!.statement).toMatch(/murdered by al-Qaeda/);
  });

  it('flags Amrullah Saleh as first vice president (G1) vs former vice president (Journal)', () => {
    const c = conflictAbout(conflicts, /^Amrullah Saleh: current or former vice president/);
    expect(c.sides.map((s) => s.citation.sourceId)).toEqual([G1, JOURNAL]);
    expect(c.sides[0]!.statement).toMatch(/first vice president/);
    expect(c.sides[1]!.statement).toMatch(/^Former Afghan vice president/);
  });

  it('flags "encircled" (G1) vs "surrounded on three sides" (Journal)', () => {
    const c = conflictAbout(conflicts, /^How far: The Taliban/);
    expect(c.sides.map((s) => s.citation.sourceId)).toEqual([G1, JOURNAL]);
    expect(c.sides[1]!.statement).toMatch(/surrounded on three sides/);
  });

  it('finds nothing else: agreeing tellings are no conflict', () => {
    expect(conflicts).toHaveLength(3);
  });

  it('cites each side with its exact sentence', () => {
    const raw = new Map(seed.sources.map((s) => [s.id, s.raw]));
    for (const side of conflicts.flatMap((c) => c.sides)) {
      expect(raw.get(side.citation.sourceId)!.slice(side.citation.start, side.citation.end)).toBe(side.citation.text);
    }
  });

  it('links the facts on either side to the conflict', () => {
    const killing = conflictAbout(conflicts, /^Who killed/);
    const [caption, body] = killing.sides;
    const facts: Fact[] = [
      { id: 'f-caption', text: caption!.statement, entities: [], citations: [caption!.citation], rank: 'caption', conflicts: [] },
      { id: 'f-body', text: body!.statement, entities: [], citations: [body!.citation], rank: 'body', conflicts: [] },
      { id: 'f-other', text: 'unrelated', entities: [], citations: [{ sourceId: G1, start: 0, end: 5, text: 'Talib' }], rank: 'body', conflicts: [] },
    ];
    const result = findConflicts({ ...seed, facts });
    const id = conflictAbout(result.conflicts, /^Who killed/).id;
    expect(result.factConflicts.get('f-caption')).toEqual([id]);
    expect(result.factConflicts.get('f-body')).toEqual([id]);
    expect(result.factConflicts.has('f-other')).toBe(false);
    expect(conflictAbout(result.conflicts, /^Who killed/).sides.map((s) => s.factId)).toEqual(['f-caption', 'f-body']);
  });
});

describe('findConflicts on an article it has never seen', () => {
  const { conflicts } = findConflicts(analysisInputFor(FIXTURE_STORY));

  it('finds the same kinds of disagreement in other words', () => {
    expect(conflictAbout(conflicts, /^Who killed Ahmad Shah Massoud$/).sides.map((s) => s.statement)).toEqual([
      expect.stringMatching(/assassinated by al-Qaeda/),
      expect.stringMatching(/killed by the Taliban/),
    ]);
    expect(conflictAbout(conflicts, /^Amrullah Saleh: current or former vice president/).sides).toHaveLength(2);
  });

  it('returns nothing for an empty story', () => {
    const empty = findConflicts({ sources: [], sentences: [], mentions: [], entities: [], facts: [], quotes: [] });
    expect(empty.conflicts).toEqual([]);
    expect(empty.factConflicts.size).toBe(0);
  });
});
