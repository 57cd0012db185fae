/**
 * Digest fan-out benchmark: one slot delivered to 10,000 subscribed chats, three messages each,
 * through the real digest service (SQLite claims, the ledger of parts, digest composition, the
 * bot's rate limiter paced through the database) against a local fake platform over HTTP (in a
 * child process), with the real pacing scaled up ×100 so it takes seconds (and a smaller run at
 * ×10).
 *
 * Reports the elapsed time, messages per second, the busiest second the fake saw against the
 * (scaled) platform limit, and the ratio to the rate-limit bound (the least time the pacing
 * allows: messages / rate). A ratio near 1 means the limiter, not our code, takes the time.
 *
 *   npx tsx bench/digest-fanout.ts [--quick]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Platform } from '../src/commands/types.js';
import { createSendLimiter, DEFAULT_PACING, PLATFORM_LIMITS, scalePacing } from '../src/delivery/limiter.js';
import { DeliveryError, type MessageSender, type SendLimiter } from '../src/delivery/types.js';
import { createDigestService } from '../src/digests/service.js';
import { loadStory } from '../src/knowledge/load.js';
import { silentLogger } from '../src/observability/logger.js';
import { createKnowledgeSearch } from '../src/search/knowledge-search.js';
import type { KnowledgeSnapshot } from '../src/search/types.js';
import { openSqliteStore } from '../src/storage/sqlite.js';

export interface DigestBenchOptions {
  quick?: boolean;
  tiny?: boolean;
  log?: (line: string) => void;
}

const STORY_DIR = join(import.meta.dirname, '..', 'data', 'stories', 'panjshir');

/**
 * The fake platform's code: accepts every message and counts them per chat. It runs in its own
 * process (the machine has two cores), so its HTTP work does not eat into the bot's.
 */
const FAKE_PLATFORM_SOURCE = `
const { createServer } = require('node:http');
const perChat = new Map();
const times = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const { chatId, part } = JSON.parse(body);
    times.push(performance.now());
    const key = chatId + '#' + part;
    perChat.set(key, (perChat.get(key) || 0) + 1);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', () => {
  times.sort((a, b) => a - b);
  let busiest = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    busiest = Math.max(busiest, i - j + 1);
  }
  process.send({ counts: [...perChat.values()], busiest }, () => process.exit(0));
});
`;

/** Start the fake platform in a child process. */
async function startFakePlatform(): Promise<{ url: string; counts(): Promise<{ counts: number[]; busiest: number }> }> {
  const child = spawn(process.execPath, ['-e', FAKE_PLATFORM_SOURCE], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as { counts: number[]; busiest: number }));
        child.send('report');
      }),
  };
}

/** A sender whose digests are three messages (head, body, buttons), paced by the bot's limiter. */
function httpSender(platform: Platform, url: string, limiter: SendLimiter): MessageSender {
  async function post(chatId: string, part: unknown, signal?: AbortSignal, beforeSend?: () => Promise<void> | void): Promise<void> {
    if (!(await limiter.acquire(platform, chatId, 'group', signal))) throw new DeliveryError('transient', 'stopped', { outcome: 'not-sent' });
    await beforeSend?.();
    const response = await fetch(`${url}/send`, { method: 'POST', body: JSON.stringify({ chatId, part: (part as { index: number }).index }) });
    await response.arrayBuffer();
    if (!response.ok) throw new DeliveryError('transient', `HTTP ${response.status}`, { outcome: 'not-sent' });
  }
  return {
    platform,
    resendAfterUnknown: 'may-repeat',
    plan: (reply) => [
      { index: 0, title: reply.title },
      { index: 1, sections: reply.sections },
      { index: 2, actions: reply.actions },
    ],
    async send(chatId, reply) {
      for (const part of this.plan(reply)) await post(chatId, part);
    },
    async sendPart(chatId, part, options) {
      await post(chatId, part, options.signal, options.beforeSend);
      return { chatId };
    },
  };
}

