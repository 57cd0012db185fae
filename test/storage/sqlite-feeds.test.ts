/**
 * Feed storage in a real SQLite file: state, items and web articles survive closing and reopening
 * (a restart re-ingests nothing because of these rows), and every URL an article was seen under finds it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/storage/sqlite.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function databasePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-feeds-db-'));
  dirs.push(dir);
  return join(dir, 'dossier.sqlite');
}

const at = new Date('2021-08-24T06:00:00Z');

describe('feed store', () => {
  it('keeps feed state, items and articles across a reopen', () => {
    const path = databasePath();
    const first = openSqliteStore(path);
    first.saveFeedState({ story: 's', url: 'http://x/feed', subscribedAt: at, etag: '"v1"', lastModified: 'Tue, 24 Aug 2021 06:00:00 GMT', consecutiveFailures: 0, status: 'ok', lastSuccessAt: at, nextPollAt: new Date(at.getTime() + 60_000) });
    first.saveFeedItem({ story: 's', feedUrl: 'http://x/feed', itemKey: 'g1', url: 'http://x/a', status: 'added', sourceId: '004_ab', attempts: 0, seenAt: at });
    first.saveWebArticle({
      story: 's',
      sourceId: '004_ab',
      urlKey: 'http://x/a',
      canonicalKey: 'http://x/canonical-a',
      otherUrlKeys: ['http://y/copy'],
      contentHash: 'h',
      sketch: [1, 2, 3],
      modified: '2021-08-24T05:00:00Z',
      outlet: 'X',
      appearances: [{ outlet: 'X', url: 'http://x/a', seenAt: at }, { outlet: 'Y', url: 'http://y/copy', seenAt: at }],
      storedAt: at,
    });
    first.close();

    const again = openSqliteStore(path);
    expect(again.feedState('s', 'http://x/feed')).toMatchObject({ etag: '"v1"', status: 'ok', consecutiveFailures: 0, subscribedAt: at });
    expect(again.feedStates('other')).toEqual([]);
    expect(again.feedItem('s', 'http://x/feed', 'g1')).toMatchObject({ status: 'added', sourceId: '004_ab' });
    for (const key of ['http://x/a', 'http://x/canonical-a', 'http://y/copy']) {
      expect(again.webArticleByUrl('s', key)?.sourceId).toBe('004_ab');
    }
    expect(again.webArticleByUrl('other', 'http://x/a')).toBeUndefined();
    expect(again.webArticles('s')[0]?.appearances.map((a) => a.outlet)).toEqual(['X', 'Y']);
    expect(again.webArticles('s')[0]?.otherUrlKeys).toEqual(['http://y/copy']);

    again.removeWebArticle('s', '004_ab');
    expect(again.webArticleByUrl('s', 'http://y/copy')).toBeUndefined();
    again.close();
  });
});
