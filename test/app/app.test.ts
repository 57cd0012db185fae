/**
 * The running bot as `npm start` composes it, in-process: which platforms the settings switch
 * on, digests reaching every kind of chat, health, start-up errors an operator can act on, and
 * the graceful stop. Platforms are the fake Telegram and Discord servers on 127.0.0.1.
 */
import { EventEmitter } from 'node:events';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { consoleEnabled, startApp, type RunningApp } from '../../src/app/app.js';
import { StartupError } from '../../src/app/core.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { pipelineVersion } from '../../src/knowledge/reading-cache.js';
import { createLogger } from '../../src/observability/logger.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import { FakeDiscord } from '../fakes/discord-api.js';
import { chatInputInteraction } from '../fakes/discord-payloads.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.js';
import { ALICE, privateChatOf } from '../fakes/telegram-updates.js';
import { captureLines } from '../observability/log-capture.js';
import { freePort } from '../support/test-tools.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-app-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Settings as an operator would write them, validated by the real schema. */
function settings(extra: Record<string, string> = {}): Config {
  return loadConfig({ DATA_DIR: 'data', STORY: 'panjshir', DATABASE_PATH: join(tempDir(), 'dossier.sqlite'), LOG_LEVEL: 'debug', SHUTDOWN_TIMEOUT_MS: '5000', ...extra });
}

interface Started {
  app: RunningApp;
  /** What the console printed so far. */
  output(): string;
  type(line: string): void;
  endInput(): void;
  logs(): Array<Record<string, unknown>>;
  signals: EventEmitter;
  /** Resolves with the code the app asked the process to exit with. */
  exited: Promise<number>;
}

