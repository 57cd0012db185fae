import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRouter } from '../../src/commands/router.js';
import { subscriptionCommands } from '../../src/commands/subscriptions.js';
import type { ChatRef, CommandContext } from '../../src/commands/types.js';
import { createDigestService, type DigestService } from '../../src/digests/service.js';
import { silentLogger } from '../../src/observability/logger.js';
import { openSqliteStore, type SqliteStore } from '../../src/storage/sqlite.js';
import { tempDir } from '../digests/support.js';
import { seedSnapshot } from '../support/seed-story.js';

// Sunday 22 Aug 2021, 10:00 in Kabul.
const NOW = new Date('2021-08-22T05:30:00Z');
const snapshot = seedSnapshot();

describe('subscription commands', () => {
  let dir: { path: string; remove(): void };
  let store: SqliteStore;
  let digests: DigestService;
  let router: ReturnType<typeof createRouter>;

  const group: ChatRef = { platform: 'telegram', id: '-1001', type: 'group', title: 'Newsroom' };
  const context = (overrides: { chat?: ChatRef; moderator?: boolean; now?: Date } = {}): CommandContext => ({
    chat: overrides.chat ?? group,
    user: { id: 'u1', isModerator: overrides.moderator ?? true },
    now: overrides.now ?? NOW,
  });
  const send = async (text: string, ctx = context()) => (await router.handle(text, ctx))!.reply;

  beforeEach(() => {
    dir = tempDir();
    store = openSqliteStore(join(dir.path, 'dossier.sqlite'));
    digests = createDigestService({
      store,
      knowledge: () => snapshot,
      senders: new Map(),
      clock: () => NOW,
      logger: silentLogger(),
      missedSlots: 'latest',
      defaultTimeZone: 'Asia/Kabul',
    });
    digests.onKnowledgeChanged(snapshot, new Date('2021-08-22T00:00:00Z'));
    router = createRouter({
      commands: subscriptionCommands({ store, digests, knowledge: () => snapshot, defaultTimeZone: 'Asia/Kabul' }),
      logger: silentLogger(),
    });
  });
  afterEach(() => {
    store.close();
    dir.remove();
  });

  describe('/subscribe', () => {
    it('defaults to daily 08:00 in DIGEST_TIMEZONE and says when the next digest comes and how to stop it', async () => {
      const reply = await send('/subscribe');
      expect(reply.kind).toBe('notice');
      expect(reply.title).toBe('Subscribed: a digest every day at 08:00 (Asia/Kabul).');
      expect(reply.summary).toBe('Next digest: Mon 23 Aug 2021, 08:00 (Asia/Kabul). It covers what is new from now on.');
      const [sub] = store.subscriptionsForChat('telegram', '-1001');
      expect(sub).toMatchObject({ schedule: 'daily 08:00', timeZone: 'Asia/Kabul', quiet: 'notice', chatType: 'group', createdAt: NOW, createdBy: 'u1' });
      expect(reply.sections[0]?.lines.map((l) => l.text)).toContain(`To stop it: /unsubscribe ${sub!.id}`);
      expect(reply.actions).toContainEqual({ label: 'Unsubscribe', command: `/unsubscribe ${sub!.id}` });
    });

    it('takes a schedule, a time zone, only-new and a topic', async () => {
      const reply = await send('/subscribe weekdays 18:00 europe/dublin only-new panjshir');
      expect(reply.title).toBe('Subscribed: a digest about Panjshir Monday to Friday at 18:00 (Europe/Dublin).');
      expect(reply.summary).toMatch(/^Next digest: Mon 23 Aug 2021, 18:00 \(Europe\/Dublin\)/);
      expect(store.subscriptionsForChat('telegram', '-1001')[0]).toMatchObject({
        schedule: 'weekdays 18:00',
        timeZone: 'Europe/Dublin',
        quiet: 'skip',
        topic: { entityId: 'panjshir', label: 'Panjshir' },
      });
    });

    it.each([
      ['/subscribe every 6h', 'every 6h', 'Asia/Kabul'],
      ['/subscribe weekly mon 09:00 UTC', 'weekly mon 09:00', 'UTC'],
      ['/subscribe 0 8 * * 1-5 America/New_York', 'cron 0 8 * * 1-5', 'America/New_York'],
      ['/subscribe Asia/Tokyo', 'daily 08:00', 'Asia/Tokyo'],
    ])('%s', async (line, schedule, timeZone) => {
      expect((await send(line)).kind).toBe('notice');
      expect(store.subscriptionsForChat('telegram', '-1001')[0]).toMatchObject({ schedule, timeZone });
    });

    it.each([
      ['/subscribe daily 25:00', /needs a time/],
      ['/subscribe weekly 09:00', /"weekly" needs a day and a time/],
      ['/subscribe every soon', /"every" needs an interval/],
      ['/subscribe every 1m', /at most every 15 minutes/],
      ['/subscribe every 7h', /"every 7h" does not divide a day evenly/],
      ['/subscribe 0 8 * *', /A cron schedule has 5 fields/],
      ['/subscribe 0 0 8 * * *', /seconds are not supported/],
      ['/subscribe 99 8 * * *', /"99 8 \* \* \*" is not a valid cron expression/],
      ['/subscribe daily 08:00 Mars/Base', /not a time zone I know/],
      ['/subscribe daily 08:00 id:no-such-entry', /That entry is no longer in the knowledge base/],
      ['/subscribe daily 08:00 @everyone', /I don't know “@everyone”/],
      ['/subscribe * * * * *', /at most every 15 minutes/],
      ['/subscribe daily 08:00 ‮‮gnihtemos', /I don't know/],
      [`/subscribe daily 08:00 ${'x'.repeat(400)}`, /I don't know “x+…”/],
    ])('rejects %s with a clear error and examples', async (line, message) => {
      const reply = await send(line);
      expect(reply.kind).toBe('error');
      expect(reply.title).toMatch(message);
      expect(reply.sections[0]?.lines.length).toBeGreaterThan(0);
      expect(store.subscriptionsForChat('telegram', '-1001')).toEqual([]);
    });

    it('offers the names it does know for a near-miss topic', async () => {
      const reply = await send('/subscribe daily 08:00 nazary spokesman');
      expect(reply.kind).toBe('error');
      expect(reply.title).toBe("I don't know “nazary spokesman”, so I can't narrow a digest to it.");
      expect(reply.sections[0]?.lines[0]?.text).toMatch(/^Did you mean .*Ali Maisam Nazary.*\?$/);
      expect(reply.sections[0]?.lines.slice(1).map((l) => l.text)).toEqual(['/subscribe daily 08:00', '/subscribe daily 08:00 Asia/Kabul']);
      expect(store.subscriptionsForChat('telegram', '-1001')).toEqual([]);
    });

    it('asks which one when a topic is ambiguous', async () => {
      const reply = await send('/subscribe daily 08:00 massoud');
      expect(reply.kind).toBe('error');
      expect(reply.title).toMatch(/could mean .*Massoud.*Name one of them/);
    });

    it('does not duplicate an identical subscription, and caps subscriptions per chat', async () => {
      await send('/subscribe daily 08:00');
      expect((await send('/subscribe daily 08:00')).title).toMatch(/already gets that digest/);
      for (let h = 9; h < 18; h++) await send(`/subscribe daily ${h}:00`);
      expect(store.subscriptionsForChat('telegram', '-1001')).toHaveLength(10);
      const full = await send('/subscribe daily 19:00');
      expect(full).toMatchObject({ kind: 'error', title: 'This chat already has 10 digest subscriptions, the most allowed. Remove one first.' });
      expect(full.sections[0]?.lines.map((l) => l.text)).toEqual(['/subscriptions', '/unsubscribe <number>']);
      expect(store.subscriptionsForChat('telegram', '-1001')).toHaveLength(10);
    });

    it('is for moderators in groups, anyone in a private chat', async () => {
      const denied = await send('/subscribe', context({ moderator: false }));
      expect(denied).toMatchObject({ kind: 'error', title: 'Only moderators can use /subscribe here.' });
      expect(store.subscriptionsForChat('telegram', '-1001')).toEqual([]);
      const dm: ChatRef = { platform: 'discord', id: '555', type: 'private' };
      expect((await send('/subscribe', context({ chat: dm, moderator: false }))).kind).toBe('notice');
      expect(store.subscriptionsForChat('discord', '555')).toHaveLength(1);
    });

    it('clears an old block on the chat, so the new subscription is delivered', async () => {
      store.markChatBlocked('telegram', '-1001', 'forbidden: bot was kicked', NOW);
      await send('/subscribe');
      expect(store.blockedChat('telegram', '-1001')).toBeUndefined();
    });
  });

  describe('/subscriptions and /unsubscribe', () => {
    it('lists the chat’s subscriptions with their next slot, for anyone', async () => {
      expect((await send('/subscriptions', context({ moderator: false }))).title).toBe('This chat has no digest subscriptions.');
      await send('/subscribe daily 08:00');
      await send('/subscribe every 6h UTC panjshir');
      const list = await send('/subscriptions', context({ moderator: false }));
      expect(list.title).toBe('Digest subscriptions of this chat (2)');
      expect(list.sections[0]?.lines.map((l) => l.text)).toEqual([
        expect.stringMatching(/^#\d+: every day at 08:00 \(Asia\/Kabul\) — next Mon 23 Aug 2021, 08:00 \(Asia\/Kabul\)$/),
        expect.stringMatching(/^#\d+: every 6 hours \(UTC\), about Panjshir — next Sun 22 Aug 2021, 06:00 \(UTC\)$/),
      ]);
    });

    it('shows why a subscription stopped', async () => {
      await send('/subscribe');
      store.markChatBlocked('telegram', '-1001', 'forbidden: bot was kicked from the group chat', NOW);
      const list = await send('/subscriptions');
      expect(list.sections[0]?.lines[0]).toMatchObject({ text: expect.stringMatching(/stopped: forbidden: bot was kicked/), note: 'inactive' });
    });

    it('shows when the latest digest could not be delivered, and why', async () => {
      await send('/subscribe');
      const [sub] = store.subscriptionsForChat('telegram', '-1001');
      const slot = new Date('2021-08-22T03:30:00Z');
      store.claimSlot(sub!.id, slot, 'bot', NOW, 60_000);
      store.finishSlot(sub!.id, slot, 'bot', { status: 'failed', detail: 'given up after 8 failed attempts; last: Telegram said 500' }, NOW);
      const list = await send('/subscriptions');
      expect(list.sections[0]?.lines[0]).toMatchObject({
        text: expect.stringMatching(/— next /),
        note: 'the 2021-08-22 03:30 UTC digest was not delivered: given up after 8 failed attempts; last: Telegram said 500',
      });
    });

    it('unsubscribes by number, the only one, or all; moderators only in groups', async () => {
      await send('/subscribe daily 08:00');
      await send('/subscribe daily 09:00');
      const [first, second] = store.subscriptionsForChat('telegram', '-1001');
      expect((await send('/unsubscribe', context({ moderator: false }))).title).toBe('Only moderators can use /unsubscribe here.');
      const which = await send('/unsubscribe');
      expect(which.kind).toBe('error');
      expect(which.title).toMatch(/2 subscriptions: say which one/);
      expect((await send('/unsubscribe 999')).title).toBe('This chat has no subscription #999.');
      expect((await send('/unsubscribe soon')).title).toMatch(/is not a subscription number/);
      expect((await send(`/unsubscribe #${first!.id}`)).title).toBe(`Unsubscribed from digest #${first!.id}.`);
      expect((await send('/unsubscribe')).title).toBe(`Unsubscribed from digest #${second!.id}.`);
      expect((await send('/unsubscribe')).title).toBe('This chat has no digest subscriptions.');
      await send('/subscribe daily 08:00');
      await send('/subscribe daily 10:00');
      expect((await send('/unsubscribe all')).title).toBe('Unsubscribed from 2 digests.');
      expect(store.subscriptionsForChat('telegram', '-1001')).toEqual([]);
    });

    it('cannot remove another chat’s subscription', async () => {
      await send('/subscribe', context({ chat: { platform: 'telegram', id: 'other', type: 'group' } }));
      const [theirs] = store.subscriptionsForChat('telegram', 'other');
      expect((await send(`/unsubscribe ${theirs!.id}`)).title).toBe('This chat has no digest subscriptions.');
      expect(store.subscriptionsForChat('telegram', 'other')).toHaveLength(1);
    });
  });

  describe('/digest', () => {
    it('gives anyone an overview before the first digest, narrowed by a topic if asked', async () => {
      const overview = await send('/digest', context({ moderator: false }));
      expect(overview.title).toBe(`Overview: ${snapshot.kb.story.title}`);
      expect(overview.citations.length).toBeGreaterThan(0);
      const narrowed = await send('/digest amrullah saleh', context({ moderator: false }));
      expect(narrowed.title).toBe(`Overview: ${snapshot.kb.story.title} — Amrullah Saleh`);
      expect((await send('/digest nobody-at-all')).kind).toBe('error');
    });
  });
});
