/**
 * The PostgreSQL store (`pg`): the same interfaces and the same ledger rules as the SQLite store,
 * for several bot instances sharing one database.
 *
 * Exactly once across instances rests on what PostgreSQL does atomically, never on a read
 * followed by a write: a claim is one `INSERT … ON CONFLICT (subscription_id, slot) DO UPDATE …
 * WHERE status = 'released'` (the row lock taken by ON CONFLICT makes a second claimer wait and
 * then find the row taken), every later step is an UPDATE conditioned on owner and status, and
 * the lease sweep locks the rows it takes over with `FOR UPDATE SKIP LOCKED`, so sweeping
 * instances never wait on, nor report, one another's rows.
 */
import type { Platform } from '../commands/types.js';
import { createPostgresFeedStore } from './pg-feeds.js';
import { createPostgresKnowledgeUnitStore } from './knowledge-units.js';
import { createPostgresFollowUpStore } from './pg-follow-ups.js';
import { migratePostgres } from './pg-migrations.js';
import { connectSyncPg, type SyncPg } from './pg-sync.js';
import { MAX_MIGRATION_HOPS, toDelivery, toSubscription, type DeliveryRow, type StoredPlan, type SubscriptionRow } from './sqlite.js';
import type { ChatBlock, ClaimResult, DatabaseStore, DeliveryRecord, LeaseHolder, NewSubscription } from './types.js';

/** The PostgreSQL implementation of every storage interface. */
export interface PostgresStore extends DatabaseStore {
  readonly backend: 'postgres';
  /** The connection string, without its password. */
  readonly url: string;
  /** The server's clock (see {@link DatabaseStore.leaseClock}). */
  leaseClock(): Date;
  /** Lease renewal from the connection's worker thread (see {@link DatabaseStore.keepLeases}). */
  keepLeases(owner: string, leaseMs: number): { stop(): void };
}

export interface PostgresStoreOptions {
  /** Shown in `pg_stat_activity` (default `dossier`). */
  applicationName?: string;
  /** How long one query may take (default 30 s). */
  queryTimeoutMs?: number;
  /** Told each time the lease heartbeat fails (it is retried at its next run). */
  onHeartbeatError?: (message: string) => void;
}

const iso = (date: Date): string => date.toISOString();

/** A connection string safe to log or show: the password replaced by `***`. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unreadable URL)';
  }
}

/**
 * Connect to PostgreSQL at `url` and migrate it (once, whichever instance gets there first).
 *
 * @throws {PgQueryError} when the server cannot be reached or refuses the connection.
 * @throws {SchemaTooNewError} when a newer Dossier migrated the database.
 * @example
 * const store = openPostgresStore('postgres://dossier@db:5432/dossier');
 */
export function openPostgresStore(url: string, options: PostgresStoreOptions = {}): PostgresStore {
  const db = connectSyncPg(url, {
    ...(options.applicationName === undefined ? {} : { applicationName: options.applicationName }),
    ...(options.queryTimeoutMs === undefined ? {} : { timeoutMs: options.queryTimeoutMs }),
    ...(options.onHeartbeatError === undefined ? {} : { onRepeatError: options.onHeartbeatError }),
  });
  try {
    const schemaVersion = migratePostgres(db, redactDatabaseUrl(url));
    return createStore(db, redactDatabaseUrl(url), schemaVersion);
  } catch (error) {
    db.close();
    throw error;
  }
}

/** How often {@link PostgresStore.leaseClock} reads the server's clock again. */
const CLOCK_REREAD_MS = 10_000;

