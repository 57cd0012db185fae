/**
 * `npm run ingest -- <file> --outlet "…" --headline "…" --published YYYY-MM-DD [options]`:
 * adds an article to a story and prints what the knowledge base found in it.
 * All logic lives in src/knowledge/ingest.ts (testable); this file only wires the process.
 */
import { runIngestCli } from '../knowledge/ingest.js';

process.exitCode = runIngestCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(`${text}\n`),
});
