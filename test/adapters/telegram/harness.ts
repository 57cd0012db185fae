/**
 * Starts the Telegram runtime the way `npm start` does — `createTelegramRuntime` with the real
 * router over the seed story's command set (plus a few test commands), the real SQLite store and
 * the real grammY bot — against the fake Bot API server, with logs and telemetry tests can read.
 */
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createTelegramRuntime, type TelegramRuntime, type TelegramSettings } from '../../../src/adapters/telegram/runtime.js';
import { createCommandSet } from '../../../src/commands/index.js';
import { inlineAnswers } from '../../../src/commands/inline.js';
import { createRouter, type CommandRouter } from '../../../src/commands/router.js';
import type { CommandEvent, Telemetry } from '../../../src/observability/telemetry.js';
import type { KnowledgeProvider } from '../../../src/search/types.js';
import { openSqliteStore, type SqliteStore } from '../../../src/storage/sqlite.js';
import { FakeTelegramBotApi, type FakeTelegramOptions } from '../../fakes/telegram-bot-api.js';
import { TEST_COMMANDS } from './test-commands.js';
import { seedKnowledge } from '../../support/seed-story.js';

export const NOW = new Date('2021-09-01T08:00:00Z');

/** The seed story, loaded once per test file. */
export const knowledge: KnowledgeProvider = seedKnowledge;

/** A pino logger whose JSON lines the test can read. */
export function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** Telemetry that remembers what it was told. */
export function recordingTelemetry() {
  const commands: CommandEvent[] = [];
  const platformErrors: string[] = [];
  const telemetry: Telemetry = {
    commandHandled: (event) => void commands.push(event),
    platformError: (_platform, kind) => void platformErrors.push(kind),
    digestDelivered: () => undefined,
  };
  return { telemetry, commands, platformErrors };
}

/** A free TCP port on 127.0.0.1 (for the webhook server, whose URL must be known before it starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Harness {
  telegram: FakeTelegramBotApi;
  runtime: TelegramRuntime;
  router: CommandRouter;
  store: SqliteStore;
  logs: Array<Record<string, unknown>>;
  commands: CommandEvent[];
  platformErrors: string[];
  stop(): Promise<void>;
}

export interface HarnessOptions {
  settings?: Partial<TelegramSettings>;
  fake?: FakeTelegramOptions;
  /** Call getMe like production (default: pass `botInfo`, as the brief allows tests to). */
  getMe?: boolean;
  /** Wait until health says connected (default true). */
  waitConnected?: boolean;
  /** Prepare the fake before the bot starts (inject start-up failures). */
  beforeStart?: (telegram: FakeTelegramBotApi) => void;
}

/** Start the fake, then the runtime against it. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const telegram = await FakeTelegramBotApi.start(options.fake);
  options.beforeStart?.(telegram);
  const { logger, lines } = capturingLogger();
  const { telemetry, commands, platformErrors } = recordingTelemetry();
  const router = createRouter({ commands: createCommandSet({ knowledge, extra: TEST_COMMANDS }), logger, telemetry });
  const store = openSqliteStore(':memory:');
  const runtime = createTelegramRuntime(
    {
      token: telegram.token,
      apiRoot: telegram.apiRoot,
      ...(options.getMe === true ? {} : { botInfo: telegram.botInfo }),
      polling: { timeoutSeconds: 5 },
      retry: { startupInitialMs: 20, startupMaxMs: 200, maxDelaySeconds: 5, rethrowInternalServerErrors: true },
      ...options.settings,
    },
    { router, inlineAnswers: (query) => inlineAnswers(knowledge, query), chatState: store, logger, telemetry, now: () => NOW },
  );
  await runtime.start();
  if (options.waitConnected !== false) {
    await telegram.waitFor(() => runtime.health().status === 'connected', 5_000, 'the bot to connect');
  }
  return {
    telegram,
    runtime,
    router,
    store,
    logs: lines,
    commands,
    platformErrors,
    async stop() {
      await runtime.stop();
      await telegram.close();
      store.close();
    },
  };
}
