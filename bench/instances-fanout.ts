/**
 * Fan-out across instances: one digest slot to many Telegram chats, delivered by 1, 2 and 3 real
 * bot processes (`src/main.ts`) sharing one PostgreSQL database, against the fake Bot API. The
 * per-bot rate limit is shared through the database, so more instances cannot go faster than
 * the limit: they help only while one instance's own work is slower than it.
 *
 * Reports, per instance count: the time from the first message to the last, messages per
 * second, the rate-limit bound ((chats − burst) / rate: the least time the limit allows) and how
 * close the run came to it, and what the fake counted (duplicates, messages over the limit).
 *
 * Needs PostgreSQL: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { loadArticles } from '../src/knowledge/articles.js';
import { openPostgresStore } from '../src/storage/postgres.js';
import { FakeTelegramBotApi } from '../test/fakes/telegram-bot-api.js';
import type { BenchOptions, BenchRow } from './sections.js';

const repo = resolve(import.meta.dirname, '..');
/** `BENCH_PROFILE_DIR=dir`: each bot process writes a V8 CPU profile there when it stops (open in Chrome DevTools). */
const PROFILE_ARGS = process.env.BENCH_PROFILE_DIR === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_PROFILE_DIR)}`];
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** One run: `instances` processes, `chats` chats, at `rate` messages/s. */
export async function runOnce(instances: number, chats: number, rate: number, log: (line: string) => void): Promise<BenchRow> {
  const name = `dossier_bench_${randomBytes(5).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const telegram = await FakeTelegramBotApi.start();
  // The bot paces every message one interval after the last (burst 1); the fake allows a second's slack for jitter.
  const burst = 1;
  telegram.enforceRateLimit(rate, rate);
  const children: ChildProcess[] = [];
  try {
    openPostgresStore(url.toString()).close();
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    const slot = new Date(Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000);
    const created = new Date(slot.getTime() - 3 * 86_400_000).toISOString();
    await client.query(
      `INSERT INTO subscriptions (platform, chat_id, chat_type, schedule, time_zone, quiet, created_at, last_slot)
       SELECT 'telegram', (1000 + n)::text, 'private', $1, 'UTC', 'notice', $2, $3 FROM generate_series(1, $4) AS n`,
      [`daily ${slot.toISOString().slice(11, 16)}`, created, new Date(slot.getTime() - 86_400_000).toISOString(), chats],
    );
    await client.query('INSERT INTO sources_seen (source_id, first_seen_at) SELECT unnest($1::text[]), $2', [
      loadArticles(join(repo, 'data/stories/panjshir')).map((a) => a.id),
      created,
    ]);
    for (let i = 0; i < instances; i++) {
      const webhookPort = await freePort();
      children.push(
        spawn(process.execPath, [...PROFILE_ARGS, '--import', 'tsx', 'src/main.ts'], {
          cwd: repo,
          stdio: 'ignore',
          env: {
            PATH: process.env.PATH ?? '',
            NODE_ENV: 'production',
            LOG_LEVEL: 'error',
            LOG_FORMAT: 'json',
            CONSOLE: 'off',
            DATA_DIR: join(repo, 'data'),
            DATABASE_URL: url.toString(),
            TELEGRAM_BOT_TOKEN: telegram.token,
            TELEGRAM_API_ROOT: telegram.apiRoot,
            TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/telegram`,
            TELEGRAM_WEBHOOK_PORT: String(webhookPort),
            TELEGRAM_WEBHOOK_SECRET: 'bench-secret',
            TELEGRAM_MESSAGES_PER_SECOND: String(rate),
            DIGEST_LEASE_MS: '5000',
            SHUTDOWN_TIMEOUT_MS: '3000',
          },
        }),
      );
    }
    await telegram.waitFor(() => telegram.sent().length >= chats, 300_000, `${chats} digests`);
    const times = telegram.callsTo('sendMessage').filter((c) => c.answer?.ok === true).map((c) => c.at);
    const elapsedS = (Math.max(...times) - Math.min(...times)) / 1000;
    const boundS = Math.max(0, chats - burst) / rate;
    const perChat = new Map<string, number>();
    for (const m of telegram.sent()) perChat.set(m.chatId, (perChat.get(m.chatId) ?? 0) + 1);
    await client.end();
    const row: BenchRow = {
      section: 'instances',
      operation: 'fan-out',
      instances,
      chats,
      rateLimit: rate,
      elapsedS: Math.round(elapsedS * 100) / 100,
      msgPerS: Math.round(chats / Math.max(elapsedS, 0.001)),
      boundS: Math.round(boundS * 100) / 100,
      ofBound: Math.round((boundS / Math.max(elapsedS, 0.001)) * 100) / 100,
      duplicates: [...perChat.values()].filter((n) => n > 1).length,
      overLimit: telegram.rateLimitViolations,
    };
    log(`instances ${instances}: ${chats} chats in ${row.elapsedS} s (${row.msgPerS}/s; bound ${rate}/s)`);
    return row;
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => (child.exitCode === null ? once(child, 'exit') : undefined)));
    await telegram.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/**
 * The `instances` bench section.
 *
 * @example
 * npm run bench -- --only instances
 */
export async function runInstancesBench(options: Pick<BenchOptions, 'quick' | 'tiny' | 'log'>): Promise<BenchRow[]> {
  const chats = options.tiny === true ? 60 : options.quick ? 500 : 1000;
  const rows: BenchRow[] = [];
  // A limit above what one instance does alone, and one far below it.
  for (const rate of options.tiny === true ? [50] : [400, 50]) {
    for (const instances of [1, 2, 3]) rows.push(await runOnce(instances, rate === 50 && options.tiny !== true ? Math.min(chats, 300) : chats, rate, options.log));
  }
  return rows;
}
