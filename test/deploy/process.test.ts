/**
 * The compiled bot as an operator runs it: `tsc -p tsconfig.build.json` output started with plain
 * node as a child process, its settings in the environment, the fake Discord as its platform,
 * the console on its standard input, and `/healthz` + `/metrics` on a real port.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord-api.js';
import { chatInputInteraction } from '../fakes/discord-payloads.js';
import { freePort } from '../support/test-tools.js';

const repo = resolve(import.meta.dirname, '../..');

describe('the compiled bot (npm run build)', () => {
  let outDir = '';
  const running: Bot[] = [];

  beforeAll(async () => {
    // Inside the repository (var/ is git-ignored) so the compiled code finds node_modules.
    mkdirSync(join(repo, 'var'), { recursive: true });
    outDir = mkdtempSync(join(repo, 'var', 'test-build-'));
    const tsc = join(repo, 'node_modules/typescript/bin/tsc');
    // `npm run build`'s compiler and settings. --noCheck: its type check is npm test's own (the
    // check step type-checks src with test, bench and eval), and done again here it cost about
    // 10 s of CPU; what only a build can show is checked on the output below.
    try {
      await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir, '--sourceMap', 'false', '--noCheck'], { cwd: repo });
    } catch (error) {
      const { stdout = '' } = error as { stdout?: string };
      throw new Error(`npm run build fails:\n${stdout}`);
    }
  }, 180_000);

  afterAll(() => {
    if (outDir !== '') rmSync(outDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    for (const bot of running.splice(0)) await bot.kill();
  });

  /** Start `node <outDir>/main.js` in a fresh working directory with exactly these settings. */
  function startBot(settings: Record<string, string>): Bot {
    const cwd = mkdtempSync(join(repo, 'var', 'test-cwd-'));
    const child = spawn(process.execPath, [join(outDir, 'main.js')], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...settings },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const bot = new Bot(child, cwd);
    running.push(bot);
    return bot;
  }

  function baseSettings(port: number): Record<string, string> {
    return {
      NODE_ENV: 'production',
      HTTP_PORT: String(port),
      HTTP_HOST: '127.0.0.1',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      DATA_DIR: join(repo, 'data'),
      STORY: 'panjshir',
      // Relative on purpose: it must land in the working directory, not next to dist/.
      DATABASE_PATH: 'state/dossier.sqlite',
      SHUTDOWN_TIMEOUT_MS: '8000',
    };
  }

  it('compiles to code that imports only Node built-ins and production dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const allowed = new Set([...Object.keys(pkg.dependencies), ...builtinModules]);
    const offenders: string[] = [];
    for (const file of walk(outDir).filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const specifier = match[1] ?? match[2] ?? '';
        if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? '');
        if (!allowed.has(name)) offenders.push(`${file.slice(outDir.length + 1)} imports ${specifier}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(existsSync(join(outDir, 'observability/healthcheck.js'))).toBe(true);
    expect(existsSync(join(outDir, 'main.js'))).toBe(true);
  });

  it('compiles src alone into one self-contained tree: a module for each source, every relative import inside it', () => {
    // What a type-checked build refuses (a source importing from outside src, past rootDir) and
    // an unchecked one lets through, writing the outsider's output next to its source.
    const sources = walk(join(repo, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
    const compiled = walk(outDir).filter((f) => f.endsWith('.js'));
    expect(compiled.map((f) => f.slice(outDir.length + 1)).sort()).toEqual(sources.map((f) => f.slice(join(repo, 'src').length + 1).replace(/\.ts$/, '.js')).sort());
    const outside: string[] = [];
    for (const file of compiled) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]*)['"]|import\(\s*['"](\.[^'"]*)['"]\s*\)/g)) {
        const target = resolve(dirname(file), match[1] ?? match[2] ?? '');
        if (!target.startsWith(`${outDir}/`) || !existsSync(target)) outside.push(`${file.slice(outDir.length + 1)} imports ${match[1] ?? match[2]}`);
      }
    }
    expect(outside).toEqual([]);
  });

  describe('started as a process', () => {

    describe('with no platform settings', () => {
      it('is a console bot: answers the lines piped to it on stdout, logs on stderr, and exits 0 at the end of input', async () => {
        // Only where the story is: everything else is the default, as after `npm install && npm start`.
        const bot = startBot({ DATA_DIR: join(repo, 'data'), LOG_FORMAT: 'json' });
        bot.child.stdin.end('/who masood\n/quote mujahid\n');
        expect(await bot.exited(30_000)).toBe(0);
        expect(bot.stdout).toMatch(/^Ahmad (Shah )?Massoud/);
        expect(bot.stdout).toContain('Zabihullah Mujahid');
        expect(bot.stdout).not.toContain('"level"');
        expect(bot.logLines().some((l) => l.msg === 'stopping' && l.reason === 'console closed')).toBe(true);
        expect(existsSync(join(bot.cwd, 'var/dossier.sqlite'))).toBe(true);
      });
    });

    describe('with a bad configuration', () => {
      it('prints one clear message naming the setting and the fix, no stack trace, and exits 78', async () => {
        const bot = startBot({ ...baseSettings(await freePort()), HTTP_PORT: 'eighty' });
        const code = await bot.exited(15_000);
        expect(code).toBe(78);
        expect(bot.stderr).toContain('HTTP_PORT must be a port number from 0 to 65535 (got "eighty")');
        expect(bot.stderr).toContain('.env.example');
        expect(bot.stderr).not.toMatch(/^\s+at /m);
        expect(bot.stdout).toBe('');
      });

      it('names a missing companion setting, and never prints a token', async () => {
        const token = 'MTk4NjIy.process-test-secret.ZnCjm1XVW7';
        const bot = startBot({ ...baseSettings(await freePort()), DISCORD_TOKEN: token });
        expect(await bot.exited(15_000)).toBe(78);
        expect(bot.stderr).toContain('DISCORD_APPLICATION_ID is required when DISCORD_TOKEN is set');
        expect(bot.stderr + bot.stdout).not.toContain('process-test-secret');
      });
    });

    describe('with a good configuration', () => {
      let discord: FakeDiscord;
      beforeAll(async () => {
        discord = await FakeDiscord.start();
      });
      afterAll(async () => {
        await discord.close();
      });

      function goodSettings(port: number): Record<string, string> {
        return {
          ...baseSettings(port),
          CONSOLE: 'on',
          DISCORD_TOKEN: discord.token,
          DISCORD_APPLICATION_ID: discord.applicationId,
          DISCORD_API_URL: discord.apiUrl,
        };
      }

      it('says it is ready on /healthz and counts the commands a user sends on /metrics', async () => {
        const port = await freePort();
        const bot = startBot(goodSettings(port));
        const health = await waitForReady(`http://127.0.0.1:${port}`, bot);
        expect(health).toMatchObject({ status: 'ok', knowledge: { loaded: true }, platforms: { discord: 'connected' } });
        expect(health.knowledge.items).toBeGreaterThan(0);

        // A console command, typed on standard input.
        bot.child.stdin.write('/who massoud\n');
        await waitFor(() => /massoud/i.test(bot.stdout), 10_000, () => `no console reply; stdout:\n${bot.stdout}\nstderr:\n${bot.stderr}`);

        // A Discord slash command, through the fake gateway.
        const id = discord.sendInteraction(chatInputInteraction(discord, { command: 'where', options: { place: 'panjshir' } }));
        await discord.waitForInteractionResponses(id, 1, 10_000);

        const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        expect(metrics).toMatch(/^dossier_commands_total\{platform="console",command="who",outcome="answer"\} 1$/m);
        expect(metrics).toMatch(/^dossier_commands_total\{platform="discord",command="where",outcome="[a-z-]+"\} 1$/m);
        expect(metrics).toMatch(/^dossier_reply_latency_seconds_count\{platform="console"\} 1$/m);
        expect(metrics).toMatch(/^dossier_knowledge_items\{kind="facts"\} [1-9]\d*$/m);
        expect(metrics).toContain('process_resident_memory_bytes');

        // Each command was logged as one JSON line, without the token.
        const commands = bot.logLines().filter((l) => l.event === 'command');
        expect(commands.map((l) => [l.platform, l.command])).toEqual(expect.arrayContaining([['console', 'who'], ['discord', 'where']]));
        expect(bot.stderr).not.toContain(discord.token);

        // Relative DATABASE_PATH resolved against the working directory.
        expect(existsSync(join(bot.cwd, 'state/dossier.sqlite'))).toBe(true);

        bot.child.kill('SIGTERM');
        expect(await bot.exited(15_000)).toBe(0);
      });

      it('on SIGTERM mid-work lets the reply in flight finish, answers it exactly once, and exits 0', async () => {
        const port = await freePort();
        const bot = startBot(goodSettings(port));
        await waitForReady(`http://127.0.0.1:${port}`, bot);

        // Discord makes the bot wait 1 s before it may answer: the reply is in flight meanwhile.
        const payload = chatInputInteraction(discord, { command: 'who', options: { name: 'saleh' } });
        const interactionId = String(payload.id);
        discord.injectError({ method: 'POST', path: new RegExp(`^/interactions/${interactionId}/[^/]+/callback$`), status: 429, retryAfter: 1, times: 1 });
        discord.sendInteraction(payload);
        await discord.waitForRequest((r) => r.status === 429 && r.path.startsWith(`/interactions/${interactionId}/`), 10_000);

        bot.child.kill('SIGTERM');
        const code = await bot.exited(15_000);

        expect(code).toBe(0);
        const answers = discord.interactionResponses.filter((r) => r.interactionId === interactionId);
        expect(answers).toHaveLength(1);
        const logs = bot.logLines();
        expect(logs.filter((l) => l.event === 'command' && l.platform === 'discord')).toHaveLength(1);
        expect(logs.some((l) => l.msg === 'stopped')).toBe(true);
        expect(logs.filter((l) => l.level >= 50)).toEqual([]);
      });

      it('stops the same way on SIGINT (Ctrl-C) and exits 0', async () => {
        const port = await freePort();
        const bot = startBot(goodSettings(port));
        await waitForReady(`http://127.0.0.1:${port}`, bot);
        bot.child.kill('SIGINT');
        expect(await bot.exited(15_000)).toBe(0);
        expect(bot.logLines().some((l) => l.msg === 'stopping' && l.reason === 'SIGINT')).toBe(true);
      });
    });
  });
});

