/**
 * The database as the app opens it (src/app/database.ts), on PostgreSQL: what an operator is
 * told when the lease heartbeat fails. The heartbeat runs on the connection's own thread; a
 * failure there must reach the log, since several in a row cost this instance its deliveries.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../src/app/database.js';
import { createTestDatabase, describePostgres, queryOnce, type TestDatabase } from '../support/postgres.js';
import { capturingLogger } from '../support/test-tools.js';

describePostgres('the database the app opens, on PostgreSQL', () => {
  let database: TestDatabase;
  let opened: OpenedDatabase | undefined;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
    await database.drop();
  });

  it('logs each failed lease heartbeat with PostgreSQL’s reason, and goes on renewing', async () => {
    const { logger, lines } = capturingLogger();
    opened = openDatabase({ DATABASE_PATH: ':memory:', DATABASE_URL: database.url, STORY: 'panjshir' }, logger);
    // The heartbeat's statement fails while the ledger table is away (as it would during a bad migration).
    await queryOnce(database.url, 'ALTER TABLE deliveries RENAME TO deliveries_away');
    const heartbeat = opened.store.keepLeases?.('instance-1:1', 1000);
    const failures = () => lines.filter((l) => l.msg === 'delivery lease heartbeat failed; retrying');
    await expect.poll(() => failures().length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    expect(failures()[0]).toMatchObject({ level: 40, component: 'database', reason: expect.stringMatching(/deliveries/u) });
    heartbeat?.stop();
  });
});
