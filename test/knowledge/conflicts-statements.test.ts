/**
 * Conflicts are raised between statements, not between every sentence that mentions someone:
 * one side per report, a title's change over time is history, and a dead man's old rank is no
 * disagreement. Every report here is invented.
 */
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/knowledge/articles.js';
import { inventedArticle, seedStoryWith } from './seed.js';

const build = seedStoryWith;

/** Title conflicts with a side in the invented reports (the seed reports have one of their own). */
const titles = (articles: Article[]) =>
  build(articles).conflicts.filter((c) => /current or former/u.test(c.topic) && c.sides.some((s) => /^t\d$/u.test(s.citation.sourceId)));

describe('a title told current by one report and former by another', () => {
  it('is history, not a conflict, when the "former" report comes later', () => {
    expect(
      titles([
        inventedArticle('t1', '2021-08-10', 'Amrullah Saleh, the first vice president, met elders in Bazarak.\n'),
        inventedArticle('t2', '2021-08-30', 'Former vice president Amrullah Saleh left the valley.\n'),
      ]),
    ).toEqual([]);
  });

  it('is a conflict when a report calls him current after another called him former, one side per report', () => {
    const found = titles([
      inventedArticle('t3', '2021-08-20', 'Former vice president Amrullah Saleh spoke to elders.\n\nFormer vice president Amrullah Saleh then left for the valley.\n'),
      inventedArticle('t4', '2021-08-21', 'Amrullah Saleh, the first vice president, met elders in Bazarak.\n\nAmrullah Saleh, the first vice president, later toured the valley.\n'),
    ]);
    expect(found).toHaveLength(1);
    const ours = found[0]!.sides.map((s) => s.citation.sourceId).filter((id) => /^t\d$/u.test(id));
    expect(ours).toEqual(['t4', 't3']);
  });

  it('counts "vice president of the ousted government" as a former title', () => {
    expect(
      titles([
        inventedArticle('t5', '2021-09-20', 'Former vice president Amrullah Saleh spoke to elders.\n'),
        inventedArticle('t6', '2021-09-21', 'Amrullah Saleh, the first vice president of the ousted government, met elders.\n'),
      ]),
    ).toEqual([]);
  });

  it('raises none about a man the story reports dead ("former commander" of the late commander)', () => {
    expect(
      titles([
        inventedArticle('t7', '2021-08-20', 'The late commander Ahmad Shah Massoud is buried in Bazarak.\n\nFormer commander Ahmad Shah Massoud led the fight in the 1980s.\n'),
        inventedArticle('t8', '2021-08-21', 'Ahmad Massoud, son of the rebel commander Ahmad Shah Massoud, spoke on Sunday.\n'),
      ]),
    ).toEqual([]);
  });
});
