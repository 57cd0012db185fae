import { describe, expect, it } from 'vitest';
import { extractClaims, verificationWording } from '../../src/knowledge/claims.js';
import type { Claim } from '../../src/knowledge/model.js';
import { analysisInputFor, findOne, FIXTURE_STORY, G1, JOURNAL, SEED_STORY } from './analysis-input.js';

const seed = analysisInputFor(SEED_STORY);
const claims = extractClaims(seed);

const claimThat = (list: Claim[], pattern: RegExp): Claim =>
  findOne(list, (c) => pattern.test(c.statement), `a claim matching ${pattern}`);

describe('extractClaims on the seed reports', () => {
  it('finds the Taliban claim of encircling Panjshir, told by both outlets, unverified', () => {
    const c = claimThat(claims, /encircled the Panjshir Valley/);
    expect(c.claimant).toEqual({ text: 'The Taliban', entityId: 'taliban' });
    expect(c.citations.map((x) => x.sourceId)).toEqual([G1, JOURNAL, JOURNAL]);
    expect(c.citations.some((x) => /surrounded on three sides/.test(x.text))).toBe(true);
    expect(c.verification.status).toBe('unverified');
    expect(c.verification.citations.map((x) => x.text).join(' ')).toMatch(/impossible to independently verify/);
    expect(c.date).toMatchObject({ start: '2021-08-23', precision: 'day' });
  });

  it('finds the retaking of three Baghlan districts as a claim of its own', () => {
    const c = claimThat(claims, /regained control of three districts/);
    expect(c.claimant.entityId).toBe('taliban');
    expect(c.entities).toContain('baghlan');
  });

  it('pairs the pro-Taliban accounts’ massing claim with both resistance denials: disputed', () => {
    const c = claimThat(claims, /fighters were on their way/);
    expect(c.claimant.text).toBe('pro-Taliban Twitter accounts');
    expect(c.claimant.entityId).toBeUndefined();
    expect(c.citations.map((x) => x.sourceId)).toEqual([G1, JOURNAL]);
    expect(c.verification.status).toBe('disputed');
    expect(c.counterClaims.map((k) => k.statement)).toEqual([
      expect.stringMatching(/^deny any advance by the Taliban/),
      expect.stringMatching(/ambushed and routed/),
    ]);
    expect(c.counterClaims[0]!.claimant.text).toBe('supporters of the resistance in Panjshir');
  });

  it('marks the reports of clashes unconfirmed, as G1 words it', () => {
    const c = claimThat(claims, /reports of clashes/);
    expect(c.verification.status).toBe('unconfirmed');
    expect(c.citations.map((x) => x.sourceId).sort()).toEqual([G1, JOURNAL]);
    expect(c.verification.citations[0]!.text).toMatch(/Unconfirmed reports/);
  });

  it('finds Saleh’s claim to be the legitimate interim president', () => {
    const c = claimThat(claims, /legitimate interim president/);
    expect(c.claimant.entityId).toBe('amrullah-saleh');
    expect(c.statement).toMatch(/^he is the country/);
  });

  it('takes intentions for quotes, not claims', () => {
    expect(claims.some((c) => /under no circumstances|hopes to maintain|wants to negotiate|prepared for/.test(c.statement))).toBe(false);
  });

  it('cites exact sentence spans of the raw text', () => {
    const raw = new Map(seed.sources.map((s) => [s.id, s.raw]));
    const all = claims.flatMap((c) => [...c.citations, ...c.verification.citations, ...c.counterClaims.flatMap((k) => k.citations)]);
    expect(all.length).toBeGreaterThan(10);
    for (const x of all) expect(raw.get(x.sourceId)!.slice(x.start, x.end)).toBe(x.text);
  });
});

describe('extractClaims on an article it has never seen', () => {
  const fixture = analysisInputFor(FIXTURE_STORY);
  const found = extractClaims(fixture);

  it('pairs the Taliban capture claim with the resistance denial', () => {
    const c = claimThat(found, /captured the Panjshir Valley/);
    expect(c.claimant.entityId).toBe('taliban');
    expect(c.verification.status).toBe('disputed');
    expect(c.counterClaims[0]!.claimant).toEqual({ text: 'The National Resistance Front', entityId: 'national-resistance-front' });
  });

  it('applies the article’s "could not be independently verified" to its other claims', () => {
    const c = claimThat(found, /taken the provincial capital Bazarak/);
    expect(c.claimant.entityId).toBe('zabihullah-mujahid');
    expect(c.verification).toMatchObject({ status: 'unverified' });
    expect(c.verification.citations[0]!.text).toMatch(/could not be independently verified/);
  });

  it('reads "according to" attributions and their own "unconfirmed"', () => {
    expect(claimThat(found, /Heavy fighting broke out/).claimant.text).toBe('residents who fled');
    const fled = claimThat(found, /fled to Tajikistan/);
    expect(fled.claimant.text).toBe('unconfirmed reports');
    expect(fled.verification.status).toBe('unconfirmed');
  });
});

describe('verificationWording', () => {
  it.each([
    ['Claims from either side were impossible to independently verify', 'unverified', 'impossible to independently verify'],
    ['reports are difficult to confirm with independent sources', 'unverified', 'difficult to confirm'],
    ['The claims could not be independently verified', 'unverified', 'could not be independently verified'],
    ['Unconfirmed reports of clashes', 'unconfirmed', 'Unconfirmed'],
    ['The deaths were independently confirmed', 'confirmed', 'independently confirmed'],
  ])('%s → %s', (text, status, words) => {
    expect(verificationWording(text)).toEqual({ status, words });
  });

  it('gives nothing for an ordinary sentence', () => {
    expect(verificationWording('The valley is guarded by a narrow gorge.')).toBeUndefined();
  });

  it('returns no claims for an empty story', () => {
    expect(extractClaims({ sources: [], sentences: [], mentions: [], entities: [], facts: [], quotes: [] })).toEqual([]);
  });
});
