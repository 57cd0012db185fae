/**
 * A synchronous PostgreSQL connection: `pg` runs in a worker thread and the caller waits for
 * each query with `Atomics.wait`, the way `synckit` does it.
 *
 * Why: the storage interfaces (`src/storage/types.ts`) are synchronous because better-sqlite3
 * is, and every layer above them (digests, commands, adapters, and the stores colleagues add in
 * parallel) calls them synchronously. Keeping them lets one contract suite run unchanged against
 * both backends. The cost is honest and bounded: the calling thread waits one round trip per
 * query (≈0.1–0.3 ms to a local server, measured by `npm run bench -- --only fanout-instances`);
 * the network-bound parts of PostgreSQL mode (LISTEN/NOTIFY, health pings, leases) use `pg`'s
 * asynchronous client directly. Moving the interfaces to promises removes the wait entirely and
 * is the next step if a deployment's database is far away.
 */
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/** A query's result rows and how many rows it touched. */
export interface SyncQueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** A failed query: PostgreSQL's message and SQLSTATE `code` (e.g. `23505` unique violation). */
export class PgQueryError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'PgQueryError';
  }
}

/** One synchronous connection (one PostgreSQL session: transactions span calls). */
export interface SyncPg {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): SyncQueryResult<R>;
  /**
   * Run `sql` now and every `everyMs` in the worker thread, on a second connection, until
   * stopped: it goes on while this thread is busy (failures are retried at the next run).
   */
  repeat(sql: string, params: readonly unknown[], everyMs: number): { stop(): void };
  /** Run `fn` between BEGIN and COMMIT (ROLLBACK when it throws). Not reentrant. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export interface SyncPgOptions {
  /** How long one query may take before the caller gives up (default 30 s). */
  timeoutMs?: number;
  /** `application_name`, shown in `pg_stat_activity`. */
  applicationName?: string;
  /**
   * Told when a repeated statement (the lease heartbeat) fails, with PostgreSQL's message: it is
   * retried at its next run, but a heartbeat failing for a lease period loses the leases.
   */
  onRepeatError?: (message: string) => void;
  /**
   * PostgreSQL's own `statement_timeout` on both connections (default: just under `timeoutMs`),
   * so a statement stuck on the server is cancelled there and its reason reported; `0`: none.
   */
  statementTimeoutMs?: number;
}

