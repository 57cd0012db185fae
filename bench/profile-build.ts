/**
 * `npx tsx bench/profile-build.ts [articles]`: where the story-wide stages' time goes (what
 * every added article pays), on a feeds-bench story of copies of the seed and corpus reports.
 * Per-article results are computed once first; the stages then run three times.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { knowArticles } from '../src/knowledge/article-knowledge.js';
import { loadArticles, parseArticleMeta, type Article } from '../src/knowledge/articles.js';
import { assembleKnowledge, canonicalOrder } from '../src/knowledge/build.js';
import { extractClaims } from '../src/knowledge/claims.js';
import { findConflicts } from '../src/knowledge/conflicts.js';
import { extractEvents } from '../src/knowledge/events.js';
import { loadStoryMeta } from '../src/knowledge/load.js';
import { provisionalSpeakers } from '../src/knowledge/provisional.js';
import { loadRegistry } from '../src/knowledge/registry.js';

const ROOT = join(import.meta.dirname, '..');
const SEED = join(ROOT, 'data/stories/panjshir');
const count = Number(process.argv[2] ?? 300);

const base: Array<Pick<Article, 'raw' | 'meta'>> = loadArticles(SEED).map((a) => ({ raw: a.raw, meta: a.meta }));
const corpus = join(ROOT, 'eval/corpus');
for (const name of readdirSync(corpus).filter((n) => n.endsWith('.txt'))) {
  const metaFile = join(corpus, name.replace(/\.txt$/u, '.meta.yaml'));
  base.push({ raw: readFileSync(join(corpus, name), 'utf8'), meta: parseArticleMeta(parseYaml(readFileSync(metaFile, 'utf8')), metaFile) });
}
const articles: Article[] = loadArticles(SEED);
for (let i = 2; i < count; i++) {
  const t = base[i % base.length] as Pick<Article, 'raw' | 'meta'>;
  articles.push({ id: `${String(i + 10).padStart(6, '0')}_copy${i}`, file: '', raw: `${t.raw.trimEnd()}\n\nIn Panjshir, this copy was filed as number ${i} of the benchmark story.\n`, meta: t.meta });
}
const registry = loadRegistry(join(SEED, 'registry.yaml'));
const story = loadStoryMeta(SEED);
const ms = (from: number): number => Math.round(performance.now() - from);

let t = performance.now();
const units = knowArticles(canonicalOrder(articles), registry.entities);
console.log(`per-article stages, ${count} articles: ${ms(t)} ms`);
for (let run = 0; run < 3; run++) {
  t = performance.now();
  const { kb } = assembleKnowledge(story, registry, units);
  const all = ms(t);
  const sources = units.map((u) => u.source);
  const analysis = { sources, sentences: units.flatMap((u) => u.sentences), mentions: units.flatMap((u) => u.mentions), entities: kb.entities, facts: kb.facts, quotes: kb.quotes };
  t = performance.now();
  extractEvents(analysis);
  const events = ms(t);
  t = performance.now();
  const claims = extractClaims(analysis);
  const claimsMs = ms(t);
  t = performance.now();
  findConflicts(analysis, claims);
  const conflicts = ms(t);
  t = performance.now();
  provisionalSpeakers(units.flatMap((u) => u.quotes), sources, new Set(registry.entities.map((e) => e.id)));
  console.log(`story-wide stages ${all} ms: events ${events}, claims ${claimsMs}, conflicts ${conflicts}, provisional speakers ${ms(t)}`);
}
