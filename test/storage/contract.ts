/**
 * The storage contract: what every backend's store must do, run against SQLite and PostgreSQL
 * (test/storage/contract.test.ts), so the two cannot drift. Backend-specific behaviour (files,
 * WAL, migrations under concurrency) is tested beside each backend.
 */
import { describe, expect, it } from 'vitest';
import type { DatabaseStore, NewSubscription } from '../../src/storage/types.js';

export const T0 = new Date('2021-08-22T08:00:00.000Z');
export const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

export function newSubscription(overrides: Partial<NewSubscription> = {}): NewSubscription {
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

/** How a backend gives the contract its stores. Each test starts from an empty database. */
export interface ContractHarness {
  /** A store on an empty database (closed by the harness after the test). */
  open(): DatabaseStore;
  /** Two stores (two connections, as two processes would have) on one empty database. */
  pair(): [DatabaseStore, DatabaseStore];
}

/** Every backend-neutral rule of the store interfaces. */
export function storeContract(harness: () => ContractHarness): void {
  const open = () => harness().open();
  const pair = () => harness().pair();

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
      const [a, b] = pair();
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

  describe('leases for singleton work', () => {
    it('lets one owner hold a lease, renew it, and another take it only once it ran out or was released', () => {
      const [a, b] = pair();
      expect(a.acquireLease('feeds', 'A', T0, 60_000)).toBe(true);
      expect(b.acquireLease('feeds', 'B', minutes(0.5), 60_000)).toBe(false);
      expect(a.acquireLease('feeds', 'A', minutes(0.5), 60_000)).toBe(true);
      expect(b.leaseHolder('feeds', minutes(1))).toEqual({ owner: 'A', until: minutes(1.5) });
      expect(b.acquireLease('feeds', 'B', minutes(1.4), 60_000)).toBe(false);
      expect(b.acquireLease('feeds', 'B', minutes(1.6), 60_000)).toBe(true);
      expect(a.acquireLease('feeds', 'A', minutes(1.7), 60_000)).toBe(false);
      expect(a.leaseHolder('feeds', minutes(1.7))?.owner).toBe('B');
      a.releaseLease('feeds', 'A');
      expect(a.leaseHolder('feeds', minutes(1.7))?.owner).toBe('B');
      b.releaseLease('feeds', 'B');
      expect(a.leaseHolder('feeds', minutes(1.7))).toBeUndefined();
      expect(a.acquireLease('feeds', 'A', minutes(1.8), 60_000)).toBe(true);
      expect(a.acquireLease('other', 'B', minutes(1.8), 60_000)).toBe(true);
    });
  });

  describe('shared rate buckets', () => {
    it('hands out the burst at once, then makes every further reservation wait its turn, across connections', () => {
      const [a, b] = pair();
      // 1 token a second, burst 3: three go now, the 4th and 5th wait about 1 s and 2 s.
      expect([a.reserveToken('telegram', 1, 3), b.reserveToken('telegram', 1, 3), a.reserveToken('telegram', 1, 3)]).toEqual([0, 0, 0]);
      const fourth = b.reserveToken('telegram', 1, 3);
      const fifth = a.reserveToken('telegram', 1, 3);
      expect(fourth).toBeGreaterThan(500);
      expect(fourth).toBeLessThanOrEqual(1000);
      expect(fifth).toBeGreaterThan(fourth + 500);
      expect(a.reserveToken('discord', 1, 3)).toBe(0);
    });
  });
}
