/**
 * The SQLite implementation of {@link FollowUpStore}: one row per key in `follow_ups`
 * (migration 3). The key is a hash of the kind and the payload, so saving the same follow-up
 * twice (the same answer rendered again) keeps one row and returns the same key.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { FollowUpKind, FollowUpStore } from './types.js';

/** 12 base64url characters = 72 bits of SHA-256: no two follow-ups of a bot share a key in practice. */
const KEY_CHARS = 12;

/**
 * The key of a follow-up: stable across processes and restarts, short enough for any button.
 *
 * @example
 * followUpKey('command', '/search a long query page:2') // → e.g. 'q3v9J0x1Yb2Z'
 */
export function followUpKey(kind: FollowUpKind, payload: string): string {
  return createHash('sha256').update(`${kind}\n${payload}`).digest('base64url').slice(0, KEY_CHARS);
}

/**
 * Follow-up storage over an open, migrated database.
 *
 * @example
 * const followUps = createSqliteFollowUpStore(db);
 * const key = await followUps.saveFollowUp('command', '/search …', new Date());
 */
export function createSqliteFollowUpStore(db: Database.Database): FollowUpStore {
  const sql = {
    save: db.prepare(
      `INSERT INTO follow_ups (key, kind, payload, created_at, used_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET used_at = excluded.used_at`,
    ),
    get: db.prepare('SELECT payload FROM follow_ups WHERE key = ? AND kind = ?'),
    prune: db.prepare('DELETE FROM follow_ups WHERE used_at < ?'),
  };
  return {
    saveFollowUp(kind, payload, now) {
      const key = followUpKey(kind, payload);
      sql.save.run(key, kind, payload, now.toISOString(), now.toISOString());
      return Promise.resolve(key);
    },
    followUp(kind, key) {
      const row = sql.get.get(key, kind) as { payload: string } | undefined;
      return Promise.resolve(row?.payload);
    },
    pruneFollowUps(before) {
      return Promise.resolve(sql.prune.run(before.toISOString()).changes);
    },
  };
}
