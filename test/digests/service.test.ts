import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Platform } from '../../src/commands/types.js';
import type { MessageSender } from '../../src/delivery/types.js';
import { createDigestService, type DigestServiceOptions } from '../../src/digests/service.js';
import { silentLogger } from '../../src/observability/logger.js';
import type { Telemetry } from '../../src/observability/telemetry.js';
import type { KnowledgeSnapshot } from '../../src/search/types.js';
import { openSqliteStore, type SqliteStore } from '../../src/storage/sqlite.js';
import type { NewSubscription } from '../../src/storage/types.js';
import { compiled } from '../support/compiled.js';
import { FakeChatPlatform, httpSender, LATER_ARTICLE, manualClock, manualTimers, snapshotsAroundLaterArticle, tempDir } from './support.js';

// Sunday 22 Aug 2021. 08:00 in Kabul (UTC+4:30) is 03:30Z.
const T0 = '2021-08-22T00:00:00.000Z';
const KABUL_8AM = (day: number) => new Date(Date.UTC(2021, 7, day, 3, 30));
const MINUTE = 60_000;

let firstOnly: KnowledgeSnapshot;
let withLater: KnowledgeSnapshot;

beforeAll(() => {
  ({ before: firstOnly, after: withLater } = snapshotsAroundLaterArticle());
});

