/**
 * Adding an article to a story: argument parsing, validation of the file and its metadata,
 * copying it into `<dataDir>/stories/<story>/articles/` as `NNN_<hash16>.txt` with its
 * `.meta.yaml`, and rebuilding the knowledge base so the editor can review what it found.
 * `src/cli/ingest.ts` is a thin wrapper around {@link runIngestCli}.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify as stringifyYaml } from 'yaml';
import { ArticleError, loadArticles, metaPathFor, parseArticleMeta, type Article, type ArticleMeta } from './articles.js';
import { buildKnowledgeBaseWithTrace, type KnowledgeTrace } from './build.js';
import { loadStoryMeta, StoryError } from './load.js';
import { describeArticle } from './ingest-json.js';
import { formatIngestReport } from './ingest-report.js';
import { loadRegistry, RegistryError } from './registry.js';

/** Largest article file accepted (a news report is a few kilobytes; 1 MB is a pasted page). */
export const MAX_ARTICLE_BYTES = 1024 * 1024;

export const INGEST_USAGE = `Usage: npm run ingest -- <file> --outlet "<outlet>" --headline "<headline>" --published YYYY-MM-DD
       [--language en] [--original-language pt] [--url https://…] [--agency AFP] [--note "…"]
       [--story panjshir] [--data-dir data] [--dry-run] [--json]`;

/** A problem with the command's input: the message says what to fix. */
export class IngestError extends Error {
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
    this.name = 'IngestError';
  }
}

export interface IngestOptions {
  file: string;
  meta: ArticleMeta;
  story: string;
  dataDir: string;
  dryRun: boolean;
  /** Print {@link describeArticle}'s JSON instead of the human report. */
  json: boolean;
}

/**
 * Parses the command line (without `node script`).
 *
 * @throws IngestError with `usage: true` when arguments are missing or unknown
 * @example
 * parseIngestArgs(['a.txt', '--outlet', 'AFP', '--headline', 'H', '--published', '2021-08-24']);
 */
export function parseIngestArgs(argv: readonly string[]): IngestOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        outlet: { type: 'string' },
        headline: { type: 'string' },
        published: { type: 'string' },
        language: { type: 'string', default: 'en' },
        'original-language': { type: 'string' },
        url: { type: 'string' },
        agency: { type: 'string' },
        note: { type: 'string' },
        story: { type: 'string', default: 'panjshir' },
        'data-dir': { type: 'string', default: 'data' },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    throw new IngestError((err as Error).message, true);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || !positionals[0]) {
    throw new IngestError(
      positionals.length === 0 ? 'Name the article file to add.' : `Give one article file, not ${positionals.length}.`,
      true,
    );
  }
  const missing = (['outlet', 'headline', 'published'] as const).filter((k) => !values[k]);
  if (missing.length > 0) throw new IngestError(`Missing ${missing.map((k) => `--${k}`).join(', ')}.`, true);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/u.test(values.story)) {
    throw new IngestError(`--story "${values.story}" is not a story id (lower-case words joined by "-").`);
  }
  const rawMeta = {
    outlet: values.outlet,
    headline: values.headline,
    published: values.published,
    language: values.language,
    ...(values['original-language'] ? { originalLanguage: values['original-language'] } : {}),
    ...(values.url ? { url: values.url } : {}),
    ...(values.agency ? { agency: values.agency } : {}),
    ...(values.note ? { note: values.note } : {}),
  };
  let meta: ArticleMeta;
  try {
    meta = parseArticleMeta(rawMeta, 'command line');
  } catch (err) {
    throw new IngestError((err as Error).message.replace(/field "(\w+)"/gu, (_m, f: string) => `--${kebab(f)}`));
  }
  return { file: positionals[0], meta, story: values.story, dataDir: values['data-dir'], dryRun: values['dry-run'], json: values.json };
}

function kebab(field: string): string {
  return field.replace(/[A-Z]/gu, (c) => `-${c.toLowerCase()}`);
}

/** Hash of an article's content, line endings and surrounding blank space ignored. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n?/gu, '\n').trim()).digest('hex');
}

/** Reads and checks the article file: exists, not empty, at most 1 MB, UTF-8, no binary. */
export function readArticleFile(file: string): string {
  if (!existsSync(file)) throw new IngestError(`${file}: file not found.`);
  const stat = statSync(file);
  if (!stat.isFile()) throw new IngestError(`${file}: not a file.`);
  if (stat.size > MAX_ARTICLE_BYTES) {
    throw new IngestError(`${file}: ${stat.size} bytes is more than the ${MAX_ARTICLE_BYTES}-byte limit; is this one article?`);
  }
  const bytes = readFileSync(file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new IngestError(`${file}: not valid UTF-8 text; save it as UTF-8 and try again.`);
  }
  return checkArticleText(text, file);
}

