/**
 * The ArticleStore contract, on the story folder (SQLite mode) and on PostgreSQL: add with
 * duplicate detection, ids in order, replace, a version that moves, and a change seen by another
 * store on the same data (another instance) without anyone asking.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleMeta } from '../../src/knowledge/articles.js';
import type { ArticleStore } from '../../src/storage/articles.js';
import { folderArticleStore } from '../../src/storage/articles.js';
import { postgresArticleStore, type PostgresArticleStore } from '../../src/storage/pg-articles.js';
import { openPostgresStore } from '../../src/storage/postgres.js';
import { createTestDatabase, describePostgres, type TestDatabase } from '../support/postgres.js';

const META: ArticleMeta = { outlet: 'AFP', headline: 'Resistance holds the valley', published: '2021-08-23', language: 'en' };

function articleContract(stores: () => { a: ArticleStore; b: ArticleStore }): void {
  it('adds articles under increasing ids, refuses the same content twice, and lists them in id order', async () => {
    const { a, b } = stores();
    const first = await a.add({ raw: 'Fighting was reported in Panjshir.\n', meta: META });
    const second = await b.add({ raw: 'Talks stalled in Charikar.', meta: { ...META, outlet: 'Reuters' } });
    expect(first).toMatchObject({ added: true, id: expect.stringMatching(/^000_[0-9a-f]{16}$/) });
    expect(second).toMatchObject({ added: true, id: expect.stringMatching(/^001_/) });
    // Same text with other line endings and spacing: the same article.
    expect(await b.add({ raw: '  Fighting was reported in Panjshir.\r\n', meta: META })).toEqual({ id: first.id, added: false });
    const listed = await b.list();
    expect(listed.map((x) => [x.id, x.meta.outlet, x.raw])).toEqual([
      [first.id, 'AFP', 'Fighting was reported in Panjshir.\n'],
      [second.id, 'Reuters', 'Talks stalled in Charikar.'],
    ]);
  });

  it('replaces an article in place and moves the version; an unknown id is refused', async () => {
    const { a, b } = stores();
    const { id } = await a.add({ raw: 'First version.', meta: META });
    expect(await a.add({ raw: 'First version.', meta: META })).toEqual({ id, added: false });
    const before = await b.version();
    expect(await b.replace(id, { raw: 'Updated version.', meta: { ...META, headline: 'Updated' } })).toBe(true);
    expect(await a.version()).not.toBe(before);
    expect((await a.list()).find((x) => x.id === id)).toMatchObject({ raw: 'Updated version.', meta: { headline: 'Updated' } });
    expect(await a.replace('999_nope', { raw: 'x', meta: META })).toBe(false);
    // Duplicates are judged by what is stored now: the updated text is a duplicate, the old one is new again.
    expect(await a.add({ raw: 'Updated version.', meta: META })).toEqual({ id, added: false });
    expect(await a.add({ raw: 'First version.', meta: META })).toMatchObject({ added: true });
  });

  it('tells a watcher on another store when an article arrives there', async () => {
    const { a, b } = stores();
    await b.version();
    const seen = new Promise<void>((resolve) => {
      const stop = b.watch(() => {
        stop();
        resolve();
      });
    });
    await (b as Partial<PostgresArticleStore>).listening?.();
    await a.add({ raw: `Arrived at ${Date.now()}.`, meta: META });
    await seen;
  });
}

describe('ArticleStore: story folder', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dossier-articles-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  articleContract(() => {
    const story = join(dir, `story-${++n}`);
    return { a: folderArticleStore(story, { pollMs: 50 }), b: folderArticleStore(story, { pollMs: 50 }) };
  });
});

describePostgres('ArticleStore: PostgreSQL', () => {
  let database: TestDatabase;
  const open: PostgresArticleStore[] = [];
  let n = 0;
  beforeAll(async () => {
    database = await createTestDatabase();
    openPostgresStore(database.url).close();
  });
  afterAll(async () => {
    await Promise.all(open.map((s) => s.close()));
    await database?.drop();
  });
  articleContract(() => {
    const story = `story-${++n}`;
    // A long poll: the change must arrive by NOTIFY, not by polling.
    const a = postgresArticleStore(database.url, story, { pollMs: 60_000 });
    const b = postgresArticleStore(database.url, story, { pollMs: 60_000 });
    open.push(a, b);
    return { a, b };
  });
});
