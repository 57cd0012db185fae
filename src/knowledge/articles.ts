/**
 * Article files of a story: `<storyDir>/articles/<id>.txt` (the page text exactly as scraped)
 * with `<id>.meta.yaml` beside it (outlet, headline, date…). The source id is the file stem.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { SourceId } from './model.js';

/** True when `s` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/u.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The metadata file's schema. Unknown keys are ignored so editors may add notes. */
export const articleMetaSchema = z.object({
  outlet: z.string().trim().min(1, 'must name the outlet'),
  headline: z.string().trim().min(1, 'must give the headline'),
  published: z
    .string({ error: 'must be a date written YYYY-MM-DD (quote it in YAML if needed)' })
    .refine(isIsoDate, 'must be a real date written YYYY-MM-DD'),
  language: z.string().regex(/^[a-z]{2}$/u, 'must be a two-letter ISO 639-1 code such as "en"'),
  originalLanguage: z
    .string()
    .regex(/^[a-z]{2}$/u, 'must be a two-letter ISO 639-1 code such as "pt"')
    .optional(),
  url: z.url('must be a full URL (https://…)').optional(),
  agency: z.string().optional(),
  section: z.string().optional(),
  note: z.string().optional(),
  // Written by the feed poller and `npm run ingest -- <https://…>` (docs/feeds.md):
  /** Byline as the page gave it. */
  author: z.string().optional(),
  /** The page's own publication and last-modified timestamps (ISO), when it gave them. */
  publishedAt: z.string().optional(),
  modifiedAt: z.string().optional(),
  /** When the page was fetched (ISO): the stored text is the page as it was then. */
  fetchedAt: z.string().optional(),
  /** Every outlet that ran this report (syndication), the first one included. */
  appearances: z.array(z.object({ outlet: z.string().trim().min(1), url: z.url('must be a full URL (https://…)') })).optional(),
});

export type ArticleMeta = z.infer<typeof articleMetaSchema>;

/** An article as stored: its id, the raw text and its metadata. */
export interface Article {
  id: SourceId;
  /** Path of the `.txt` file it was read from (for messages). */
  file: string;
  raw: string;
  meta: ArticleMeta;
}

/** Thrown when an article file or its metadata is missing or invalid; the message names both. */
export class ArticleError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'ArticleError';
  }
}

/**
 * Validates parsed metadata, throwing an {@link ArticleError} that names the file and field.
 *
 * @example
 * parseArticleMeta({ outlet: 'AFP', headline: 'h', published: '2021-08-23', language: 'en' }, 'x.meta.yaml');
 */
export function parseArticleMeta(data: unknown, metaFile: string): ArticleMeta {
  const result = articleMetaSchema.safeParse(data ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.join('.') || '(file)';
    const missing = issue.code === 'invalid_type' && /received undefined/u.test(issue.message);
    return `field "${field}": ${missing ? 'is missing' : issue.message}`;
  });
  throw new ArticleError(`${metaFile}: invalid article metadata: ${problems.join('; ')}`, metaFile);
}

/** Path of the metadata file that belongs beside an article `.txt` file. */
export function metaPathFor(txtFile: string): string {
  return txtFile.replace(/\.txt$/u, '.meta.yaml');
}

/** Reads one article and its metadata file. */
export function loadArticle(txtFile: string): Article {
  const metaFile = metaPathFor(txtFile);
  if (!existsSync(metaFile)) {
    throw new ArticleError(
      `${metaFile}: metadata file is missing for article ${basename(txtFile)} (needs outlet, headline, published, language)`,
      metaFile,
    );
  }
  let data: unknown;
  try {
    data = parseYaml(readFileSync(metaFile, 'utf8'));
  } catch (err) {
    throw new ArticleError(`${metaFile}: not valid YAML: ${(err as Error).message}`, metaFile);
  }
  return {
    id: basename(txtFile, '.txt'),
    file: txtFile,
    raw: readFileSync(txtFile, 'utf8'),
    meta: parseArticleMeta(data, metaFile),
  };
}

/**
 * Loads every `<storyDir>/articles/*.txt` with its metadata, sorted by file name (which is
 * also the order sources are numbered in).
 *
 * @example
 * const articles = loadArticles('data/stories/panjshir');
 */
export function loadArticles(storyDir: string): Article[] {
  const dir = join(storyDir, 'articles');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => loadArticle(join(dir, name)));
}
