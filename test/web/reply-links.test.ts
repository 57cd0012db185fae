/**
 * Answers link into the web dossier when PUBLIC_URL is set, through the real core (commands,
 * router) and the real renderers of every platform; without it nothing changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPlainText } from '../../src/adapters/console/render.js';
import { renderReply as renderDiscord } from '../../src/adapters/discord/render.js';
import { inlineKeyboard } from '../../src/adapters/telegram/callback-data.js';
import { OPEN_DOSSIER_LABEL, renderReply as renderTelegram } from '../../src/adapters/telegram/render.js';
import { createCore, type Core } from '../../src/app/core.js';
import type { CommandContext } from '../../src/commands/types.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/observability/logger.js';
import type { Reply } from '../../src/replies/reply.js';
import { dossierIndex } from '../../src/web/dossier-index.js';

const PUBLIC_URL = 'https://dossier.example.org/panjshir';
const CONTEXT: CommandContext = { chat: { platform: 'console', id: 'c1', type: 'private' }, user: { id: 'u1', isModerator: false }, now: new Date('2021-08-24T08:00:00Z') };

let withLinks: Core;
let without: Core;
beforeAll(async () => {
  withLinks = await createCore({ config: loadConfig({ DATABASE_PATH: ':memory:', HTTP_PORT: '0', PUBLIC_URL: `${PUBLIC_URL}/` }), logger: createLogger({ level: 'silent' }) });
  without = await createCore({ config: loadConfig({ DATABASE_PATH: ':memory:' }), logger: createLogger({ level: 'silent' }) });
});
afterAll(async () => {
  await withLinks.close();
  await without.close();
});

async function ask(core: Core, text: string): Promise<Reply> {
  const result = await core.router.handle(text, CONTEXT, { questions: true });
  if (result === null) throw new Error(`no answer to ${text}`);
  return result.reply;
}

describe('with PUBLIC_URL', () => {
  it('an entity answer links its title to the entity page and each source to a span the dossier highlights', async () => {
    const answer = await ask(withLinks, '/who massoud');
    expect(answer.link).toBe(`${PUBLIC_URL}/entities/ahmad-massoud`);
    expect(answer.citations.length).toBeGreaterThan(0);
    const index = dossierIndex(withLinks.provider().kb);
    for (const citation of answer.citations) {
      const match = /^https:\/\/dossier\.example\.org\/panjshir\/sources\/([^#]+)#c-(\d+)-(\d+)$/.exec(citation.link ?? '');
      expect(match, citation.link).not.toBeNull();
      const [, sourceId, start, end] = match as RegExpExecArray;
      expect(index.source(sourceId as string)?.outlet).toBe(citation.outlet);
      // The span is one the source page highlights (so the link lands on a mark).
      expect(index.spans(sourceId as string).some((s) => s.start === Number(start) && s.end === Number(end))).toBe(true);
    }
  });

  it('story-wide answers link to their page, and problems link nowhere', async () => {
    expect((await ask(withLinks, '/timeline')).link).toBe(`${PUBLIC_URL}/timeline`);
    expect((await ask(withLinks, '/claims')).link).toBe(`${PUBLIC_URL}/claims`);
    expect((await ask(withLinks, '/sources')).link).toBe(`${PUBLIC_URL}/sources`);
    expect((await ask(withLinks, '/search districts baghlan')).link).toBe(`${PUBLIC_URL}/search?q=districts%20baghlan`);
    expect((await ask(withLinks, '/who')).link).toBeUndefined();
    expect((await ask(withLinks, '/who zzqxw')).link).toBeUndefined();
    const sources = await ask(withLinks, '/sources');
    // /sources cites whole articles: each links to its article page, no passage.
    for (const c of sources.citations) expect(c.link).toBe(`${PUBLIC_URL}/sources/${c.sourceId}`);
  });

  it('Discord links the embed title to the page and each numbered source to its cited span', async () => {
    const answer = await ask(withLinks, '/who massoud');
    const rendered = renderDiscord(answer, { storyName: 'Panjshir' });
    expect(rendered.pages.every((page) => page.url === answer.link)).toBe(true);
    const fields = JSON.stringify(rendered.pages.flatMap((page) => page.fields ?? []));
    for (const citation of answer.citations) expect(fields).toContain(`](${citation.link})`);
  });

  it('Telegram links the title and each source, and adds an "Open the dossier" URL button', async () => {
    const answer = await ask(withLinks, '/who massoud');
    const rendered = renderTelegram(answer);
    const html = rendered.messages.join('\n');
    expect(html.startsWith(`<b><a href="${answer.link}">`)).toBe(true);
    for (const citation of answer.citations) expect(html).toContain(`<a href="${citation.link}">`);
    const keyboard = inlineKeyboard(rendered.buttons)?.inline_keyboard ?? [];
    expect(keyboard.at(-1)).toEqual([{ text: OPEN_DOSSIER_LABEL, url: answer.link }]);
    // Command buttons stay command buttons.
    expect(keyboard.slice(0, -1).flat().every((b) => 'callback_data' in b)).toBe(true);
  });

  it('Telegram leaves the button out for an address it would refuse (a host without a dot), keeping the links', async () => {
    const answer = await ask(withLinks, '/who massoud');
    const local: Reply = { ...answer, link: 'http://localhost:8080/entities/ahmad-massoud' };
    const rendered = renderTelegram(local);
    expect(rendered.buttons.flat().some((b) => b.url !== undefined)).toBe(false);
    expect(rendered.messages[0]?.startsWith('<b><a href="http://localhost:8080/entities/ahmad-massoud">')).toBe(true);
  });

  it('the console prints the page and each cited passage', async () => {
    const answer = await ask(withLinks, '/who massoud');
    const text = renderPlainText(answer);
    expect(text).toContain(`Open the dossier: ${answer.link}`);
    for (const citation of answer.citations) expect(text).toContain(`cited passage: ${citation.link}`);
  });
});

describe('without PUBLIC_URL', () => {
  it('answers carry no links and every platform renders exactly what it rendered before', async () => {
    for (const question of ['/who massoud', '/timeline', '/search districts baghlan', '/sources']) {
      const answer = await ask(without, question);
      expect(answer.link, question).toBeUndefined();
      expect(answer.citations.every((c) => c.link === undefined), question).toBe(true);
      // The same answer with the link fields spelled out as absent renders identically.
      const plain: Reply = { ...answer, citations: answer.citations.map(({ link: _link, ...c }) => c) };
      expect(renderPlainText(answer)).toBe(renderPlainText(plain));
      expect(renderPlainText(answer)).not.toContain('dossier');
      const discord = renderDiscord(answer);
      expect(discord.pages.every((page) => page.url === undefined), question).toBe(true);
      const telegram = renderTelegram(answer);
      expect(telegram.messages[0]?.startsWith('<b><a'), question).toBe(false);
      expect(telegram.buttons.flat().every((b) => b.url === undefined), question).toBe(true);
    }
  });
});
