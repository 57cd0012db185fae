/**
 * Politeness per host: at most N requests to one host at a time, a pause between the end of
 * one request and the start of the next, and a host-wide "not before" set by `Retry-After`, so a
 * site that asked us to wait is not asked again by another feed in the meantime.
 */

export interface HostLimiterOptions {
  /** Requests to one host at once (default 2). */
  perHost?: number;
  /** Pause between requests to one host, in ms (default 1000). */
  delayMs?: number;
  now?: () => number;
  /** Waits; injected in tests so nothing really sleeps. */
  sleep?: (ms: number) => Promise<void>;
}

interface HostState {
  active: number;
  /** Earliest time the next request may start. */
  notBefore: number;
  waiting: Array<() => void>;
}

/** Resolves after `ms` milliseconds (real time). */
export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A per-host concurrency limit with a delay between requests.
 *
 * @example
 * const limiter = new HostLimiter({ perHost: 1, delayMs: 1000 });
 * const body = await limiter.run('example.org', () => fetch('https://example.org/feed'));
 */
export class HostLimiter {
  readonly #hosts = new Map<string, HostState>();
  readonly #perHost: number;
  readonly #delayMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: HostLimiterOptions = {}) {
    this.#perHost = Math.max(1, options.perHost ?? 2);
    this.#delayMs = Math.max(0, options.delayMs ?? 1000);
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
  }

  /** Run `task` when the host allows it; the slot is freed when it settles. */
  async run<T>(host: string, task: () => Promise<T>): Promise<T> {
    const state = this.#state(host);
    while (state.active >= this.#perHost) await new Promise<void>((resolve) => state.waiting.push(resolve));
    state.active += 1;
    try {
      const wait = state.notBefore - this.#now();
      if (wait > 0) await this.#sleep(wait);
      return await task();
    } finally {
      state.notBefore = Math.max(state.notBefore, this.#now() + this.#delayMs);
      state.active -= 1;
      state.waiting.shift()?.();
    }
  }

  /** The host asked us to wait (Retry-After): nobody starts a request to it before `until`. */
  deferHost(host: string, until: number): void {
    const state = this.#state(host);
    state.notBefore = Math.max(state.notBefore, until);
  }

  /** When the next request to `host` may start (ms since epoch), for health and tests. */
  notBefore(host: string): number {
    return this.#hosts.get(host)?.notBefore ?? 0;
  }

  #state(host: string): HostState {
    let state = this.#hosts.get(host);
    if (state === undefined) {
      state = { active: 0, notBefore: 0, waiting: [] };
      this.#hosts.set(host, state);
    }
    return state;
  }
}