async function benchPlatform(
  platform: 'telegram' | 'discord',
  chats: number,
  scale: number,
  snapshot: KnowledgeSnapshot,
  log: (line: string) => void,
): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-bench-'));
  const fake = await startFakePlatform();
  const store = openSqliteStore(join(dir, 'bench.sqlite'));
  try {
    const createdAt = new Date('2021-08-22T00:00:00Z');
    const slot = new Date('2021-08-22T03:30:00Z'); // 08:00 in Kabul
    store.recordSourcesSeen(snapshot.kb.sources.map((s) => s.id), new Date('2021-08-21T00:00:00Z'));
    const insert = Date.now();
    for (let i = 0; i < chats; i++) {
      store.addSubscription({ platform, chatId: `${platform}-${i}`, chatType: 'group', schedule: 'daily 08:00', timeZone: 'Asia/Kabul', quiet: 'notice', createdAt });
    }
    log(`digest: ${chats} ${platform} subscriptions stored in ${Date.now() - insert} ms`);
    const pacing = scalePacing(DEFAULT_PACING[platform], scale);
    const limiter = createSendLimiter({ store, pacing: { [platform]: pacing } });
    const service = createDigestService({
      store,
      knowledge: () => snapshot,
      senders: new Map<Platform, MessageSender>([[platform, httpSender(platform, fake.url, limiter)]]),
      clock: () => new Date(slot.getTime() + 1000),
      logger: silentLogger(),
      missedSlots: 'latest',
      defaultTimeZone: 'Asia/Kabul',
    });
    const started = performance.now();
    const report = await service.tick(new Date(slot.getTime() + 1000));
    await service.idle();
    const elapsedMs = performance.now() - started;
    const { counts, busiest } = await fake.counts();
    const duplicates = counts.filter((n) => n > 1).length;
    const messages = counts.reduce((a, b) => a + b, 0);
    const boundMs = ((chats * 3 - 1) / pacing.perSecond) * 1000;
    return {
      section: 'digest',
      operation: `fan-out ${platform}`,
      chats,
      sent: report.sent,
      messages,
      duplicates,
      rateScale: `×${scale}`,
      pacedPerSecond: pacing.perSecond,
      platformLimitPerSecond: PLATFORM_LIMITS[platform].perSecond * scale,
      busiestSecond: busiest,
      elapsedMs: Math.round(elapsedMs),
      messagesPerSecond: Math.round((messages / elapsedMs) * 1000),
      boundMs: Math.round(boundMs),
      ratioToBound: boundMs > 0 ? Number((elapsedMs / boundMs).toFixed(2)) : undefined,
      note: `3 messages per digest; concurrency ${pacing.concurrency}; bound = messages / paced rate`,
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Run the digest fan-out benchmark: Telegram and Discord, 10,000 chats each (5,000 with
 * `quick`, 200 with `tiny`).
 *
 * @example
 * const rows = await runDigestBench({ quick: true });
 */
export async function runDigestBench(options: DigestBenchOptions = {}): Promise<Array<Record<string, unknown>>> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const chats = options.tiny ? 200 : options.quick ? 5_000 : 10_000;
  const kb = loadStory(STORY_DIR);
  const snapshot: KnowledgeSnapshot = { kb, search: createKnowledgeSearch(kb), version: 'bench', loadedAt: new Date() };
  // ×100 shows our own ceiling; ×10 on fewer chats shows the limiter holding the pace exactly
  // (ratio ≈ 1) when the limits, not our code, are the bottleneck.
  const runs: Array<{ platform: 'telegram' | 'discord'; chats: number; scale: number }> = [
    { platform: 'telegram', chats, scale: 100 },
    { platform: 'discord', chats, scale: 100 },
    { platform: 'telegram', chats: Math.max(100, Math.round(chats / 5)), scale: 10 },
  ];
  const rows: Array<Record<string, unknown>> = [];
  for (const run of runs) {
    log(`digest: fan-out to ${run.chats} ${run.platform} chats, limits ×${run.scale}…`);
    rows.push(await benchPlatform(run.platform, run.chats, run.scale, snapshot, log));
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await runDigestBench({ quick: process.argv.includes('--quick'), tiny: process.argv.includes('--tiny') });
  console.table(rows);
}