/**
 * The checks every article text passes, from a file or from a web page: not empty, at most
 * 1 MB, no control characters. `label` names the text in the message (a file or a URL).
 *
 * @throws IngestError saying what is wrong
 */
export function checkArticleText(text: string, label: string): string {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_ARTICLE_BYTES) {
    throw new IngestError(`${label}: ${bytes} bytes is more than the ${MAX_ARTICLE_BYTES}-byte limit; is this one article?`);
  }
  if (text.trim().length === 0) throw new IngestError(`${label}: the file is empty.`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000e-\u001f\u007f]/u.test(text)) {
    throw new IngestError(`${label}: contains control characters; is it a text file?`);
  }
  return text;
}

/** The next free file name: `NNN_<first 16 hex of the content hash>`. */
export function nextArticleId(existingIds: readonly string[], hash: string): string {
  const numbers = existingIds.map((id) => Number.parseInt(/^(\d+)_/u.exec(id)?.[1] ?? '-1', 10));
  const next = Math.max(-1, ...numbers) + 1;
  return `${String(next).padStart(3, '0')}_${hash.slice(0, 16)}`;
}

export interface IngestResult {
  sourceId: string;
  /** Files written (none on a dry run). */
  written: string[];
  trace: KnowledgeTrace;
}

/**
 * Validates and adds an article, then rebuilds the story's knowledge base. The knowledge
 * base is built before anything is written, so a failing build leaves the folder untouched.
 *
 * @throws IngestError (bad input, duplicate), ArticleError, RegistryError or StoryError
 * @example
 * const { sourceId, trace } = ingestArticle(parseIngestArgs(process.argv.slice(2)));
 */
export function ingestArticle(options: IngestOptions): IngestResult {
  const raw = readArticleFile(options.file);
  const storyDir = join(options.dataDir, 'stories', options.story);
  if (!existsSync(join(storyDir, 'story.yaml'))) {
    throw new IngestError(`Story "${options.story}" not found: ${join(storyDir, 'story.yaml')} does not exist.`);
  }
  const existing = loadArticles(storyDir);
  const hash = contentHash(raw);
  const duplicate = existing.find((a) => contentHash(a.raw) === hash);
  if (duplicate) {
    throw new IngestError(`${options.file}: this article is already in the story as ${basename(duplicate.file)}.`);
  }
  const id = nextArticleId(
    existsSync(join(storyDir, 'articles')) ? readdirSync(join(storyDir, 'articles')).map((n) => basename(n, '.txt')) : [],
    hash,
  );
  const txtFile = join(storyDir, 'articles', `${id}.txt`);
  const article: Article = { id, file: txtFile, raw, meta: options.meta };
  const trace = buildKnowledgeBaseWithTrace({
    story: loadStoryMeta(storyDir),
    registry: loadRegistry(join(storyDir, 'registry.yaml')),
    articles: [...existing, article],
  });
  const written = options.dryRun ? [] : writeArticleFiles(txtFile, raw, options.meta);
  return { sourceId: id, written, trace };
}

/**
 * Writes an article's `.txt` and its `.meta.yaml` beside it, refusing to overwrite either.
 * Returns the two paths.
 */
export function writeArticleFiles(txtFile: string, raw: string, meta: ArticleMeta): string[] {
  const metaFile = metaPathFor(txtFile);
  writeFileSync(txtFile, raw, { encoding: 'utf8', flag: 'wx' });
  writeFileSync(metaFile, `# Metadata of the article beside this file (same name, .txt).\n${stringifyYaml(meta)}`, { encoding: 'utf8', flag: 'wx' });
  return [txtFile, metaFile];
}


/** Where the command writes: injectable so tests capture output. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/**
 * Runs the ingest command and returns its exit code: 0 done, 1 bad input or data, 2 usage.
 * Errors are printed as one clear message, never a stack trace.
 *
 * @example
 * process.exitCode = runIngestCli(process.argv.slice(2), { out: console.log, err: console.error });
 */
export function runIngestCli(argv: readonly string[], io: CliIo): number {
  try {
    const options = parseIngestArgs(argv);
    const result = ingestArticle(options);
    io.out(
      options.json
        ? `${JSON.stringify({ dryRun: options.dryRun, written: result.written, ...describeArticle(result.trace, result.sourceId) }, null, 2)}\n`
        : formatIngestReport(result.trace.kb, result.sourceId, { dryRun: options.dryRun, written: result.written }),
    );
    return 0;
  } catch (err) {
    if (err instanceof IngestError) {
      io.err(`ingest: ${err.message}${err.usage ? `\n\n${INGEST_USAGE}` : ''}`);
      return err.usage ? 2 : 1;
    }
    if (err instanceof ArticleError || err instanceof RegistryError || err instanceof StoryError) {
      io.err(`ingest: ${err.message}`);
      return 1;
    }
    io.err(`ingest: unexpected failure: ${(err as Error).message ?? String(err)}`);
    return 1;
  }
}
