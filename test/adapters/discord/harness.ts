/**
 * Starts the Discord runtime the way `npm start` does (`createDiscordRuntime` with the real router
 * and discord.js client) against the fake Discord, with a log that tests can read.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createDiscordRuntime, type DiscordRuntime, type DiscordSettings } from '../../../src/adapters/discord/runtime.js';
import { createRouter, type CommandRouter } from '../../../src/commands/router.js';
import type { CommandDefinition } from '../../../src/commands/types.js';
import type { EntityType } from '../../../src/knowledge/model.js';
import type { CommandEvent, Telemetry } from '../../../src/observability/telemetry.js';
import type { EntityHit } from '../../../src/search/types.js';
import type { ChatStateStore } from '../../../src/storage/types.js';
import { FakeDiscord, type FakeDiscordOptions } from '../../fakes/discord-api.js';
import { createMemoryChatState } from './memory-chat-state.js';

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

export interface Harness {
  discord: FakeDiscord;
  runtime: DiscordRuntime;
  router: CommandRouter;
  chatState: ChatStateStore;
  logs: Array<Record<string, unknown>>;
  commands: CommandEvent[];
  platformErrors: string[];
  stop(): Promise<void>;
}

export interface HarnessOptions {
  commands: CommandDefinition[];
  suggestEntities?: (partial: string, types: EntityType[]) => EntityHit[];
  settings?: Partial<DiscordSettings>;
  fake?: FakeDiscordOptions;
  chatState?: ChatStateStore;
}

/** Start the fake, then the runtime against it, and wait until the bot is connected. */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const discord = await FakeDiscord.start(options.fake);
  const { logger, lines } = capturingLogger();
  const { telemetry, commands, platformErrors } = recordingTelemetry();
  const router = createRouter({
    commands: options.commands,
    logger,
    telemetry,
    ...(options.suggestEntities === undefined ? {} : { suggestEntities: options.suggestEntities }),
  });
  const chatState = options.chatState ?? createMemoryChatState();
  const runtime = createDiscordRuntime(
    { token: discord.token, applicationId: discord.applicationId, apiUrl: discord.apiUrl, storyName: 'Panjshir Valley resistance, 2021', ...options.settings },
    { router, inlineAnswers: () => [], chatState, logger, telemetry, now: () => new Date('2021-09-01T08:00:00Z') },
  );
  await runtime.start();
  await discord.waitFor(() => (runtime.health().status === 'connected' ? true : undefined), 5_000, 'the bot to connect');
  return {
    discord,
    runtime,
    router,
    chatState,
    logs: lines,
    commands,
    platformErrors,
    async stop() {
      await runtime.stop();
      await discord.close();
    },
  };
}
