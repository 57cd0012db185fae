/**
 * `npm start` as a process whose console output is read by something that stops reading
 * (`npm start | head -1`): the console chat ends quietly, like every Unix tool, instead of dying
 * with an EPIPE stack trace.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const work = mkdtempSync(join(tmpdir(), 'dossier-closed-output-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm start with its output closed', () => {
  it('stops the console chat quietly: exit 0, no EPIPE, no stack trace', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH ?? '', DATABASE_PATH: join(work, 'start.sqlite'), CONSOLE: 'on', LOG_FORMAT: 'json', LOG_LEVEL: 'warn' },
    });
    // The reader has gone before the first answer: every write of the chat hits a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdin.end('/who massoud\n/where panjshir\n/claims\n');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|^\s+at /m);
    expect(stderr.split('\n').filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
    expect(code).toBe(0);
  }, 30_000);
});
