/**
 * The web dossier in a real browser (Debian's chromium driven by playwright-core) against a
 * running bot — Telegram and Discord on their fake servers, the web dossier on HTTP_PORT, and
 * PUBLIC_URL pointing at it — over the seed story grown with generated articles and a hostile
 * one. A citation in a Telegram or Discord answer opens its sentence highlighted; the timeline
 * draws every event; a citation in a later part of a long article opens that part highlighted;
 * the hostile article runs nothing; axe-core finds no serious violation (a documentation page too);
 * all of it with JavaScript on and off. Screenshots go to test-results/web/.
 *
 * Under CI=true a missing chromium fails this file instead of skipping it.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { FakeDiscord } from '../fakes/discord-api.js';
import { chatInputInteraction } from '../fakes/discord-payloads.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.js';
import { ALICE, privateChatOf } from '../fakes/telegram-updates.js';
import { freePort } from '../support/test-tools.js';
import { EVENTS_PER_PAGE } from '../../src/web/pages/timeline.js';
import type { Citation } from '../../src/knowledge/model.js';
import { dossierIndex } from '../../src/web/dossier-index.js';
import { citationPath } from '../../src/web/routes.js';
import { growStory, removeGrownStory } from './grown-story.js';

// The callbacks given to page.evaluate run in the browser; these are the page globals they use.
interface PageElement {
  tagName: string;
  textContent: string | null;
  getBoundingClientRect(): { top: number; bottom: number; height: number };
  querySelector(selector: string): PageElement | null;
  getBBox(): { width: number };
  classList: { contains(name: string): boolean };
}
declare const document: { querySelector(selector: string): PageElement | null; documentElement: PageElement & { scrollWidth: number; clientWidth: number } };
declare const window: { innerHeight: number; axe: { run(context: unknown): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> }; __pwned?: number };
declare function getComputedStyle(element: PageElement): { backgroundColor: string };

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(import.meta.dirname, '../../test-results/web');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** The colour CSS gives the cited span the address names (`:target`). */
const TARGET_BACKGROUND = 'rgb(255, 207, 64)';

const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true') {
  describe('web dossier in chromium', () => {
    it('needs chromium', () => {
      throw new Error(`chromium is missing at ${CHROMIUM}: install Debian's chromium package (.ci/run does)`);
    });
  });
}

interface Links {
  page: string;
  citations: string[];
}

let browser: Browser;
let app: RunningApp;
let telegram: FakeTelegramBotApi;
let discord: FakeDiscord;
let publicUrl: string;
const stops: Array<() => unknown> = [];

/** A browser context; with JavaScript on, axe-core is added to every page as an init script (through the debugging protocol, so the page's CSP stays strict). */
async function newContext(javaScriptEnabled: boolean, viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled, viewport });
  if (javaScriptEnabled) await context.addInitScript({ content: AXE_SOURCE });
  return context;
}

