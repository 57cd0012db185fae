/**
 * Follow-ups under short keys, in SQLite: the key fits any button, the same follow-up keeps one
 * key, and what was saved is there after the database is closed and opened again (a restart).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import { FOLLOW_UP_KEY_MAX_CHARS } from '../../src/storage/types.js';

const dir = mkdtempSync(join(tmpdir(), 'dossier-follow-ups-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = new Date('2021-09-01T08:00:00Z');
const days = (n: number) => new Date(T0.getTime() + n * 86_400_000);
const LONG = `/search ${'resistance fighters in the northern valley '.repeat(3).trim()} page:2`;

describe('the SQLite follow-up store', () => {
  it('keeps a follow-up under a short key that survives closing and reopening the database', async () => {
    const path = join(dir, 'restart.sqlite');
    const first = openSqliteStore(path);
    const key = await first.saveFollowUp('command', LONG, T0);
    expect(key).toMatch(new RegExp(`^[A-Za-z0-9_-]{1,${FOLLOW_UP_KEY_MAX_CHARS}}$`));
    first.close();

    const second = openSqliteStore(path);
    expect(await second.followUp('command', key)).toBe(LONG);
    // A key is read back only as the kind it was saved as.
    expect(await second.followUp('pages', key)).toBeUndefined();
    expect(await second.followUp('command', 'no-such-key')).toBeUndefined();
    second.close();
  });

  it('gives the same follow-up the same key, and different ones different keys', async () => {
    const store = openSqliteStore(':memory:');
    const a = await store.saveFollowUp('command', LONG, T0);
    expect(await store.saveFollowUp('command', LONG, days(1))).toBe(a);
    expect(await store.saveFollowUp('command', `${LONG}3`, T0)).not.toBe(a);
    expect(await store.saveFollowUp('pages', LONG, T0)).not.toBe(a);
    store.close();
  });

  it('prunes what was not saved again since the cut-off, keeping what was', async () => {
    const store = openSqliteStore(':memory:');
    const old = await store.saveFollowUp('command', '/search old', T0);
    const renewed = await store.saveFollowUp('command', '/search renewed', T0);
    await store.saveFollowUp('command', '/search renewed', days(20));
    expect(await store.pruneFollowUps(days(10))).toBe(1);
    expect(await store.followUp('command', old)).toBeUndefined();
    expect(await store.followUp('command', renewed)).toBe('/search renewed');
    store.close();
  });
});
