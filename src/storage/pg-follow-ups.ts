/**
 * The PostgreSQL implementation of {@link FollowUpStore}: the same `follow_ups` rows and keys as
 * the SQLite one (migration 3), so a button rendered by one instance works on any other.
 */
import type { SyncPg } from './pg-sync.js';
import { followUpKey } from './sqlite-follow-ups.js';
import type { FollowUpStore } from './types.js';

/**
 * Follow-up storage over an open, migrated PostgreSQL connection.
 *
 * @example
 * const followUps = createPostgresFollowUpStore(db);
 * const key = await followUps.saveFollowUp('command', '/search …', new Date());
 */
export function createPostgresFollowUpStore(db: SyncPg): FollowUpStore {
  return {
    async saveFollowUp(kind, payload, now) {
      const key = followUpKey(kind, payload);
      db.query(
        `INSERT INTO follow_ups (key, kind, payload, created_at, used_at) VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (key) DO UPDATE SET used_at = excluded.used_at`,
        [key, kind, payload, now.toISOString()],
      );
      return key;
    },
    async followUp(kind, key) {
      return db.query<{ payload: string }>('SELECT payload FROM follow_ups WHERE key = $1 AND kind = $2', [key, kind]).rows[0]?.payload;
    },
    async pruneFollowUps(before) {
      return db.query('DELETE FROM follow_ups WHERE used_at < $1', [before.toISOString()]).rowCount;
    },
  };
}
