/**
 * `npm run eval [-- --detail] [-- --only <slug>]`: builds the seed story with every corpus
 * report added, scores it against the readers' expectations and prints the table.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { CORPUS_DIR, loadCorpus } from './corpus.js';
import { evaluate } from './evaluate.js';
import { formatTable, rates } from './table.js';

const { values } = parseArgs({
  options: {
    detail: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
    uncommitted: { type: 'boolean', default: false },
  },
});

/**
 * Reports are scored only once committed: the corpus's expectations must be in the history
 * before the pipeline is run on them (`--uncommitted` scores a report still being written).
 */
function committed(): Set<string> | undefined {
  try {
    const files = execFileSync('git', ['ls-files', '.'], { cwd: CORPUS_DIR, encoding: 'utf8' });
    return new Set(files.split('\n').filter((f) => f.endsWith('.expected.yaml')).map((f) => f.slice(0, -'.expected.yaml'.length)));
  } catch {
    return undefined;
  }
}

const tracked = values.uncommitted ? undefined : committed();
const reports = loadCorpus().filter((r) => !tracked || tracked.has(r.slug));
const { reports: scores, total } = evaluate(reports);
const shown = values.only ? scores.filter((r) => values.only?.some((o) => r.slug.startsWith(o))) : scores;
console.log(`Evaluation over ${reports.length} corpus reports (added to the seed story, built by the real pipeline)\n`);
console.log(formatTable(shown, total));
console.log('');
for (const line of rates(total)) console.log(line);
if (values.detail) {
  for (const r of shown) {
    if (r.notes.length === 0) continue;
    console.log(`\n## ${r.slug}`);
    for (const n of r.notes) console.log(`  ${n}`);
  }
}
