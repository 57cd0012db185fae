/**
 * Issue 12's first "done when", as an operator runs it: the bot started as a process
 * (`npm start`'s own start-up, test/app/processes/bot-at.ts, with its clock set to a chosen
 * morning), Telegram as its platform (the fake Bot API on 127.0.0.1), a story whose story.yaml
 * lists a feed on the fake news site, a chat subscribed to a daily digest. A new report appears
 * on the feed: the next poll takes it, a question about it is answered citing its URL, the next
 * digest carries it, and two restarts (one after the digest slot, one a day later) fetch,
 * ingest and post nothing twice. What counts is what the fake Telegram received and what the
 * fake site was asked.
 *
 * The clock: each process starts at an instant the test chooses and runs in real time from
 * there, so "the next digest slot" is a process started after it (the bot catches up a slot it
 * was down for at start, `DIGEST_MISSED_SLOTS=latest`) rather than a wait for a real 08:00.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeNewsSite, kabulDispatchReport, marketsReport, newsPage, panjshirFallReport, rssFeed, type FeedEntry } from '../fakes/news-site.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.js';
import { ALICE } from '../fakes/telegram-updates.js';
import { SEED_STORY } from '../support/seed-story.js';
import { freePort } from '../support/test-tools.js';
import { compiled } from '../support/compiled.js';

const repo = resolve(import.meta.dirname, '../..');
const HTML = 'text/html; charset=utf-8';
const RSS = 'application/rss+xml; charset=utf-8';
const CHAT = String(ALICE.id);

/** A running bot process and its health port. */
class Bot {
  stderr = '';
  readonly exited: Promise<number | null>;
  constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
  }
  /** One metric's value from /metrics (`undefined` while the port is not up). */
  async metric(series: string): Promise<number | undefined> {
    try {
      const text = await (await fetch(`${this.url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    } catch {
      return undefined;
    }
  }
  /** Warnings and errors it logged, for failure messages. */
  problems(): string {
    return this.stderr
      .split('\n')
      .filter((l) => /"level":(40|50|60)/u.test(l))
      .slice(0, 20)
      .join('\n');
  }
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}

async function until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, bot?: Bot, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${bot ? `\n${bot.problems()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('npm start with a feed in story.yaml, as a process', () => {
  it('answers about a new item’s article citing its URL and digests it once; restarts fetch, ingest and post nothing twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dossier-feed-process-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dataDir = join(dir, 'data');
    const storyDir = join(dataDir, 'stories', 'panjshir');
    cpSync(SEED_STORY, storyDir, { recursive: true });
    const site = await FakeNewsSite.start();
    cleanups.push(() => site.close());
    const telegram = await FakeTelegramBotApi.start();
    cleanups.push(() => telegram.close());

    // The feed as the bot first finds it: one report from the day before (its backlog).
    const fall = panjshirFallReport();
    const backlog: FeedEntry = { title: fall.headline, link: site.url('/fw/fall'), published: '2021-08-24T12:00:00Z', summary: 'Fighting in Panjshir.' };
    site.serve('/fw/fall', { body: newsPage({ ...fall, published: '2021-08-24T12:00:00Z', canonical: site.url('/fw/fall') }), contentType: HTML });
    site.serve('/kd/rss.xml', { body: rssFeed('Kabul Dispatch', site.url('/kd'), [backlog]), contentType: RSS, validators: true });
    writeFileSync(
      join(storyDir, 'story.yaml'),
      `${readFileSync(join(storyDir, 'story.yaml'), 'utf8').trimEnd()}\nfeeds:\n  - url: ${site.url('/kd/rss.xml')}\n    include: [ahmad-massoud, panjshir]\n    every: 2s\n`,
    );
    const articles = () => readdirSync(join(storyDir, 'articles')).filter((n) => n.endsWith('.txt'));

    async function startBot(clock: string): Promise<Bot> {
      const port = await freePort();
      const child = spawn(process.execPath, [compiled('test/app/processes/bot-at.ts')], {
        cwd: repo,
        env: {
          PATH: process.env.PATH ?? '',
          DOSSIER_TEST_CLOCK: clock,
          NODE_ENV: 'production',
          LOG_FORMAT: 'json',
          LOG_LEVEL: 'info',
          CONSOLE: 'off',
          DATA_DIR: dataDir,
          STORY: 'panjshir',
          DATABASE_PATH: join(dir, 'dossier.sqlite'),
          HTTP_PORT: String(port),
          HTTP_HOST: '127.0.0.1',
          TELEGRAM_BOT_TOKEN: telegram.token,
          TELEGRAM_API_ROOT: telegram.apiRoot,
          SHUTDOWN_TIMEOUT_MS: '5000',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const bot = new Bot(child, `http://127.0.0.1:${port}`);
      cleanups.push(async () => {
        if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
        await bot.exited;
      });
      return bot;
    }
    const sources = (bot: Bot) => bot.metric('dossier_knowledge_items{kind="sources"}');

    // ── The first process: 07:50 in Kabul, ten minutes before the chat's 08:00 digest. ──
    const first = await startBot('2021-08-25T03:20:00Z');
    // Its first poll takes the backlog: answerable, but not news for any digest.
    await until(async () => (await sources(first)) === 3, 'the backlog in the knowledge base', first);
    telegram.privateMessage('/subscribe daily 08:00 Asia/Kabul');
    const [confirmation] = await telegram.waitForSent(CHAT, 1, 30_000);
    expect(confirmation?.text).toMatch(/subscribed/iu);

    // A new report appears on the feed.
    const kd = kabulDispatchReport();
    const appearedAt = Date.now();
    site.serve('/kd/masood-vows', { body: newsPage({ ...kd, canonical: site.url('/kd/masood-vows') }), contentType: HTML });
    site.serve('/kd/rss.xml', {
      body: rssFeed('Kabul Dispatch', site.url('/kd'), [backlog, { title: kd.headline, link: site.url('/kd/masood-vows'), published: kd.published! }]),
      contentType: RSS,
      validators: true,
    });
    await until(async () => (await sources(first)) === 4, 'the new article in the knowledge base', first);
    // The first poll after it appeared took it: the feed was asked once, then the page.
    expect(site.requests.filter((r) => r.at >= appearedAt).slice(0, 2).map((r) => r.path)).toEqual(['/kd/rss.xml', '/kd/masood-vows']);

    // A question about the report is answered from it, citing the page.
    telegram.privateMessage('/search schoolteacher who fled Bazarak');
    const [, answer] = await telegram.waitForSent(CHAT, 2, 30_000);
    expect(answer?.text).toContain('Nasrin Rahimi');
    expect(answer?.source).toContain(site.url('/kd/masood-vows'));
    // The issue's promise: within a minute of appearing on the feed (here: one 2 s poll interval and the rebuild).
    expect(Date.now() - appearedAt).toBeLessThan(60_000);
    expect(await first.stop(), first.problems()).toBe(0);
    // Up to the poll that took the report, it kept the feed's `every: 2s`: never sooner, and not
    // rounded up to its 15 s look at story.yaml. (Later gaps include the knowledge rebuild.)
    const polls = site.requestsFor('/kd/rss.xml').map((r) => r.at);
    const tookIt = polls.findIndex((at) => at >= appearedAt);
    const gaps = polls.slice(1, tookIt + 1).map((at, i) => at - polls[i]!);
    expect(gaps.length).toBeGreaterThanOrEqual(1);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1900);
    expect(Math.max(...gaps)).toBeLessThan(10_000);

    // ── Restarted at 08:01, after the slot it was down for: the missed digest goes out at start. ──
    // The feed meanwhile carries one more item, not about the story (its page is read to judge
    // it): a full answer (not a 304), so every item is judged again against what the database
    // remembers.
    const markets = marketsReport();
    site.serve('/kd/markets', { body: newsPage(markets), contentType: HTML });
    site.serve('/kd/rss.xml', {
      body: rssFeed('Kabul Dispatch', site.url('/kd'), [
        backlog,
        { title: kd.headline, link: site.url('/kd/masood-vows'), published: kd.published! },
        { title: markets.headline, link: site.url('/kd/markets'), published: '2021-08-25T03:25:00Z' },
      ]),
      contentType: RSS,
      validators: true,
    });
    const feedAsked = site.requestsFor('/kd/rss.xml').length;
    const second = await startBot('2021-08-25T03:31:00Z');
    const [, , digest] = await telegram.waitForSent(CHAT, 3, 30_000);
    expect(digest?.text).toContain(kd.headline);
    expect(digest?.source).toContain(site.url('/kd/masood-vows'));
    expect(digest?.text).toMatch(/: 1 new source,/u);
    const newSources = digest?.text.split('New sources')[1]?.split('\n\n')[0] ?? '';
    expect(newSources.split(kd.headline)).toHaveLength(2);
    expect(newSources).not.toContain(fall.headline);
    // It polled the changed feed (twice: the restart's poll and one interval later) and took nothing.
    await until(() => site.requestsFor('/kd/rss.xml').length >= feedAsked + 2, 'two polls by the restarted bot', second);
    expect(await second.metric('dossier_feed_items_total{status="added"}')).toBe(0);
    expect(await second.metric('dossier_feed_items_total{status="filtered"}')).toBe(1);
    expect(await second.stop(), second.problems()).toBe(0);

    // ── A day later, after the next slot: a digest with nothing new, and nothing else. ──
    const third = await startBot('2021-08-26T03:31:00Z');
    const [, , , nextDigest] = await telegram.waitForSent(CHAT, 4, 30_000);
    expect(nextDigest?.text).not.toContain(kd.headline);
    await until(async () => (await third.metric('dossier_feeds{state="new"}')) === 0 && site.requestsFor('/kd/rss.xml').length >= feedAsked + 3, 'a poll by the third process', third);
    expect(await third.stop(), third.problems()).toBe(0);

    // Over three processes: the page fetched once, stored once, and the chat got four messages.
    expect(site.requestsFor('/kd/masood-vows')).toHaveLength(1);
    expect(site.requestsFor('/fw/fall')).toHaveLength(1);
    expect(site.requestsFor('/kd/markets')).toHaveLength(1);
    expect(articles()).toHaveLength(4);
    expect(telegram.sent(CHAT).map((m) => m.text.split('\n')[0])).toHaveLength(4);
  }, 120_000);
});
