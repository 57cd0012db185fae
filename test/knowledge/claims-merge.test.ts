/**
 * Claims merge only what says the same thing: the same party, the same proposition, at times
 * that can meet; a denial is attached to what it denies. Every report here is invented.
 */
import { describe, expect, it } from 'vitest';
import type { Claim } from '../../src/knowledge/model.js';
import { inventedArticle, seedStoryWith } from './seed.js';

const kb = seedStoryWith([
  // The same party claims two captures a fortnight apart: two claims.
  inventedArticle('m1', '2021-08-20', 'The Taliban said they had captured two villages near Gulbahar.\n'),
  inventedArticle('m2', '2021-09-03', 'The Taliban said they had captured the villages around Gulbahar and the main road.\n'),
  // A claimant named by whom it fights is not that party.
  inventedArticle('m3', '2021-09-03', 'Volunteers fighting the Taliban in Andarab said they had captured two checkpoints.\n'),
  // "such claims" answers the claim its own report has just told.
  inventedArticle(
    'm4',
    '2021-09-04',
    'Reports have emerged that the district centre of Rukha had fallen overnight.\n\nHowever, the resistance denied such claims.\n',
  ),
  // A denial that names the reports it denies holds them as its claim.
  inventedArticle('m5', '2021-09-04', 'A resistance spokesman on Friday dismissed reports that the commander had fled to Tajikistan.\n'),
  // "the rebels' claims" are the rebels', not the sentence subject's.
  inventedArticle('m6', '2021-09-08', 'The Taliban conceded the rebels’ claims that fighting went on in the side valleys.\n'),
]);

const citing = (sourceId: string): Claim[] => kb.claims.filter((c) => c.citations.some((x) => x.sourceId === sourceId));

describe('claims that merge only what says the same thing', () => {
  it('keeps a claim of the same party a fortnight later as a claim of its own', () => {
    const first = citing('m1');
    expect(first).toHaveLength(1);
    expect(first[0]!.citations.map((c) => c.sourceId)).toEqual(['m1']);
    expect(citing('m2')[0]!.citations.map((c) => c.sourceId)).toEqual(['m2']);
  });

  it('does not take "volunteers fighting the Taliban" for the Taliban', () => {
    const c = citing('m3');
    expect(c).toHaveLength(1);
    expect(c[0]!.claimant.entityId).not.toBe('taliban');
    expect(c[0]!.citations.map((x) => x.sourceId)).toEqual(['m3']);
  });

  it('attaches "denied such claims" to the claim its report has just told', () => {
    const c = citing('m4');
    expect(c).toHaveLength(1);
    expect(c[0]!.statement).toMatch(/Rukha had fallen/u);
    expect(c[0]!.counterClaims.flatMap((cc) => cc.citations.map((x) => x.text))).toEqual(['However, the resistance denied such claims.']);
    expect(kb.claims.filter((x) => x.counterClaims.some((cc) => cc.citations.some((y) => y.sourceId === 'm4')) && !citing('m4').includes(x))).toEqual([]);
  });

  it('holds the reports a denial names as the claim it denies', () => {
    const c = citing('m5');
    expect(c).toHaveLength(1);
    expect(c[0]!.statement).toMatch(/^the commander had fled to Tajikistan/u);
    expect(c[0]!.counterClaims.map((cc) => cc.claimant.text)).toEqual(['A resistance spokesman']);
    expect(c[0]!.verification.status).toBe('disputed');
  });

  it('credits "the rebels’ claims" to the rebels', () => {
    const c = citing('m6');
    expect(c.map((x) => x.claimant.text)).toEqual(['the rebels']);
  });
});
