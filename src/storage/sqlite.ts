/**
 * The embedded SQLite store (better-sqlite3): chat state, subscriptions, the delivery ledger and
 * the sources-seen ledger in one local file, created and migrated on open.
 *
 * WAL mode lets readers and one writer work at once, `busy_timeout` makes a second process on
 * the same file wait for the write lock instead of failing, and every read-then-write runs in
 * an IMMEDIATE transaction so two processes never interleave one. The exactly-once guarantees
 * rest on the `deliveries` primary key (subscription_id, slot) and on conditional updates that
 * check the claim's owner and status.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Platform } from '../commands/types.js';
import { migrate } from './migrations.js';
import { createSqliteFollowUpStore } from './sqlite-follow-ups.js';
import { createSqliteFeedStore } from './sqlite-feeds.js';
import { createSqliteKnowledgeUnitStore } from './knowledge-units.js';
import type {
  ChatBlock,
  DatabaseStore,
  ClaimResult,
  DeliveryPlan,
  DeliveryRecord,
  DeliveryStatus,
  FinishOutcome,
  LeaseHolder,
  NewSubscription,
  PacingRule,
  QuietMode,
  Subscription,
  SubscriptionStatus,
} from './types.js';

export interface SqliteStoreOptions {
  /** How long a write waits for another connection's lock before failing (default 5000 ms). */
  busyTimeoutMs?: number;
}

/** The SQLite implementation of every storage interface. */
export interface SqliteStore extends DatabaseStore {
  readonly backend: 'sqlite';
  readonly path: string;
}

/** How many migration hops {@link SqliteStore.currentChatId} follows before assuming a cycle. */
export const MAX_MIGRATION_HOPS = 16;

export interface SubscriptionRow {
  id: number;
  platform: string;
  chat_id: string;
  chat_type: string;
  schedule: string;
  time_zone: string;
  topic_id: string | null;
  topic_label: string | null;
  quiet: string;
  created_at: string;
  created_by: string | null;
  status: string;
  status_reason: string | null;
  status_at: string | null;
  last_slot: string | null;
}

export interface DeliveryRow {
  subscription_id: number;
  slot: string;
  status: string;
  owner: string;
  lease_until: string;
  attempts: number;
  claimed_at: string;
  finished_at: string | null;
  content_until: string | null;
  chat_id: string | null;
  detail: string | null;
  plan: string | null;
  parts_accepted: number;
  part_in_flight: number | null;
  next_attempt_at: string | null;
  failures: number;
}

/** The stored form of a {@link DeliveryPlan}. */
export interface StoredPlan {
  parts: unknown[];
  contentUntil: string;
  chatId: string;
}

export function toPlan(text: string): DeliveryPlan {
  const stored = JSON.parse(text) as StoredPlan;
  return { parts: stored.parts, contentUntil: new Date(stored.contentUntil), chatId: stored.chatId };
}

const iso = (date: Date): string => date.toISOString();

export function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    platform: row.platform as Platform,
    chatId: row.chat_id,
    chatType: row.chat_type as Subscription['chatType'],
    schedule: row.schedule,
    timeZone: row.time_zone,
    ...(row.topic_id === null ? {} : { topic: { entityId: row.topic_id, label: row.topic_label ?? row.topic_id } }),
    quiet: row.quiet as QuietMode,
    createdAt: new Date(row.created_at),
    ...(row.created_by === null ? {} : { createdBy: row.created_by }),
    status: row.status as SubscriptionStatus,
    ...(row.status_reason === null ? {} : { statusReason: row.status_reason }),
    ...(row.status_at === null ? {} : { statusAt: new Date(row.status_at) }),
    ...(row.last_slot === null ? {} : { lastSlot: new Date(row.last_slot) }),
  };
}

