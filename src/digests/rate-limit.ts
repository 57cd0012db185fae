/**
 * Token buckets that keep a fan-out within each platform's rate limits: one bucket per platform
 * (Telegram ≈30 messages/s overall) and one per chat (Telegram groups ≈20/min). Rates are
 * injectable so the benchmark can scale them down, and time is injectable so tests need not wait.
 */
import type { Platform } from '../commands/types.js';
import type { SharedRateBuckets } from '../storage/types.js';

/** How fast one platform may be sent to. */
export interface PlatformRate {
  /** Messages per second across all chats. */
  perSecond: number;
  /** Messages that may go at once after a quiet spell. */
  burst: number;
  /** Messages per minute to one chat, by chat type. */
  perChatPerMinute: { private: number; group: number; channel: number };
  /** Sends in flight at once (Discord's REST queue limits itself; a modest number is enough). */
  concurrency: number;
}

/**
 * The platforms' published or observed limits.
 * Telegram: ~30 msg/s overall, 20 msg/min per group, ~1 msg/s per private chat.
 * Discord: ~50 requests/s global and 5 messages / 5 s per channel; discord.js queues 429s itself.
 */
export const DEFAULT_RATES: Record<Platform, PlatformRate> = {
  telegram: { perSecond: 30, burst: 30, perChatPerMinute: { private: 60, group: 20, channel: 20 }, concurrency: 16 },
  discord: { perSecond: 50, burst: 50, perChatPerMinute: { private: 60, group: 60, channel: 60 }, concurrency: 8 },
  console: { perSecond: 1000, burst: 1000, perChatPerMinute: { private: 6000, group: 6000, channel: 6000 }, concurrency: 1 },
};

/**
 * The same limits slowed or sped up by `factor` (the benchmark uses `100` to make a
 * 10,000-chat fan-out take seconds instead of minutes, keeping the shape of the limits).
 */
export function scaleRate(rate: PlatformRate, factor: number): PlatformRate {
  return {
    ...rate,
    perSecond: rate.perSecond * factor,
    burst: Math.max(1, Math.round(rate.burst * factor)),
    perChatPerMinute: {
      private: rate.perChatPerMinute.private * factor,
      group: rate.perChatPerMinute.group * factor,
      channel: rate.perChatPerMinute.channel * factor,
    },
  };
}

/**
 * A token bucket that hands out reservations: each call takes one token now, going into debt
 * when empty, and says how long to wait for it. Waiters are served in call order.
 *
 * @example
 * const bucket = new TokenBucket(30, 30, () => performance.now());
 * await sleep(bucket.reserve());
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly capacity: number,
    private readonly now: () => number,
  ) {
    if (!(perSecond > 0) || !(capacity >= 1)) throw new Error('A token bucket needs a positive rate and a capacity of at least 1.');
    this.tokens = capacity;
    this.last = now();
  }

  /** Take a token; returns the milliseconds to wait before using it (0 = go now). */
  reserve(): number {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.perSecond) * 1000;
  }
}

const MAX_CHAT_BUCKETS = 100_000;

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

/** Per-platform and per-chat buckets. */
export class DeliveryRateLimiter {
  private readonly platformBuckets = new Map<Platform, TokenBucket>();
  private readonly chatBuckets = new Map<string, TokenBucket>();

  constructor(
    private readonly rates: Record<Platform, PlatformRate>,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: Sleep = realSleep,
    /** Platform buckets kept in the database, shared by every process of the bot (else per process). */
    private readonly shared?: SharedRateBuckets,
  ) {}

  rate(platform: Platform): PlatformRate {
    return this.rates[platform];
  }

  /** Wait until one message may go to this chat. */
  async acquire(platform: Platform, chatId: string, chatType: keyof PlatformRate['perChatPerMinute'], signal?: AbortSignal): Promise<void> {
    const rate = this.rates[platform];
    const key = `${platform}:${chatId}`;
    let chat = this.chatBuckets.get(key);
    if (chat === undefined) {
      const perSecond = rate.perChatPerMinute[chatType] / 60;
      chat = new TokenBucket(perSecond, Math.max(1, Math.min(3, perSecond * 60)), this.now);
      // A chat's bucket matters only within one fan-out; forget them all when the map grows large.
      if (this.chatBuckets.size >= MAX_CHAT_BUCKETS) this.chatBuckets.clear();
      this.chatBuckets.set(key, chat);
    }
    await this.sleep(chat.reserve(), signal);
    if (this.shared !== undefined) {
      await this.sleep(this.shared.reserveToken(`platform:${platform}`, rate.perSecond, rate.burst), signal);
      return;
    }
    let global = this.platformBuckets.get(platform);
    if (global === undefined) {
      global = new TokenBucket(rate.perSecond, rate.burst, this.now);
      this.platformBuckets.set(platform, global);
    }
    await this.sleep(global.reserve(), signal);
  }
}
