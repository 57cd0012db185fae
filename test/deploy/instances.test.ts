/**
 * Several bot instances on one PostgreSQL database, as real processes (`src/main.ts`, compiled
 * once per run: test/support/compiled.ts), against the fake Telegram Bot API holding them to one per-bot rate limit. What counts is
 * what the fake received: every chat's digest once, none twice, none lost — with all instances
 * ticking at once, with one SIGKILLed in the middle of a fan-out, and across a rolling restart;
 * and two processes starting together migrate the schema once.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEFAULT_PACING } from '../../src/delivery/limiter.js';
import { loadArticles } from '../../src/knowledge/articles.js';
import { PG_MIGRATIONS } from '../../src/storage/pg-migrations.js';
import { openPostgresStore } from '../../src/storage/postgres.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.js';
import { createTestDatabase, describePostgres, queryOnce, type TestDatabase } from '../support/postgres.js';
import { compiled } from '../support/compiled.js';
import { SEED_STORY } from '../support/seed-story.js';
import { freePort } from '../support/test-tools.js';

const repo = resolve(import.meta.dirname, '../..');
/**
 * The bot's per-bot limit and the fake's check of it: a token bucket at the same rate holding one
 * second's worth, since on a loaded two-core machine a process descheduled for a moment sends its
 * paced messages late and close together (the rolling-restart test checks a slow rate tightly).
 */
const RATE = 300;
const LEASE_MS = 15_000;

/** A running bot process. */
class Instance {
  stderr = '';
  readonly exit: Promise<number | null>;
  constructor(readonly child: ChildProcess) {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exit = once(child, 'exit').then(([code]) => code as number | null);
  }
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
  /** Log lines at warn or above, for failure messages. */
  problems(): string {
    return this.stderr
      .split('\n')
      .filter((l) => /"level":(40|50|60)/.test(l))
      .slice(0, 20)
      .join('\n');
  }
}

