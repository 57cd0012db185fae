/**
 * The bot's one rate limiter for outgoing messages. Every message — a reply, a digest part, a
 * notice — reserves its moment under the platform's limits before it goes: the bot's overall
 * rate and the chat's own. Reservations live in a {@link SendPacingStore}: with the database's,
 * every process of the same bot shares one budget (two processes together stay within it).
 *
 * The pacing is GCRA (a token bucket kept as one timestamp per key), with a margin under each
 * platform's published limit, so that network jitter between our clock and the platform's cannot
 * push a second over it.
 */
import type { Platform } from '../commands/types.js';
import type { PacingRule, SendPacingStore } from '../storage/types.js';
import type { ChatKind, SendLimiter } from './types.js';

/** How fast one platform may be sent to. */
export interface PlatformPacing {
  /** Messages per second for the whole bot. */
  perSecond: number;
  /** Messages per minute to one chat, by kind of chat. */
  perChatPerMinute: Record<ChatKind, number>;
  /**
   * Digest deliveries attempted at once. Enough that chats waiting out their own per-chat pace
   * do not starve the bot's overall rate; the limiter, not this, sets the pace.
   */
  concurrency: number;
}

/**
 * The platforms' limits, paced with a margin.
 * Telegram allows about 30 messages/s per bot, 20/min per group and about 1/s per private chat:
 * we pace at 25/s, 19/min and 1/s. Discord allows 50 requests/s per bot and 5 messages / 5 s per
 * channel: we pace at 45/s and 4/5 s (discord.js also honours the per-route buckets it is told).
 */
export const DEFAULT_PACING: Record<Platform, PlatformPacing> = {
  telegram: { perSecond: 25, perChatPerMinute: { private: 60, group: 19, channel: 19 }, concurrency: 64 },
  discord: { perSecond: 45, perChatPerMinute: { private: 48, group: 48, channel: 48 }, concurrency: 32 },
  console: { perSecond: 1000, perChatPerMinute: { private: 60_000, group: 60_000, channel: 60_000 }, concurrency: 1 },
};

/** The published per-bot limits the pacing above stays under (what tests measure against). */
export const PLATFORM_LIMITS = { telegram: { perSecond: 30 }, discord: { perSecond: 50 } } as const;

/**
 * The same pacing `factor` times faster (tests and the benchmark use it to keep runs short;
 * the shape of the limits is kept).
 */
export function scalePacing(pacing: PlatformPacing, factor: number): PlatformPacing {
  const chat = pacing.perChatPerMinute;
  return {
    ...pacing,
    perSecond: pacing.perSecond * factor,
    perChatPerMinute: { private: chat.private * factor, group: chat.group * factor, channel: chat.channel * factor },
  };
}

/** The rules one message to `chatId` must fit: the bot's and the chat's. */
export function pacingRules(platform: Platform, pacing: PlatformPacing, chatId: string, kind: ChatKind): PacingRule[] {
  return [
    { key: platform, intervalMs: 1000 / pacing.perSecond, burst: 1 },
    { key: `${platform}:chat:${chatId}`, intervalMs: 60_000 / pacing.perChatPerMinute[kind], burst: 1 },
  ];
}

/**
 * How late past its reserved moment a message may still go: a few intervals, so that at most a
 * few messages more than the pace can meet in one second (the margin under the platform's limit
 * absorbs them), while a busy machine does not throw reservations away.
 */
const LATE_TOLERANCE_MS = 20;
const LATE_TOLERANCE_INTERVALS = 4;
/** Fresh reservations a late message may take before it goes anyway. */
const MAX_RESERVATIONS = 5;

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Wait `ms` (resolves early, without error, when `signal` aborts). */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export interface SendLimiterOptions {
  store: SendPacingStore;
  pacing?: Partial<Record<Platform, PlatformPacing>>;
  /** Wall-clock epoch milliseconds: shared by processes, so not a monotonic clock. */
  now?: () => number;
  sleep?: Sleep;
}

/**
 * Create the bot's limiter over a pacing store (the database's, or {@link memoryPacingStore}).
 *
 * @example
 * const limiter = createSendLimiter({ store });
 * if (await limiter.acquire('telegram', '-1001', 'group', signal)) await api.sendMessage(…);
 */
export function createSendLimiter(options: SendLimiterOptions): SendLimiter & { pacing(platform: Platform): PlatformPacing } {
  const pacing = { ...DEFAULT_PACING, ...options.pacing };
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  return {
    pacing: (platform) => pacing[platform],
    async acquire(platform, chatId, kind, signal) {
      const rules = pacingRules(platform, pacing[platform], chatId, kind);
      const interval = rules[0]?.intervalMs ?? 0;
      for (let attempt = 1; ; attempt++) {
        if (signal?.aborted) return false;
        const at = await options.store.reserveSend(rules, now());
        const wait = at - now();
        if (wait > 0) await sleep(wait, signal);
        // Woken late (a stalled event loop, a slow database): messages whose moments all passed
        // would leave together, over the limit. Take a fresh moment instead (bounded).
        if (now() - at <= Math.max(LATE_TOLERANCE_MS, LATE_TOLERANCE_INTERVALS * interval) || attempt >= MAX_RESERVATIONS) return signal?.aborted !== true;
      }
    },
  };
}

/** A pacing store in memory, for one process without a database (and unit tests). */
export function memoryPacingStore(): SendPacingStore {
  const tats = new Map<string, number>();
  return {
    reserveSend(rules, nowMs) {
      let at = nowMs;
      for (const rule of rules) at = Math.max(at, (tats.get(rule.key) ?? nowMs) - (rule.burst - 1) * rule.intervalMs);
      for (const rule of rules) tats.set(rule.key, Math.max(tats.get(rule.key) ?? nowMs, at) + rule.intervalMs);
      if (tats.size > 100_000) for (const [key, tat] of tats) if (tat < nowMs) tats.delete(key);
      return at;
    },
  };
}

/** No limit at all: for the console and for tests of one send. */
export const unlimited: SendLimiter = { acquire: async (_p, _c, _k, signal) => signal?.aborted !== true };
