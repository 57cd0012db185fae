/**
 * Per-user rate limiting of incoming commands, for every platform.
 *
 * A sliding window: a user may send `limit` commands in any `windowMs`. The first command over
 * the limit gets one polite reply ("you're sending commands too fast — try again in N s"); the
 * rest of that burst gets silence, so a flood never turns into a flood of replies.
 */
import { reply, type Reply } from '../replies/reply.js';

/** `ok`: handle it. `limited-first`: answer with {@link rateLimitReply} once. `limited`: ignore it. */
export type RateLimitVerdict = 'ok' | 'limited-first' | 'limited';

export interface RateLimiterOptions {
  /** Commands allowed per window. Default 8. */
  limit?: number;
  /** Window length in ms. Default 30 000. */
  windowMs?: number;
  /** Users remembered at most (oldest forgotten first), so memory stays bounded. Default 10 000. */
  maxUsers?: number;
}

export interface RateLimiter {
  /** Count one command from `userKey` at `now` (ms) and say what to do with it. */
  check(userKey: string, now: number): RateLimitVerdict;
  /** Whole seconds until `userKey` may send again (0 when it may now). */
  retryAfterSeconds(userKey: string, now: number): number;
}

interface UserWindow {
  /** Times (ms) of the accepted commands still inside the window, oldest first. */
  accepted: number[];
  /** Until when the user has already been told to slow down. */
  warnedUntil: number;
}

export const DEFAULT_RATE_LIMIT = { limit: 8, windowMs: 30_000 } as const;

/**
 * Create a sliding-window limiter. Rejected commands do not count, so a user who keeps
 * hammering is free again as soon as the window has passed their last accepted commands.
 *
 * @example
 * const limiter = createRateLimiter({ limit: 8, windowMs: 30_000 });
 * const verdict = limiter.check('telegram:42', Date.now());
 * if (verdict === 'limited-first') send(rateLimitReply(limiter.retryAfterSeconds('telegram:42', Date.now())));
 * if (verdict !== 'ok') return;
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const limit = options.limit ?? DEFAULT_RATE_LIMIT.limit;
  const windowMs = options.windowMs ?? DEFAULT_RATE_LIMIT.windowMs;
  const maxUsers = options.maxUsers ?? 10_000;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Rate limit must be a whole number ≥ 1, got ${limit}.`);
  if (!(windowMs > 0)) throw new RangeError(`Rate limit window must be > 0 ms, got ${windowMs}.`);
  // A Map keeps insertion order: re-inserting on use makes the first key the least recently used.
  const users = new Map<string, UserWindow>();

  function windowOf(userKey: string, now: number): UserWindow {
    const existing = users.get(userKey);
    const window = existing ?? { accepted: [], warnedUntil: 0 };
    while (window.accepted.length > 0 && (window.accepted[0] ?? 0) <= now - windowMs) window.accepted.shift();
    users.delete(userKey);
    users.set(userKey, window);
    if (users.size > maxUsers) {
      const oldest = users.keys().next().value;
      if (oldest !== undefined) users.delete(oldest);
    }
    return window;
  }

  function freeAt(window: UserWindow): number {
    return (window.accepted[0] ?? 0) + windowMs;
  }

  return {
    check(userKey, now) {
      const window = windowOf(userKey, now);
      if (window.accepted.length < limit) {
        window.accepted.push(now);
        return 'ok';
      }
      if (now < window.warnedUntil) return 'limited';
      window.warnedUntil = freeAt(window);
      return 'limited-first';
    },
    retryAfterSeconds(userKey, now) {
      const window = users.get(userKey);
      if (window === undefined) return 0;
      const live = window.accepted.filter((t) => t > now - windowMs);
      if (live.length < limit) return 0;
      return Math.max(1, Math.ceil(((live[0] ?? now) + windowMs - now) / 1000));
    },
  };
}

/**
 * The one polite answer a user gets when over the limit.
 *
 * @example
 * rateLimitReply(12).title // → "You're sending commands too fast — try again in 12 s."
 */
export function rateLimitReply(retryAfterSeconds: number): Reply {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return reply({
    kind: 'notice',
    title: `You're sending commands too fast — try again in ${seconds} s.`,
    summary: 'Until then I will not answer, so the chat stays readable.',
    private: true,
  });
}
