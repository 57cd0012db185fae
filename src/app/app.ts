/**
 * The running bot: the core (knowledge, database, digests, commands) plus every platform the
 * settings switch on, the health and metrics port, and the graceful stop that ties them together.
 *
 * Platforms: Telegram when TELEGRAM_BOT_TOKEN is set, Discord when DISCORD_TOKEN is set (over the gateway, or over HTTP
 * at POST /interactions when DISCORD_PUBLIC_KEY is set), and the
 * console chat when CONSOLE=on, or CONSOLE=auto and (standard input is a terminal or no other
 * platform is configured) — so `npm start` with no settings at all is a working console bot.
 */
import type { Readable, Writable } from 'node:stream';
import { onClosedPipe } from '../adapters/console/closed-pipe.js';
import { createConsoleSender } from '../adapters/console/sender.js';
import { runConsoleChat } from '../adapters/console/console-chat.js';
import type { AdapterDeps, ComponentHealth, PlatformRuntime } from '../adapters/types.js';
import type { Platform } from '../commands/types.js';
import { redactConfig, type Config } from '../config/config.js';
import { HealthRegistry } from '../observability/health.js';
import { startHttpServer, type RouteHandler, type RunningHttpServer } from '../observability/http-server.js';
import type { Logger } from '../observability/logger.js';
import { countKnowledge, createMetrics, type DossierMetrics } from '../observability/metrics.js';
import { createTelemetry } from '../observability/telemetry.js';
import { createCore, type Core } from './core.js';
import { createWebHandler } from '../web/handler.js';
import { startFeeds, type RunningFeeds } from './feeds.js';
import { createShutdown, type Shutdown, type SignalSource } from './shutdown.js';

/** The terminal the console chat talks to. */
export interface ConsoleIo {
  input: Readable & { isTTY?: boolean };
  output: Writable & { isTTY?: boolean };
}

export interface AppOptions {
  config: Config;
  logger: Logger;
  io: ConsoleIo;
  now?: () => Date;
  /** Where stop signals come from (default `process`). */
  signals?: SignalSource;
  /** How the process ends after a stop (default `process.exit`). */
  exit?: (code: number) => void;
}

export interface RunningApp {
  readonly core: Core;
  readonly metrics: DossierMetrics;
  readonly health: HealthRegistry;
  readonly platforms: readonly PlatformRuntime[];
  /** Whether the console chat runs. */
  readonly console: boolean;
  /** The health and metrics server, when HTTP_PORT is set. */
  readonly http: RunningHttpServer | undefined;
  /** Feed polling (idle while story.yaml lists no feeds); `undefined` when the database cannot keep feed state. */
  readonly feeds: RunningFeeds | undefined;
  readonly shutdown: Shutdown;
}

/** Share of SHUTDOWN_TIMEOUT_MS each stop step may take, so the whole stop fits in the bound. */
const STOP_SHARE = { console: 0.25, digests: 0.25, platform: 0.4 } as const;

/** Whether the console chat runs, from CONSOLE and what else is configured. */
export function consoleEnabled(config: Pick<Config, 'CONSOLE'>, inputIsTerminal: boolean, otherPlatforms: number): boolean {
  if (config.CONSOLE === 'on') return true;
  if (config.CONSOLE === 'off') return false;
  return inputIsTerminal || otherPlatforms === 0;
}