interface LogLine {
  level: number;
  msg?: string;
  event?: string;
  platform?: string;
  command?: string;
  reason?: string;
}

/** A running child process, its output so far, and how it ended. */
class Bot {
  stdout = '';
  stderr = '';
  readonly #exit: Promise<number | null>;

  constructor(
    readonly child: ChildProcessWithoutNullStreams,
    readonly cwd: string,
  ) {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    child.stdin.on('error', () => {}); // the bot may exit before reading what we wrote
    this.#exit = new Promise((resolveExit) => child.once('close', (code) => resolveExit(code)));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The exit code, or a failure with the output when it does not exit in time. */
  async exited(timeoutMs: number): Promise<number | null> {
    const result = await Promise.race([this.#exit, sleep(timeoutMs).then(() => 'timeout' as const)]);
    if (result === 'timeout') throw new Error(`the bot did not exit within ${timeoutMs} ms; stderr:\n${this.stderr}`);
    return result;
  }

  /** stderr parsed as JSON log lines (anything else is skipped). */
  logLines(): LogLine[] {
    return this.stderr.split('\n').flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
  }

  async kill(): Promise<void> {
    if (this.running) {
      this.child.kill('SIGKILL');
      await this.#exit;
    }
    rmSync(this.cwd, { recursive: true, force: true });
  }
}

async function waitFor(predicate: () => boolean, timeoutMs: number, explain: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(explain());
    await sleep(50);
  }
}

interface Health {
  status: string;
  knowledge: { loaded: boolean; items: number };
  platforms: Record<string, string>;
}

async function waitForReady(baseUrl: string, bot: Bot): Promise<Health> {
  const deadline = Date.now() + 30_000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!bot.running) throw new Error(`the bot exited early; stderr:\n${bot.stderr}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      last = `${response.status} ${await response.text()}`;
      if (response.status === 200) return JSON.parse(last.slice(4)) as Health;
    } catch (error) {
      last = String(error);
    }
    await sleep(100);
  }
  throw new Error(`/healthz never said ready; last answer: ${last}\nstderr:\n${bot.stderr}`);
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
