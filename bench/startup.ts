/**
 * `npm run bench:startup [-- --runs N] [-- --command "npm start"]`: time from starting the bot
 * to its first console prompt, as a person at a terminal sees it.
 *
 * The bot runs under a pseudo-terminal (util-linux `script`), so it greets and prompts exactly as
 * in a terminal; the time is taken when the prompt after the greeting arrives, then the chat is
 * closed. The first run warms the disk cache and tsx's transform cache and is not counted.
 * Uses a throw-away database so that nothing of the user's state is touched.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GREETING_END = '/quit leaves.';

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

/** Seconds from spawn to the first prompt after the greeting. */
function timeToPrompt(command: string, databasePath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, DATABASE_PATH: databasePath, CONSOLE: 'on' } });
    let output = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`no prompt within 60 s; output so far: ${output.slice(0, 300)}`)), 60_000);
    function finish(result: number | Error): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.stdin.end('/quit\n');
      child.kill('SIGTERM');
      if (result instanceof Error) reject(result);
      else resolve(result);
    }
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const greeting = output.indexOf(GREETING_END);
      if (greeting >= 0 && output.indexOf('> ', greeting) >= 0) finish((performance.now() - started) / 1000);
    });
    child.on('error', (error) => finish(error));
  });
}

const runs = Number(argument('--runs', '5'));
const command = argument('--command', `${process.execPath} --import tsx src/main.ts`);
const dir = mkdtempSync(join(tmpdir(), 'dossier-startup-'));
try {
  await timeToPrompt(command, join(dir, 'warm-up.sqlite'));
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) times.push(await timeToPrompt(command, join(dir, `run-${i}.sqlite`)));
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
  const [load1 = 0] = (await import('node:os')).loadavg();
  process.stdout.write(
    `${command}: first prompt after ${median.toFixed(2)} s (median of ${runs} warm runs; ${times.map((t) => t.toFixed(2)).join(', ')}) — load average ${load1.toFixed(1)}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
