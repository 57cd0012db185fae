/**
 * The Telegram bot: a grammY `Bot` that takes updates by long polling (default, with
 * `@grammyjs/runner`, one update at a time per chat) or by webhook (its own node:http server that
 * rejects requests without the secret), answers through the command router, and sends digests.
 *
 * Resilience comes from grammY's plugins where they already do the job: `@grammyjs/auto-retry`
 * waits out 429s (`retry_after`) and backs off on 5xx for every call; the runner retries failed
 * `getUpdates`. This module adds what they do not: start-up that retries `getMe`, the command
 * menu and the webhook with backoff instead of crashing; health that says what is wrong; and a
 * stop that lets in-flight answers finish.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner';
import { Api, Bot, webhookCallback, type BotError, type Context, type RawApi, type Transformer } from 'grammy';
import type { BotCommand, UserFromGetMe } from 'grammy/types';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { createRateLimiter, DEFAULT_RATE_LIMIT } from '../../commands/rate-limit.js';
import { apologyReply } from '../../commands/router.js';
import type { CommandDefinition } from '../../commands/types.js';
import { DeliveryError } from '../../delivery/types.js';
import type { AdapterDeps, ComponentHealth, PlatformRuntime } from '../types.js';
import { describeFailure, failsForGood, failureKind, failureOf, isNotModified, telegramFailure } from './errors.js';
import { createFollowUpKeys } from '../follow-up-keys.js';
import { createUpdateHandlers } from './handlers.js';
import { createModeratorCheck } from './moderators.js';
import { plainLine, TELEGRAM_LIMITS } from './render.js';
import { createTelegramSender, type ReplyRetry, type TelegramSender } from './sender.js';
import { InFlight } from '../../app/shutdown.js';

export interface TelegramWebhookSettings {
  /** The public URL Telegram posts updates to (its path is the path this server answers on). */
  url: string;
  /** The port the webhook server listens on. */
  port: number;
  /** The address it listens on. Default `0.0.0.0`. */
  host?: string;
  /** `X-Telegram-Bot-Api-Secret-Token`: requests without it get 401. 1–256 of `A-Z a-z 0-9 _ -`. */
  secret: string;
}

export interface TelegramSettings {
  /** The bot token from @BotFather. */
  token: string;
  /** A Bot API server without a trailing slash (self-hosted, or the fake in tests). Default Telegram's. */
  apiRoot?: string;
  /** Webhook mode; long polling when absent. */
  webhook?: TelegramWebhookSettings;
  /** The bot's own user, to skip `getMe` (tests). */
  botInfo?: UserFromGetMe;
  /** Long polling: seconds Telegram may hold a `getUpdates` (default 30) and updates handled at once (default 100). */
  polling?: { timeoutSeconds?: number; concurrency?: number };
  retry?: {
    /** First wait before retrying a failed start-up step (ms, doubles). Default 1000. */
    startupInitialMs?: number;
    /** Longest wait between start-up retries (ms). Default 60 000. */
    startupMaxMs?: number;
    /** Longest `retry_after` (s) auto-retry waits out; a longer one fails the call. Default 60. */
    maxDelaySeconds?: number;
    /** Retries of one call after 429/5xx. Default 3. */
    maxRetryAttempts?: number;
    /** Fail at once on 5xx instead of backing off (3 s, 6 s, …). Default false. */
    rethrowInternalServerErrors?: boolean;
  };
  /** Per-user limit on incoming commands. Default 8 per 30 s. */
  rateLimit?: { limit: number; windowMs: number };
  /** Seconds Telegram may cache an inline answer. Default 60 (the story moves fast). */
  inlineCacheSeconds?: number;
  /** How long an administrator check is remembered (ms). Default 60 000. */
  moderatorCacheMs?: number;
  /** How long `stop()` waits for updates in flight (ms). Default 5000. */
  stopTimeoutMs?: number;
  /**
   * Seconds a sendMessage may take before its outcome is taken as unknown (default 15): the
   * message is then sent again (a digest part once more, an answer within its retries).
   */
  sendTimeoutSeconds?: number;
  /** How answers wait out 429s and retry 5xx (see {@link ReplyRetry}). */
  replyRetry?: Partial<ReplyRetry>;
}

