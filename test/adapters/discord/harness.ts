/**
 * Starts the Discord runtime the way `npm start` does — `createDiscordRuntime` with the real
 * router over the seed story's command set (plus a few test commands), entity autocomplete from
 * the real search, the real SQLite store and the real discord.js client — against the fake
 * Discord, with logs and telemetry tests can read.
 */
import { createDiscordRuntime, type DiscordRuntime, type DiscordSettings } from '../../../src/adapters/discord/runtime.js';
import { createCommandSet } from '../../../src/commands/index.js';
import { inlineAnswers } from '../../../src/commands/inline.js';
import { createRouter, type CommandRouter } from '../../../src/commands/router.js';
import type { CommandDefinition } from '../../../src/commands/types.js';
import type { EntityType } from '../../../src/knowledge/model.js';
import type { CommandEvent } from '../../../src/observability/telemetry.js';
import type { EntityHit, KnowledgeProvider } from '../../../src/search/types.js';
import { openSqliteStore, type SqliteStore } from '../../../src/storage/sqlite.js';
import { FakeDiscord, type FakeDiscordOptions } from '../../fakes/discord-api.js';
import { testCommands, type TestCommandOptions } from './test-commands.js';
import { seedKnowledge } from '../../support/seed-story.js';
import { capturingLogger, recordingTelemetry } from '../../support/test-tools.js';

export const NOW = new Date('2021-09-01T08:00:00Z');

/** The seed story, loaded once per test file. */
export const knowledge: KnowledgeProvider = seedKnowledge;

/** The story's real commands plus the test commands, as the bot would register them. */
export function commandSet(options: TestCommandOptions = {}): CommandDefinition[] {
  return createCommandSet({ knowledge, extra: testCommands(options) });
}

/** Entity completions from the real search, as the app wires them into the router. */
export function suggestFromStory(partial: string, types: EntityType[]): EntityHit[] {
  return knowledge().search.suggestEntities(partial, { types });
}

export interface Harness {
  discord: FakeDiscord;
  runtime: DiscordRuntime;
  router: CommandRouter;
  store: SqliteStore;
  logs: Array<Record<string, unknown>>;
  commands: CommandEvent[];
  platformErrors: string[];
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** Options of the test commands (how long /slow takes). */
  testCommands?: TestCommandOptions;
  /**
   * Replace the real search's completions, for what the seed story cannot produce (more than 25
   * matches, a failing index).
   */
  suggestEntities?: (partial: string, types: EntityType[]) => EntityHit[];
  settings?: Partial<DiscordSettings>;
  fake?: FakeDiscordOptions;
  /** SQLite file to keep the bot's state in (default: a private in-memory database). */
  databasePath?: string;
  /** Run against this already running fake (a restart); `stop()` then leaves it running. */
  discord?: FakeDiscord;
}

/** Start the fake, then the runtime against it, and wait until the bot is connected. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const discord = options.discord ?? (await FakeDiscord.start(options.fake));
  const { logger, lines } = capturingLogger();
  const { telemetry, commands, platformErrors } = recordingTelemetry();
  const router = createRouter({
    commands: commandSet(options.testCommands),
    logger,
    telemetry,
    suggestEntities: options.suggestEntities ?? suggestFromStory,
  });
  const store = openSqliteStore(options.databasePath ?? ':memory:');
  const runtime = createDiscordRuntime(
    { token: discord.token, applicationId: discord.applicationId, apiUrl: discord.apiUrl, storyName: 'Panjshir Valley resistance, 2021', ...options.settings },
    { router, inlineAnswers: (query) => inlineAnswers(knowledge, query), chatState: store, followUps: store, logger, telemetry, now: () => NOW },
  );
  try {
    await runtime.start();
    await discord.waitFor(() => (runtime.health().status === 'connected' ? true : undefined), 5_000, 'the bot to connect');
  } catch (error) {
    await runtime.stop();
    if (options.discord === undefined) await discord.close();
    store.close();
    throw error;
  }
  return {
    discord,
    runtime,
    router,
    store,
    logs: lines,
    commands,
    platformErrors,
    async stop() {
      await runtime.stop();
      if (options.discord === undefined) await discord.close();
      store.close();
    },
  };
}
