/**
 * A fake Telegram Bot API server for tests (node:http on 127.0.0.1, port 0).
 *
 * It answers `/bot<token>/<method>` with Telegram-shaped JSON, checks what the bot sends the way
 * Telegram does (HTML that parses, ≤ 4096 characters, callback data ≤ 64 bytes, ≤ 50 inline
 * results, ≤ 100 commands…), long-polls `getUpdates` (holds the request until an update is
 * queued or `timeout` passes: an idle bot never spins), delivers updates to a registered webhook
 * with the secret header, records every call, and injects failures: 429 with `retry_after`,
 * 403 blocked, 400 group-migrated with `migrate_to_chat_id`, 500 — one by one ({@link
 * FakeTelegramBotApi.failNext}) or as storms on `sendMessage` ({@link SendFaults}): 429s at a
 * rate (and a note of every bot request that came back before its `retry_after` was over), 5xx,
 * connections reset before or after a message was accepted, answers slower than the client
 * waits, and chats that always fail.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UserFromGetMe } from 'grammy/types';
import { checkTelegramHtml } from './telegram-html.js';
import { seededRandom } from '../support/seeded-random.js';
import {
  ALICE,
  callbackQueryBody,
  inlineQueryBody,
  myChatMemberBody,
  privateChatOf,
  textMessage,
  type FakeChat,
  type FakeMessage,
  type FakeUpdate,
  type FakeUser,
  type UpdateBody,
} from './telegram-updates.js';

/** How long a test waits for the bot by default: generous, since a loaded CI machine is slow; a pass never waits this long. */
const WAIT_MS = 10_000;

type Params = Record<string, unknown>;

/** What the server answered: Telegram's envelope. */
export type ApiAnswer =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } };

export interface ApiCall {
  method: string;
  params: Params;
  /** `Date.now()` when the request arrived. */
  at: number;
  answer?: ApiAnswer;
}

/** A failure to inject into the next calls of a method. */
export type InjectedFailure =
  | { kind: 'rate-limit'; retryAfter: number }
  | { kind: 'forbidden'; description?: string }
  | { kind: 'migrate'; migrateTo: number }
  | { kind: 'server-error' }
  | { kind: 'error'; code: number; description: string };

/** A message the bot sent (or edited), as the server stored it. */
export interface SentMessage {
  chatId: string;
  messageId: number;
  /** The HTML (or plain text) the bot sent. */
  source: string;
  /** The text Telegram would show (markup parsed). */
  text: string;
  parseMode?: string;
  replyMarkup?: { inline_keyboard?: Array<Array<{ text: string; callback_data?: string; url?: string }>> };
  params: Params;
  edits: number;
}

/** A share of calls, in [0, 1]. */
type Share = number;

/** Faults injected into `sendMessage`, drawn per call from a seeded generator (reproducible). */
export interface SendFaults {
  /** Answer 429 with `retry_after` (seconds). The chat is then held until it is over. */
  rateLimit?: { share: Share; retryAfter: number };
  /** Answer 500. */
  serverError?: { share: Share };
  /** Drop the connection before the message is accepted (nothing is stored). */
  resetBefore?: { share: Share };
  /** Accept (store) the message, then drop the connection: the bot never hears. At most `perChat` per chat. */
  resetAfter?: { share: Share; perChat?: number };
  /** Accept the message, then answer only after `delayMs` (past the client's timeout). At most `perChat` per chat. */
  slow?: { share: Share; delayMs: number; perChat?: number };
  /** Chats whose every message fails with 500, for good. */
  failingChats?: ReadonlySet<string>;
  /** Every other message is accepted at once and answered this much later (sends stay in flight). */
  latencyMs?: number;
  /** Seed of the generator (default 1). */
  seed?: number;
}


export interface FakeTelegramOptions {
  token?: string;
  botUser?: FakeUser;
}

