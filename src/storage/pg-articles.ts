/**
 * A story's articles in PostgreSQL: the {@link ArticleStore} every instance shares. An article
 * added through any instance is committed with a bump of the story's version and a
 * `NOTIFY dossier_articles`; every instance LISTENs and rebuilds within moments (and also
 * compares versions on a slow poll, in case a notification is lost with a dropped connection).
 */
import pg from 'pg';
import { parseArticleMeta, type Article } from '../knowledge/articles.js';
import { articleContentHash, nextArticleId, type ArticleStore } from './articles.js';

/** The channel article changes are announced on; the payload is the story's name. */
export const ARTICLES_CHANNEL = 'dossier_articles';

export interface PostgresArticleStore extends ArticleStore {
  readonly kind: 'postgres';
  /** Resolves once this store is LISTENing (changes from then on are seen). */
  listening(): Promise<void>;
  /** Close the pool and the listening connection. */
  close(): Promise<void>;
}

export interface PostgresArticleStoreOptions {
  /** Check the version this often as well, in case a notification was missed (default 30 s). */
  pollMs?: number;
  /** Told when listening fails (the poll goes on). */
  onError?: (error: Error) => void;
}

interface ArticleRow {
  id: string;
  raw: string;
  meta: unknown;
}

/**
 * The articles of `story` in the (already migrated) database at `url`.
 *
 * @example
 * const articles = postgresArticleStore(config.DATABASE_URL, config.STORY);
 * const stop = articles.watch(() => void knowledge.refresh());
 */
export function postgresArticleStore(url: string, story: string, options: PostgresArticleStoreOptions = {}): PostgresArticleStore {
  const pool = new pg.Pool({ connectionString: url, max: 2, application_name: 'dossier-articles' });
  pool.on('error', (error) => options.onError?.(error));

  async function inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // One writer per story at a time: ids are allocated from what is stored.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`dossier-articles:${story}`]);
      const value = await work(client);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async function changedIn(client: pg.PoolClient): Promise<void> {
    await client.query(
      `INSERT INTO article_versions (story, version) VALUES ($1, 1)
       ON CONFLICT (story) DO UPDATE SET version = article_versions.version + 1`,
      [story],
    );
    // Delivered at COMMIT, to every instance listening (this one included).
    await client.query('SELECT pg_notify($1, $2)', [ARTICLES_CHANNEL, story]);
  }

  const listeners = new Set<() => void>();
  let listener: pg.Client | undefined;
  let listening: Promise<void> | undefined;
  let poller: NodeJS.Timeout | undefined;
  let lastVersion: string | undefined;

  async function checkVersion(): Promise<void> {
    const version = await store.version();
    if (lastVersion !== undefined && version !== lastVersion) for (const l of listeners) l();
    lastVersion = version;
  }

  function startListening(): void {
    if (listening !== undefined) return;
    const client = new pg.Client({ connectionString: url, application_name: 'dossier-articles-listen' });
    listener = client;
    client.on('notification', (message) => {
      if (message.channel === ARTICLES_CHANNEL && message.payload === story) void checkVersion().catch((e: Error) => options.onError?.(e));
    });
    client.on('error', (error) => options.onError?.(error));
    listening = client
      .connect()
      .then(() => client.query(`LISTEN ${ARTICLES_CHANNEL}`))
      .then(() => checkVersion())
      .catch((error: Error) => options.onError?.(error));
    poller = setInterval(() => void checkVersion().catch((e: Error) => options.onError?.(e)), options.pollMs ?? 30_000);
    poller.unref();
  }

  async function stopListening(): Promise<void> {
    clearInterval(poller);
    poller = undefined;
    const client = listener;
    listener = undefined;
    listening = undefined;
    await client?.end().catch(() => undefined);
  }

  const store: PostgresArticleStore = {
    kind: 'postgres',
    async list(): Promise<Article[]> {
      const { rows } = await pool.query<ArticleRow>('SELECT id, raw, meta FROM articles WHERE story = $1 ORDER BY id', [story]);
      return rows.map((row) => ({ id: row.id, file: `postgres:articles/${story}/${row.id}`, raw: row.raw, meta: parseArticleMeta(row.meta, `article ${row.id} in the database`) }));
    },
    add(article) {
      return inTransaction(async (client) => {
        const hash = articleContentHash(article.raw);
        const existing = await client.query<{ id: string }>('SELECT id FROM articles WHERE story = $1 AND content_hash = $2', [story, hash]);
        if (existing.rows[0] !== undefined) return { id: existing.rows[0].id, added: false };
        const ids = (await client.query<{ id: string }>('SELECT id FROM articles WHERE story = $1', [story])).rows.map((r) => r.id);
        const id = article.id ?? nextArticleId(ids, hash);
        await client.query('INSERT INTO articles (story, id, raw, meta, content_hash) VALUES ($1, $2, $3, $4, $5)', [story, id, article.raw, JSON.stringify(article.meta), hash]);
        await changedIn(client);
        return { id, added: true };
      });
    },
    replace(id, article) {
      return inTransaction(async (client) => {
        const result = await client.query(
          'UPDATE articles SET raw = $3, meta = $4, content_hash = $5, updated_at = now() WHERE story = $1 AND id = $2',
          [story, id, article.raw, JSON.stringify(article.meta), articleContentHash(article.raw)],
        );
        if (result.rowCount !== 1) return false;
        await changedIn(client);
        return true;
      });
    },
    async version() {
      const { rows } = await pool.query<{ version: string }>('SELECT version::text AS version FROM article_versions WHERE story = $1', [story]);
      return rows[0]?.version ?? '0';
    },
    watch(onChange) {
      listeners.add(onChange);
      startListening();
      return () => {
        listeners.delete(onChange);
        if (listeners.size === 0) void stopListening();
      };
    },
    async listening() {
      await listening;
    },
    async close() {
      listeners.clear();
      await stopListening();
      await pool.end();
    },
  };
  return store;
}
