/**
 * `npm run ingest -- <file> --outlet "…" --headline "…" --published YYYY-MM-DD [options]`:
 * adds an article file to a story and prints what the knowledge base found in it.
 * `npm run ingest -- <https://…>` and `npm run ingest -- --feed <url>`: the same from the web
 * (src/feeds/cli.ts). All logic lives in those modules (testable); this file only wires the process.
 */
import { isWebIngest, runWebIngestCli } from '../feeds/cli.js';
import { runIngestCli } from '../knowledge/ingest.js';

const argv = process.argv.slice(2);
const io = {
  out: (text: string) => void process.stdout.write(text),
  err: (text: string) => void process.stderr.write(`${text}\n`),
};
process.exitCode = isWebIngest(argv) ? await runWebIngestCli(argv, io) : runIngestCli(argv, io);
