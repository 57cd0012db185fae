/**
 * `npm run bench -- --only feeds`: the figures of docs/feeds.md against issue 12's goals.
 *
 * - **add one article** to a story of N articles: the reading cache reads only the new one, then
 *   the story-wide stages and the search index are rebuilt (what the bot does before the next
 *   question can see it); p50 over a few additions.
 * - **start-up** with N articles already read once (the cache on disk): load the folder, build,
 *   index.
 * - **polling 200 feeds** that have nothing new (each answers 304): CPU time of one round, as a
 *   share of one core when the round runs once a minute. The feeds are served by a child process
 *   so that only the poller's CPU is counted.
 *
 * Stories are made from the real reports of the seed story and eval/corpus, each copy given its
 * own closing line so every article is distinct; that keeps the language real but makes many
 * near-duplicates, which the story-wide stages (corroboration) find and merge.
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { extractArticle } from '../src/extract/extract.js';
import { createFetcher } from '../src/fetch/fetcher.js';
import { createFeedPoller } from '../src/feeds/poller.js';
import { loadArticles, parseArticleMeta, type Article } from '../src/knowledge/articles.js';
import { articleMetaYaml } from '../src/storage/articles.js';
import { buildKnowledgeBaseWithTrace } from '../src/knowledge/build.js';
import { loadStoryMeta } from '../src/knowledge/load.js';
import { createReadingCache, loadStoryWithCache } from '../src/knowledge/reading-cache.js';
import { loadRegistry } from '../src/knowledge/registry.js';
import { createLogger } from '../src/observability/logger.js';
import { createKnowledgeSearch } from '../src/search/knowledge-search.js';
import { folderArticleStore } from '../src/storage/articles.js';
import { openSqliteStore } from '../src/storage/sqlite.js';
import type { BenchOptions, BenchRow } from './sections.js';

const ROOT = join(import.meta.dirname, '..');
const SEED = join(ROOT, 'data/stories/panjshir');

function templates(): Array<Pick<Article, 'raw' | 'meta'>> {
  const out = loadArticles(SEED).map((a) => ({ raw: a.raw, meta: a.meta }));
  const corpus = join(ROOT, 'eval/corpus');
  try {
    for (const name of readdirSync(corpus).filter((n) => n.endsWith('.txt'))) {
      const metaFile = join(corpus, name.replace(/\.txt$/u, '.meta.yaml'));
      out.push({ raw: readFileSync(join(corpus, name), 'utf8'), meta: parseArticleMeta(parseYaml(readFileSync(metaFile, 'utf8')), metaFile) });
    }
  } catch {
    // Without the corpus the two seed reports are the templates.
  }
  return out;
}

/** A story folder of `count` articles: the seed's two (the registry cites them) and copies of the templates. */
function makeStory(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-bench-feeds-'));
  const storyDir = join(dir, 'stories', 'panjshir');
  mkdirSync(join(storyDir, 'articles'), { recursive: true });
  for (const file of ['story.yaml', 'registry.yaml']) writeFileSync(join(storyDir, file), readFileSync(join(SEED, file)));
  for (const a of loadArticles(SEED)) {
    writeFileSync(join(storyDir, 'articles', `${a.id}.txt`), a.raw);
    writeFileSync(join(storyDir, 'articles', `${a.id}.meta.yaml`), articleMetaYaml(a.meta));
  }
  const base = templates();
  for (let i = 2; i < count; i++) addCopy(storyDir, base, i);
  return storyDir;
}

function addCopy(storyDir: string, base: ReturnType<typeof templates>, i: number): string {
  const t = base[i % base.length]!;
  const id = `${String(i + 10).padStart(6, '0')}_copy${i}`;
  writeFileSync(join(storyDir, 'articles', `${id}.txt`), `${t.raw.trimEnd()}\n\nThis copy was filed as number ${i} of the benchmark story.\n`);
  writeFileSync(join(storyDir, 'articles', `${id}.meta.yaml`), articleMetaYaml(t.meta));
  return id;
}

const p50 = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const round = (ms: number): number => Math.round(ms * 10) / 10;

async function ingestRows(size: number, additions: number, log: (line: string) => void): Promise<BenchRow[]> {
  log(`feeds: story of ${size} articles…`);
  const storyDir = makeStory(size);
  const cacheDir = join(storyDir, '..', '..', 'reading-cache');
  const story = loadStoryMeta(storyDir);
  const registry = loadRegistry(join(storyDir, 'registry.yaml'));
  const rows: BenchRow[] = [];
  try {
    const cache = createReadingCache({ dir: cacheDir });
    let t = performance.now();
    let kb = await loadStoryWithCache(storyDir, cache);
    createKnowledgeSearch(kb);
    const coldMs = performance.now() - t;
    log(`feeds: first build (reads every article) ${Math.round(coldMs)} ms`);

    const addMs: number[] = [];
    const base = templates();
    for (let k = 0; k < additions; k++) {
      addCopy(storyDir, base, size + k + 1000);
      t = performance.now();
      kb = await loadStoryWithCache(storyDir, cache);
      createKnowledgeSearch(kb);
      addMs.push(performance.now() - t);
    }
    rows.push({ section: 'feeds', operation: 'add one article (cached reading + story-wide stages + search)', articles: size, p50Ms: round(p50(addMs)), note: `goal ≤ 200 ms p50 at 10,000 articles; ${additions} additions` });
    rows.push({ section: 'feeds', operation: 'first build, nothing cached (reads every article)', articles: size, buildMs: Math.round(coldMs) });

    // Where the time of an addition goes: the story-wide stages over already-read articles.
    const articles = loadArticles(storyDir);
    t = performance.now();
    buildKnowledgeBaseWithTrace({ story, registry, articles, read: cache.read });
    rows.push({ section: 'feeds', operation: 'story-wide stages alone (every article cached)', articles: articles.length, buildMs: Math.round(performance.now() - t) });

    // Start-up: a new process with the cache on disk.
    t = performance.now();
    const restarted = createReadingCache({ dir: cacheDir });
    const startKb = await loadStoryWithCache(storyDir, restarted);
    createKnowledgeSearch(startKb);
    rows.push({ section: 'feeds', operation: 'start-up (cache on disk: load, build, index)', articles: startKb.sources.length, buildMs: Math.round(performance.now() - t), note: `goal ≤ 5,000 ms at 10,000 articles; ${restarted.stats.misses} read again` });
  } finally {
    rmSync(join(storyDir, '..', '..'), { recursive: true, force: true });
  }
  return rows;
}

