/**
 * The database schema, as an ordered list of migrations. Each runs once, in a transaction, and
 * is recorded in `schema_migrations`; a database newer than this code is refused rather than
 * guessed at. The SQL sticks to what SQLite and PostgreSQL share (TEXT, INTEGER, ISO-8601 UTC
 * timestamps as text, `ON CONFLICT … DO UPDATE`), except the id column, which a PostgreSQL
 * version would declare as `BIGINT GENERATED ALWAYS AS IDENTITY`.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'chat state, subscriptions, deliveries, sources seen',
    sql: `
      CREATE TABLE blocked_chats (
        platform   TEXT NOT NULL,
        chat_id    TEXT NOT NULL,
        reason     TEXT NOT NULL,
        blocked_at TEXT NOT NULL,
        PRIMARY KEY (platform, chat_id)
      );

      CREATE TABLE chat_migrations (
        platform     TEXT NOT NULL,
        from_chat_id TEXT NOT NULL,
        to_chat_id   TEXT NOT NULL,
        migrated_at  TEXT NOT NULL,
        PRIMARY KEY (platform, from_chat_id)
      );

      CREATE TABLE subscriptions (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        platform      TEXT NOT NULL,
        chat_id       TEXT NOT NULL,
        chat_type     TEXT NOT NULL CHECK (chat_type IN ('private', 'group', 'channel')),
        schedule      TEXT NOT NULL,
        time_zone     TEXT NOT NULL,
        topic_id      TEXT,
        topic_label   TEXT,
        quiet         TEXT NOT NULL CHECK (quiet IN ('skip', 'notice')),
        created_at    TEXT NOT NULL,
        created_by    TEXT,
        status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'removed')),
        status_reason TEXT,
        status_at     TEXT,
        last_slot     TEXT
      );
      CREATE INDEX subscriptions_by_chat ON subscriptions (platform, chat_id);
      CREATE INDEX subscriptions_by_status ON subscriptions (status);

      CREATE TABLE deliveries (
        subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
        slot            TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('claimed', 'sending', 'delivered', 'skipped', 'failed', 'abandoned', 'released')),
        owner           TEXT NOT NULL,
        lease_until     TEXT NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 1,
        claimed_at      TEXT NOT NULL,
        finished_at     TEXT,
        content_until   TEXT,
        chat_id         TEXT,
        detail          TEXT,
        PRIMARY KEY (subscription_id, slot)
      );
      CREATE INDEX deliveries_open ON deliveries (status, lease_until);

      CREATE TABLE sources_seen (
        source_id     TEXT PRIMARY KEY,
        first_seen_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'delivery per message part, leases renewed by heartbeat, send pacing shared by processes',
    sql: `
      ALTER TABLE deliveries ADD COLUMN plan TEXT;
      ALTER TABLE deliveries ADD COLUMN parts_total INTEGER;
      ALTER TABLE deliveries ADD COLUMN parts_accepted INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE deliveries ADD COLUMN part_in_flight INTEGER;
      ALTER TABLE deliveries ADD COLUMN next_attempt_at TEXT;
      ALTER TABLE deliveries ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX deliveries_by_owner ON deliveries (owner, status);
      -- A digest a version-1 process was sending has no plan of parts to resume from: closed as
      -- version 1 would have closed it (it may have reached the chat; it is not resent).
      UPDATE deliveries SET status = 'abandoned', finished_at = claimed_at,
        detail = 'was being sent by an earlier version when it stopped; it may have reached the chat, so it is not resent'
        WHERE status = 'sending';

      CREATE TABLE send_pacing (
        key    TEXT PRIMARY KEY,
        tat_ms BIGINT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'follow-ups kept under short keys for buttons',
    sql: `
      CREATE TABLE follow_ups (
        key        TEXT PRIMARY KEY,
        kind       TEXT NOT NULL CHECK (kind IN ('command', 'pages')),
        payload    TEXT NOT NULL,
        created_at TEXT NOT NULL,
        used_at    TEXT NOT NULL
      );
      CREATE INDEX follow_ups_by_use ON follow_ups (used_at);
    `,
  },
  {
    version: 4,
    name: 'feeds: feed state, items handled, web articles and their URLs',
    sql: `
      CREATE TABLE feeds (
        story                TEXT NOT NULL,
        url                  TEXT NOT NULL,
        subscribed_at        TEXT NOT NULL,
        etag                 TEXT,
        last_modified        TEXT,
        last_polled_at       TEXT,
        last_success_at      TEXT,
        next_poll_at         TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        status               TEXT NOT NULL CHECK (status IN ('new', 'ok', 'not-modified', 'failing')),
        last_error           TEXT,
        PRIMARY KEY (story, url)
      );

      CREATE TABLE feed_items (
        story     TEXT NOT NULL,
        feed_url  TEXT NOT NULL,
        item_key  TEXT NOT NULL,
        url       TEXT NOT NULL,
        status    TEXT NOT NULL CHECK (status IN ('added', 'duplicate', 'updated', 'filtered', 'failed')),
        reason    TEXT,
        source_id TEXT,
        attempts  INTEGER NOT NULL DEFAULT 0,
        seen_at   TEXT NOT NULL,
        PRIMARY KEY (story, feed_url, item_key)
      );

      CREATE TABLE web_articles (
        story         TEXT NOT NULL,
        source_id     TEXT NOT NULL,
        url_key       TEXT NOT NULL,
        canonical_key TEXT,
        content_hash  TEXT NOT NULL,
        sketch        TEXT NOT NULL,
        modified      TEXT,
        outlet        TEXT NOT NULL,
        appearances   TEXT NOT NULL,
        stored_at     TEXT NOT NULL,
        PRIMARY KEY (story, source_id)
      );

      CREATE TABLE web_article_urls (
        story     TEXT NOT NULL,
        url_key   TEXT NOT NULL,
        source_id TEXT NOT NULL,
        PRIMARY KEY (story, url_key)
      );
      CREATE INDEX web_article_urls_by_source ON web_article_urls (story, source_id);
    `,
  },
  {
    version: 5,
    name: 'leases for singleton work',
    sql: `
      CREATE TABLE leases (
        name        TEXT PRIMARY KEY,
        owner       TEXT NOT NULL,
        lease_until TEXT NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'built knowledge kept per article',
    sql: `
      -- What the per-article stages built from one article (src/knowledge/article-knowledge.ts),
      -- as JSON, under a key that hashes the pipeline's code, the registry and the article: a
      -- new pipeline version simply asks for other keys.
      CREATE TABLE knowledge_units (
        key        TEXT PRIMARY KEY,
        body       TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 7,
    name: 'page validators of web articles',
    sql: `
      -- The ETag and Last-Modified a stored page was served with, so that fetching it again (its
      -- feed item says it was updated) is a conditional request.
      ALTER TABLE web_articles ADD COLUMN page_etag TEXT;
      ALTER TABLE web_articles ADD COLUMN page_last_modified TEXT;
    `,
  },
  {
    version: 8,
    name: 'knowledge units carry their pipeline version',
    sql: `
      -- The pipeline version a unit was built by: units of other versions (the knowledge code
      -- changed since) are deleted at start-up once they are a day old, so the table does not
      -- grow by a whole story's worth with every release.
      ALTER TABLE knowledge_units ADD COLUMN version TEXT;
    `,
  },
];

/** Thrown when the database was written by a newer version of Dossier. */
export class SchemaTooNewError extends Error {
  constructor(path: string, found: number, known: number) {
    super(
      `The database ${path} has schema version ${found}, but this version of Dossier knows only up to ${known}. ` +
        `Upgrade Dossier, or point ${path.startsWith('postgres') ? 'DATABASE_URL at another database' : 'DATABASE_PATH at another file'}.`,
    );
    this.name = 'SchemaTooNewError';
  }
}

