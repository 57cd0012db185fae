/**
 * The synchronous PostgreSQL connection (pg in a worker thread): a query that outlives its
 * timeout is still answered by the server later, and that late answer must never be taken for
 * the answer to the next query.
 */
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
    const db = connectSyncPg(database.url, { timeoutMs: 300 });
    try {
      expect(() => db.query("SELECT pg_sleep(0.45), 'late' AS answer")).toThrow(PgQueryError);
      // The server finishes the slow query while these wait behind it on the same connection.
      expect(db.query<{ answer: string }>("SELECT 'first' AS answer").rows).toEqual([{ answer: 'first' }]);
      expect(db.query<{ n: number }>('SELECT 2 AS n').rows).toEqual([{ n: 2 }]);
    } finally {
      db.close();
    }
  });
});
