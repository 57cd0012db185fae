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

    it('fences every send: only the owner may mark a part in flight, and only the next part not accepted', () => {
      const store = open();
      const sub = store.addSubscription(newSubscription());
      store.claimSlot(sub.id, T0, 'A', T0, 60_000);
      store.startSending(sub.id, T0, 'A', { parts: ['x', 'y', 'z'], contentUntil: T0, chatId: '-100' }, T0);
      expect(store.markPartInFlight(sub.id, T0, 'A', 1)).toBe(false);
      expect(store.markPartInFlight(sub.id, T0, 'A', 0)).toBe(true);
      expect(store.markPartAccepted(sub.id, T0, 'A', 0, '-100')).toBe(true);
      // A process whose view is stale (it thinks part 0 is next) is refused before it sends.
      expect(store.markPartInFlight(sub.id, T0, 'A', 0)).toBe(false);
      expect(store.markPartAccepted(sub.id, T0, 'A', 2, '-100')).toBe(false);
      store.takeOver('A', 'B', minutes(2), 60_000);
      // The old owner, alive but late, can neither send nor record.
      expect(store.markPartInFlight(sub.id, T0, 'A', 1)).toBe(false);
      expect(store.markPartAccepted(sub.id, T0, 'A', 1, '-100')).toBe(false);
      expect(store.markPartInFlight(sub.id, T0, 'B', 1)).toBe(true);
      expect(store.delivery(sub.id, T0)).toMatchObject({ owner: 'B', partsAccepted: 1, partInFlight: 1 });
    });

    it('sweeps only rows whose lease ran out, of other owners, each to one taker', () => {
      const [a, b] = pair();
      const subs = [1, 2, 3].map((n) => a.addSubscription(newSubscription({ chatId: `-${n}` })));
      const [s1, s2, s3] = subs as [(typeof subs)[0], (typeof subs)[0], (typeof subs)[0]];
      a.claimSlot(s1.id, T0, 'A', T0, 60_000);
      a.claimSlot(s2.id, T0, 'A', T0, 60_000);
      a.startSending(s2.id, T0, 'A', { parts: ['x', 'y'], contentUntil: T0, chatId: '-2' }, T0);
      a.markPartAccepted(s2.id, T0, 'A', 0, '-2');
      a.claimSlot(s3.id, T0, 'C', T0, 600_000);
      // Not yet run out: nothing moves.
      expect(b.takeOverExpired('B', minutes(0.5), 60_000)).toEqual([]);
      // A renewed one of its rows; the other lapsed. C's lease is long; B never takes its own.
      a.renewLeases('A', minutes(0.5), 60_000);
      a.finishSlot(s1.id, T0, 'A', { status: 'delivered' }, T0);
      expect(b.takeOverExpired('B', minutes(1.2), 60_000)).toEqual([]);
      const taken = b.takeOverExpired('B', minutes(2), 60_000);
      expect(taken).toMatchObject([{ subscriptionId: s2.id, owner: 'B', partsAccepted: 1, leaseUntil: minutes(3) }]);
      expect(a.takeOverExpired('A2', minutes(2), 60_000)).toEqual([]);
      expect(b.takeOverExpired('B', minutes(20), 60_000).map((r) => r.subscriptionId)).toEqual([s3.id]);
      expect(b.takeOverExpired('B', minutes(30), 60_000)).toEqual([]);
    });
  });

  describe('send pacing', () => {
    it('spaces messages by each rule\'s interval after its burst, across store connections', () => {
      const [a, b] = pair();
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

  describe('follow-ups under short keys', () => {
    it('keeps a payload under one stable key any connection can read, and prunes unused ones', async () => {
      const [a, b] = pair();
      const key = await a.saveFollowUp('command', '/search a very long query that does not fit in a button page:2', T0);
      expect(key.length).toBeLessThanOrEqual(16);
      expect(await b.saveFollowUp('command', '/search a very long query that does not fit in a button page:2', minutes(10))).toBe(key);
      expect(await b.followUp('command', key)).toBe('/search a very long query that does not fit in a button page:2');
      expect(await b.followUp('pages', key)).toBeUndefined();
      const old = await a.saveFollowUp('pages', '{"pages":[]}', T0);
      expect(await a.pruneFollowUps(minutes(5))).toBe(1);
      expect(await b.followUp('pages', old)).toBeUndefined();
      expect(await b.followUp('command', key)).toBeDefined();
    });
  });

  describe('feed state', () => {
    it('keeps feed state, items and web articles where another connection finds them, by every URL an article was seen under', () => {
      const [first, again] = pair();
      first.saveFeedState({ story: 's', url: 'http://x/feed', subscribedAt: T0, etag: '"v1"', lastModified: 'Sun, 22 Aug 2021 08:00:00 GMT', consecutiveFailures: 0, status: 'ok', lastSuccessAt: T0, nextPollAt: minutes(1) });
      first.saveFeedItem({ story: 's', feedUrl: 'http://x/feed', itemKey: 'g1', url: 'http://x/a', status: 'added', sourceId: '004_ab', attempts: 0, seenAt: T0 });
      first.saveWebArticle({
        story: 's',
        sourceId: '004_ab',
        urlKey: 'http://x/a',
        canonicalKey: 'http://x/canonical-a',
        otherUrlKeys: ['http://y/copy'],
        contentHash: 'h',
        sketch: [1, 2, 3],
        modified: '2021-08-22T07:00:00Z',
        outlet: 'X',
        appearances: [{ outlet: 'X', url: 'http://x/a', seenAt: T0 }, { outlet: 'Y', url: 'http://y/copy', seenAt: T0 }],
        storedAt: T0,
        pageEtag: '"p1"',
        pageLastModified: 'Sun, 22 Aug 2021 07:00:00 GMT',
      });
      expect(again.webArticleByUrl('s', 'http://x/a')).toMatchObject({ pageEtag: '"p1"', pageLastModified: 'Sun, 22 Aug 2021 07:00:00 GMT' });
      expect(again.feedState('s', 'http://x/feed')).toMatchObject({ etag: '"v1"', status: 'ok', consecutiveFailures: 0, subscribedAt: T0, nextPollAt: minutes(1) });
      expect(again.feedStates('other')).toEqual([]);
      expect(again.feedItem('s', 'http://x/feed', 'g1')).toMatchObject({ status: 'added', sourceId: '004_ab' });
      for (const key of ['http://x/a', 'http://x/canonical-a', 'http://y/copy']) expect(again.webArticleByUrl('s', key)?.sourceId).toBe('004_ab');
      expect(again.webArticleByUrl('other', 'http://x/a')).toBeUndefined();
      expect(again.webArticles('s')[0]).toMatchObject({ sketch: [1, 2, 3], otherUrlKeys: ['http://y/copy'] });
      expect(again.webArticles('s')[0]?.appearances.map((a) => a.outlet)).toEqual(['X', 'Y']);
      again.removeWebArticle('s', '004_ab');
      expect(first.webArticleByUrl('s', 'http://y/copy')).toBeUndefined();
    });
  });

  describe('built knowledge per article', () => {
    it('gives back what was stored under each key, and nothing for keys never stored', () => {
      const store = open();
      expect(store.knowledgeUnits(['a'])).toEqual(new Map());
      store.putKnowledgeUnits([['a', '{"x":1}'], ['b', '{"é":"“quoted”"}']], T0);
      expect(store.knowledgeUnits(['b', 'a', 'c'])).toEqual(new Map([['b', '{"é":"“quoted”"}'], ['a', '{"x":1}']]));
    });

    it('is shared: what one instance built, another reads; a key stored twice keeps its first text', () => {
      const [first, second] = pair();
      const keys = Array.from({ length: 1_200 }, (_, i) => `k${i}`);
      first.putKnowledgeUnits(keys.map((k) => [k, `{"k":"${k}"}`] as const), T0);
      second.putKnowledgeUnits([['k7', 'other']], minutes(1));
      const read = second.knowledgeUnits(keys);
      expect(read.size).toBe(1_200);
      expect(read.get('k7')).toBe('{"k":"k7"}');
      expect(read.get('k1199')).toBe('{"k":"k1199"}');
    });

    it('prunes the units other pipeline versions stored before a moment, and keeps the rest', () => {
      const store = open();
      store.putKnowledgeUnits([['unversioned-old', '{}']], T0);
      store.putKnowledgeUnits([['v1-old', '{}']], T0, 'v1');
      store.putKnowledgeUnits([['v2-old', '{}']], T0, 'v2');
      store.putKnowledgeUnits([['v1-recent', '{}']], minutes(90), 'v1');
      expect(store.pruneKnowledgeUnits('v2', minutes(60))).toBe(2);
      expect([...store.knowledgeUnits(['unversioned-old', 'v1-old', 'v2-old', 'v1-recent']).keys()].sort()).toEqual(['v1-recent', 'v2-old']);
      expect(store.pruneKnowledgeUnits('v2', minutes(60))).toBe(0);
    });
  });
}
