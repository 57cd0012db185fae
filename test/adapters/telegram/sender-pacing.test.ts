/**
 * Every message the Telegram sender sends — replies, digest parts, notices — is paced by the
 * bot's one limiter, as the fake Bot API counts them per second. It counts times on its own
 * event loop, so it runs with the fleet tests (vitest.config.ts), ahead of the suite for the CPU:
 * starved beside it, requests sent in time were read late and together.
 */
import { Api } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramSender } from '../../../src/adapters/telegram/sender.js';
import { createSendLimiter, memoryPacingStore } from '../../../src/delivery/limiter.js';
import { silentLogger } from '../../../src/observability/logger.js';
import { reply } from '../../../src/replies/reply.js';
import { openSqliteStore, type SqliteStore } from '../../../src/storage/sqlite.js';
import { FakeTelegramBotApi } from '../../fakes/telegram-bot-api.js';

const answer = reply({ kind: 'answer', title: 'Bazarak', summary: 'A town in the Panjshir valley.' });

describe('the Telegram sender’s pacing', () => {
  let telegram: FakeTelegramBotApi;
  let store: SqliteStore;
  beforeEach(async () => {
    telegram = await FakeTelegramBotApi.start();
    store = openSqliteStore(':memory:');
  });
  afterEach(async () => {
    store.close();
    await telegram.close();
  });

  it('replies, digest parts and notices share one limiter: no second carries more than the bot may send', async () => {
    const limiter = createSendLimiter({ store: memoryPacingStore(), pacing: { telegram: { perSecond: 20, perChatPerMinute: { private: 6000, group: 6000, channel: 6000 }, concurrency: 8 } } });
    const sender = createTelegramSender({ api: new Api(telegram.token, { apiRoot: telegram.apiRoot }), chatState: store, logger: silentLogger(), now: () => new Date(), limiter });
    const [part] = sender.plan(answer);
    await Promise.all([
      ...Array.from({ length: 15 }, (_, i) => sender.deliver(String(100 + i), answer)),
      ...Array.from({ length: 15 }, (_, i) => sender.sendPart(String(200 + i), part, { key: `k${i}` })),
    ]);
    const times = telegram.sendTimes().sort((a, b) => a - b);
    expect(times).toHaveLength(30);
    let busiest = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1000) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    expect(busiest).toBeLessThanOrEqual(21);
  });
});