/** Run axe-core in the page and return its serious or critical violations. */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await page.evaluate(async () => {
    return (await window.axe.run(document)).violations;
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The element the address's fragment names: a highlighted mark, on screen. */
async function targetMark(page: Page): Promise<{ tag: string; text: string; background: string; onScreen: boolean } | null> {
  return page.evaluate(() => {
    const el = document.querySelector(':target');
    if (el === null) return null;
    const box = el.getBoundingClientRect();
    return { tag: el.tagName, text: el.textContent ?? '', background: getComputedStyle(el).backgroundColor, onScreen: box.bottom > 0 && box.top < window.innerHeight && box.height > 0 };
  });
}

describe.skipIf(!available)('web dossier in chromium', () => {
  beforeAll(async () => {
    telegram = await FakeTelegramBotApi.start();
    stops.push(() => telegram.close());
    discord = await FakeDiscord.start();
    stops.push(() => discord.close());
    const storyDir = growStory({ articles: 20, hostile: true, longKilobytes: 120 });
    stops.push(() => removeGrownStory(storyDir));
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    const config = loadConfig({
      DATA_DIR: join(storyDir, '../..'),
      DATABASE_PATH: ':memory:',
      CONSOLE: 'off',
      LOG_LEVEL: 'silent',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      PUBLIC_URL: publicUrl,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
    });
    const input = new PassThrough();
    app = await startApp({ config, logger: createLogger({ level: 'silent' }), io: { input, output: new PassThrough() }, signals: new PassThrough() as never, exit: () => undefined });
    stops.unshift(() => app.shutdown.stop('test over'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    stops.unshift(() => browser.close());
    mkdirSync(SHOTS, { recursive: true });
  }, 30_000);
  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  /** The links of `/who massoud` as Telegram received it (the message HTML and its URL button). */
  async function telegramLinks(): Promise<Links> {
    await telegram.waitFor(() => app.platforms.every((p) => p.health().status === 'connected') || undefined, 10_000, 'the platforms to connect');
    telegram.privateMessage('/who massoud');
    // A long answer comes in several messages; the buttons ride on the last one.
    const chat = privateChatOf(ALICE).id;
    await telegram.waitFor(() => telegram.sent(chat).find((m) => m.replyMarkup !== undefined), 10_000, 'the answer with its buttons');
    const messages = telegram.sent(chat);
    const hrefs = messages.flatMap((message) => [...message.source.matchAll(/href="([^"]+)"/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&')));
    const button = messages.flatMap((m) => m.replyMarkup?.inline_keyboard?.flat() ?? []).find((b) => b.url !== undefined);
    expect(button?.text).toBe('Open the dossier');
    return { page: button?.url ?? '', citations: hrefs.filter((h) => h.includes('#c-')) };
  }

  /** The links of `/who massoud` as Discord received it (embed title URL, source links). */
  async function discordLinks(): Promise<Links> {
    const id = discord.sendInteraction(chatInputInteraction(discord, { command: 'who', options: { name: 'massoud' } }));
    const [response] = await discord.waitForInteractionResponses(id, 1, 10_000);
    const embeds = ((response?.data as { embeds?: Array<{ url?: string }> } | undefined)?.embeds ?? []);
    const json = JSON.stringify(response?.data);
    return { page: embeds[0]?.url ?? '', citations: [...json.matchAll(/\]\((http[^)]+#c-\d+-\d+)\)/g)].map((m) => m[1] ?? '') };
  }

  it('a citation in a Telegram or a Discord answer opens its sentence highlighted, with JavaScript on and off', async () => {
    const fromTelegram = await telegramLinks();
    const fromDiscord = await discordLinks();
    expect(fromTelegram.page).toBe(`${publicUrl}/entities/ahmad-massoud`);
    expect(fromDiscord.page).toBe(fromTelegram.page);
    expect(fromTelegram.citations.length).toBeGreaterThan(0);
    expect(fromDiscord.citations.length).toBeGreaterThan(0);
    const kb = app.core.provider().kb;
    for (const javaScriptEnabled of [true, false]) {
      const context = await newContext(javaScriptEnabled);
      const page = await context.newPage();
      for (const link of [fromTelegram.citations[0] as string, fromDiscord.citations[0] as string]) {
        await page.goto(link);
        const [, sourceId, start, end] = /\/sources\/([^#]+)#c-(\d+)-(\d+)$/.exec(link) as RegExpExecArray;
        const source = kb.sources.find((s) => s.id === sourceId);
        const mark = await targetMark(page);
        expect(mark, link).toMatchObject({ tag: 'MARK', background: TARGET_BACKGROUND, onScreen: true });
        expect(source?.raw.slice(Number(start), Number(end)).startsWith(mark?.text ?? '?'), link).toBe(true);
        expect(await page.evaluate(() => document.documentElement.classList.contains('js'))).toBe(javaScriptEnabled);
      }
      await page.screenshot({ path: join(SHOTS, `cited-passage-${javaScriptEnabled ? 'js' : 'nojs'}.png`) });
      await context.close();
    }
  }, 30_000);

  it('from the entity page, following a citation lands on the highlighted sentence', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const context = await newContext(javaScriptEnabled);
      const page = await context.newPage();
      await page.goto(`${publicUrl}/entities/ahmad-massoud`);
      expect(await page.locator('h1').textContent()).toBe('Ahmad Massoud');
      if (javaScriptEnabled) expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SHOTS, `entity-${javaScriptEnabled ? 'js' : 'nojs'}.png`) });
      const cite = page.locator('section[aria-labelledby="h-facts"] .cites a').first();
      const href = (await cite.getAttribute('href')) ?? '';
      await cite.click();
      await page.waitForURL((url) => url.hash === `#${href.split('#')[1]}`);
      const mark = await targetMark(page);
      expect(mark).toMatchObject({ tag: 'MARK', background: TARGET_BACKGROUND, onScreen: true });
      if (javaScriptEnabled) expect(await seriousViolations(page)).toEqual([]);
      await context.close();
    }
  }, 30_000);

  it('every page loads with JavaScript off (desktop) and on (phone, with axe: no serious violation), nothing spills sideways, and the timeline draws every event', async () => {
    const kb = app.core.provider().kb;
    const shown = Math.min(kb.events.length, EVENTS_PER_PAGE);
    for (const [name, viewport, javaScriptEnabled] of [
      ['desktop', { width: 1280, height: 800 }, false],
      ['phone', { width: 390, height: 844 }, true],
    ] as const) {
      const context = await newContext(javaScriptEnabled, viewport);
      const page = await context.newPage();
      // Every page both ways: at phone width with JavaScript and axe, at desktop width without JavaScript.
      const paths = ['/', '/timeline', '/claims', '/sources', `/sources/${kb.sources[0]?.id}?furniture=1`, '/search?q=panjshir+districts', '/docs/web-dossier'];
      for (const path of paths) {
        const response = await page.goto(`${publicUrl}${path}`);
        expect(response?.status(), path).toBe(200);
        // axe-core needs JavaScript; the markup it checks is the same either way (rendered on the server).
        if (javaScriptEnabled) expect(await seriousViolations(page), path).toEqual([]);
        await page.screenshot({ path: join(SHOTS, `${path.replace(/[^a-z0-9]+/gi, '_')}-${name}.png`) });
        if (path === '/timeline') {
          // Every event is drawn: one mark per event, each with a visible shape.
          const sizes = await page.$$eval('svg a.mark', (marks) => marks.map((m) => (m as unknown as PageElement).querySelector('circle, rect')?.getBBox().width ?? 0));
          expect(sizes.length).toBe(shown);
          expect(sizes.every((w) => w > 0)).toBe(true);
        }
        // Nothing spills sideways on a phone except the scrollable chart and table.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${path} at ${name}`).toBeLessThanOrEqual(0);
      }
      await context.close();
    }
  }, 30_000);

  it('a citation in a later part of a long article opens that part with its sentence highlighted; the parts link to each other', async () => {
    const kb = app.core.provider().kb;
    const index = dossierIndex(kb);
    const late = kb.facts.flatMap((f) => f.citations).find((c) => c.sourceId === '998_long' && index.partOf(c.sourceId, c.start) > 1);
    expect(late).toBeDefined();
    const context = await newContext(false);
    const page = await context.newPage();
    const link = `${publicUrl}${citationPath(late as Citation, index.partOf('998_long', (late as Citation).start))}`;
    expect(link).toMatch(/\?part=\d+#c-/);
    await page.goto(link);
    const mark = await targetMark(page);
    expect(mark).toMatchObject({ tag: 'MARK', background: TARGET_BACKGROUND, onScreen: true });
    expect((late as Citation).text.startsWith(mark?.text ?? '?')).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'long-article-part.png') });
    await page.goto(`${publicUrl}/sources/998_long`);
    await page.locator('a[rel="next"]').first().click();
    await page.waitForURL((url) => url.search === '?part=2');
    expect(await page.locator('h1').textContent()).toContain('(part 2 of');
    await context.close();
  }, 30_000);

  it('renders the hostile article inert: no script runs, no dialog opens', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const context = await newContext(javaScriptEnabled);
      const page = await context.newPage();
      let dialogs = 0;
      page.on('dialog', (dialog) => {
        dialogs += 1;
        void dialog.dismiss();
      });
      const paths = javaScriptEnabled ? ['/sources/999_hostile?furniture=1', '/sources', '/search?q=hostile+script', '/'] : ['/sources/999_hostile?furniture=1'];
      for (const path of paths) {
        await page.goto(`${publicUrl}${path}`);
        expect(await page.evaluate(() => window.__pwned), path).toBeUndefined();
      }
      await page.goto(`${publicUrl}/sources/999_hostile?furniture=1`);
      expect(await page.locator('h1').textContent()).toBe('Hostile <script>window.__pwned = 5</script> headline');
      expect(await page.locator('article').textContent()).toContain('<img src=x onerror="window.__pwned=2">');
      expect(dialogs).toBe(0);
      await page.screenshot({ path: join(SHOTS, `hostile-${javaScriptEnabled ? 'js' : 'nojs'}.png`) });
      await context.close();
    }
  }, 30_000);
});
