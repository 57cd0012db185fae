/**
 * The search section of the benchmark: builds synthetic stories of growing size, indexes them
 * with the real `src/search` code, and measures `/who`, `/where`, autocomplete and `/search`
 * against plain fuse.js over the same data.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Entity, EntityType, KnowledgeBase } from '../src/knowledge/model.js';
import { createKnowledgeSearch, type IndexedKnowledgeSearch } from '../src/search/knowledge-search.js';
import type { EntityResolution } from '../src/search/types.js';
import { plainEntityFuse, plainFactFuse } from './baseline.js';
import { generateStory, Random, transliterate, withTypos, type GeneratedStory } from './generator.js';
import { memoryAfterGc, quantile, round, timed } from './measure.js';
import type { BenchOptions, BenchRow, BenchSection } from './sections.js';

export interface SearchBenchSize {
  entities: number;
  facts: number;
  /** Queries per operation and variant for our search. */
  queries: number;
  /** Time the baseline may spend per row before it stops sampling (at least one query runs). */
  baselineBudgetMs: number;
  /** Skip the plain fuse.js baseline for `/search` rows other than `exact` (it takes ~a minute per query). */
  baselineSearchExactOnly?: boolean;
  /** Measure start-up from a knowledge-base file (skipped when the JSON would be huge). */
  startup: boolean;
}

export const FULL_SIZES: SearchBenchSize[] = [
  { entities: 300, facts: 10_000, queries: 300, baselineBudgetMs: 3_000, startup: true },
  { entities: 5_000, facts: 100_000, queries: 300, baselineBudgetMs: 4_000, startup: true },
  { entities: 50_000, facts: 1_000_000, queries: 200, baselineBudgetMs: 4_000, baselineSearchExactOnly: true, startup: false },
];
export const QUICK_SIZES: SearchBenchSize[] = [FULL_SIZES[1] as SearchBenchSize];
export const TINY_SIZES: SearchBenchSize[] = [{ entities: 120, facts: 1_500, queries: 12, baselineBudgetMs: 200, startup: true }];

export type Variant = 'exact' | 'typo1' | 'typo2' | 'translit';
export const VARIANTS: Variant[] = ['exact', 'typo1', 'typo2', 'translit'];
const WARM_UP_QUERIES = 20;

interface BenchQuery {
  text: string;
  target: string;
}

/** A query for an entity's label in the given variant, or undefined when the variant does not apply. */
function nameQuery(entity: Entity, variant: Variant, random: Random): string | undefined {
  switch (variant) {
    case 'exact':
      return entity.label;
    case 'typo1':
      return withTypos(entity.label, 1, random);
    case 'typo2':
      return withTypos(entity.label, 2, random);
    case 'translit':
      return transliterate(entity.label, random);
  }
}

export function entityQueries(entities: readonly Entity[], types: readonly EntityType[], variant: Variant, count: number, random: Random, prefix = false): BenchQuery[] {
  const pool = entities.filter((e) => types.includes(e.type));
  const out: BenchQuery[] = [];
  for (let attempts = 0; out.length < count && attempts < count * 20; attempts++) {
    const target = random.pick(pool);
    let text = nameQuery(target, variant, random);
    if (!text) continue;
    if (prefix) text = text.slice(0, Math.max(4, Math.ceil(text.length * 0.7)));
    out.push({ text, target: target.id });
  }
  return out;
}

function factQueries(story: GeneratedStory, variant: Variant, count: number, random: Random): BenchQuery[] {
  const out: BenchQuery[] = [];
  const facts = story.kb.facts;
  for (let attempts = 0; out.length < count && attempts < count * 20; attempts++) {
    const i = random.int(facts.length);
    const [rare1, rare2, surname] = story.factKeywords[i] as [string, string, string, string];
    let words = [surname, rare1, rare2];
    if (variant === 'typo1') words = [surname, withTypos(rare1, 1, random), rare2];
    if (variant === 'typo2') words = [surname, withTypos(rare1, 1, random), withTypos(rare2, 1, random)];
    if (variant === 'translit') {
      const variantSurname = transliterate(surname, random);
      if (!variantSurname) continue;
      words = [variantSurname, rare1, rare2];
    }
    out.push({ text: words.join(' '), target: (facts[i] as { id: string }).id });
  }
  return out;
}

interface RunResult {
  latencies: number[];
  hit1: number;
  hit10: number;
  ran: number;
}

/** Runs queries one by one, timing each; stops early when the time budget is spent. */
function runQueries(queries: readonly BenchQuery[], answer: (q: string) => string[], budgetMs = Infinity): RunResult {
  const latencies: number[] = [];
  let hit1 = 0;
  let hit10 = 0;
  const started = performance.now();
  for (const query of queries) {
    const { result, ms } = timed(() => answer(query.text));
    latencies.push(ms);
    if (result[0] === query.target) hit1++;
    if (result.slice(0, 10).includes(query.target)) hit10++;
    if (performance.now() - started > budgetMs) break;
  }
  const ran = latencies.length;
  return { latencies, hit1: ran ? hit1 / ran : 0, hit10: ran ? hit10 / ran : 0, ran };
}

