/**
 * The seed answers stay as good with the whole corpus added to the story (28 more reports),
 * asked through the real search, command set and router; and a speaker the registry does not
 * know is found by surname.
 */
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../eval/corpus.js';
import { buildWithCorpus } from '../../eval/evaluate.js';
import { createCommandSet } from '../../src/commands/index.js';
import { createRouter } from '../../src/commands/router.js';
import type { CommandContext } from '../../src/commands/types.js';
import { silentLogger } from '../../src/observability/logger.js';
import type { Reply } from '../../src/replies/reply.js';
import { createKnowledgeSearch } from '../../src/search/knowledge-search.js';

const kb = buildWithCorpus(loadCorpus());
const snapshot = { kb, search: createKnowledgeSearch(kb), version: 'test', loadedAt: new Date(0) };
const router = createRouter({ commands: createCommandSet({ knowledge: () => snapshot, extra: [] }), logger: silentLogger() });
const CONTEXT: CommandContext = {
  chat: { platform: 'console', id: 'c1', type: 'private' },
  user: { id: 'u1', isModerator: false },
  now: new Date('2021-09-15T08:00:00Z'),
};

async function ask(text: string): Promise<Reply> {
  const result = await router.handle(text, CONTEXT, { questions: true });
  if (result === null) throw new Error(`ignored ${text}`);
  return result.reply;
}

const shown = (r: Reply): string =>
  [r.title, r.summary ?? '', ...r.sections.flatMap((s) => [s.label, ...s.lines.map((l) => l.text)]), ...r.quotes.flatMap((q) => [q.text, q.speaker])].join('\n');

describe('the seed answers with the whole corpus added', () => {
  it('/who massoud is still the son, with the father one button away', async () => {
    const r = await ask('/who massoud');
    expect(r.title).toMatch(/Ahmad Massoud/u);
    expect(r.summary).toContain('fits 2 people');
    expect(r.actions.some((a) => a.command === '/who id:ahmad-shah-massoud')).toBe(true);
  });

  it('/where panjshir keeps its capital, its distance from Kabul and the “Five Lions”', async () => {
    const text = shown(await ask('/where panjshir'));
    expect(text).toMatch(/Bazarak/u);
    expect(text).toMatch(/120 km/u);
    expect(text).toMatch(/Five Lions/u);
  });

  it('/where saleh is still the district; /quote saleh still the vice president', async () => {
    expect((await ask('/where saleh')).title).toMatch(/Deh Saleh/u);
    const quotes = await ask('/quote saleh');
    expect(quotes.title).toMatch(/Amrullah Saleh/u);
    expect(quotes.quotes.length).toBeGreaterThan(0);
  });

  it('/quote muttaqi finds the minister the registry does not know, under the spelling another outlet used', async () => {
    const r = await ask('/quote muttaqi');
    expect(r.title).toMatch(/Amir Khan Motaqi \(not yet in the registry\)/u);
    expect(r.quotes.map((q) => q.text).join('\n')).toMatch(/Panjshir problem with talks/u);
  });
});

describe('a quote in several forms', () => {
  it('is shown once: a fragment of a longer quote of the same speaker is left out of /quote', async () => {
    const shownQuotes = async (command: string): Promise<string[]> => {
      const texts: string[] = [];
      for (let page = 1; page <= 6; page++) {
        const r = await ask(page === 1 ? command : `${command} page:${page}`);
        texts.push(...r.quotes.map((q) => q.text.toLowerCase()));
        if (!r.actions.some((a) => a.command.includes(`page:${page + 1}`))) break;
      }
      return texts;
    };
    const texts = await shownQuotes('/quote id:amrullah-saleh');
    expect(texts.length).toBeGreaterThan(3);
    const fragments = texts.filter((t, i) => texts.some((o, j) => j !== i && o.length > t.length && o.includes(t)));
    expect(fragments).toEqual([]);
  });
});