/**
 * Start everything the settings ask for and return once the bot is taking messages.
 * SIGTERM and SIGINT then stop it gracefully (see {@link createShutdown}).
 *
 * @throws {StartupError} when the story or the database cannot be opened (nothing is left running).
 * @example
 * const app = await startApp({ config: loadConfigOrExit(), logger, io: { input: process.stdin, output: process.stdout } });
 */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const { config, logger, io } = options;
  const now = options.now ?? (() => new Date());
  const timeoutMs = config.SHUTDOWN_TIMEOUT_MS;
  const wanted: Platform[] = [];
  if (config.TELEGRAM_BOT_TOKEN !== undefined) wanted.push('telegram');
  if (config.DISCORD_TOKEN !== undefined) wanted.push('discord');
  const withConsole = consoleEnabled(config, io.input.isTTY === true, wanted.length);
  if (withConsole) wanted.push('console');

  logger.info({ settings: redactConfig(config), platforms: wanted }, 'starting');
  if (wanted.length === 0) {
    logger.warn('no platform is on: set TELEGRAM_BOT_TOKEN, or DISCORD_TOKEN and DISCORD_APPLICATION_ID, or CONSOLE=on; until then nobody can ask the bot anything');
  }
  const metrics = createMetrics({ platforms: wanted });
  const telemetry = createTelemetry({ logger, metrics });
  const health = new HealthRegistry({ logger });
  const shutdown = createShutdown({
    logger,
    timeoutMs,
    ...(options.exit === undefined ? {} : { exit: options.exit }),
    ...(options.signals === undefined ? {} : { signals: options.signals }),
  });
  shutdown.register('intake', 'health says stopping', () => health.markStopping());

  // The health port comes up first, so an orchestrator sees "starting" while the story loads.
  let http: RunningHttpServer | undefined;
  const loaded: { core?: Core } = {};
  const routes = new Map<string, RouteHandler>();
  if (config.DISCORD_PUBLIC_KEY !== undefined) {
    // Until Discord's runtime is up, say "not yet" (Discord retries) rather than 404.
    routes.set('/interactions', async (_request, response) => {
      response.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '1' }).end('{"error":"starting"}');
    });
  }
  if (config.HTTP_PORT !== undefined) {
    // The web dossier answers 503 until the story has loaded, like /healthz.
    const pages = createWebHandler({ knowledge: () => loaded.core?.provider() });
    http = await startHttpServer({ host: config.HTTP_HOST, port: config.HTTP_PORT, health: () => health.report(), metrics, logger, routes, pages });
    logger.info({ url: http.url, publicUrl: config.PUBLIC_URL }, 'health, metrics and web dossier listening');
  }
  const closeHttp = async () => http?.close();

  // Each platform's library is loaded only when its token is set: discord.js alone takes most of
  // a second to import, which a console-only start (the quick start) would wait for for nothing.
  // Loaded while the story loads, and awaited before health can report the knowledge as ready.
  const adapterModules = Promise.all([
    config.TELEGRAM_BOT_TOKEN === undefined ? undefined : import('../adapters/telegram/index.js'),
    config.DISCORD_TOKEN === undefined ? undefined : import('../adapters/discord/index.js'),
  ]);
  adapterModules.catch(() => undefined); // awaited below; an early failure must not go unhandled
  let core: Core;
  let telegramModule: Awaited<typeof adapterModules>[0];
  let discordModule: Awaited<typeof adapterModules>[1];
  try {
    core = await createCore({ config, logger, telemetry, metrics, now });
    [telegramModule, discordModule] = await adapterModules;
  } catch (error) {
    await closeHttp();
    throw error;
  }
  loaded.core = core;
  health.setKnowledge(() => {
    const snapshot = core.provider();
    const counts = countKnowledge(snapshot.kb);
    return { loaded: true, version: snapshot.version, items: Object.values(counts).reduce((a, b) => a + b, 0) };
  });
  let databaseOpen = true;
  // PostgreSQL is asked each time (a server can go away); SQLite is a file this process holds.
  health.register(
    'database',
    async () => (!databaseOpen ? { status: 'stopped' } : (await core.database.ping()) ? { status: 'connected' } : { status: 'down', detail: 'the database does not answer' }),
    'component',
  );

  const adapterDeps: AdapterDeps = {
    router: core.router,
    inlineAnswers: core.inlineAnswers,
    chatState: core.store,
    followUps: core.store,
    logger,
    telemetry,
    now,
    limiter: core.limiter,
  };
  const platformStopMs = Math.round(timeoutMs * STOP_SHARE.platform);
  const platforms: PlatformRuntime[] = [];
  if (config.TELEGRAM_BOT_TOKEN !== undefined && telegramModule !== undefined) {
    const { createTelegramRuntime } = telegramModule;
    const webhook =
      config.TELEGRAM_WEBHOOK_URL === undefined
        ? undefined
        : { url: config.TELEGRAM_WEBHOOK_URL, port: config.TELEGRAM_WEBHOOK_PORT ?? 8443, host: config.HTTP_HOST, secret: config.TELEGRAM_WEBHOOK_SECRET ?? '' };
    platforms.push(
      createTelegramRuntime(
        {
          token: config.TELEGRAM_BOT_TOKEN,
          ...(config.TELEGRAM_API_ROOT === undefined ? {} : { apiRoot: config.TELEGRAM_API_ROOT }),
          ...(webhook === undefined ? {} : { webhook }),
          stopTimeoutMs: platformStopMs,
        },
        adapterDeps,
      ),
    );
  }
  if (config.DISCORD_TOKEN !== undefined && config.DISCORD_APPLICATION_ID !== undefined && config.DISCORD_PUBLIC_KEY !== undefined && discordModule !== undefined) {
    const discord = discordModule.createDiscordHttpRuntime(
      {
        token: config.DISCORD_TOKEN,
        applicationId: config.DISCORD_APPLICATION_ID,
        publicKey: config.DISCORD_PUBLIC_KEY,
        ...(config.DISCORD_API_URL === undefined ? {} : { apiUrl: config.DISCORD_API_URL }),
        storyName: core.provider().kb.story.title,
        stopTimeoutMs: platformStopMs,
      },
      adapterDeps,
    );
    routes.set('/interactions', discord.handle);
    platforms.push(discord);
  } else if (config.DISCORD_TOKEN !== undefined && config.DISCORD_APPLICATION_ID !== undefined && discordModule !== undefined) {
    const { createDiscordRuntime } = discordModule;
    platforms.push(
      createDiscordRuntime(
        {
          token: config.DISCORD_TOKEN,
          applicationId: config.DISCORD_APPLICATION_ID,
          ...(config.DISCORD_API_URL === undefined ? {} : { apiUrl: config.DISCORD_API_URL }),
          storyName: core.provider().kb.story.title,
          stopTimeoutMs: platformStopMs,
        },
        adapterDeps,
      ),
    );
  }
  for (const runtime of platforms) {
    core.senders.set(runtime.platform, runtime.sender);
    health.register(runtime.platform, () => runtime.health());
  }

  // Stop order: no new messages → finish the ones in flight → digests → platforms → database → port.
  const consoleStop = new AbortController();
  let consoleDone: Promise<void> = Promise.resolve();
  shutdown.register('intake', 'console input', () => consoleStop.abort());
  shutdown.register('intake', 'story folder watcher', () => core.knowledge.stop());
  shutdown.register('drain', 'console reply in flight', () => consoleDone, { timeoutMs: Math.round(timeoutMs * STOP_SHARE.console) });
  shutdown.register('schedulers', 'digests', () => core.digests.stop(Math.round(timeoutMs * STOP_SHARE.digests)));
  for (const runtime of platforms) shutdown.register('platforms', runtime.platform, () => runtime.stop());
  shutdown.register('storage', 'database', async () => {
    databaseOpen = false;
    await core.close();
  });
  shutdown.register('http', 'health and metrics server', closeHttp);
  shutdown.listen();

  let consoleHealth: ComponentHealth = { status: 'connected' };
  if (withConsole) {
    core.senders.set('console', createConsoleSender(io.output));
    health.register('console', () => consoleHealth);
    // Whoever read the chat's output has gone (`npm start | head -1`): the console stops quietly,
    // as a closed input stops it; the other platforms, if any, keep running.
    onClosedPipe(io.output, () => {
      logger.info('console output closed; the console chat stops');
      consoleStop.abort();
    });
  }

  // Start-up failures of a platform are logged and retried inside the runtime, never thrown.
  await Promise.all(platforms.map((runtime) => runtime.start()));
  await core.digests.start();
  core.knowledge.watch();
  const feeds = startFeeds({
    core,
    story: config.STORY,
    logger,
    metrics,
    health,
    now,
    ...(process.env.PUBLIC_URL ? { publicUrl: process.env.PUBLIC_URL } : {}),
  });
  shutdown.register('schedulers', 'feeds', async () => feeds?.stop());
  logger.info({ platforms: wanted, story: core.provider().kb.story.title, http: http?.url }, 'ready');
  // The console starts last: its input may already be at its end (piped), which stops the bot.
  if (withConsole) {
    const interactive = io.input.isTTY === true && io.output.isTTY === true;
    consoleDone = runConsoleChat({ router: core.router, input: io.input, output: io.output, interactive, now, signal: consoleStop.signal })
      .then(
        () => undefined,
        (error: unknown) => logger.error({ err: error }, 'console chat failed'),
      )
      .finally(() => {
        consoleHealth = { status: 'stopped' };
        if (shutdown.stopping) return;
        if (platforms.length === 0) void shutdown.stop('console closed');
        else logger.info('console input ended; the other platforms keep running');
      });
  }

  return { core, metrics, health, platforms, console: withConsole, http, feeds, shutdown };
}
