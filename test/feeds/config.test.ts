/**
 * story.yaml's `feeds:`: the poll interval's floor (15 s for other people's servers, 1 s for a
 * feed on this machine) and the watcher that tells every reader of the file about a change.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FeedConfigError, FeedConfigWatcher, isLoopbackUrl, loadFeedConfig } from '../../src/feeds/config.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function story(feeds: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-feed-config-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'story.yaml'), `id: panjshir\ntitle: Panjshir\nfeeds:\n${feeds}`);
  return dir;
}

describe('a feed’s poll interval', () => {
  it('is at least 15 s for a feed on another host', () => {
    expect(loadFeedConfig(story('  - url: https://www.example-news.org/rss.xml\n    every: 30s\n'))[0]?.intervalMs).toBe(30_000);
    expect(() => loadFeedConfig(story('  - url: https://www.example-news.org/rss.xml\n    every: 5s\n'))).toThrow(FeedConfigError);
    expect(() => loadFeedConfig(story('  - url: https://www.example-news.org/rss.xml\n    every: 5s\n'))).toThrow(/field "feeds\.0\.every": .*at least 15s \(1s for a feed on this machine\)/u);
  });

  it('may be down to 1 s for a feed on this machine', () => {
    expect(loadFeedConfig(story('  - url: http://127.0.0.1:8080/rss.xml\n    every: 2s\n'))[0]?.intervalMs).toBe(2000);
    expect(loadFeedConfig(story('  - url: http://localhost/rss.xml\n    every: 1s\n'))[0]?.intervalMs).toBe(1000);
    expect(() => loadFeedConfig(story('  - url: http://127.0.0.1/rss.xml\n    every: 0.5s\n'))).toThrow(/at least 1s/u);
    expect(isLoopbackUrl('http://[::1]:8080/feed')).toBe(true);
    expect(isLoopbackUrl('http://127.0.0.1.example.org/feed')).toBe(false);
    expect(isLoopbackUrl('http://localhost.example.org/feed')).toBe(false);
  });
});

describe('the story.yaml watcher', () => {
  it('tells each reader about a change it has not seen, whoever read the file first', () => {
    const dir = story('  - url: https://www.example-news.org/rss.xml\n');
    const watcher = new FeedConfigWatcher(dir);
    const first = watcher.current();
    expect(first.feeds).toHaveLength(1);
    writeFileSync(join(dir, 'story.yaml'), 'id: panjshir\ntitle: Panjshir\nfeeds:\n  - url: https://www.example-news.org/rss.xml\n  - url: https://www.example-wire.org/feed.json\n');
    // /healthz reads it first: the poller still sees a new generation afterwards.
    const healthRead = watcher.current();
    expect(healthRead.feeds).toHaveLength(2);
    expect(watcher.current().generation).toBeGreaterThan(first.generation);
  });
});