/** The runtime, plus the grammY bot and the sender for tests and diagnostics. */
export interface TelegramRuntime extends PlatformRuntime {
  readonly bot: Bot;
  readonly sender: TelegramSender;
}

/** One start-up part: not tried yet, done, failing (retrying) or failed for good. */
interface Part {
  state: 'pending' | 'ok' | 'failing' | 'failed';
  detail?: string;
}

const ALLOWED_UPDATES = ['message', 'callback_query', 'inline_query', 'my_chat_member'] as const;

/** The command menu: visible commands, descriptions from their one definition, at most 100. */
export function menuCommands(definitions: readonly CommandDefinition[]): BotCommand[] {
  return definitions
    .filter((d) => d.hidden !== true && /^[a-z0-9_]{1,32}$/.test(d.name))
    .slice(0, TELEGRAM_LIMITS.commands)
    .map((d) => ({ command: d.name, description: plainLine(d.description, TELEGRAM_LIMITS.commandDescription) || d.name }));
}

/**
 * Create the Telegram runtime: `start()` begins connecting and resolves after the first attempt
 * (failures are retried in the background); `stop()` stops taking updates and lets the ones in
 * flight finish (bounded).
 *
 * @example
 * const telegram = createTelegramRuntime(
 *   { token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT },
 *   { router, inlineAnswers, chatState, followUps: store, logger, telemetry, now: () => new Date() },
 * );
 * await telegram.start();
 */
