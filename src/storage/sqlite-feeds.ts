/**
 * The SQLite implementation of {@link FeedStore} (tables of migration 4): feed state, items
 * handled, and the web articles with every URL they were seen under.
 */
import type Database from 'better-sqlite3';
import type { ArticleAppearance, FeedItemRecord, FeedItemStatus, FeedPollStatus, FeedState, FeedStore, WebArticleRecord } from './types.js';

export interface FeedRow {
  story: string;
  url: string;
  subscribed_at: string;
  etag: string | null;
  last_modified: string | null;
  last_polled_at: string | null;
  last_success_at: string | null;
  next_poll_at: string | null;
  consecutive_failures: number;
  status: string;
  last_error: string | null;
}

export interface ItemRow {
  story: string;
  feed_url: string;
  item_key: string;
  url: string;
  status: string;
  reason: string | null;
  source_id: string | null;
  attempts: number;
  seen_at: string;
}

export interface ArticleRow {
  story: string;
  source_id: string;
  url_key: string;
  canonical_key: string | null;
  content_hash: string;
  sketch: string;
  modified: string | null;
  outlet: string;
  appearances: string;
  stored_at: string;
  page_etag?: string | null;
  page_last_modified?: string | null;
}

const iso = (date: Date | undefined): string | null => (date === undefined ? null : date.toISOString());

export function toFeedState(row: FeedRow): FeedState {
  return {
    story: row.story,
    url: row.url,
    subscribedAt: new Date(row.subscribed_at),
    ...(row.etag === null ? {} : { etag: row.etag }),
    ...(row.last_modified === null ? {} : { lastModified: row.last_modified }),
    ...(row.last_polled_at === null ? {} : { lastPolledAt: new Date(row.last_polled_at) }),
    ...(row.last_success_at === null ? {} : { lastSuccessAt: new Date(row.last_success_at) }),
    ...(row.next_poll_at === null ? {} : { nextPollAt: new Date(row.next_poll_at) }),
    consecutiveFailures: row.consecutive_failures,
    status: row.status as FeedPollStatus,
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
  };
}

export function toItem(row: ItemRow): FeedItemRecord {
  return {
    story: row.story,
    feedUrl: row.feed_url,
    itemKey: row.item_key,
    url: row.url,
    status: row.status as FeedItemStatus,
    ...(row.reason === null ? {} : { reason: row.reason }),
    ...(row.source_id === null ? {} : { sourceId: row.source_id }),
    attempts: row.attempts,
    seenAt: new Date(row.seen_at),
  };
}

export function toArticle(row: ArticleRow, urlKeys: readonly string[]): WebArticleRecord {
  const appearances = (JSON.parse(row.appearances) as Array<{ outlet: string; url: string; seenAt: string }>).map(
    (a): ArticleAppearance => ({ outlet: a.outlet, url: a.url, seenAt: new Date(a.seenAt) }),
  );
  return {
    story: row.story,
    sourceId: row.source_id,
    urlKey: row.url_key,
    ...(row.canonical_key === null ? {} : { canonicalKey: row.canonical_key }),
    otherUrlKeys: urlKeys.filter((k) => k !== row.url_key && k !== row.canonical_key),
    contentHash: row.content_hash,
    sketch: JSON.parse(row.sketch) as number[],
    ...(row.modified === null ? {} : { modified: row.modified }),
    outlet: row.outlet,
    appearances,
    storedAt: new Date(row.stored_at),
    ...(row.page_etag === null || row.page_etag === undefined ? {} : { pageEtag: row.page_etag }),
    ...(row.page_last_modified === null || row.page_last_modified === undefined ? {} : { pageLastModified: row.page_last_modified }),
  };
}

/**
 * Feed storage over an open, migrated database.
 *
 * @example
 * const feeds = createSqliteFeedStore(db);
 * feeds.saveFeedState({ story: 'panjshir', url, subscribedAt: now, consecutiveFailures: 0, status: 'new' });
 */