// The worker is plain JavaScript (it must run the same under tsx, vitest and dist/), given the
// resolved path of `pg` so it needs no module resolution of its own.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const pg = require(workerData.pgPath);
pg.types.setTypeParser(20, (v) => Number(v)); // BIGINT counts and ids fit a JS number here
const { port, events, flag, url, applicationName, statementTimeoutMs } = workerData;
// The server cancels a statement just before the caller would give up on it: the caller then
// gets PostgreSQL's own reason, and the connection is free for the next query.
const client = new pg.Client({ connectionString: url, application_name: applicationName, statement_timeout: statementTimeoutMs });
let broken;
const ready = client.connect().catch((error) => { broken = error; });
client.on('error', (error) => { broken = error; });
// Statements repeated on a timer (the lease heartbeat) run here, on a connection of their own:
// neither a busy main thread nor its open transaction holds them up.
let side;
const repeating = new Map();
function sideClient() {
  side ??= (async () => {
    const c = new pg.Client({ connectionString: url, application_name: applicationName + '-heartbeat', statement_timeout: statementTimeoutMs });
    c.on('error', () => { side = undefined; });
    await c.connect();
    return c;
  })().catch((error) => { side = undefined; throw error; });
  return side;
}
function answer(seq, message) {
  port.postMessage({ ...message, seq });
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
// A request whose handling throws is answered with the error, never left unanswered.
port.on('message', (request) => handle(request).catch((error) => answer(request.seq, { ok: false, message: String(error && error.message ? error.message : error) })));
async function handle(request) {
  await ready;
  if (request.repeat) {
    const { id, sql, params, everyMs } = request.repeat;
    const run = () => sideClient().then((c) => c.query(sql, params)).catch((error) => events.postMessage({ repeatFailed: id, message: String(error && error.message ? error.message : error) }));
    void run();
    repeating.set(id, setInterval(run, everyMs));
    return answer(request.seq, { ok: true });
  }
  if (request.unrepeat !== undefined) {
    clearInterval(repeating.get(request.unrepeat));
    repeating.delete(request.unrepeat);
    return answer(request.seq, { ok: true });
  }
  if (request.close) {
    for (const timer of repeating.values()) clearInterval(timer);
    if (side) await side.then((c) => c.end()).catch(() => undefined);
    await client.end().catch(() => undefined);
    answer(request.seq, { ok: true });
    return;
  }
  if (broken) return answer(request.seq, { ok: false, message: 'PostgreSQL connection failed: ' + broken.message, code: broken.code });
  try {
    // No parameters: the simple protocol, which allows several statements (migrations).
    const result = await client.query(request.sql, request.params.length > 0 ? request.params : undefined);
    answer(request.seq, { ok: true, rows: result.rows, rowCount: result.rowCount ?? 0 });
  } catch (error) {
    answer(request.seq, { ok: false, message: error.message, code: error.code });
  }
}
`;

/** What a request was, for an error message: its statement's first words. */
function describe(request: Record<string, unknown>): string {
  if (typeof request.sql === 'string') return request.sql.replace(/\s+/gu, ' ').trim().slice(0, 80);
  return Object.keys(request).filter((k) => k !== 'seq').join(', ');
}

type WorkerAnswer = { ok: true; rows?: unknown[]; rowCount?: number } | { ok: false; message: string; code?: string };

/**
 * Open a synchronous connection to `url` (`postgres://user@host:port/db`).
 *
 * @example
 * const db = connectSyncPg(process.env.DATABASE_URL);
 * const { rows } = db.query<{ n: number }>('SELECT 1 AS n');
 * db.close();
 */
export function connectSyncPg(url: string, options: SyncPgOptions = {}): SyncPg {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  // What the worker reports on its own (a failed heartbeat), read whenever this thread is free.
  const events = new MessageChannel();
  const pgPath = createRequire(import.meta.url).resolve('pg');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      port: port2,
      events: events.port2,
      flag,
      url,
      pgPath,
      applicationName: options.applicationName ?? 'dossier',
      statementTimeoutMs: options.statementTimeoutMs ?? Math.max(100, timeoutMs - Math.min(1000, timeoutMs / 10)),
    },
    transferList: [port2 as unknown as MessagePort, events.port2 as unknown as MessagePort],
  });
  worker.unref();
  port1.unref();
  events.port1.on('message', (event: { repeatFailed?: number; message?: string }) => {
    if (event.repeatFailed !== undefined) options.onRepeatError?.(event.message ?? 'unknown error');
  });
  events.port1.unref();
  let closed = false;
  let inTransaction = false;
  let repeats = 0;
  let sequence = 0;

  function call(request: Record<string, unknown>): WorkerAnswer {
    if (closed) throw new PgQueryError('The PostgreSQL connection is closed.', undefined);
    // Every request carries a number its answer echoes. A request that timed out is still
    // answered later, and that late answer must not be taken for the answer to the next request
    // (it was: every query after a timeout then got the previous one's rows).
    const seq = ++sequence;
    port1.postMessage({ ...request, seq });
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      // Reset before looking: an answer posted after the look sets the flag again, so the wait
      // below returns at once; one posted before it is already on the port.
      Atomics.store(flag, 0, 0);
      const message = receiveMessageOnPort(port1);
      if (message !== undefined) {
        const answer = message.message as WorkerAnswer & { seq?: number };
        if (answer.seq === seq) return answer;
        continue; // the late answer of a request that timed out: dropped
      }
      const left = deadline - performance.now();
      if (left <= 0) throw new PgQueryError(`PostgreSQL did not answer within ${timeoutMs} ms (${describe(request)}).`, undefined);
      Atomics.wait(flag, 0, 0, left);
    }
  }

  const db: SyncPg = {
    query<R>(sql: string, params: readonly unknown[] = []): SyncQueryResult<R> {
      const result = call({ sql, params });
      if (!result.ok) throw new PgQueryError(result.message, result.code);
      return { rows: (result.rows ?? []) as R[], rowCount: result.rowCount ?? 0 };
    },
    repeat(sql: string, params: readonly unknown[], everyMs: number) {
      const id = ++repeats;
      const started = call({ repeat: { id, sql, params, everyMs } });
      if (!started.ok) throw new PgQueryError(started.message, started.code);
      return {
        stop() {
          if (!closed) call({ unrepeat: id });
        },
      };
    },
    transaction<T>(fn: () => T): T {
      if (inTransaction) throw new Error('Nested PostgreSQL transactions are not supported.');
      inTransaction = true;
      db.query('BEGIN');
      try {
        const value = fn();
        db.query('COMMIT');
        return value;
      } catch (error) {
        try {
          db.query('ROLLBACK');
        } catch {
          // The connection is gone; the server rolls back on its own.
        }
        throw error;
      } finally {
        inTransaction = false;
      }
    },
    close() {
      if (closed) return;
      try {
        call({ close: true });
      } catch {
        // Closing anyway.
      }
      closed = true;
      port1.close();
      events.port1.close();
      void worker.terminate();
    },
  };
  return db;
}
