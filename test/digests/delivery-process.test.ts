/**
 * Digests exactly once as the chat sees them: real bot processes (the Telegram runtime's sender,
 * the digest service, SQLite, the graceful stop) against the fake Bot API injecting faults, and
 * what every chat received counted on the fake.
 *
 * The platforms' pacing runs ×5 faster in these processes (and the per-second limit checked on
 * the fake is ×5 too), so a fan-out to 200 chats takes seconds; the 90 s promise is checked as
 * 90 s ÷ 5. (×5, not more: unpaced, the bot reaches about 220 messages/s on this machine, and
 * the check must see that.)
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PACING, PLATFORM_LIMITS } from '../../src/delivery/limiter.js';
import { FakeDiscord } from '../fakes/discord-api.js';
import { FakeTelegramBotApi, type SendFaults } from '../fakes/telegram-bot-api.js';
import { busiestWindow, ledger, startBotProcess, subscribeChats, type BotProcess } from './delivery-support.js';
import type { BotProcessSettings } from './processes/bot-process.js';
import { tempDir } from './support.js';

const SCALE = 5;
const SLOT = new Date('2021-08-22T03:30:00Z'); // 08:00 in Kabul
const CREATED = new Date('2021-08-22T00:00:00Z');
const chats = (count: number, from = 1001) => Array.from({ length: count }, (_, i) => String(from + i));

describe('digest delivery under platform faults (bot processes, fake Bot API)', () => {
  let dir: { path: string; remove(): void };
  let telegram: FakeTelegramBotApi;
  const bots: BotProcess[] = [];
  const database = () => join(dir.path, 'dossier.sqlite');
  /** The real time at which every process's clock read SLOT: they share one clock, restarts included. */
  let timeline = 0;

  beforeEach(async () => {
    dir = tempDir();
    telegram = await FakeTelegramBotApi.start();
    timeline = Date.now();
  });
  afterEach(async () => {
    for (const bot of bots.splice(0)) bot.child.kill('SIGKILL');
    await telegram.close();
    dir.remove();
  });

  function settings(overrides: Partial<BotProcessSettings> = {}): BotProcessSettings {
    return {
      database: database(),
      platform: 'telegram',
      apiUrl: telegram.apiRoot,
      token: telegram.token,
      startAt: SLOT.toISOString(),
      clockAnchorMs: timeline,
      pacingScale: SCALE,
      perKind: 5,
      sendTimeoutSeconds: 2,
      shutdownTimeoutMs: 4000,
      retry: { maxFailures: 6, backoffMs: 200, maxBackoffMs: 800 },
      ...overrides,
    };
  }

  async function start(overrides: Partial<BotProcessSettings> = {}): Promise<BotProcess> {
    const bot = await startBotProcess(settings(overrides));
    bots.push(bot);
    return bot;
  }

  /**
   * Wait until the fake saw every chat's digest (and every failing chat's last attempt), then
   * until the ledger says every row is final. The fake is polled, not the database, so the
   * test's reads never stall the fake (which would bunch its receive times).
   */
  async function allFinished(healthy: readonly string[], failing: readonly string[], parts: number, failures: number): Promise<ReturnType<typeof ledger>> {
    const accepted = (chatId: string) => telegram.sent(chatId).length;
    const attempts = (chatId: string) => telegram.callsTo('sendMessage').filter((c) => String(c.params.chat_id) === chatId).length;
    await expect
      .poll(() => healthy.every((c) => accepted(c) >= parts) && failing.every((c) => attempts(c) >= failures), { timeout: 30_000, interval: 200 })
      .toBe(true);
    let rows: ReturnType<typeof ledger> = [];
    await expect
      .poll(
        () => {
          rows = ledger(database());
          return rows.filter((r) => r.status === 'delivered' || r.status === 'failed').length;
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBe(healthy.length + failing.length);
    return rows;
  }

  /**
   * What each chat received, against its plan in the ledger: every part, in order; a part whose
   * send had an unknown outcome (accepted, the answer lost) may appear twice, back to back, and
   * only there. Returns the number of parts that appeared twice.
   *
   * `recordedAtKill`: a process was SIGKILLed, and these are the parts the ledger said accepted
   * (per chat) just after. A later part the fake had accepted was in flight at the kill (answered,
   * perhaps, to a process that died before recording it: the fake cannot tell), so it may come
   * twice too; a part the ledger had recorded may not.
   */
  function expectEachPartOnceInOrder(chatIds: readonly string[], recordedAtKill?: ReadonlyMap<string, number>): number {
    const store = ledgerPlans();
    let repeated = 0;
    for (const chatId of chatIds) {
      const plan = store.get(chatId);
      expect(plan, `a plan for chat ${chatId}`).toBeDefined();
      const got = telegram.sent(chatId).map((m) => m.source);
      const collapsed = got.filter((html, i) => html !== got[i - 1]);
      expect(collapsed, `chat ${chatId} got each part in order`).toEqual(plan);
      const twice = got.length - collapsed.length;
      const repeatedParts = collapsed.map((html, index) => ({ html, index })).filter(({ html }) => got.filter((g) => g === html).length > 1);
      const inFlightAtKill = recordedAtKill === undefined ? 0 : repeatedParts.filter(({ index }) => index >= (recordedAtKill.get(chatId) ?? 0)).length;
      expect(twice, `chat ${chatId}: a part twice only after an unknown outcome`).toBeLessThanOrEqual(telegram.unknownOutcomes(chatId) + Math.min(inFlightAtKill, 1));
      repeated += twice;
    }
    return repeated;
  }

  function ledgerPlans(): Map<string, string[]> {
    return new Map(
      ledgerWithPlans(database()).map((r) => [r.chatId, r.parts.map((p) => (p as { html: string }).html)]),
    );
  }

  function expectWithinPlatformLimit(): void {
    expect(busiestWindow(telegram.sendTimes(), 1000)).toBeLessThanOrEqual(PLATFORM_LIMITS.telegram.perSecond * SCALE);
  }

  it('two processes, a 30 % 429 storm, 5xx, resets before and after acceptance, slow answers and 5 chats failing for good: 200 chats get each part once, in order, in time, within the per-bot limit', async () => {
    const failing = chats(5, 9001);
    const healthy = chats(200);
    subscribeChats(database(), 'telegram', [...healthy, ...failing], CREATED);
    const faults: SendFaults = {
      rateLimit: { share: 0.3, retryAfter: 1 },
      serverError: { share: 0.04 },
      resetBefore: { share: 0.03 },
      resetAfter: { share: 0.03, perChat: 1 },
      slow: { share: 0.02, delayMs: 2500, perChat: 1 },
      failingChats: new Set(failing),
      seed: 30,
    };
    telegram.setFaults(faults);
    const started = Date.now();
    // Two processes of the same bot on one database: together they must stay within its limit.
    const [bot, other] = await Promise.all([start(), start()]);
    const rows = await allFinished(healthy, failing, 2, 6);
    const lastAccepted = Math.max(...healthy.map((c) => telegram.callsTo('sendMessage').filter((call) => String(call.params.chat_id) === c && call.answer?.ok === true).at(-1)?.at ?? Infinity));

    expectEachPartOnceInOrder(healthy);
    for (const chatId of failing) {
      expect(rows.find((r) => r.chatId === chatId)).toMatchObject({ status: 'failed', partsAccepted: 0, detail: expect.stringMatching(/^given up after 6 failed attempts/) });
    }
    for (const chatId of healthy) expect(rows.find((r) => r.chatId === chatId)).toMatchObject({ status: 'delivered', partsAccepted: 2, parts: 2 });
    expect(telegram.earlyRetries).toEqual([]);
    expectWithinPlatformLimit();
    // The promise, at ×5 pace: every healthy chat within 90 s ÷ 5 of the slot (start-up excluded).
    const firstCall = telegram.callsTo('sendMessage')[0]?.at ?? started;
    expect(lastAccepted - firstCall).toBeLessThan((90 / SCALE) * 1000);
    for (const process of [bot, other]) process.child.kill('SIGTERM');
    expect([await bot.exited, await other.exited]).toEqual([0, 0]);
  }, 40_000);

  it('SIGTERM mid fan-out in a 50 % storm: sends in flight are recorded, the rest is left (exit 1), and the next start delivers each part exactly once', async () => {
    const all = chats(60);
    subscribeChats(database(), 'telegram', all, CREATED);
    // Every accepted message is answered 300 ms later, so that sends are in flight at the SIGTERM.
    telegram.setFaults({ rateLimit: { share: 0.5, retryAfter: 1 }, latencyMs: 300, seed: 50 });
    const first = await start();
    await expect.poll(() => all.filter((c) => telegram.sent(c).length >= 2).length, { timeout: 20_000, interval: 50 }).toBeGreaterThanOrEqual(10);
    const inFlight = () => telegram.callsTo('sendMessage').filter((c) => c.answer === undefined).length;
    await expect.poll(inFlight, { interval: 5 }).toBeGreaterThan(0);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(1);
    const left = ledger(database()).filter((r) => r.status !== 'delivered');
    expect(left.length).toBeGreaterThan(0);
    expect(first.logs().some((l) => /left unfinished/.test(String(l.msg)))).toBe(true);
    // Half-sent digests are recorded as exactly that: the ledger agrees with the fake, part by part.
    for (const row of ledger(database())) expect(telegram.sent(row.chatId)).toHaveLength(row.partsAccepted);

    // The same clock carries on, as it does for a real restart: the stopped process's "retry
    // after" times in the ledger still mean what they meant.
    const second = await start();
    const rows = await allFinished(all, [], 2, 0);
    expect(rows.every((r) => r.status === 'delivered' && r.partsAccepted === 2)).toBe(true);
    expect(expectEachPartOnceInOrder(all)).toBe(0);
    expect(telegram.earlyRetries).toEqual([]);
    expectWithinPlatformLimit();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 40_000);

  it('SIGKILL mid fan-out: a restarted process takes over at once (not after its 60 s lease) and only a part in flight at the kill may come twice', async () => {
    const all = chats(60);
    subscribeChats(database(), 'telegram', all, CREATED);
    telegram.setFaults({ rateLimit: { share: 0.3, retryAfter: 1 }, seed: 9 });
    const first = await start({ leaseMs: 60_000 });
    await expect.poll(() => all.filter((c) => telegram.sent(c).length >= 2).length, { timeout: 20_000, interval: 50 }).toBeGreaterThanOrEqual(10);
    first.child.kill('SIGKILL');
    await first.exited;
    const killedAt = Date.now();
    const recordedAtKill = new Map(ledger(database()).map((r) => [r.chatId, r.partsAccepted]));

    await start({ leaseMs: 60_000 });
    const rows = await allFinished(all, [], 2, 0);
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    expect(rows.every((r) => r.status === 'delivered' && r.partsAccepted === 2)).toBe(true);
    // At most what it had on the wire: its sends in flight at once.
    expect(expectEachPartOnceInOrder(all, recordedAtKill)).toBeLessThanOrEqual(DEFAULT_PACING.telegram.concurrency);
    expectWithinPlatformLimit();
  }, 40_000);
});

function ledgerWithPlans(database: string): Array<{ chatId: string; parts: unknown[] }> {
  return ledger(database).map((r) => ({ chatId: r.chatId, parts: r.plan }));
}

describe('digest delivery to Discord under faults (a bot process, fake Discord)', () => {
  let dir: { path: string; remove(): void };
  let discord: FakeDiscord;
  let bot: BotProcess | undefined;

  beforeEach(async () => {
    dir = tempDir();
    discord = await FakeDiscord.start();
  });
  afterEach(async () => {
    bot?.child.kill('SIGKILL');
    await discord.close();
    dir.remove();
  });

  it('a 429 storm, 5xx and connections reset after the message was created: the nonce makes every page arrive exactly once, in order', async () => {
    const database = join(dir.path, 'dossier.sqlite');
    const channels = Array.from({ length: 60 }, (_, i) => String(300_000_000_000_000_000n + BigInt(i)));
    subscribeChats(database, 'discord', channels, CREATED);
    discord.setChannelFaults({ rateLimit: { share: 0.3, retryAfter: 0.3 }, serverError: { share: 0.05 }, resetAfter: { share: 0.08 }, seed: 16 });
    bot = await startBotProcess({
      database,
      platform: 'discord',
      apiUrl: discord.apiUrl,
      token: discord.token,
      startAt: SLOT.toISOString(),
      pacingScale: SCALE,
      perKind: 20,
      shutdownTimeoutMs: 4000,
      retry: { maxFailures: 8, backoffMs: 200, maxBackoffMs: 800 },
    });
    let rows: ReturnType<typeof ledger> = [];
    await expect
      .poll(
        () => {
          if (!channels.every((c) => discord.messagesIn(c).length >= 2)) return false;
          rows = ledger(database);
          return rows.every((r) => r.status === 'delivered');
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe(true);
    // Some creates were answered by a dropped connection and sent again with the same nonce.
    expect(discord.requests.filter((r) => r.status === -1).length).toBeGreaterThan(0);
    for (const channelId of channels) {
      const plan = rows.find((r) => r.chatId === channelId)?.plan as Array<{ embeds: Array<{ description?: string }> }>;
      expect(plan.length).toBe(2);
      const got = discord.messagesIn(channelId).map((m) => JSON.stringify(m.embeds));
      expect(got, `channel ${channelId}: each page once, in order`).toEqual(plan.map((p) => JSON.stringify(p.embeds)));
    }
    expect(busiestWindow(discord.channelPostTimes, 1000)).toBeLessThanOrEqual(PLATFORM_LIMITS.discord.perSecond * SCALE);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  }, 40_000);
});