/**
 * The migrations a database still needs, given the versions it has recorded. Each version not
 * yet recorded runs, in order — not only those above the highest — because versions are handed
 * out to parallel work and may land out of order (5 before 3). A recorded version this code does
 * not know means a newer Dossier wrote the database.
 *
 * @throws {SchemaTooNewError} naming `where` when the database knows a version this code does not.
 */
export function pendingMigrations<M extends { version: number }>(migrations: readonly M[], recorded: readonly number[], where: string): M[] {
  const known = new Set(migrations.map((m) => m.version));
  const latest = Math.max(0, ...known);
  const unknown = recorded.filter((v) => !known.has(v));
  if (unknown.length > 0) throw new SchemaTooNewError(where, Math.max(...unknown), latest);
  const done = new Set(recorded);
  return migrations.filter((m) => !done.has(m.version)).sort((a, b) => a.version - b.version);
}

/**
 * Bring a database up to the latest schema. Safe to call from several processes at once: the
 * check and the migrations run in one IMMEDIATE transaction (a write lock), so only one applies them.
 *
 * @returns the schema version after migrating.
 */
export function migrate(db: Database.Database, path: string, migrations: readonly Migration[] = MIGRATIONS): number {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const run = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const recorded = (db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((r) => r.version);
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of pendingMigrations(migrations, recorded, path)) {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    }
    return latest;
  });
  return run.immediate();
}
