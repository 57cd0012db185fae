/**
 * Discord without a gateway: interactions arrive as signed HTTP requests on the bot's HTTP port
 * (`POST /interactions`, see `http-interactions.ts`) and everything the bot sends goes over REST.
 * Nothing is held open, so any number of instances can answer behind a load balancer; the
 * gateway runtime (`runtime.ts`) stays for a single instance.
 */
import { REST, RESTEvents } from 'discord.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InFlight } from '../../app/shutdown.js';
import type { AdapterDeps, ComponentHealth, PlatformRuntime } from '../types.js';
import { createInteractionsHandler, discordPublicKey } from './http-interactions.js';
import { createFollowUpKeys } from '../follow-up-keys.js';
import { createPageStore } from './pages.js';
import { createDiscordSender } from './sender.js';

export interface DiscordHttpSettings {
  token: string;
  applicationId: string;
  /** The application's public key, 64 hex characters. */
  publicKey: string;
  apiUrl?: string;
  storyName?: string;
  /** Defer a command not answered after this long (ms). Default 1500: half of Discord's 3 s. */
  deferAfterMs?: number;
  /** How long `stop()` waits for follow-ups in flight (ms). Default 5000. */
  stopTimeoutMs?: number;
}

/** The runtime plus the request handler the HTTP server mounts at `/interactions`. */
export interface DiscordHttpRuntime extends PlatformRuntime {
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
}

/**
 * Create the HTTP-interactions runtime.
 *
 * @throws {Error} when the public key is not 64 hex characters (the settings check it first).
 * @example
 * const discord = createDiscordHttpRuntime({ token, applicationId, publicKey: config.DISCORD_PUBLIC_KEY }, deps);
 * routes.set('/interactions', discord.handle);
 */
export function createDiscordHttpRuntime(settings: DiscordHttpSettings, deps: AdapterDeps): DiscordHttpRuntime {
  const logger = deps.logger.child({ platform: 'discord', mode: 'http' });
  const rest = new REST(settings.apiUrl === undefined ? {} : { api: settings.apiUrl }).setToken(settings.token);
  rest.on(RESTEvents.Response, (request, response) => {
    if (response.status !== 429) return;
    deps.telemetry.platformError('discord', 'rate-limited');
    logger.warn({ route: request.route, method: request.method }, 'discord rate limit hit; the REST client will retry');
  });
  const inFlight = new InFlight();
  const render = settings.storyName === undefined ? {} : { storyName: settings.storyName };
  let state: ComponentHealth = { status: 'stopped', detail: 'not started' };
  let stopping = false;
  const followUpKeys = createFollowUpKeys(deps.followUps, { now: deps.now, logger });
  const handler = createInteractionsHandler({
    router: deps.router,
    logger,
    telemetry: deps.telemetry,
    now: deps.now,
    pages: createPageStore(followUpKeys),
    followUpKeys,
    render,
    rest,
    applicationId: settings.applicationId,
    publicKey: discordPublicKey(settings.publicKey),
    deferAfterMs: settings.deferAfterMs ?? 1500,
    isStopping: () => stopping,
    track: (work) => void inFlight.track(work),
  });

  return {
    platform: 'discord',
    sender: createDiscordSender({ rest, chatState: deps.chatState, logger, telemetry: deps.telemetry, now: deps.now, render }),
    handle: (request, response) => inFlight.track(handler(request, response)),
    async start() {
      state = { status: 'connected', detail: 'answering POST /interactions' };
      logger.info({ applicationId: settings.applicationId }, 'discord interactions endpoint ready');
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      if (!(await inFlight.drain(settings.stopTimeoutMs ?? 5000))) logger.warn({ unfinished: inFlight.size }, 'discord stopped with follow-ups still in flight');
      state = { status: 'stopped' };
    },
    health: () => state,
  };
}
