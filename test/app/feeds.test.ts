/**
 * The running bot (in-process, as `npm start` composes it) with a feed in story.yaml: an item
 * that appears on the fake news site is answered about, with its URL, and is in the next digest,
 * by the first poll after it appears; the backlog of the first poll (made as soon as the bot has
 * started) is known but not dumped into digests; a failing feed is a visible state in /healthz
 * and counted in /metrics while the bot goes on. The clock is injected: later polls and digests
 * happen when the test says it is time (test/app/feeds-process.test.ts runs the same story as a
 * real process on its own timers).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { FakeNewsSite, kabulDispatchReport, newsPage, panjshirFallReport, rssFeed, type FeedEntry } from '../fakes/news-site.js';
import { captureLines } from '../observability/log-capture.js';
import { SEED_STORY } from '../support/seed-story.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a story with a feed, in the running bot', () => {
  it('answers about a new item’s article with its URL and digests it, after the first poll that sees it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dossier-app-feeds-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const storyDir = join(dir, 'stories', 'panjshir');
    cpSync(SEED_STORY, storyDir, { recursive: true });

    let clock = Date.parse('2021-08-25T06:00:00Z');
    const site = await FakeNewsSite.start({ clock: () => clock });
    cleanups.push(() => site.close());
    const fall = panjshirFallReport();
    const backlog: FeedEntry = { title: fall.headline, link: site.url('/fw/fall'), published: '2021-08-24T12:00:00Z', summary: 'Panjshir' };
    site.serve('/fw/fall', { body: newsPage({ ...fall, published: '2021-08-24T12:00:00Z' }), contentType: 'text/html; charset=utf-8' });
    site.serve('/kd/rss.xml', { body: rssFeed('Kabul Dispatch', site.url('/kd'), [backlog]), contentType: 'application/rss+xml', validators: true });
    site.status('/gone/rss.xml', 410);
    writeFileSync(
      join(storyDir, 'story.yaml'),
      `${readFileSync(join(storyDir, 'story.yaml'), 'utf8')}\nfeeds:\n  - url: ${site.url('/kd/rss.xml')}\n    include: [panjshir, ahmad-massoud]\n    every: 1m\n  - url: ${site.url('/gone/rss.xml')}\n`,
    );

    const input = Object.assign(new PassThrough(), { isTTY: false });
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
    const config = loadConfig({ DATA_DIR: dir.replace(/\/stories$/u, ''), STORY: 'panjshir', DATABASE_PATH: join(dir, 'dossier.sqlite'), HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', SHUTDOWN_TIMEOUT_MS: '5000', CONSOLE: 'on' });
    const app: RunningApp = await startApp({
      config: { ...config, DATA_DIR: dir },
      logger: createLogger({ format: 'json', level: 'debug', destination: captureLines() }),
      io: { input, output },
      signals: new EventEmitter(),
      exit: () => undefined,
      now: () => new Date(clock),
    });
    cleanups.push(() => app.shutdown.stop('test over'));
    expect(app.feeds).toBeDefined();

    input.write('/subscribe daily 08:00 Asia/Kabul\n');
    await waitFor(() => /subscribed/i.test(printed), 'the subscription');

    // The bot polls a listed feed as soon as it has started: the backlog item is ingested
    // (answerable) but is not news for the digest.
    await waitFor(() => app.feeds!.poller.health().feeds.some((f) => f.url === site.url('/kd/rss.xml') && f.state === 'ok'), 'the first poll');
    expect(site.requestsFor('/fw/fall')).toHaveLength(1);

    // A new report appears on the feed; the next poll (one interval later) takes it.
    clock += 10 * 60_000;
    const kd = kabulDispatchReport();
    site.serve('/kd/masood-vows', { body: newsPage({ ...kd, published: new Date(clock - 5 * 60_000).toISOString(), canonical: site.url('/kd/masood-vows') }), contentType: 'text/html; charset=utf-8' });
    site.serve('/kd/rss.xml', {
      body: rssFeed('Kabul Dispatch', site.url('/kd'), [backlog, { title: kd.headline, link: site.url('/kd/masood-vows'), published: new Date(clock - 5 * 60_000).toISOString() }]),
      contentType: 'application/rss+xml',
      validators: true,
    });
    // The bot's own timer may poll first; either way, once this tick is over the item was taken.
    await app.feeds!.tick(new Date(clock));
    expect(site.requestsFor('/kd/masood-vows')).toHaveLength(1);
    expect(site.requestsFor('/fw/fall')).toHaveLength(1);

    // Asked right away, the bot answers from the new article and cites its URL.
    printed = '';
    input.write('/search schoolteacher who fled Bazarak\n');
    await waitFor(() => printed.includes(site.url('/kd/masood-vows')), 'an answer citing the page');
    expect(printed).toContain('Kabul Dispatch');
    expect(printed).toContain('Nasrin Rahimi');

    // The next digest carries the new article, not the backlog.
    printed = '';
    const report = await app.core.digests.tick(new Date('2021-08-26T03:31:00Z'));
    expect(report.sent).toBe(1);
    expect(printed).toContain('── scheduled digest ──');
    expect(printed).toContain(kd.headline);
    expect(printed).toMatch(/: 1 new source,/u);
    const newSources = printed.split('New sources')[1]?.split('\n\n')[0] ?? '';
    expect(newSources).toContain(kd.headline);
    expect(newSources).not.toContain(fall.headline);

    // The failing feed: a visible state with its reason, counted; the good feed is fine.
    const health = (await (await fetch(`${app.http!.url}/healthz`)).json()) as { details?: { feeds?: { feeds: Array<{ url: string; state: string; lastError?: string }> } } };
    expect(health.details?.feeds?.feeds).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ url: site.url('/kd/rss.xml'), state: 'ok' }),
        expect.objectContaining({ url: site.url('/gone/rss.xml'), state: 'failing', lastError: `HTTP 410 Gone (${site.url('/gone/rss.xml')})` }),
      ]),
    );
    const metrics = await (await fetch(`${app.http!.url}/metrics`)).text();
    expect(metrics).toContain('dossier_feed_items_total{status="added"} 2');
    expect(metrics).toMatch(/dossier_feed_failures_total\{kind="http-status"\} [1-9]/u);
  });
});
