/**
 * Starts the Telegram runtime the way `npm start` does — `createTelegramRuntime` with the real
 * router over the seed story's command set (plus a few test commands), the real SQLite store and
 * the real grammY bot — against the fake Bot API server, with logs and telemetry tests can read.
 */
import { createTelegramRuntime, type TelegramRuntime, type TelegramSettings } from '../../../src/adapters/telegram/runtime.js';
import { createCommandSet } from '../../../src/commands/index.js';
import { inlineAnswers } from '../../../src/commands/inline.js';
import { createRouter, type CommandRouter } from '../../../src/commands/router.js';
import type { CommandEvent } from '../../../src/observability/telemetry.js';
import type { KnowledgeProvider } from '../../../src/search/types.js';
import { openSqliteStore, type SqliteStore } from '../../../src/storage/sqlite.js';
import { FakeTelegramBotApi, type FakeTelegramOptions } from '../../fakes/telegram-bot-api.js';
import { TEST_COMMANDS } from './test-commands.js';
import { seedKnowledge } from '../../support/seed-story.js';
import { capturingLogger, recordingTelemetry } from '../../support/test-tools.js';

export const NOW = new Date('2021-09-01T08:00:00Z');

/** The seed story, loaded once per test file. */
export const knowledge: KnowledgeProvider = seedKnowledge;

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
  /** SQLite file to keep the bot's state in (default: a private in-memory database). */
  databasePath?: string;
  /** Run against this already running fake (a restart); `stop()` then leaves it running. */
  telegram?: FakeTelegramBotApi;
  /** Prepare the fake before the bot starts (inject start-up failures). */
  beforeStart?: (telegram: FakeTelegramBotApi) => void;
}

/** Start the fake, then the runtime against it. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const telegram = options.telegram ?? (await FakeTelegramBotApi.start(options.fake));
  options.beforeStart?.(telegram);
  const { logger, lines } = capturingLogger();
  const { telemetry, commands, platformErrors } = recordingTelemetry();
  const router = createRouter({ commands: createCommandSet({ knowledge, extra: TEST_COMMANDS }), logger, telemetry });
  const store = openSqliteStore(options.databasePath ?? ':memory:');
  const runtime = createTelegramRuntime(
    {
      token: telegram.token,
      apiRoot: telegram.apiRoot,
      ...(options.getMe === true ? {} : { botInfo: telegram.botInfo }),
      polling: { timeoutSeconds: 5 },
      retry: { startupInitialMs: 20, startupMaxMs: 200, maxDelaySeconds: 5, rethrowInternalServerErrors: true },
      ...options.settings,
    },
    { router, inlineAnswers: (query) => inlineAnswers(knowledge, query), chatState: store, followUps: store, logger, telemetry, now: () => NOW },
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
      if (options.telegram === undefined) await telegram.close();
      store.close();
    },
  };
}
