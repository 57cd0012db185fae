import { describe, expect, it } from 'vitest';
import { claimsCommand } from '../../src/commands/claims.js';
import { CONTEXT, knowledge } from './seed-router.js';

const claims = claimsCommand({ knowledge });
const run = async (text: string) => claims.run({ text }, CONTEXT);

describe('/claims', () => {
  it('shows each claim with its claimant, counter-claims and plain verification status', async () => {
    const r = await run('');
    expect(r.kind).toBe('answer');
    const texts = r.sections.find((s) => s.label === 'Claims')!.lines.map((l) => l.text);
    expect(texts[0]).toMatch(/^Claimed by The Taliban: it has encircled the Panjshir Valley/);
    expect(texts[1]).toBe(
      '↳ Verification: unverified — “difficult to confirm” (G1 (Globo)), “impossible to independently verify” (TheJournal.ie)',
    );
    const first = r.sections[0]!.lines[0]!;
    expect(first.note).toBe('unverified');
    expect(first.cites).toEqual([1, 2]);
  });

  it('pairs a disputed claim with who disputes it', async () => {
    const r = await run('page:2');
    const lines = r.sections.find((s) => s.label === 'Claims')!.lines;
    const at = lines.findIndex((l) => /^Claimed by pro-Taliban Twitter accounts:/.test(l.text));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at]!.note).toBe('disputed');
    expect(lines[at + 1]!.text).toMatch(/^↳ supporters of the resistance in Panjshir: deny any advance/);
    expect(lines[at + 1]!.note).toBe('counter-claim');
    expect(lines[at + 3]!.text).toMatch(/^↳ Verification: disputed by supporters of the resistance in Panjshir; Pro-resistance accounts/);
  });

  it('lists the conflicting reports side by side with their outlets on the first page', async () => {
    const r = await run('');
    const conflicts = r.sections.find((s) => s.label === 'Conflicting reports')!.lines;
    const at = conflicts.findIndex((l) => l.text === 'Who killed Ahmad Shah Massoud');
    expect(conflicts[at + 1]!.text).toMatch(/^G1 \(Globo\): .*killed by the Taliban/);
    expect(conflicts[at + 2]!.text).toMatch(/^G1 \(Globo\): .*murdered by al-Qaeda/);
    expect(conflicts.map((l) => l.text)).toContainEqual(expect.stringMatching(/^TheJournal\.ie: Former Afghan vice president Amrullah Saleh/));
  });

  it('keeps a topic’s claims and conflicts', async () => {
    const r = await run('saleh');
    expect(r.title).toBe('Claims: Amrullah Saleh');
    const all = r.sections.flatMap((s) => s.lines.map((l) => l.text));
    expect(all).toContainEqual(expect.stringMatching(/legitimate interim president/));
    expect(all).toContain('Amrullah Saleh: current or former vice president?');
    expect(all.some((t) => /Who killed/.test(t))).toBe(false);
  });

  it('says not-found with the closest names for a topic that matches no name', async () => {
    const r = await run('Kabul airport');
    expect(r.kind).toBe('not-found');
    expect(r.title).toContain('Kabul airport');
    expect(r.suggestions.map((s) => s.command)).toContain('/claims id:kabul');
  });

  it('offers all claims when a known topic has none', async () => {
    const r = await run('id:bernard-henri-levy');
    expect(r.kind).toBe('not-found');
    expect(r.title).toBe('No contested claims about Bernard-Henri Lévy.');
    expect(r.suggestions[0]).toEqual({ label: 'All claims', command: '/claims' });
  });

  it('resolves a misspelt topic before saying it has no claims', async () => {
    const r = await run('Kabool');
    expect(r.kind).toBe('not-found');
    expect(r.title).toBe('No contested claims about Kabul.');
  });
});
