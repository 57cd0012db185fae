/**
 * The Telegram sender on its own, against the fake Bot API: how an answer waits out a long
 * retry_after, and what a lost answer means. (That every message is paced by the bot's one
 * limiter, counted per second, is ./sender-pacing.test.ts, run with the fleet tests.)
 */
import { Api } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramSender } from '../../../src/adapters/telegram/sender.js';
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
});
