import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, SchemaTooNewError } from '../../src/storage/migrations.js';
import { openSqliteStore, type SqliteStore } from '../../src/storage/sqlite.js';
import type { NewSubscription } from '../../src/storage/types.js';

const T0 = new Date('2021-08-22T08:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

function newSubscription(overrides: Partial<NewSubscription> = {}): NewSubscription {
  return {
    platform: 'telegram',
    chatId: '-100',
    chatType: 'group',
    schedule: 'daily 08:00',
    timeZone: 'Asia/Kabul',
    quiet: 'notice',
    createdAt: T0,
    ...overrides,
  };
}

describe('openSqliteStore', () => {
  let dir: string;
  const stores: SqliteStore[] = [];
  const open = (path = join(dir, 'nested', 'folder', 'dossier.sqlite')) => {
    const store = openSqliteStore(path);
    stores.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dossier-store-'));
  });
  afterEach(() => {
    for (const s of stores.splice(0)) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('opening and migrating', () => {
    it('creates missing parent folders, uses WAL and records the schema version', () => {
      const path = join(dir, 'nested', 'folder', 'dossier.sqlite');
      const store = open(path);
      expect(existsSync(path)).toBe(true);
      expect(store.schemaVersion).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
      store.close();
      const db = new Database(path, { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
      db.close();
    });

    it('reopens an existing file without re-running migrations, keeping the data', () => {
      const path = join(dir, 'dossier.sqlite');
      const first = open(path);
      first.addSubscription(newSubscription());
      first.close();
      const second = open(path);
      expect(second.activeSubscriptions()).toHaveLength(1);
    });

    it('refuses a database written by a newer version', () => {
      const path = join(dir, 'dossier.sqlite');
      open(path).close();
      const db = new Database(path);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, ?, ?)').run('future', T0.toISOString());
      db.close();
      expect(() => openSqliteStore(path)).toThrow(SchemaTooNewError);
    });

    it('works in memory', () => {
      const store = open(':memory:');
      expect(store.addSubscription(newSubscription()).id).toBe(1);
    });
  });

  describe('chat state', () => {
    it('blocks a chat with its reason, deactivates its subscriptions, and unblocks', () => {
      const store = open();
      const sub = store.addSubscription(newSubscription({ chatId: '42', chatType: 'private' }));
      store.markChatBlocked('telegram', '42', 'Forbidden: bot was blocked by the user', minutes(5));
      expect(store.blockedChat('telegram', '42')).toEqual({
        platform: 'telegram',
        chatId: '42',
        reason: 'Forbidden: bot was blocked by the user',
        at: minutes(5).toISOString(),
      });
      expect(store.blockedChat('discord', '42')).toBeUndefined();
      expect(store.subscription(sub.id)).toMatchObject({ status: 'inactive', statusReason: 'Forbidden: bot was blocked by the user' });
      expect(store.activeSubscriptions()).toEqual([]);
      store.unblockChat('telegram', '42');
      expect(store.blockedChat('telegram', '42')).toBeUndefined();
    });

    it('follows chat migrations and moves subscriptions to the new id', () => {
      const store = open();
      const sub = store.addSubscription(newSubscription({ chatId: '-1' }));
      store.recordChatMigration('telegram', '-1', '-1001', minutes(1));
      store.recordChatMigration('telegram', '-1001', '-1002', minutes(2));
      expect(store.currentChatId('telegram', '-1')).toBe('-1002');
      expect(store.currentChatId('telegram', '-7')).toBe('-7');
      expect(store.currentChatId('discord', '-1')).toBe('-1');
      expect(store.subscription(sub.id)?.chatId).toBe('-1002');
      expect(store.subscriptionsForChat('telegram', '-1')).toEqual([]);
    });

    it('survives a migration cycle without looping', () => {
      const store = open();
      store.recordChatMigration('telegram', 'a', 'b', minutes(1));
      store.recordChatMigration('telegram', 'b', 'a', minutes(2));
      expect(['a', 'b']).toContain(store.currentChatId('telegram', 'a'));
    });
  });

  describe('subscriptions', () => {
    it('stores every field and lists a chat’s subscriptions', () => {
      const store = open();
      const sub = store.addSubscription(
        newSubscription({ topic: { entityId: 'ahmad-massoud', label: 'Ahmad Massoud' }, quiet: 'skip', createdBy: 'u1' }),
      );
      expect(sub).toEqual({
        id: sub.id,
        platform: 'telegram',
        chatId: '-100',
        chatType: 'group',
        schedule: 'daily 08:00',
        timeZone: 'Asia/Kabul',
        topic: { entityId: 'ahmad-massoud', label: 'Ahmad Massoud' },
        quiet: 'skip',
        createdAt: T0,
        createdBy: 'u1',
        status: 'active',
      });
      store.addSubscription(newSubscription({ chatId: 'other' }));
      expect(store.subscriptionsForChat('telegram', '-100').map((s) => s.id)).toEqual([sub.id]);
    });

    it('removes (unsubscribes) and hides a subscription', () => {
      const store = open();
      const sub = store.addSubscription(newSubscription());
      expect(store.removeSubscription(sub.id, minutes(1))).toBe(true);
      expect(store.removeSubscription(sub.id, minutes(2))).toBe(false);
      expect(store.subscriptionsForChat('telegram', '-100')).toEqual([]);
      expect(store.subscription(sub.id)?.status).toBe('removed');
    });

    it('only moves lastSlot forward', () => {
      const store = open();
      const sub = store.addSubscription(newSubscription());
      store.advanceLastSlot(sub.id, minutes(60));
      store.advanceLastSlot(sub.id, minutes(30));
      expect(store.subscription(sub.id)?.lastSlot).toEqual(minutes(60));
    });
  });

  describe('the delivery ledger', () => {
    it('lets exactly one owner claim a slot', () => {
      const path = join(dir, 'shared.sqlite');
      const a = open(path);
      const b = open(path);
      const sub = a.addSubscription(newSubscription());
      const slot = minutes(0);
      expect(a.claimSlot(sub.id, slot, 'A', T0, 60_000).claimed).toBe(true);
      const second = b.claimSlot(sub.id, slot, 'B', T0, 60_000);
      expect(second).toMatchObject({ claimed: false, existing: { owner: 'A', status: 'claimed' } });
    });

    it('marks a slot delivered only by its owner and advances lastSlot', () => {
      const store = open();
      const sub = store.addSubscription(newSubscription());
      const slot = minutes(0);
      store.claimSlot(sub.id, slot, 'A', T0, 60_000);
      const plan = { parts: ['one'], contentUntil: minutes(1), chatId: '-100' };
      expect(store.startSending(sub.id, slot, 'B', plan, T0)).toBe(false);
      expect(store.startSending(sub.id, slot, 'A', plan, T0)).toBe(true);
      expect(store.finishSlot(sub.id, slot, 'B', { status: 'delivered' }, minutes(1))).toBe(false);
      expect(store.finishSlot(sub.id, slot, 'A', { status: 'delivered', contentUntil: minutes(1), chatId: '-100' }, minutes(1))).toBe(true);
      expect(store.delivery(sub.id, slot)).toMatchObject({ status: 'delivered', contentUntil: minutes(1), chatId: '-100' });
      expect(store.subscription(sub.id)?.lastSlot).toEqual(slot);
      expect(store.lastCompleted(sub.id)?.slot).toEqual(slot);
      expect(store.latestDelivery(sub.id)?.status).toBe('delivered');
      expect(store.lastDigestForChat('telegram', '-100')).toEqual(minutes(1));
      expect(store.lastDigestForChat('telegram', 'nobody')).toBeUndefined();
      expect(store.claimSlot(sub.id, slot, 'C', minutes(2), 60_000).claimed).toBe(false);
    });

    it('records the plan of parts and which were accepted, in order; a part in flight stays unknown until its outcome is known', () => {
      const store = open();
      const sub = store.addSubscription(newSubscription());
      const slot = minutes(0);
      store.claimSlot(sub.id, slot, 'A', T0, 60_000);
      store.startSending(sub.id, slot, 'A', { parts: [{ html: '1' }, { html: '2' }, { html: '3' }], contentUntil: minutes(1), chatId: '-100' }, T0);
      expect(store.markPartInFlight(sub.id, slot, 'A', 0)).toBe(true);
      expect(store.markPartAccepted(sub.id, slot, 'A', 0, '-100')).toBe(true);
      store.markPartInFlight(sub.id, slot, 'A', 1);
      // The connection broke after the request was written: part 1 may have arrived.
      store.retryLater(sub.id, slot, 'A', { at: minutes(2), detail: 'reset', failure: true, outcomeUnknown: true });
      expect(store.delivery(sub.id, slot)).toMatchObject({
        status: 'sending',
        plan: { parts: [{ html: '1' }, { html: '2' }, { html: '3' }], contentUntil: minutes(1), chatId: '-100' },
        partsAccepted: 1,
        partInFlight: 1,
        nextAttemptAt: minutes(2),
        failures: 1,
      });
      // A 429 is known not to have been accepted, and is not a failure.
      store.retryLater(sub.id, slot, 'A', { at: minutes(3), detail: '429', failure: false, outcomeUnknown: false });
      expect(store.delivery(sub.id, slot)).toMatchObject({ partsAccepted: 1, failures: 1, nextAttemptAt: minutes(3) });
      expect(store.delivery(sub.id, slot)?.partInFlight).toBeUndefined();
      // Accepting an earlier part again never moves the count back.
      store.markPartAccepted(sub.id, slot, 'A', 1, '-100');
      expect(store.markPartAccepted(sub.id, slot, 'A', 0, '-100')).toBe(false);
      expect(store.delivery(sub.id, slot)?.partsAccepted).toBe(2);
    });

    it('a released claim can be claimed again (bounded); an unfinished one cannot', () => {
      const store = open();
      const sub = store.addSubscription(newSubscription());
      const slot = minutes(0);
      store.claimSlot(sub.id, slot, 'A', T0, 60_000);
      expect(store.claimSlot(sub.id, slot, 'B', minutes(5), 60_000).claimed).toBe(false);
      expect(store.releaseSlot(sub.id, slot, 'A', minutes(1))).toBe(true);
      expect(store.claimSlot(sub.id, slot, 'B', minutes(2), 60_000)).toMatchObject({ claimed: true, record: { owner: 'B', attempts: 2 } });
      store.releaseSlot(sub.id, slot, 'B', minutes(3));
      store.claimSlot(sub.id, slot, 'C', minutes(3), 60_000);
      store.releaseSlot(sub.id, slot, 'C', minutes(4));
      expect(store.claimSlot(sub.id, slot, 'D', minutes(4), 60_000, 3)).toMatchObject({ claimed: false, existing: { attempts: 3 } });
    });

    it('a dead owner\'s unfinished rows move to the taker with their progress; heartbeats renew leases', () => {
      const store = open();
      const [s1, s2] = [store.addSubscription(newSubscription()), store.addSubscription(newSubscription({ chatId: '-200' }))];
      store.claimSlot(s1.id, T0, 'A', T0, 60_000);
      store.claimSlot(s2.id, T0, 'A', T0, 60_000);
      store.startSending(s2.id, T0, 'A', { parts: ['x', 'y'], contentUntil: T0, chatId: '-200' }, T0);
      store.markPartAccepted(s2.id, T0, 'A', 0, '-200');
      store.finishSlot(s1.id, T0, 'A', { status: 'delivered' }, T0);
      expect(store.renewLeases('A', minutes(1), 60_000)).toBe(1);
      expect(store.leaseHolders()).toEqual([{ owner: 'A', leaseUntil: minutes(2), open: 1 }]);
      const taken = store.takeOver('A', 'B', minutes(3), 60_000);
      expect(taken).toMatchObject([{ subscriptionId: s2.id, owner: 'B', partsAccepted: 1 }]);
      expect(store.openDeliveries('B')).toHaveLength(1);
      expect(store.openDeliveries('A')).toEqual([]);
      expect(store.markPartAccepted(s2.id, T0, 'A', 1, '-200')).toBe(false);
    });
  });

  describe('send pacing', () => {
    it('spaces messages by each rule\'s interval after its burst, across store connections', () => {
      const path = join(dir, 'pacing.sqlite');
      const a = open(path);
      const b = open(path);
      const rules = [{ key: 'tg', intervalMs: 100, burst: 2 }];
      expect([a.reserveSend(rules, 1000), b.reserveSend(rules, 1000), a.reserveSend(rules, 1000), b.reserveSend(rules, 1000)]).toEqual([1000, 1000, 1100, 1200]);
      // A chat rule on top of the bot's: the later of the two wins.
      const chat = [...rules, { key: 'tg:chat:1', intervalMs: 1000, burst: 1 }];
      expect(a.reserveSend(chat, 1000)).toBe(1300);
      expect(a.reserveSend(chat, 1000)).toBe(2300);
      // After a quiet spell the burst is back.
      expect(a.reserveSend(rules, 10_000)).toBe(10_000);
      expect(a.reserveSend(rules, 10_000)).toBe(10_000);
    });
  });

  describe('sources seen', () => {
    it('keeps the first time each source was seen', () => {
      const store = open();
      expect(store.recordSourcesSeen(['a', 'b'], minutes(0))).toBe(2);
      expect(store.recordSourcesSeen(['b', 'c'], minutes(10))).toBe(1);
      expect(store.recordSourcesSeen([], minutes(10))).toBe(0);
      expect(store.sourcesSeen()).toEqual(new Map([['a', minutes(0)], ['b', minutes(0)], ['c', minutes(10)]]));
    });
  });
});
