/**
 * `npx tsx bench/profile-build.ts [articles]`: where a full build's time goes, stage by stage,
 * on a feeds-bench story (copies of the seed and corpus reports).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadArticles, parseArticleMeta, type Article } from '../src/knowledge/articles.js';
import { canonicalOrder, readArticles } from '../src/knowledge/build.js';
import { knowArticles } from '../src/knowledge/article-knowledge.js';
import { extractClaims } from '../src/knowledge/claims.js';
import { findConflicts } from '../src/knowledge/conflicts.js';
import { extractEvents } from '../src/knowledge/events.js';
import { extractFacts } from '../src/knowledge/facts.js';
import { findCandidates } from '../src/knowledge/mentions.js';
import { extractQuotes } from '../src/knowledge/quotes.js';
import { loadRegistry } from '../src/knowledge/registry.js';
import { buildKnowledgeBaseWithTrace } from '../src/knowledge/build.js';
import { loadStoryMeta } from '../src/knowledge/load.js';
import { createKnowledgeSearch } from '../src/search/knowledge-search.js';

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
  const t = base[i % base.length]!;
  articles.push({ id: `${String(i + 10).padStart(6, '0')}_copy${i}`, file: '', raw: `${t.raw.trimEnd()}\n\nThis copy was filed as number ${i} of the benchmark story.\n`, meta: t.meta });
}
const registry = loadRegistry(join(SEED, 'registry.yaml'));
const time = <T>(label: string, f: () => T): T => {
  const t = performance.now();
  const r = f();
  console.log(`${label.padEnd(20)} ${Math.round(performance.now() - t)} ms`);
  return r;
};
const ordered = canonicalOrder(articles);
const read = process.env.SKIP ? { sources: [], sentences: [], mentions: [] } : time('read', () => readArticles(ordered, registry.entities));
const q = process.env.SKIP ? { quotes: [], passages: [] } : time('extractQuotes', () => extractQuotes(read.sentences, read.mentions, registry.entities));
if (!process.env.SKIP) time('extractFacts', () => extractFacts(read.sentences, read.mentions, q.passages));
if (!process.env.SKIP) time('findCandidates', () => findCandidates(read.sentences, read.mentions));
const units = time('knowArticles', () => knowArticles(ordered, registry.entities));
const trace = time('full build (cached units)', () => buildKnowledgeBaseWithTrace({ story: loadStoryMeta(SEED), registry, articles, read: () => units }));
const analysis = { sources: read.sources, sentences: read.sentences, mentions: read.mentions, entities: trace.kb.entities, facts: trace.kb.facts, quotes: trace.kb.quotes };
time('extractEvents', () => extractEvents(analysis));
const claims = time('extractClaims', () => extractClaims(analysis));
time('findConflicts', () => findConflicts(analysis, claims));
time('search', () => createKnowledgeSearch(trace.kb));
console.log(`facts ${trace.kb.facts.length} quotes ${trace.kb.quotes.length} events ${trace.kb.events.length} claims ${trace.kb.claims.length} conflicts ${trace.kb.conflicts.length} candidates ${trace.kb.candidates.length}`);
void mkdirSync; void mkdtempSync; void rmSync; void writeFileSync; void tmpdir;
{
  const { provisionalSpeakers } = await import('../src/knowledge/provisional.js');
  const { corroborate, QUOTE_SIMILARITY_THRESHOLD, FACT_SIMILARITY_THRESHOLD } = await import('../src/knowledge/corroborate.js');
  const sources = units.map((u) => u.source);
  const prov = time('provisional', () => provisionalSpeakers(units.flatMap((u) => u.quotes), sources, new Set(registry.entities.map((e) => e.id))));
  time('corroborate quotes', () => corroborate(prov.quotes, { threshold: QUOTE_SIMILARITY_THRESHOLD, sameSpeaker: true }));
  time('corroborate facts', () => corroborate(units.flatMap((u) => u.facts), { threshold: FACT_SIMILARITY_THRESHOLD, sameSpeaker: false }));
}