export function resolutionIds(resolution: EntityResolution): string[] {
  switch (resolution.kind) {
    case 'found':
      return [resolution.hit.entity.id, ...resolution.others.map((h) => h.entity.id)];
    case 'ambiguous':
      return resolution.hits.map((h) => h.entity.id);
    case 'none':
      return resolution.suggestions.map((h) => h.entity.id);
  }
}

/**
 * The name-lookup operations the bench measures, as the commands call the search: `operation`
 * names the table row, `name` is its `--ops` word, and `listed` is how many names plain fuse.js
 * returns for the same job (enough for hit@10; autocomplete's full list).
 */
export function entityOperations(search: IndexedKnowledgeSearch) {
  const who: EntityType[] = ['person', 'organisation'];
  const where: EntityType[] = ['place'];
  const autocompleteLimit = 25;
  return [
    { operation: '/who', name: 'who', types: who, prefix: false, listed: 10, answer: (q: string) => resolutionIds(search.resolveEntity(q, { prefer: who })) },
    { operation: '/where', name: 'where', types: where, prefix: false, listed: 10, answer: (q: string) => resolutionIds(search.resolveEntity(q, { prefer: where })) },
    {
      operation: 'autocomplete',
      name: 'autocomplete',
      types: [...who, ...where],
      prefix: true,
      listed: autocompleteLimit,
      answer: (q: string) => search.suggestEntities(q, { limit: autocompleteLimit }).map((h) => h.entity.id),
    },
  ];
}

/**
 * The bench's name-lookup rows in its order (per operation, per variant) with `count` queries
 * each, drawn from `random` as the bench draws them: a script given the bench's seed
 * (`seed + entities`) reruns the bench's own queries, row for row.
 */
export function* entityRows(search: IndexedKnowledgeSearch, entities: readonly Entity[], random: Random, count: number) {
  for (const op of entityOperations(search)) {
    for (const variant of VARIANTS) yield { op, variant, queries: entityQueries(entities, op.types, variant, count, random, op.prefix) };
  }
}

function idsOf(fuse: { search(q: string, o: { limit: number }): Array<{ item: { id: string } }> }, limit: number): (q: string) => string[] {
  return (q) => fuse.search(q, { limit }).map((r) => r.item.id);
}

function warmUp(queries: readonly BenchQuery[], answer: (q: string) => string[]): void {
  for (const q of queries.slice(0, WARM_UP_QUERIES)) answer(q.text);
}

function queryRow(base: BenchRow, ours: RunResult, baseline: RunResult | undefined, note?: string): BenchRow {
  const row: BenchRow = {
    ...base,
    queries: ours.ran,
    p50Ms: round(quantile(ours.latencies, 0.5)),
    p99Ms: round(quantile(ours.latencies, 0.99)),
    hit1: round(ours.hit1),
    hit10: round(ours.hit10),
  };
  if (baseline) {
    row.baselineP50Ms = round(quantile(baseline.latencies, 0.5));
    row.baselineP99Ms = round(quantile(baseline.latencies, 0.99));
    row.baselineHit1 = round(baseline.hit1);
    row.baselineHit10 = round(baseline.hit10);
    row.baselineQueries = baseline.ran;
    row.speedupP50 = round((row.baselineP50Ms as number) / Math.max(1e-6, row.p50Ms as number), 1);
    if (baseline.ran < ours.ran) row.note = `baseline sampled ${baseline.ran}/${ours.ran} queries`;
  }
  if (note) row.note = row.note ? `${row.note}; ${note}` : note;
  return row;
}