describe('digest service', () => {
  let dir: { path: string; remove(): void };
  let platform: FakeChatPlatform;
  let clock: ReturnType<typeof manualClock>;
  let snapshot: KnowledgeSnapshot;
  let sleeps: number[];
  let telemetryEvents: string[];
  const stores: SqliteStore[] = [];

  const dbPath = () => join(dir.path, 'var', 'dossier.sqlite');
  const senders = (): Map<Platform, MessageSender> =>
    new Map<Platform, MessageSender>([
      ['telegram', httpSender('telegram', platform.url)],
      ['discord', httpSender('discord', platform.url)],
    ]);
  const telemetry: Telemetry = {
    commandHandled() {},
    platformError(p, kind) {
      telemetryEvents.push(`${p}:error:${kind}`);
    },
    digestDelivered(p, outcome) {
      telemetryEvents.push(`${p}:${outcome}`);
    },
  };

  /** A service instance on the shared database file, as a (re)started process would make. */
  function startProcess(overrides: Partial<DigestServiceOptions> = {}) {
    const store = openSqliteStore(dbPath());
    stores.push(store);
    const service = createDigestService({
      store,
      knowledge: () => snapshot,
      senders: senders(),
      clock: clock.now,
      logger: silentLogger(),
      telemetry,
      missedSlots: 'latest',
      defaultTimeZone: 'Asia/Kabul',
      sleep: async (ms) => {
        if (ms > 0) sleeps.push(Math.round(ms));
      },
      ...overrides,
    });
    return { store, service };
  }

  function subscribe(store: SqliteStore, overrides: Partial<NewSubscription> = {}) {
    return store.addSubscription({
      platform: 'telegram',
      chatId: '-1001',
      chatType: 'group',
      schedule: 'daily 08:00',
      timeZone: 'Asia/Kabul',
      quiet: 'notice',
      createdAt: clock.now(),
      ...overrides,
    });
  }

  beforeEach(async () => {
    dir = tempDir();
    platform = await new FakeChatPlatform().start();
    clock = manualClock(T0);
    snapshot = firstOnly;
    sleeps = [];
    telemetryEvents = [];
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) s.close();
    await platform.stop();
    dir.remove();
  });

  describe('a new subscription starts from now', () => {
    it('sends nothing before its first slot, then only what entered after it was made', async () => {
      const { store, service } = startProcess();
      service.onKnowledgeChanged(snapshot); // the archive was there before the subscription
      clock.advance(MINUTE);
      subscribe(store);
      expect(await service.tick(new Date(KABUL_8AM(22).getTime() - MINUTE))).toMatchObject({ sent: 0 });
      expect(platform.received).toEqual([]);

      const report = await service.tick(KABUL_8AM(22));
      expect(report.sent).toBe(1);
      expect(platform.received.map((r) => [r.chatId, r.title])).toEqual([
        ['-1001', 'No new developments since Sun 22 Aug 2021, 04:31 (Asia/Kabul).'],
      ]);
      expect(telemetryEvents).toContain('telegram:sent');
    });

    it('a quiet "only new" subscription sends nothing when nothing is new, but still uses up the slot', async () => {
      const { store, service } = startProcess();
      service.onKnowledgeChanged(snapshot);
      const sub = subscribe(store, { quiet: 'skip' });
      expect(await service.tick(KABUL_8AM(22))).toMatchObject({ sent: 0, skipped: 1 });
      expect(platform.received).toEqual([]);
      expect(store.delivery(sub.id, KABUL_8AM(22))?.status).toBe('skipped');
      expect(await service.tick(new Date(KABUL_8AM(22).getTime() + MINUTE))).toMatchObject({ skipped: 0, taken: 0 });
      expect(telemetryEvents).toEqual(['telegram:skipped']);
    });
  });

  it('an article added while running shows up in the next digest, and only once', async () => {
    const { store, service } = startProcess();
    service.onKnowledgeChanged(snapshot); // the app records the knowledge it starts with
    subscribe(store);
    await service.tick(KABUL_8AM(22));
    expect(platform.received.at(-1)?.title).toMatch(/^No new developments/);

    clock.set('2021-08-22T12:00:00Z');
    snapshot = withLater; // the app reloaded after an editor dropped an article into the folder
    service.onKnowledgeChanged(snapshot);

    await service.tick(KABUL_8AM(23));
    const digest = platform.received.at(-1)!;
    expect(digest.title).toBe(`Digest: ${withLater.kb.story.title}`);
    const later = withLater.kb.sources.find((s) => s.id === LATER_ARTICLE)!;
    const sources = digest.reply.sections.find((s) => s.label === 'New sources')!;
    expect(sources.lines.map((l) => l.text)).toEqual([`${later.outlet}: ${later.headline} (6 Sep 2021)`]);
    // Every item comes from the new article (older sources are cited only where they corroborate it).
    const newNumber = digest.reply.citations.findIndex((c) => c.headline === later.headline) + 1;
    expect(newNumber).toBeGreaterThan(0);
    const items = [...digest.reply.quotes, ...digest.reply.sections.flatMap((s) => s.lines)];
    expect(items.length).toBeGreaterThan(3);
    for (const item of items) expect(item.cites).toContain(newNumber);
    expect(digest.reply.summary).toMatch(/^Since Sun 22 Aug 2021, 08:00 \(Asia\/Kabul\): 1 new source, \d+ (quotes?|claims?|events?|facts?)/);

    await service.tick(KABUL_8AM(24));
    expect(platform.received.at(-1)?.title).toBe('No new developments since Mon 23 Aug 2021, 08:00 (Asia/Kabul).');
    expect(platform.accepted()).toHaveLength(3);
  });

  describe('daylight-saving changes, ticking every minute', () => {
    async function tickThrough(from: string, to: string, service: { tick(now: Date): Promise<unknown> }) {
      clock.set(from);
      for (let t = new Date(from).getTime(); t <= new Date(to).getTime(); t += MINUTE) await service.tick(new Date(t));
    }

    it('Europe/Dublin spring forward: every real half hour delivered once', async () => {
      clock.set('2021-03-27T23:50:00Z');
      const { store, service } = startProcess();
      const sub = subscribe(store, { schedule: 'every 30m', timeZone: 'Europe/Dublin', quiet: 'notice' });
      await tickThrough('2021-03-27T23:50:00Z', '2021-03-28T03:10:00Z', service);
      const slots = store.deliveries(sub.id).map((d) => [d.slot.toISOString(), d.status]);
      expect(slots).toEqual(
        ['00:00', '00:30', '01:00', '01:30', '02:00', '02:30', '03:00'].map((t) => [`2021-03-28T${t}:00.000Z`, 'delivered']),
      );
      expect(platform.accepted()).toHaveLength(7);
    });

    it('Europe/Dublin fall back: the repeated hour fires once; daily 01:30 once a day', async () => {
      clock.set('2021-10-30T23:50:00Z');
      const { store, service } = startProcess();
      const halfHourly = subscribe(store, { chatId: 'a', schedule: 'every 30m', timeZone: 'Europe/Dublin' });
      const daily = subscribe(store, { chatId: 'b', schedule: 'daily 01:30', timeZone: 'Europe/Dublin' });
      await tickThrough('2021-10-30T23:50:00Z', '2021-10-31T03:10:00Z', service);
      expect(store.deliveries(halfHourly.id).map((d) => d.slot.toISOString().slice(11, 16))).toEqual([
        '00:00', // 01:00 IST
        '00:30', // 01:30 IST (the second 01:00 and 01:30, in GMT, do not fire again)
        '02:00',
        '02:30',
        '03:00',
      ]);
      expect(store.deliveries(daily.id).map((d) => d.slot.toISOString())).toEqual(['2021-10-31T00:30:00.000Z']);
      expect(platform.deliveredTo('b')).toHaveLength(1);
    });

    it('America/New_York spring forward: daily 02:30 fires at 03:00 EDT', async () => {
      clock.set('2021-03-13T12:00:00Z');
      const { store, service } = startProcess();
      const sub = subscribe(store, { schedule: 'daily 02:30', timeZone: 'America/New_York' });
      for (const t of ['2021-03-14T06:59:00Z', '2021-03-14T07:00:00Z', '2021-03-14T07:30:00Z', '2021-03-14T08:00:00Z']) await service.tick(new Date(t));
      expect(store.deliveries(sub.id).map((d) => d.slot.toISOString())).toEqual(['2021-03-14T07:00:00.000Z']);
    });
  });

  describe('slots missed while down', () => {
    it('latest: one digest for the latest missed slot, covering everything since the last one', async () => {
      const { store, service } = startProcess({ missedSlots: 'latest' });
      service.onKnowledgeChanged(snapshot);
      const sub = subscribe(store);
      await service.tick(KABUL_8AM(22));
      // Down from 22 Aug to 25 Aug 12:00 Kabul; meanwhile an article was added.
      snapshot = withLater;
      clock.set('2021-08-25T07:30:00Z');
      const after = startProcess({ missedSlots: 'latest' }).service;
      const report = await after.tick(clock.now());
      expect(report.sent).toBe(1);
      expect(store.deliveries(sub.id).map((d) => [d.slot.toISOString(), d.status])).toEqual([
        [KABUL_8AM(22).toISOString(), 'delivered'],
        [KABUL_8AM(25).toISOString(), 'delivered'],
      ]);
      expect(platform.received.at(-1)?.reply.summary).toMatch(/^Since Sun 22 Aug 2021, 08:00/);
      expect(await after.tick(new Date(clock.now().getTime() + MINUTE))).toMatchObject({ sent: 0, taken: 0 });
    });

    it('skip: nothing for missed slots; the next slot on time is sent', async () => {
      const { store } = startProcess();
      const sub = subscribe(store);
      clock.set('2021-08-25T07:30:00Z');
      const { service } = startProcess({ missedSlots: 'skip' });
      expect(await service.tick(clock.now())).toMatchObject({ sent: 0, missedSkipped: 1 });
      expect(platform.received).toEqual([]);
      expect(store.subscription(sub.id)?.lastSlot).toEqual(KABUL_8AM(25));
      expect(await service.tick(new Date(KABUL_8AM(26).getTime() + 5 * MINUTE))).toMatchObject({ sent: 1 });
    });

    it('a slot within the grace period is on time under either rule', async () => {
      const { store } = startProcess();
      subscribe(store);
      const { service } = startProcess({ missedSlots: 'skip', graceMs: 10 * MINUTE });
      expect(await service.tick(new Date(KABUL_8AM(22).getTime() + 9 * MINUTE))).toMatchObject({ sent: 1 });
    });
  });

  describe('exactly once', () => {
    it('a duplicate firing in one process and a second instance on the same file post each slot once', async () => {
      const { store, service } = startProcess();
      for (let i = 0; i < 30; i++) subscribe(store, { chatId: `chat-${i}` });
      const other = startProcess().service;
      platform.latencyMs = 2;
      const reports = await Promise.all([service.tick(KABUL_8AM(22)), service.tick(KABUL_8AM(22)), other.tick(KABUL_8AM(22))]);
      expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(30);
      expect(platform.received).toHaveLength(30);
      expect(new Set(platform.received.map((r) => r.chatId)).size).toBe(30);
    });

    it('a process that dies mid fan-out: the next takes over its claims once the lease ran out, resending only the part in flight', async () => {
      const first = startProcess({ owner: 'first', concurrency: { telegram: 1 }, leaseMs: MINUTE });
      const subs = Array.from({ length: 12 }, (_, i) => subscribe(first.store, { chatId: `chat-${i}` }));
      // The platform takes chat-4's message and the process dies before it hears back.
      platform.answer = ({ chatId }) => (chatId === 'chat-4' ? 'hang' : undefined);
      void first.service.tick(KABUL_8AM(22));
      await expect.poll(() => platform.received.length).toBe(5);
      platform.answer = () => undefined;

      // Within the lease the claims are the dead process's: nothing is sent twice.
      const second = startProcess({ owner: 'second' });
      expect(await second.service.tick(new Date(KABUL_8AM(22).getTime() + 30_000))).toMatchObject({ sent: 0, taken: 8, takenOver: 0 });
      clock.set(new Date(KABUL_8AM(22).getTime() + 2 * MINUTE));
      expect(await second.service.tick(clock.now())).toMatchObject({ takenOver: 8 });
      await second.service.idle();
      // chat-4's part was in flight: its outcome is unknown, so it is sent once more (the documented
      // Telegram rule); every other chat got its digest exactly once.
      for (const sub of subs) expect(platform.received.filter((r) => r.chatId === sub.chatId)).toHaveLength(sub.chatId === 'chat-4' ? 2 : 1);
      for (const sub of subs) expect(second.store.delivery(sub.id, KABUL_8AM(22))?.status).toBe('delivered');
    });

    it('a process paused longer than its lease: another takes its deliveries over, and when it wakes it sends nothing more', async () => {
      // The first process's retries wait on a gate: it is "paused" until the gate opens.
      let wake = () => {};
      const paused = new Promise<void>((resolve) => (wake = resolve));
      const first = startProcess({ owner: 'first', leaseMs: MINUTE, sleep: () => paused });
      const subs = Array.from({ length: 4 }, (_, i) => subscribe(first.store, { chatId: `chat-${i}` }));
      platform.answer = ({ attempt }) => (attempt === 1 ? { status: 429, body: { retry_after_ms: 1000 } } : undefined);
      expect(await first.service.tick(KABUL_8AM(22))).toMatchObject({ retrying: 4 });

      // Within its lease the work is the first process's, paused or not.
      const second = startProcess({ owner: 'second' });
      expect(await second.service.tick(new Date(KABUL_8AM(22).getTime() + 30_000))).toMatchObject({ takenOver: 0 });
      clock.set(new Date(KABUL_8AM(22).getTime() + 2 * MINUTE));
      expect(await second.service.tick(clock.now())).toMatchObject({ takenOver: 4 });
      await second.service.idle();
      expect(platform.accepted()).toHaveLength(4);

      // The first wakes with every chat's plan in hand: the ledger's fence stops each send.
      wake();
      await first.service.idle();
      expect(platform.received).toHaveLength(8);
      for (const sub of subs) expect(platform.deliveredTo(sub.chatId)).toHaveLength(1);
      for (const sub of subs) expect(first.store.delivery(sub.id, KABUL_8AM(22))).toMatchObject({ status: 'delivered', owner: 'second' });
    });

    it('work taken over and taken back (both paused in turn) is still delivered once, by whoever holds it', async () => {
      const gate = () => {
        let open = () => {};
        const wait = new Promise<void>((resolve) => (open = resolve));
        return { open: () => open(), sleep: () => wait };
      };
      const [firstGate, secondGate] = [gate(), gate()];
      const first = startProcess({ owner: 'first', leaseMs: MINUTE, sleep: firstGate.sleep });
      const subs = Array.from({ length: 3 }, (_, i) => subscribe(first.store, { chatId: `chat-${i}` }));
      platform.answer = ({ attempt }) => (attempt === 1 ? { status: 429, body: { retry_after_ms: 1000 } } : undefined);
      expect(await first.service.tick(KABUL_8AM(22))).toMatchObject({ retrying: 3 });
      // The second takes the paused first's work over, and pauses too before sending any of it.
      const second = startProcess({ owner: 'second', leaseMs: MINUTE, sleep: secondGate.sleep });
      expect(await second.service.tick(new Date(KABUL_8AM(22).getTime() + 2 * MINUTE))).toMatchObject({ takenOver: 3 });
      // The first, awake again at its tick, takes it back; its own waiting jobs go on with it.
      expect(await first.service.tick(new Date(KABUL_8AM(22).getTime() + 4 * MINUTE))).toMatchObject({ takenOver: 3 });
      firstGate.open();
      await first.service.idle();
      secondGate.open();
      await second.service.idle();
      for (const sub of subs) expect(platform.deliveredTo(sub.chatId)).toHaveLength(1);
      for (const sub of subs) expect(first.store.delivery(sub.id, KABUL_8AM(22))).toMatchObject({ status: 'delivered', owner: 'first' });
    });

    it('stop() waits for the send in flight, leaves the rest in the ledger and says so; the next start delivers each once', async () => {
      const first = startProcess({ concurrency: { telegram: 1 } });
      for (let i = 0; i < 10; i++) subscribe(first.store, { chatId: `chat-${i}` });
      platform.latencyMs = 30;
      const ticking = first.service.tick(KABUL_8AM(22));
      await expect.poll(() => platform.received.length).toBeGreaterThanOrEqual(2);
      await expect(first.service.stop(5000)).rejects.toThrow(/left unfinished/);
      const stopped = await ticking;
      expect(stopped.sent).toBeGreaterThanOrEqual(2);
      expect(stopped.left).toBe(10 - stopped.sent);
      // A graceful stop ends its leases at once: the next start takes the rest over immediately.
      const second = startProcess();
      expect(await second.service.tick(KABUL_8AM(22))).toMatchObject({ takenOver: 10 - stopped.sent });
      await second.service.idle();
      expect(platform.received).toHaveLength(10);
      expect(new Set(platform.received.map((r) => r.chatId)).size).toBe(10);
    });
  });

  describe('platform failures', () => {
    it('403: the chat is recorded as blocked, its subscription deactivated with the reason, others still delivered', async () => {
      const { store, service } = startProcess();
      const blocked = subscribe(store, { chatId: '42', chatType: 'private' });
      const fine = subscribe(store, { chatId: '43', chatType: 'private' });
      platform.answer = ({ chatId }) => (chatId === '42' ? { status: 403, body: { description: 'Forbidden: bot was blocked by the user' } } : undefined);
      expect(await service.tick(KABUL_8AM(22))).toMatchObject({ sent: 1, blocked: 1 });
      expect(store.subscription(blocked.id)).toMatchObject({ status: 'inactive', statusReason: 'forbidden: Forbidden: bot was blocked by the user' });
      expect(store.blockedChat('telegram', '42')?.reason).toMatch(/blocked by the user/);
      expect(store.subscription(fine.id)?.status).toBe('active');
      await service.tick(KABUL_8AM(23));
      expect(platform.received.filter((r) => r.chatId === '42')).toHaveLength(1);
      expect(platform.deliveredTo('43')).toHaveLength(2);
      expect(telemetryEvents).toContain('telegram:error:forbidden');
    });

    it('a migrated group: the subscription moves to the new id and the digest is resent there', async () => {
      const { store, service } = startProcess();
      const sub = subscribe(store, { chatId: '-42' });
      platform.answer = ({ chatId }) =>
        chatId === '-42' ? { status: 400, body: { description: 'Bad Request: group chat was upgraded to a supergroup chat', migrate_to: '-10042' } } : undefined;
      expect(await service.tick(KABUL_8AM(22))).toMatchObject({ sent: 1 });
      expect(platform.deliveredTo('-10042')).toHaveLength(1);
      expect(store.subscription(sub.id)?.chatId).toBe('-10042');
      expect(store.currentChatId('telegram', '-42')).toBe('-10042');
      expect(store.delivery(sub.id, KABUL_8AM(22))).toMatchObject({ status: 'delivered', chatId: '-10042' });
      await service.tick(KABUL_8AM(23));
      expect(platform.received.filter((r) => r.chatId === '-42')).toHaveLength(1);
      expect(platform.deliveredTo('-10042')).toHaveLength(2);
    });

    it('a 429 storm: every retry-after is waited out, however long, and every chat gets its digest exactly once', async () => {
      const { store, service } = startProcess();
      for (let i = 0; i < 20; i++) subscribe(store, { chatId: `chat-${i}`, platform: i % 2 === 0 ? 'telegram' : 'discord' });
      platform.answer = ({ attempt }) => (attempt <= 2 ? { status: 429, body: { retry_after_ms: 300_000 + attempt } } : undefined);
      expect(await service.tick(KABUL_8AM(22))).toMatchObject({ sent: 0, retrying: 20, failed: 0 });
      await service.idle();
      expect(platform.received).toHaveLength(60);
      expect(platform.accepted()).toHaveLength(20);
      expect(new Set(platform.accepted().map((r) => r.chatId)).size).toBe(20);
      expect(sleeps.filter((ms) => ms === 300_001)).toHaveLength(20);
      expect(sleeps.filter((ms) => ms === 300_002)).toHaveLength(20);
    });

    it('retry_after 300 s: that chat waits the whole 300 s on the clock, the others are not held up, nothing is given up', async () => {
      const timers = manualTimers(clock);
      const { store, service } = startProcess({ sleep: timers.sleep });
      const slow = subscribe(store, { chatId: 'slow' });
      for (let i = 0; i < 5; i++) subscribe(store, { chatId: `quick-${i}` });
      clock.set(KABUL_8AM(22));
      platform.answer = ({ chatId, attempt }) => (chatId === 'slow' && attempt === 1 ? { status: 429, body: { retry_after_ms: 300_000 } } : undefined);
      expect(await service.tick(KABUL_8AM(22))).toMatchObject({ sent: 5, retrying: 1 });
      expect(timers.pending()).toEqual([300_000]);
      await timers.advance(299_000);
      expect(platform.deliveredTo('slow')).toHaveLength(0);
      expect(store.delivery(slow.id, KABUL_8AM(22))).toMatchObject({ status: 'sending', failures: 0, nextAttemptAt: new Date(KABUL_8AM(22).getTime() + 300_000) });
      await timers.advance(1000);
      await service.idle();
      expect(platform.deliveredTo('slow')).toHaveLength(1);
      expect(store.delivery(slow.id, KABUL_8AM(22))?.status).toBe('delivered');
    });

    it('honours retry-after in real time', async () => {
      const { store, service } = startProcess({ sleep: undefined });
      subscribe(store);
      platform.answer = ({ attempt }) => (attempt === 1 ? { status: 429, body: { retry_after_ms: 120 } } : undefined);
      await service.tick(KABUL_8AM(22));
      await service.idle();
      const [refused, accepted] = platform.received;
      expect(refused?.status).toBe(429);
      expect(accepted!.at - refused!.at).toBeGreaterThanOrEqual(110);
    });

    it('a transient failure is retried with capped, jittered backoff; an invalid message is not retried and the slot is closed', async () => {
      const { store, service } = startProcess({ retry: { backoffMs: 1000, maxBackoffMs: 1500 }, random: () => 1 });
      const flaky = subscribe(store, { chatId: 'flaky' });
      const invalid = subscribe(store, { chatId: 'invalid' });
      platform.answer = ({ chatId, attempt }) =>
        chatId === 'flaky' && attempt <= 3 ? { status: 502 } : chatId === 'invalid' ? { status: 400, body: { description: "can't parse entities" } } : undefined;
      expect(await service.tick(KABUL_8AM(22))).toMatchObject({ retrying: 1, failed: 1 });
      await service.idle();
      expect(sleeps).toEqual([1000, 1500, 1500]);
      expect(store.delivery(flaky.id, KABUL_8AM(22))).toMatchObject({ status: 'delivered', failures: 3 });
      expect(store.delivery(invalid.id, KABUL_8AM(22))).toMatchObject({ status: 'failed', detail: "invalid: can't parse entities" });
      expect(platform.received.filter((r) => r.chatId === 'invalid')).toHaveLength(1);
      expect(store.subscription(invalid.id)?.status).toBe('active');
    });

    it('a chat that keeps failing is given up after the failure limit, marked with the reason, and tried again at its next slot', async () => {
      const { store, service } = startProcess({ retry: { maxFailures: 3 } });
      const sub = subscribe(store);
      platform.answer = () => ({ status: 503 });
      await service.tick(KABUL_8AM(22));
      await service.idle();
      expect(platform.received).toHaveLength(3);
      expect(store.delivery(sub.id, KABUL_8AM(22))).toMatchObject({ status: 'failed', failures: 2, detail: expect.stringMatching(/^given up after 3 failed attempts/) });
      expect(service.deliveryProblem(store.subscription(sub.id)!)).toMatch(/2021-08-22 03:30 UTC digest was not delivered: given up after 3 failed attempts/);
      expect(store.subscription(sub.id)).toMatchObject({ status: 'active', lastSlot: KABUL_8AM(22) });
      expect(telemetryEvents.filter((e) => e === 'telegram:failed')).toHaveLength(1);
      platform.answer = () => undefined;
      await service.tick(KABUL_8AM(23));
      await service.idle();
      expect(platform.accepted()).toHaveLength(1);
      expect(service.deliveryProblem(store.subscription(sub.id)!)).toBeUndefined();
    });
  });

  it('start() catches up on what is due at once; after stop() nothing more is sent', async () => {
    clock.set(new Date(KABUL_8AM(22).getTime() + 2 * MINUTE));
    const { store, service } = startProcess();
    subscribe(store, { createdAt: new Date(T0) });
    await service.start();
    await service.idle();
    expect(platform.received).toHaveLength(1);
    await service.stop();
    expect(await service.tick(KABUL_8AM(23))).toMatchObject({ sent: 0 });
    expect(platform.received).toHaveLength(1);
  });

  it('subscriptions of a platform without a sender in this process wait, unclaimed', async () => {
    const { store, service } = startProcess({ senders: new Map([['discord', httpSender('discord', 'http://127.0.0.1:9')]]) });
    const sub = subscribe(store);
    expect(await service.tick(KABUL_8AM(22))).toMatchObject({ sent: 0, taken: 0 });
    expect(store.deliveries(sub.id)).toEqual([]);
  });

  it('digestFor: an overview before any digest, then what is new since the last one', async () => {
    const { store, service } = startProcess();
    service.onKnowledgeChanged(snapshot);
    const chat = { platform: 'telegram' as const, id: '-1001' };
    const overview = service.digestFor(chat);
    expect(overview.title).toBe(`Overview: ${snapshot.kb.story.title}`);
    expect(overview.citations.length).toBeGreaterThan(0);
    subscribe(store);
    await service.tick(KABUL_8AM(22));
    expect(service.digestFor(chat, new Date(KABUL_8AM(22).getTime() + MINUTE)).title).toBe(
      'No new developments since Sun 22 Aug 2021, 08:00 (Asia/Kabul).',
    );
    clock.set(new Date(KABUL_8AM(22).getTime() + 2 * MINUTE));
    snapshot = withLater;
    const fresh = service.digestFor(chat, new Date(KABUL_8AM(22).getTime() + 3 * MINUTE));
    expect(fresh.title).toBe(`Digest: ${snapshot.kb.story.title}`);
    // Asking does not use up anything: the next scheduled digest still carries the news.
    await service.tick(KABUL_8AM(23));
    expect(platform.received.at(-1)?.title).toBe(`Digest: ${snapshot.kb.story.title}`);
  });
});

