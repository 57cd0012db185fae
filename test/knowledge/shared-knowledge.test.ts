/**
 * What the per-article stages built is kept in the database the bot runs on: a restart on
 * SQLite, and any other instance on PostgreSQL, reads no article another process already read,
 * and builds the same knowledge base from what is kept.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArticles, type Article } from '../../src/knowledge/articles.js';
import { buildKnowledgeBase } from '../../src/knowledge/build.js';
import { loadStoryMeta } from '../../src/knowledge/load.js';
import { createReadingCache, type ReadingCache } from '../../src/knowledge/reading-cache.js';
import { loadRegistry } from '../../src/knowledge/registry.js';
import { openPostgresStore } from '../../src/storage/postgres.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import type { DatabaseStore } from '../../src/storage/types.js';
import { createTestDatabase, describePostgres, type TestDatabase } from '../support/postgres.js';
import { SEED_STORY_DIR } from './seed.js';

const story = loadStoryMeta(SEED_STORY_DIR);
const registry = loadRegistry(join(SEED_STORY_DIR, 'registry.yaml'));
const extra: Article = {
  id: '004_kabul_dispatch',
  file: 'x.txt',
  raw: readFileSync(join(import.meta.dirname, '../fixtures/articles/kabul-dispatch-2021-08-25.txt'), 'utf8'),
  meta: { outlet: 'Kabul Dispatch', headline: 'Resistance leader Ahmed Masood vows to defend Panjshir', published: '2021-08-25', language: 'en' },
};
const articles = [...loadArticles(SEED_STORY_DIR), extra];

/** A reading cache over a process's database, as the app makes it. */
const cacheOver = (store: DatabaseStore): ReadingCache =>
  createReadingCache({ version: 'v1', store: { get: (keys) => store.knowledgeUnits(keys), put: (entries) => store.putKnowledgeUnits(entries, new Date()) } });

function sharedBetween(first: DatabaseStore, second: DatabaseStore): void {
  const one = cacheOver(first);
  const built = buildKnowledgeBase({ story, registry, articles, read: one.read });
  expect(one.stats).toEqual({ hits: 0, misses: 3 });
  const other = cacheOver(second);
  expect(buildKnowledgeBase({ story, registry, articles, read: other.read })).toEqual(built);
  expect(other.stats).toEqual({ hits: 3, misses: 0 });
  expect(built).toEqual(buildKnowledgeBase({ story, registry, articles }));
}

describe('built knowledge kept in SQLite', () => {
  it('serves a restarted process: no article is read again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dossier-shared-knowledge-'));
    const first = openSqliteStore(join(dir, 'db.sqlite'));
    const restarted = openSqliteStore(join(dir, 'db.sqlite'));
    try {
      sharedBetween(first, restarted);
    } finally {
      first.close();
      restarted.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describePostgres('built knowledge kept in PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('serves every instance: what one read, another does not read again', () => {
    const first = openPostgresStore(database.url);
    const second = openPostgresStore(database.url);
    try {
      sharedBetween(first, second);
    } finally {
      first.close();
      second.close();
    }
  });
});
