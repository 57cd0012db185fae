/**
 * `npm run ingest -- <https://…> [flags]` (one web page) and
 * `npm run ingest -- --feed <url> [--json] [--data-dir …] [--story …] [--database …]` (poll one
 * feed once). Both go through the same fetcher, extractor, duplicate checks and feed state as
 * the running bot, so a page or item the bot already has is reported as a duplicate and
 * running the command twice adds nothing the second time.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createFetcher, dossierUserAgent, type FetcherOptions } from '../fetch/fetcher.js';
import { buildKnowledgeBaseWithTrace, type KnowledgeTrace } from '../knowledge/build.js';
import { describeArticle } from '../knowledge/ingest-json.js';
import { formatIngestReport } from '../knowledge/ingest-report.js';
import type { CliIo } from '../knowledge/ingest.js';
import { loadStoryMeta } from '../knowledge/load.js';
import { loadRegistry } from '../knowledge/registry.js';
import { createLogger } from '../observability/logger.js';
import { folderArticleStore } from '../storage/articles.js';
import { importFolderArticles, openDatabase, type OpenedDatabase } from '../app/database.js';
import { loadFeedConfig } from './config.js';
import { ingestPage, indexStoryArticles, type PageHints, type PageOutcome } from './page-ingest.js';
import { createFeedPoller, type ItemReport } from './poller.js';

export const WEB_INGEST_USAGE = `Usage: npm run ingest -- <https://…> [--outlet "…"] [--headline "…"] [--published YYYY-MM-DD]
         [--language en] [--original-language pt] [--agency AFP] [--note "…"]
       npm run ingest -- --feed <feed URL>
       both: [--story panjshir] [--data-dir data] [--database var/dossier.sqlite] [--json]
The flags fill in what the page does not say (and win over what it says).`;

/** Whether the command line is for this command (a URL or --feed) rather than a file. */
export function isWebIngest(argv: readonly string[]): boolean {
  return argv.includes('--feed') || argv.some((a) => a.startsWith('--feed=')) || argv.some((a) => /^https?:\/\//iu.test(a));
}

class UsageError extends Error {}

export interface WebIngestDeps {
  /** Fetcher settings (tests shorten the per-host delay). */
  fetcher?: Partial<FetcherOptions>;
  now?: () => Date;
  /** Default for --database (`DATABASE_PATH` or var/dossier.sqlite). */
  databasePath?: string;
  /** PostgreSQL instead of the SQLite file (default `DATABASE_URL`), as the bot runs it. */
  databaseUrl?: string;
}

interface Options {
  url?: string;
  feed?: string;
  story: string;
  dataDir: string;
  database: string;
  json: boolean;
  hints: PageHints;
}

function parse(argv: readonly string[], defaultDatabase: string): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        feed: { type: 'string' },
        outlet: { type: 'string' },
        headline: { type: 'string' },
        published: { type: 'string' },
        language: { type: 'string' },
        'original-language': { type: 'string' },
        agency: { type: 'string' },
        note: { type: 'string' },
        story: { type: 'string', default: 'panjshir' },
        'data-dir': { type: 'string', default: 'data' },
        database: { type: 'string', default: defaultDatabase },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.feed !== undefined && positionals.length > 0) throw new UsageError('Give either a page URL or --feed, not both.');
  if (values.feed === undefined && positionals.length !== 1) throw new UsageError('Give one page URL.');
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/u.test(values.story)) throw new UsageError(`--story "${values.story}" is not a story id.`);
  const hints: PageHints = {
    ...(values.outlet ? { outlet: values.outlet } : {}),
    ...(values.headline ? { headline: values.headline } : {}),
    ...(values.published ? { published: values.published } : {}),
    ...(values.language ? { language: values.language } : {}),
    ...(values['original-language'] ? { originalLanguage: values['original-language'] } : {}),
    ...(values.agency ? { agency: values.agency } : {}),
    ...(values.note ? { note: values.note } : {}),
  };
  return {
    ...(values.feed === undefined ? { url: positionals[0]! } : { feed: values.feed }),
    story: values.story,
    dataDir: values['data-dir'],
    database: values.database,
    json: values.json,
    hints,
  };
}

/** One line of the human report. */
function itemLine(item: { url: string; status: string; reason?: string; sourceId?: string }): string {
  return `${item.status.padEnd(9)} ${item.url}${item.sourceId ? ` → ${item.sourceId}` : ''}${item.reason ? `\n          ${item.reason}` : ''}`;
}

/**
 * Run the command; resolves with the exit code: 0 done (nothing failed), 1 something failed
 * (each failure is in the report with its reason), 2 usage.
 *
 * @example
 * process.exitCode = await runWebIngestCli(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: console.error });
 */