describe('two OS processes on one database file', () => {
  it('each slot is delivered once when a forked process ticks at the same time', async () => {
    const { fork } = await import('node:child_process');
    const dir = tempDir();
    const platform = await new FakeChatPlatform().start();
    platform.latencyMs = 3;
    const dbPath = join(dir.path, 'shared.sqlite');
    const store = openSqliteStore(dbPath);
    try {
      const createdAt = new Date(T0);
      for (let i = 0; i < 60; i++) {
        store.addSubscription({ platform: 'telegram', chatId: `chat-${i}`, chatType: 'group', schedule: 'daily 08:00', timeZone: 'Asia/Kabul', quiet: 'notice', createdAt });
      }
      const now = KABUL_8AM(22);
      const child = fork(compiled('test/digests/processes/tick-process.ts'), [dbPath, platform.url, now.toISOString()], {
        execArgv: [],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      const childReport = new Promise<{ sent: number }>((resolve, reject) => {
        child.on('message', (m: unknown) => {
          if (m === 'ready') child.send('go');
          else resolve((m as { report: { sent: number } }).report);
        });
        child.on('exit', (code) => (code === 0 ? undefined : reject(new Error(`child exited with ${code}`))));
      });
      await new Promise<void>((resolve) => child.once('message', () => resolve()));
      const service = createDigestService({
        store,
        knowledge: () => firstOnly,
        senders: new Map<Platform, MessageSender>([['telegram', httpSender('telegram', platform.url)]]),
        clock: () => now,
        logger: silentLogger(),
        missedSlots: 'latest',
        defaultTimeZone: 'Asia/Kabul',
      });
      const [mine, theirs] = await Promise.all([service.tick(now), childReport]);
      expect(mine.sent + theirs.sent).toBe(60);
      expect(platform.received).toHaveLength(60);
      expect(new Set(platform.received.map((r) => r.chatId)).size).toBe(60);
    } finally {
      store.close();
      await platform.stop();
      dir.remove();
    }
  });
});
