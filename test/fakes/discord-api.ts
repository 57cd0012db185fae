/**
 * A fake Discord for tests: the REST API (`/api/v10`) and the gateway (WebSocket), on
 * 127.0.0.1 and a free port, speaking the protocol discord.js 14 uses.
 *
 * It records every REST request and gateway frame, enforces Discord's message and autocomplete
 * limits and the 3-second interaction deadline (answering 400/404 like Discord would), can inject
 * 429/403/404/500 answers per route, and can drop the gateway connection to exercise RESUME.
 * Channel messages honour `nonce` with `enforce_nonce` as Discord does (a second create with the
 * same nonce in the channel returns the first message, creating nothing), and can be hit by
 * storms ({@link ChannelFaults}): 429s at a rate, 5xx, connections reset after the message was
 * created, channels that always fail.
 *
 * @example
 * const discord = await FakeDiscord.start();
 * const runtime = createDiscordRuntime({ token: discord.token, applicationId: discord.applicationId, apiUrl: discord.apiUrl }, deps);
 * await runtime.start();
 * const id = discord.sendInteraction(chatInputInteraction(discord, { command: 'who', options: { name: 'massoud' } }));
 * const [response] = await discord.waitForInteractionResponses(id, 1);
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { choiceProblems, commandProblems, messageProblems, type MessageLike } from './discord-limits.js';
import { seededRandom } from '../support/seeded-random.js';

/** How long a test waits for the bot by default: generous, since a loaded CI machine is slow; a pass never waits this long. */
const WAIT_MS = 10_000;

export interface RecordedRequest {
  method: string;
  /** Path without the `/api/v10` prefix and without the query, e.g. `/gateway/bot`. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or `undefined` when there was none. */
  body: unknown;
  /** The status the fake answered with. */
  status: number;
  at: number;
}

/** A gateway frame, as sent by the fake (`out`) or received from the client (`in`). */
export interface GatewayFrame {
  direction: 'in' | 'out';
  op: number;
  t?: string | null;
  s?: number | null;
  d: unknown;
  /** Which connection (1, 2, …) it travelled on. */
  connection: number;
  /** The URL path the connection was opened on: `/gateway` or `/resume`. */
  path: string;
}

/** An error to answer instead of the real response, for matching requests. */
export interface InjectedError {
  method: string;
  /** Matched against the path without `/api/v10` and without the query. */
  path: RegExp;
  status: 429 | 400 | 403 | 404 | 500 | 502;
  /** Discord's JSON error code (50001 Missing Access, 10003 Unknown Channel, …). */
  code?: number;
  message?: string;
  /** For 429: seconds to wait (header `Retry-After` and body `retry_after`). */
  retryAfter?: number;
  /** How many matching requests fail before the route works again (default 1). */
  times?: number;
}

/** Faults injected into channel message creates, drawn from a seeded generator. */
export interface ChannelFaults {
  /** Answer 429 with `retry_after` (seconds). */
  rateLimit?: { share: number; retryAfter: number };
  /** Answer 500. */
  serverError?: { share: number };
  /** Create the message, then drop the connection: the bot never hears. */
  resetAfter?: { share: number };
  /** Channels whose every create fails with 500. */
  failingChannels?: ReadonlySet<string>;
  seed?: number;
}

/** One interaction callback the client sent (`POST /interactions/{id}/{token}/callback`). */
export interface InteractionResponse {
  interactionId: string;
  type: number;
  data: Record<string, unknown> | undefined;
  at: number;
}

export interface FakeDiscordOptions {
  token?: string;
  applicationId?: string;
  botUsername?: string;
  /** Heartbeat interval announced in HELLO (ms). */
  heartbeatIntervalMs?: number;
  /** After this long an interaction can no longer be answered (Discord: 3 s). */
  interactionDeadlineMs?: number;
}

type SendFrame = (frame: { op: number; d: unknown; s?: number | null; t?: string | null }) => void;

