/**
 * A bot process for the delivery process tests: the real Telegram or Discord runtime's sender
 * (not started: no polling, no gateway — only what digests send), the bot's one rate limiter
 * paced through the database, the real digest service, SQLite, and the app's graceful stop on
 * SIGTERM. Its clock starts at `startAt` and runs in real time.
 *
 *   node --import tsx bot-process.ts   (settings in DOSSIER_TEST_BOT as JSON, see BotProcessSettings)
 *
 * It sends 'ready' over IPC once started; logs go to stderr as JSON (warnings and errors).
 */
import type { AdapterDeps } from '../../../src/adapters/types.js';
import { createShutdown } from '../../../src/app/shutdown.js';
import type { Platform } from '../../../src/commands/types.js';
import { createSendLimiter, DEFAULT_PACING, scalePacing } from '../../../src/delivery/limiter.js';
import type { MessageSender } from '../../../src/delivery/types.js';
import { createDigestService } from '../../../src/digests/service.js';
import { createLogger } from '../../../src/observability/logger.js';
import { noTelemetry } from '../../../src/observability/telemetry.js';
import { openSqliteStore } from '../../../src/storage/sqlite.js';
import { seedSnapshot } from '../../support/seed-story.js';

export interface BotProcessSettings {
  database: string;
  platform: 'telegram' | 'discord';
  /** Telegram: the fake's apiRoot; Discord: the fake's apiUrl. */
  apiUrl: string;
  token: string;
  /** The process's clock reads this (ISO) at `clockAnchorMs`, or at its own start without one. */
  startAt: string;
  /**
   * The real time (epoch ms) at which the clock reads `startAt`: processes given the same anchor
   * share one clock, however long each took to start, as real processes on one machine do.
   */
  clockAnchorMs?: number;
  /** The platforms' pacing, this many times faster (so a test of hundreds of chats takes seconds). */
  pacingScale: number;
  /** Items per kind in a digest (more = more message parts). */
  perKind: number;
  sendTimeoutSeconds?: number;
  shutdownTimeoutMs: number;
  retry?: { maxFailures?: number; backoffMs?: number; maxBackoffMs?: number };
  leaseMs?: number;
}

const settings = JSON.parse(process.env.DOSSIER_TEST_BOT ?? '{}') as BotProcessSettings;
const logger = createLogger({ level: 'warn', format: 'json', destination: process.stderr });
const store = openSqliteStore(settings.database);
const started = settings.clockAnchorMs ?? Date.now();
const startAt = new Date(settings.startAt).getTime();
const now = () => new Date(startAt + (Date.now() - started));
const limiter = createSendLimiter({ store, pacing: { [settings.platform]: scalePacing(DEFAULT_PACING[settings.platform], settings.pacingScale) } });
const snapshot = seedSnapshot();
const deps = {
  router: { definitions: [] } as unknown as AdapterDeps['router'],
  inlineAnswers: () => [],
  chatState: store,
  followUps: store,
  logger,
  telemetry: noTelemetry,
  now,
  limiter,
} satisfies AdapterDeps;

// Only the platform under test is loaded: discord.js alone takes a second to import on a busy machine.
const runtime =
  settings.platform === 'telegram'
    ? (await import('../../../src/adapters/telegram/runtime.js')).createTelegramRuntime(
        { token: settings.token, apiRoot: settings.apiUrl, sendTimeoutSeconds: settings.sendTimeoutSeconds ?? 15 },
        deps,
      )
    : (await import('../../../src/adapters/discord/runtime.js')).createDiscordRuntime({ token: settings.token, applicationId: '100000000000000001', apiUrl: settings.apiUrl }, deps);

const digests = createDigestService({
  store,
  knowledge: () => snapshot,
  senders: new Map<Platform, MessageSender>([[settings.platform, runtime.sender]]),
  clock: now,
  logger,
  missedSlots: 'latest',
  defaultTimeZone: 'Asia/Kabul',
  limits: { perKind: settings.perKind },
  ...(settings.retry === undefined ? {} : { retry: settings.retry }),
  ...(settings.leaseMs === undefined ? {} : { leaseMs: settings.leaseMs }),
});

const shutdown = createShutdown({ logger, timeoutMs: settings.shutdownTimeoutMs });
shutdown.register('schedulers', 'digests', () => digests.stop(Math.round(settings.shutdownTimeoutMs * 0.8)));
shutdown.register('storage', 'database', () => store.close());
shutdown.listen();

await digests.start();
process.send?.('ready');
