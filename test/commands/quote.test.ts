import { describe, expect, it } from 'vitest';
import { QUOTES_PER_PAGE } from '../../src/commands/quote.js';
import { apologyReply } from '../../src/commands/router.js';
import type { Reply, ReplyQuote } from '../../src/replies/reply.js';
import { articleText, ask, expectProvenance, idsIn, kb, sourceOf } from './seed-router.js';

const label = (id: string) => kb.entities.find((e) => e.id === id)!.label;
const quotesBy = (id: string) => kb.quotes.filter((q) => q.speakerId === id);

/** The paragraph of an article file (read from disk) that holds these words, with the one before it. */
function paragraphWith(sourceId: string, words: string): string | undefined {
  const paragraphs = articleText(sourceId).split(/\n\s*\n/);
  const at = paragraphs.findIndex((p) => p.includes(words));
  // "…,” he added." continues the speaker the paragraph before named.
  return at < 0 ? undefined : paragraphs.slice(Math.max(0, at - 1), at + 1).join('\n\n');
}

/**
 * Each quote's words are verbatim in the article file of one of its sources (the wording shown
 * is the fullest, untranslated one, not necessarily the first source's), in a paragraph naming
 * the speaker or continuing the one before it that does.
 */
function expectVerbatim(reply: Reply, quote: ReplyQuote, speakerSurname: string): void {
  const sources = quote.cites.map((n) => sourceOf(reply.citations[n - 1]!));
  const source = sources.find((s) => articleText(s.id).includes(quote.text));
  expect(source, `“${quote.text}” verbatim in one of ${sources.map((s) => s.outlet).join(', ')}`).toBeDefined();
  expect(paragraphWith(source!.id, quote.text), `the paragraph of “${quote.text}” names ${speakerSurname}`).toContain(speakerSurname);
}

describe('/quote <person>', () => {
  it('/quote saleh → every quote of Amrullah Saleh, each verbatim in its article, each attributed to him', async () => {
    const r = await ask('/quote saleh');
    expect(r.kind).toBe('answer');
    expect(r.title).toBe('Quotes: Amrullah Saleh');
    const expected = quotesBy('amrullah-saleh').length;
    expect(expected).toBeGreaterThan(0);
    expect(r.quotes).toHaveLength(Math.min(expected, QUOTES_PER_PAGE));
    expect(r.summary).toBe(`${expected} quote${expected === 1 ? '' : 's'}.`);
    for (const q of r.quotes) {
      expect(q.speaker).toBe('Amrullah Saleh');
      expectVerbatim(r, q, 'Saleh');
    }
    expectProvenance(r);
  });

  it.each(['/quote mujahid', '/quote Zabiullah Mujahid', '/quote taliban spokesman', 'what did mujahid say?'])('%s → the Taliban spokesman’s quotes, verbatim and attributed to him', async (text) => {
    const r = await ask(text);
    expect(r.title).toBe('Quotes: Zabihullah Mujahid');
    expect(r.quotes).toHaveLength(quotesBy('zabihullah-mujahid').length);
    for (const q of r.quotes) {
      expect(q.speaker).toBe('Zabihullah Mujahid');
      expectVerbatim(r, q, 'Mujahid');
    }
    expectProvenance(r);
  });

  it('gives a quote two outlets reported once, with both sources and the other outlet’s own wording', async () => {
    const r = await ask('/quote mujahid');
    const both = r.quotes.filter((q) => q.cites.length === 2);
    expect(both.length).toBeGreaterThan(0);
    for (const q of both) {
      expect(q.note).toMatch(/^reported by 2 sources/);
      // The outlet whose words are not the ones shown has its own wording in the note.
      const second = q.cites.map((n) => sourceOf(r.citations[n - 1]!)).find((s) => !articleText(s.id).includes(q.text))!;
      expect(second, `one of the two outlets worded “${q.text}” otherwise`).toBeDefined();
      const wording = new RegExp(`${second.outlet.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: “([^”]+)”`).exec(q.note ?? '')?.[1];
      expect(wording, `the note of “${q.text}” keeps ${second.outlet}’s wording`).toBeDefined();
      expect(articleText(second.id)).toContain(wording);
    }
  });

  it('/quote massoud → the Massoud who was quoted (the son); the father is never quoted', async () => {
    const r = await ask('/quote massoud');
    expect(r.title).toBe(`Quotes: ${label('ahmad-massoud')}`);
    for (const q of r.quotes) {
      expect(q.speaker).toBe(label('ahmad-massoud'));
      expectVerbatim(r, q, 'Massoud');
    }
  });

  it('pages a speaker’s quotes from /who’s “More quotes” button', async () => {
    const who = await ask('/who saleh');
    const more = who.actions.find((a) => a.label.startsWith('More quotes'));
    expect(more?.command).toBe('/quote id:amrullah-saleh');
    const r = await ask(more!.command);
    expect(r.quotes.length).toBeGreaterThan(who.quotes.length);
  });

  it('a page past the end shows the last page', async () => {
    const r = await ask('/quote saleh page:99');
    expect(r.kind).toBe('answer');
    expect(r.quotes.length).toBeGreaterThan(0);
  });
});