export function createTelegramRuntime(settings: TelegramSettings, deps: AdapterDeps): TelegramRuntime {
  const logger = deps.logger.child({ platform: 'telegram' });
  const bot = new Bot(settings.token, {
    ...(settings.botInfo === undefined ? {} : { botInfo: settings.botInfo }),
    client: {
      ...(settings.apiRoot === undefined ? {} : { apiRoot: settings.apiRoot.replace(/\/+$/, '') }),
      // Longer than a long poll, shorter than grammY's 500 s default: a dead connection is noticed.
      timeoutSeconds: (settings.polling?.timeoutSeconds ?? 30) + 30,
    },
  });
  const retry = settings.retry ?? {};

  // Health is derived from three start-up parts: who the bot is (getMe), how updates arrive
  // (polling or webhook), and the command menu. Connected = all three done.
  const parts: Record<'identity' | 'updates' | 'menu', Part> = { identity: { state: 'pending' }, updates: { state: 'pending' }, menu: { state: 'pending' } };
  let stopped = false;
  let started = false;
  let stopping = false;
  let runner: RunnerHandle | undefined;
  let webhookServer: Server | undefined;
  const stopSignal = new AbortController();
  // grammY types its signal parameter with a shim of AbortSignal; the runtime object is the same.
  const abortSignal = stopSignal.signal as Parameters<typeof bot.api.getMe>[0];
  const inFlight = new InFlight();

  // Sees every raw call (auto-retry, installed after it, wraps it): the one place failures are
  // reported, and where polling health is learnt.
  const observe: Transformer<RawApi> = async (prev, method, payload, signal) => {
    try {
      const result = await prev(method, payload, signal);
      if (result.ok) {
        if (method === 'getUpdates' && parts.updates.state === 'failing') parts.updates = { state: 'ok' };
      } else {
        const failure = failureOf(result);
        if (!isNotModified(failure)) {
          deps.telemetry.platformError('telegram', failureKind(failure), new Error(`${method}: ${result.error_code} ${result.description}`));
          logger.warn({ method, code: result.error_code, description: result.description, retryAfter: result.parameters?.retry_after }, 'telegram call failed');
        }
        if (method === 'getUpdates' && !stopping) parts.updates = { state: 'failing', detail: `getUpdates failed: ${result.error_code} ${result.description}` };
      }
      return result;
    } catch (error) {
      if (!signal?.aborted && !stopping) {
        deps.telemetry.platformError('telegram', 'transient', error);
        logger.warn({ method, err: error }, 'telegram unreachable');
        if (method === 'getUpdates') parts.updates = { state: 'failing', detail: `cannot reach Telegram: ${describeFailure(error)}` };
      }
      throw error;
    }
  };
  bot.api.config.use(observe);
  bot.api.config.use(
    autoRetry({
      maxDelaySeconds: retry.maxDelaySeconds ?? 60,
      maxRetryAttempts: retry.maxRetryAttempts ?? 3,
      rethrowInternalServerErrors: retry.rethrowInternalServerErrors ?? false,
      // Network errors come back to the caller (digests retry later; the runner retries polling)
      // instead of being retried here for up to an hour.
      rethrowHttpErrors: true,
    }),
  );

  // Messages go through their own API without auto-retry: the sender and the digest queue decide
  // what to retry (one chat's long wait must not hold a worker), with a shorter timeout after
  // which the outcome of a send counts as unknown.
  const sendApi = new Api(settings.token, {
    ...(settings.apiRoot === undefined ? {} : { apiRoot: settings.apiRoot.replace(/\/+$/, '') }),
    timeoutSeconds: settings.sendTimeoutSeconds ?? 15,
  });
  sendApi.config.use(observe);
  const sender = createTelegramSender({
    api: sendApi,
    chatState: deps.chatState,
    logger,
    now: deps.now,
    ...(deps.limiter === undefined ? {} : { limiter: deps.limiter }),
    ...(settings.replyRetry === undefined ? {} : { replyRetry: settings.replyRetry }),
  });
  const limiter = createRateLimiter(settings.rateLimit ?? DEFAULT_RATE_LIMIT);
  const moderators = createModeratorCheck({ api: bot.api, logger, ttlMs: settings.moderatorCacheMs ?? 60_000 });

  // In-flight tracking first, so stop() can wait for every update that started.
  bot.use((_ctx, next) => inFlight.track(next()));
  // One update at a time per chat: answers in a chat keep the order of the questions.
  bot.use(sequentialize((ctx: Context) => ctx.chat?.id.toString()));
  bot.use(
    createUpdateHandlers({
      router: deps.router,
      inlineAnswers: deps.inlineAnswers,
      sender,
      moderators,
      limiter,
      chatState: deps.chatState,
      followUpKeys: createFollowUpKeys(deps.followUps, { now: deps.now, logger }),
      logger,
      telemetry: deps.telemetry,
      now: deps.now,
      inlineCacheSeconds: settings.inlineCacheSeconds ?? 60,
      me: () => ({ username: bot.botInfo.username, id: bot.botInfo.id }),
    }),
  );

  bot.catch(async (error: BotError) => {
    const ctx = error.ctx;
    const cause = error.error;
    const updateId = ctx.update.update_id;
    if (cause instanceof DeliveryError && cause.kind !== 'invalid') {
      // The answer could not be delivered (blocked, rate-limited, Telegram down): nothing to apologise through.
      logger.warn({ updateId, kind: cause.kind, err: cause }, 'telegram answer not delivered');
      return;
    }
    logger.error({ updateId, err: cause }, 'telegram update failed');
    try {
      if (ctx.callbackQuery !== undefined) await ctx.answerCallbackQuery({ text: apologyReply().title });
      else if (ctx.chat !== undefined && ctx.inlineQuery === undefined) await sender.deliver(String(ctx.chat.id), apologyReply());
    } catch (apologyError) {
      logger.warn({ updateId, err: apologyError }, 'could not send the apology either');
    }
  });

  /** Wait `ms`, or less if the runtime stops meanwhile. */
  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (stopSignal.signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        stopSignal.signal.removeEventListener('abort', done);
        resolve();
      }
      stopSignal.signal.addEventListener('abort', done);
    });
  }

  /**
   * Run a start-up step until it succeeds, with exponential backoff; `false` when it failed for
   * good (rejected token or request) or the runtime stopped.
   */
  async function untilDone(step: string, action: () => Promise<unknown>, onFailure: (detail: string) => void, afterFirstAttempt?: () => void): Promise<boolean> {
    let wait = retry.startupInitialMs ?? 1000;
    for (let attempt = 1; !stopping; attempt += 1) {
      try {
        await action();
        return true;
      } catch (error) {
        if (stopping) return false;
        const permanent = failsForGood(error);
        onFailure(describeFailure(error));
        if (attempt === 1) afterFirstAttempt?.();
        logger.error({ step, attempt, err: error, retryInMs: permanent ? undefined : wait }, permanent ? `telegram ${step} failed for good` : `telegram ${step} failed; will retry`);
        if (permanent) return false;
        await pause(wait);
        wait = Math.min(wait * 2, retry.startupMaxMs ?? 60_000);
      }
    }
    return false;
  }

  async function registerMenu(): Promise<void> {
    const commands = menuCommands(deps.router.definitions);
    const done = await untilDone('setMyCommands', () => bot.api.setMyCommands(commands, undefined, abortSignal), (detail) => {
      parts.menu = { state: 'failing', detail: `command menu not registered yet: ${detail}` };
    });
    if (stopping) return;
    if (done) {
      parts.menu = { state: 'ok' };
      logger.info({ commands: commands.length }, 'telegram command menu registered');
    } else {
      parts.menu = { state: 'failed', detail: 'Telegram rejected the command menu; commands still work when typed' };
    }
  }

  function startPolling(attempt = 0): void {
    if (stopping) return;
    runner = run(bot, {
      runner: {
        fetch: { timeout: settings.polling?.timeoutSeconds ?? 30, allowed_updates: ALLOWED_UPDATES },
        silent: true,
        retryInterval: 'exponential',
      },
      sink: { concurrency: settings.polling?.concurrency ?? 100 },
    });
    const task = runner.task();
    void task?.then(
      () => undefined,
      async (error: unknown) => {
        if (stopping) return;
        const code = telegramFailure(error)?.code;
        const rejectedToken = code === 401;
        parts.updates = { state: rejectedToken ? 'failed' : 'failing', detail: `polling stopped: ${describeFailure(error)}` };
        logger.error({ err: error }, rejectedToken ? 'telegram rejected the bot token; polling stopped' : 'telegram polling stopped; restarting');
        if (rejectedToken) return;
        // 409: another instance polls with this token, or a webhook was set behind our back.
        await pause(Math.min((retry.startupInitialMs ?? 1000) * 2 ** attempt, retry.startupMaxMs ?? 60_000));
        if (code === 409) await bot.api.deleteWebhook().catch(() => undefined);
        startPolling(attempt + 1);
      },
    );
  }

  async function listenForWebhook(webhook: TelegramWebhookSettings): Promise<void> {
    const path = new URL(webhook.url).pathname;
    const handle = webhookCallback(bot, 'http', { secretToken: webhook.secret, onTimeout: 'return', timeoutMilliseconds: 10_000 });
    webhookServer = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== path) {
        res.writeHead(404).end();
        return;
      }
      if (req.method !== 'POST') {
        res.writeHead(405, { allow: 'POST' }).end();
        return;
      }
      handle(req, res).catch((error: unknown) => {
        logger.error({ err: error }, 'telegram webhook request failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    webhookServer.listen(webhook.port, webhook.host ?? '0.0.0.0');
    await once(webhookServer, 'listening');
    logger.info({ port: webhook.port, path }, 'telegram webhook server listening');
  }

  async function registerWebhook(webhook: TelegramWebhookSettings): Promise<void> {
    const registered = await untilDone(
      'setWebhook',
      () => bot.api.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES] }, abortSignal),
      (detail) => {
        parts.updates = { state: 'failing', detail: `webhook not registered yet: ${detail}` };
      },
    );
    if (stopping) return;
    parts.updates = registered ? { state: 'ok' } : { state: 'failed', detail: 'Telegram refused the webhook: check TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET' };
    if (registered) logger.info({ url: webhook.url }, 'telegram webhook registered');
  }

  async function boot(afterFirstAttempt: () => void): Promise<void> {
    const known = await untilDone(
      'getMe',
      async () => {
        // getMe ourselves rather than bot.init(): init retries 5xx silently for up to 20 minutes,
        // and the operator should see (in logs and health) why the bot is not up.
        if (!bot.isInited()) bot.botInfo = await bot.api.getMe(abortSignal);
      },
      (detail) => {
        parts.identity = { state: 'failing', detail: `cannot reach Telegram: ${detail}` };
      },
      afterFirstAttempt,
    );
    if (!known) {
      if (!stopping) parts.identity = { state: 'failed', detail: 'Telegram rejected the bot token: set TELEGRAM_BOT_TOKEN to the token from @BotFather' };
      afterFirstAttempt();
      return;
    }
    parts.identity = { state: 'ok' };
    logger.info({ username: bot.botInfo.username, mode: settings.webhook === undefined ? 'polling' : 'webhook' }, 'telegram bot known');
    const menu = registerMenu();
    if (settings.webhook !== undefined) {
      await listenForWebhook(settings.webhook);
      afterFirstAttempt();
      await registerWebhook(settings.webhook);
    } else {
      afterFirstAttempt();
      // A webhook left over from an earlier deployment would make getUpdates fail with 409.
      const ready = await untilDone('deleteWebhook', () => bot.api.deleteWebhook(undefined, abortSignal), (detail) => {
        parts.updates = { state: 'failing', detail: `cannot prepare long polling: ${detail}` };
      });
      if (ready && !stopping) {
        // Telegram answered: polling works from here; a failing getUpdates flips this back.
        parts.updates = { state: 'ok' };
        startPolling();
      }
    }
    await menu;
  }

  let booting: Promise<void> | undefined;

  function summarise(): ComponentHealth {
    if (stopped) return { status: 'stopped' };
    if (!started) return { status: 'stopped', detail: 'not started' };
    const { identity, updates, menu } = parts;
    if (identity.state !== 'ok') {
      return { status: identity.state === 'pending' ? 'connecting' : 'down', detail: identity.detail ?? 'asking Telegram who the bot is (getMe)' };
    }
    if (updates.state === 'failed') return { status: 'down', ...(updates.detail === undefined ? {} : { detail: updates.detail }) };
    if (updates.state !== 'ok') return { status: 'connecting', detail: updates.detail ?? (settings.webhook === undefined ? 'starting long polling' : 'registering the webhook') };
    if (menu.state === 'pending' || menu.state === 'failing') return { status: 'connecting', detail: menu.detail ?? 'registering the command menu' };
    return menu.state === 'failed' && menu.detail !== undefined ? { status: 'connected', detail: menu.detail } : { status: 'connected' };
  }

  return {
    platform: 'telegram',
    bot,
    sender,

    async start() {
      if (started) return;
      started = true;
      // Resolve once the first getMe attempt is over: later steps and retries go on in the background.
      let firstAttemptOver: () => void = () => undefined;
      const firstAttempt = new Promise<void>((resolve) => (firstAttemptOver = resolve));
      booting = boot(() => firstAttemptOver()).catch((error: unknown) => {
        parts.identity = { state: 'failed', detail: describeFailure(error) };
        logger.error({ err: error }, 'telegram start-up failed');
      });
      await Promise.race([booting, firstAttempt]);
    },

    async stop() {
      if (stopping || !started) {
        stopped = true;
        return;
      }
      stopping = true;
      stopSignal.abort();
      if (runner?.isRunning() === true) await runner.stop();
      if (webhookServer !== undefined) {
        const server = webhookServer;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
      }
      if (!(await inFlight.drain(settings.stopTimeoutMs ?? 5000))) {
        logger.warn({ unfinished: inFlight.size }, 'telegram stopped with updates still in flight');
      }
      webhookServer?.closeAllConnections();
      await booting;
      stopped = true;
      logger.info('telegram stopped');
    },

    health() {
      return summarise();
    },
  };
}