async function start(config: Config, options: { terminal?: boolean } = {}): Promise<Started> {
  const input = Object.assign(new PassThrough(), { isTTY: options.terminal ?? false });
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const capture = captureLines();
  const logger = createLogger({ format: 'json', level: 'debug', destination: capture });
  const signals = new EventEmitter();
  let exit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  const app = await startApp({ config, logger, io: { input, output }, signals, exit, now: () => new Date('2021-08-24T06:00:00Z') });
  cleanups.push(() => app.shutdown.stop('test over'));
  return {
    app,
    output: () => printed,
    type: (line) => input.write(`${line}\n`),
    endInput: () => input.end(),
    logs: () => capture.records(),
    signals,
    exited,
  };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('which platforms run', () => {
  it.each([
    ['on', false, 2, true],
    ['off', true, 0, false],
    ['auto', true, 2, true], // a person at a terminal gets the console beside the platforms
    ['auto', false, 0, true], // no platform configured: the console is the bot
    ['auto', false, 1, false], // a server with a platform and no terminal: no console
  ] as const)('CONSOLE=%s, terminal=%s, %i other platforms → console %s', (mode, terminal, others, expected) => {
    expect(consoleEnabled({ CONSOLE: mode }, terminal, others)).toBe(expected);
  });
});

describe('with no settings at all', () => {
  it('is a console chat over the bundled story, and stops cleanly with exit 0 when the input ends', async () => {
    const bot = await start(settings());
    expect(bot.app.console).toBe(true);
    expect(bot.app.platforms).toEqual([]);
    expect(bot.app.http).toBeUndefined();

    bot.type('/where panjsher');
    await waitFor(() => bot.output().includes('Bazarak'), 'the console answer');
    bot.endInput();

    expect(await bot.exited).toBe(0);
    const messages = bot.logs().map((l) => l.msg);
    expect(messages).toEqual(expect.arrayContaining(['starting', 'ready', 'stopping', 'stopped']));
    expect(bot.logs().find((l) => l.event === 'command')).toMatchObject({ platform: 'console', command: 'where', outcome: 'answer' });
  });

  it('deletes at start-up what older knowledge code built per article once it is a day old, keeping the current code’s and the last day’s', async () => {
    const config = settings();
    const now = new Date('2021-08-24T06:00:00Z'); // the app's clock in start()
    const before = openSqliteStore(config.DATABASE_PATH);
    before.putKnowledgeUnits([['older-code', '{}']], new Date(now.getTime() - 2 * 86_400_000), 'an-older-version');
    before.putKnowledgeUnits([['older-code-yesterday', '{}']], new Date(now.getTime() - 3_600_000), 'an-older-version');
    before.putKnowledgeUnits([['this-code', '{}']], new Date(now.getTime() - 2 * 86_400_000), pipelineVersion());
    before.close();

    const bot = await start(config);
    expect([...bot.app.core.store.knowledgeUnits(['older-code', 'older-code-yesterday', 'this-code']).keys()].sort()).toEqual(['older-code-yesterday', 'this-code']);
    expect(bot.logs().find((l) => l.msg === 'per-article results of older knowledge code deleted')).toMatchObject({ pruned: 1 });
  });

  it('a graceful stop writes the knowledge snapshot of articles added since the last one, so the next start-up can load it', async () => {
    const data = tempDir();
    cpSync('data', data, { recursive: true });
    const config = settings({ DATA_DIR: data });
    const snapshotFile = join(dirname(config.DATABASE_PATH), 'knowledge', 'panjshir.kb.json');
    const sourcesInSnapshot = () => (JSON.parse(readFileSync(snapshotFile, 'utf8')) as { kb: { sources: Array<{ id: string }> } }).kb.sources.map((s) => s.id);
    const bot = await start(config);
    expect(sourcesInSnapshot()).toHaveLength(2); // written after the first build

    // An article arrives while it runs: answered at once, the file written at most once a minute.
    const fixture = 'test/fixtures/analysis/articles/100_fixture_panjshir_fall';
    for (const ext of ['.txt', '.meta.yaml']) copyFileSync(`${fixture}${ext}`, join(data, 'stories', 'panjshir', 'articles', `100_fixture_panjshir_fall${ext}`));
    await bot.app.core.knowledge.refresh();
    expect(bot.app.core.provider().kb.sources.map((s) => s.id)).toContain('100_fixture_panjshir_fall');
    expect(sourcesInSnapshot()).not.toContain('100_fixture_panjshir_fall');

    bot.endInput();
    expect(await bot.exited).toBe(0);
    expect(sourcesInSnapshot()).toContain('100_fixture_panjshir_fall');
    expect(bot.logs().map((l) => l.msg)).toContain('knowledge snapshot written for the next start-up');
  });

  it('posts a console subscription’s digest in the console when its slot comes', async () => {
    const bot = await start(settings());
    bot.type('/subscribe daily 08:00 Asia/Kabul');
    await waitFor(() => /subscribed|digest/i.test(bot.output()), 'the subscription reply');
    // Morning in Kabul (UTC+4:30) the next day: the 08:00 slot is due.
    const report = await bot.app.core.digests.tick(new Date('2021-08-25T03:31:00Z'));
    expect(report.sent).toBe(1);
    expect(bot.output()).toContain('── scheduled digest ──');
    // The same slot never goes out twice.
    expect((await bot.app.core.digests.tick(new Date('2021-08-25T03:32:00Z'))).sent).toBe(0);
  });

  it('reports healthy on /healthz, with the knowledge loaded and the console connected', async () => {
    const bot = await start(settings({ HTTP_PORT: '0', HTTP_HOST: '127.0.0.1' }));
    const response = await fetch(`${bot.app.http?.url}/healthz`);
    expect(response.status).toBe(200);
    const health = (await response.json()) as { status: string; knowledge: { loaded: boolean; items: number }; platforms: Record<string, string>; components: Record<string, string> };
    expect(health).toMatchObject({ status: 'ok', knowledge: { loaded: true }, platforms: { console: 'connected' }, components: { database: 'connected' } });
    expect(health.knowledge.items).toBeGreaterThan(29);
  });
});

describe('with platform tokens', () => {
  it('runs Telegram and Discord without a console, answers on both, sends digests to both and stops on SIGTERM', async () => {
    const telegram = await FakeTelegramBotApi.start();
    cleanups.push(() => telegram.close());
    const discord = await FakeDiscord.start();
    cleanups.push(() => discord.close());
    const bot = await start(
      settings({
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        DISCORD_TOKEN: discord.token,
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_API_URL: discord.apiUrl,
      }),
    );
    expect(bot.app.console).toBe(false);
    expect(bot.app.platforms.map((p) => p.platform)).toEqual(['telegram', 'discord']);
    await waitFor(() => bot.app.platforms.every((p) => p.health().status === 'connected'), 'both platforms to connect', 10_000);

    telegram.privateMessage('who is saleh?');
    const chat = privateChatOf(ALICE);
    const [answer] = await telegram.waitForSent(chat.id, 1, 10_000);
    expect(answer?.text).toContain('Amrullah Saleh');

    const id = discord.sendInteraction(chatInputInteraction(discord, { command: 'where', options: { place: 'panjshir' } }));
    const [response] = await discord.waitForInteractionResponses(id, 1, 10_000);
    expect(JSON.stringify(response?.data)).toContain('Bazarak');

    // A subscription made in the Telegram chat is delivered through the Telegram adapter.
    telegram.privateMessage('/subscribe daily 08:00 Asia/Kabul');
    await telegram.waitForSent(chat.id, 2, 10_000);
    const report = await bot.app.core.digests.tick(new Date('2021-08-25T03:31:00Z'));
    expect(report.sent).toBe(1);
    await telegram.waitForSent(chat.id, 3, 10_000);

    bot.signals.emit('SIGTERM', 'SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.app.platforms.map((p) => p.health().status)).toEqual(['stopped', 'stopped']);
    expect(bot.logs().filter((l) => typeof l.level === 'number' && l.level >= 50)).toEqual([]);
  }, 30_000);
});

describe('start-up problems an operator can fix', () => {
  it('a missing story folder names DATA_DIR and STORY', async () => {
    const error = await start(settings({ STORY: 'no-such-story' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as StartupError).exitCode).toBe(78);
    expect((error as StartupError).message).toMatch(/no-such-story.*DATA_DIR.*STORY/s);
  });

  it('a broken story file names the file and exits 65, leaving no port open', async () => {
    const data = tempDir();
    cpSync('data/stories/panjshir', join(data, 'stories', 'panjshir'), { recursive: true });
    writeFileSync(join(data, 'stories', 'panjshir', 'story.yaml'), 'title: [unclosed\n');
    const port = await freePort();
    const config = settings({ DATA_DIR: data, HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1' });
    const error = await start(config).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as StartupError).exitCode).toBe(65);
    expect((error as StartupError).message).toContain('story.yaml');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('a database path that cannot be created says so and exits 73', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'not-a-folder'), '');
    const error = await start(settings({ DATABASE_PATH: join(dir, 'not-a-folder', 'dossier.sqlite') })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as StartupError).exitCode).toBe(73);
    expect((error as StartupError).message).toMatch(/not-a-folder.*DATABASE_PATH/s);
  });
});
