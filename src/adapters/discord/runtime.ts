/**
 * The Discord bot: a discord.js client that answers slash commands, autocomplete and buttons
 * through the command router, and sends digests to channels.
 *
 * Safety and resilience come from discord.js where it already does the job: `allowedMentions:
 * { parse: [] }` on the client (no text can ping anyone), the REST queue (429s are waited out and
 * retried), the gateway (a dropped connection is resumed). This module wires them up, keeps the
 * intents to the minimum, and stops gracefully.
 */
import { Client, Events, GatewayIntentBits, RESTEvents, type Interaction } from 'discord.js';
import { InFlight } from '../../app/shutdown.js';
import type { AdapterDeps, ComponentHealth, PlatformRuntime } from '../types.js';
import { toDeliveryError } from './errors.js';
import { handleInteraction } from './interactions.js';
import { createFollowUpKeys } from '../follow-up-keys.js';
import { createPageStore } from './pages.js';
import { createDiscordSender } from './sender.js';

export interface DiscordSettings {
  /** The bot token (Developer Portal → Bot), without "Bot ". */
  token: string;
  /** The application id (Developer Portal → General Information). */
  applicationId: string;
  /** A Discord REST API base ending in `/api` (a proxy, or the fake in tests). Default: Discord's. */
  apiUrl?: string;
  /** The story's name, shown in every embed's footer. */
  storyName?: string;
  /** Defer a command not answered after this long (ms). Default 1500: half of Discord's 3 s. */
  deferAfterMs?: number;
  /** How long `stop()` waits for interactions in flight (ms). Default 5000. */
  stopTimeoutMs?: number;
  /** First wait before retrying a failed login (ms, doubles up to a minute). Default 5000. */
  loginRetryMs?: number;
}

/** The runtime, plus the client for tests and diagnostics. */
export interface DiscordRuntime extends PlatformRuntime {
  readonly client: Client;
}

/**
 * Create the Discord runtime: `start()` logs in and takes interactions; `stop()` finishes the
 * ones in flight (bounded) and disconnects.
 *
 * @example
 * const discord = createDiscordRuntime(
 *   { token: config.DISCORD_TOKEN, applicationId: config.DISCORD_APPLICATION_ID, apiUrl: config.DISCORD_API_URL, storyName: 'Panjshir 2021' },
 *   { router, inlineAnswers, chatState, followUps: store, logger, telemetry, now: () => new Date() },
 * );
 * await discord.start();
 */
export function createDiscordRuntime(settings: DiscordSettings, deps: AdapterDeps): DiscordRuntime {
  const logger = deps.logger.child({ platform: 'discord' });
  const client = new Client({
    // Interactions need no intent; Guilds (not privileged) keeps guild and channel caches right.
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [], repliedUser: false },
    rest: {
      ...(settings.apiUrl === undefined ? {} : { api: settings.apiUrl }),
      // A long wait on a channel's message route comes back to the digest queue, which parks that
      // one delivery and goes on with the others, instead of holding a request open.
      rejectOnRateLimit: (limit) => limit.route.startsWith('/channels/') && limit.method.toUpperCase() === 'POST' && limit.timeToReset > 2000,
    },
  });
  client.rest.setToken(settings.token);

  let health: ComponentHealth = { status: 'stopped', detail: 'not started' };
  let started = false;
  let stopping = false;
  let retryTimer: NodeJS.Timeout | undefined;
  const inFlight = new InFlight();
  const followUpKeys = createFollowUpKeys(deps.followUps, { now: deps.now, logger });
  const pages = createPageStore(followUpKeys);
  const render = settings.storyName === undefined ? {} : { storyName: settings.storyName };
  const interactionDeps = {
    router: deps.router,
    logger,
    telemetry: deps.telemetry,
    now: deps.now,
    pages,
    followUpKeys,
    render,
    deferAfterMs: settings.deferAfterMs ?? 1500,
    isStopping: () => stopping,
  };

  client.on(Events.ClientReady, (ready) => {
    health = { status: 'connected' };
    logger.info({ user: ready.user.tag, applicationId: settings.applicationId }, 'discord connected');
  });
  client.on(Events.ShardResume, (_shard, replayed) => {
    health = { status: 'connected' };
    logger.info({ replayed }, 'discord gateway resumed');
  });
  client.on(Events.ShardReconnecting, () => {
    if (!stopping) health = { status: 'connecting', detail: 'reconnecting to the gateway' };
  });
  client.on(Events.ShardDisconnect, (event) => {
    health = { status: 'down', detail: `gateway closed (${event.code}) and will not reconnect` };
    logger.error({ code: event.code }, 'discord gateway disconnected for good');
  });
  client.on(Events.ShardError, (error) => logger.warn({ err: error }, 'discord gateway error'));
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ detail: message }, 'discord warning'));
  // discord.js's REST queue waits out 429s and retries; this only makes them visible.
  client.rest.on(RESTEvents.Response, (request, response) => {
    if (response.status !== 429) return;
    deps.telemetry.platformError('discord', 'rate-limited');
    logger.warn({ route: request.route, method: request.method, retryAfter: response.headers.get('retry-after') }, 'discord rate limit hit; discord.js will retry');
  });

  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    void inFlight.track(handleInteraction(interaction, interactionDeps));
  });

  async function login(attempt: number): Promise<void> {
    if (stopping) return;
    health = { status: 'connecting' };
    try {
      await client.login(settings.token);
    } catch (error) {
      const failure = toDeliveryError(error, '');
      // The one login request Discord will never accept as is: a rejected token.
      const invalidToken = failure.kind === 'invalid';
      health = { status: 'down', detail: invalidToken ? failure.message : `login failed: ${(error as Error).message}` };
      logger.error({ err: error, attempt }, invalidToken ? 'discord rejected the bot token; not retrying' : 'discord login failed; will retry');
      deps.telemetry.platformError('discord', failure.kind);
      if (invalidToken || stopping) return;
      const delay = Math.min((settings.loginRetryMs ?? 5000) * 2 ** attempt, 60_000);
      retryTimer = setTimeout(() => void login(attempt + 1), delay);
    }
  }

  return {
    platform: 'discord',
    client,
    sender: createDiscordSender({
      rest: client.rest,
      chatState: deps.chatState,
      logger,
      telemetry: deps.telemetry,
      now: deps.now,
      render,
      ...(deps.limiter === undefined ? {} : { limiter: deps.limiter }),
    }),

    async start() {
      if (started) return;
      started = true;
      await login(0);
    },

    async stop() {
      if (stopping) return;
      stopping = true;
      clearTimeout(retryTimer);
      if (!(await inFlight.drain(settings.stopTimeoutMs ?? 5000))) {
        logger.warn({ unfinished: inFlight.size }, 'discord stopped with interactions still in flight');
      }
      await client.destroy();
      health = { status: 'stopped' };
      logger.info('discord stopped');
    },

    health() {
      return health;
    },
  };
}