/** Start-up: read a knowledge-base file, parse it and build every index (what the bot does at boot). */
function measureStartup(kb: KnowledgeBase): { ms: number; bytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-bench-'));
  try {
    const file = join(dir, 'kb.json');
    writeFileSync(file, JSON.stringify(kb));
    const { ms, result } = timed(() => {
      const text = readFileSync(file, 'utf8');
      createKnowledgeSearch(JSON.parse(text) as KnowledgeBase);
      return text.length;
    });
    return { ms, bytes: result };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Adds one generated article (40 facts, a new person) and times until a query finds its first fact. */
function measureAddArticle(search: IndexedKnowledgeSearch, story: GeneratedStory): { addMs: number; visibleMs: number; found: boolean } {
  const article = story.nextArticle(1);
  const first = article.facts[0];
  const { ms: addMs } = timed(() => search.add(article));
  const probe = first?.text ?? '';
  const { ms: queryMs, result } = timed(() => search.searchFacts(probe, { limit: 10 }));
  const person = article.entities[0];
  const foundPerson = person ? search.resolveEntity(person.label).kind !== 'none' : true;
  return { addMs, visibleMs: addMs + queryMs, found: foundPerson && result.some((h) => h.fact.id === first?.id) };
}

async function benchSize(size: SearchBenchSize, options: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const shape = { section: 'search', entities: size.entities, facts: size.facts };
  options.log(`search: generating ${size.entities} entities / ${size.facts} facts…`);
  const story = generateStory({ entities: size.entities, facts: size.facts, seed: options.seed });
  const before = memoryAfterGc();
  options.log('search: building indexes…');
  const { result: search, ms: buildMs } = timed(() => createKnowledgeSearch(story.kb));
  const after = memoryAfterGc();
  const stats = search.stats();
  rows.push({
    ...shape,
    operation: 'build',
    buildMs: round(buildMs, 0),
    heapMb: after.heapMb,
    rssMb: after.rssMb,
    indexHeapMb: round(after.heapMb - before.heapMb, 1),
    note: `${stats.names} names, ${stats.factVocabulary} words, ${round(stats.factPostingBytes / 1048576, 1)} MB postings`,
  });
  if (size.startup) {
    options.log('search: measuring start-up…');
    const startup = measureStartup(story.kb);
    rows.push({ ...shape, operation: 'startup', p50Ms: round(startup.ms, 0), note: `read + parse ${round(startup.bytes / 1048576, 1)} MB knowledge base, build indexes (no snapshot)` });
  }

  const random = new Random(options.seed + size.entities);
  const entities = story.kb.entities;
  const operations: Array<{
    operation: string;
    queries: (variant: Variant) => BenchQuery[];
    ours: (q: string) => string[];
    baseline: () => (q: string) => string[];
  }> = [
    ...entityOperations(search).map((op) => ({
      operation: op.operation,
      queries: (v: Variant) => entityQueries(entities, op.types, v, size.queries, random, op.prefix),
      ours: op.answer,
      baseline: () => idsOf(plainEntityFuse(entities, op.types), op.listed),
    })),
    {
      operation: '/search',
      queries: (v) => factQueries(story, v, size.queries, random),
      ours: (q) => search.searchFacts(q, { limit: 10 }).map((h) => h.fact.id),
      baseline: () => idsOf(plainFactFuse(story.kb.facts), 10),
    },
  ];

  for (const op of operations) {
    if (options.ops && !options.ops.includes(op.operation.replace(/^\//, ''))) continue;
    options.log(`search: ${op.operation} — building the plain fuse.js baseline…`);
    const { result: baseline, ms: baselineBuildMs } = options.noBaseline ? { result: undefined, ms: 0 } : timed(op.baseline);
    for (const variant of VARIANTS) {
      const queries = op.queries(variant);
      if (queries.length === 0) continue;
      warmUp(queries, op.ours);
      // Collect the garbage of earlier rows (the baseline's build, its queries) first, so each
      // row measures its own queries and not another's cleanup.
      memoryAfterGc();
      const ours = runQueries(queries, op.ours);
      const skipBaseline = op.operation === '/search' && size.baselineSearchExactOnly && variant !== 'exact';
      let base: RunResult | undefined;
      if (!skipBaseline && baseline) {
        const answer = baseline;
        answer(queries[0]?.text ?? '');
        memoryAfterGc();
        base = runQueries(queries, answer, size.baselineBudgetMs);
      }
      const row = queryRow({ ...shape, operation: op.operation, variant }, ours, base, skipBaseline ? 'baseline skipped: plain fuse.js needs about a minute per query at this size' : undefined);
      if (variant === 'exact' && baseline) row.baselineBuildMs = round(baselineBuildMs, 0);
      rows.push(row);
      options.log(`search: ${op.operation} ${variant}: p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, hit@1 ${row.hit1}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  options.log('search: adding one article…');
  const added = measureAddArticle(search, story);
  rows.push({ ...shape, operation: 'add-article', p50Ms: round(added.visibleMs, 1), note: `40 facts + 1 entity; add ${round(added.addMs, 1)} ms; ${added.found ? 'visible to the next query' : 'NOT FOUND by the next query'}` });
  return rows;
}

/** The `--ops` words of the search section. */
const SEARCH_OPERATIONS = ['who', 'where', 'autocomplete', 'search'];

/** Runs every size the options ask for; a size or operation it does not have is an error, not an empty run. */
export async function runSearchBench(options: BenchOptions): Promise<BenchRow[]> {
  const unknownOp = options.ops?.find((op) => !SEARCH_OPERATIONS.includes(op));
  if (unknownOp !== undefined) throw new Error(`No search operation "${unknownOp}". Operations: ${SEARCH_OPERATIONS.join(', ')}`);
  const available = options.tiny ? TINY_SIZES : options.quick ? QUICK_SIZES : FULL_SIZES;
  const unknownSize = options.sizes?.find((n) => !available.some((s) => s.entities === n));
  if (unknownSize !== undefined) throw new Error(`No search size of ${unknownSize} entities in this run. Sizes: ${available.map((s) => s.entities).join(', ')}`);
  const sizes = available.filter((s) => !options.sizes || options.sizes.includes(s.entities));
  const rows: BenchRow[] = [];
  for (const size of sizes) rows.push(...(await benchSize(size, options)));
  return rows;
}

export const searchSection: BenchSection = { name: 'search', run: runSearchBench };
