/**
 * Work only one instance should do at a time (feed polling, say): a named lease in the database
 * ({@link LeaseStore}), renewed while the holder lives and taken over by another instance once
 * it lapses — a dead holder stops renewing, so its work moves within one lease period.
 */
import type { LeaseStore } from './types.js';

export interface SingletonOptions {
  leases: LeaseStore;
  /** The lease's name, e.g. `feeds`. */
  name: string;
  /** This instance's id (host:pid:random). */
  owner: string;
  /** How long a lease lasts without renewal (default 30 s); renewed every third of it. */
  ttlMs?: number;
  now?: () => Date;
  /** Told when this instance gains (`true`) or loses (`false`) the lease. */
  onChange?: (held: boolean) => void;
  /** Told when the database could not be asked (the lease then counts as lost). */
  onError?: (error: unknown) => void;
}

/** A lease this instance competes for. */
export interface Singleton {
  /** Whether this instance held the lease at its last check. */
  readonly held: boolean;
  /** Try to take or renew the lease now; returns whether this instance holds it. */
  check(): boolean;
  /** Check now and then every third of the lease period. */
  start(): void;
  /** Stop renewing and give the lease up, so another instance takes over at once. */
  stop(): void;
  /** Run `work` only if this instance holds the lease; resolves `undefined` otherwise. */
  ifHeld<T>(work: () => Promise<T> | T): Promise<T | undefined>;
}

/**
 * Compete for the lease `name`.
 *
 * @example
 * const feeds = createSingleton({ leases: store, name: 'feeds', owner });
 * feeds.start();
 * setInterval(() => void feeds.ifHeld(() => pollFeeds()), 60_000);
 * // on stop:
 * feeds.stop();
 */
export function createSingleton(options: SingletonOptions): Singleton {
  const ttlMs = options.ttlMs ?? 30_000;
  const now = options.now ?? (() => new Date());
  let held = false;
  let timer: NodeJS.Timeout | undefined;

  function check(): boolean {
    let holds: boolean;
    try {
      holds = options.leases.acquireLease(options.name, options.owner, now(), ttlMs);
    } catch (error) {
      options.onError?.(error);
      holds = false;
    }
    if (holds !== held) {
      held = holds;
      options.onChange?.(held);
    }
    return held;
  }

  return {
    get held() {
      return held;
    },
    check,
    start() {
      if (timer !== undefined) return;
      check();
      timer = setInterval(check, Math.max(10, Math.floor(ttlMs / 3)));
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
      if (held) {
        try {
          options.leases.releaseLease(options.name, options.owner);
        } catch (error) {
          options.onError?.(error);
        }
        held = false;
        options.onChange?.(false);
      }
    },
    async ifHeld(work) {
      return check() ? await work() : undefined;
    },
  };
}
