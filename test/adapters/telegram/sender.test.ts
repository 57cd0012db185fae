/**
 * The Telegram sender on its own, against the fake Bot API: how an answer waits out a long
 * retry_after, and that every message is paced by the bot's one limiter.
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

describe('the Telegram sender', () => {
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

  it('an answer throttled with retry_after 90 s is queued for exactly that long, then delivered once', async () => {
    const waits: number[] = [];
    const sender = createTelegramSender({
      api: new Api(telegram.token, { apiRoot: telegram.apiRoot }),
      chatState: store,
      logger: silentLogger(),
      now: () => new Date(),
      sleep: async (ms) => void waits.push(ms),
    });
    telegram.failNext('sendMessage', { kind: 'rate-limit', retryAfter: 90 });
    const delivered = await sender.deliver('42', answer, { replyTo: 7 });
    expect(waits).toEqual([90_000]);
    expect(telegram.sent('42')).toHaveLength(1);
    expect(delivered.messageIds).toHaveLength(1);
    expect(telegram.callsTo('sendMessage')).toHaveLength(2);
  });

  it('a part whose answer was lost is reported as an unknown outcome; one Telegram refused is not', async () => {
    const sender = createTelegramSender({ api: new Api(telegram.token, { apiRoot: telegram.apiRoot, timeoutSeconds: 1 }), chatState: store, logger: silentLogger(), now: () => new Date() });
    const [part] = sender.plan(answer);
    telegram.setFaults({ slow: { share: 1, delayMs: 1500 } });
    await expect(sender.sendPart('42', part, { key: 'k' })).rejects.toMatchObject({ kind: 'transient', outcomeUnknown: true });
    expect(telegram.sent('42')).toHaveLength(1); // it did arrive
    telegram.setFaults({ serverError: { share: 1 } });
    await expect(sender.sendPart('42', part, { key: 'k' })).rejects.toMatchObject({ kind: 'transient', outcomeUnknown: false });
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