/** The fake feeds' server, in a child process: `GET /feed/N` → RSS with ETag, 304 when it matches. */
const SERVER = `
const http = require('node:http');
const body = '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><link>http://x/</link><item><title>Cricket scores</title><link>http://127.0.0.1/x</link><guid>g1</guid></item></channel></rss>';
const server = http.createServer((req, res) => {
  if (req.headers['if-none-match'] === '"v1"') { res.writeHead(304, { ETag: '"v1"' }); return res.end(); }
  res.writeHead(200, { 'Content-Type': 'application/rss+xml', ETag: '"v1"', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
`;

async function pollingRows(feeds: number, log: (line: string) => void): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-bench-poll-'));
  const serverFile = join(dir, 'server.cjs');
  writeFileSync(serverFile, SERVER);
  const child = fork(serverFile, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  try {
    const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(Number(m))));
    const storyDir = join(dir, 'stories', 'panjshir');
    mkdirSync(join(storyDir, 'articles'), { recursive: true });
    writeFileSync(join(storyDir, 'registry.yaml'), readFileSync(join(SEED, 'registry.yaml')));
    for (const a of loadArticles(SEED)) {
      writeFileSync(join(storyDir, 'articles', `${a.id}.txt`), a.raw);
      writeFileSync(join(storyDir, 'articles', `${a.id}.meta.yaml`), articleMetaYaml(a.meta));
    }
    writeFileSync(
      join(storyDir, 'story.yaml'),
      `id: panjshir\ntitle: Bench\nfeeds:\n${Array.from({ length: feeds }, (_, i) => `  - url: http://127.0.0.1:${port}/feed/${i}\n    include: [panjshir]\n`).join('')}`,
    );
    const store = openSqliteStore(join(dir, 'db.sqlite'));
    let clock = Date.parse('2021-08-25T08:00:00Z');
    // One host serves every feed here; real feeds are on many hosts, so the per-host pause is off.
    const fetcher = createFetcher({ userAgent: 'Dossier/bench', hostDelayMs: 0, perHost: 8 });
    const poller = createFeedPoller({ story: 'panjshir', storyDir, articles: folderArticleStore(storyDir), store, fetcher, logger: createLogger({ level: 'silent' }), clock: () => new Date(clock), concurrency: 8 });
    log(`feeds: first round over ${feeds} feeds…`);
    await poller.tick();
    const cpu: number[] = [];
    const wall: number[] = [];
    for (let r = 0; r < 3; r++) {
      clock += 60_000;
      const before = process.cpuUsage();
      const t = performance.now();
      const reports = await poller.tick();
      wall.push(performance.now() - t);
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000);
      if (reports.some((x) => x.outcome !== 'not-modified')) throw new Error('expected every feed to answer 304');
    }
    store.close();
    const cpuMs = p50(cpu);
    return [
      { section: 'feeds', operation: `poll ${feeds} feeds, nothing new (304)`, p50Ms: round(p50(wall)), cpuMs: round(cpuMs), coreShare: `${((cpuMs / 60_000) * 100).toFixed(2)} %`, note: 'goal ≤ 5 % of one core at one round a minute' },
    ];
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Extracting one newsroom page (readability over linkedom, metadata, paragraphs). */
function extractRow(runs: number): BenchRow {
  const seed = loadArticles(SEED)[1]!;
  const paragraphs = seed.raw.split('\n').filter((l) => l.trim().length > 80);
  const html = `<!doctype html><html lang="en"><head><meta property="og:site_name" content="TheJournal.ie"><meta property="og:type" content="article"><meta property="article:published_time" content="2021-08-23T09:00:00Z"><title>t</title></head><body><nav><a href="/">Home</a></nav><main><article><h1>${seed.meta.headline}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</article></main><footer>©</footer></body></html>`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    if (!extractArticle(html).ok) throw new Error('bench page was not extracted');
    times.push(performance.now() - t);
  }
  return { section: 'feeds', operation: 'extract one news page', p50Ms: round(p50(times)), note: `${runs} runs` };
}

/**
 * The feeds section.
 *
 * @example
 * const rows = await runFeedsBench({ quick: true, seed: 42, log: console.error });
 */
export async function runFeedsBench(options: BenchOptions): Promise<BenchRow[]> {
  const log = options.log ?? (() => undefined);
  // The story-wide stages grow with the square of the story (corroboration compares every pair
  // of facts and quotes, re-tokenising both each time), so 10,000 articles would not finish:
  // these sizes show the curve; docs/feeds.md extrapolates from them.
  const sizes = options.tiny ? [20] : options.quick ? [100] : [100, 300, 1000];
  const rows: BenchRow[] = [];
  for (const size of sizes) rows.push(...(await ingestRows(size, options.tiny ? 2 : 5, log)));
  rows.push(extractRow(options.tiny ? 5 : 50));
  rows.push(...(await pollingRows(options.tiny ? 20 : 200, log)));
  return rows;
}
