/**
 * Polls a story's feeds and ingests their new items.
 *
 * Each tick re-reads `story.yaml`'s `feeds:` (only when the file changed) and polls every feed
 * whose time has come. A poll is one conditional GET of the feed; each item not handled before
 * is filtered by the feed's include/exclude terms, then its page is fetched, extracted and
 * stored ({@link ingestPage}) — or recognised as a duplicate, a syndicated copy or an update.
 * What became of every item and every feed is kept in the database ({@link FeedStore}), so a
 * restart re-ingests nothing.
 *
 * Failures stay where they happen: a failing feed backs off exponentially (with jitter, and
 * never sooner than a `Retry-After`) and is shown as `failing` with its reason; a failing item
 * is tried again on the next polls (at most {@link MAX_ITEM_ATTEMPTS} times); neither stops the
 * other feeds or the bot.
 *
 * First poll of a new feed: its current items are the backlog. They are ingested (the bot can
 * answer about them) but enter the digests' ledger at their publication time instead of now,
 * so a digest only carries the ones published since that chat's previous digest — adding a
 * feed never dumps its whole backlog into every chat.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Fetcher } from '../fetch/fetcher.js';
import { loadRegistry, type RegistryEntity } from '../knowledge/registry.js';
import type { Logger } from '../observability/logger.js';
import type { ArticleStore } from '../storage/articles.js';
import type { FeedItemRecord, FeedItemStatus, FeedState, FeedStore, SourceLedger, WebArticleRecord } from '../storage/types.js';
import { FeedConfigWatcher, judgeText, type FeedConfig } from './config.js';
import { noFeedMetrics, type FeedMetrics } from './metrics.js';
import { normaliseUrl } from './identity.js';
import { indexStoryArticles, ingestPage, readPage, type PageOutcome, type PageReading } from './page-ingest.js';
import { FeedParseError, parseFeedDocument, type FeedItem } from './parse.js';

/** A failed item is tried again on later polls this many times in all, then left as failed. */
export const MAX_ITEM_ATTEMPTS = 3;
/** Longest backoff of a failing feed. */
export const MAX_BACKOFF_MS = 6 * 3_600_000;

/** What became of one item in one poll. */
export interface ItemReport {
  url: string;
  title: string;
  status: FeedItemStatus;
  reason?: string;
  sourceId?: string;
  /** The page outcome when the page was fetched (added/updated carry the article's metadata). */
  outcome?: PageOutcome;
  /** Why the feed's `include` filter took it: the item or, when the item named none of the terms, its article. */
  matched?: string;
}

export interface FeedPollReport {
  feed: string;
  outcome: 'ok' | 'not-modified' | 'failed';
  reason?: string;
  /** The first poll of this feed (its items are the backlog). */
  firstPoll: boolean;
  items: ItemReport[];
}

/** A feed's state as `/healthz` shows it. */
export interface FeedHealth {
  url: string;
  state: FeedState['status'];
  lastError?: string;
  lastSuccessAt?: string;
  nextPollAt?: string;
  consecutiveFailures: number;
  /** The latest item of this feed that could not be ingested since the bot started: reason (URL). */
  lastItemError?: string;
  lastItemErrorAt?: string;
}

export interface FeedPollerOptions {
  story: string;
  /** The story folder: its story.yaml lists the feeds, its registry.yaml the entities filters may name. */
  storyDir: string;
  /** Where articles are stored (the folder in SQLite mode, the database in PostgreSQL mode). */
  articles: ArticleStore;
  store: FeedStore & Partial<SourceLedger>;
  fetcher: Fetcher;
  logger: Logger;
  clock?: () => Date;
  metrics?: FeedMetrics;
  /** Called after a poll stored or changed articles (the bot refreshes its knowledge). */
  onArticlesChanged?: () => unknown;
  /** In [0, 1): the jitter of the backoff (injected in tests). */
  random?: () => number;
  /** Feeds polled at once (default 4); per-host limits apply inside the fetcher. */
  concurrency?: number;
}

