/**
 * Test support for digests: the seed story before and after an article arrives, built by the
 * real ingest and search, and a tiny chat platform over real HTTP with a MessageSender for it (the
 * platform boundary), whose answers tests script (429, 403, migration, hangs).
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Platform } from '../../src/commands/types.js';
import { unlimited } from '../../src/delivery/limiter.js';
import { DeliveryError, type MessageSender, type SendLimiter } from '../../src/delivery/types.js';
import { loadStory } from '../../src/knowledge/load.js';
import type { Reply } from '../../src/replies/reply.js';
import { createKnowledgeSearch } from '../../src/search/knowledge-search.js';
import type { KnowledgeSnapshot } from '../../src/search/types.js';
import { SEED_STORY } from '../support/seed-story.js';

/** An article that is not part of the seed story: tests add it "while the bot runs". */
export const LATER_ARTICLE = '100_fixture_panjshir_fall';
const LATER_ARTICLE_DIR = join(import.meta.dirname, '..', 'fixtures', 'analysis', 'articles');

export function tempDir(prefix = 'dossier-digests-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * The seed story's knowledge before and after an editor drops {@link LATER_ARTICLE} into its
 * folder, each built by the real ingest and search from a copy of the folder (removed after).
 */
export function snapshotsAroundLaterArticle(): { before: KnowledgeSnapshot; after: KnowledgeSnapshot } {
  const dir = tempDir();
  try {
    const storyDir = join(dir.path, 'story');
    cpSync(SEED_STORY, storyDir, { recursive: true });
    const before = loadSnapshot(storyDir);
    for (const ext of ['.txt', '.meta.yaml']) cpSync(join(LATER_ARTICLE_DIR, `${LATER_ARTICLE}${ext}`), join(storyDir, 'articles', `${LATER_ARTICLE}${ext}`));
    return { before, after: loadSnapshot(storyDir) };
  } finally {
    dir.remove();
  }
}

/** A snapshot of a story folder, versioned by its article files as the app's reload would be. */
function loadSnapshot(storyDir: string): KnowledgeSnapshot {
  const kb = loadStory(storyDir);
  const version = createHash('sha256').update(readdirSync(join(storyDir, 'articles')).sort().join('\n')).digest('hex').slice(0, 12);
  return { kb, search: createKnowledgeSearch(kb), version, loadedAt: new Date() };
}

/** One message the fake platform received. */
export interface Received {
  platform: Platform;
  chatId: string;
  title: string;
  reply: Reply;
  /** Milliseconds since the server started. */
  at: number;
  /** The response the server gave. */
  status: number;
}

/** What the fake platform answers: a status and body, or `'hang'` (never answer). */
export type Answer = { status: number; body?: Record<string, unknown> } | 'hang';

/** A chat platform over HTTP that records every message; `answer` scripts its responses. */
export class FakeChatPlatform {
  readonly received: Received[] = [];
  /** Return an answer to override the default 200; `attempt` counts requests per chat from 1. */
  answer: (request: { platform: Platform; chatId: string; attempt: number }) => Answer | undefined = () => undefined;
  /** Delay before answering, in ms (makes concurrent fan-outs overlap). */
  latencyMs = 0;
  private readonly attempts = new Map<string, number>();
  private readonly started = performance.now();
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server === undefined ? resolve() : this.server.close(() => resolve())));
  }

  /** Messages that were accepted (200), per chat. */
  deliveredTo(chatId: string): Received[] {
    return this.received.filter((r) => r.chatId === chatId && r.status === 200);
  }

  accepted(): Received[] {
    return this.received.filter((r) => r.status === 200);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    const { platform, chatId, reply } = JSON.parse(raw) as { platform: Platform; chatId: string; reply: Reply };
    const key = `${platform}:${chatId}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const answer = this.answer({ platform, chatId, attempt }) ?? { status: 200 };
    const status = answer === 'hang' ? 0 : answer.status;
    this.received.push({ platform, chatId, title: reply.title, reply, at: performance.now() - this.started, status });
    if (answer === 'hang') {
      this.hanging.add(res);
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body ?? { ok: answer.status === 200 }));
  }
}

/**
 * The platform's sender: posts a reply (one part) and maps the answer onto the DeliveryError
 * taxonomy; a network failure is an unknown outcome. `limiter` paces it like a real sender.
 */
export function httpSender(platform: Platform, url: string, limiter: SendLimiter = unlimited): MessageSender {
  async function post(chatId: string, reply: Reply, signal?: AbortSignal, beforeSend?: () => Promise<void> | void): Promise<void> {
    if (!(await limiter.acquire(platform, chatId, 'group', signal))) throw new DeliveryError('transient', 'stopped', { outcome: 'not-sent' });
    await beforeSend?.();
    let response: Response;
    try {
      response = await fetch(`${url}/send`, { method: 'POST', body: JSON.stringify({ platform, chatId, reply }) });
    } catch (error) {
      throw new DeliveryError('transient', `network failure: ${String(error)}`, { cause: error, outcome: 'unknown' });
    }
    const body = (await response.json()) as { retry_after_ms?: number; migrate_to?: string; description?: string };
    const text = body.description ?? `HTTP ${response.status}`;
    const outcome = 'not-sent' as const;
    switch (response.status) {
      case 200:
        return;
      case 429:
        throw new DeliveryError('rate-limited', text, { retryAfterMs: body.retry_after_ms ?? 1000, outcome });
      case 403:
        throw new DeliveryError('forbidden', text, { outcome });
      case 404:
        throw new DeliveryError('not-found', text, { outcome });
      case 400:
        if (body.migrate_to !== undefined) throw new DeliveryError('migrated', text, { migratedTo: body.migrate_to, outcome });
        throw new DeliveryError('invalid', text, { outcome });
      default:
        throw new DeliveryError(response.status >= 500 ? 'transient' : 'invalid', text, { outcome });
    }
  }
  return {
    platform,
    resendAfterUnknown: 'may-repeat',
    send: (chatId, reply) => post(chatId, reply),
    plan: (reply) => [reply],
    async sendPart(chatId, part, options) {
      await post(chatId, part as Reply, options.signal, options.beforeSend);
      return { chatId };
    },
  };
}

/** A clock tests move by hand. */
export function manualClock(start: string | Date): { now: () => Date; set(to: string | Date): void; advance(ms: number): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (to) => {
      current = new Date(to);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

/**
 * Waits that follow a manual clock: `sleep(ms)` resolves once `advance` moved the clock at least
 * that far (or its signal aborted). For retry_after waits of minutes in a test of milliseconds.
 */
export function manualTimers(clock: ReturnType<typeof manualClock>): {
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  advance(ms: number): Promise<void>;
  pending(): number[];
} {
  const waiting: Array<{ at: number; wake: () => void }> = [];
  return {
    sleep(ms, signal) {
      if (ms <= 0 || signal?.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const entry = { at: clock.now().getTime() + ms, wake: resolve };
        waiting.push(entry);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    },
    async advance(ms) {
      clock.advance(ms);
      const now = clock.now().getTime();
      for (const entry of waiting.filter((w) => w.at <= now)) {
        waiting.splice(waiting.indexOf(entry), 1);
        entry.wake();
      }
      // Let the woken jobs run up to their next wait.
      await new Promise((resolve) => setTimeout(resolve, 50));
    },
    pending: () => waiting.map((w) => w.at - clock.now().getTime()),
  };
}
