/**
 * Graceful stop: on SIGTERM or SIGINT, run the registered stop steps in a fixed order, within a
 * time bound, and exit 0 when every step went well.
 *
 * The order is what makes a stop lose nothing: first stop taking new updates, then let the work
 * already started finish, then stop schedulers (releasing claimed digest slots), close platform
 * connections, close the database, and last close the health/metrics port (so health says
 * "stopping" until the end).
 */
import type { Logger } from '../observability/logger.js';

/** Stop phases, in the order they run. Steps of one phase run in registration order. */
export const SHUTDOWN_PHASES = ['intake', 'drain', 'schedulers', 'platforms', 'storage', 'http'] as const;
export type ShutdownPhase = (typeof SHUTDOWN_PHASES)[number];

export interface StopStepContext {
  /** Why we are stopping: the signal name or the caller's reason. */
  reason: string;
  /** Milliseconds left before the whole stop is cut short. */
  remainingMs(): number;
  /** Aborted when the overall bound is reached. */
  signal: AbortSignal;
}

export type StopStep = (context: StopStepContext) => void | Promise<void>;

/** The part of `process` the coordinator listens to (an EventEmitter in tests). */
export interface SignalSource {
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface ShutdownOptions {
  logger: Logger;
  /** The bound for the whole stop; past it the process exits 1 without waiting further. */
  timeoutMs: number;
  /** How to end the process (default `process.exit`). */
  exit?: (code: number) => void;
  /** Where signals come from (default `process`). */
  signals?: SignalSource;
  /** Monotonic milliseconds (default `performance.now`). */
  clock?: () => number;
}

export interface Shutdown {
  /**
   * Add a stop step to a phase. `timeoutMs` bounds this step alone: past it the step is
   * reported as failed and the next one runs.
   */
  register(phase: ShutdownPhase, name: string, step: StopStep, options?: { timeoutMs?: number }): void;
  /** Start listening for SIGTERM and SIGINT; returns a function that stops listening. */
  listen(signals?: readonly NodeJS.Signals[]): () => void;
  /**
   * Run every step once (later calls return the same promise), then exit with 0 when all went
   * well or 1 otherwise (or `exitCode` when given and all went well). Resolves to the exit code.
   */
  stop(reason: string, exitCode?: number): Promise<number>;
  /** True once a stop has begun. */
  readonly stopping: boolean;
}

/**
 * Create the stop coordinator. Register steps as components start, then `listen()`.
 *
 * @example
 * const shutdown = createShutdown({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
 * shutdown.register('intake', 'telegram polling', () => telegram.stopPolling());
 * shutdown.register('drain', 'in-flight replies', () => inFlight.drain(5_000), { timeoutMs: 6_000 });
 * shutdown.register('storage', 'database', () => db.close());
 * shutdown.register('http', 'health server', () => server.close());
 * shutdown.listen();
 */
export function createShutdown(options: ShutdownOptions): Shutdown {
  const logger = options.logger.child({ component: 'shutdown' });
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const clock = options.clock ?? (() => performance.now());
  const steps: Array<{ phase: ShutdownPhase; name: string; step: StopStep; timeoutMs?: number }> = [];
  let running: Promise<number> | undefined;
  let exited = false;

  function exitOnce(code: number): void {
    if (exited) return;
    exited = true;
    exit(code);
  }

  async function runAll(reason: string, requestedCode: number): Promise<number> {
    const started = clock();
    const deadline = started + options.timeoutMs;
    const abort = new AbortController();
    const forceTimer = setTimeout(() => {
      abort.abort();
      logger.error({ timeoutMs: options.timeoutMs }, `graceful stop took longer than ${options.timeoutMs} ms; exiting now`);
      exitOnce(1);
    }, options.timeoutMs);

    logger.info({ reason }, 'stopping');
    const ordered = SHUTDOWN_PHASES.flatMap((phase) => steps.filter((s) => s.phase === phase));
    let failures = 0;
    for (const { phase, name, step, timeoutMs } of ordered) {
      if (abort.signal.aborted) break;
      const stepStarted = clock();
      const context: StopStepContext = { reason, signal: abort.signal, remainingMs: () => Math.max(0, deadline - clock()) };
      try {
        await withBound(Promise.resolve().then(() => step(context)), timeoutMs, `did not finish within ${timeoutMs} ms`);
        logger.debug({ phase, step: name, ms: Math.round(clock() - stepStarted) }, 'stop step done');
      } catch (error) {
        failures += 1;
        logger.error({ phase, step: name, err: error }, `stop step "${name}" failed`);
      }
    }
    clearTimeout(forceTimer);
    if (abort.signal.aborted) return 1;
    const code = failures === 0 ? requestedCode : 1;
    logger.info({ reason, ms: Math.round(clock() - started), failures, exitCode: code }, failures === 0 ? 'stopped' : 'stopped with errors');
    exitOnce(code);
    return code;
  }

  function stop(reason: string, exitCode = 0): Promise<number> {
    running ??= runAll(reason, exitCode);
    return running;
  }

  return {
    register(phase, name, step, stepOptions = {}) {
      if (!SHUTDOWN_PHASES.includes(phase)) throw new Error(`Unknown stop phase "${String(phase)}"; use one of ${SHUTDOWN_PHASES.join(', ')}.`);
      steps.push({ phase, name, step, ...(stepOptions.timeoutMs === undefined ? {} : { timeoutMs: stepOptions.timeoutMs }) });
    },
    listen(signals = ['SIGTERM', 'SIGINT']) {
      const source = options.signals ?? process;
      const onSignal = (signal: NodeJS.Signals) => {
        if (running !== undefined) {
          logger.warn({ signal }, 'second stop signal: exiting without waiting');
          exitOnce(1);
          return;
        }
        void stop(signal);
      };
      for (const signal of signals) source.on(signal, onSignal);
      return () => {
        for (const signal of signals) source.off(signal, onSignal);
      };
    },
    stop,
    get stopping() {
      return running !== undefined;
    },
  };
}

/**
 * Tracks work in progress (replies being computed and sent) so a stop can wait for it.
 *
 * @example
 * const inFlight = new InFlight();
 * bot.on('message', (ctx) => inFlight.track(handle(ctx)));
 * // on stop, after polling has stopped:
 * const finished = await inFlight.drain(5_000);
 */
export class InFlight {
  readonly #pending = new Set<Promise<unknown>>();

  /** How many tracked tasks have not settled yet. */
  get size(): number {
    return this.#pending.size;
  }

  /** Track a task; returns it unchanged (its result and rejection are the caller's). */
  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.#pending.add(settled);
    void settled.then(() => this.#pending.delete(settled));
    return work;
  }

  /**
   * Wait until every tracked task has settled, including tasks tracked while waiting, for at
   * most `timeoutMs`. Resolves `true` when all finished, `false` when time ran out.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const allDone = (async () => {
      while (this.#pending.size > 0) await Promise.all([...this.#pending]);
      return true as const;
    })();
    try {
      return await Promise.race([allDone, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Race a promise against an optional bound; past it, reject with `message`. */
async function withBound<T>(work: Promise<T>, timeoutMs: number | undefined, message: string): Promise<T> {
  if (timeoutMs === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