interface Session {
  id: string;
  sequence: number;
  /** Every dispatch of the session, for replay on RESUME. */
  sent: Array<{ s: number; t: string; d: unknown }>;
  socket: WebSocket | null;
}

interface PendingInteraction {
  id: string;
  token: string;
  createdAt: number;
  acknowledged: boolean;
  /** The message `@original` refers to: the reply, or for components the message clicked. */
  originalMessageId: string | null;
  channelId: string;
  payload: Record<string, unknown>;
}

const DISCORD_EPOCH = 1420070400000n;
const API_PREFIX = '/api/v10';

/** A fake Discord REST API and gateway. Start it with {@link FakeDiscord.start}. */
export class FakeDiscord {
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: { id: string; username: string; discriminator: string; global_name: null; avatar: null; bot: true };
  /** Every REST request, in order. */
  readonly requests: RecordedRequest[] = [];
  /** Every gateway frame, both directions, in order. */
  readonly frames: GatewayFrame[] = [];
  /** Every interaction callback, in order. */
  readonly interactionResponses: InteractionResponse[] = [];
  /** Messages the bot created or edited, by id (latest version). */
  readonly messages = new Map<string, Record<string, unknown>>();
  /** Registered commands: key `global` or the guild id. */
  readonly commands = new Map<string, Array<Record<string, unknown>>>();

  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly errors: InjectedError[] = [];
  private readonly sessions = new Map<string, Session>();
  private readonly interactions = new Map<string, PendingInteraction>();
  /** Open connections, each with the function that sends (and records) a frame on it. */
  private readonly sockets = new Map<WebSocket, SendFrame>();
  private current: Session | null = null;
  private connectionCount = 0;
  private idCounter = 0n;
  private readonly heartbeatIntervalMs: number;
  private readonly deadlineMs: number;
  private readonly listeners = new Set<() => void>();
  private channelFaults: ChannelFaults | undefined;
  private random: () => number = () => 1;
  /** Channel message nonces seen: `channel:nonce` → the message created with it. */
  private readonly nonces = new Map<string, Record<string, unknown>>();
  /** Messages created in channels (not through interactions), in order. */
  readonly channelMessages: Array<{ channelId: string; message: Record<string, unknown>; at: number }> = [];
  /** Arrival times of every channel message create request. */
  readonly channelPostTimes: number[] = [];

