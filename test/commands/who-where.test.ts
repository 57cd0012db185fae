import { describe, expect, it } from 'vitest';
import { NATIVE_SPELLING_NOTE } from '../../src/commands/entity-answer.js';
import { apologyReply } from '../../src/commands/router.js';
import type { Reply } from '../../src/replies/reply.js';
import { allText, ask, expectProvenance, folded, idsIn, kb, sourceOf } from './seed-router.js';

const SON = 'ahmad-massoud';
const FATHER = 'ahmad-shah-massoud';
const SALEH = 'amrullah-saleh';

const entity = (id: string) => {
  const found = kb.entities.find((e) => e.id === id);
  if (found === undefined) throw new Error(`no entity ${id} in the seed registry`);
  return found;
};

/** The entity an answer is about: its title starts with the entity's label and an em dash. */
const titleOf = (id: string) => new RegExp(`^${entity(id).label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( — |$)`);

const nativeSpellings = (id: string) => entity(id).aliases.filter((a) => /[\u0600-\u06FF]/.test(a));

describe('/who tells the two Massouds apart', () => {
  it('answers “massoud” with the most mentioned Massoud, names both with their roles, and puts the other one a button away', async () => {
    const r = await ask('/who massoud');
    expect(r.kind).toBe('answer');
    expect(r.title).toMatch(titleOf(SON));
    // Not a silent guess: the summary says the name fits two people and tells them apart by role.
    expect(r.summary).toContain('“massoud” fits 2 people');
    expect(r.summary).toContain(`${entity(SON).label}, ${entity(SON).role}`);
    expect(r.summary).toContain(`${entity(FATHER).label}, ${entity(FATHER).role}`);
    expect(r.summary).toContain('killed 2001');
    expect(idsIn(r.actions)).toContain(FATHER);
    expect(r.actions.find((a) => a.command === `/who id:${FATHER}`)?.label).toContain(entity(FATHER).label);
  });

  it('answers with both: the other Massoud is introduced too, with his own cited description', async () => {
    const r = await ask('/who massoud');
    const [first] = r.sections;
    expect(first?.lines).toHaveLength(1);
    expect(first?.lines[0]?.text).toBe(`${entity(FATHER).label} — ${entity(FATHER).description}`);
    const cite = first?.lines[0]?.cites[0];
    const source = r.citations[(cite ?? 0) - 1];
    const father = kb.sources.find((s) => s.id === entity(FATHER).descriptionCitation.sourceId);
    expect(source?.outlet).toBe(father?.outlet);
    // The son's description keeps its own citation marks, after the note.
    expect(r.summary?.endsWith(entity(SON).description)).toBe(true);
    expect(r.summaryCites?.length).toBeGreaterThan(0);
  });

  it('a name that fits one entity has no “other one” section', async () => {
    const r = await ask('/who amrullah saleh');
    expect(r.sections.map((s) => s.label)).not.toContain('The other one');
  });

  it('answers the other Massoud when his button is pressed, with a button back', async () => {
    const first = await ask('/who massoud');
    const other = first.actions.find((a) => a.command.includes(FATHER));
    const r = await ask(other!.command);
    expect(r.title).toMatch(titleOf(FATHER));
    expect(idsIn(r.actions)).not.toContain(FATHER);
  });

  it.each([
    ['/who ahmad massoud', SON],
    ['/who Ahmed Massoud', SON],
    ['/who massoud son', SON],
    ['/who son of massoud', SON],
    ["/who massoud's son", SON],
    ['/who massoud father', FATHER],
    ['/who father of ahmad massoud', FATHER],
    ['/who ahmad shah massoud', FATHER],
    ['/who "lion of panjshir"', FATHER],
    ['/who Lion of Panjsher', FATHER],
    ['who is the lion of panjshir?', FATHER],
  ])('%s → the one meant, without the “fits 2 people” note', async (text, id) => {
    const r = await ask(text);
    expect(r.kind).toBe('answer');
    expect(r.title).toMatch(titleOf(id));
    expect(r.summary).not.toContain('fits 2 people');
  });

  it.each(['masood', 'Masud', 'masoud', 'massod'])('reads the transliteration or typo “%s” as the name Massoud: the same answer as “massoud”', async (spelling) => {
    const reference = await ask('/who massoud');
    const r = await ask(`/who ${spelling}`);
    expect(r.title).toBe(reference.title);
    expect(r.summary).toContain(`“${spelling}” fits 2 people`);
    expect(idsIn(r.actions)).toContain(FATHER);
  });

  it('understands the registry’s Dari spellings, and shows them on the answer marked as coming from the registry', async () => {
    const [sonDari] = nativeSpellings(SON);
    const [fatherDari] = nativeSpellings(FATHER);
    expect(sonDari).toBeDefined();
    expect(fatherDari).toBeDefined();
    const son = await ask(`/who ${sonDari}`);
    expect(son.title).toMatch(titleOf(SON));
    const father = await ask(`/who ${fatherDari}`);
    expect(father.title).toMatch(titleOf(FATHER));
    const native = father.sections.flatMap((s) => s.lines).find((l) => l.text.startsWith('Native spelling'));
    expect(native?.text).toContain(fatherDari);
    expect(native?.note).toBe(NATIVE_SPELLING_NOTE);
  });

  it('asks back instead of guessing when different names fit equally (“ahmad”)', async () => {
    const r = await ask('/who ahmad');
    expect(r.kind).toBe('not-found');
    expect(r.title).toBe('Which one do you mean by “ahmad”?');
    expect(idsIn(r.suggestions).sort()).toEqual([SON, FATHER].sort());
    expect(r.sections).toEqual([]);
  });

  it('lists other names only when the sources used them, with the outlets that did', async () => {
    const r = await ask(`/who id:${FATHER}`);
    const called = r.sections.flatMap((s) => s.lines).find((l) => l.text.startsWith('Also called'));
    expect(called?.text).toContain('Ahmed Shah Massoud (TheJournal.ie)');
    expect(called?.text).toContain('Lion of Panjshir (G1 (Globo))');
    // "Massoud’s father" points at him in G1 but is no name of his.
    expect(called?.text).not.toMatch(/father/);
  });
});