/** An ISO 8601 text (as `Date.toISOString` writes it, so comparable as text) of the server's clock plus `$2` ms. */
const SERVER_TIME_PLUS = (ms: string) => `to_char((clock_timestamp() + ${ms} * interval '1 millisecond') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The lease heartbeat, run from the connection's worker thread: `$1` owner, `$2` lease in ms. */
const RENEW_ON_SERVER_CLOCK = `UPDATE deliveries SET lease_until = ${SERVER_TIME_PLUS('$2::float8')} WHERE owner = $1 AND status IN ('claimed', 'sending')`;

const SELECT_DELIVERY = 'SELECT * FROM deliveries WHERE subscription_id = $1 AND slot = $2';

function createStore(db: SyncPg, url: string, schemaVersion: number): PostgresStore {
  const one = <R>(sql: string, params: readonly unknown[]): R | undefined => db.query<R>(sql, params).rows[0];
  const changed = (sql: string, params: readonly unknown[]): number => db.query(sql, params).rowCount;
  const advance = (id: number, slot: Date) =>
    changed('UPDATE subscriptions SET last_slot = $1 WHERE id = $2 AND (last_slot IS NULL OR last_slot < $1)', [iso(slot), id]);
  const delivery = (id: number, slot: Date) => {
    const row = one<DeliveryRow>(SELECT_DELIVERY, [id, iso(slot)]);
    return row === undefined ? undefined : toDelivery(row);
  };
  let open = true;
  let reservations = 0;
  let clockOffsetMs = 0;
  let clockReadAt = -Infinity;

  return {
    backend: 'postgres',
    url,
    schemaVersion,
    ...createPostgresFollowUpStore(db),
    ...createPostgresFeedStore(db),
    ...createPostgresKnowledgeUnitStore(db),

    markChatBlocked(platform, chatId, reason, at) {
      db.transaction(() => {
        changed(
          `INSERT INTO blocked_chats (platform, chat_id, reason, blocked_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (platform, chat_id) DO UPDATE SET reason = excluded.reason, blocked_at = excluded.blocked_at`,
          [platform, chatId, reason, iso(at)],
        );
        changed(`UPDATE subscriptions SET status = 'inactive', status_reason = $1, status_at = $2 WHERE platform = $3 AND chat_id = $4 AND status = 'active'`, [
          reason,
          iso(at),
          platform,
          chatId,
        ]);
      });
    },
    unblockChat(platform, chatId) {
      changed('DELETE FROM blocked_chats WHERE platform = $1 AND chat_id = $2', [platform, chatId]);
    },
    blockedChat(platform, chatId): ChatBlock | undefined {
      const row = one<{ platform: string; chat_id: string; reason: string; blocked_at: string }>(
        'SELECT platform, chat_id, reason, blocked_at FROM blocked_chats WHERE platform = $1 AND chat_id = $2',
        [platform, chatId],
      );
      return row === undefined ? undefined : { platform: row.platform as Platform, chatId: row.chat_id, reason: row.reason, at: row.blocked_at };
    },
    recordChatMigration(platform, fromChatId, toChatId, at) {
      if (fromChatId === toChatId) return;
      db.transaction(() => {
        changed(
          `INSERT INTO chat_migrations (platform, from_chat_id, to_chat_id, migrated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (platform, from_chat_id) DO UPDATE SET to_chat_id = excluded.to_chat_id, migrated_at = excluded.migrated_at`,
          [platform, fromChatId, toChatId, iso(at)],
        );
        changed('UPDATE subscriptions SET chat_id = $1 WHERE platform = $2 AND chat_id = $3', [toChatId, platform, fromChatId]);
      });
    },
    currentChatId(platform, chatId) {
      let current = chatId;
      const visited = new Set([current]);
      for (let hop = 0; hop < MAX_MIGRATION_HOPS; hop++) {
        const row = one<{ to_chat_id: string }>('SELECT to_chat_id FROM chat_migrations WHERE platform = $1 AND from_chat_id = $2', [platform, current]);
        if (row === undefined || visited.has(row.to_chat_id)) break;
        current = row.to_chat_id;
        visited.add(current);
      }
      return current;
    },

    addSubscription(s: NewSubscription) {
      const row = one<SubscriptionRow>(
        `INSERT INTO subscriptions (platform, chat_id, chat_type, schedule, time_zone, topic_id, topic_label, quiet, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
        [s.platform, s.chatId, s.chatType, s.schedule, s.timeZone, s.topic?.entityId ?? null, s.topic?.label ?? null, s.quiet, iso(s.createdAt), s.createdBy ?? null],
      );
      return toSubscription(row as SubscriptionRow);
    },
    subscription(id) {
      const row = one<SubscriptionRow>('SELECT * FROM subscriptions WHERE id = $1', [id]);
      return row === undefined ? undefined : toSubscription(row);
    },
    subscriptionsForChat(platform, chatId) {
      return db
        .query<SubscriptionRow>(`SELECT * FROM subscriptions WHERE platform = $1 AND chat_id = $2 AND status <> 'removed' ORDER BY id`, [platform, chatId])
        .rows.map(toSubscription);
    },
    activeSubscriptions() {
      return db.query<SubscriptionRow>(`SELECT * FROM subscriptions WHERE status = 'active' ORDER BY id`).rows.map(toSubscription);
    },
    deactivateSubscription(id, reason, at) {
      changed(`UPDATE subscriptions SET status = 'inactive', status_reason = $1, status_at = $2 WHERE id = $3 AND status <> 'removed'`, [reason, iso(at), id]);
    },
    removeSubscription(id, at) {
      return changed(`UPDATE subscriptions SET status = 'removed', status_reason = 'unsubscribed', status_at = $1 WHERE id = $2 AND status <> 'removed'`, [iso(at), id]) === 1;
    },
    advanceLastSlot(id, slot) {
      advance(id, slot);
    },

    claimSlot(id, slot, owner, now, leaseMs, maxAttempts = 3): ClaimResult {
      // One statement: PostgreSQL locks the conflicting row, so of two instances claiming at
      // once exactly one inserts (or re-claims a released row) and the other gets no row back.
      // A lost claim reads the row in the same round trip (as it stood when the statement began).
      const row = one<DeliveryRow & { won: boolean }>(
        `WITH won AS (
           INSERT INTO deliveries (subscription_id, slot, status, owner, lease_until, attempts, claimed_at)
           VALUES ($1, $2, 'claimed', $3, $4, 1, $5)
           ON CONFLICT (subscription_id, slot) DO UPDATE SET
             status = 'claimed', owner = excluded.owner, lease_until = excluded.lease_until,
             attempts = deliveries.attempts + 1, claimed_at = excluded.claimed_at, finished_at = NULL, detail = NULL
           WHERE deliveries.status = 'released' AND deliveries.attempts < $6
           RETURNING *)
         SELECT *, true AS won FROM won
         UNION ALL
         SELECT *, false AS won FROM deliveries WHERE subscription_id = $1 AND slot = $2 AND NOT EXISTS (SELECT 1 FROM won)`,
        [id, iso(slot), owner, iso(new Date(now.getTime() + leaseMs)), iso(now), maxAttempts],
      );
      if (row?.won === true) return { claimed: true, record: toDelivery(row) };
      // Inserted by another instance after this statement began: read it now.
      return { claimed: false, existing: row === undefined ? (delivery(id, slot) as DeliveryRecord) : toDelivery(row) };
    },
    startSending(id, slot, owner, plan) {
      const stored: StoredPlan = { parts: plan.parts, contentUntil: iso(plan.contentUntil), chatId: plan.chatId };
      return (
        changed(
          `UPDATE deliveries SET status = 'sending', plan = $1, parts_total = $2, parts_accepted = 0, part_in_flight = NULL, content_until = $3, chat_id = $4
           WHERE subscription_id = $5 AND slot = $6 AND owner = $7 AND status = 'claimed'`,
          [JSON.stringify(stored), plan.parts.length, iso(plan.contentUntil), plan.chatId, id, iso(slot), owner],
        ) === 1
      );
    },
    markPartInFlight(id, slot, owner, index) {
      return (
        changed(`UPDATE deliveries SET part_in_flight = $1 WHERE subscription_id = $2 AND slot = $3 AND owner = $4 AND status = 'sending' AND parts_accepted = $1`, [
          index,
          id,
          iso(slot),
          owner,
        ]) === 1
      );
    },
    markPartAccepted(id, slot, owner, index, chatId) {
      return (
        changed(
          `UPDATE deliveries SET parts_accepted = $1, part_in_flight = NULL, chat_id = $2, next_attempt_at = NULL
           WHERE subscription_id = $3 AND slot = $4 AND owner = $5 AND status = 'sending' AND parts_accepted = $1 - 1`,
          [index + 1, chatId, id, iso(slot), owner],
        ) === 1
      );
    },
    retryLater(id, slot, owner, retry) {
      return (
        changed(
          `UPDATE deliveries SET next_attempt_at = $1, detail = $2, failures = failures + $3,
             part_in_flight = CASE WHEN $4 THEN part_in_flight ELSE NULL END
           WHERE subscription_id = $5 AND slot = $6 AND owner = $7 AND status IN ('claimed', 'sending')`,
          [iso(retry.at), retry.detail, retry.failure ? 1 : 0, retry.outcomeUnknown, id, iso(slot), owner],
        ) === 1
      );
    },
    finishSlot(id, slot, owner, outcome, now) {
      // One statement, so one round trip: the ledger row and lastSlot move together or not at all.
      const row = one<{ n: number }>(
        `WITH done AS (
           UPDATE deliveries SET status = $1, finished_at = $2, content_until = COALESCE($3, content_until), chat_id = COALESCE($4, chat_id),
             detail = $5, part_in_flight = NULL, next_attempt_at = NULL
           WHERE subscription_id = $6 AND slot = $7 AND owner = $8 AND status IN ('claimed', 'sending')
           RETURNING slot),
         advanced AS (
           UPDATE subscriptions SET last_slot = $7
           WHERE id = $6 AND EXISTS (SELECT 1 FROM done) AND (last_slot IS NULL OR last_slot < $7))
         SELECT count(*)::int AS n FROM done`,
        [outcome.status, iso(now), outcome.contentUntil === undefined ? null : iso(outcome.contentUntil), outcome.chatId ?? null, outcome.detail ?? null, id, iso(slot), owner],
      );
      return row?.n === 1;
    },
    releaseSlot(id, slot, owner, now, detail) {
      return (
        changed(
          `UPDATE deliveries SET status = 'released', finished_at = $1, detail = $2
           WHERE subscription_id = $3 AND slot = $4 AND owner = $5 AND status = 'claimed'`,
          [iso(now), detail ?? 'released unsent', id, iso(slot), owner],
        ) === 1
      );
    },
    renewLeases(owner, now, leaseMs) {
      return changed(`UPDATE deliveries SET lease_until = $1 WHERE owner = $2 AND status IN ('claimed', 'sending')`, [iso(new Date(now.getTime() + leaseMs)), owner]);
    },
    leaseHolders(): LeaseHolder[] {
      return db
        .query<{ owner: string; lease_until: string; open: number }>(
          `SELECT owner, MIN(lease_until) AS lease_until, COUNT(*)::int AS open FROM deliveries WHERE status IN ('claimed', 'sending') GROUP BY owner`,
        )
        .rows.map((r) => ({ owner: r.owner, leaseUntil: new Date(r.lease_until), open: r.open }));
    },
    takeOver(from, to, now, leaseMs) {
      // Only rows `from` still holds move, each exactly once: of two instances taking over the
      // same dead owner, the second finds nothing left (the rows are locked, then re-checked).
      return db
        .query<DeliveryRow>(
          `UPDATE deliveries SET owner = $1, lease_until = $2
           WHERE (subscription_id, slot) IN (
             SELECT subscription_id, slot FROM deliveries WHERE owner = $3 AND status IN ('claimed', 'sending') FOR UPDATE SKIP LOCKED)
             AND owner = $3
           RETURNING *`,
          [to, iso(new Date(now.getTime() + leaseMs)), from],
        )
        .rows.map(toDelivery)
        .sort((x, y) => x.claimedAt.getTime() - y.claimedAt.getTime() || x.subscriptionId - y.subscriptionId);
    },
    takeOverExpired(to, now, leaseMs) {
      // The rows are locked as they are picked (SKIP LOCKED: a row another taker or its renewing
      // owner holds is left to them), and the expiry is checked again on the locked row, so a
      // lease renewed meanwhile keeps its owner and each expired row goes to exactly one taker.
      return db
        .query<DeliveryRow>(
          `UPDATE deliveries SET owner = $1, lease_until = $2
           WHERE (subscription_id, slot) IN (
             SELECT subscription_id, slot FROM deliveries
             WHERE status IN ('claimed', 'sending') AND lease_until < $3 AND owner <> $1 FOR UPDATE SKIP LOCKED)
             AND status IN ('claimed', 'sending') AND lease_until < $3 AND owner <> $1
           RETURNING *`,
          [to, iso(new Date(now.getTime() + leaseMs)), iso(now)],
        )
        .rows.map(toDelivery)
        .sort((x, y) => x.claimedAt.getTime() - y.claimedAt.getTime() || x.subscriptionId - y.subscriptionId);
    },
    leaseClock() {
      // The server's clock, read again every few seconds and kept as an offset in between (half
      // a local round trip of error), so that every lease is written and judged on one clock.
      if (performance.now() - clockReadAt > CLOCK_REREAD_MS) {
        const before = Date.now();
        const row = one<{ ms: number }>('SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms', []);
        const after = Date.now();
        clockOffsetMs = Number(row?.ms ?? after) - (before + after) / 2;
        clockReadAt = performance.now();
      }
      return new Date(Math.round(Date.now() + clockOffsetMs));
    },
    keepLeases(owner, leaseMs) {
      return db.repeat(RENEW_ON_SERVER_CLOCK, [owner, leaseMs], Math.max(250, Math.floor(leaseMs / 3)));
    },
    openDeliveries(owner) {
      return db.query<DeliveryRow>(`SELECT * FROM deliveries WHERE owner = $1 AND status IN ('claimed', 'sending') ORDER BY claimed_at, subscription_id`, [owner]).rows.map(toDelivery);
    },
    latestDelivery(id) {
      const row = one<DeliveryRow>('SELECT * FROM deliveries WHERE subscription_id = $1 ORDER BY slot DESC LIMIT 1', [id]);
      return row === undefined ? undefined : toDelivery(row);
    },
    reserveSend(rules, nowMs) {
      if (rules.length === 0) return nowMs;
      // One round trip: the lock on the bot's row is held only inside the function, so instances
      // sending at once queue on it for microseconds, not for several network round trips.
      const row = one<{ at: number }>('SELECT dossier_reserve_send($1::text[], $2::float8[], $3::int[], $4::float8) AS at', [
        rules.map((r) => r.key),
        rules.map((r) => r.intervalMs),
        rules.map((r) => r.burst),
        nowMs,
      ]);
      if (++reservations % 1000 === 0) db.query('DELETE FROM send_pacing WHERE tat_ms < $1', [nowMs - 3_600_000]);
      return Number(row?.at ?? nowMs);
    },
    lastCompleted(id) {
      const row = one<DeliveryRow>(
        `SELECT * FROM deliveries WHERE subscription_id = $1 AND status IN ('delivered', 'skipped') AND content_until IS NOT NULL
         ORDER BY content_until DESC LIMIT 1`,
        [id],
      );
      return row === undefined ? undefined : toDelivery(row);
    },
    lastDigestForChat(platform, chatId) {
      const row = one<{ until: string | null }>(
        `SELECT MAX(d.content_until) AS until FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
         WHERE s.platform = $1 AND s.chat_id = $2 AND d.status IN ('delivered', 'skipped')`,
        [platform, chatId],
      );
      return row?.until == null ? undefined : new Date(row.until);
    },
    delivery,
    deliveries(id) {
      return db.query<DeliveryRow>('SELECT * FROM deliveries WHERE subscription_id = $1 ORDER BY slot', [id]).rows.map(toDelivery);
    },

    recordSourcesSeen(ids, at) {
      if (ids.length === 0) return 0;
      return changed('INSERT INTO sources_seen (source_id, first_seen_at) SELECT unnest($1::text[]), $2 ON CONFLICT (source_id) DO NOTHING', [[...ids], iso(at)]);
    },
    sourcesSeen() {
      return new Map(
        db.query<{ source_id: string; first_seen_at: string }>('SELECT source_id, first_seen_at FROM sources_seen').rows.map((r) => [r.source_id, new Date(r.first_seen_at)]),
      );
    },

    acquireLease(name, owner, now, ttlMs) {
      return (
        changed(
          `INSERT INTO leases (name, owner, lease_until) VALUES ($1, $2, $3)
           ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
           WHERE leases.owner = excluded.owner OR leases.lease_until < $4`,
          [name, owner, iso(new Date(now.getTime() + ttlMs)), iso(now)],
        ) === 1
      );
    },
    releaseLease(name, owner) {
      changed('DELETE FROM leases WHERE name = $1 AND owner = $2', [name, owner]);
    },
    leaseHolder(name, now) {
      const row = one<{ owner: string; lease_until: string }>('SELECT owner, lease_until FROM leases WHERE name = $1 AND lease_until >= $2', [name, iso(now)]);
      return row === undefined ? undefined : { owner: row.owner, until: new Date(row.lease_until) };
    },
    close() {
      if (!open) return;
      open = false;
      db.close();
    },
  };
}
