/**
 * Singleton work: of several instances one holds the lease; when it dies (stops renewing) another
 * takes over after the lease period, and a clean stop hands over at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSingleton } from '../../src/storage/singleton.js';
import { openSqliteStore, type SqliteStore } from '../../src/storage/sqlite.js';
import { manualClock } from '../digests/support.js';

describe('createSingleton', () => {
  let store: SqliteStore;
  afterEach(() => store.close());

  it('runs work on one instance at a time and moves it when the holder dies or stops', async () => {
    store = openSqliteStore(':memory:');
    const clock = manualClock('2026-01-01T00:00:00Z');
    const changes: string[] = [];
    const make = (owner: string) =>
      createSingleton({ leases: store, name: 'feeds', owner, ttlMs: 30_000, now: clock.now, onChange: (held) => changes.push(`${owner}:${held}`) });
    const a = make('A');
    const b = make('B');
    const c = make('C');
    const ran: string[] = [];
    for (const [name, s] of [['A', a], ['B', b], ['C', c]] as const) await s.ifHeld(() => ran.push(name));
    expect(ran).toEqual(['A']);

    // A dies: it stops renewing. Within the lease period nobody else may take over…
    clock.advance(29_000);
    expect([b.check(), c.check()]).toEqual([false, false]);
    // …after it, the next one to ask does.
    clock.advance(2_000);
    expect(b.check()).toBe(true);
    expect(c.check()).toBe(false);
    expect(a.check()).toBe(false);

    // A clean stop hands over at once.
    b.stop();
    expect(c.check()).toBe(true);
    expect(changes).toEqual(['A:true', 'B:true', 'A:false', 'B:false', 'C:true']);
  });
});
