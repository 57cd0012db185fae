/**
 * Which database the bot keeps its state in: SQLite at DATABASE_PATH (one process, the
 * default: no server needed), or PostgreSQL at DATABASE_URL (several instances share it, and the
 * story's articles move into it so every instance answers from the same knowledge).
 */
import { resolve } from 'node:path';
import pg from 'pg';
import type { Config } from '../config/config.js';
import { loadArticles } from '../knowledge/articles.js';
import type { Logger } from '../observability/logger.js';
import { articleContentHash } from '../storage/articles.js';
import { postgresArticleStore, type PostgresArticleStore } from '../storage/pg-articles.js';
import { openPostgresStore, redactDatabaseUrl } from '../storage/postgres.js';
import { openSqliteStore } from '../storage/sqlite.js';
import type { DatabaseStore } from '../storage/types.js';

/** Exit code when the database server cannot be reached (`EX_UNAVAILABLE`). */
export const EX_UNAVAILABLE = 69;

/** The opened database and what goes with it. */
export interface OpenedDatabase {
  store: DatabaseStore;
  /** Where it is, safe to log: the SQLite path or the URL without its password. */
  where: string;
  /** PostgreSQL mode: the story's articles, shared by every instance. */
  articles?: PostgresArticleStore;
  /** Whether the database answers now (for /healthz); SQLite, a local file, always does while open. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** A database that could not be opened, with the setting to fix and the exit code. */
export class DatabaseOpenError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseOpenError';
  }
}

/**
 * Open the database the settings name (and migrate it).
 *
 * @throws {DatabaseOpenError} saying which setting to fix.
 * @example
 * const database = openDatabase(config, logger);
 * database.store.activeSubscriptions();
 */
export function openDatabase(config: Pick<Config, 'DATABASE_PATH' | 'DATABASE_URL' | 'STORY'>, logger: Logger): OpenedDatabase {
  if (config.DATABASE_URL === undefined) {
    const path = config.DATABASE_PATH === ':memory:' ? ':memory:' : resolve(config.DATABASE_PATH);
    try {
      const store = openSqliteStore(path);
      return { store, where: path, ping: async () => true, close: async () => store.close() };
    } catch (error) {
      throw new DatabaseOpenError(
        `The database ${path} cannot be opened (${(error as Error).message}). Set DATABASE_PATH to a file in a writable folder.`,
        73,
        { cause: error },
      );
    }
  }
  const url = config.DATABASE_URL;
  const where = redactDatabaseUrl(url);
  const log = logger.child({ component: 'database' });
  let store: DatabaseStore;
  try {
    // A heartbeat failing for a whole lease period lets other instances take this one's deliveries.
    store = openPostgresStore(url, { onHeartbeatError: (message) => log.warn({ reason: message }, 'delivery lease heartbeat failed; retrying') });
  } catch (error) {
    throw new DatabaseOpenError(
      `The PostgreSQL database ${where} cannot be used (${(error as Error).message}). Check DATABASE_URL and that the server is up.`,
      EX_UNAVAILABLE,
      { cause: error },
    );
  }
  const articles = postgresArticleStore(url, config.STORY, { onError: (error) => log.warn({ err: error }, 'article change notifications failed; polling') });
  const health = new pg.Pool({ connectionString: url, max: 1, application_name: 'dossier-health', connectionTimeoutMillis: 1500 });
  health.on('error', (error) => log.warn({ err: error }, 'database health connection failed'));
  return {
    store,
    where,
    articles,
    async ping() {
      try {
        await health.query('SELECT 1');
        return true;
      } catch (error) {
        log.warn({ err: error }, 'database did not answer the health check');
        return false;
      }
    },
    async close() {
      store.close();
      await articles.close();
      await health.end();
    },
  };
}

/**
 * PostgreSQL mode: copy the story folder's articles into the database (an editor's new file, or
 * the bundled story on a fresh database). Content already stored is skipped, so every instance
 * may run this at every start and on every folder change.
 *
 * @returns the ids added or replaced.
 */
export async function importFolderArticles(storyDir: string, articles: PostgresArticleStore): Promise<string[]> {
  const stored = new Map((await articles.list()).map((a) => [a.id, articleContentHash(a.raw)]));
  const changed: string[] = [];
  for (const article of loadArticles(storyDir)) {
    const hash = stored.get(article.id);
    if (hash === articleContentHash(article.raw)) continue;
    // An edited file replaces its stored version; a new one is added (unless its text is stored under another id).
    if (hash !== undefined) await articles.replace(article.id, { raw: article.raw, meta: article.meta });
    else if (!(await articles.add({ raw: article.raw, meta: article.meta, id: article.id })).added) continue;
    changed.push(article.id);
  }
  return changed;
}