export async function runWebIngestCli(argv: readonly string[], io: CliIo, deps: WebIngestDeps = {}): Promise<number> {
  let options: Options;
  try {
    options = parse(argv, deps.databasePath ?? process.env.DATABASE_PATH ?? 'var/dossier.sqlite');
  } catch (error) {
    io.err(`ingest: ${(error as Error).message}\n\n${WEB_INGEST_USAGE}`);
    return 2;
  }
  const storyDir = join(options.dataDir, 'stories', options.story);
  if (!existsSync(join(storyDir, 'story.yaml'))) {
    io.err(`ingest: Story "${options.story}" not found: ${join(storyDir, 'story.yaml')} does not exist.`);
    return 1;
  }
  const now = deps.now ?? (() => new Date());
  // The bot's own database: with DATABASE_URL, PostgreSQL, whose feed state, duplicate checks and
  // articles every instance shares (an article added here reaches them by NOTIFY); otherwise
  // the SQLite file, and the story folder for articles.
  const databaseUrl = deps.databaseUrl ?? process.env.DATABASE_URL;
  let database: OpenedDatabase;
  try {
    database = openDatabase({ DATABASE_PATH: options.database, DATABASE_URL: databaseUrl === '' ? undefined : databaseUrl, STORY: options.story }, createLogger({ level: 'silent' }));
  } catch (error) {
    // openDatabase's message names the database and the setting to fix.
    io.err(`ingest: ${(error as Error).message}${databaseUrl ? '' : ' Or give another file with --database.'}`);
    return 1;
  }
  const store = database.store;
  try {
    if (database.articles !== undefined) await importFolderArticles(storyDir, database.articles);
    const articles = database.articles ?? folderArticleStore(storyDir);
    const fetcher = createFetcher({ userAgent: dossierUserAgent(process.env.PUBLIC_URL), ...deps.fetcher });
    // Knowledge is built once at the end, for the report of what was added.
    let trace: KnowledgeTrace | undefined;
    const knowledge = async (): Promise<KnowledgeTrace> =>
      (trace ??= buildKnowledgeBaseWithTrace({ story: loadStoryMeta(storyDir), registry: loadRegistry(join(storyDir, 'registry.yaml')), articles: await articles.list() }));
    const describe = async (outcome: PageOutcome | undefined) =>
      outcome !== undefined && (outcome.status === 'added' || outcome.status === 'updated') ? describeArticle(await knowledge(), outcome.sourceId) : undefined;

    if (options.url !== undefined) {
      await indexStoryArticles(options.story, articles, store, now());
      const outcome = await ingestPage(options.url, { story: options.story, articles, fetcher, store, now }, { overrides: options.hints });
      const status = { url: outcome.url, status: outcome.status, ...('reason' in outcome ? { reason: outcome.reason } : {}), ...('sourceId' in outcome ? { sourceId: outcome.sourceId } : {}) };
      if (options.json) {
        const article = await describe(outcome);
        io.out(`${JSON.stringify({ ...status, ...(article === undefined ? {} : { article }) }, null, 2)}\n`);
      } else {
        io.out(`${itemLine(status)}\n`);
        if (outcome.status === 'added' || outcome.status === 'updated') io.out(`\n${formatIngestReport((await knowledge()).kb, outcome.sourceId, { dryRun: false, written: [] })}`);
      }
      return outcome.status === 'failed' ? 1 : 0;
    }

    const listed = loadFeedConfig(storyDir).find((f) => f.url === options.feed);
    const logger = createLogger({ level: 'silent' });
    const poller = createFeedPoller({ story: options.story, storyDir, articles, store, fetcher, logger, clock: now });
    const report = await poller.pollFeed(listed ?? { url: options.feed!, include: [], exclude: [], intervalMs: 60_000 }, now());
    const items = await Promise.all(
      report.items.map(async (item: ItemReport) => {
        const article = await describe(item.outcome);
        return {
          url: item.url,
          status: item.status,
          ...(item.reason ? { reason: item.reason } : {}),
          ...(item.matched ? { matched: item.matched } : {}),
          ...(item.sourceId ? { sourceId: item.sourceId } : {}),
          ...(article === undefined ? {} : { article }),
        };
      }),
    );
    if (options.json) {
      io.out(`${JSON.stringify({ feed: report.feed, outcome: report.outcome, ...(report.reason ? { reason: report.reason } : {}), firstPoll: report.firstPoll, items }, null, 2)}\n`);
    } else {
      io.out(`feed ${report.feed}: ${report.outcome}${report.reason ? ` — ${report.reason}` : ''}${listed ? '' : ' (not listed in story.yaml: no filters)'}\n`);
      for (const item of items) io.out(`${itemLine(item)}\n`);
      const counts = new Map<string, number>();
      for (const item of items) counts.set(item.status, (counts.get(item.status) ?? 0) + 1);
      io.out(`${items.length} item(s): ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'none'}\n`);
    }
    return report.outcome === 'failed' || items.some((i) => i.status === 'failed') ? 1 : 0;
  } catch (error) {
    io.err(`ingest: ${(error as Error).message}`);
    return 1;
  } finally {
    await database.close();
  }
}
