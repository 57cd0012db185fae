/**
 * `npm run ask`: the bot from a shell, one message per argument or per line of standard input,
 * as text or as JSON lines, with no platform and no token.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const work = mkdtempSync(join(tmpdir(), 'dossier-ask-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `tsx src/cli/ask.ts` as npm run ask does, with only these settings. */
function ask(args: string[], stdin = '', settings: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/ask.ts', ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_PATH: join(work, 'ask.sqlite'), LOG_FORMAT: 'json', ...settings },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

interface JsonReply {
  title: string;
  text: string;
  reply: { kind: string; citations: Array<{ outlet: string; date: string }> };
}

const parse = (stdout: string): JsonReply[] => stdout.trim().split('\n').map((line) => JSON.parse(line) as JsonReply);

describe('npm run ask', () => {
  it('answers the story questions of the issue from the seed articles, each citing them', async () => {
    const questions = ['/who massoud', '/who masood', '/where panjshir', '/where panjsher', '/quote saleh', '/quote mujahid', '/sources'];
    const run = await ask(['--json', ...questions]);
    expect(run.code).toBe(0);
    const replies = parse(run.stdout);
    expect(replies).toHaveLength(questions.length);
    const [who, whoTypo, where, whereTypo, saleh, mujahid, sources] = replies;
    expect(who?.title).toMatch(/Massoud/);
    expect(whoTypo?.title).toBe(who?.title);
    expect(where?.title).toMatch(/^Panjshir/);
    expect(whereTypo?.title).toBe(where?.title);
    expect(saleh?.title).toMatch(/Amrullah Saleh/);
    expect(mujahid?.title).toMatch(/Zabihullah Mujahid/);
    expect(sources?.text).toMatch(/G1 \(Globo\)/);
    expect(sources?.text).toMatch(/TheJournal\.ie/);
    for (const r of replies) {
      expect(r.reply.kind).toBe('answer');
      expect(r.reply.citations.length).toBeGreaterThan(0);
      expect(r.text.startsWith(r.title)).toBe(true);
    }
    // Replies go to stdout; warnings and below stay off stderr unless LOG_LEVEL asks for them.
    expect(run.stderr.split('\n').filter((l) => l.startsWith('{'))).toEqual([]);
  }, 30_000);

  it('reads one message per line from standard input when given none', async () => {
    const run = await ask([], '/where bazarak\n\nwho is saleh?\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Bazarak/);
    expect(run.stdout).toContain('Amrullah Saleh');
  }, 30_000);

  it('logs at the LOG_LEVEL an operator sets, on stderr, keeping stdout for the answer', async () => {
    const run = await ask(['/sources'], '', { LOG_LEVEL: 'info' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Sources|G1 \(Globo\)/m);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg?: string });
    expect(lines.map((l) => l.msg)).toContain('knowledge base loaded');
    expect(run.stdout).not.toContain('knowledge base loaded');
  }, 30_000);

  it('explains an unknown option with the usage and exits 64', async () => {
    const run = await ask(['--jsno', '/who massoud']);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('Unknown option "--jsno"');
    expect(run.stderr).toContain('Usage: npm run ask');
    expect(run.stdout).toBe('');
  }, 30_000);

  it('a bad setting stops it with the same clear message as npm start', async () => {
    const child = await new Promise<Run>((resolve) => {
      const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli/ask.ts', '/who massoud'], {
        env: { PATH: process.env.PATH ?? '', STORY: '../etc' },
      });
      let stdout = '';
      let stderr = '';
      p.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      p.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      p.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(child.code).toBe(78);
    expect(child.stderr).toContain('STORY must be a story folder name');
    expect(child.stderr).not.toMatch(/^\s+at /m);
  }, 30_000);
});
