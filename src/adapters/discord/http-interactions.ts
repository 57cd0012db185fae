/**
 * Discord over HTTP: the interactions endpoint (`POST /interactions`) that Discord calls instead
 * of sending interactions over the gateway. No connection is held, so any number of instances
 * can answer behind a load balancer.
 *
 * Every request's Ed25519 signature (`X-Signature-Ed25519` over `X-Signature-Timestamp` + body)
 * is checked with the application's public key by Node's crypto before anything is read; a
 * missing or wrong signature is answered 401 and nothing runs. Discord's rules are then the same
 * as over the gateway: PING → PONG; a command is answered in the HTTP response if ready within
 * `deferAfterMs`, else deferred there and completed by editing `@original` over REST; autocomplete
 * is answered at once. No business logic here: the router decides, `render.ts` lays it out.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Routes, type REST } from 'discord.js';
import { apologyReply, type CommandRouter } from '../../commands/router.js';
import type { CommandContext } from '../../commands/types.js';
import type { Logger } from '../../observability/logger.js';
import type { Telemetry } from '../../observability/telemetry.js';
import type { Reply } from '../../replies/reply.js';
import { toDeliveryError } from './errors.js';
import { expiredFollowUpReply } from '../../commands/follow-ups.js';
import { FOLLOW_UP_KEY_PREFIX, type FollowUpKeys } from '../follow-up-keys.js';
import { EXPIRED, prepare, RESTARTING } from './interactions.js';
import type { PageStore } from './pages.js';
import { DISCORD_LIMITS, MORE_PREFIX, pageMessage, renderReply, type DiscordMessageBody, type RenderOptions } from './render.js';
import { shorten } from './text.js';

/** Largest request body read (an interaction is a few kilobytes). */
const MAX_BODY_BYTES = 256 * 1024;
/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const EPHEMERAL = 64;
/** Manage Channels or Administrator: a moderator for Dossier. */
const MODERATOR_BITS = 0x10n | 0x8n;

/** Interaction and callback types (Discord API v10). */
const TYPE = { ping: 1, command: 2, component: 3, autocomplete: 4 } as const;
const CALLBACK = { pong: 1, message: 4, deferredMessage: 5, deferredUpdate: 6, update: 7, choices: 8 } as const;

/**
 * The application's public key (64 hex characters, Developer Portal → General Information) as
 * a key Node's crypto verifies with.
 *
 * @throws {Error} when the text is not 32 bytes of hex.
 */
