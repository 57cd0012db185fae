/**
 * The development corpus (`eval/corpus/`): per report its page text, its metadata and the
 * expectations a reader wrote before the pipeline ran on it (format in eval/README.md).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseArticleMeta, type Article } from '../src/knowledge/articles.js';

export const CORPUS_DIR = join(import.meta.dirname, 'corpus');

const name = z.string().trim().min(1);
const names = z.array(name).nullish().transform((v) => v ?? []);

const expectedSchema = z.object({
  quotes: z
    .array(z.object({ text: z.string().min(1), speaker: name.nullish().transform((v) => v ?? null), partial: z.boolean().default(false) }))
    .nullish()
    .transform((v) => v ?? []),
  people: names,
  places: names,
  organisations: names,
  events: z
    .array(
      z.object({
        text: z.string().min(1),
        // YAML reads 2021-08-15 as a string, 1990 as a number.
        date: z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? null : String(v))),
        precision: z.string().nullish(),
      }),
    )
    .nullish()
    .transform((v) => v ?? []),
  claims: z
    .array(
      z.object({
        text: z.string().min(1),
        claimant: name.nullish().transform((v) => v ?? null),
        deniedBy: names,
        denial: z.string().nullish(),
      }),
    )
    .nullish()
    .transform((v) => v ?? []),
  furniture: z
    .array(z.union([z.string(), z.number()]).transform(String))
    .nullish()
    .transform((v) => v ?? []),
});

export type Expected = z.infer<typeof expectedSchema>;
export type ExpectedQuote = Expected['quotes'][number];
export type ExpectedEvent = Expected['events'][number];
export type ExpectedClaim = Expected['claims'][number];

/** One report of the corpus: the article as the pipeline takes it and what a reader expects. */
export interface CorpusReport {
  slug: string;
  article: Article;
  expected: Expected;
}

/** Slugs of the complete reports in `dir` (a .txt, .meta.yaml and .expected.yaml each). */
export function corpusSlugs(dir = CORPUS_DIR): string[] {
  if (!existsSync(dir)) return [];
  const files = new Set(readdirSync(dir));
  return [...files]
    .filter((f) => f.endsWith('.expected.yaml'))
    .map((f) => f.slice(0, -'.expected.yaml'.length))
    .filter((slug) => files.has(`${slug}.txt`) && files.has(`${slug}.meta.yaml`))
    .sort();
}

/**
 * Loads every complete report of the corpus, sorted by slug.
 *
 * @throws Error naming the file when metadata or expectations do not parse
 */
export function loadCorpus(dir = CORPUS_DIR): CorpusReport[] {
  return corpusSlugs(dir).map((slug) => {
    const file = join(dir, `${slug}.txt`);
    const metaFile = join(dir, `${slug}.meta.yaml`);
    const expectedFile = join(dir, `${slug}.expected.yaml`);
    const meta = parseArticleMeta(parseYaml(readFileSync(metaFile, 'utf8')), metaFile);
    const parsed = expectedSchema.safeParse(parseYaml(readFileSync(expectedFile, 'utf8')) ?? {});
    if (!parsed.success) throw new Error(`${expectedFile}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return { slug, article: { id: slug, file, raw: readFileSync(file, 'utf8'), meta }, expected: parsed.data };
  });
}