describe('/quote for someone nobody quotes', () => {
  it.each(['/quote lion of panjshir', '/quote ahmad shah massoud', '/quote id:ahmad-shah-massoud'])('%s → clearly not quoted, with the people who are', async (text) => {
    const r = await ask(text);
    expect(r.kind).toBe('not-found');
    expect(r.title).toBe('Ahmad Shah Massoud is not quoted in the story.');
    expect(r.quotes).toEqual([]);
    const speakers = new Set(kb.quotes.map((q) => q.speakerId).filter((id): id is string => id !== null));
    expect(idsIn(r.suggestions).length).toBeGreaterThan(0);
    for (const id of idsIn(r.suggestions)) expect(speakers.has(id)).toBe(true);
  });

  it('never answers a named person with quotes that only share a word with the query', async () => {
    // "Our fighters are positioned near Panjshir" shares "panjshir" with the nickname: not his quote.
    const r = await ask('/quote lion of panjshir');
    expect(r.quotes).toEqual([]);
  });

  it('/quote bazarak → the place is not quoted and no quote mentions it', async () => {
    const r = await ask('/quote bazarak');
    expect(r.kind).toBe('not-found');
    expect(r.title).toBe('Bazarak is not quoted in the story.');
  });

  it('/quote taliban → quotes that mention the Taliban, saying the group itself is not quoted', async () => {
    const r = await ask('/quote taliban');
    expect(r.title).toBe('Quotes about Taliban');
    expect(r.summary).toMatch(/^Taliban is not quoted in the story; these quotes mention it\./);
    expect(r.quotes.length).toBeGreaterThan(0);
    for (const q of r.quotes) {
      const quote = kb.quotes.find((k) => k.text === q.text);
      expect(quote?.entities, q.text).toContain('taliban');
    }
    expectProvenance(r);
  });
});

describe('/quote <topic>', () => {
  it('/quote negotiations → the quotes with that word, each with its speaker', async () => {
    const r = await ask('/quote negotiations');
    expect(r.title).toBe('Quotes matching “negotiations”');
    expect(r.quotes.length).toBeGreaterThan(0);
    for (const q of r.quotes) expect(q.text.toLowerCase()).toContain('negotiations');
    expect(r.quotes.map((q) => q.speaker)).toContain(label('ahmad-massoud'));
    expectProvenance(r);
  });

  it('/quote zzzqqq → not found, naming the people who are quoted', async () => {
    const r = await ask('/quote zzzqqq');
    expect(r.kind).toBe('not-found');
    expect(r.title).toBe('No quotes by or about “zzzqqq”.');
    expect(r.summary).toMatch(/^People quoted in the story: /);
  });

  it('/quote resistance → quotes saying “resistance”, with buttons for the resistance’s quoted people', async () => {
    const r = await ask('/quote resistance');
    expect(r.title).toBe('Quotes matching “resistance”');
    expect(r.quotes.length).toBeGreaterThan(0);
    for (const q of r.quotes) expect(q.text.toLowerCase()).toContain('resistance');
    for (const id of idsIn(r.actions)) expect(quotesBy(id).length).toBeGreaterThan(0);
    expect(idsIn(r.actions)).toContain('ahmad-massoud');
  });

  it('asks whose quotes are meant when different names fit equally', async () => {
    const r = await ask('/quote abdullah');
    expect(r.kind).toBe('not-found');
    expect(r.title).toBe('Whose quotes do you mean by “abdullah”?');
    expect(idsIn(r.suggestions).sort()).toEqual(['amrullah-saleh', 'zabihullah-mujahid']);
    for (const s of r.suggestions) expect(s.command).toMatch(/^\/quote id:/);
  });
});

describe('hostile input to /quote', () => {
  it('no argument → the usage with examples', async () => {
    const r = await ask('/quote');
    expect(r.kind).toBe('usage');
    expect(r.title).toBe('Usage: /quote <person or topic>');
  });

  it.each(['<b>saleh</b>', '@everyone', '\u202Esaleh\u0000', 'صالح', 'x'.repeat(490), `${'saleh '.repeat(1000)}`])('“%s” never throws', async (query) => {
    const r = await ask(`/quote ${query}`);
    expect(r.title).not.toBe(apologyReply().title);
    expect(['answer', 'not-found', 'error']).toContain(r.kind);
  });

  it('reads the Dari spelling of Saleh and strips control characters around a name', async () => {
    expect((await ask('/quote صالح')).title).toBe('Quotes: Amrullah Saleh');
    expect((await ask('/quote \u202Esal\u0000eh')).title).toBe('Quotes: Amrullah Saleh');
  });
});