export interface FeedPoller {
  /** Poll every feed that is due at `now`; resolves with one report per polled feed. */
  tick(now?: Date): Promise<FeedPollReport[]>;
  /** Poll one feed now, due or not (the ingest command). */
  pollFeed(feed: FeedConfig, now?: Date): Promise<FeedPollReport>;
  /** Tick every `everyMs` until {@link stop}. */
  start(everyMs?: number): void;
  /** Stop ticking and wait for a tick in progress. */
  stop(): Promise<void>;
  /** Every configured feed's state, for `/healthz`. */
  health(): { feeds: FeedHealth[]; configError?: string };
  /** When the first configured feed is due (now for one never polled); `undefined` without feeds. */
  nextDueAt(): Date | undefined;
}

/** Exponential backoff with full jitter: base × 2^(failures−1), capped, times a random factor in [0.5, 1). */
export function backoffMs(intervalMs: number, failures: number, random: () => number): number {
  const raw = Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** Math.max(0, failures - 1));
  return Math.round(raw * (0.5 + random() / 2));
}

/**
 * Create the poller of one story.
 *
 * @example
 * const poller = createFeedPoller({ story: 'panjshir', storyDir, store, fetcher, logger, onArticlesChanged: () => knowledge.refresh() });
 * poller.start(15_000);
 */