export function toDelivery(row: DeliveryRow): DeliveryRecord {
  return {
    subscriptionId: row.subscription_id,
    slot: new Date(row.slot),
    status: row.status as DeliveryStatus,
    owner: row.owner,
    leaseUntil: new Date(row.lease_until),
    attempts: row.attempts,
    claimedAt: new Date(row.claimed_at),
    ...(row.finished_at === null ? {} : { finishedAt: new Date(row.finished_at) }),
    ...(row.content_until === null ? {} : { contentUntil: new Date(row.content_until) }),
    ...(row.chat_id === null ? {} : { chatId: row.chat_id }),
    ...(row.detail === null ? {} : { detail: row.detail }),
    ...(row.plan === null ? {} : { plan: toPlan(row.plan) }),
    partsAccepted: row.parts_accepted,
    ...(row.part_in_flight === null ? {} : { partInFlight: row.part_in_flight }),
    ...(row.next_attempt_at === null ? {} : { nextAttemptAt: new Date(row.next_attempt_at) }),
    failures: row.failures,
  };
}

/**
 * Open (creating and migrating if needed) the SQLite database at `path`. Parent folders are
 * created; `:memory:` gives a private in-memory database (for tests and one-shot runs).
 *
 * @example
 * const store = openSqliteStore(config.DATABASE_PATH);
 * store.markChatBlocked('telegram', '42', 'bot was blocked by the user', new Date());
 * store.close();
 */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory && !path.startsWith('file:')) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    if (!inMemory) db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('foreign_keys = ON');
    // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commit).
    db.pragma('synchronous = NORMAL');
    const schemaVersion = migrate(db, path);
    return createStore(db, path, schemaVersion);
  } catch (error) {
    db.close();
    throw error;
  }
}