describe('/who for other people', () => {
  it.each([
    ['/who amrullah saleh', SALEH],
    ['/who saleh', SALEH],
    ['/who salhe', SALEH],
    ['/who Amrollah Salih', SALEH],
    ['/who taliban spokesman', 'zabihullah-mujahid'],
    ['/who mujahid', 'zabihullah-mujahid'],
    ['/who nazari', 'ali-maisam-nazary'],
    ['/who NRF', 'national-resistance-front'],
  ])('%s → the one meant, typo and transliteration forgiven', async (text, id) => {
    const r = await ask(text);
    expect(r.kind).toBe('answer');
    expect(r.title).toMatch(titleOf(id));
  });

  it('gives role, description, links, facts, quotes and sources of Amrullah Saleh', async () => {
    const r = await ask('/who amrullah saleh');
    expect(r.title).toBe(`${entity(SALEH).label} — ${entity(SALEH).role}`);
    expect(r.summary).toBe(entity(SALEH).description);
    const lines = r.sections.flatMap((s) => s.lines.map((l) => l.text));
    expect(lines).toContain('Leads National Resistance Front');
    expect(r.sections.map((s) => s.label)).toContain('Key facts');
    expect(r.quotes.length).toBeGreaterThan(0);
    for (const q of r.quotes) expect(q.speaker).toBe(entity(SALEH).label);
    expect(r.citations.length).toBeGreaterThan(0);
  });

  it('offers no “Not this one?” place for a person asked by full name (/who amrullah saleh is not Deh Saleh)', async () => {
    const r = await ask('/who amrullah saleh');
    expect(idsIn(r.actions)).not.toContain('deh-saleh');
  });
});

