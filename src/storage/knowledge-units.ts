/**
 * The {@link KnowledgeUnitStore} of both backends (table `knowledge_units`, migration 6): what
 * the per-article stages built from each article, so that a restart — and, in PostgreSQL mode,
 * every other instance — reads none of the articles again.
 */
import type Database from 'better-sqlite3';
import type { SyncPg } from './pg-sync.js';
import type { KnowledgeUnitStore } from './types.js';

/** Keys asked for in one statement (SQLite's and PostgreSQL's parameter limits are far above). */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** The SQLite store. */
export function createSqliteKnowledgeUnitStore(db: Database.Database): KnowledgeUnitStore {
  const insert = db.prepare('INSERT INTO knowledge_units (key, body, created_at, version) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING');
  const putAll = db.transaction((entries: ReadonlyArray<readonly [string, string]>, at: string, version: string | null) => {
    for (const [key, body] of entries) insert.run(key, body, at, version);
  });
  const prune = db.prepare('DELETE FROM knowledge_units WHERE (version IS NULL OR version <> ?) AND created_at < ?');
  return {
    knowledgeUnits(keys) {
      const found = new Map<string, string>();
      for (const part of chunks(keys)) {
        const rows = db.prepare(`SELECT key, body FROM knowledge_units WHERE key IN (${part.map(() => '?').join(', ')})`).all(...part) as Array<{ key: string; body: string }>;
        for (const row of rows) found.set(row.key, row.body);
      }
      return found;
    },
    putKnowledgeUnits(entries, now, version) {
      if (entries.length > 0) putAll.immediate(entries, now.toISOString(), version ?? null);
    },
    pruneKnowledgeUnits(keep, storedBefore) {
      return prune.run(keep, storedBefore.toISOString()).changes;
    },
  };
}

/** The PostgreSQL store (shared by every instance). */
export function createPostgresKnowledgeUnitStore(db: SyncPg): KnowledgeUnitStore {
  return {
    knowledgeUnits(keys) {
      const found = new Map<string, string>();
      for (const part of chunks(keys)) {
        const { rows } = db.query<{ key: string; body: string }>('SELECT key, body FROM knowledge_units WHERE key = ANY($1::text[])', [part]);
        for (const row of rows) found.set(row.key, row.body);
      }
      return found;
    },
    putKnowledgeUnits(entries, now, version) {
      for (const part of chunks(entries)) {
        db.query(
          `INSERT INTO knowledge_units (key, body, created_at, version)
           SELECT key, body, created_at, $4::text FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS t(key, body, created_at) ON CONFLICT (key) DO NOTHING`,
          [part.map((e) => e[0]), part.map((e) => e[1]), part.map(() => now.toISOString()), version ?? null],
        );
      }
    },
    pruneKnowledgeUnits(keep, storedBefore) {
      return db.query('DELETE FROM knowledge_units WHERE (version IS NULL OR version <> $1) AND created_at < $2', [keep, storedBefore.toISOString()]).rowCount;
    },
  };
}