function createStore(db: Database.Database, path: string, schemaVersion: number): SqliteStore {
  const sql = {
    block: db.prepare(
      `INSERT INTO blocked_chats (platform, chat_id, reason, blocked_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (platform, chat_id) DO UPDATE SET reason = excluded.reason, blocked_at = excluded.blocked_at`,
    ),
    deactivateChat: db.prepare(
      `UPDATE subscriptions SET status = 'inactive', status_reason = ?, status_at = ?
       WHERE platform = ? AND chat_id = ? AND status = 'active'`,
    ),
    unblock: db.prepare('DELETE FROM blocked_chats WHERE platform = ? AND chat_id = ?'),
    blocked: db.prepare('SELECT platform, chat_id, reason, blocked_at FROM blocked_chats WHERE platform = ? AND chat_id = ?'),
    recordMigration: db.prepare(
      `INSERT INTO chat_migrations (platform, from_chat_id, to_chat_id, migrated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (platform, from_chat_id) DO UPDATE SET to_chat_id = excluded.to_chat_id, migrated_at = excluded.migrated_at`,
    ),
    moveSubscriptions: db.prepare('UPDATE subscriptions SET chat_id = ? WHERE platform = ? AND chat_id = ?'),
    migratedTo: db.prepare('SELECT to_chat_id FROM chat_migrations WHERE platform = ? AND from_chat_id = ?'),

    insertSubscription: db.prepare(
      `INSERT INTO subscriptions (platform, chat_id, chat_type, schedule, time_zone, topic_id, topic_label, quiet, created_at, created_by)
       VALUES (@platform, @chatId, @chatType, @schedule, @timeZone, @topicId, @topicLabel, @quiet, @createdAt, @createdBy)`,
    ),
    subscription: db.prepare('SELECT * FROM subscriptions WHERE id = ?'),
    forChat: db.prepare(`SELECT * FROM subscriptions WHERE platform = ? AND chat_id = ? AND status <> 'removed' ORDER BY id`),
    active: db.prepare(`SELECT * FROM subscriptions WHERE status = 'active' ORDER BY id`),
    setStatus: db.prepare(`UPDATE subscriptions SET status = ?, status_reason = ?, status_at = ? WHERE id = ? AND status <> 'removed'`),
    advance: db.prepare('UPDATE subscriptions SET last_slot = ? WHERE id = ? AND (last_slot IS NULL OR last_slot < ?)'),

    claim: db.prepare(
      `INSERT INTO deliveries (subscription_id, slot, status, owner, lease_until, attempts, claimed_at)
       VALUES (@id, @slot, 'claimed', @owner, @lease, 1, @now)
       ON CONFLICT (subscription_id, slot) DO UPDATE SET
         status = 'claimed', owner = excluded.owner, lease_until = excluded.lease_until,
         attempts = deliveries.attempts + 1, claimed_at = excluded.claimed_at, finished_at = NULL, detail = NULL
       WHERE deliveries.status = 'released' AND deliveries.attempts < @maxAttempts`,
    ),
    startSending: db.prepare(
      `UPDATE deliveries SET status = 'sending', plan = @plan, parts_total = @parts, parts_accepted = 0, part_in_flight = NULL,
         content_until = @contentUntil, chat_id = @chatId
       WHERE subscription_id = @id AND slot = @slot AND owner = @owner AND status = 'claimed'`,
    ),
    partInFlight: db.prepare(
      `UPDATE deliveries SET part_in_flight = ?
       WHERE subscription_id = ? AND slot = ? AND owner = ? AND status = 'sending' AND parts_accepted = ?`,
    ),
    partAccepted: db.prepare(
      `UPDATE deliveries SET parts_accepted = @accepted, part_in_flight = NULL, chat_id = @chatId, next_attempt_at = NULL
       WHERE subscription_id = @id AND slot = @slot AND owner = @owner AND status = 'sending' AND parts_accepted = @accepted - 1`,
    ),
    retryLater: db.prepare(
      `UPDATE deliveries SET next_attempt_at = @at, detail = @detail, failures = failures + @failure,
         part_in_flight = CASE WHEN @unknown = 1 THEN part_in_flight ELSE NULL END
       WHERE subscription_id = @id AND slot = @slot AND owner = @owner AND status IN ('claimed', 'sending')`,
    ),
    finish: db.prepare(
      `UPDATE deliveries SET status = @status, finished_at = @now, content_until = COALESCE(@contentUntil, content_until),
         chat_id = COALESCE(@chatId, chat_id), detail = @detail, part_in_flight = NULL, next_attempt_at = NULL
       WHERE subscription_id = @id AND slot = @slot AND owner = @owner AND status IN ('claimed', 'sending')`,
    ),
    release: db.prepare(
      `UPDATE deliveries SET status = 'released', finished_at = ?, detail = ?
       WHERE subscription_id = ? AND slot = ? AND owner = ? AND status = 'claimed'`,
    ),
    renewAll: db.prepare(`UPDATE deliveries SET lease_until = ? WHERE owner = ? AND status IN ('claimed', 'sending')`),
    holders: db.prepare(
      `SELECT owner, MIN(lease_until) AS lease_until, COUNT(*) AS open FROM deliveries
       WHERE status IN ('claimed', 'sending') GROUP BY owner`,
    ),
    openOf: db.prepare(`SELECT * FROM deliveries WHERE owner = ? AND status IN ('claimed', 'sending') ORDER BY claimed_at, subscription_id`),
    takeOver: db.prepare(`UPDATE deliveries SET owner = ?, lease_until = ? WHERE owner = ? AND status IN ('claimed', 'sending')`),
    takeOverExpired: db.prepare(
      `UPDATE deliveries SET owner = @to, lease_until = @until
       WHERE status IN ('claimed', 'sending') AND lease_until < @now AND owner <> @to
       RETURNING *`,
    ),
    latest: db.prepare('SELECT * FROM deliveries WHERE subscription_id = ? ORDER BY slot DESC LIMIT 1'),
    pacing: db.prepare('SELECT tat_ms FROM send_pacing WHERE key = ?'),
    setPacing: db.prepare('INSERT INTO send_pacing (key, tat_ms) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET tat_ms = excluded.tat_ms'),
    prunePacing: db.prepare('DELETE FROM send_pacing WHERE tat_ms < ?'),
    delivery: db.prepare('SELECT * FROM deliveries WHERE subscription_id = ? AND slot = ?'),
    lastCompleted: db.prepare(
      `SELECT * FROM deliveries WHERE subscription_id = ? AND status IN ('delivered', 'skipped') AND content_until IS NOT NULL
       ORDER BY content_until DESC LIMIT 1`,
    ),
    lastForChat: db.prepare(
      `SELECT MAX(d.content_until) AS until FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
       WHERE s.platform = ? AND s.chat_id = ? AND d.status IN ('delivered', 'skipped')`,
    ),
    deliveries: db.prepare('SELECT * FROM deliveries WHERE subscription_id = ? ORDER BY slot'),

    takeLease: db.prepare(
      `INSERT INTO leases (name, owner, lease_until) VALUES (@name, @owner, @until)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
       WHERE leases.owner = excluded.owner OR leases.lease_until < @now`,
    ),
    dropLease: db.prepare('DELETE FROM leases WHERE name = ? AND owner = ?'),
    lease: db.prepare('SELECT owner, lease_until FROM leases WHERE name = ? AND lease_until >= ?'),

    seen: db.prepare('INSERT INTO sources_seen (source_id, first_seen_at) VALUES (?, ?) ON CONFLICT (source_id) DO NOTHING'),
    allSeen: db.prepare('SELECT source_id, first_seen_at FROM sources_seen'),
  };

  const markChatBlocked = db.transaction((platform: Platform, chatId: string, reason: string, at: Date) => {
    sql.block.run(platform, chatId, reason, iso(at));
    sql.deactivateChat.run(reason, iso(at), platform, chatId);
  });
  const recordChatMigration = db.transaction((platform: Platform, from: string, to: string, at: Date) => {
    if (from === to) return;
    sql.recordMigration.run(platform, from, to, iso(at));
    sql.moveSubscriptions.run(to, platform, from);
  });
  const finishSlot = db.transaction((id: number, slot: Date, owner: string, outcome: FinishOutcome, now: Date): boolean => {
    const changed = sql.finish.run({
      id,
      slot: iso(slot),
      owner,
      status: outcome.status,
      now: iso(now),
      contentUntil: outcome.contentUntil === undefined ? null : iso(outcome.contentUntil),
      chatId: outcome.chatId ?? null,
      detail: outcome.detail ?? null,
    }).changes;
    if (changed === 1) sql.advance.run(iso(slot), id, iso(slot));
    return changed === 1;
  });
  const takeOver = db.transaction((from: string, to: string, now: Date, leaseMs: number): DeliveryRecord[] => {
    const rows = (sql.openOf.all(from) as DeliveryRow[]).map(toDelivery);
    sql.takeOver.run(to, iso(new Date(now.getTime() + leaseMs)), from);
    return rows.map((r) => ({ ...r, owner: to }));
  });
  let reservations = 0;
  const reserveSend = db.transaction((rules: readonly PacingRule[], nowMs: number): number => {
    // GCRA: each key keeps its "theoretical arrival time"; a message may go once every key's
    // TAT minus its burst allowance has passed, and then pushes every TAT one interval on.
    const tats = rules.map((rule) => (sql.pacing.get(rule.key) as { tat_ms: number } | undefined)?.tat_ms ?? nowMs);
    let at = nowMs;
    rules.forEach((rule, i) => {
      at = Math.max(at, (tats[i] ?? nowMs) - (rule.burst - 1) * rule.intervalMs);
    });
    rules.forEach((rule, i) => sql.setPacing.run(rule.key, Math.max(tats[i] ?? nowMs, at) + rule.intervalMs));
    // Keys of chats not sent to for an hour hold no information any more.
    if (++reservations % 1000 === 0) sql.prunePacing.run(nowMs - 3_600_000);
    return at;
  });
  const recordSourcesSeen = db.transaction((ids: readonly string[], at: Date): number => {
    let added = 0;
    for (const id of ids) added += sql.seen.run(id, iso(at)).changes;
    return added;
  });

  let open = true;

  return {
    backend: 'sqlite',
    path,
    schemaVersion,
    ...createSqliteFollowUpStore(db),

    markChatBlocked(platform, chatId, reason, at) {
      markChatBlocked.immediate(platform, chatId, reason, at);
    },
    unblockChat(platform, chatId) {
      sql.unblock.run(platform, chatId);
    },
    blockedChat(platform, chatId): ChatBlock | undefined {
      const row = sql.blocked.get(platform, chatId) as { platform: string; chat_id: string; reason: string; blocked_at: string } | undefined;
      return row === undefined ? undefined : { platform: row.platform as Platform, chatId: row.chat_id, reason: row.reason, at: row.blocked_at };
    },
    recordChatMigration(platform, fromChatId, toChatId, at) {
      recordChatMigration.immediate(platform, fromChatId, toChatId, at);
    },
    currentChatId(platform, chatId) {
      let current = chatId;
      const visited = new Set([current]);
      for (let hop = 0; hop < MAX_MIGRATION_HOPS; hop++) {
        const row = sql.migratedTo.get(platform, current) as { to_chat_id: string } | undefined;
        if (row === undefined || visited.has(row.to_chat_id)) break;
        current = row.to_chat_id;
        visited.add(current);
      }
      return current;
    },

    addSubscription(s: NewSubscription) {
      const info = sql.insertSubscription.run({
        platform: s.platform,
        chatId: s.chatId,
        chatType: s.chatType,
        schedule: s.schedule,
        timeZone: s.timeZone,
        topicId: s.topic?.entityId ?? null,
        topicLabel: s.topic?.label ?? null,
        quiet: s.quiet,
        createdAt: iso(s.createdAt),
        createdBy: s.createdBy ?? null,
      });
      return toSubscription(sql.subscription.get(Number(info.lastInsertRowid)) as SubscriptionRow);
    },
    subscription(id) {
      const row = sql.subscription.get(id) as SubscriptionRow | undefined;
      return row === undefined ? undefined : toSubscription(row);
    },
    subscriptionsForChat(platform, chatId) {
      return (sql.forChat.all(platform, chatId) as SubscriptionRow[]).map(toSubscription);
    },
    activeSubscriptions() {
      return (sql.active.all() as SubscriptionRow[]).map(toSubscription);
    },
    deactivateSubscription(id, reason, at) {
      sql.setStatus.run('inactive', reason, iso(at), id);
    },
    removeSubscription(id, at) {
      return sql.setStatus.run('removed', 'unsubscribed', iso(at), id).changes === 1;
    },
    advanceLastSlot(id, slot) {
      sql.advance.run(iso(slot), id, iso(slot));
    },

    claimSlot(id, slot, owner, now, leaseMs, maxAttempts = 3): ClaimResult {
      const changed = sql.claim.run({ id, slot: iso(slot), owner, lease: iso(new Date(now.getTime() + leaseMs)), now: iso(now), maxAttempts }).changes;
      const record = toDelivery(sql.delivery.get(id, iso(slot)) as DeliveryRow);
      return changed === 1 ? { claimed: true, record } : { claimed: false, existing: record };
    },
    startSending(id, slot, owner, plan, now) {
      void now;
      const stored: StoredPlan = { parts: plan.parts, contentUntil: iso(plan.contentUntil), chatId: plan.chatId };
      return (
        sql.startSending.run({ id, slot: iso(slot), owner, plan: JSON.stringify(stored), parts: plan.parts.length, contentUntil: iso(plan.contentUntil), chatId: plan.chatId })
          .changes === 1
      );
    },
    markPartInFlight(id, slot, owner, index) {
      return sql.partInFlight.run(index, id, iso(slot), owner, index).changes === 1;
    },
    markPartAccepted(id, slot, owner, index, chatId) {
      return sql.partAccepted.run({ id, slot: iso(slot), owner, accepted: index + 1, chatId }).changes === 1;
    },
    retryLater(id, slot, owner, retry) {
      return (
        sql.retryLater.run({ id, slot: iso(slot), owner, at: iso(retry.at), detail: retry.detail, failure: retry.failure ? 1 : 0, unknown: retry.outcomeUnknown ? 1 : 0 })
          .changes === 1
      );
    },
    finishSlot(id, slot, owner, outcome, now) {
      return finishSlot.immediate(id, slot, owner, outcome, now);
    },
    releaseSlot(id, slot, owner, now, detail) {
      return sql.release.run(iso(now), detail ?? 'released unsent', id, iso(slot), owner).changes === 1;
    },
    renewLeases(owner, now, leaseMs) {
      return sql.renewAll.run(iso(new Date(now.getTime() + leaseMs)), owner).changes;
    },
    leaseHolders(): LeaseHolder[] {
      return (sql.holders.all() as Array<{ owner: string; lease_until: string; open: number }>).map((r) => ({
        owner: r.owner,
        leaseUntil: new Date(r.lease_until),
        open: r.open,
      }));
    },
    takeOver(from, to, now, leaseMs) {
      return takeOver.immediate(from, to, now, leaseMs);
    },
    takeOverExpired(to, now, leaseMs) {
      // One statement in SQLite's single writer: no two takers can both get a row.
      return (sql.takeOverExpired.all({ to, until: iso(new Date(now.getTime() + leaseMs)), now: iso(now) }) as DeliveryRow[])
        .map(toDelivery)
        .sort((x, y) => x.claimedAt.getTime() - y.claimedAt.getTime() || x.subscriptionId - y.subscriptionId);
    },
    openDeliveries(owner) {
      return (sql.openOf.all(owner) as DeliveryRow[]).map(toDelivery);
    },
    latestDelivery(id) {
      const row = sql.latest.get(id) as DeliveryRow | undefined;
      return row === undefined ? undefined : toDelivery(row);
    },
    reserveSend(rules, nowMs) {
      return rules.length === 0 ? nowMs : reserveSend.immediate(rules, nowMs);
    },
    delivery(id, slot) {
      const row = sql.delivery.get(id, iso(slot)) as DeliveryRow | undefined;
      return row === undefined ? undefined : toDelivery(row);
    },
    lastCompleted(id) {
      const row = sql.lastCompleted.get(id) as DeliveryRow | undefined;
      return row === undefined ? undefined : toDelivery(row);
    },
    lastDigestForChat(platform, chatId) {
      const row = sql.lastForChat.get(platform, chatId) as { until: string | null };
      return row.until === null ? undefined : new Date(row.until);
    },
    deliveries(id) {
      return (sql.deliveries.all(id) as DeliveryRow[]).map(toDelivery);
    },

    ...createSqliteFeedStore(db),
    ...createSqliteKnowledgeUnitStore(db),

    recordSourcesSeen(ids, at) {
      return ids.length === 0 ? 0 : recordSourcesSeen.immediate(ids, at);
    },
    sourcesSeen() {
      return new Map((sql.allSeen.all() as Array<{ source_id: string; first_seen_at: string }>).map((r) => [r.source_id, new Date(r.first_seen_at)]));
    },

    acquireLease(name, owner, now, ttlMs) {
      return sql.takeLease.run({ name, owner, until: iso(new Date(now.getTime() + ttlMs)), now: iso(now) }).changes === 1;
    },
    releaseLease(name, owner) {
      sql.dropLease.run(name, owner);
    },
    leaseHolder(name, now) {
      const row = sql.lease.get(name, iso(now)) as { owner: string; lease_until: string } | undefined;
      return row === undefined ? undefined : { owner: row.owner, until: new Date(row.lease_until) };
    },

    close() {
      if (!open) return;
      open = false;
      db.close();
    },
  };
}