describe('/where', () => {
  it.each(['/where panjshir', '/where panjsher', '/where Panjshir Valley', "where's panjshir?"])('%s → the province, where it lies and what happened there, every line cited', async (text) => {
    const r = await ask(text);
    expect(r.kind).toBe('answer');
    expect(r.title).toMatch(titleOf('panjshir'));
    const where = r.sections.find((s) => s.label === 'Where it lies')?.lines.map((l) => l.text) ?? [];
    expect(where).toEqual(expect.arrayContaining(['In Afghanistan', 'Capital: Bazarak', 'Borders Baghlan']));
    const facts = r.sections.find((s) => s.label === 'Key facts')?.lines ?? [];
    expect(facts.length).toBeGreaterThan(0);
    expect(r.sections.map((s) => s.label)).toContain('What happened here');
    expectProvenance(r);
  });

  it('/where panjshir offers no person as “Not this one?” (the Lion of Panjshir is no other Panjshir)', async () => {
    const r = await ask('/where panjshir');
    expect(r.actions.filter((a) => a.label.startsWith('Not this one?'))).toEqual([]);
  });

  it('a key fact of /where panjshir is a sentence of the article it cites', async () => {
    const r = await ask('/where panjshir');
    for (const line of r.sections.find((s) => s.label === 'Key facts')!.lines) {
      const articles = line.cites.map((n) => folded(sourceOf(r.citations[n - 1]!).raw));
      expect(articles.some((a) => a.includes(folded(line.text))), line.text).toBe(true);
    }
  });

  it('/where saleh → the district Deh Saleh, with the vice president one button away', async () => {
    const r = await ask('/where saleh');
    expect(r.title).toMatch(titleOf('deh-saleh'));
    expect(r.actions.find((a) => a.command === `/who id:${SALEH}`)).toBeDefined();
  });

  it('/where for a person says it is a person and answers who that is, instead of pretending it is a place', async () => {
    const r = await ask('/where amrullah saleh');
    expect(r.kind).toBe('answer');
    expect(r.title).toMatch(titleOf(SALEH));
    expect(r.summary).toContain('is a person, not a place');
    expect(r.summary).toContain('/who Amrullah Saleh');
  });

  it('/where massoud says no place has that name and tells the two people apart', async () => {
    const r = await ask('/where massoud');
    expect(r.summary).toContain('“massoud” is no place in the story: it fits 2 people');
    expect(r.summary).not.toMatch(/\bplaces\b/);
    expect(idsIn(r.actions)).toContain(FATHER);
    expect(r.actions.find((a) => a.command.includes(FATHER))?.command).toMatch(/^\/who /);
  });

  it('/who panjshir asks whether the place or the Lion of Panjshir is meant, each with its own command', async () => {
    const r = await ask('/who panjshir');
    expect(r.title).toBe('Which one do you mean by “panjshir”?');
    expect(r.summary).toContain('a place and a person');
    expect(r.suggestions).toEqual(
      expect.arrayContaining([
        { label: 'Panjshir', command: '/where id:panjshir' },
        { label: entity(FATHER).label, command: `/who id:${FATHER}` },
      ]),
    );
  });

  it('understands the Dari spelling of Panjshir', async () => {
    const [dari] = nativeSpellings('panjshir');
    const r = await ask(`/where ${dari}`);
    expect(r.title).toMatch(titleOf('panjshir'));
  });
});

describe('provenance of /who and /where', () => {
  it.each(['/who massoud', '/who lion of panjshir', '/who saleh', '/who mujahid', '/who nazary', '/who taliban', '/where panjshir', '/where bazarak', '/where baghlan'])(
    '%s: every fact, link, event, claim and quote line cites a numbered source with outlet and date',
    async (text) => {
      const r = await ask(text);
      expect(r.kind).toBe('answer');
      expectProvenance(r);
    },
  );

  it('cites the conflicting reports’ topic line with the sources of its sides', async () => {
    const r = await ask(`/who id:${FATHER}`);
    const lines = r.sections.find((s) => s.label === 'Conflicting reports')?.lines ?? [];
    const topic = lines.find((l) => l.note === 'conflicting reports');
    expect(topic?.text).toBe('Who killed Ahmad Shah Massoud');
    expect(topic?.cites.length).toBeGreaterThan(0);
  });
});