export function createSqliteFeedStore(db: Database.Database): FeedStore {
  const sql = {
    feed: db.prepare('SELECT * FROM feeds WHERE story = ? AND url = ?'),
    feeds: db.prepare('SELECT * FROM feeds WHERE story = ? ORDER BY url'),
    saveFeed: db.prepare(
      `INSERT INTO feeds (story, url, subscribed_at, etag, last_modified, last_polled_at, last_success_at, next_poll_at, consecutive_failures, status, last_error)
       VALUES (@story, @url, @subscribedAt, @etag, @lastModified, @lastPolledAt, @lastSuccessAt, @nextPollAt, @consecutiveFailures, @status, @lastError)
       ON CONFLICT (story, url) DO UPDATE SET
         subscribed_at = excluded.subscribed_at, etag = excluded.etag, last_modified = excluded.last_modified,
         last_polled_at = excluded.last_polled_at, last_success_at = excluded.last_success_at, next_poll_at = excluded.next_poll_at,
         consecutive_failures = excluded.consecutive_failures, status = excluded.status, last_error = excluded.last_error`,
    ),
    item: db.prepare('SELECT * FROM feed_items WHERE story = ? AND feed_url = ? AND item_key = ?'),
    saveItem: db.prepare(
      `INSERT INTO feed_items (story, feed_url, item_key, url, status, reason, source_id, attempts, seen_at)
       VALUES (@story, @feedUrl, @itemKey, @url, @status, @reason, @sourceId, @attempts, @seenAt)
       ON CONFLICT (story, feed_url, item_key) DO UPDATE SET
         url = excluded.url, status = excluded.status, reason = excluded.reason, source_id = excluded.source_id,
         attempts = excluded.attempts, seen_at = excluded.seen_at`,
    ),
    articleByUrl: db.prepare(
      `SELECT a.* FROM web_article_urls u JOIN web_articles a ON a.story = u.story AND a.source_id = u.source_id
       WHERE u.story = ? AND u.url_key = ?`,
    ),
    articles: db.prepare('SELECT * FROM web_articles WHERE story = ? ORDER BY source_id'),
    saveArticle: db.prepare(
      `INSERT INTO web_articles (story, source_id, url_key, canonical_key, content_hash, sketch, modified, outlet, appearances, stored_at, page_etag, page_last_modified)
       VALUES (@story, @sourceId, @urlKey, @canonicalKey, @contentHash, @sketch, @modified, @outlet, @appearances, @storedAt, @pageEtag, @pageLastModified)
       ON CONFLICT (story, source_id) DO UPDATE SET
         url_key = excluded.url_key, canonical_key = excluded.canonical_key, content_hash = excluded.content_hash,
         sketch = excluded.sketch, modified = excluded.modified, outlet = excluded.outlet,
         appearances = excluded.appearances, stored_at = excluded.stored_at,
         page_etag = excluded.page_etag, page_last_modified = excluded.page_last_modified`,
    ),
    saveUrl: db.prepare(
      `INSERT INTO web_article_urls (story, url_key, source_id) VALUES (?, ?, ?)
       ON CONFLICT (story, url_key) DO UPDATE SET source_id = excluded.source_id`,
    ),
    removeArticle: db.prepare('DELETE FROM web_articles WHERE story = ? AND source_id = ?'),
    removeUrls: db.prepare('DELETE FROM web_article_urls WHERE story = ? AND source_id = ?'),
    urlsOf: db.prepare('SELECT url_key FROM web_article_urls WHERE story = ? AND source_id = ? ORDER BY url_key'),
  };

  const saveWebArticle = db.transaction((record: WebArticleRecord) => {
    sql.saveArticle.run({
      story: record.story,
      sourceId: record.sourceId,
      urlKey: record.urlKey,
      canonicalKey: record.canonicalKey ?? null,
      contentHash: record.contentHash,
      sketch: JSON.stringify(record.sketch),
      modified: record.modified ?? null,
      outlet: record.outlet,
      appearances: JSON.stringify(record.appearances.map((a) => ({ ...a, seenAt: a.seenAt.toISOString() }))),
      storedAt: record.storedAt.toISOString(),
      pageEtag: record.pageEtag ?? null,
      pageLastModified: record.pageLastModified ?? null,
    });
    const keys = new Set([record.urlKey, ...(record.canonicalKey === undefined ? [] : [record.canonicalKey]), ...record.otherUrlKeys]);
    for (const key of keys) sql.saveUrl.run(record.story, key, record.sourceId);
  });
  const removeWebArticle = db.transaction((story: string, sourceId: string) => {
    sql.removeArticle.run(story, sourceId);
    sql.removeUrls.run(story, sourceId);
  });

  const withUrls = (row: ArticleRow): WebArticleRecord =>
    toArticle(row, (sql.urlsOf.all(row.story, row.source_id) as Array<{ url_key: string }>).map((r) => r.url_key));

  return {
    feedState(story, url) {
      const row = sql.feed.get(story, url) as FeedRow | undefined;
      return row === undefined ? undefined : toFeedState(row);
    },
    saveFeedState(state) {
      sql.saveFeed.run({
        story: state.story,
        url: state.url,
        subscribedAt: state.subscribedAt.toISOString(),
        etag: state.etag ?? null,
        lastModified: state.lastModified ?? null,
        lastPolledAt: iso(state.lastPolledAt),
        lastSuccessAt: iso(state.lastSuccessAt),
        nextPollAt: iso(state.nextPollAt),
        consecutiveFailures: state.consecutiveFailures,
        status: state.status,
        lastError: state.lastError ?? null,
      });
    },
    feedStates(story) {
      return (sql.feeds.all(story) as FeedRow[]).map(toFeedState);
    },
    feedItem(story, feedUrl, itemKey) {
      const row = sql.item.get(story, feedUrl, itemKey) as ItemRow | undefined;
      return row === undefined ? undefined : toItem(row);
    },
    saveFeedItem(record) {
      sql.saveItem.run({
        story: record.story,
        feedUrl: record.feedUrl,
        itemKey: record.itemKey,
        url: record.url,
        status: record.status,
        reason: record.reason ?? null,
        sourceId: record.sourceId ?? null,
        attempts: record.attempts,
        seenAt: record.seenAt.toISOString(),
      });
    },
    webArticleByUrl(story, urlKey) {
      const row = sql.articleByUrl.get(story, urlKey) as ArticleRow | undefined;
      return row === undefined ? undefined : withUrls(row);
    },
    webArticles(story) {
      return (sql.articles.all(story) as ArticleRow[]).map(withUrls);
    },
    saveWebArticle(record) {
      saveWebArticle.immediate(record);
    },
    removeWebArticle(story, sourceId) {
      removeWebArticle.immediate(story, sourceId);
    },
  };
}