export function discordPublicKey(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('A Discord public key is 64 hexadecimal characters.');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

/**
 * Whether `signatureHex` is the application's Ed25519 signature of `timestamp` + `body`.
 * Never throws: anything malformed is simply not a valid signature.
 */
export function verifyDiscordSignature(key: KeyObject, signatureHex: string | undefined, timestamp: string | undefined, body: Buffer): boolean {
  if (signatureHex === undefined || timestamp === undefined || !/^[0-9a-fA-F]{128}$/.test(signatureHex)) return false;
  try {
    return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}

export interface HttpInteractionDeps {
  router: CommandRouter;
  logger: Logger;
  telemetry: Telemetry;
  now: () => Date;
  pages: PageStore;
  render: RenderOptions;
  /** Follow-ups too long for a button, kept under keys in the database (any instance finds them). */
  followUpKeys: FollowUpKeys;
  /** REST client with the bot token, for follow-ups. */
  rest: REST;
  applicationId: string;
  publicKey: KeyObject;
  /** Defer a command whose answer is not ready after this long (ms); well under Discord's 3 s. */
  deferAfterMs: number;
  isStopping: () => boolean;
  /** Follow-up work still running after the HTTP answer (so a stop can wait for it). */
  track: (work: Promise<unknown>) => void;
}

interface RawOption {
  name: string;
  value?: unknown;
  focused?: boolean;
}

interface RawInteraction {
  id: string;
  type: number;
  token: string;
  guild_id?: string;
  channel_id?: string;
  member?: { user?: RawUser; permissions?: string };
  user?: RawUser;
  data?: { name?: string; options?: RawOption[]; custom_id?: string };
}

interface RawUser {
  id: string;
  username?: string;
  global_name?: string | null;
}

/** An answer rendered, with its keys and pages saved. */
type Prepared = Awaited<ReturnType<typeof prepare>>;

/** An interaction callback: what goes in the HTTP response. */
type Callback = { type: number; data?: Record<string, unknown> };

/**
 * The request handler for `POST /interactions`.
 *
 * @example
 * const handle = createInteractionsHandler(deps);
 * routes.set('/interactions', handle);
 */
export function createInteractionsHandler(deps: HttpInteractionDeps): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    if (request.method !== 'POST') {
      response.setHeader('Allow', 'POST');
      return sendJson(response, 405, { error: 'method not allowed' });
    }
    const body = await readBody(request);
    if (body === undefined) return sendJson(response, 413, { error: 'request too large' });
    const signature = header(request, 'x-signature-ed25519');
    const timestamp = header(request, 'x-signature-timestamp');
    if (!verifyDiscordSignature(deps.publicKey, signature, timestamp, body)) {
      deps.logger.warn({ path: '/interactions', signed: signature !== undefined }, 'discord interaction refused: bad or missing signature');
      return sendJson(response, 401, { error: 'invalid request signature' });
    }
    let interaction: RawInteraction;
    try {
      interaction = JSON.parse(body.toString('utf8')) as RawInteraction;
    } catch {
      return sendJson(response, 400, { error: 'body is not JSON' });
    }
    const answer = (callback: Callback) => sendJson(response, 200, callback);
    try {
      switch (interaction.type) {
        case TYPE.ping:
          return answer({ type: CALLBACK.pong });
        case TYPE.autocomplete:
          return answer(autocomplete(interaction, deps));
        case TYPE.command:
          return await command(interaction, deps, answer);
        case TYPE.component:
          return await component(interaction, deps, answer);
        default:
          deps.logger.debug({ interactionId: interaction.id, type: interaction.type }, 'discord interaction ignored');
          return sendJson(response, 400, { error: 'unknown interaction type' });
      }
    } catch (error) {
      deps.logger.error({ err: error, interactionId: interaction.id, platform: 'discord' }, 'discord interaction failed');
      deps.telemetry.platformError('discord', toDeliveryError(error, interaction.channel_id ?? '').kind);
      if (!response.headersSent) answer({ type: CALLBACK.message, data: { ...withoutMentions(pageMessage(renderReply(apologyReply(), deps.render), 0)), flags: EPHEMERAL } });
    }
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/json');
  response.setHeader('Content-Length', Buffer.byteLength(text));
  response.end(text);
}

/** Who and where, in the router's neutral terms. Moderator = Manage Channels (anyone in a DM). */
function contextOf(interaction: RawInteraction, now: Date): CommandContext {
  const inGuild = interaction.guild_id !== undefined;
  const user = interaction.member?.user ?? interaction.user ?? { id: 'unknown' };
  let permissions = 0n;
  try {
    permissions = BigInt(interaction.member?.permissions ?? '0');
  } catch {
    permissions = 0n;
  }
  return {
    chat: { platform: 'discord', id: interaction.channel_id ?? user.id, type: inGuild ? 'group' : 'private' },
    user: { id: user.id, name: user.global_name ?? user.username ?? user.id, isModerator: !inGuild || (permissions & MODERATOR_BITS) !== 0n },
    now,
  };
}

/** The command line the router reads: `/name` plus the option values in declared order. */
function commandLine(interaction: RawInteraction, router: CommandRouter): string {
  const name = interaction.data?.name ?? '';
  const given = interaction.data?.options ?? [];
  const names = router.find(name)?.options.map((o) => o.name) ?? given.map((o) => o.name);
  const values = names
    .map((n) => given.find((o) => o.name === n)?.value)
    .filter((v) => v !== undefined && v !== null)
    .map((v) => String(v).trim())
    .filter((v) => v !== '');
  return values.length === 0 ? `/${name}` : `/${name} ${values.join(' ')}`;
}

function autocomplete(interaction: RawInteraction, deps: HttpInteractionDeps): Callback {
  let choices: Array<{ name: string; value: string }> = [];
  if (!deps.isStopping()) {
    try {
      const focused = interaction.data?.options?.find((o) => o.focused === true);
      if (focused !== undefined) {
        choices = deps.router
          .autocomplete(interaction.data?.name ?? '', focused.name, String(focused.value ?? ''))
          .map((c) => ({ name: shorten(c.name.trim(), DISCORD_LIMITS.choiceText), value: shorten(c.value.trim(), DISCORD_LIMITS.choiceText) }))
          .filter((c) => c.name !== '' && c.value !== '')
          .slice(0, DISCORD_LIMITS.choices);
      }
    } catch (error) {
      deps.logger.error({ err: error, interactionId: interaction.id }, 'discord autocomplete failed');
      choices = [];
    }
  }
  return { type: CALLBACK.choices, data: { choices } };
}

/**
 * Run `work`; answer in the HTTP response if it is ready within `deferAfterMs`, otherwise answer
 * with `deferral` now and hand the result to `later` (over REST), tracked for a graceful stop.
 */
async function answerOrDefer(
  work: Promise<Prepared>,
  deps: HttpInteractionDeps,
  answer: (callback: Callback) => void,
  now: (prepared: Prepared) => Callback,
  deferral: Callback,
  later: (prepared: Prepared) => Promise<void>,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = Symbol('late');
  const first = await Promise.race([work, new Promise<typeof late>((resolve) => (timer = setTimeout(() => resolve(late), deps.deferAfterMs)))]);
  clearTimeout(timer);
  if (first !== late) return answer(now(first));
  answer(deferral);
  deps.track(
    work
      .catch(() => prepare(apologyReply(), deps))
      .then(later)
      .catch((error: unknown) => {
        deps.logger.error({ err: error, platform: 'discord' }, 'discord follow-up failed');
        deps.telemetry.platformError('discord', toDeliveryError(error, '').kind);
      }),
  );
}

async function command(interaction: RawInteraction, deps: HttpInteractionDeps, answer: (callback: Callback) => void): Promise<void> {
  if (deps.isStopping()) return answer({ type: CALLBACK.message, data: { ...withoutMentions(pageMessage(renderReply(RESTARTING, deps.render), 0)), flags: EPHEMERAL } });
  const work = deps.router
    .handle(commandLine(interaction, deps.router), contextOf(interaction, deps.now()), { updateId: interaction.id })
    .then((r) => prepare(r?.reply ?? apologyReply(), deps));
  const original = Routes.webhookMessage(deps.applicationId, interaction.token, '@original');
  await answerOrDefer(
    work,
    deps,
    answer,
    ({ rendered, body }) => ({ type: CALLBACK.message, data: { ...withoutMentions(body), ...(rendered.ephemeral ? { flags: EPHEMERAL } : {}) } }),
    { type: CALLBACK.deferredMessage },
    async ({ rendered, body }) => {
      if (!rendered.ephemeral) {
        await deps.rest.patch(original, { body: withoutMentions(body) });
        return;
      }
      // A deferral is public; an ephemeral answer replaces it with a message only the asker sees.
      await deps.rest.delete(original);
      await deps.rest.post(Routes.webhook(deps.applicationId, interaction.token), { body: { ...withoutMentions(body), flags: EPHEMERAL } });
    },
  );
}

async function component(interaction: RawInteraction, deps: HttpInteractionDeps, answer: (callback: Callback) => void): Promise<void> {
  const id = interaction.data?.custom_id ?? '';
  const privately = (reply: Reply): Callback => ({ type: CALLBACK.message, data: { ...withoutMentions(pageMessage(renderReply(reply, deps.render), 0)), flags: EPHEMERAL } });
  if (id.startsWith(MORE_PREFIX)) {
    const [key = '', pageText = ''] = id.slice(MORE_PREFIX.length).split(':');
    const rendered = await deps.pages.get(key);
    const page = Number(pageText);
    if (rendered === undefined || !Number.isInteger(page) || page < 0 || page >= rendered.pages.length) return answer(privately(EXPIRED));
    const more = page + 1 < rendered.pages.length ? `${MORE_PREFIX}${key}:${page + 1}` : undefined;
    return answer({ type: CALLBACK.update, data: withoutMentions(pageMessage(rendered, page, more)) });
  }
  if (deps.isStopping()) return answer(privately(RESTARTING));
  const command = id.startsWith('/') || id.startsWith(FOLLOW_UP_KEY_PREFIX) ? await deps.followUpKeys.commandOf(id) : undefined;
  if (command === undefined) return answer(privately(expiredFollowUpReply()));
  const work = deps.router
    .handle(command, contextOf(interaction, deps.now()), { updateId: interaction.id, followUp: true })
    .then((r) => prepare(r?.reply ?? apologyReply(), deps));
  await answerOrDefer(
    work,
    deps,
    answer,
    // An error or hint goes to the presser only; otherwise the pressed message is updated in place.
    ({ rendered, body }) => (rendered.ephemeral ? { type: CALLBACK.message, data: { ...withoutMentions(body), flags: EPHEMERAL } } : { type: CALLBACK.update, data: withoutMentions(body) }),
    { type: CALLBACK.deferredUpdate },
    async ({ rendered, body }) => {
      if (rendered.ephemeral) await deps.rest.post(Routes.webhook(deps.applicationId, interaction.token), { body: { ...withoutMentions(body), flags: EPHEMERAL } });
      else await deps.rest.patch(Routes.webhookMessage(deps.applicationId, interaction.token, '@original'), { body: withoutMentions(body) });
    },
  );
}

/** No text of a reply may ping anyone: say so on every message (there is no client-wide setting over HTTP). */
function withoutMentions(body: DiscordMessageBody): Record<string, unknown> {
  return { ...body, allowed_mentions: { parse: [] } };
}
