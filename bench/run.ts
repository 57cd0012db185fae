/**
 * `npm run bench -- [--quick | --tiny] [--json] [--only search|digest] [--sizes 5000,50000]
 * [--ops who,where,autocomplete,search] [--no-baseline] [--seed N]`
 *
 * Runs the benchmark sections and prints one table (or, with `--json`, one JSON line per row).
 * Sections: `search` (bench/search-bench.ts) and, when their files exist, `digest`
 * (bench/digest-fanout.ts) and `web` (bench/web-bench.ts).
 * Progress goes to stderr so stdout stays a clean table or JSON stream.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { searchSection } from './search-bench.js';
import type { BenchOptions, BenchRow, BenchSection } from './sections.js';
import { formatTable } from './table.js';

export type { BenchOptions, BenchRow, BenchSection } from './sections.js';

/** Sections that live in files other engineers may or may not have written yet. */
const OPTIONAL_SECTIONS: Array<{ name: string; file: string; exportName: string }> = [
  { name: 'digest', file: 'digest-fanout.ts', exportName: 'runDigestBench' },
  { name: 'web', file: 'web-bench.ts', exportName: 'runWebBench' },
  { name: 'instances', file: 'instances-fanout.ts', exportName: 'runInstancesBench' },
  { name: 'feeds', file: 'feeds-bench.ts', exportName: 'runFeedsBench' },
];

/** Every available section: the built-in ones plus optional files that exist. */
export async function loadSections(): Promise<BenchSection[]> {
  const sections: BenchSection[] = [searchSection];
  for (const optional of OPTIONAL_SECTIONS) {
    const path = fileURLToPath(new URL(`./${optional.file}`, import.meta.url));
    if (!existsSync(path)) continue;
    const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    const run = module[optional.exportName];
    if (typeof run !== 'function') throw new Error(`bench/${optional.file} must export ${optional.exportName}(options): Promise<BenchRow[]>`);
    sections.push({ name: optional.name, run: run as BenchSection['run'] });
  }
  return sections;
}

export interface CliArguments {
  quick: boolean;
  /** Smallest size, few queries: proves the script works in seconds. */
  tiny?: boolean;
  json: boolean;
  only?: string;
  /** Search section: only these entity counts (300, 5000, 50000). */
  sizes?: number[];
  /** Feeds section: story sizes in articles (default 100, 1000). */
  articles?: number[];
  /** Search section: only these query operations (who, where, autocomplete, search). */
  ops?: string[];
  /** Search section: skip plain fuse.js (faster iterations; no ratios). */
  noBaseline?: boolean;
  help?: boolean;
  seed: number;
}

export const USAGE = `Usage: npm run bench -- [options]
  --quick            only 5,000 entities / 100,000 facts
  --tiny             smallest size, a few seconds: proves the script works
  --json             one JSON object per row instead of the table
  --only NAME        one section: search | digest | web | feeds | instances (needs PostgreSQL)
  --sizes N,N        search: only these entity counts (300, 5000, 50000)
  --articles N,N     feeds: story sizes in articles (default 100,1000; --quick 100; e.g. 1000,10000)
  --ops OP,OP        search: only these operations (who, where, autocomplete, search)
  --no-baseline      search: skip plain fuse.js (no ratios, much faster)
  --seed N           generator seed (default 42)
  --help             this text`;

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
}

/** Parses the command line; throws with a usage line on anything it does not know. */
export function parseArguments(argv: readonly string[]): CliArguments {
  const args: CliArguments = { quick: false, json: false, seed: 42 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') args.quick = true;
    else if (arg === '--tiny') args.tiny = true;
    else if (arg === '--json') args.json = true;
    else if (arg === '--only') args.only = argv[++i];
    else if (arg?.startsWith('--only=')) args.only = arg.slice('--only='.length);
    else if (arg === '--seed') args.seed = Number(argv[++i]);
    else if (arg === '--sizes') args.sizes = list(argv[++i]).map(Number);
    else if (arg === '--articles') args.articles = list(argv[++i]).map(Number);
    else if (arg === '--ops') args.ops = list(argv[++i]).map((op) => op.replace(/^\//, ''));
    else if (arg === '--no-baseline') args.noBaseline = true;
    else if (arg === '--help' || arg === '-h') args.help = true;
    else throw new Error(`Unknown argument "${arg}". ${USAGE}`);
  }
  if (!Number.isFinite(args.seed)) throw new Error('--seed needs a number');
  if (args.sizes?.some((n) => !Number.isFinite(n))) throw new Error('--sizes needs numbers, e.g. --sizes 5000,50000');
  if (args.articles?.some((n) => !Number.isInteger(n) || n < 2)) throw new Error('--articles needs whole numbers of at least 2, e.g. --articles 1000,10000');
  return args;
}

/** Runs the selected sections and returns all rows. */
export async function runBench(args: CliArguments, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<BenchRow[]> {
  const sections = await loadSections();
  const selected = args.only ? sections.filter((s) => s.name === args.only) : sections;
  if (selected.length === 0) throw new Error(`No benchmark section "${args.only}". Available: ${sections.map((s) => s.name).join(', ')}`);
  const options: BenchOptions = {
    quick: args.quick,
    tiny: args.tiny ?? false,
    seed: args.seed,
    log,
    ...(args.sizes ? { sizes: args.sizes } : {}),
    ...(args.articles ? { articles: args.articles } : {}),
    ...(args.ops ? { ops: args.ops } : {}),
    ...(args.noBaseline ? { noBaseline: true } : {}),
  };
  const rows: BenchRow[] = [];
  for (const section of selected) rows.push(...(await section.run(options)));
  return rows;
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!(globalThis as { gc?: unknown }).gc) process.stderr.write('note: run with --expose-gc (npm run bench does) for accurate heap figures\n');
  const started = Date.now();
  const rows = await runBench(args);
  if (args.json) for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
  else process.stdout.write(`${formatTable(rows)}\nTotal ${Math.round((Date.now() - started) / 1000)} s on ${process.version}.\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
