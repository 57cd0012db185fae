/**
 * The storage contract (test/storage/contract.ts) run against both backends: SQLite files and a
 * PostgreSQL database of this file's own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import { connectSyncPg, type SyncPg } from '../../src/storage/pg-sync.js';
import { openPostgresStore } from '../../src/storage/postgres.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import type { DatabaseStore } from '../../src/storage/types.js';
import { createTestDatabase, describePostgres, type TestDatabase } from '../support/postgres.js';
import { storeContract, type ContractHarness } from './contract.js';

const opened: DatabaseStore[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});
const keep = <T extends DatabaseStore>(store: T): T => {
  opened.push(store);
  return store;
};

describe('storage contract: SQLite', () => {
  let dir: string;
  let files = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dossier-contract-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const harness: ContractHarness = {
    open: () => keep(openSqliteStore(join(dir, `${++files}.sqlite`))),
    pair: () => {
      const path = join(dir, `${++files}.sqlite`);
      return [keep(openSqliteStore(path)), keep(openSqliteStore(path))];
    },
  };
  storeContract(() => harness);
});

describePostgres('storage contract: PostgreSQL', () => {
  let database: TestDatabase;
  let admin: SyncPg;
  beforeAll(async () => {
    database = await createTestDatabase();
    // Migrate once; each test then starts from empty tables.
    openPostgresStore(database.url).close();
    admin = connectSyncPg(database.url);
  });
  afterAll(async () => {
    for (const store of opened.splice(0)) store.close();
    admin?.close();
    await database?.drop();
  });
  const empty = (): DatabaseStore => {
    const tables = admin.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`).rows;
    admin.query(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
    return keep(openPostgresStore(database.url));
  };
  const harness: ContractHarness = {
    open: () => empty(),
    pair: () => [empty(), keep(openPostgresStore(database.url))],
  };
  storeContract(() => harness);
});
