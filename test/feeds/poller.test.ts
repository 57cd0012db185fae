/**
 * The feed poller end to end against the fake news site: a copy of the seed story with feeds in
 * its story.yaml, a real SQLite file, the real fetcher, extractor and ingest pipeline. Checks are
 * made on what the story folder holds, what the knowledge base built from it says, what the site
 * received, and what health and metrics show.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { parse as parseYaml } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFetcher, dossierUserAgent, type Fetcher } from '../../src/fetch/fetcher.js';
import { createFeedMetrics } from '../../src/feeds/metrics.js';
import { createFeedPoller, type FeedPoller } from '../../src/feeds/poller.js';
import { sourcesCommand } from '../../src/commands/sources.js';
import { loadStory } from '../../src/knowledge/load.js';
import { createKnowledgeSearch } from '../../src/search/knowledge-search.js';
import { folderArticleStore } from '../../src/storage/articles.js';
import { openSqliteStore, type SqliteStore } from '../../src/storage/sqlite.js';
import {
  afpBesiegedReport,
  atomFeed,
  cookieWallPage,
  FakeNewsSite,
  indexPage,
  jsonFeed,
  kabulDispatchReport,
  marketsReport,
  newsPage,
  panjshirFallReport,
  paywallPage,
  rssFeed,
  sportRoundUpReport,
  windows1252,
  type FeedEntry,
} from '../fakes/news-site.js';
import { SEED_STORY } from '../support/seed-story.js';
import { capturingLogger } from '../support/test-tools.js';

const START = Date.parse('2021-08-25T08:00:00Z');
const MINUTE = 60_000;
const RSS = 'application/rss+xml; charset=utf-8';
const HTML = 'text/html; charset=utf-8';

let dir: string;
let storyDir: string;
let site: FakeNewsSite;
let clock: number;
let store: SqliteStore;
let logs: ReturnType<typeof capturingLogger>;
let registry: Registry;
let poller: FeedPoller;
const extraSites: FakeNewsSite[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dossier-feeds-'));
  storyDir = join(dir, 'stories', 'panjshir');
  cpSync(SEED_STORY, storyDir, { recursive: true });
  clock = START;
  site = await FakeNewsSite.start({ clock: () => clock });
  store = openSqliteStore(join(dir, 'dossier.sqlite'));
  logs = capturingLogger();
  poller = newPoller();
});
afterEach(async () => {
  await poller.stop();
  store.close();
  await site.close();
  for (const extra of extraSites.splice(0)) await extra.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `timeoutMs` is real time: generous, except where a hanging server is the point. */
function newPoller(timeoutMs = 5000, wrap: (fetcher: Fetcher) => Fetcher = (f) => f): FeedPoller {
  registry = new Registry();
  const fetcher = wrap(createFetcher({
    userAgent: dossierUserAgent(),
    now: () => clock,
    sleep: async (ms) => void (clock += ms),
    random: () => 0.5,
    hostDelayMs: 0,
    retries: 0,
    timeoutMs,
    maxBytes: 1024 * 1024,
  }));
  return createFeedPoller({ story: 'panjshir', storyDir, articles: folderArticleStore(storyDir), store, fetcher, logger: logs.logger, clock: () => new Date(clock), metrics: createFeedMetrics(registry), random: () => 0.5 });
}

/** Append `feeds:` to the story's story.yaml. */
function listFeeds(feeds: Array<{ url: string; include?: string[]; exclude?: string[]; every?: string }>): void {
  const file = join(storyDir, 'story.yaml');
  const base = readFileSync(file, 'utf8').split('\nfeeds:')[0]!.trimEnd();
  const yaml = feeds
    .map((f) => `  - url: ${f.url}\n${f.include ? `    include: [${f.include.join(', ')}]\n` : ''}${f.exclude ? `    exclude: [${f.exclude.join(', ')}]\n` : ''}${f.every ? `    every: ${f.every}\n` : ''}`)
    .join('');
  writeFileSync(file, `${base}\nfeeds:\n${yaml}`);
}