const DEFAULT_TOKEN = '123456789:AAFakeTokenForTests_abcdefghijklmnop';
export const FAKE_BOT: FakeUser & { username: string } = { id: 777_000_111, is_bot: true, first_name: 'Dossier', username: 'DossierTestBot' };

function failureAnswer(failure: InjectedFailure): ApiAnswer {
  switch (failure.kind) {
    case 'rate-limit':
      return { ok: false, error_code: 429, description: `Too Many Requests: retry after ${failure.retryAfter}`, parameters: { retry_after: failure.retryAfter } };
    case 'forbidden':
      return { ok: false, error_code: 403, description: failure.description ?? 'Forbidden: bot was blocked by the user' };
    case 'migrate':
      return {
        ok: false,
        error_code: 400,
        description: 'Bad Request: group chat was upgraded to a supergroup chat',
        parameters: { migrate_to_chat_id: failure.migrateTo },
      };
    case 'server-error':
      return { ok: false, error_code: 500, description: 'Internal Server Error' };
    case 'error':
      return { ok: false, error_code: failure.code, description: failure.description };
  }
}

function bad(description: string, code = 400): ApiAnswer {
  return { ok: false, error_code: code, description: code === 400 ? `Bad Request: ${description}` : description };
}

/** Telegram accepts JSON-serialised objects inside form and query parameters. */
function decodeFormValue(value: string): unknown {
  if (/^[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const params: Params = {};
  for (const [key, value] of url.searchParams) params[key] = decodeFormValue(value);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  if (body === '') return params;
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return { ...params, ...(JSON.parse(body) as Params) };
  if (type.includes('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(body)) params[key] = decodeFormValue(value);
    return params;
  }
  throw new Error(`unsupported content type ${type}`);
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The fake server. Start it with {@link FakeTelegramBotApi.start}. */
export class FakeTelegramBotApi {
  readonly token: string;
  readonly botUser: FakeUser & { username: string };
  /** Every call, in arrival order. */
  readonly calls: ApiCall[] = [];
  /** Results of webhook deliveries (HTTP status per update id). */
  readonly webhookDeliveries: Array<{ updateId: number; status: number }> = [];

  readonly #server: Server;
  readonly #failures = new Map<string, InjectedFailure[]>();
  readonly #pending: FakeUpdate[] = [];
  readonly #waiters = new Set<{ wake: () => void }>();
  readonly #heldPolls = new Set<{ conflict: () => void }>();
  readonly #sent: SentMessage[] = [];
  readonly #chats = new Map<string, FakeChat>();
  readonly #members = new Map<string, string>();
  readonly #blocked = new Map<string, string>();
  readonly #migrated = new Map<string, number>();
  readonly #openCallbackQueries = new Set<string>();
  readonly #openInlineQueries = new Set<string>();
  #commands: unknown[] = [];
  #rateLimit: { perSecond: number; burst: number; tokens: number; last: number } | undefined;
  /** `sendMessage` calls over the per-bot rate limit set with {@link enforceRateLimit} (each answered 429). */
  rateLimitViolations = 0;
  #faults: SendFaults | undefined;
  #random: () => number = seededRandom(1);
  /** Per chat: until when a 429 holds it (epoch ms). */
  readonly #heldUntil = new Map<string, number>();
  readonly #unknownOutcomes = new Map<string, number>();
  /** Requests that came back before the `retry_after` the fake asked for was over. */
  readonly earlyRetries: Array<{ chatId: string; earlyByMs: number }> = [];
  #webhook: { url: string; secret?: string } | undefined;
  #nextUpdateId = 100_000;
  #nextMessageId = 1;
  #closed = false;

  private constructor(server: Server, options: FakeTelegramOptions) {
    this.#server = server;
    this.token = options.token ?? DEFAULT_TOKEN;
    this.botUser = { ...FAKE_BOT, ...options.botUser } as FakeUser & { username: string };
  }

  /** Start a fake on 127.0.0.1 with a free port. */
  static async start(options: FakeTelegramOptions = {}): Promise<FakeTelegramBotApi> {
    const holder: { fake?: FakeTelegramBotApi } = {};
    const server = createServer((req, res) => void holder.fake?.handle(req, res));
    const fake = new FakeTelegramBotApi(server, options);
    holder.fake = fake;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return fake;
  }

  /** What `client.apiRoot` should be (no trailing slash). */
  get apiRoot(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The bot as `getMe` returns it (usable as grammY's `botInfo`). */
  get botInfo(): UserFromGetMe {
    return {
      ...this.botUser,
      is_bot: true,
      can_manage_bots: false,
      supports_join_request_queries: false,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: true,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
    };
  }

  get webhook(): { url: string; secret?: string } | undefined {
    return this.#webhook;
  }

  /** The commands of the last successful `setMyCommands`. */
  get commands(): unknown[] {
    return this.#commands;
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Messages the bot sent, optionally to one chat, in order (edited ones show their latest text). */
  sent(chatId?: string | number): SentMessage[] {
    return chatId === undefined ? [...this.#sent] : this.#sent.filter((m) => m.chatId === String(chatId));
  }

  // ------------------------------------------------------------------------------------------
  // Steering the fake
  // ------------------------------------------------------------------------------------------

  /** Make the next `times` calls of `method` fail like this. */
  failNext(method: string, failure: InjectedFailure, times = 1): void {
    const list = this.#failures.get(method) ?? [];
    for (let i = 0; i < times; i += 1) list.push(failure);
    this.#failures.set(method, list);
  }

  /**
   * Hold the bot to a per-bot message rate, as Telegram does: a token bucket of `perSecond`
   * holding `burst` messages, checked on every `sendMessage` whichever process sends it; a
   * message over it is counted in {@link rateLimitViolations} and answered 429.
   */
  enforceRateLimit(perSecond: number, burst: number): void {
    this.#rateLimit = { perSecond, burst, tokens: burst, last: performance.now() };
  }

  #withinRate(): boolean {
    const limit = this.#rateLimit;
    if (limit === undefined) return true;
    const now = performance.now();
    limit.tokens = Math.min(limit.burst, limit.tokens + ((now - limit.last) / 1000) * limit.perSecond);
    limit.last = now;
    if (limit.tokens < 1) return false;
    limit.tokens -= 1;
    return true;
  }

  /** Inject {@link SendFaults} into every later `sendMessage` (`undefined` = none). */
  setFaults(faults: SendFaults | undefined): void {
    this.#faults = faults;
    this.#random = seededRandom(faults?.seed ?? 1);
  }

  /** How many sends to `chatId` the faults made of unknown outcome (accepted, but the bot never heard). */
  unknownOutcomes(chatId: string): number {
    return this.#unknownOutcomes.get(chatId) ?? 0;
  }

  /** Arrival times (epoch ms) of every `sendMessage` request, answered or not. */
  sendTimes(): number[] {
    return this.callsTo('sendMessage').map((c) => c.at);
  }

  /** From now on every send to `chatId` is 403 (the user blocked the bot, or it was kicked). */
  blockChat(chatId: number | string, description = 'Forbidden: bot was blocked by the user'): void {
    this.#blocked.set(String(chatId), description);
  }

  /** `oldId` became a supergroup `newId`: sends to the old id are 400 with `migrate_to_chat_id`. */
  migrateChat(oldId: number, newId: number): void {
    this.#migrated.set(String(oldId), newId);
  }

  /** Set a user's status in a chat for `getChatMember` (default `member`). */
  setChatMember(chatId: number, userId: number, status: 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked'): void {
    this.#members.set(`${chatId}:${userId}`, status);
  }

  /**
   * Queue an update: long polling picks it up, or it is POSTed to the webhook when one is set.
   * Returns the update with its id.
   */
  queue(body: UpdateBody): FakeUpdate {
    this.#nextUpdateId += 1;
    const update = { update_id: this.#nextUpdateId, ...body } as FakeUpdate;
    this.#remember(update);
    if (this.#webhook !== undefined) {
      void this.deliverWebhook(update).then(
        (r) => this.webhookDeliveries.push({ updateId: update.update_id, status: r.status }),
        () => this.webhookDeliveries.push({ updateId: update.update_id, status: 0 }),
      );
    } else {
      this.#pending.push(update);
      for (const waiter of [...this.#waiters]) waiter.wake();
    }
    return update;
  }

  /** Queue a private-chat text message from `from`. */
  privateMessage(text: string, from: FakeUser = ALICE): FakeUpdate & { message: FakeMessage } {
    return this.queue({ message: textMessage(text, privateChatOf(from), from) }) as FakeUpdate & { message: FakeMessage };
  }

  /** Queue a group text message. */
  groupMessage(text: string, chat: FakeChat, from: FakeUser = ALICE, extra: Partial<FakeMessage> = {}): FakeUpdate & { message: FakeMessage } {
    return this.queue({ message: textMessage(text, chat, from, extra) }) as FakeUpdate & { message: FakeMessage };
  }

  /** Queue a button press on a message the bot sent. */
  pressButton(sent: SentMessage, callbackData: string, from: FakeUser = ALICE): FakeUpdate & { callback_query: { id: string } } {
    const chat = this.#chats.get(sent.chatId) ?? { id: Number(sent.chatId), type: Number(sent.chatId) > 0 ? 'private' : 'supergroup' };
    const message: FakeMessage = {
      message_id: sent.messageId,
      from: this.botUser,
      chat,
      date: Math.floor(Date.now() / 1000),
      text: sent.text,
      ...(sent.replyMarkup === undefined ? {} : { reply_markup: sent.replyMarkup }),
    };
    const body = callbackQueryBody(callbackData, message, from);
    if ('callback_query' in body) this.#openCallbackQueries.add(body.callback_query.id);
    return this.queue(body) as FakeUpdate & { callback_query: { id: string } };
  }

  /** Queue an inline query (`@bot <query>` typed in any chat). */
  inlineQuery(query: string, from: FakeUser = ALICE): FakeUpdate & { inline_query: { id: string } } {
    const body = inlineQueryBody(query, from);
    if ('inline_query' in body) this.#openInlineQueries.add(body.inline_query.id);
    return this.queue(body) as FakeUpdate & { inline_query: { id: string } };
  }

  /** Queue a change of the bot's own membership in a chat (added, kicked, blocked…). */
  myChatMember(chat: FakeChat, oldStatus: string, newStatus: string, from: FakeUser = ALICE): FakeUpdate {
    return this.queue(myChatMemberBody(chat, from, this.botUser, oldStatus, newStatus));
  }

  /**
   * POST an update to the registered webhook, with the registered secret unless `secret` says
   * otherwise (`null` = no header).
   */
  async deliverWebhook(update: FakeUpdate, options: { secret?: string | null; url?: string } = {}): Promise<{ status: number; body: string }> {
    const url = options.url ?? this.#webhook?.url;
    if (url === undefined) throw new Error('No webhook is registered.');
    const secret = options.secret === undefined ? this.#webhook?.secret : options.secret;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== undefined && secret !== null) headers['x-telegram-bot-api-secret-token'] = secret;
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(update) });
    return { status: response.status, body: await response.text() };
  }

  /** Poll `probe` every 10 ms until it returns something, or fail after `timeoutMs`. */
  async waitFor<T>(probe: () => T | undefined | false, timeoutMs = WAIT_MS, what = 'the condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Wait for the `n`-th call (1-based, counting from the start) of `method` that matches. */
  async waitForCall(method: string, match: (call: ApiCall) => boolean = () => true, timeoutMs = WAIT_MS): Promise<ApiCall> {
    return this.waitFor(() => this.calls.find((c) => c.method === method && c.answer !== undefined && match(c)), timeoutMs, `a ${method} call`);
  }

  /** Wait until `count` messages were sent to `chatId`. */
  async waitForSent(chatId: string | number, count = 1, timeoutMs = WAIT_MS): Promise<SentMessage[]> {
    return this.waitFor(() => (this.sent(chatId).length >= count ? this.sent(chatId) : undefined), timeoutMs, `${count} message(s) to chat ${chatId}`);
  }

  /** Stop: held long polls answer `[]`, the server closes. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const waiter of [...this.#waiters]) waiter.wake();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // ------------------------------------------------------------------------------------------
  // Serving the Bot API
  // ------------------------------------------------------------------------------------------

  #remember(update: FakeUpdate): void {
    const chats: Array<FakeChat | undefined> = [];
    if ('message' in update) chats.push(update.message.chat);
    if ('callback_query' in update) chats.push(update.callback_query.message?.chat);
    if ('my_chat_member' in update) chats.push(update.my_chat_member.chat);
    for (const chat of chats) if (chat !== undefined) this.#chats.set(String(chat.id), chat);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (match === null) return this.#respond(res, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method = ''] = match;
    let params: Params;
    try {
      params = await readParams(req, url);
    } catch (error) {
      return this.#respond(res, bad(`can't parse request: ${(error as Error).message}`));
    }
    const call: ApiCall = { method, params, at: Date.now() };
    this.calls.push(call);
    if (token !== this.token) return this.#finish(call, res, { ok: false, error_code: 401, description: 'Unauthorized' });
    const queued = this.#failures.get(method);
    const failure = queued?.shift();
    if (failure !== undefined) return this.#finish(call, res, failureAnswer(failure));
    if (method === 'sendMessage' && this.#faults !== undefined && this.#injectFault(this.#faults, call, params, req, res)) return;
    if (method === 'getUpdates') return this.#getUpdates(call, params, req, res);
    return this.#finish(call, res, this.#answer(method, params));
  }

  /** Apply the storm's faults to one sendMessage; `true` when the fault answered (or dropped) it. */
  #injectFault(faults: SendFaults, call: ApiCall, params: Params, req: IncomingMessage, res: ServerResponse): boolean {
    const chatId = String(params.chat_id ?? '');
    const now = Date.now();
    if (faults.failingChats?.has(chatId) === true) {
      this.#finish(call, res, failureAnswer({ kind: 'server-error' }));
      return true;
    }
    const held = this.#heldUntil.get(chatId) ?? 0;
    if (held > now) {
      this.earlyRetries.push({ chatId, earlyByMs: held - now });
      this.#finish(call, res, failureAnswer({ kind: 'rate-limit', retryAfter: Math.ceil((held - now) / 1000) }));
      return true;
    }
    const roll = this.#random();
    let band = 0;
    const within = (share: Share | undefined) => {
      band += share ?? 0;
      return roll < band;
    };
    const unknownBudget = (perChat: number | undefined) => (this.#unknownOutcomes.get(chatId) ?? 0) < (perChat ?? Infinity);
    if (faults.rateLimit !== undefined && within(faults.rateLimit.share)) {
      this.#heldUntil.set(chatId, now + faults.rateLimit.retryAfter * 1000);
      this.#finish(call, res, failureAnswer({ kind: 'rate-limit', retryAfter: faults.rateLimit.retryAfter }));
      return true;
    }
    if (within(faults.serverError?.share)) {
      this.#finish(call, res, failureAnswer({ kind: 'server-error' }));
      return true;
    }
    if (within(faults.resetBefore?.share)) {
      call.answer = { ok: false, error_code: 0, description: 'connection reset before the message was accepted' };
      req.socket.destroy();
      return true;
    }
    if (faults.resetAfter !== undefined && within(faults.resetAfter.share) && unknownBudget(faults.resetAfter.perChat)) {
      this.#countUnknown(chatId);
      call.answer = this.#answer('sendMessage', params);
      req.socket.destroy();
      return true;
    }
    if (faults.slow !== undefined && within(faults.slow.share) && unknownBudget(faults.slow.perChat)) {
      this.#countUnknown(chatId);
      const answer = this.#answer('sendMessage', params);
      call.answer = answer;
      setTimeout(() => this.#respond(res, answer), faults.slow.delayMs).unref();
      return true;
    }
    if (faults.latencyMs !== undefined) {
      const answer = this.#answer('sendMessage', params);
      setTimeout(() => this.#finish(call, res, answer), faults.latencyMs).unref();
      return true;
    }
    return false;
  }

  #finish(call: ApiCall, res: ServerResponse, answer: ApiAnswer): void {
    call.answer = answer;
    // A message accepted for a client that already gave up (its timeout): the bot never hears.
    if (call.method === 'sendMessage' && answer.ok && (res.destroyed || res.socket?.destroyed === true)) this.#countUnknown(String(call.params.chat_id));
    this.#respond(res, answer);
  }

  #countUnknown(chatId: string): void {
    this.#unknownOutcomes.set(chatId, (this.#unknownOutcomes.get(chatId) ?? 0) + 1);
  }

  #respond(res: ServerResponse, answer: ApiAnswer): void {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(answer.ok ? 200 : answer.error_code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  }

  #getUpdates(call: ApiCall, params: Params, req: IncomingMessage, res: ServerResponse): void {
    if (this.#webhook !== undefined) {
      return this.#finish(call, res, bad("can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", 409));
    }
    // Like Telegram: a new getUpdates ends the one still held.
    for (const held of [...this.#heldPolls]) held.conflict();
    const offset = Number(params.offset ?? 0);
    const limit = Math.max(1, Math.min(100, Number(params.limit ?? 100)));
    const timeoutSeconds = Math.max(0, Number(params.timeout ?? 0));
    const allowed = Array.isArray(params.allowed_updates) && params.allowed_updates.length > 0 ? new Set(params.allowed_updates as string[]) : undefined;
    const take = (): FakeUpdate[] => {
      // An offset confirms every update below it: Telegram forgets them.
      while (this.#pending.length > 0 && (this.#pending[0]?.update_id ?? 0) < offset) this.#pending.shift();
      if (allowed !== undefined) {
        for (let i = this.#pending.length - 1; i >= 0; i -= 1) {
          const kind = Object.keys(this.#pending[i] ?? {}).find((k) => k !== 'update_id') ?? '';
          if (!allowed.has(kind)) this.#pending.splice(i, 1);
        }
      }
      return this.#pending.slice(0, limit);
    };
    const ready = take();
    if (ready.length > 0 || timeoutSeconds === 0 || this.#closed) return this.#finish(call, res, { ok: true, result: ready });

    const timers: { timer?: NodeJS.Timeout } = {};
    const done = () => {
      clearTimeout(timers.timer);
      this.#waiters.delete(waiter);
      this.#heldPolls.delete(held);
    };
    const waiter = {
      wake: () => {
        done();
        this.#finish(call, res, { ok: true, result: take() });
      },
    };
    const held = {
      conflict: () => {
        done();
        this.#finish(call, res, bad('Conflict: terminated by other getUpdates request; make sure that only one bot instance is running', 409));
      },
    };
    timers.timer = setTimeout(() => waiter.wake(), timeoutSeconds * 1000);
    this.#waiters.add(waiter);
    this.#heldPolls.add(held);
    // The bot gave up on the request (aborted on stop): forget it.
    res.on('close', () => done());
    req.on('error', () => done());
  }

  #chatOf(chatId: string): FakeChat {
    return this.#chats.get(chatId) ?? { id: Number(chatId), type: Number(chatId) > 0 ? 'private' : 'supergroup' };
  }

  /** Telegram's checks on a message the bot sends; `undefined` when it is acceptable. */
  #checkMessage(params: Params, textKey = 'text'): { problem?: ApiAnswer; text: string } {
    const source = String(params[textKey] ?? '');
    let text = source;
    if (params.parse_mode === 'HTML') {
      const parsed = checkTelegramHtml(source);
      if (!parsed.ok) return { problem: bad(`can't parse entities: ${parsed.error}`), text };
      text = parsed.text;
    } else if (params.parse_mode !== undefined) {
      return { problem: bad(`the fake only understands HTML, got parse_mode ${String(params.parse_mode)}`), text };
    }
    if (text.trim() === '') return { problem: bad('message text is empty'), text };
    if (text.length > 4096) return { problem: bad('message is too long'), text };
    const keyboard = (params.reply_markup as SentMessage['replyMarkup'] | undefined)?.inline_keyboard;
    for (const row of keyboard ?? []) {
      for (const button of row) {
        if (button.text === undefined || button.text === '') return { problem: bad('text buttons are unallowed in the inline keyboard'), text };
        if (button.callback_data !== undefined && (utf8Bytes(button.callback_data) < 1 || utf8Bytes(button.callback_data) > 64)) {
          return { problem: bad('BUTTON_DATA_INVALID'), text };
        }
      }
    }
    return { text };
  }

  #reachability(chatId: string): ApiAnswer | undefined {
    const blocked = this.#blocked.get(chatId);
    if (blocked !== undefined) return { ok: false, error_code: 403, description: blocked };
    const movedTo = this.#migrated.get(chatId);
    if (movedTo !== undefined) return failureAnswer({ kind: 'migrate', migrateTo: movedTo });
    return undefined;
  }

  #answer(method: string, params: Params): ApiAnswer {
    switch (method) {
      case 'getMe':
        return { ok: true, result: this.botInfo };
      case 'setMyCommands': {
        const commands = params.commands;
        if (!Array.isArray(commands)) return bad('parameter "commands" must be an array');
        if (commands.length > 100) return bad('BOT_COMMANDS_TOO_MUCH');
        for (const c of commands as Array<{ command?: string; description?: string }>) {
          if (!/^[a-z0-9_]{1,32}$/.test(c.command ?? '')) return bad('BOT_COMMAND_INVALID');
          const description = c.description ?? '';
          if (description.length < 1 || description.length > 256) return bad('BOT_COMMAND_DESCRIPTION_INVALID');
        }
        this.#commands = commands;
        return { ok: true, result: true };
      }
      case 'getMyCommands':
        return { ok: true, result: this.#commands };
      case 'deleteMyCommands':
        this.#commands = [];
        return { ok: true, result: true };
      case 'sendMessage': {
        const chatId = String(params.chat_id ?? '');
        if (chatId === '') return bad('chat_id is empty');
        if (!this.#withinRate()) {
          this.rateLimitViolations += 1;
          return failureAnswer({ kind: 'rate-limit', retryAfter: 1 });
        }
        const unreachable = this.#reachability(chatId);
        if (unreachable !== undefined) return unreachable;
        const { problem, text } = this.#checkMessage(params);
        if (problem !== undefined) return problem;
        const message = this.#store(chatId, params, text);
        return { ok: true, result: this.#messageObject(message) };
      }
      case 'editMessageText': {
        const chatId = String(params.chat_id ?? '');
        const unreachable = this.#reachability(chatId);
        if (unreachable !== undefined) return unreachable;
        const message = this.#sent.find((m) => m.chatId === chatId && m.messageId === Number(params.message_id));
        if (message === undefined) return bad('message to edit not found');
        const { problem, text } = this.#checkMessage(params);
        if (problem !== undefined) return problem;
        if (message.source === String(params.text) && JSON.stringify(message.replyMarkup) === JSON.stringify(params.reply_markup)) {
          return bad('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
        }
        message.source = String(params.text);
        message.text = text;
        message.params = params;
        message.edits += 1;
        message.replyMarkup = params.reply_markup as SentMessage['replyMarkup'];
        return { ok: true, result: this.#messageObject(message) };
      }
      case 'answerCallbackQuery': {
        const id = String(params.callback_query_id ?? '');
        if (!this.#openCallbackQueries.delete(id)) return bad('query is too old and response timeout expired or query ID is invalid');
        if (typeof params.text === 'string' && params.text.length > 200) return bad('MESSAGE_TOO_LONG');
        return { ok: true, result: true };
      }
      case 'answerInlineQuery': {
        const id = String(params.inline_query_id ?? '');
        if (!this.#openInlineQueries.delete(id)) return bad('query is too old and response timeout expired or query ID is invalid');
        const results = params.results;
        if (!Array.isArray(results)) return bad('parameter "results" must be an array');
        if (results.length > 50) return bad('RESULTS_TOO_MUCH');
        const ids = new Set<string>();
        for (const r of results as Array<{ id?: string; type?: string; title?: string; input_message_content?: Params }>) {
          const rid = String(r.id ?? '');
          if (utf8Bytes(rid) < 1 || utf8Bytes(rid) > 64) return bad('RESULT_ID_INVALID');
          if (ids.has(rid)) return bad('RESULT_ID_DUPLICATE');
          ids.add(rid);
          if (r.type !== 'article' || (r.title ?? '') === '') return bad('RESULT_TITLE_EMPTY');
          const content = r.input_message_content;
          if (content === undefined) return bad('MESSAGE_EMPTY');
          const { problem } = this.#checkMessage(content, 'message_text');
          if (problem !== undefined) return problem;
        }
        return { ok: true, result: true };
      }
      case 'setWebhook': {
        const url = String(params.url ?? '');
        if (url === '') {
          this.#webhook = undefined;
          return { ok: true, result: true, description: 'Webhook was deleted' } as ApiAnswer;
        }
        const secret = params.secret_token === undefined ? undefined : String(params.secret_token);
        if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) return bad('secret token contains unallowed characters');
        this.#webhook = { url, ...(secret === undefined ? {} : { secret }) };
        return { ok: true, result: true };
      }
      case 'deleteWebhook':
        this.#webhook = undefined;
        if (params.drop_pending_updates === true || params.drop_pending_updates === 'true') this.#pending.length = 0;
        return { ok: true, result: true };
      case 'getWebhookInfo':
        return { ok: true, result: { url: this.#webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.#pending.length } };
      case 'getChatMember': {
        const chatId = Number(params.chat_id);
        const userId = Number(params.user_id);
        const status = this.#members.get(`${chatId}:${userId}`) ?? 'member';
        return { ok: true, result: { status, user: { id: userId, is_bot: false, first_name: `User ${userId}` } } };
      }
      case 'getChatAdministrators': {
        const chatId = String(params.chat_id);
        const admins = [...this.#members]
          .filter(([key, status]) => key.startsWith(`${chatId}:`) && (status === 'creator' || status === 'administrator'))
          .map(([key, status]) => ({ status, user: { id: Number(key.split(':')[1]), is_bot: false, first_name: 'Admin' } }));
        return { ok: true, result: admins };
      }
      case 'sendChatAction':
        return this.#reachability(String(params.chat_id ?? '')) ?? { ok: true, result: true };
      default:
        return { ok: true, result: true };
    }
  }

  #store(chatId: string, params: Params, text: string): SentMessage {
    const message: SentMessage = {
      chatId,
      messageId: this.#nextMessageId++,
      source: String(params.text),
      text,
      params,
      edits: 0,
      ...(typeof params.parse_mode === 'string' ? { parseMode: params.parse_mode } : {}),
      ...(params.reply_markup === undefined ? {} : { replyMarkup: params.reply_markup as SentMessage['replyMarkup'] }),
    };
    this.#sent.push(message);
    return message;
  }

  #messageObject(message: SentMessage): FakeMessage {
    return {
      message_id: message.messageId,
      from: this.botUser,
      chat: this.#chatOf(message.chatId),
      date: Math.floor(Date.now() / 1000),
      text: message.text,
      ...(message.replyMarkup === undefined ? {} : { reply_markup: message.replyMarkup }),
    };
  }
}