  private constructor(options: FakeDiscordOptions) {
    this.token = options.token ?? 'fake-bot-token.abc.def';
    this.applicationId = options.applicationId ?? '100000000000000001';
    this.botUser = { id: '100000000000000001', username: options.botUsername ?? 'DossierBot', discriminator: '0', global_name: null, avatar: null, bot: true };
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
    this.deadlineMs = options.interactionDeadlineMs ?? 3_000;
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path !== '/gateway' && path !== '/resume') {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, path));
    });
  }

  /** Start the fake on 127.0.0.1 and a free port. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    fake.server.listen(0, '127.0.0.1');
    await once(fake.server, 'listening');
    return fake;
  }

  private get origin(): string {
    const { port } = this.server.address() as AddressInfo;
    return `127.0.0.1:${port}`;
  }

  /** What to pass as discord.js's `rest.api` (and `DISCORD_API_URL`). */
  get apiUrl(): string {
    return `http://${this.origin}/api`;
  }

  /** A fresh snowflake (timestamp-based, increasing). */
  snowflake(): string {
    this.idCounter += 1n;
    return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (this.idCounter & 0xfffn)).toString();
  }

  /** Inject {@link ChannelFaults} into every later channel message create (`undefined` = none). */
  setChannelFaults(faults: ChannelFaults | undefined): void {
    this.channelFaults = faults;
    this.random = seededRandom(faults?.seed ?? 1);
  }

  /** Messages created in one channel, in order. */
  messagesIn(channelId: string): Array<Record<string, unknown>> {
    return this.channelMessages.filter((m) => m.channelId === channelId).map((m) => m.message);
  }

  /** Answer the next `times` requests matching `method` and `path` with an error. */
  injectError(error: InjectedError): void {
    this.errors.push({ times: 1, ...error });
  }

  // ---------------------------------------------------------------- gateway

  private onConnection(ws: WebSocket, path: string): void {
    const connection = ++this.connectionCount;
    ws.on('close', () => {
      this.sockets.delete(ws);
      for (const session of this.sessions.values()) if (session.socket === ws) session.socket = null;
      this.notify();
    });
    const send: SendFrame = (frame) => {
      this.frames.push({ direction: 'out', connection, path, op: frame.op, d: frame.d, s: frame.s ?? null, t: frame.t ?? null });
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ s: null, t: null, ...frame }));
    };
    ws.on('message', (raw) => {
      let frame: { op: number; d: Record<string, unknown> | number | null };
      try {
        frame = JSON.parse(String(raw)) as typeof frame;
      } catch {
        ws.close(4002, 'Decode error');
        return;
      }
      this.frames.push({ direction: 'in', connection, path, op: frame.op, d: frame.d });
      this.notify();
      const d = (frame.d ?? {}) as Record<string, unknown>;
      switch (frame.op) {
        case 1:
          send({ op: 11, d: null });
          break;
        case 2: {
          if (d.token !== this.token) {
            ws.close(4004, 'Authentication failed');
            return;
          }
          const session: Session = { id: `session-${this.snowflake()}`, sequence: 0, sent: [], socket: ws };
          this.sessions.set(session.id, session);
          this.current = session;
          this.dispatchTo(session, 'READY', {
            v: 10,
            user: { ...this.botUser, verified: true, mfa_enabled: false, flags: 0 },
            guilds: [],
            session_id: session.id,
            resume_gateway_url: `ws://${this.origin}/resume`,
            shard: [0, 1],
            application: { id: this.applicationId, flags: 0 },
            private_channels: [],
            presences: [],
            relationships: [],
            guild_join_requests: [],
            user_settings: {},
            geo_ordered_rtc_regions: [],
          }, send);
          break;
        }
        case 6: {
          const session = this.sessions.get(String(d.session_id));
          if (session === undefined || d.token !== this.token) {
            send({ op: 9, d: false });
            return;
          }
          session.socket = ws;
          this.current = session;
          const since = Number(d.seq ?? 0);
          for (const missed of session.sent.filter((e) => e.s > since)) send({ op: 0, t: missed.t, s: missed.s, d: missed.d });
          this.dispatchTo(session, 'RESUMED', {}, send);
          break;
        }
        default:
          break;
      }
      this.notify();
    });
    this.sockets.set(ws, send);
    send({ op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs } });
  }

  private dispatchTo(session: Session, t: string, d: unknown, send?: SendFrame): void {
    session.sequence += 1;
    const s = session.sequence;
    session.sent.push({ s, t, d });
    const socket = session.socket;
    const sender = send ?? (socket === null ? undefined : this.sockets.get(socket));
    // With no open connection the event waits in the session and is replayed on RESUME.
    if (sender !== undefined && socket !== null && socket.readyState === WebSocket.OPEN) sender({ op: 0, t, s, d });
    this.notify();
  }

  /** Send a dispatch event to the current session (buffered for RESUME while disconnected). */
  private dispatch(t: string, d: unknown): void {
    if (this.current === null) throw new Error('No gateway session: the client has not identified yet.');
    this.dispatchTo(this.current, t, d);
  }

  /**
   * Deliver an `INTERACTION_CREATE`; build the payload with the helpers in `discord-payloads.ts`.
   * Returns the interaction id.
   */
  sendInteraction(payload: Record<string, unknown>): string {
    const id = String(payload.id);
    const message = payload.message as { id?: string } | undefined;
    if (message?.id !== undefined && !this.messages.has(message.id)) this.messages.set(message.id, message as Record<string, unknown>);
    const channel = payload.channel as { id?: string } | undefined;
    this.interactions.set(id, {
      id,
      token: String(payload.token),
      createdAt: Date.now(),
      acknowledged: false,
      originalMessageId: message?.id ?? null,
      channelId: channel?.id ?? String(payload.channel_id ?? ''),
      payload,
    });
    this.dispatch('INTERACTION_CREATE', payload);
    return id;
  }

  /**
   * Discord over HTTP: the fake knows an interaction it POSTs to the bot's endpoint (so its
   * webhook routes work for follow-ups) without sending it over the gateway. Returns its id.
   */
  trackHttpInteraction(payload: Record<string, unknown>): string {
    const id = String(payload.id);
    const channel = payload.channel as { id?: string } | undefined;
    const message = payload.message as { id?: string } | undefined;
    if (message?.id !== undefined && !this.messages.has(message.id)) this.messages.set(message.id, message as Record<string, unknown>);
    this.interactions.set(id, {
      id,
      token: String(payload.token),
      createdAt: Date.now(),
      acknowledged: false,
      originalMessageId: message?.id ?? null,
      channelId: channel?.id ?? String(payload.channel_id ?? ''),
      payload,
    });
    return id;
  }

  /** Apply the callback the bot gave in its HTTP response, as Discord does with it. */
  acceptHttpResponse(interactionId: string, callback: { type?: number; data?: Record<string, unknown> }): void {
    const interaction = this.interactions.get(interactionId);
    if (interaction === undefined) throw new Error(`FakeDiscord: unknown interaction ${interactionId}`);
    interaction.acknowledged = true;
    this.interactionResponses.push({ interactionId, type: callback.type ?? 0, data: callback.data, at: Date.now() });
    this.applyCallback(interaction, callback.type ?? 0, callback.data);
    this.notify();
  }

  /** Drop the gateway connection: with a close code (4000 Unknown error), or abruptly (no close frame). */
  dropConnection(how: { code: number } | 'abrupt' = { code: 4000 }): void {
    for (const ws of this.sockets.keys()) {
      if (how === 'abrupt') ws.terminate();
      else ws.close(how.code, 'Dropped by the fake');
    }
  }

  /** Frames received from the client with this op code. */
  received(op: number): GatewayFrame[] {
    return this.frames.filter((f) => f.direction === 'in' && f.op === op);
  }

  /** Dispatches sent to the client of this type. */
  dispatched(t: string): GatewayFrame[] {
    return this.frames.filter((f) => f.direction === 'out' && f.op === 0 && f.t === t);
  }

  // ---------------------------------------------------------------- waiting

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolve when `check` returns a value other than `undefined` (checked on every event). */
  waitFor<T>(check: () => T | undefined, timeoutMs = WAIT_MS, what = 'condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const value = check();
        if (value === undefined) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`FakeDiscord: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const listener = () => void attempt();
      // Also poll: the condition may depend on the client's state, not only on the fake's events.
      const poll = setInterval(listener, 20);
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
      attempt();
    });
  }

  /** Wait for a REST request matching `predicate` (already-received ones count). */
  waitForRequest(predicate: (r: RecordedRequest) => boolean, timeoutMs = WAIT_MS): Promise<RecordedRequest> {
    return this.waitFor(() => this.requests.find(predicate), timeoutMs, 'a matching request');
  }

  /** Wait until an interaction has at least `count` callbacks; resolves with all of them. */
  waitForInteractionResponses(interactionId: string, count = 1, timeoutMs = WAIT_MS): Promise<InteractionResponse[]> {
    return this.waitFor(
      () => {
        const found = this.interactionResponses.filter((r) => r.interactionId === interactionId);
        return found.length >= count ? found : undefined;
      },
      timeoutMs,
      `${count} response(s) to interaction ${interactionId}`,
    );
  }

  /** The `@original` message of an interaction as it stands now (after edits). */
  originalMessage(interactionId: string): Record<string, unknown> | undefined {
    const id = this.interactions.get(interactionId)?.originalMessageId;
    return id === null || id === undefined ? undefined : this.messages.get(id);
  }

  // ---------------------------------------------------------------- REST

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      body = raw;
    }
    const method = req.method ?? 'GET';
    // discord.js encodes `@original` / `@me` as `%40…`; decode so routes read naturally.
    const pathname = decodeURIComponent(url.pathname);
    const path = pathname.startsWith(API_PREFIX) ? pathname.slice(API_PREFIX.length) : pathname;
    const record: RecordedRequest = { method, path, query: Object.fromEntries(url.searchParams), headers: req.headers, body, status: 0, at: Date.now() };
    this.requests.push(record);
    const answer = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      // Like Discord, a 204 carries no body and no content type.
      res.writeHead(status, json === undefined ? headers : { 'content-type': 'application/json', ...headers });
      res.end(json === undefined ? undefined : JSON.stringify(json));
      this.notify();
    };
    if (!url.pathname.startsWith(API_PREFIX)) return answer(404, { message: '404: Not Found', code: 0 });

    const injected = this.errors.find((e) => e.method === method && e.path.test(path) && (e.times ?? 1) > 0);
    if (injected !== undefined) {
      injected.times = (injected.times ?? 1) - 1;
      return this.answerInjected(injected, answer);
    }
    try {
      const drop = () => {
        record.status = -1;
        res.socket?.destroy();
      };
      this.route(method, path, body, req.headers, answer, url.searchParams, drop);
    } catch (error) {
      answer(500, { message: `Fake Discord failed: ${(error as Error).message}`, code: 0 });
    }
  }

  private answerInjected(error: InjectedError, answer: (status: number, json?: unknown, headers?: Record<string, string>) => void): void {
    switch (error.status) {
      case 429: {
        const retryAfter = error.retryAfter ?? 0.2;
        return answer(
          429,
          { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
          {
            'retry-after': String(retryAfter),
            'x-ratelimit-limit': '5',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset-after': String(retryAfter),
            'x-ratelimit-bucket': 'fakebucket',
            'x-ratelimit-scope': 'user',
          },
        );
      }
      case 403:
        return answer(403, { message: error.message ?? 'Missing Access', code: error.code ?? 50001 });
      case 404:
        return answer(404, { message: error.message ?? 'Unknown Channel', code: error.code ?? 10003 });
      case 400:
        return answer(400, { message: error.message ?? 'Invalid Form Body', code: error.code ?? 50035 });
      default:
        return answer(error.status, { message: `${error.status}: Internal Server Error`, code: 0 });
    }
  }

  private authorised(headers: IncomingHttpHeaders): boolean {
    return headers.authorization === `Bot ${this.token}`;
  }

  private route(
    method: string,
    path: string,
    body: unknown,
    headers: IncomingHttpHeaders,
    answer: (status: number, json?: unknown, headers?: Record<string, string>) => void,
    query: URLSearchParams,
    /** Drop the connection without answering (status -1 in the record). */
    drop: () => void,
  ): void {
    const unauthorised = () => answer(401, { message: '401: Unauthorized', code: 0 });
    const invalid = (problems: string[]) => answer(400, { message: 'Invalid Form Body', code: 50035, errors: problems });
    let m: RegExpExecArray | null;

    if (method === 'GET' && path === '/gateway/bot') {
      if (!this.authorised(headers)) return unauthorised();
      return answer(200, {
        url: `ws://${this.origin}/gateway`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      });
    }
    if (method === 'GET' && path === '/users/@me') {
      if (!this.authorised(headers)) return unauthorised();
      return answer(200, { ...this.botUser, verified: true, flags: 0 });
    }
    if (method === 'GET' && path === '/applications/@me') {
      if (!this.authorised(headers)) return unauthorised();
      return answer(200, { id: this.applicationId, name: 'Dossier', description: '', bot_public: true, flags: 0, bot: this.botUser });
    }

    if ((m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path))) {
      if (method !== 'POST') return answer(405, { message: '405: Method Not Allowed', code: 0 });
      const interaction = this.interactions.get(m[1] ?? '');
      if (interaction === undefined || interaction.token !== m[2]) return answer(404, { message: 'Unknown interaction', code: 10062 });
      if (Date.now() - interaction.createdAt > this.deadlineMs) return answer(404, { message: 'Unknown interaction', code: 10062 });
      if (interaction.acknowledged) return answer(400, { message: 'Interaction has already been acknowledged.', code: 40060 });
      const { type, data } = (body ?? {}) as { type?: number; data?: Record<string, unknown> };
      if (type === 8) {
        const problems = choiceProblems((data?.choices as Array<{ name?: string; value?: unknown }> | undefined) ?? []);
        if (problems.length > 0) return invalid(problems);
      }
      if ((type === 4 || type === 7) && data !== undefined) {
        const problems = messageProblems(data as MessageLike);
        if (problems.length > 0) return invalid(problems);
      }
      interaction.acknowledged = true;
      this.interactionResponses.push({ interactionId: interaction.id, type: type ?? 0, data, at: Date.now() });
      const message = this.applyCallback(interaction, type ?? 0, data);
      if (query.get('with_response') === 'true') {
        return answer(200, { interaction: { id: interaction.id, type: interaction.payload.type }, resource: { type, message } });
      }
      return answer(204);
    }

    if ((m = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/.exec(path))) {
      const [, appId, token, messageRef] = m;
      const interaction = [...this.interactions.values()].find((i) => i.token === token);
      if (appId !== this.applicationId || interaction === undefined) return answer(404, { message: 'Unknown Webhook', code: 10015 });
      const messageId = messageRef === '@original' ? interaction.originalMessageId : (messageRef ?? null);
      const message = messageId === null ? undefined : this.messages.get(messageId);
      if (message === undefined) return answer(404, { message: 'Unknown Message', code: 10008 });
      if (method === 'GET') return answer(200, message);
      if (method === 'DELETE') {
        this.messages.delete(String(message.id));
        return answer(204);
      }
      if (method === 'PATCH') {
        const patch = (body ?? {}) as Record<string, unknown>;
        const problems = messageProblems({ ...message, ...patch } as MessageLike);
        if (problems.length > 0) return invalid(problems);
        const { allowed_mentions: allowedMentions, ...changes } = patch;
        const edited: Record<string, unknown> = {
          ...message,
          ...changes,
          allowed_mentions_sent: allowedMentions,
          flags: Number(message.flags ?? 0) & ~128, // no longer "thinking…"
          edited_timestamp: new Date().toISOString(),
        };
        this.messages.set(String(message.id), edited);
        return answer(200, edited);
      }
      return answer(405, { message: '405: Method Not Allowed', code: 0 });
    }

    if ((m = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path)) && method === 'POST') {
      const [, appId, token] = m;
      const interaction = [...this.interactions.values()].find((i) => i.token === token);
      if (appId !== this.applicationId || interaction === undefined) return answer(404, { message: 'Unknown Webhook', code: 10015 });
      const data = (body ?? {}) as Record<string, unknown>;
      const problems = messageProblems(data as MessageLike);
      if (problems.length > 0) return invalid(problems);
      const message = this.createMessage(interaction.channelId, data, { webhook: true });
      return answer(200, message);
    }

    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && method === 'POST') {
      if (!this.authorised(headers)) return unauthorised();
      const channelId = m[1] ?? '';
      this.channelPostTimes.push(Date.now());
      const { nonce, enforce_nonce: enforceNonce, ...data } = (body ?? {}) as Record<string, unknown>;
      const problems = messageProblems(data as MessageLike);
      if (problems.length > 0) return invalid(problems);
      if (nonce !== undefined && String(nonce).length > 25) return invalid(['nonce: longer than 25']);
      const faults = this.channelFaults;
      if (faults?.failingChannels?.has(channelId) === true) return answer(500, { message: '500: Internal Server Error', code: 0 });
      const roll = this.random();
      const rateLimit = faults?.rateLimit;
      if (rateLimit !== undefined && roll < rateLimit.share) {
        return answer(429, { message: 'You are being rate limited.', retry_after: rateLimit.retryAfter, global: false }, { 'retry-after': String(rateLimit.retryAfter), 'x-ratelimit-scope': 'user' });
      }
      if (roll < (rateLimit?.share ?? 0) + (faults?.serverError?.share ?? 0)) return answer(500, { message: '500: Internal Server Error', code: 0 });
      // enforce_nonce: the same nonce in the same channel (within minutes) returns the first message.
      const key = `${channelId}:${String(nonce)}`;
      const existing = nonce !== undefined && enforceNonce === true ? this.nonces.get(key) : undefined;
      const message = existing ?? this.createMessage(channelId, data, { webhook: false });
      if (existing === undefined) {
        if (nonce !== undefined) this.nonces.set(key, message);
        this.channelMessages.push({ channelId, message, at: Date.now() });
      }
      const dropAfter = (rateLimit?.share ?? 0) + (faults?.serverError?.share ?? 0) + (faults?.resetAfter?.share ?? 0);
      if (roll < dropAfter) return drop();
      return answer(200, message);
    }

    if ((m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path))) {
      if (!this.authorised(headers)) return unauthorised();
      if (m[1] !== this.applicationId) return answer(403, { message: 'Missing Access', code: 50001 });
      const key = m[2] ?? 'global';
      if (method === 'GET') return answer(200, this.commands.get(key) ?? []);
      if (method === 'PUT') {
        const list = Array.isArray(body) ? (body as Array<Record<string, unknown>>) : [];
        const problems = commandProblems(list);
        if (problems.length > 0) return invalid(problems);
        const previous = this.commands.get(key) ?? [];
        const stored = list.map((command) => {
          const existing = previous.find((c) => c.name === command.name);
          return {
            id: existing?.id ?? this.snowflake(),
            application_id: this.applicationId,
            version: this.snowflake(),
            type: 1,
            default_member_permissions: null,
            dm_permission: true,
            nsfw: false,
            contexts: null,
            integration_types: [0],
            ...(m?.[2] === undefined ? {} : { guild_id: m[2] }),
            ...command,
            // Discord omits `required: false` from options it returns.
            options: ((command.options as Array<Record<string, unknown>> | undefined) ?? []).map((o) => {
              const copy = { ...o };
              if (copy.required === false) delete copy.required;
              return copy;
            }),
          };
        });
        this.commands.set(key, stored);
        return answer(200, stored);
      }
    }

    return answer(404, { message: '404: Not Found', code: 0 });
  }

  private createMessage(channelId: string, data: Record<string, unknown>, how: { webhook: boolean; interaction?: PendingInteraction }): Record<string, unknown> {
    const { allowed_mentions: allowedMentions, ...rest } = data;
    const message: Record<string, unknown> = {
      id: this.snowflake(),
      channel_id: channelId,
      type: how.interaction === undefined ? 0 : 20,
      content: '',
      author: { ...this.botUser },
      embeds: [],
      components: [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: 0,
      ...(how.webhook ? { webhook_id: this.applicationId, application_id: this.applicationId } : {}),
      ...rest,
      // What the bot asked for, kept so tests can check that nobody could be pinged.
      allowed_mentions_sent: allowedMentions,
    };
    this.messages.set(String(message.id), message);
    this.notify();
    return message;
  }

  private applyCallback(interaction: PendingInteraction, type: number, data: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    switch (type) {
      case 4:
      case 5: {
        const created = this.createMessage(interaction.channelId, { ...(data ?? {}), flags: Number(data?.flags ?? 0) | (type === 5 ? 128 : 0) }, { webhook: true, interaction });
        interaction.originalMessageId = String(created.id);
        return created;
      }
      case 7: {
        const id = interaction.originalMessageId;
        const existing = id === null ? undefined : this.messages.get(id);
        if (existing === undefined || id === null) return undefined;
        const { allowed_mentions: allowedMentions, ...rest } = data ?? {};
        const updated = { ...existing, ...rest, allowed_mentions_sent: allowedMentions, edited_timestamp: new Date().toISOString() };
        this.messages.set(id, updated);
        return updated;
      }
      default:
        return undefined;
    }
  }

  /** Close every connection and the server. */
  async close(): Promise<void> {
    for (const ws of this.sockets.keys()) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
