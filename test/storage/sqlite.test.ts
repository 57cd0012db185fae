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
      expect(store.markSending(sub.id, slot, 'B', T0, 60_000)).toBe(false);
      expect(store.markSending(sub.id, slot, 'A', T0, 60_000)).toBe(true);
      expect(store.finishSlot(sub.id, slot, 'B', { status: 'delivered' }, minutes(1))).toBe(false);
      expect(store.finishSlot(sub.id, slot, 'A', { status: 'delivered', contentUntil: minutes(1), chatId: '-100' }, minutes(1))).toBe(true);
      expect(store.delivery(sub.id, slot)).toMatchObject({ status: 'delivered', contentUntil: minutes(1), chatId: '-100' });
      expect(store.subscription(sub.id)?.lastSlot).toEqual(slot);
      expect(store.lastCompleted(sub.id)?.slot).toEqual(slot);
      expect(store.lastDigestForChat('telegram', '-100')).toEqual(minutes(1));
      expect(store.lastDigestForChat('telegram', 'nobody')).toBeUndefined();
      expect(store.claimSlot(sub.id, slot, 'C', minutes(2), 60_000).claimed).toBe(false);
    });

    it('releases an expired claim that never started sending, so it can be claimed again (bounded)', () => {
      const store = open();
      const sub = store.addSubscription(newSubscription());
      const slot = minutes(0);
      store.claimSlot(sub.id, slot, 'A', T0, 60_000);
      expect(store.expireLeases(minutes(0.5))).toEqual([]);
      expect(store.claimSlot(sub.id, slot, 'B', minutes(0.5), 60_000).claimed).toBe(false);
      expect(store.expireLeases(minutes(2))).toEqual([]);
      expect(store.delivery(sub.id, slot)?.status).toBe('released');
      expect(store.claimSlot(sub.id, slot, 'B', minutes(2), 60_000)).toMatchObject({ claimed: true, record: { owner: 'B', attempts: 2 } });
      expect(store.releaseSlot(sub.id, slot, 'B', minutes(3))).toBe(true);
      expect(store.claimSlot(sub.id, slot, 'C', minutes(3), 60_000).claimed).toBe(true);
      store.releaseSlot(sub.id, slot, 'C', minutes(4));
      expect(store.claimSlot(sub.id, slot, 'D', minutes(4), 60_000, 3)).toMatchObject({ claimed: false, existing: { attempts: 3 } });
    });

    it('gives up (never resends) a claim whose lease expired while sending', () => {
      const store = open();
      const sub = store.addSubscription(newSubscription());
      const slot = minutes(0);
      store.claimSlot(sub.id, slot, 'A', T0, 60_000);
      store.markSending(sub.id, slot, 'A', T0, 60_000);
      const abandoned = store.expireLeases(minutes(5));
      expect(abandoned).toMatchObject([{ subscriptionId: sub.id, slot, status: 'abandoned', owner: 'A' }]);
      expect(store.delivery(sub.id, slot)?.status).toBe('abandoned');
      expect(store.subscription(sub.id)?.lastSlot).toEqual(slot);
      expect(store.claimSlot(sub.id, slot, 'B', minutes(5), 60_000).claimed).toBe(false);
      expect(store.finishSlot(sub.id, slot, 'A', { status: 'delivered' }, minutes(6))).toBe(false);
    });

    it('renews a held lease only for its owner', () => {
      const store = open();
      const sub = store.addSubscription(newSubscription());
      store.claimSlot(sub.id, T0, 'A', T0, 60_000);
      expect(store.renewLease(sub.id, T0, 'A', minutes(0.9), 60_000)).toBe(true);
      expect(store.renewLease(sub.id, T0, 'B', minutes(0.9), 60_000)).toBe(false);
      expect(store.expireLeases(minutes(1.5))).toEqual([]);
      expect(store.delivery(sub.id, T0)?.status).toBe('claimed');
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
