/**
 * Delivery leases on PostgreSQL, beyond the shared contract: they are written and judged on the
 * server's clock, and a live process keeps them while its event loop is busy, because the
 * heartbeat runs in the connection's worker thread.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { openPostgresStore, type PostgresStore } from '../../src/storage/postgres.js';
import { createTestDatabase, describePostgres, queryOnce, type TestDatabase } from '../support/postgres.js';
import { newSubscription, T0 } from './contract.js';

/** Block this thread for `ms`, as a long synchronous step (a knowledge rebuild) would. */
function blockThread(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describePostgres('delivery leases on PostgreSQL', () => {
  let database: TestDatabase;
  const stores: PostgresStore[] = [];
  const open = () => {
    const store = openPostgresStore(database.url);
    stores.push(store);
    return store;
  };
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) store.close();
    await queryOnce(database.url, 'TRUNCATE deliveries, subscriptions RESTART IDENTITY CASCADE');
  });
  afterAll(async () => database?.drop());

  it('reads the time of leases from the server', async () => {
    const store = open();
    const [row] = await queryOnce<{ ms: number }>(database.url, 'SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms');
    // Same machine here, so the clocks agree; what matters is that the store asks the server.
    expect(Math.abs(store.leaseClock().getTime() - Number(row?.ms))).toBeLessThan(1000);
  });

  it('keeps a live owner’s leases while its event loop is blocked, and lets them lapse once stopped', async () => {
    const [owner, other] = [open(), open()];
    const sub = owner.addSubscription(newSubscription());
    const leaseMs = 600;
    owner.claimSlot(sub.id, T0, 'A', owner.leaseClock(), leaseMs);
    const keeper = owner.keepLeases('A', leaseMs);
    // Three lease periods without a turn of this event loop: the worker renews all the same.
    blockThread(3 * leaseMs);
    expect(other.takeOverExpired('B', other.leaseClock(), leaseMs)).toEqual([]);
    keeper.stop();
    blockThread(2 * leaseMs);
    expect(other.takeOverExpired('B', other.leaseClock(), leaseMs)).toMatchObject([{ subscriptionId: sub.id, owner: 'B' }]);
  });
});
