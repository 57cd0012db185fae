/**
 * Random stories for the build's equivalence tests: the seed articles (the registry's evidence
 * cites them, so a story cannot be built without them), then some corpus reports and copies of
 * them in random (seeded) order. Copies are other outlets' copies of a report with a line of
 * their own, which make corroboration merge across many sources.
 */
import { join } from 'node:path';
import { loadCorpus } from '../../eval/corpus.js';
import { loadArticles, type Article } from '../../src/knowledge/articles.js';
import { loadStoryMeta } from '../../src/knowledge/load.js';
import { loadRegistry } from '../../src/knowledge/registry.js';
import { SEED_STORY_DIR } from './seed.js';
import { seededRandom } from '../support/seeded-random.js';

export const story = loadStoryMeta(SEED_STORY_DIR);
export const registry = loadRegistry(join(SEED_STORY_DIR, 'registry.yaml'));
export const seed = loadArticles(SEED_STORY_DIR);
const reports = loadCorpus().map((r) => r.article);

/** A small seeded PRNG, so a failure can be replayed. */
export const random = seededRandom;

export function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Another outlet's copy of a report with a line of its own: the same quotes and facts, another source. */
export function copyOf(article: Article, n: number): Article {
  return { ...article, id: `${article.id}-copy${n}`, raw: `${article.raw.trimEnd()}\n\nThis copy ran as number ${n} in another paper.\n`, meta: { ...article.meta, outlet: `Reprint ${n}` } };
}

/** A random story: the seed articles first, then some reports and copies in random order. */
export function randomStory(seedValue: number): Article[] {
  const next = random(seedValue);
  const picked = shuffled(reports, next).slice(0, 4 + Math.floor(next() * 5));
  const copies = picked.filter(() => next() < 0.5).map((a, i) => copyOf(a, i));
  return [...seed, ...shuffled([...picked, ...copies, ...(next() < 0.5 ? [copyOf(seed[0] as Article, 9)] : [])], next)];
}
