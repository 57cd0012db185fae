/**
 * Digest fan-out benchmark: one slot delivered to 10,000 subscribed chats through the real
 * digest service (SQLite claims, digest composition, token buckets) against a local fake
 * platform over HTTP (in a child process), with the real rate limits scaled up ×100 so it takes
 * seconds (and a smaller run at ×10).
 *
 * Reports the elapsed time, messages per second and the ratio to the rate-limit bound (the
 * least time the limits allow: (chats − burst) / rate). A ratio near 1 means the limiter, not
 * our code, is what takes the time.
 *
 *   npx tsx bench/digest-fanout.ts [--quick]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Platform } from '../src/commands/types.js';
import { DeliveryError, type MessageSender } from '../src/delivery/types.js';
import { DEFAULT_RATES, scaleRate } from '../src/digests/rate-limit.js';
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
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const chatId = JSON.parse(body).chatId;
    perChat.set(chatId, (perChat.get(chatId) || 0) + 1);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', () => process.send({ counts: [...perChat.values()] }, () => process.exit(0)));
`;

/** Start the fake platform in a child process. */
async function startFakePlatform(): Promise<{ url: string; counts(): Promise<number[]> }> {
  const child = spawn(process.execPath, ['-e', FAKE_PLATFORM_SOURCE], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () =>
      new Promise<number[]>((resolve) => {
        child.once('message', (m) => resolve((m as { counts: number[] }).counts));
        child.send('report');
      }),
  };
}

function httpSender(platform: Platform, url: string): MessageSender {
  return {
    platform,
    async send(chatId, reply) {
      const response = await fetch(`${url}/send`, { method: 'POST', body: JSON.stringify({ chatId, reply }) });
      await response.arrayBuffer();
      if (!response.ok) throw new DeliveryError('transient', `HTTP ${response.status}`);
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
    const rate = scaleRate(DEFAULT_RATES[platform], scale);
    const service = createDigestService({
      store,
      knowledge: () => snapshot,
      senders: new Map<Platform, MessageSender>([[platform, httpSender(platform, fake.url)]]),
      clock: () => new Date(slot.getTime() + 1000),
      logger: silentLogger(),
      missedSlots: 'latest',
      defaultTimeZone: 'Asia/Kabul',
      rates: { [platform]: rate },
    });
    const started = performance.now();
    const report = await service.tick(new Date(slot.getTime() + 1000));
    const elapsedMs = performance.now() - started;
    const counts = await fake.counts();
    const duplicates = counts.filter((n) => n > 1).length;
    const boundMs = (Math.max(0, chats - rate.burst) / rate.perSecond) * 1000;
    return {
      section: 'digest',
      operation: `fan-out ${platform}`,
      chats,
      sent: report.sent,
      received: counts.length,
      duplicates,
      rateScale: `×${scale}`,
      limitPerSecond: rate.perSecond,
      elapsedMs: Math.round(elapsedMs),
      messagesPerSecond: Math.round((report.sent / elapsedMs) * 1000),
      boundMs: Math.round(boundMs),
      ratioToBound: boundMs > 0 ? Number((elapsedMs / boundMs).toFixed(2)) : undefined,
      note: `concurrency ${rate.concurrency}; bound = (chats − burst ${rate.burst}) / rate`,
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
  // ×100 (as the issue asks) shows our own ceiling; ×10 on fewer chats shows the limiter holding
  // the pace exactly (ratio ≈ 1) when the limits, not our code, are the bottleneck.
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
