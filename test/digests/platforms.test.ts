/**
 * End to end: scheduled digests through the real Telegram and Discord senders against the fake
 * Bot API and Discord REST servers, checked on what those servers received.
 */
import { join } from 'node:path';
import { REST } from 'discord.js';
import { Api } from 'grammy';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordSender } from '../../src/adapters/discord/sender.js';
import { createTelegramSender } from '../../src/adapters/telegram/sender.js';
import type { Platform } from '../../src/commands/types.js';
import type { MessageSender } from '../../src/delivery/types.js';
import { createDigestService } from '../../src/digests/service.js';
import { silentLogger } from '../../src/observability/logger.js';
import { noTelemetry } from '../../src/observability/telemetry.js';
import type { KnowledgeSnapshot } from '../../src/search/types.js';
import { openSqliteStore, type SqliteStore } from '../../src/storage/sqlite.js';
import type { NewSubscription } from '../../src/storage/types.js';
import { FakeDiscord } from '../fakes/discord-api.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.js';
import { manualClock, snapshotsAroundLaterArticle, tempDir } from './support.js';

const KABUL_8AM = (day: number) => new Date(Date.UTC(2021, 7, day, 3, 30));
const LATER_HEADLINE = 'Taliban claim capture of Panjshir; resistance denies';

let before: KnowledgeSnapshot;
let after: KnowledgeSnapshot;
beforeAll(() => {
  ({ before, after } = snapshotsAroundLaterArticle());
});

describe('digests on the fake platforms', () => {
  let dir: { path: string; remove(): void };
  let store: SqliteStore;
  let snapshot: KnowledgeSnapshot;
  const clock = manualClock('2021-08-22T00:00:00Z');
  const sleeps: number[] = [];

  function service(platform: Platform, sender: MessageSender) {
    const digests = createDigestService({
      store,
      knowledge: () => snapshot,
      senders: new Map([[platform, sender]]),
      clock: clock.now,
      logger: silentLogger(),
      missedSlots: 'latest',
      defaultTimeZone: 'Asia/Kabul',
      sleep: async (ms) => {
        if (ms > 0) sleeps.push(ms);
      },
    });
    digests.onKnowledgeChanged(snapshot, clock.now());
    return digests;
  }
  const subscribe = (s: Partial<NewSubscription> & Pick<NewSubscription, 'platform' | 'chatId'>) =>
    store.addSubscription({ chatType: 'group', schedule: 'daily 08:00', timeZone: 'Asia/Kabul', quiet: 'notice', createdAt: new Date('2021-08-22T00:01:00Z'), ...s });

  beforeEach(() => {
    dir = tempDir();
    store = openSqliteStore(join(dir.path, 'dossier.sqlite'));
    snapshot = before;
    clock.set('2021-08-22T00:00:00Z');
    sleeps.length = 0;
  });
  afterEach(() => {
    store.close();
    dir.remove();
  });

  it('Telegram: delivered once per chat; 429 waited out, 403 deactivates, a migrated group is followed; a new article arrives next day', async () => {
    const telegram = await FakeTelegramBotApi.start();
    try {
      const api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
      const sender = createTelegramSender({ api, chatState: store, logger: silentLogger(), now: clock.now });
      const digests = service('telegram', sender);
      const ok = subscribe({ platform: 'telegram', chatId: '-100' });
      const blocked = subscribe({ platform: 'telegram', chatId: '42', chatType: 'private' });
      const moved = subscribe({ platform: 'telegram', chatId: '-5' });
      telegram.blockChat(42);
      telegram.migrateChat(-5, -1005);
      telegram.failNext('sendMessage', { kind: 'rate-limit', retryAfter: 2 });

      await digests.tick(KABUL_8AM(22));
      expect(telegram.sent('-100')).toHaveLength(1);
      expect(telegram.sent('-100')[0]?.text).toMatch(/No new developments since Sun 22 Aug 2021, 04:31 \(Asia\/Kabul\)/);
      expect(telegram.sent('-1005')).toHaveLength(1);
      expect(telegram.sent('42')).toHaveLength(0);
      expect(sleeps).toContain(2000);
      expect(store.subscription(blocked.id)).toMatchObject({ status: 'inactive', statusReason: expect.stringMatching(/blocked by the user/) });
      expect(store.subscription(moved.id)?.chatId).toBe('-1005');
      expect(store.delivery(moved.id, KABUL_8AM(22))).toMatchObject({ status: 'delivered', chatId: '-1005' });

      // A duplicate firing of the same slot posts nothing more.
      await digests.tick(KABUL_8AM(22));
      expect(telegram.callsTo('sendMessage').filter((c) => c.answer?.ok === true)).toHaveLength(2);

      clock.set('2021-08-22T12:00:00Z');
      snapshot = after;
      digests.onKnowledgeChanged(snapshot);
      await digests.tick(KABUL_8AM(23));
      const [, second] = telegram.sent('-100');
      expect(second?.text).toContain(LATER_HEADLINE);
      expect(telegram.sent('-1005')[1]?.text).toContain(LATER_HEADLINE);
      expect(telegram.sent('42')).toHaveLength(0);
      expect(store.subscription(ok.id)?.lastSlot).toEqual(KABUL_8AM(23));
    } finally {
      await telegram.close();
    }
  });

  it('Discord: each channel gets one message per slot; a channel without access stops its subscription', async () => {
    const discord = await FakeDiscord.start();
    try {
      const rest = new REST({ api: discord.apiUrl, retries: 0 }).setToken(discord.token);
      const sender = createDiscordSender({ rest, chatState: store, logger: silentLogger(), telemetry: noTelemetry, now: clock.now });
      const digests = service('discord', sender);
      const channels = ['300000000000000001', '300000000000000002', '300000000000000003'];
      const subs = channels.map((chatId) => subscribe({ platform: 'discord', chatId }));
      discord.injectError({ method: 'POST', path: /^\/channels\/300000000000000003\/messages$/, status: 403, code: 50001, message: 'Missing Access', times: 10 });

      snapshot = after; // an article arrives after the subscriptions were made
      digests.onKnowledgeChanged(snapshot, new Date('2021-08-22T01:00:00Z'));
      await digests.tick(KABUL_8AM(22));
      await digests.tick(KABUL_8AM(22));
      const posts = (id: string) => discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${id}/messages` && r.status === 200);
      expect(posts(channels[0]!)).toHaveLength(1);
      expect(posts(channels[1]!)).toHaveLength(1);
      expect(JSON.stringify(posts(channels[0]!)[0]?.body)).toContain(LATER_HEADLINE);
      expect(posts(channels[2]!)).toHaveLength(0);
      expect(store.subscription(subs[2]!.id)).toMatchObject({ status: 'inactive', statusReason: expect.stringMatching(/^forbidden/) });
      expect(store.blockedChat('discord', channels[2]!)).toBeDefined();
    } finally {
      await discord.close();
    }
  });
});
