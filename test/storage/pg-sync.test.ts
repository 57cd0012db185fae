/**
 * The synchronous PostgreSQL connection (pg in a worker thread): a query that outlives its
 * timeout is still answered by the server later, and that late answer must never be taken for
 * the answer to the next query; a statement stuck on the server is cancelled there, with the
 * server's reason; a failing heartbeat is reported, not swallowed.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectSyncPg, PgQueryError } from '../../src/storage/pg-sync.js';
import { createTestDatabase, describePostgres, type TestDatabase } from '../support/postgres.js';

describePostgres('a synchronous PostgreSQL connection', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('dossier_pg_sync');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('after a query times out, every later query gets its own answer, not the late one', () => {
    // No server-side timeout: the server answers the slow query late, after the caller gave up.
    // The next query waits 0.2 s behind it: 1.8 s to spare on a loaded machine (with 0.7 s to
    // spare it timed out once at load 10).
    const db = connectSyncPg(database.url, { timeoutMs: 2000, statementTimeoutMs: 0 });
    try {
      expect(() => db.query("SELECT pg_sleep(2.2), 'late' AS answer")).toThrow(PgQueryError);
      // The server finishes the slow query while these wait behind it on the same connection.
      expect(db.query<{ answer: string }>("SELECT 'first' AS answer").rows).toEqual([{ answer: 'first' }]);
      expect(db.query<{ n: number }>('SELECT 2 AS n').rows).toEqual([{ n: 2 }]);
    } finally {
      db.close();
    }
  });

  it('a statement stuck behind a lock is cancelled by the server before the caller gives up: its reason is reported and the connection goes on', async () => {
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    // The default server-side timeout: 90 % of the caller's 3 s.
    const db = connectSyncPg(database.url, { timeoutMs: 3000 });
    try {
      db.query('CREATE TABLE IF NOT EXISTS locked (n int)');
      // Another session holds the table the way a migration would.
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE locked IN ACCESS EXCLUSIVE MODE');
      let error: unknown;
      try {
        db.query('SELECT * FROM locked');
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(PgQueryError);
      expect((error as PgQueryError).message).toMatch(/statement timeout/u);
      expect((error as PgQueryError).code).toBe('57014');
      await holder.query('ROLLBACK');
      expect(db.query<{ n: number }>('SELECT 3 AS n').rows).toEqual([{ n: 3 }]);
    } finally {
      db.close();
      await holder.end();
    }
  });

  it('a repeated statement that fails is reported each time it runs, and the connection goes on', async () => {
    const failures: string[] = [];
    const db = connectSyncPg(database.url, { onRepeatError: (message) => failures.push(message) });
    try {
      const heartbeat = db.repeat('UPDATE no_such_table SET n = 1', [], 100);
      await expect.poll(() => failures.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
      heartbeat.stop();
      expect(failures[0]).toMatch(/no_such_table/u);
      expect(db.query<{ n: number }>('SELECT 4 AS n').rows).toEqual([{ n: 4 }]);
    } finally {
      db.close();
    }
  });
});
