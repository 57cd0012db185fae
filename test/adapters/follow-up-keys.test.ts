/**
 * Keyed follow-ups over the real SQLite store: commands too long for a button get a key, short
 * ones stay as they are, and keys not shown again for the retention period are pruned.
 */
import { describe, expect, it } from 'vitest';
import { createFollowUpKeys } from '../../src/adapters/follow-up-keys.js';
import { reply } from '../../src/replies/reply.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';

const T0 = new Date('2021-09-01T08:00:00Z');
const days = (n: number) => new Date(T0.getTime() + n * 86_400_000);
const fits = (data: string) => data.length <= 20;

describe('keyed follow-ups', () => {
  it('keys only what does not fit, and forgets keys not shown for the retention period', async () => {
    const store = openSqliteStore(':memory:');
    let now = T0;
    const keys = createFollowUpKeys(store, { now: () => now, retentionDays: 30 });
    const old = (await keys.keyed(reply({ kind: 'answer', title: 't', actions: [{ label: 'old', command: '/search an old long query' }, { label: 'short', command: '/sources' }] }), fits)).actions;
    expect(old.map((a) => a.command)).toEqual([expect.stringMatching(/^k:/), '/sources']);
    const kept = (await keys.keyed(reply({ kind: 'answer', title: 't', suggestions: [{ label: 'kept', command: '/search a query shown again' }] }), fits)).suggestions;

    now = days(20); // shown again: its key is used again and kept
    await keys.keyed(reply({ kind: 'answer', title: 't', suggestions: [{ label: 'kept', command: '/search a query shown again' }] }), fits);
    now = days(35); // a day and more since the last prune: old keys go
    await keys.keyed(reply({ kind: 'answer', title: 't', actions: [{ label: 'new', command: '/search a brand new long query' }] }), fits);

    expect(await keys.commandOf(old[0]?.command ?? '')).toBeUndefined();
    expect(await keys.commandOf(kept[0]?.command ?? '')).toBe('/search a query shown again');
    store.close();
  });
});
