import { describe, expect, it } from 'vitest';
import { FACTS_PER_PAGE } from '../../src/commands/search.js';
import { apologyReply } from '../../src/commands/router.js';
import type { Reply } from '../../src/replies/reply.js';
import { ask, expectProvenance, folded, sourceOf } from './seed-router.js';

const results = (r: Reply) => r.sections.flatMap((s) => s.lines);

/** Each result is a sentence of one of the articles it cites (whitespace aside). */
function expectSentencesOfTheirSources(r: Reply): void {
  for (const line of results(r)) {
    const articles = line.cites.map((n) => folded(sourceOf(r.citations[n - 1]!).raw));
    expect(articles.some((a) => a.includes(folded(line.text))), line.text).toBe(true);
  }
}

describe('/search', () => {
  it('/search soviet armored carcasses → the sentence about the carcasses first, every result cited', async () => {
    const r = await ask('/search soviet armored carcasses');
    expect(r.kind).toBe('answer');
    expect(r.title).toBe('Facts matching “soviet armored carcasses”');
    expect(results(r)[0]?.text).toMatch(/littered with Soviet armored carcasses/);
    expectProvenance(r);
    expectSentencesOfTheirSources(r);
  });

  it('/search districts baghlan → the districts the Taliban retook, and every result has one of the words', async () => {
    const r = await ask('/search districts baghlan');
    const texts = results(r).map((l) => l.text);
    expect(texts).toContainEqual(expect.stringMatching(/^The repossessed districts are Bano, Deh Saleh and Pul e-Hesar/));
    for (const text of texts) expect(text).toMatch(/district|baghlan/i);
    expectProvenance(r);
    expectSentencesOfTheirSources(r);
  });

  it('a plain question in a private chat is a search', async () => {
    const direct = await ask('/search soviet armored carcasses');
    const asked = await ask('soviet armored carcasses?');
    expect(asked.title).toBe(direct.title);
    expect(results(asked).map((l) => l.text)).toEqual(results(direct).map((l) => l.text));
  });

  it(`pages ${FACTS_PER_PAGE} facts at a time with a “More results” button, each page different`, async () => {
    const first = await ask('/search taliban');
    expect(results(first)).toHaveLength(FACTS_PER_PAGE);
    const more = first.actions.find((a) => a.label === 'More results');
    expect(more?.command).toBe('/search taliban page:2');
    const second = await ask(more!.command);
    expect(second.sections[0]?.label).toBe('Results, page 2');
    const firstTexts = new Set(results(first).map((l) => l.text));
    for (const line of results(second)) expect(firstTexts.has(line.text)).toBe(false);
    expectProvenance(second);
  });

  it('a page past the end shows the last page instead of claiming nothing matches', async () => {
    const r = await ask('/search taliban page:999');
    expect(r.kind).toBe('answer');
    expect(results(r).length).toBeGreaterThan(0);
    expect(r.sections[0]?.label).toMatch(/^Results, page \d+$/);
    expect(r.actions.find((a) => a.label === 'More results')).toBeUndefined();
  });
});

describe('/search when nothing matches', () => {
  it('nonsense → not found, with what to try next and no invented suggestion', async () => {
    const r = await ask('/search xqzvbnm flurble');
    expect(r.kind).toBe('not-found');
    expect(r.title).toBe('Nothing in the story matches “xqzvbnm flurble”.');
    expect(r.summary).toBe('Try fewer or different words, or /sources to see what the bot knows.');
    expect(r.suggestions).toEqual([]);
    expect(r.sections).toEqual([]);
  });

  it('words that match no fact offer no unrelated names (“@everyone”, “pizza”)', async () => {
    for (const words of ['@everyone', 'pizza']) {
      const r = await ask(`/search ${words}`);
      expect(r.kind).toBe('not-found');
      expect(r.suggestions).toEqual([]);
    }
  });
});

describe('hostile input to /search', () => {
  it('no argument → the usage with examples', async () => {
    const r = await ask('/search');
    expect(r.kind).toBe('usage');
    expect(r.title).toBe('Usage: /search <words>');
  });

  it('a 5,000-character search → a clear “too long” reply', async () => {
    const r = await ask(`/search ${'panjshir '.repeat(560)}`);
    expect(r.kind).toBe('error');
    expect(r.title).toMatch(/too long/);
  });

  it.each(['@here massoud', '<script>alert(1)</script> panjshir', '\u202Epanjshir\u0007', 'دره پنجشیر', '(((', '"unclosed', '*'.repeat(200)])('“%s” never throws', async (words) => {
    const r = await ask(`/search ${words}`);
    expect(r.title).not.toBe(apologyReply().title);
    expect(['answer', 'not-found']).toContain(r.kind);
    if (r.kind === 'answer') expectProvenance(r);
  });

  it('a query over 40 characters: “More results” carries it whole, and page 2 is the real page 2', async () => {
    const query = 'taliban resistance panjshir valley forces fighters';
    expect(query.length).toBeGreaterThan(40);
    const first = await ask(`/search ${query}`);
    expect(first.actions).toEqual([{ label: 'More results', command: `/search ${query} page:2` }]);
    const second = await ask(first.actions[0]!.command, { followUp: true });
    expect(second.sections[0]?.label).toBe('Results, page 2');
    const one = results(first).map((l) => l.text);
    const two = results(second).map((l) => l.text);
    expect(two.length).toBeGreaterThan(0);
    expect(two.filter((t) => one.includes(t))).toEqual([]);
  });

  it('page:-5 is the first page and page:999999999999 the last, never words to search for', async () => {
    const query = 'taliban resistance panjshir valley forces fighters';
    const first = await ask(`/search ${query}`);
    const negative = await ask(`/search ${query} page:-5`);
    expect(negative.title).toBe(first.title);
    expect(results(negative)).toEqual(results(first));
    const huge = await ask(`/search ${query} page:999999999999`);
    expect(huge.title).toBe(first.title);
    expect(huge.sections[0]?.label).toMatch(/^Results, page \d+$/);
    expect(huge.actions).toEqual([]);
  });
});
