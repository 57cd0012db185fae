import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS, SchemaTooNewError, type Migration } from '../../src/storage/migrations.js';
import { openSqliteStore, type SqliteStore } from '../../src/storage/sqlite.js';
import type { NewSubscription } from '../../src/storage/types.js';

const T0 = new Date('2021-08-22T08:00:00.000Z');

function newSubscription(overrides: Partial<NewSubscription> = {}): NewSubscription {
  return {
    platform: 'telegram',
    chatId: '-100',
    chatType: 'group',
    schedule: 'daily 08:00',
    timeZone: 'Asia/Kabul',
    quiet: 'notice',
    createdAt: T0,
    ...overrides,
  };
}

describe('openSqliteStore', () => {
  let dir: string;
  const stores: SqliteStore[] = [];
  const open = (path = join(dir, 'nested', 'folder', 'dossier.sqlite')) => {
    const store = openSqliteStore(path);
    stores.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dossier-store-'));
  });
  afterEach(() => {
    for (const s of stores.splice(0)) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('opening and migrating', () => {
    it('creates missing parent folders, uses WAL and records the schema version', () => {
      const path = join(dir, 'nested', 'folder', 'dossier.sqlite');
      const store = open(path);
      expect(existsSync(path)).toBe(true);
      expect(store.schemaVersion).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
      store.close();
      const db = new Database(path, { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
      db.close();
    });

    it('reopens an existing file without re-running migrations, keeping the data', () => {
      const path = join(dir, 'dossier.sqlite');
      const first = open(path);
      first.addSubscription(newSubscription());
      first.close();
      const second = open(path);
      expect(second.activeSubscriptions()).toHaveLength(1);
    });

    it('refuses a database written by a newer version', () => {
      const path = join(dir, 'dossier.sqlite');
      open(path).close();
      const db = new Database(path);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, ?, ?)').run('future', T0.toISOString());
      db.close();
      expect(() => openSqliteStore(path)).toThrow(SchemaTooNewError);
    });

    it('applies a version recorded out of order: every version missing from the database runs, not only those above its highest', () => {
      const path = join(dir, 'gap.sqlite');
      const early = MIGRATIONS.filter((m) => m.version === 1);
      const first = new Database(path);
      migrate(first, path, early);
      // A later version landed first (parallel work): 5 recorded, then the code gains 3.
      const late: Migration = { version: 3, name: 'landed late', sql: 'CREATE TABLE landed_late (x TEXT)' };
      const five: Migration = { version: 5, name: 'landed early', sql: 'CREATE TABLE landed_early (x TEXT)' };
      migrate(first, path, [...early, five]);
      expect(migrate(first, path, [...early, late, five])).toBe(5);
      expect(first.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual([{ version: 1 }, { version: 3 }, { version: 5 }]);
      expect(first.prepare(`SELECT name FROM sqlite_master WHERE name = 'landed_late'`).get()).toEqual({ name: 'landed_late' });
      first.close();
    });

    it('works in memory', () => {
      const store = open(':memory:');
      expect(store.addSubscription(newSubscription()).id).toBe(1);
    });
  });

});
