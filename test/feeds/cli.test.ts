/**
 * `npm run ingest -- --feed <url>` and `npm run ingest -- <https://…>`: the feed run as a real
 * process twice (the second run adds nothing), and a page whose date only the flags give.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWebIngestCli } from '../../src/feeds/cli.js';
import { FakeNewsSite, kabulDispatchReport, marketsReport, newsPage, panjshirFallReport, rssFeed } from '../fakes/news-site.js';
import { compiled } from '../support/compiled.js';
import { createTestDatabase, describePostgres, queryOnce } from '../support/postgres.js';
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

describePostgres('npm run ingest -- --feed with DATABASE_URL (PostgreSQL, as the instances run)', () => {
  it('keeps the feed state and the article in PostgreSQL, not in a SQLite file or the story folder: a second run adds nothing', async () => {
    const database = await createTestDatabase('dossier_feed_cli');
    try {
      // A report of its own: the folder already holds the ones the tests above ingested.
      const fall = {
        ...panjshirFallReport(),
        headline: 'Aid convoy reaches Bazarak after days at the Panjshir gorge',
        paragraphs: [
          'A convoy of twelve lorries carrying flour and medicine reached Bazarak on Thursday after waiting four days at the mouth of the Panjshir gorge, a local official said.',
          'Residents said food prices in the valley had doubled since the roads were closed, and that the clinic in Bazarak had run out of insulin.',
          'The official said a second convoy was expected early next week if the road stayed open.',
          'Drivers described long queues at checkpoints on the road from Charikar, where every lorry was unloaded and searched before it was allowed to go on towards the valley.',
          'A doctor at the Bazarak clinic said that the medicine would last about a month, and that the most urgent need was fuel for the generator that keeps the clinic’s refrigerator running.',
          'Aid agencies in Kabul said they had asked for safe passage for further deliveries but had not yet received an answer from the authorities who control the checkpoints.',
          'Shopkeepers in the district centre said they had begun selling flour by the kilogram rather than by the sack, because few families could afford a whole sack at the new prices.',
          'Teachers said that schools in the valley had stayed closed since the fighting began, and that many families who fled to the mountains had not yet come back to their villages.',
        ],
      };
      site.serve('/pg/fall', { body: newsPage({ ...fall, canonical: site.url('/pg/fall') }), contentType: 'text/html; charset=utf-8' });
      site.serve('/pg/rss.xml', {
        body: rssFeed('Fixture Wire', site.url('/pg'), [{ title: fall.headline, link: site.url('/pg/fall'), published: fall.published! }]),
        contentType: 'application/rss+xml',
      });
      const folderBefore = articles();
      const sqlite = join(work, 'pg-mode-unused.sqlite');
      const out: string[] = [];
      const io = { out: (t: string) => void out.push(t), err: (t: string) => void errors.push(t) };
      const errors: string[] = [];
      const run = () => runWebIngestCli(['--feed', site.url('/pg/rss.xml'), '--json', '--data-dir', dataDir, '--database', sqlite], io, { fetcher: { hostDelayMs: 0 }, databaseUrl: database.url });

      expect(await run(), `${out.join('')}${errors.join('')}`).toBe(0);
      const stored = await queryOnce<{ id: string; raw: string }>(database.url, "SELECT id, raw FROM articles WHERE story = 'panjshir'");
      // The story folder's articles were imported as the bot does, and the feed's report added.
      expect(stored.length).toBe(folderBefore.length + 1);
      expect(stored.some((a) => a.raw.includes(fall.paragraphs[0]!.slice(0, 40)))).toBe(true);
      expect(await queryOnce(database.url, 'SELECT url FROM feed_items')).toHaveLength(1);
      expect(articles()).toEqual(folderBefore);
      expect(existsSync(sqlite)).toBe(false);

      expect(await run()).toBe(0);
      expect(await queryOnce(database.url, "SELECT id FROM articles WHERE story = 'panjshir'")).toHaveLength(stored.length);
      expect(errors).toEqual([]);
    } finally {
      await database.drop();
    }
  });
});

