/**
 * `npm run ingest -- --feed <url>` and `npm run ingest -- <https://…>`: the feed run as a real
 * process twice (the second run adds nothing), and a page whose date only the flags give.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWebIngestCli } from '../../src/feeds/cli.js';
import { FakeNewsSite, kabulDispatchReport, marketsReport, newsPage, panjshirFallReport, rssFeed } from '../fakes/news-site.js';
import { compiled } from '../support/compiled.js';
import { SEED_STORY } from '../support/seed-story.js';

const run = promisify(execFile);
let work: string;
let dataDir: string;
let site: FakeNewsSite;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'dossier-feed-cli-'));
  dataDir = join(work, 'data');
  cpSync(SEED_STORY, join(dataDir, 'stories', 'panjshir'), { recursive: true });
  site = await FakeNewsSite.start();
});
afterAll(async () => {
  await site.close();
  rmSync(work, { recursive: true, force: true });
});

const articles = () => readdirSync(join(dataDir, 'stories/panjshir/articles')).filter((n) => n.endsWith('.txt'));

describe('npm run ingest -- --feed', () => {
  it('prints each item as JSON with its status and what an added article brought; a second run adds nothing', async () => {
    const kd = kabulDispatchReport();
    const markets = marketsReport();
    site.serve('/world/markets', { body: newsPage(markets), contentType: 'text/html; charset=utf-8' });
    // The feed is listed with filters: the command uses them.
    const storyYaml = join(dataDir, 'stories/panjshir/story.yaml');
    writeFileSync(storyYaml, `${readFileSync(storyYaml, 'utf8').trimEnd()}\nfeeds:\n  - url: ${site.url('/kd/rss.xml')}\n    include: [ahmad-massoud, panjshir]\n`);
    site.serve('/kd/masood-vows', { body: newsPage({ ...kd, canonical: site.url('/kd/masood-vows') }), contentType: 'text/html; charset=utf-8' });
    site.serve('/kd/rss.xml', {
      body: rssFeed('Kabul Dispatch', site.url('/kd'), [
        { title: kd.headline, link: site.url('/kd/masood-vows'), published: kd.published! },
        { title: 'Gone', link: site.url('/kd/gone'), published: '2021-08-25T08:00:00Z' },
        { title: markets.headline, link: site.url('/world/markets'), published: markets.published! },
      ]),
      contentType: 'application/rss+xml',
      validators: true,
    });
    const args = [compiled('src/cli/ingest.ts'), '--feed', site.url('/kd/rss.xml'), '--json', '--data-dir', dataDir, '--database', join(work, 'db.sqlite')];
    const env = { PATH: process.env.PATH ?? '' };

    const first = await run(process.execPath, args, { env }).catch((error: { stdout: string; stderr: string; code: number }) => error);
    const report = JSON.parse(first.stdout) as { outcome: string; items: Array<{ url: string; status: string; reason?: string; matched?: string; article?: { source: { url: string; outlet: string }; quotes: unknown[] } }> };
    expect(report.outcome).toBe('ok');
    expect(report.items.map((i) => [i.url, i.status])).toEqual([
      [site.url('/world/markets'), 'filtered'],
      [site.url('/kd/masood-vows'), 'added'],
      [site.url('/kd/gone'), 'failed'],
    ]);
    // Its item named none of the include terms, so its article was read, and it is not about the story either.
    expect(report.items[0]?.reason).toBe('neither the item nor its article mentions any of: ahmad-massoud, panjshir');
    expect(report.items[1]?.matched).toBe('the item mentions "ahmad-massoud"');
    expect(report.items[2]?.reason).toBe('HTTP 404 Not Found');
    expect(report.items[1]?.article?.source).toMatchObject({ url: site.url('/kd/masood-vows'), outlet: 'Kabul Dispatch' });
    expect(report.items[1]?.article?.quotes.length).toBeGreaterThan(0);
    expect(articles()).toHaveLength(3);

    const second = await run(process.execPath, args, { env }).catch((error: { stdout: string }) => error);
    const again = JSON.parse(second.stdout) as { outcome: string; items: Array<{ status: string }> };
    // The feed did not change: a 304, so no item is even looked at, and nothing is added.
    expect(again.outcome).toBe('not-modified');
    expect(again.items.filter((i) => i.status === 'added')).toEqual([]);
    expect(articles()).toHaveLength(3);
    expect(site.requestsFor('/world/markets')).toHaveLength(1);
  }, 60_000);
});

describe('npm run ingest -- <https://…>', () => {
  it('says what the page lacks, and takes it from the flags', async () => {
    const fall = panjshirFallReport();
    const { published: _none, ...undated } = fall;
    site.serve('/fw/fall', { body: newsPage({ ...undated, metadata: 'none' }), contentType: 'text/html; charset=utf-8' });
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
    const common = ['--data-dir', dataDir, '--database', join(work, 'db.sqlite')];

    expect(await runWebIngestCli([site.url('/fw/fall'), ...common], io, { fetcher: { hostDelayMs: 0 } })).toBe(1);
    expect(out.join('')).toContain('the page does not say when it was published; give the date with --published YYYY-MM-DD');

    out.length = 0;
    expect(await runWebIngestCli([site.url('/fw/fall'), '--published', '2021-09-06', '--outlet', 'Fixture Wire', ...common], io, { fetcher: { hostDelayMs: 0 } })).toBe(0);
    expect(out.join('')).toMatch(/^added\s+http/u);
    expect(out.join('')).toContain('Fixture Wire');
    expect(err).toEqual([]);
  });

  it('answers a bad command line with the usage and exit code 2', async () => {
    const err: string[] = [];
    expect(await runWebIngestCli(['--feed', site.url('/x'), site.url('/y')], { out: () => undefined, err: (t) => void err.push(t) })).toBe(2);
    expect(err.join('')).toContain('Give either a page URL or --feed, not both.');
  });
});
