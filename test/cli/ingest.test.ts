/**
 * `npm run ingest` as a process: the wiring of arguments, output streams and exit code around
 * runIngestCli (whose behaviour test/knowledge/ingest.test.ts specifies in full).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compiled } from '../support/compiled.js';

const work = mkdtempSync(join(tmpdir(), 'dossier-ingest-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const dataDir = join(work, 'data');
cpSync('data', dataDir, { recursive: true });
const FIXTURE = 'test/fixtures/articles/kabul-dispatch-2021-08-25.txt';

function ingest(args: string[]) {
  return spawnSync(process.execPath, [compiled('src/cli/ingest.ts'), ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
}

describe('npm run ingest', () => {
  it('adds an article, prints its review report on stdout and exits 0', () => {
    const run = ingest([FIXTURE, '--outlet', 'Kabul Dispatch', '--headline', 'Resistance holds Panjshir', '--published', '2021-08-25']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/quote/i);
    expect(readdirSync(join(dataDir, 'stories/panjshir/articles')).filter((n) => n.startsWith('004_'))).toHaveLength(2);
  }, 30_000);

  it('refuses a missing file on stderr with a message and no stack trace, exiting non-zero', () => {
    const run = ingest(['no-such-file.txt', '--outlet', 'X', '--headline', 'Y', '--published', '2021-08-25']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/no-such-file\.txt/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).toBe('');
  }, 30_000);
});