export function createFeedPoller(options: FeedPollerOptions): FeedPoller {
  const { story, storyDir, store, fetcher, articles } = options;
  const clock = options.clock ?? (() => new Date());
  const metrics = options.metrics ?? noFeedMetrics;
  const random = options.random ?? Math.random;
  const log = options.logger.child({ component: 'feeds' });
  const config = new FeedConfigWatcher(storyDir);
  let entities: RegistryEntity[] = [];
  let indexed = false;
  let seenGeneration = -1;
  /** Each feed's latest failed item in this process, for /healthz (the poll itself may be fine). */
  const lastItemFailure = new Map<string, { reason: string; url: string; at: Date }>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  let registrySignature = '';
  /**
   * The registry's entities, read again whenever registry.yaml changed (an editor adding an alias
   * changes what an entity-id filter matches). Called by every poll, the ingest command's too.
   */
  function refreshEntities(): void {
    const file = join(storyDir, 'registry.yaml');
    let signature = 'missing';
    try {
      const info = statSync(file);
      signature = `${info.size}:${info.mtimeMs}`;
    } catch {
      // loadRegistry below says why.
    }
    if (signature === registrySignature) return;
    registrySignature = signature;
    try {
      entities = loadRegistry(file).entities;
    } catch (error) {
      log.warn({ err: error }, 'registry cannot be read; feed filters match keywords only');
    }
  }

  async function ensureIndexed(now: Date): Promise<void> {
    if (indexed) return;
    const added = await indexStoryArticles(story, articles, store, now);
    if (added > 0) log.info({ articles: added }, 'story articles indexed for duplicate detection');
    indexed = true;
  }

  /**
   * The feed's filters on one item: on the item's own words first (free); only an item that names
   * none of the include terms is judged by its article, whose page is then handed on to be
   * stored if it is taken (fetched once). A page that cannot be read is handed on too: storing
   * it fails the same way, with its reason.
   */
  async function judgeItem(item: FeedItem, feed: FeedConfig, stored: WebArticleRecord | undefined): Promise<{ filtered: string } | { filtered?: undefined; matched?: string; reading?: PageReading }> {
    const onItem = judgeText([item.title, item.summary, ...item.categories].join('\n'), feed, entities);
    if (onItem.kind === 'excluded') return { filtered: `the item mentions excluded "${onItem.term}"` };
    if (onItem.kind === 'included') return { matched: `the item mentions "${onItem.term}"` };
    if (onItem.kind === 'unfiltered') return {};
    const reading = await readPage(item.url, fetcher, stored);
    if (!reading.ok) {
      // Not modified: the stored article was judged (and taken) before; nothing new to judge.
      if (reading.outcome.status === 'failed') metrics.articleJudged('failed');
      return { reading };
    }
    const { extracted } = reading;
    const onArticle = judgeText([extracted.metadata.headline ?? '', ...extracted.paragraphs].join('\n'), feed, entities);
    metrics.articleJudged(onArticle.kind === 'included' ? 'included' : onArticle.kind === 'excluded' ? 'excluded' : 'none');
    if (onArticle.kind === 'excluded') return { filtered: `the item names none of: ${feed.include.join(', ')}; its article mentions excluded "${onArticle.term}"` };
    if (onArticle.kind !== 'included') return { filtered: `neither the item nor its article mentions any of: ${feed.include.join(', ')}` };
    return { matched: `the article mentions "${onArticle.term}"`, reading };
  }

  async function handleItem(item: FeedItem, feed: FeedConfig, now: Date): Promise<ItemReport> {
    const previous = store.feedItem(story, feed.url, item.key);
    const base = { url: item.url, title: item.title };
    // The feed says the item changed since we handled it: look at the page again.
    const updatedSince = previous !== undefined && item.updated !== undefined && Date.parse(item.updated) > previous.seenAt.getTime();
    if (previous !== undefined && previous.status !== 'failed' && !updatedSince) {
      return { ...base, status: 'duplicate', reason: `already handled (${previous.status}) on ${previous.seenAt.toISOString()}`, ...(previous.sourceId ? { sourceId: previous.sourceId } : {}) };
    }
    if (previous?.status === 'failed' && previous.attempts >= MAX_ITEM_ATTEMPTS && !updatedSince) {
      return { ...base, status: 'failed', reason: `gave up after ${previous.attempts} attempts: ${previous.reason ?? 'unknown'}` };
    }
    const record = (status: FeedItemStatus, extra: Partial<FeedItemRecord> = {}): void =>
      store.saveFeedItem({ story, feedUrl: feed.url, itemKey: item.key, url: item.url, status, attempts: 0, seenAt: now, ...extra });

    // An updated item whose page is stored: its page is asked for conditionally.
    const stored = updatedSince ? store.webArticleByUrl(story, normaliseUrl(item.url)) : undefined;
    const verdict = await judgeItem(item, feed, stored);
    if (verdict.filtered !== undefined) {
      record('filtered', { reason: verdict.filtered });
      metrics.item('filtered');
      log.debug({ feed: feed.url, url: item.url, reason: verdict.filtered }, 'feed item filtered');
      return { ...base, status: 'filtered', reason: verdict.filtered };
    }
    const { matched, reading } = verdict;
    const outcome = await ingestPage(item.url, { story, articles, fetcher, store, now: () => now }, { fallbacks: { headline: item.title, ...(item.published ? { published: item.published } : {}) } }, reading);
    const judged = matched === undefined ? {} : { matched };
    metrics.item(outcome.status);
    if (outcome.status === 'failed') {
      const attempts = (previous?.status === 'failed' ? previous.attempts : 0) + 1;
      // A permanent failure (404, a paywall) is not worth the retries.
      record('failed', { reason: outcome.reason, attempts: outcome.permanent ? MAX_ITEM_ATTEMPTS : attempts });
      metrics.failure(outcome.failure);
      log.warn({ feed: feed.url, url: item.url, reason: outcome.reason, kind: outcome.failure }, 'feed item not ingested');
      lastItemFailure.set(feed.url, { reason: outcome.reason, url: item.url, at: now });
      return { ...base, status: 'failed', reason: outcome.reason, outcome };
    }
    record(outcome.status, { sourceId: outcome.sourceId, ...(outcome.status === 'duplicate' ? { reason: outcome.reason } : {}) });
    if (outcome.status === 'duplicate') {
      log.info({ feed: feed.url, url: item.url, sourceId: outcome.sourceId, reason: outcome.reason }, 'feed item is a duplicate');
      return { ...base, status: 'duplicate', reason: outcome.reason, sourceId: outcome.sourceId, outcome, ...judged };
    }
    log.info({ feed: feed.url, url: item.url, sourceId: outcome.sourceId, status: outcome.status, ...judged }, outcome.status === 'added' ? 'article added from feed' : 'article updated from feed');
    return { ...base, status: outcome.status, sourceId: outcome.sourceId, outcome, ...judged };
  }

  function failFeed(state: FeedState, feed: FeedConfig, now: Date, reason: string, kind: string, retryAfterMs?: number): FeedPollReport {
    const failures = state.consecutiveFailures + 1;
    const wait = Math.max(backoffMs(feed.intervalMs, failures, random), retryAfterMs ?? 0);
    store.saveFeedState({ ...state, lastPolledAt: now, consecutiveFailures: failures, status: 'failing', lastError: `${reason} (${feed.url})`, nextPollAt: new Date(now.getTime() + wait) });
    metrics.poll('failed');
    metrics.failure(kind);
    log.warn({ feed: feed.url, reason, kind, failures, nextPollAt: new Date(now.getTime() + wait).toISOString() }, 'feed poll failed');
    return { feed: feed.url, outcome: 'failed', reason, firstPoll: state.status === 'new', items: [] };
  }

  async function pollFeed(feed: FeedConfig, now = clock()): Promise<FeedPollReport> {
    await ensureIndexed(now);
    refreshEntities();
    const state: FeedState = store.feedState(story, feed.url) ?? { story, url: feed.url, subscribedAt: now, consecutiveFailures: 0, status: 'new' };
    const firstPoll = state.lastSuccessAt === undefined;
    const result = await fetcher.get(feed.url, {
      expect: 'feed',
      validators: { ...(state.etag ? { etag: state.etag } : {}), ...(state.lastModified ? { lastModified: state.lastModified } : {}) },
    });
    if (result.kind === 'failed') return failFeed(state, feed, now, result.reason, result.failure, result.retryAfterMs);
    const next = new Date(now.getTime() + feed.intervalMs);
    const { lastError: _cleared, ...rest } = state;
    if (result.kind === 'not-modified') {
      store.saveFeedState({ ...rest, lastPolledAt: now, lastSuccessAt: now, consecutiveFailures: 0, status: 'not-modified', nextPollAt: next });
      metrics.poll('not-modified');
      return { feed: feed.url, outcome: 'not-modified', firstPoll: false, items: [] };
    }
    let parsed;
    try {
      parsed = parseFeedDocument(result.text, result.url);
    } catch (error) {
      if (error instanceof FeedParseError) return failFeed(state, feed, now, error.message, 'malformed-feed');
      throw error;
    }
    // Oldest first, so articles are numbered in the order they were published.
    const items = [...parsed.items].sort((a, b) => (a.published ?? '').localeCompare(b.published ?? ''));
    const reports: ItemReport[] = [];
    for (const item of items) {
      const report = await handleItem(item, feed, now);
      reports.push(report);
      if (firstPoll && store.recordSourcesSeen !== undefined && (report.status === 'added' || report.status === 'updated')) {
        // The backlog enters the digest ledger at its publication time (see the module comment),
        // recorded at once: the ledger keeps the first sighting, and the story folder's watcher
        // rebuilds the knowledge (recording what it finds as seen now) while the next page is fetched.
        const published = Date.parse(item.published ?? '');
        store.recordSourcesSeen([report.sourceId!], new Date(Number.isNaN(published) ? 0 : Math.min(published, now.getTime())));
      }
    }
    const added = reports.filter((r) => r.status === 'added' || r.status === 'updated');
    store.saveFeedState({
      ...rest,
      ...(result.etag ? { etag: result.etag } : {}),
      ...(result.lastModified ? { lastModified: result.lastModified } : {}),
      lastPolledAt: now,
      lastSuccessAt: now,
      consecutiveFailures: 0,
      status: 'ok',
      nextPollAt: next,
    });
    metrics.poll('ok');
    const changed = reports.some((r) => r.status === 'added' || r.status === 'updated' || (r.outcome?.status === 'duplicate' && r.outcome.appearanceAdded));
    if (changed) await options.onArticlesChanged?.();
    log.info({ feed: feed.url, items: items.length, added: added.length, firstPoll }, 'feed polled');
    return { feed: feed.url, outcome: 'ok', firstPoll, items: reports };
  }

  async function tick(now = clock()): Promise<FeedPollReport[]> {
    // /healthz and the scheduler read the file too: a change is judged against what this tick saw last.
    const { feeds, error, generation } = config.current();
    const changed = generation !== seenGeneration;
    seenGeneration = generation;
    if (error !== undefined && changed) log.error({ error }, 'story.yaml feeds are invalid; polling the last good list');
    const due = feeds.filter((feed) => {
      const next = store.feedState(story, feed.url)?.nextPollAt;
      return next === undefined || next.getTime() <= now.getTime();
    });
    const reports: FeedPollReport[] = [];
    const queue = [...due];
    const worker = async (): Promise<void> => {
      for (let feed = queue.shift(); feed !== undefined; feed = queue.shift()) {
        try {
          reports.push(await pollFeed(feed, now));
        } catch (error) {
          // A bug or a disk error in one feed must not stop the others.
          log.error({ err: error, feed: feed.url }, 'feed poll crashed');
          const reason = `internal error: ${(error as Error).message}`;
          try {
            // Backed off like any failure, so a feed that crashes the poller is not asked again at once.
            const state = store.feedState(story, feed.url) ?? { story, url: feed.url, subscribedAt: now, consecutiveFailures: 0, status: 'new' as const };
            reports.push(failFeed(state, feed, now, reason, 'internal'));
          } catch {
            metrics.failure('internal');
            reports.push({ feed: feed.url, outcome: 'failed', reason, firstPoll: false, items: [] });
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, queue.length) }, worker));
    metrics.setFeedStates(feeds.map((f) => store.feedState(story, f.url)?.status ?? 'new'));
    return reports;
  }

  return {
    tick,
    pollFeed,
    start(everyMs = 15_000) {
      if (timer !== undefined) return;
      timer = setInterval(() => {
        running = running.then(() => tick()).catch((error: unknown) => log.error({ err: error }, 'feed tick failed'));
      }, everyMs);
      timer.unref();
      running = running.then(() => tick()).catch((error: unknown) => log.error({ err: error }, 'feed tick failed'));
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
    nextDueAt() {
      let earliest: number | undefined;
      for (const feed of config.current().feeds) {
        const next = store.feedState(story, feed.url)?.nextPollAt?.getTime() ?? 0;
        earliest = earliest === undefined ? next : Math.min(earliest, next);
      }
      return earliest === undefined ? undefined : new Date(earliest);
    },
    health() {
      const { feeds, error } = config.current();
      return {
        feeds: feeds.map((feed): FeedHealth => {
          const state = store.feedState(story, feed.url);
          const itemFailure = lastItemFailure.get(feed.url);
          return {
            url: feed.url,
            state: state?.status ?? 'new',
            consecutiveFailures: state?.consecutiveFailures ?? 0,
            ...(state?.lastError ? { lastError: state.lastError } : {}),
            ...(state?.lastSuccessAt ? { lastSuccessAt: state.lastSuccessAt.toISOString() } : {}),
            ...(state?.nextPollAt ? { nextPollAt: state.nextPollAt.toISOString() } : {}),
            ...(itemFailure === undefined ? {} : { lastItemError: `${itemFailure.reason} (${itemFailure.url})`, lastItemErrorAt: itemFailure.at.toISOString() }),
          };
        }),
        ...(error === undefined ? {} : { configError: error }),
      };
    },
  };
}
