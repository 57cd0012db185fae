#!/usr/bin/env node
/**
 * `npm test`: every check and every test, in one command.
 *
 *   - the bulk of the tests (vitest's `suite` project), then the fleet tests alone (its `fleet`
 *     project: several bot processes counted per second against the platforms' limits, which
 *     must judge the bot, not a busy machine);
 *   - all the while, the type check and lint (scripts/check.js, one CPU-bound process) at the
 *     lowest priority (nice 19): it runs on the CPU the tests leave idle while they wait on
 *     child processes, sockets and paced sends, and yields it whenever a test process wakes up.
 *     Before, it ran first, alone, for 20–40 s on one of the two cores.
 *
 * Arguments go to both vitest runs (`npm test -- --reporter=verbose`). Exits non-zero when
 * anything failed; the fleet still runs when the check or the suite failed, so one run reports
 * everything.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const args = process.argv.slice(2);

/** Run node with `argv`; resolves with its exit code (1 for a signal). */
async function run(argv, options = {}) {
  const child = spawn(process.execPath, argv, { cwd: root, stdio: options.stdio ?? 'inherit' });
  if (options.nice !== undefined && child.pid !== undefined) {
    try {
      setPriority(child.pid, options.nice);
    } catch {
      // Not allowed here: the check then runs at normal priority, which is only slower.
    }
  }
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  const [code] = await once(child, 'close');
  return { code: code ?? 1, output };
}

const started = Date.now();
// The check's report is short: it is printed in one piece when it ends, not into vitest's.
const check = run([join(root, 'scripts', 'check.js')], { stdio: ['ignore', 'pipe', 'pipe'], nice: 19 });
// --passWithNoTests: `npm test -- test/cli` may name files of one project only.
const suite = await run([vitest, 'run', '--project', 'suite', '--passWithNoTests', ...args]);
const fleet = await run([vitest, 'run', '--project', 'fleet', '--passWithNoTests', ...args]);
const checked = await check;
process.stdout.write(`\n${checked.output}`);

const failed = [
  ...(checked.code === 0 ? [] : ['type check or lint']),
  ...(suite.code === 0 ? [] : ['tests']),
  ...(fleet.code === 0 ? [] : ['fleet tests']),
];
const seconds = Math.round((Date.now() - started) / 1000);
process.stdout.write(`\nnpm test: ${failed.length === 0 ? 'all passed' : `FAILED: ${failed.join(', ')}`} in ${Math.floor(seconds / 60)} min ${seconds % 60} s\n`);
process.exitCode = failed.length === 0 ? 0 : 1;
