import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createShutdown, InFlight, SHUTDOWN_PHASES } from '../../src/app/shutdown.js';
import { createLogger } from '../../src/observability/logger.js';

function setup(timeoutMs = 2000) {
  const lines: string[] = [];
  const logger = createLogger({ format: 'json', destination: { write: (l: string) => lines.push(l) } });
  const exits: number[] = [];
  const signals = new EventEmitter();
  const shutdown = createShutdown({ logger, timeoutMs, exit: (code) => exits.push(code), signals });
  const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { shutdown, exits, signals, records };
}

describe('createShutdown', () => {
  it('runs the steps phase by phase, in registration order within a phase, then exits 0', async () => {
    const { shutdown, exits } = setup();
    const order: string[] = [];
    shutdown.register('http', 'health server', () => void order.push('http'));
    shutdown.register('storage', 'database', () => void order.push('storage'));
    shutdown.register('drain', 'replies', async () => {
      await sleep(10);
      order.push('drain');
    });
    shutdown.register('intake', 'telegram polling', () => void order.push('intake:telegram'));
    shutdown.register('intake', 'discord gateway', () => void order.push('intake:discord'));
    shutdown.register('schedulers', 'digests', () => void order.push('schedulers'));
    shutdown.register('platforms', 'connections', () => void order.push('platforms'));
    expect(await shutdown.stop('test')).toBe(0);
    expect(order).toEqual(['intake:telegram', 'intake:discord', 'drain', 'schedulers', 'platforms', 'storage', 'http']);
    expect(exits).toEqual([0]);
    expect(SHUTDOWN_PHASES).toEqual(['intake', 'drain', 'schedulers', 'platforms', 'storage', 'http']);
  });

  it('logs a failing step with its error, still runs the rest, and exits 1', async () => {
    const { shutdown, exits, records } = setup();
    const ran: string[] = [];
    shutdown.register('platforms', 'discord', () => {
      throw new Error('gateway already closed', { cause: new Error('socket hang up') });
    });
    shutdown.register('storage', 'database', () => void ran.push('database'));
    shutdown.register('http', 'health server', async () => {
      ran.push('http');
      return Promise.reject(new Error('not running'));
    });
    expect(await shutdown.stop('SIGTERM')).toBe(1);
    expect(ran).toEqual(['database', 'http']);
    expect(exits).toEqual([1]);
    const failure = records().find((r) => r.step === 'discord');
    expect(failure).toMatchObject({ level: 50, phase: 'platforms', err: { message: 'gateway already closed', cause: { message: 'socket hang up' } } });
    expect(records().at(-1)).toMatchObject({ msg: 'stopped with errors', failures: 2, exitCode: 1 });
  });

  it('runs only once, however often it is asked', async () => {
    const { shutdown, exits } = setup();
    let runs = 0;
    shutdown.register('storage', 'database', () => void (runs += 1));
    const [a, b] = await Promise.all([shutdown.stop('one'), shutdown.stop('two')]);
    expect([a, b, runs, exits]).toEqual([0, 0, 1, [0]]);
    expect(shutdown.stopping).toBe(true);
  });

  it('passes the requested exit code when all went well (a fatal error still stops cleanly)', async () => {
    const { shutdown, exits } = setup();
    expect(await shutdown.stop('uncaught exception', 1)).toBe(1);
    expect(exits).toEqual([1]);
  });

  it('bounds a single step by its own timeout and moves on', async () => {
    const { shutdown, exits, records } = setup();
    const ran: string[] = [];
    shutdown.register('drain', 'replies', () => new Promise(() => {}), { timeoutMs: 30 });
    shutdown.register('storage', 'database', () => void ran.push('database'));
    expect(await shutdown.stop('SIGTERM')).toBe(1);
    expect(ran).toEqual(['database']);
    expect(exits).toEqual([1]);
    expect(records().find((r) => r.step === 'replies')).toMatchObject({ err: { message: 'did not finish within 30 ms' } });
  });

  it('exits 1 when the whole stop outlasts its bound, without running later steps', async () => {
    const { shutdown, exits, records } = setup(50);
    const ran: string[] = [];
    let signal: AbortSignal | undefined;
    shutdown.register('platforms', 'stuck', (context) => {
      signal = context.signal;
      return sleep(150);
    });
    shutdown.register('storage', 'database', () => void ran.push('database'));
    const code = shutdown.stop('SIGTERM');
    await sleep(80);
    expect(exits).toEqual([1]);
    expect(signal?.aborted).toBe(true);
    expect(records().some((r) => String(r.msg).includes('took longer than 50 ms'))).toBe(true);
    expect(await code).toBe(1);
    expect(ran).toEqual([]);
    expect(exits).toEqual([1]);
  });

  it('tells each step how much time is left', async () => {
    const { shutdown } = setup(1000);
    let remaining = -1;
    shutdown.register('drain', 'replies', (context) => {
      remaining = context.remainingMs();
    });
    await shutdown.stop('SIGTERM');
    expect(remaining).toBeGreaterThan(900);
    expect(remaining).toBeLessThanOrEqual(1000);
  });

  it('starts on SIGTERM or SIGINT, and a second signal forces exit 1', async () => {
    const { shutdown, exits, signals, records } = setup();
    let release: () => void = () => {};
    shutdown.register('drain', 'replies', () => new Promise<void>((resolve) => (release = resolve)));
    const stopListening = shutdown.listen();
    signals.emit('SIGTERM', 'SIGTERM');
    await sleep(5);
    expect(shutdown.stopping).toBe(true);
    expect(records()[0]).toMatchObject({ msg: 'stopping', reason: 'SIGTERM' });
    signals.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([1]);
    release();
    await shutdown.stop('again');
    expect(exits).toEqual([1]);
    stopListening();
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('refuses an unknown phase', () => {
    const { shutdown } = setup();
    expect(() => shutdown.register('later' as never, 'x', () => {})).toThrow(/Unknown stop phase "later"/);
  });
});

describe('InFlight', () => {
  it('returns the tracked promise unchanged, result and rejection alike', async () => {
    const inFlight = new InFlight();
    await expect(inFlight.track(Promise.resolve(7))).resolves.toBe(7);
    await expect(inFlight.track(Promise.reject(new Error('no')))).rejects.toThrow('no');
    await sleep(0);
    expect(inFlight.size).toBe(0);
  });

  it('drains: waits for running work, including work started while draining', async () => {
    const inFlight = new InFlight();
    const finished: string[] = [];
    void inFlight.track(
      sleep(20).then(() => {
        finished.push('first');
        void inFlight.track(sleep(20).then(() => void finished.push('second')));
      }),
    );
    expect(inFlight.size).toBe(1);
    expect(await inFlight.drain(1000)).toBe(true);
    expect(finished).toEqual(['first', 'second']);
    expect(inFlight.size).toBe(0);
  });

  it('gives up after its bound and says so', async () => {
    const inFlight = new InFlight();
    void inFlight.track(new Promise(() => {}));
    const started = performance.now();
    expect(await inFlight.drain(30)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
    expect(inFlight.size).toBe(1);
  });

  it('drains at once when nothing is running, and a failed task does not fail the drain', async () => {
    const inFlight = new InFlight();
    expect(await inFlight.drain(10)).toBe(true);
    inFlight.track(Promise.reject(new Error('send failed'))).catch(() => {});
    expect(await inFlight.drain(100)).toBe(true);
  });
});