function articleFiles(): string[] {
  return readdirSync(join(storyDir, 'articles')).filter((n) => n.endsWith('.txt')).sort();
}

function meta(sourceId: string): Record<string, unknown> {
  return parseYaml(readFileSync(join(storyDir, 'articles', `${sourceId}.meta.yaml`), 'utf8')) as Record<string, unknown>;
}

const kd = kabulDispatchReport();
const kdEntry = (): FeedEntry => ({ title: kd.headline, link: site.url('/kd/masood-vows'), id: 'kd-1', published: kd.published!, summary: 'Ahmed Masood says his fighters will not hand over their weapons.' });

function serveKabulDispatch(extra: Partial<typeof kd> = {}): void {
  site.serve('/kd/masood-vows', { body: newsPage({ ...kd, canonical: site.url('/kd/masood-vows'), ...extra }), contentType: HTML });
}

describe('a new item on a feed', () => {
  it('becomes an article citing its URL; the next poll is conditional and a restart re-ingests nothing', async () => {
    serveKabulDispatch();
    site.serve('/kd/rss.xml', { body: rssFeed('Kabul Dispatch — Asia', site.url('/kd'), [kdEntry()]), contentType: RSS, validators: true });
    listFeeds([{ url: site.url('/kd/rss.xml') }]);

    const [report] = await poller.tick();
    expect(report).toMatchObject({ outcome: 'ok', firstPoll: true, items: [{ status: 'added', url: site.url('/kd/masood-vows') }] });
    const sourceId = report!.items[0]!.sourceId!;
    expect(articleFiles()).toHaveLength(3);
    expect(meta(sourceId)).toMatchObject({ outlet: 'Kabul Dispatch', headline: kd.headline, published: '2021-08-25', url: site.url('/kd/masood-vows'), publishedAt: kd.published });

    const kb = loadStory(storyDir);
    const source = kb.sources.find((s) => s.id === sourceId);
    expect(source?.url).toBe(site.url('/kd/masood-vows'));
    expect(kb.quotes.some((q) => q.citations.some((c) => c.sourceId === sourceId && c.text.includes('We are ready to defend Panjshir')))).toBe(true);

    clock += MINUTE;
    const [again] = await poller.tick();
    expect(again?.outcome).toBe('not-modified');
    expect(site.requestsFor('/kd/rss.xml')[1]?.headers['if-none-match']).toMatch(/^"/u);

    // A restart: a new process (poller, database connection) and a feed that changed.
    await poller.stop();
    store.close();
    store = openSqliteStore(join(dir, 'dossier.sqlite'));
    poller = newPoller();
    site.serve('/kd/rss.xml', { body: rssFeed('Kabul Dispatch — Asia', site.url('/kd'), [kdEntry(), { title: 'Cricket: cup final tickets sold out', link: site.url('/kd/cricket'), id: 'kd-2', published: '2021-08-25T09:00:00Z' }]), contentType: RSS, validators: true });
    listFeeds([{ url: site.url('/kd/rss.xml'), include: ['ahmad-massoud', 'panjshir'], exclude: ['cricket'] }]);
    clock += MINUTE;
    const [afterRestart] = await poller.tick();
    expect(afterRestart?.items.map((i) => i.status)).toEqual(['duplicate', 'filtered']);
    expect(articleFiles()).toHaveLength(3);
    expect(site.requestsFor('/kd/masood-vows')).toHaveLength(1);
  });

  it('is taken when its item mentions the story (entity names or keywords), and dropped unfetched when its item mentions an excluded term', async () => {
    serveKabulDispatch();
    const entries: FeedEntry[] = [
      { title: 'Resistance leader vows to fight on', summary: 'Ahmed Masood says his fighters will not surrender.', link: site.url('/kd/masood-vows'), published: kd.published! },
      { title: 'Panjshir cricket team wins', link: site.url('/world/cricket'), published: '2021-08-25T07:00:00Z' },
    ];
    site.serve('/world/atom.xml', { body: atomFeed('World', site.url('/world'), entries), contentType: 'application/atom+xml' });
    listFeeds([{ url: site.url('/world/atom.xml'), include: ['ahmad-massoud', 'panjshir'], exclude: ['cricket'] }]);

    const [report] = await poller.tick();
    expect(report?.items.map((i) => [i.title, i.status, i.reason ?? i.matched])).toEqual([
      ['Panjshir cricket team wins', 'filtered', 'the item mentions excluded "cricket"'],
      ['Resistance leader vows to fight on', 'added', 'the item mentions "ahmad-massoud"'],
    ]);
    expect(site.requestsFor('/world/cricket')).toHaveLength(0);
    expect(site.requestsFor('/kd/masood-vows')).toHaveLength(1);
  });

  it('is judged by its article when the item names none of the include terms: the page is fetched once, and stored only if it is about the story', async () => {
    serveKabulDispatch();
    const fall = panjshirFallReport();
    const markets = marketsReport();
    const sport = sportRoundUpReport();
    site.serve('/world/holdout', { body: newsPage({ ...fall, canonical: site.url('/world/holdout') }), contentType: HTML });
    site.serve('/world/markets', { body: newsPage(markets), contentType: HTML });
    site.serve('/world/round-up', { body: newsPage(sport), contentType: HTML });
    // A world-news feed: titles written for a world audience, no summaries.
    const entries: FeedEntry[] = [
      { title: 'Taliban say they have taken the last holdout province', link: site.url('/world/holdout'), published: '2021-09-06T10:00:00Z' },
      { title: markets.headline, link: site.url('/world/markets'), published: markets.published! },
      { title: sport.headline, link: site.url('/world/round-up'), published: sport.published! },
      { title: 'Cricket: cup final tickets sold out', link: site.url('/world/tickets'), published: '2021-08-25T05:00:00Z' },
    ];
    site.serve('/world/rss.xml', { body: rssFeed('World Desk', site.url('/world'), entries), contentType: RSS, validators: true });
    listFeeds([{ url: site.url('/world/rss.xml'), include: ['ahmad-massoud', 'panjshir'], exclude: ['cricket'] }]);

    const [report] = await poller.tick();
    const byTitle = new Map(report!.items.map((i) => [i.title, i]));
    // The holdout report never names the valley in its title, but its article does: taken.
    expect(byTitle.get('Taliban say they have taken the last holdout province')).toMatchObject({ status: 'added', matched: 'the article mentions "ahmad-massoud"' });
    const holdout = byTitle.get('Taliban say they have taken the last holdout province')!.sourceId!;
    expect(meta(holdout)).toMatchObject({ headline: fall.headline, url: site.url('/world/holdout') });
    // Neither the item nor the article is about the story: left out, with the reason.
    expect(byTitle.get(markets.headline)).toMatchObject({ status: 'filtered', reason: 'neither the item nor its article mentions any of: ahmad-massoud, panjshir' });
    // The article names the valley, but also the excluded term: exclude wins, as it does on items.
    expect(byTitle.get(sport.headline)).toMatchObject({ status: 'filtered', reason: 'the item names none of: ahmad-massoud, panjshir; its article mentions excluded "cricket"' });
    // Excluded by its item: never fetched.
    expect(byTitle.get('Cricket: cup final tickets sold out')).toMatchObject({ status: 'filtered', reason: 'the item mentions excluded "cricket"' });
    expect(site.requestsFor('/world/tickets')).toHaveLength(0);
    // Each page judged by its article was fetched once: the taken one was not fetched again to be stored.
    for (const path of ['/world/holdout', '/world/markets', '/world/round-up']) expect(site.requestsFor(path), path).toHaveLength(1);
    expect(articleFiles()).toHaveLength(3);
    const metrics = await registry.metrics();
    for (const [verdict, count] of [['included', 1], ['none', 1], ['excluded', 1]] as const) {
      expect(metrics).toContain(`dossier_feed_article_filter_reads_total{verdict="${verdict}"} ${count}`);
    }

    // A later poll that finds the feed changed judges nothing twice: no page is fetched again.
    site.serve('/world/rss.xml', { body: rssFeed('World Desk', site.url('/world'), [...entries, { title: 'Storm warning for the coast', link: site.url('/world/storm'), published: '2021-08-25T09:00:00Z' }]), contentType: RSS, validators: true });
    site.status('/world/storm', 404);
    clock += MINUTE;
    const [again] = await poller.tick();
    expect(again?.items.filter((i) => i.url !== site.url('/world/storm')).map((i) => i.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
    for (const path of ['/world/holdout', '/world/markets', '/world/round-up']) expect(site.requestsFor(path), path).toHaveLength(1);
    // An inconclusive item whose page cannot be read cannot be judged: failed, with the reason, like any page.
    expect(again?.items.find((i) => i.url === site.url('/world/storm'))).toMatchObject({ status: 'failed', reason: 'HTTP 404 Not Found' });
  });

  it('is matched against the registry as it is now: an alias added while the bot runs counts at the next poll', async () => {
    serveKabulDispatch();
    const fall = panjshirFallReport();
    site.serve('/world/holdout', { body: newsPage({ ...fall, canonical: site.url('/world/holdout') }), contentType: HTML });
    site.serve('/kd/rss.xml', { body: rssFeed('Kabul Dispatch', site.url('/kd'), [kdEntry()]), contentType: RSS });
    listFeeds([{ url: site.url('/kd/rss.xml'), include: ['ahmad-massoud'] }]);
    expect((await poller.tick())[0]?.items[0]).toMatchObject({ status: 'added', matched: 'the item mentions "ahmad-massoud"' });

    // An editor adds a name the outlets use; the next item calls him only by it.
    const registry = join(storyDir, 'registry.yaml');
    writeFileSync(registry, readFileSync(registry, 'utf8').replace('aliases: [Ahmed Massoud,', 'aliases: [Amer Sahib, Ahmed Massoud,'));
    site.serve('/kd/rss.xml', { body: rssFeed('Kabul Dispatch', site.url('/kd'), [kdEntry(), { title: 'Amer Sahib rallies fighters in the north', link: site.url('/world/holdout'), published: '2021-08-25T07:50:00Z' }]), contentType: RSS });
    clock += MINUTE;
    const [report] = await poller.tick();
    expect(report?.items.find((i) => i.url === site.url('/world/holdout'))).toMatchObject({ status: 'added', matched: 'the item mentions "ahmad-massoud"' });
  });

  it('is picked up when story.yaml gains a feed, without a restart', async () => {
    serveKabulDispatch();
    site.serve('/kd/feed.json', { body: jsonFeed('Kabul Dispatch', site.url('/kd'), [kdEntry()]), contentType: 'application/feed+json' });
    expect(await poller.tick()).toEqual([]);
    listFeeds([{ url: site.url('/kd/feed.json') }]);
    clock += 1000;
    const [report] = await poller.tick();
    expect(report?.items[0]?.status).toBe('added');
  });
});

describe('the first poll of a new feed', () => {
  it('enters its backlog in the digest ledger at each item’s publication time, even when the knowledge is rebuilt between two of its pages', async () => {
    // In the bot, the story folder's watcher rebuilds the knowledge when an article file appears
    // and records every source it finds as seen now; it may do so while the next page is fetched.
    const watcherRebuilds = async (): Promise<void> => {
      store.recordSourcesSeen((await folderArticleStore(storyDir).list()).map((a) => a.id), new Date(clock));
    };
    await poller.stop();
    poller = newPoller(5000, (fetcher) => ({ limiter: fetcher.limiter, get: async (url, options) => (url.endsWith('/fw/fall') ? (await watcherRebuilds(), fetcher.get(url, options)) : fetcher.get(url, options)) }));
    serveKabulDispatch();
    const fall = panjshirFallReport();
    site.serve('/fw/fall', { body: newsPage({ ...fall, published: '2021-08-25T07:45:00Z' }), contentType: HTML });
    site.serve('/kd/rss.xml', {
      body: rssFeed('Kabul Dispatch', site.url('/kd'), [kdEntry(), { title: fall.headline, link: site.url('/fw/fall'), published: '2021-08-25T07:45:00Z' }]),
      contentType: RSS,
    });
    listFeeds([{ url: site.url('/kd/rss.xml') }]);

    const [report] = await poller.tick();
    expect(report?.items.map((i) => i.status)).toEqual(['added', 'added']);
    const seen = store.sourcesSeen();
    expect(seen.get(report!.items[0]!.sourceId!)?.toISOString()).toBe(new Date(kd.published!).toISOString());
    expect(seen.get(report!.items[1]!.sourceId!)?.toISOString()).toBe('2021-08-25T07:45:00.000Z');
  });
});

describe('one article, however many copies', () => {
  it('records a wire report on another site as another appearance of the stored article, not a new source', async () => {
    const afp = afpBesiegedReport();
    site.serve('/mirror/afp-besieged', {
      body: newsPage({ ...afp, outlet: 'Wire Mirror', paragraphs: [...afp.paragraphs.slice(0, -1), 'AFP contributed to this report.'], published: '2021-08-23T11:00:00Z' }),
      contentType: HTML,
    });
    site.serve('/mirror/rss.xml', { body: rssFeed('Wire Mirror', site.url('/mirror'), [{ title: afp.headline, link: site.url('/mirror/afp-besieged'), published: '2021-08-23T11:00:00Z' }]), contentType: RSS });
    listFeeds([{ url: site.url('/mirror/rss.xml') }]);

    const [report] = await poller.tick();
    expect(report?.items[0]).toMatchObject({ status: 'duplicate', sourceId: '003_150d7347964c21d9', reason: expect.stringContaining('syndicated copy of 003_150d7347964c21d9 (TheJournal.ie)') });
    expect(articleFiles()).toHaveLength(2);
    expect(meta('003_150d7347964c21d9').appearances).toEqual([{ outlet: 'Wire Mirror', url: site.url('/mirror/afp-besieged') }]);
    // No self-corroboration: the Mujahid quote is still carried by the two original sources only.
    const kb = loadStory(storyDir);
    expect(kb.sources).toHaveLength(2);
    // /sources lists the outlets that ran it.
    const snapshot = { kb, search: createKnowledgeSearch(kb), version: 't', loadedAt: new Date(clock) };
    const listing = await sourcesCommand({ knowledge: () => snapshot }).run({ text: '', args: {} } as never, {} as never);
    expect(listing.sections?.[0]?.lines?.find((l) => l.text.startsWith('TheJournal.ie'))?.note).toContain('also ran in Wire Mirror');
  });

  it('treats tracking parameters, AMP and mobile variants of one page as that page', async () => {
    serveKabulDispatch();
    site.serve('/kd/masood-vows/amp', { body: newsPage({ ...kd, canonical: site.url('/kd/masood-vows') }), contentType: HTML });
    const entries: FeedEntry[] = [
      { ...kdEntry(), id: 'a', link: site.url('/kd/masood-vows?utm_source=rss&utm_medium=feed') },
      { ...kdEntry(), id: 'b', link: site.url('/kd/masood-vows/amp'), published: '2021-08-25T07:31:00Z' },
    ];
    site.serve('/kd/rss.xml', { body: rssFeed('Kabul Dispatch', site.url('/kd'), entries), contentType: RSS });
    listFeeds([{ url: site.url('/kd/rss.xml') }]);

    const [report] = await poller.tick();
    expect(report?.items.map((i) => i.status)).toEqual(['added', 'duplicate']);
    expect(report?.items[1]?.reason).toBe(`already stored as ${report?.items[0]?.sourceId}`);
    expect(articleFiles()).toHaveLength(3);
  });

  it('replaces an article with its newer version when the page is updated', async () => {
    serveKabulDispatch({ modified: '2021-08-25T07:30:00Z' });
    site.serve('/kd/rss.xml', { body: rssFeed('Kabul Dispatch', site.url('/kd'), [kdEntry()]), contentType: RSS });
    listFeeds([{ url: site.url('/kd/rss.xml') }]);
    const [first] = await poller.tick();
    const oldId = first!.items[0]!.sourceId!;

    const update = 'Update: Masood later said talks with the Taliban delegation in Charikar had ended without agreement.';
    serveKabulDispatch({ modified: '2021-08-25T12:00:00Z', paragraphs: [...kd.paragraphs, update] });
    site.serve('/kd/atom.xml', { body: atomFeed('Kabul Dispatch', site.url('/kd'), [{ ...kdEntry(), id: 'kd-1-updated', published: '2021-08-25T12:00:00Z' }]), contentType: 'application/atom+xml' });
    listFeeds([{ url: site.url('/kd/rss.xml') }, { url: site.url('/kd/atom.xml') }]);
    clock += MINUTE;
    const reports = await poller.tick();
    const updated = reports.flatMap((r) => r.items).find((i) => i.status === 'updated');
    expect(updated?.outcome).toMatchObject({ status: 'updated', sourceId: oldId, replaced: oldId });

    expect(articleFiles()).toHaveLength(3);
    const kb = loadStory(storyDir);
    const fromPage = kb.sources.filter((s) => s.url === site.url('/kd/masood-vows'));
    expect(fromPage.map((s) => s.id)).toEqual([oldId]);
    expect(fromPage[0]?.raw).toContain('Charikar');
  });
});

describe('an item its feed marks updated', () => {
  /** The feed with its one item published (or updated) at `at`. */
  function serveFeedUpdatedAt(at: number): void {
    site.serve('/kd/atom.xml', { body: atomFeed('Kabul Dispatch', site.url('/kd'), [{ ...kdEntry(), published: new Date(at).toISOString() }]), contentType: 'application/atom+xml' });
  }
  const servePage = (extra: Partial<typeof kd> = {}): void =>
    site.serve('/kd/masood-vows', { body: newsPage({ ...kd, canonical: site.url('/kd/masood-vows'), ...extra }), contentType: HTML, validators: true, lastModified: 'Wed, 25 Aug 2021 07:30:00 GMT' });

  it('asks for its page again conditionally: an unchanged page (304) is not downloaded or stored again, a changed one replaces the article', async () => {
    servePage({ modified: '2021-08-25T07:30:00Z' });
    serveFeedUpdatedAt(clock - MINUTE);
    listFeeds([{ url: site.url('/kd/atom.xml') }]);
    const [first] = await poller.tick();
    expect(first?.items[0]?.status).toBe('added');
    const sourceId = first!.items[0]!.sourceId!;
    const files = articleFiles();

    // The feed says the item changed; the page did not.
    clock += MINUTE;
    serveFeedUpdatedAt(clock + 1000);
    clock += MINUTE;
    const [second] = await poller.tick();
    expect(second?.items[0]).toMatchObject({ status: 'duplicate', sourceId });
    expect(second?.items[0]?.reason).toMatch(/has not changed .*HTTP 304/u);
    const pageRequests = site.requestsFor('/kd/masood-vows');
    expect(pageRequests).toHaveLength(2);
    expect(pageRequests[1]?.headers['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/u);
    expect(pageRequests[1]?.headers['if-modified-since']).toBe('Wed, 25 Aug 2021 07:30:00 GMT');
    expect(articleFiles()).toEqual(files);

    // Then the page really changes: the same conditional request gets the new page.
    const update = 'Update: Masood later said talks with the Taliban delegation in Charikar had ended without agreement.';
    servePage({ modified: '2021-08-25T12:00:00Z', paragraphs: [...kd.paragraphs, update] });
    serveFeedUpdatedAt(clock + 1000);
    clock += MINUTE;
    const [third] = await poller.tick();
    expect(third?.items[0]).toMatchObject({ status: 'updated', sourceId });
    expect(site.requestsFor('/kd/masood-vows')).toHaveLength(3);
    expect(loadStory(storyDir).sources.find((s) => s.id === sourceId)?.raw).toContain('Charikar');
  });
});

describe('bad input: a logged, counted, visible state, and the others go on', () => {
  it('handles every bad feed and page in one tick while the good feed is ingested', async () => {
    await poller.stop();
    poller = newPoller(1500);
    serveKabulDispatch();
    site.serve('/kd/rss.xml', { body: rssFeed('Kabul Dispatch', site.url('/kd'), [kdEntry()]), contentType: RSS });
    site.serve('/bad/malformed.xml', { body: '<?xml version="1.0"?><rss version="2.0"><channel><title>Broken<item><title>x</title></channel>', contentType: RSS });
    site.status('/bad/gone.xml', 410);
    site.hang('/bad/hang.xml', RSS);
    site.huge('/bad/huge.xml', { contentType: RSS });
    site.redirectLoop('/bad/loop-a.xml', '/bad/loop-b.xml');
    site.serve('/bad/page.xml', { body: newsPage(kd), contentType: HTML });
    // Retry-After holds the whole host, so the busy feed lives on a host of its own.
    const busy = await FakeNewsSite.start({ clock: () => clock });
    extraSites.push(busy);
    busy.status('/bad/busy.xml', 503, { 'Retry-After': '3600' });
    const at = (path: string) => (path === '/bad/busy.xml' ? busy.url(path) : site.url(path));

    // A feed whose items point at every kind of bad page, and one page in windows-1252.
    const afp = afpBesiegedReport();
    site.status('/pages/missing', 404);
    site.status('/pages/gone', 410);
    site.hang('/pages/hang');
    site.huge('/pages/huge');
    site.redirectLoop('/pages/loop-a', '/pages/loop-b');
    site.serve('/pages/report.pdf', { body: Buffer.from('%PDF-1.4 …'), contentType: 'application/pdf' });
    site.serve('/pages/klingon', { body: Buffer.from(newsPage(kd)), contentType: 'text/html; charset=x-klingon' });
    site.serve('/pages/paywalled', { body: paywallPage(afp), contentType: HTML });
    site.serve('/pages/consent', { body: cookieWallPage('Kabul Dispatch'), contentType: HTML });
    site.serve('/pages/index', { body: indexPage('Kabul Dispatch', Array.from({ length: 30 }, (_, i) => ({ title: `Panjshir story ${i} of the week's coverage`, href: `/p/${i}` }))), contentType: HTML });
    const fall = panjshirFallReport();
    const latin = { ...fall, headline: 'Panjshir: résistance à Bazarak', paragraphs: fall.paragraphs.map((p) => p.replace('the resistance would continue', 'the resistance would “continue”')) };
    site.serve('/pages/latin', { body: windows1252(newsPage(latin).replace('<meta charset="utf-8">', '<meta charset="windows-1252">')), contentType: 'text/html' });
    const pageItems: Array<[string, string]> = [
      ['/pages/missing', 'HTTP 404 Not Found'],
      ['/pages/gone', 'HTTP 410 Gone'],
      ['/pages/hang', 'no complete answer within 1500 ms'],
      ['/pages/huge', 'response is over the 1048576-byte limit'],
      ['/pages/loop-a', 'redirect loop'],
      ['/pages/report.pdf', 'content type application/pdf is not an HTML page'],
      ['/pages/klingon', 'the page is in an encoding Dossier cannot read ("x-klingon")'],
      ['/pages/paywalled', 'paywall'],
      ['/pages/consent', 'cookie wall'],
      ['/pages/index', 'not an article'],
    ];
    site.serve('/pages/rss.xml', {
      body: rssFeed('Pages', site.url('/pages'), [...pageItems.map(([path], i) => ({ title: `Panjshir item ${i}`, link: site.url(path), published: `2021-08-24T0${i}:00:00Z` })), { title: latin.headline, link: site.url('/pages/latin'), published: '2021-08-24T10:00:00Z' }]),
      contentType: RSS,
    });
    const badFeeds: Array<[string, string]> = [
      ['/bad/malformed.xml', 'not a readable feed'],
      ['/bad/gone.xml', 'HTTP 410 Gone'],
      ['/bad/hang.xml', 'no complete answer within 1500 ms'],
      ['/bad/huge.xml', 'over the 1048576-byte limit'],
      ['/bad/loop-a.xml', 'redirect loop'],
      ['/bad/page.xml', 'content type text/html is not a feed'],
      ['/bad/busy.xml', 'HTTP 503 Service Unavailable (Retry-After 3600 s)'],
    ];
    listFeeds([{ url: site.url('/kd/rss.xml') }, { url: site.url('/pages/rss.xml') }, ...badFeeds.map(([path]) => ({ url: at(path) }))]);

    const reports = await poller.tick();
    const byFeed = new Map(reports.map((r) => [r.feed, r]));
    expect(byFeed.get(site.url('/kd/rss.xml'))?.items[0]?.status).toBe('added');

    // Bad feeds: failing, with the reason and URL in health, in the log, and counted.
    const health = new Map(poller.health().feeds.map((f) => [f.url, f]));
    for (const [path, reason] of badFeeds) {
      expect(byFeed.get(at(path))).toMatchObject({ outcome: 'failed', reason: expect.stringContaining(reason) });
      expect(health.get(at(path))).toMatchObject({ state: 'failing', consecutiveFailures: 1, lastError: expect.stringContaining(at(path)) });
      expect(logs.lines.some((l) => l.msg === 'feed poll failed' && l.feed === at(path) && String(l.reason).includes(reason))).toBe(true);
    }
    // Bad pages: failed items with their reasons, logged with the URL; the good page among them is stored.
    const pages = byFeed.get(site.url('/pages/rss.xml'))!;
    for (const [path, reason] of pageItems) {
      expect(pages.items.find((i) => i.url === site.url(path))).toMatchObject({ status: 'failed', reason: expect.stringContaining(reason) });
      expect(logs.lines.some((l) => l.msg === 'feed item not ingested' && l.url === site.url(path))).toBe(true);
    }
    // The feed of bad pages polled fine, and shows its latest failed item in health all the same.
    expect(health.get(site.url('/pages/rss.xml'))).toMatchObject({ state: 'ok', lastItemError: expect.stringMatching(/^not an article: .* \(http:\/\/127\.0\.0\.1:\d+\/pages\/index\)$/u) });
    const latinItem = pages.items.find((i) => i.url === site.url('/pages/latin'));
    expect(latinItem?.status).toBe('added');
    expect(readFileSync(join(storyDir, 'articles', `${latinItem!.sourceId}.txt`), 'utf8')).toContain('the resistance would “continue”');
    expect(meta(latinItem!.sourceId!).headline).toBe('Panjshir: résistance à Bazarak');

    const metrics = await registry.metrics();
    expect(metrics).toContain('dossier_feed_polls_total{outcome="failed"} 7');
    expect(metrics).toContain('dossier_feed_items_total{status="failed"} 10');
    for (const kind of ['http-status', 'malformed-feed', 'timeout', 'too-large', 'redirect-loop', 'unsupported-type', 'unsupported-charset', 'rate-limited', 'paywall', 'cookie-wall', 'not-an-article']) {
      expect(metrics).toMatch(new RegExp(`dossier_feed_failures_total\\{kind="${kind}"\\} [1-9]`, 'u'));
    }
    expect(metrics).toContain('dossier_feeds{state="failing"} 7');

    // Backoff: the failing feeds come back after their backoff, the busy one not before its Retry-After.
    clock += 2 * MINUTE;
    const later = await poller.tick();
    const polled = new Set(later.map((r) => r.feed));
    expect(polled.has(site.url('/bad/gone.xml'))).toBe(true);
    expect(polled.has(busy.url('/bad/busy.xml'))).toBe(false);
    expect(busy.requests).toHaveLength(1);
    expect(polled.has(site.url('/kd/rss.xml'))).toBe(true);
    // Permanent page failures are not fetched again.
    expect(site.requestsFor('/pages/gone')).toHaveLength(1);
  });
});
