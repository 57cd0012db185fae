/**
 * `node --import tsx --expose-gc --max-semi-space-size=128 bench/alloc-entities.ts [--entities N]`
 *
 * Bytes allocated per name query (`/who`, `/where`, autocomplete): the heap grows between two
 * full collections with a young generation big enough that no collection runs in between.
 * Allocation is what turns into scavenge pauses in the p99.
 */
import { createKnowledgeSearch } from '../src/search/knowledge-search.js';
import { generateStory, Random } from './generator.js';
import { entityOperations, entityQueries, VARIANTS } from './search-bench.js';

const at = process.argv.indexOf('--entities');
const entityCount = at >= 0 ? Number(process.argv[at + 1]) : 5000;
const story = generateStory({ entities: entityCount, facts: 1000, seed: 42 });
const search = createKnowledgeSearch(story.kb);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const random = new Random(42 + entityCount);
const operations = entityOperations(search);
for (const op of operations) {
  for (const variant of VARIANTS) {
    const queries = entityQueries(story.kb.entities, op.types, variant, 300, random, op.prefix);
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
    sizes.sort((a, b) => a - b);
    const kb = (n: number | undefined) => Math.round((n ?? 0) / 1024);
    console.log(`${op.name.padEnd(12)} ${variant.padEnd(8)} median ${kb(sizes[Math.floor(sizes.length / 2)])} KB, p90 ${kb(sizes[Math.floor(sizes.length * 0.9)])} KB per query`);
  }
}
