/**
 * `node --import tsx --expose-gc --max-semi-space-size=128 bench/alloc-entities.ts [--entities N]`
 *
 * Bytes allocated per name query (`/who`, `/where`, autocomplete): the heap grows between two
 * full collections with a young generation big enough that no collection runs in between.
 * Allocation is what turns into scavenge pauses in the p99.
 */
import { createKnowledgeSearch } from '../src/search/knowledge-search.js';
import { generateStory, Random } from './generator.js';
import { option, quantile } from './measure.js';
import { entityRows } from './search-bench.js';

const entityCount = Number(option('entities', '5000'));
const story = generateStory({ entities: entityCount, facts: 1000, seed: 42 });
const search = createKnowledgeSearch(story.kb);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
for (const { op, variant, queries } of entityRows(search, story.kb.entities, new Random(42 + entityCount), 300)) {
  for (const q of queries) op.answer(q.text);
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  // Per query: heap growth across it; a query during which a collection ran shows a drop and is left out.
  const sizes: number[] = [];
  for (const q of queries) {
    const before = process.memoryUsage().heapUsed;
    op.answer(q.text);
    const grown = process.memoryUsage().heapUsed - before;
    if (grown >= 0) sizes.push(grown);
  }
  const kb = (bytes: number) => Math.round(bytes / 1024);
  console.log(`${op.name.padEnd(12)} ${variant.padEnd(8)} median ${kb(quantile(sizes, 0.5))} KB, p90 ${kb(quantile(sizes, 0.9))} KB per query`);
}
