/**
 * `dossier ask` (`npx dossier ask`, `npm run -s ask`): the bot from a shell, one message per
 * argument or per line of standard input, as text or as JSON lines, with no platform and no
 * token. Run as a process: the program itself (compiled once per test run, see
 * test/support/compiled.ts), and, as a user runs it, through the project's `bin` and tsx —
 * `npx dossier ask` and a bad setting.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compiled } from '../support/compiled.js';

const work = mkdtempSync(join(tmpdir(), 'dossier-ask-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `dossier ask`'s program (what `npx dossier ask` runs through bin/dossier.js), with only these settings. */
function ask(args: string[], stdin = '', settings: Record<string, string> = {}, options: { closeOutput?: boolean } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [compiled('src/cli/ask.ts'), ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_PATH: join(work, 'ask.sqlite'), LOG_FORMAT: 'json', ...settings },
    });
    // The reader goes away before the first answer: every write the program makes hits a closed pipe.
    if (options.closeOutput === true) child.stdout.destroy();
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
  input: string;
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
      // /sources is the list of sources itself: its lines link the articles, nothing cites them twice.
      if (r.input !== '/sources') expect(r.reply.citations.length).toBeGreaterThan(0);
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
    expect(run.stderr).toContain('Usage: dossier ask');
    expect(run.stderr).toContain('put -- before it');
    expect(run.stdout).toBe('');
  }, 30_000);

  it('--json pairs every line of standard input with exactly one line naming it: blank lines too, a \\r inside a message splits nothing', async () => {
    const run = await ask(['--json'], '/who massoud\n\n   \n/who\rmassoud\r\n/sources');
    expect(run.code).toBe(0);
    const replies = parse(run.stdout);
    expect(replies.map((r) => r.input)).toEqual(['/who massoud', '', '   ', '/who\rmassoud', '/sources']);
    expect(replies[1]?.title).toBe('I did not catch a question there.');
    expect(replies[3]?.title).toBe(replies[0]?.title);
  }, 30_000);

  it('-- ends the options, and everything after the first message is a message, even "-h"', async () => {
    const run = await ask(['--json', '--', '-h', '/sources', '--who', '--json']);
    expect(run.code).toBe(0);
    expect(parse(run.stdout).map((r) => r.input)).toEqual(['-h', '/sources', '--who', '--json']);
    const after = await ask(['/sources', '-h']);
    expect(after.code).toBe(0);
    expect(after.stdout).not.toContain('Usage:');
  }, 30_000);

  it('ends quietly, exit 0 and no stack trace, when the reader of its output has gone (| head -1)', async () => {
    const run = await ask(['/who massoud', '/where panjshir', '/claims'], '', {}, { closeOutput: true });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  }, 30_000);

  it('npx dossier ask --json prints only the answers: a script can parse standard output as it is', async () => {
    const script = `npx --no dossier ask --json "/sources" "/who saleh" | node -e 'let s="";process.stdin.on("data",(c)=>s+=c).on("end",()=>{const r=s.trim().split("\\n").map((l)=>JSON.parse(l));process.stdout.write(r.map((x)=>x.input+" => "+x.title).join("|"))})'`;
    const run = await new Promise<Run>((resolve, reject) => {
      const child = spawn('sh', ['-c', script], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? work, DATABASE_PATH: join(work, 'npx.sqlite'), npm_config_update_notifier: 'false' } });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\/sources => Sources: .+\|\/who saleh => Amrullah Saleh/);
  }, 30_000);

  it('a bad setting stops it with the same clear message as npm start', async () => {
    const child = await new Promise<Run>((resolve) => {
      const p = spawn(process.execPath, ['bin/dossier.js', 'ask', '/who massoud'], {
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
