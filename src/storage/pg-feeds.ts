/**
 * The PostgreSQL implementation of {@link FeedStore}: the same tables and rows as the SQLite one
 * (migration 4), so feed state, handled items and web-article identity are shared by every
 * instance (the feeds lease makes one of them poll at a time).
 */
import type { SyncPg } from './pg-sync.js';
import { toArticle, toFeedState, toItem, type ArticleRow, type FeedRow, type ItemRow } from './sqlite-feeds.js';
import type { FeedStore, WebArticleRecord } from './types.js';

const iso = (date: Date | undefined): string | null => (date === undefined ? null : date.toISOString());

/**
 * Feed storage over an open, migrated PostgreSQL connection.
 *
 * @example
 * const feeds = createPostgresFeedStore(db);
 * feeds.feedStates('panjshir');
 */
export function createPostgresFeedStore(db: SyncPg): FeedStore {
  const withUrls = (row: ArticleRow): WebArticleRecord =>
    toArticle(
      row,
      db.query<{ url_key: string }>('SELECT url_key FROM web_article_urls WHERE story = $1 AND source_id = $2 ORDER BY url_key', [row.story, row.source_id]).rows.map((r) => r.url_key),
    );
  return {
    feedState(story, url) {
      const row = db.query<FeedRow>('SELECT * FROM feeds WHERE story = $1 AND url = $2', [story, url]).rows[0];
      return row === undefined ? undefined : toFeedState(row);
    },
    saveFeedState(state) {
      db.query(
        `INSERT INTO feeds (story, url, subscribed_at, etag, last_modified, last_polled_at, last_success_at, next_poll_at, consecutive_failures, status, last_error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (story, url) DO UPDATE SET
           subscribed_at = excluded.subscribed_at, etag = excluded.etag, last_modified = excluded.last_modified,
           last_polled_at = excluded.last_polled_at, last_success_at = excluded.last_success_at, next_poll_at = excluded.next_poll_at,
           consecutive_failures = excluded.consecutive_failures, status = excluded.status, last_error = excluded.last_error`,
        [
          state.story,
          state.url,
          state.subscribedAt.toISOString(),
          state.etag ?? null,
          state.lastModified ?? null,
          iso(state.lastPolledAt),
          iso(state.lastSuccessAt),
          iso(state.nextPollAt),
          state.consecutiveFailures,
          state.status,
          state.lastError ?? null,
        ],
      );
    },
    feedStates(story) {
      return db.query<FeedRow>('SELECT * FROM feeds WHERE story = $1 ORDER BY url', [story]).rows.map(toFeedState);
    },
    feedItem(story, feedUrl, itemKey) {
      const row = db.query<ItemRow>('SELECT * FROM feed_items WHERE story = $1 AND feed_url = $2 AND item_key = $3', [story, feedUrl, itemKey]).rows[0];
      return row === undefined ? undefined : toItem(row);
    },
    saveFeedItem(record) {
      db.query(
        `INSERT INTO feed_items (story, feed_url, item_key, url, status, reason, source_id, attempts, seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (story, feed_url, item_key) DO UPDATE SET
           url = excluded.url, status = excluded.status, reason = excluded.reason, source_id = excluded.source_id,
           attempts = excluded.attempts, seen_at = excluded.seen_at`,
        [record.story, record.feedUrl, record.itemKey, record.url, record.status, record.reason ?? null, record.sourceId ?? null, record.attempts, record.seenAt.toISOString()],
      );
    },
    webArticleByUrl(story, urlKey) {
      const row = db.query<ArticleRow>(
        `SELECT a.* FROM web_article_urls u JOIN web_articles a ON a.story = u.story AND a.source_id = u.source_id WHERE u.story = $1 AND u.url_key = $2`,
        [story, urlKey],
      ).rows[0];
      return row === undefined ? undefined : withUrls(row);
    },
    webArticles(story) {
      return db.query<ArticleRow>('SELECT * FROM web_articles WHERE story = $1 ORDER BY source_id', [story]).rows.map(withUrls);
    },
    saveWebArticle(record) {
      db.transaction(() => {
        db.query(
          `INSERT INTO web_articles (story, source_id, url_key, canonical_key, content_hash, sketch, modified, outlet, appearances, stored_at, page_etag, page_last_modified)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
           ON CONFLICT (story, source_id) DO UPDATE SET
             url_key = excluded.url_key, canonical_key = excluded.canonical_key, content_hash = excluded.content_hash,
             sketch = excluded.sketch, modified = excluded.modified, outlet = excluded.outlet,
             appearances = excluded.appearances, stored_at = excluded.stored_at,
             page_etag = excluded.page_etag, page_last_modified = excluded.page_last_modified`,
          [
            record.story,
            record.sourceId,
            record.urlKey,
            record.canonicalKey ?? null,
            record.contentHash,
            JSON.stringify(record.sketch),
            record.modified ?? null,
            record.outlet,
            JSON.stringify(record.appearances.map((a) => ({ ...a, seenAt: a.seenAt.toISOString() }))),
            record.storedAt.toISOString(),
            record.pageEtag ?? null,
            record.pageLastModified ?? null,
          ],
        );
        const keys = [...new Set([record.urlKey, ...(record.canonicalKey === undefined ? [] : [record.canonicalKey]), ...record.otherUrlKeys])];
        db.query(
          `INSERT INTO web_article_urls (story, url_key, source_id) SELECT $1, unnest($2::text[]), $3
           ON CONFLICT (story, url_key) DO UPDATE SET source_id = excluded.source_id`,
          [record.story, keys, record.sourceId],
        );
      });
    },
    removeWebArticle(story, sourceId) {
      db.transaction(() => {
        db.query('DELETE FROM web_articles WHERE story = $1 AND source_id = $2', [story, sourceId]);
        db.query('DELETE FROM web_article_urls WHERE story = $1 AND source_id = $2', [story, sourceId]);
      });
    },
  };
}
