import { describe, expect, it } from 'vitest';
import { createRateLimiter, rateLimitReply } from '../../src/commands/rate-limit.js';

describe('createRateLimiter: a sliding window per user', () => {
  it('lets `limit` commands through, answers the next one once, then stays silent', () => {
    const limiter = createRateLimiter({ limit: 3, windowMs: 10_000 });
    const verdicts = [0, 100, 200, 300, 400, 500].map((t) => limiter.check('u1', t));
    expect(verdicts).toEqual(['ok', 'ok', 'ok', 'limited-first', 'limited', 'limited']);
  });

  it('counts each user separately', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 10_000 });
    expect(limiter.check('alice', 0)).toBe('ok');
    expect(limiter.check('bob', 0)).toBe('ok');
    expect(limiter.check('alice', 1)).toBe('limited-first');
    expect(limiter.check('bob', 1)).toBe('limited-first');
  });

  it('frees a user as the oldest accepted commands leave the window', () => {
    const limiter = createRateLimiter({ limit: 2, windowMs: 10_000 });
    expect(limiter.check('u', 0)).toBe('ok');
    expect(limiter.check('u', 5_000)).toBe('ok');
    expect(limiter.check('u', 6_000)).toBe('limited-first');
    expect(limiter.retryAfterSeconds('u', 6_000)).toBe(4);
    expect(limiter.check('u', 9_999)).toBe('limited');
    // The command at 0 leaves the window at 10 000: one slot opens.
    expect(limiter.check('u', 10_000)).toBe('ok');
    expect(limiter.check('u', 10_001)).toBe('limited-first');
    expect(limiter.retryAfterSeconds('u', 10_001)).toBe(5);
  });

  it('warns again in a new burst after the window freed up', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 1_000 });
    expect(limiter.check('u', 0)).toBe('ok');
    expect(limiter.check('u', 10)).toBe('limited-first');
    expect(limiter.check('u', 20)).toBe('limited');
    expect(limiter.check('u', 5_000)).toBe('ok');
    expect(limiter.check('u', 5_010)).toBe('limited-first');
  });

  it('rejected commands do not extend the wait', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 1_000 });
    limiter.check('u', 0);
    for (let t = 1; t < 1_000; t += 50) limiter.check('u', t);
    expect(limiter.check('u', 1_000)).toBe('ok');
  });

  it('says 0 s for a user who may send now', () => {
    const limiter = createRateLimiter({ limit: 2, windowMs: 1_000 });
    expect(limiter.retryAfterSeconds('never-seen', 0)).toBe(0);
    limiter.check('u', 0);
    expect(limiter.retryAfterSeconds('u', 0)).toBe(0);
  });

  it('forgets the least recently seen users beyond maxUsers', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, maxUsers: 2 });
    limiter.check('a', 0);
    limiter.check('b', 0);
    limiter.check('c', 0); // "a" is forgotten
    expect(limiter.check('a', 1)).toBe('ok');
    expect(limiter.check('c', 1)).toBe('limited-first');
  });

  it('rejects a nonsensical configuration with a clear message', () => {
    expect(() => createRateLimiter({ limit: 0 })).toThrow(/whole number/);
    expect(() => createRateLimiter({ windowMs: 0 })).toThrow(/window/);
  });
});

describe('rateLimitReply', () => {
  it('tells the user how long to wait, in whole seconds', () => {
    expect(rateLimitReply(11.2).title).toBe("You're sending commands too fast — try again in 12 s.");
    expect(rateLimitReply(0).title).toContain('in 1 s');
    expect(rateLimitReply(5).kind).toBe('notice');
  });
});
