/**
 * `npx tsx --expose-gc bench/profile-entities.ts [--entities N] [--facts N] [--ops who,where,autocomplete] [--repeat N]`
 *
 * Where the name-lookup tail goes: runs the benchmark's `/who`, `/where` and autocomplete
 * queries, each once cold and then `repeat` more times, and prints per row the p50/p99 of the
 * first run and of each query's fastest run, plus the slowest queries. A query slow in every
 * run is slow by itself (too many candidates); one slow only once paid for GC or a noisy core.
 */
import { performance } from 'node:perf_hooks';
import { createKnowledgeSearch } from '../src/search/knowledge-search.js';
import { generateStory, Random } from './generator.js';
import { memoryAfterGc, option, quantile, round } from './measure.js';
import { entityRows } from './search-bench.js';

const entityCount = Number(option('entities', '5000'));
const factCount = Number(option('facts', String(entityCount * 20)));
const ops = option('ops', 'who,where,autocomplete').split(',');
const repeat = Number(option('repeat', '4'));
const seed = Number(option('seed', '42'));
const queriesPerRow = entityCount >= 50_000 ? 200 : 300;

const story = generateStory({ entities: entityCount, facts: factCount, seed });
const search = createKnowledgeSearch(story.kb);
memoryAfterGc();
// The bench's seed and query order, so the rows match its rows.
for (const { op, variant, queries } of entityRows(search, story.kb.entities, new Random(seed + entityCount), queriesPerRow)) {
  if (!ops.includes(op.name)) continue;
  for (const q of queries.slice(0, 20)) op.answer(q.text);
  memoryAfterGc();
  const first: number[] = [];
  const best: number[] = [];
  let hit1 = 0;
  for (const q of queries) {
    let min = Infinity;
    for (let r = 0; r <= repeat; r++) {
      const start = performance.now();
      const ids = op.answer(q.text);
      const ms = performance.now() - start;
      if (r === 0) {
        first.push(ms);
        if (ids[0] === q.target) hit1++;
      }
      min = Math.min(min, ms);
    }
    best.push(min);
  }
  const slowest = queries
    .map((q, i) => ({ q: q.text, first: round(first[i] as number, 2), best: round(best[i] as number, 2) }))
    .sort((a, b) => b.best - a.best)
    .slice(0, 4);
  console.log(
    `${op.name.padEnd(12)} ${variant.padEnd(8)} first p50 ${round(quantile(first, 0.5), 3)} p99 ${round(quantile(first, 0.99), 3)} | best p50 ${round(quantile(best, 0.5), 3)} p99 ${round(quantile(best, 0.99), 3)} | hit@1 ${round(hit1 / queries.length, 3)}`,
  );
  console.log(`   slowest: ${slowest.map((s) => `${JSON.stringify(s.q)} ${s.best}/${s.first}`).join('  ')}`);
}