describe('/who and /where when nothing fits', () => {
  it('/who zzzqqq → not found, no suggestions, and a pointer to /search', async () => {
    const r = await ask('/who zzzqqq');
    expect(r.kind).toBe('not-found');
    expect(r.title).toBe('No person or organisation matches “zzzqqq”.');
    expect(r.suggestions).toEqual([]);
    expect(r.summary).toContain('/search zzzqqq');
  });

  it('offers “did you mean” for a near miss, the best-fitting name first', async () => {
    const r = await ask('/who nazary spokesman');
    expect(r.kind).toBe('not-found');
    expect(r.summary).toMatch(/^Did you mean Ali Maisam Nazary/);
    expect(r.suggestions[0]).toEqual({ label: 'Ali Maisam Nazary', command: '/who id:ali-maisam-nazary' });
  });

  it('offers the vice president for “saleh vice president”, not the district named Saleh', async () => {
    const r = await ask('/who saleh vice president');
    expect(idsIn(r.suggestions)).toEqual([SALEH]);
  });

  it.each(['bananas', 'obama', 'the weather in paris', 'ghani', 'karzai', '@everyone', '||spoiler||', 'id:../../etc'])(
    '/who %s → no wild guess: neither an answer nor an unrelated suggestion',
    async (query) => {
      const r = await ask(`/who ${query}`);
      expect(r.kind).toBe('not-found');
      expect(r.suggestions).toEqual([]);
    },
  );

  it('/where zzzqqq says no place matches', async () => {
    const r = await ask('/where zzzqqq');
    expect(r.kind).toBe('not-found');
    expect(r.title).toBe('No place matches “zzzqqq”.');
  });

  it('an id from an old button that no longer exists says so, privately', async () => {
    const r = await ask('/who id:someone-removed');
    expect(r.kind).toBe('not-found');
    expect(r.private).toBe(true);
  });
});

describe('hostile input to /who and /where', () => {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/;

  const expectSafe = (r: Reply) => {
    expect(['answer', 'not-found', 'usage', 'error']).toContain(r.kind);
    expect(r.title).not.toBe(apologyReply().title);
    for (const text of allText(r)) expect(text).not.toMatch(UNSAFE);
  };

  it.each(['/who', '/who    ', '/where', '/who \u200B\u200B', '/where \n\n'])('“%s” (no argument) → the usage with examples', async (text) => {
    const r = await ask(text);
    expect(r.kind).toBe('usage');
    expect(r.title).toMatch(/^Usage: \/(who|where) </);
    expect(r.actions.length).toBeGreaterThan(0);
  });

  it('a 5,000-character argument → a clear “too long” reply, not a crash', async () => {
    const r = await ask(`/who ${'massoud '.repeat(625)}`);
    expect(r.kind).toBe('error');
    expect(r.title).toMatch(/too long/);
    expectSafe(r);
  });

  it('a long argument within the limit is echoed back cut short at a word', async () => {
    const r = await ask(`/who ${'qwzx '.repeat(95)}`);
    expect(r.kind).toBe('not-found');
    const echoed = /“(.*)”/.exec(r.title)?.[1] ?? '';
    expect([...echoed].length).toBeLessThanOrEqual(61);
    expect(echoed.endsWith('…')).toBe(true);
    expectSafe(r);
  });

  it('control characters and a right-to-left override are removed before the name is read', async () => {
    const r = await ask('/who \u202Emass\u0000oud\u0007');
    expect(r.title).toMatch(titleOf(SON));
    expectSafe(r);
    const miss = await ask('/who \u202Ezz\u0000zq\u200Fqq');
    expect(miss.title).toBe('No person or organisation matches “zzzqqq”.');
    expectSafe(miss);
  });

  it.each(['<b>x</b>', '@everyone', '@here <@&123>', '`rm -rf /`', '**bold** [link](http://x)', 'د پنجشیر زمری', 'امرالله صالح کیست؟'])(
    '“%s” is answered as plain text (platform renderers escape it) and never throws',
    async (query) => {
      for (const command of ['who', 'where']) {
        const r = await ask(`/${command} ${query}`);
        expectSafe(r);
        if (r.kind === 'not-found') expect(r.title).toContain(`“${query}”`);
      }
    },
  );
});