describePostgres('several instances on one PostgreSQL database', () => {
  let database: TestDatabase;
  let telegram: FakeTelegramBotApi;
  const instances: Instance[] = [];

  beforeEach(async () => {
    database = await createTestDatabase();
    telegram = await FakeTelegramBotApi.start();
    telegram.enforceRateLimit(RATE, RATE);
  });

  afterEach(async () => {
    for (const instance of instances.splice(0)) {
      if (instance.running) instance.child.kill('SIGKILL');
      await instance.exit;
    }
    await telegram.close();
    await database.drop();
  });

  /** Start `npm start` as an operator would for one instance behind a load balancer. */
  async function startInstance(rate = RATE): Promise<Instance> {
    const webhookPort = await freePort();
    const child = spawn(process.execPath, [compiled('src/main.ts')], {
      cwd: repo,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'warn',
        CONSOLE: 'off',
        DATA_DIR: join(repo, 'data'),
        STORY: 'panjshir',
        DATABASE_URL: database.url,
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/telegram`,
        TELEGRAM_WEBHOOK_PORT: String(webhookPort),
        TELEGRAM_WEBHOOK_SECRET: 'instances-test-secret',
        TELEGRAM_MESSAGES_PER_SECOND: String(rate),
        DIGEST_LEASE_MS: String(LEASE_MS),
        DIGEST_MISSED_SLOTS: 'latest',
        SHUTDOWN_TIMEOUT_MS: '3000',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const instance = new Instance(child);
    instances.push(instance);
    return instance;
  }

  /**
   * `chats` private chats, each with a daily digest whose slot today (an hour ago) is due, and a
   * story with nothing new for them: every digest is the one-line notice, one message per chat.
   */
  async function subscribeChats(chats: number): Promise<void> {
    openPostgresStore(database.url).close();
    const now = Date.now();
    const slot = new Date(Math.floor((now - 3_600_000) / 60_000) * 60_000);
    const hhmm = slot.toISOString().slice(11, 16);
    const created = new Date(slot.getTime() - 3 * 86_400_000).toISOString();
    const yesterday = new Date(slot.getTime() - 86_400_000).toISOString();
    await queryOnce(
      database.url,
      `INSERT INTO subscriptions (platform, chat_id, chat_type, schedule, time_zone, quiet, created_at, last_slot)
       SELECT 'telegram', (1000 + n)::text, 'private', $1, 'UTC', 'notice', $2, $3 FROM generate_series(1, $4) AS n`,
      [`daily ${hhmm}`, created, yesterday, chats],
    );
    const ids = loadArticles(SEED_STORY).map((a) => a.id);
    await queryOnce(database.url, `INSERT INTO sources_seen (source_id, first_seen_at) SELECT unnest($1::text[]), $2`, [ids, created]);
  }

  /** Messages the fake accepted, per chat. */
  function receivedPerChat(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const message of telegram.sent()) counts.set(message.chatId, (counts.get(message.chatId) ?? 0) + 1);
    return counts;
  }

  async function ledger(): Promise<Array<{ chat_id: string; status: string; owner: string }>> {
    return queryOnce(database.url, 'SELECT s.chat_id, d.status, d.owner FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id');
  }

  /** Wait until the ledger has no open claim left for `chats` chats (delivered or given up). */
  async function fanOutSettled(chats: number): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [row] = await queryOnce<{ done: number }>(database.url, `SELECT count(*)::int AS done FROM deliveries WHERE status IN ('delivered', 'failed')`);
      if ((row?.done ?? 0) >= chats) return;
      if (Date.now() > deadline) {
        throw new Error(`the fan-out did not finish: ${row?.done} of ${chats} settled\n${instances.map((i) => i.problems()).join('\n---\n')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function stopAll(): Promise<void> {
    for (const instance of instances) if (instance.running) instance.child.kill('SIGTERM');
    for (const instance of instances) await instance.exit;
  }

  it('two instances fan a slot out to 1,000 chats: each chat gets it once, within the bot’s rate limit', async () => {
    await subscribeChats(1000);
    await Promise.all([startInstance(), startInstance()]);
    await fanOutSettled(1000);
    await stopAll();

    const counts = receivedPerChat();
    expect(counts.size).toBe(1000);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    expect(telegram.rateLimitViolations).toBe(0);
    const rows = await ledger();
    expect(rows.every((r) => r.status === 'delivered')).toBe(true);
    // Both instances did part of the work.
    expect(new Set(rows.map((r) => r.owner)).size).toBe(2);
  }, 90_000);

  it('three instances, one SIGKILLed mid fan-out and restarted as an orchestrator would: its deliveries are taken over; nothing lost, nothing twice but a part it had on the wire', async () => {
    await subscribeChats(300);
    const [victim] = await Promise.all([startInstance(), startInstance(), startInstance()]);
    await telegram.waitFor(() => telegram.sent().length >= 100, 60_000, '100 digests sent');
    victim?.child.kill('SIGKILL');
    await victim?.exit;
    // What it wrote before dying may still be read by the fake a moment later.
    const killedAt = Date.now() + 100;
    // The replacement sees the dead process's claims at its first tick and takes them over at once.
    await startInstance();
    await fanOutSettled(300);
    await stopAll();

    const counts = receivedPerChat();
    expect(telegram.rateLimitViolations).toBe(0);
    // None lost: every chat got its digest, and the ledger says delivered.
    expect(counts.size).toBe(300);
    expect((await ledger()).every((r) => r.status === 'delivered')).toBe(true);
    // Twice only where Telegram accepted a part the killed instance never heard back about
    // (Telegram has no idempotency key): its first copy arrived before the kill.
    const twice = [...counts].filter(([, n]) => n > 1);
    expect(twice.every(([, n]) => n === 2)).toBe(true);
    for (const [chat] of twice) {
      const first = telegram.callsTo('sendMessage').find((c) => String(c.params.chat_id) === chat && c.answer?.ok === true);
      expect(first?.at).toBeLessThanOrEqual(killedAt);
    }
    // At most what it had on the wire: its deliveries in flight at once.
    expect(twice.length).toBeLessThanOrEqual(DEFAULT_PACING.telegram.concurrency);
  }, 90_000);

  it('a rolling restart (stop one instance, start a new one) loses and repeats nothing, and the instances together keep a slow per-bot rate', async () => {
    // A rate each instance alone could exceed: only a bucket shared through the database keeps
    // two of them within it. The fake allows the bot's burst (= the rate) plus one more second's
    // worth, for scheduling jitter on a loaded machine; two unshared buckets go past that in a second.
    const slow = 10;
    telegram.enforceRateLimit(slow, slow * 2);
    await subscribeChats(100);
    const [old] = await Promise.all([startInstance(slow), startInstance(slow)]);
    await telegram.waitFor(() => telegram.sent().length >= 30, 60_000, '30 digests sent');
    old?.child.kill('SIGTERM');
    // 0, or 1 when it left deliveries unfinished for the others (docs/digests.md): never a crash.
    expect([0, 1]).toContain(await old?.exit);
    await startInstance(slow);
    await fanOutSettled(100);
    await stopAll();

    const counts = receivedPerChat();
    expect(counts.size).toBe(100);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    expect((await ledger()).every((r) => r.status === 'delivered')).toBe(true);
    expect(telegram.rateLimitViolations).toBe(0);
  }, 90_000);
});

describePostgres('migrations', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => database.drop());

  it('two processes started at the same moment migrate the schema once, and both start', async () => {
    const script = compiled('test/deploy/processes/migrate-process.ts');
    const children = [0, 1].map(() => fork(script, [database.url], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] }));
    const errors = children.map((child) => {
      let text = '';
      child.stderr?.setEncoding('utf8').on('data', (c: string) => (text += c));
      return () => text;
    });
    await Promise.all(children.map((child) => once(child, 'message')));
    for (const child of children) child.send('go');
    const codes = await Promise.all(children.map(async (child) => (await once(child, 'exit'))[0] as number));
    expect(codes, errors.map((e) => e()).join('\n')).toEqual([0, 0]);
    const rows = await queryOnce<{ version: number }>(database.url, 'SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
  }, 60_000);
});
