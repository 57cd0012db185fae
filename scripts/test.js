#!/usr/bin/env node
/**
 * `npm test`: every check and every test, in one command, three processes at once:
 *
 *   - the fleet tests (vitest's `fleet` project: several bot processes whose sends are counted
 *     per second against the platforms' limits) at normal priority: what they judge is the bot's
 *     pacing, so they get the CPU first whenever they want it;
 *   - the bulk of the tests (vitest's `suite` project) a little behind them (nice 5): most of
 *     their time is waiting on child processes and sockets, and the fleet's is waiting on paced
 *     sends, so the two overlap on two cores;
 *   - the type check and lint (scripts/check.js, one CPU-bound process) at the lowest priority
 *     (nice 19), on whatever CPU the tests leave idle.
 *
 * Run one after the other, the same work took about 3 minutes on two cores while using less than
 * one of them on average (docs/development.md, "Testing").
 *
 * Arguments go to both vitest runs (`npm test -- --reporter=verbose`). Exits non-zero when
 * anything failed; everything still runs when one part failed, so one run reports everything.
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
  const child = spawn(process.execPath, argv, { cwd: root, stdio: options.stdio ?? 'inherit', env: { ...process.env, ...options.env } });
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
// The check's and the fleet's reports are short or late: each is printed in one piece when it
// ends, not into the suite's live output. Each vitest run compiles the code its child processes
// start into a folder of its own (test/support/compiled.ts).
const check = run([join(root, 'scripts', 'check.js')], { stdio: ['ignore', 'pipe', 'pipe'], nice: 19 });
// --passWithNoTests: `npm test -- test/cli` may name files of one project only.
const fleet = run([vitest, 'run', '--project', 'fleet', '--passWithNoTests', ...args], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { DOSSIER_TEST_JS_NAME: 'test-js-fleet' },
});
const suite = await run([vitest, 'run', '--project', 'suite', '--passWithNoTests', ...args], { nice: 5, env: { DOSSIER_TEST_JS_NAME: 'test-js-suite' } });
const fleetRun = await fleet;
process.stdout.write(`\n${fleetRun.output}`);
const checked = await check;
process.stdout.write(`\n${checked.output}`);

const failed = [
  ...(checked.code === 0 ? [] : ['type check or lint']),
  ...(suite.code === 0 ? [] : ['tests']),
  ...(fleetRun.code === 0 ? [] : ['fleet tests']),
];
const seconds = Math.round((Date.now() - started) / 1000);
process.stdout.write(`\nnpm test: ${failed.length === 0 ? 'all passed' : `FAILED: ${failed.join(', ')}`} in ${Math.floor(seconds / 60)} min ${seconds % 60} s\n`);
process.exitCode = failed.length === 0 ? 0 : 1;
