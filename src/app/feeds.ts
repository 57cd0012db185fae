/**
 * Feed polling in the running bot: one poller for the story, ticking every few seconds. Each
 * tick re-reads story.yaml's `feeds:` and does nothing at all (no network) while it lists none,
 * so the quick start is unchanged and feeds can be added without a restart. Articles it stores
 * are picked up by the knowledge service at once; feed states go to `/healthz` details and the
 * counts to `/metrics`. With several instances on one database, only the holder of the `feeds`
 * lease polls.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { createFetcher, dossierUserAgent } from '../fetch/fetcher.js';
import { createFeedMetrics } from '../feeds/metrics.js';
import { createFeedPoller, type FeedPoller, type FeedPollReport } from '../feeds/poller.js';
import type { HealthRegistry } from '../observability/health.js';
import type { Logger } from '../observability/logger.js';
import type { DossierMetrics } from '../observability/metrics.js';
import { folderArticleStore } from '../storage/articles.js';
import { createSingleton, type Singleton } from '../storage/singleton.js';
import type { Core } from './core.js';

/**
 * The longest the bot sleeps between two looks at its feeds: story.yaml is read again (and a feed
 * added there first polled) at most this long after it changed. Between, the bot wakes when the
 * next feed is due, so a feed's `every` is kept to the second, not rounded up to this tick.
 */
export const FEED_TICK_MS = 15_000;
/** The shortest sleep (the floor of a local feed's `every`), so a feed left due in the past (its state could not be saved) cannot make the loop spin. */
const MIN_SLEEP_MS = 1000;

export interface RunningFeeds {
  readonly poller: FeedPoller;
  /** Poll the feeds that are due now (tests call it with their own clock instead of waiting). */
  tick(now?: Date): Promise<FeedPollReport[]>;
  stop(): Promise<void>;
}

export interface FeedsOptions {
  core: Core;
  story: string;
  logger: Logger;
  metrics: DossierMetrics;
  health: HealthRegistry;
  now?: () => Date;
  /** Where the operator's public page is (`PUBLIC_URL`), named in the User-Agent. */
  publicUrl?: string;
}

/**
 * Start polling the story's feeds (on one instance at a time: the feeds lease).
 *
 * @example
 * const feeds = startFeeds({ core, story: config.STORY, logger, metrics, health });
 * shutdown.register('schedulers', 'feeds', () => feeds?.stop());
 */
export function startFeeds(options: FeedsOptions): RunningFeeds | undefined {
  const { core, logger } = options;
  // Both databases keep feed state (SQLite and PostgreSQL), so every instance sees what was polled.
  const store = core.store;
  const now = options.now ?? (() => new Date());
  const log = logger.child({ component: 'feeds' });
  const fetcher = createFetcher({ userAgent: dossierUserAgent(options.publicUrl) });
  const poller = createFeedPoller({
    story: options.story,
    storyDir: core.storyDir,
    articles: core.database.articles ?? folderArticleStore(core.storyDir),
    store,
    fetcher,
    logger,
    clock: now,
    metrics: createFeedMetrics(options.metrics.registry),
    onArticlesChanged: () => core.knowledge.refresh(),
  });
  options.health.setDetails('feeds', () => poller.health());
  const lease: Singleton = createSingleton({
    leases: store,
    name: `feeds:${options.story}`,
    owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    // Leases on the database's clock when it has one (PostgreSQL), as the digests' are.
    now: store.leaseClock?.bind(store) ?? now,
    onChange: (held) => log.info({ held }, held ? 'this instance polls the feeds' : 'another instance polls the feeds'),
    onError: (error) => log.warn({ err: error }, 'feed lease could not be checked'),
  });
  let running: Promise<unknown> = Promise.resolve();
  const tick = (at?: Date): Promise<FeedPollReport[]> => {
    const next = running.then(async () => (await lease.ifHeld(() => poller.tick(at ?? now()))) ?? []);
    running = next.catch((error: unknown) => log.error({ err: error }, 'feed tick failed'));
    return next;
  };
  lease.start();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  /** Sleep `wait` ms, tick, then sleep until the next feed is due (at most FEED_TICK_MS; the full tick while another instance polls). */
  const schedule = (wait: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      void tick()
        .catch(() => undefined)
        .then(() => {
          const due = lease.held ? poller.nextDueAt() : undefined;
          schedule(due === undefined ? FEED_TICK_MS : Math.min(FEED_TICK_MS, Math.max(MIN_SLEEP_MS, due.getTime() - now().getTime())));
        });
    }, wait);
    timer.unref();
  };
  // The first look right after start: feeds due while the bot was down are polled at once.
  schedule(MIN_SLEEP_MS);
  return {
    poller,
    tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      lease.stop();
    },
  };
}
