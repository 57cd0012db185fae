/**
 * Feed metrics on the bot's prom-client registry (so they appear on `/metrics` beside the rest):
 *
 * - `dossier_feed_polls_total{outcome}`: ok, not-modified, failed
 * - `dossier_feed_items_total{status}`: added, duplicate, updated, filtered, failed
 * - `dossier_feed_failures_total{kind}`: why a feed or page failed (http-status, rate-limited,
 *   timeout, network, too-large, redirect-loop, too-many-redirects, unsupported-type,
 *   unsupported-charset, malformed-feed, paywall, cookie-wall, not-an-article, invalid-article…)
 * - `dossier_feeds{state}`: feeds by their last poll's state (ok, not-modified, failing, new)
 * - `dossier_feed_article_filter_reads_total{verdict}`: pages fetched only because their item
 *   named none of the feed's `include` terms, by what the article said (included, excluded,
 *   none) or `failed` when the page could not be read — the price of judging by the article
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { FeedItemStatus, FeedPollStatus } from '../storage/types.js';

export interface FeedMetrics {
  poll(outcome: 'ok' | 'not-modified' | 'failed'): void;
  item(status: FeedItemStatus): void;
  failure(kind: string): void;
  setFeedStates(states: readonly FeedPollStatus[]): void;
  /** A page was read to judge an item its feed item could not (see the module comment). */
  articleJudged(verdict: 'included' | 'excluded' | 'none' | 'failed'): void;
}

/** Metrics that count nothing (the ingest command, tests that do not look). */
export const noFeedMetrics: FeedMetrics = { poll: () => undefined, item: () => undefined, failure: () => undefined, setFeedStates: () => undefined, articleJudged: () => undefined };

/**
 * Register the feed metrics on `registry`.
 *
 * @example
 * const feedMetrics = createFeedMetrics(app.metrics.registry);
 */
export function createFeedMetrics(registry: Registry): FeedMetrics {
  const polls = new Counter({ name: 'dossier_feed_polls_total', help: 'Feed polls by outcome (ok, not-modified, failed).', labelNames: ['outcome'] as const, registers: [registry] });
  const items = new Counter({ name: 'dossier_feed_items_total', help: 'Feed items handled, by status (added, duplicate, updated, filtered, failed).', labelNames: ['status'] as const, registers: [registry] });
  const failures = new Counter({ name: 'dossier_feed_failures_total', help: 'Feed and page failures by kind (http-status, timeout, too-large, malformed-feed, paywall, …).', labelNames: ['kind'] as const, registers: [registry] });
  const feeds = new Gauge({ name: 'dossier_feeds', help: 'Configured feeds by the state of their last poll (new, ok, not-modified, failing).', labelNames: ['state'] as const, registers: [registry] });
  const judged = new Counter({
    name: 'dossier_feed_article_filter_reads_total',
    help: "Pages fetched to judge an item against its feed's include terms because the item named none of them, by the article's verdict (included, excluded, none, failed).",
    labelNames: ['verdict'] as const,
    registers: [registry],
  });
  for (const outcome of ['ok', 'not-modified', 'failed']) polls.inc({ outcome }, 0);
  for (const status of ['added', 'duplicate', 'updated', 'filtered', 'failed']) items.inc({ status }, 0);
  return {
    poll: (outcome) => polls.inc({ outcome }),
    item: (status) => items.inc({ status }),
    failure: (kind) => failures.inc({ kind }),
    articleJudged: (verdict) => judged.inc({ verdict }),
    setFeedStates(states) {
      for (const state of ['new', 'ok', 'not-modified', 'failing'] as const) feeds.set({ state }, states.filter((s) => s === state).length);
    },
  };
}
