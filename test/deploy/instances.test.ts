/**
 * Several bot instances on one PostgreSQL database, as real processes (`src/main.ts`, compiled
 * once per run: test/support/compiled.ts), against the fake Telegram Bot API holding them to one per-bot rate limit. What counts is
 * what the fake received: every chat's digest once, none twice, none lost — with all instances
 * ticking at once, with one SIGKILLed in the middle of a fan-out, and across a rolling restart;
 * and two processes starting together migrate the schema once.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEFAULT_PACING } from '../../src/delivery/limiter.js';
import { loadArticles } from '../../src/knowledge/articles.js';
import { PG_MIGRATIONS } from '../../src/storage/pg-migrations.js';
import { openPostgresStore } from '../../src/storage/postgres.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.js';
import type { FakeUser } from '../fakes/telegram-updates.js';
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
/**
 * A short lease, so a dead instance's deliveries move within seconds. Short is also the hard
 * case for the live ones: their leases are renewed from the database connection's own thread, so
 * a loaded machine stalling an event loop for longer than this must still not get them taken over.
 */
const LEASE_MS = 3000;

/** A search whose "More results" command is longer than Telegram's 64 bytes of callback data. */
const QUERY = 'taliban resistance panjshir valley forces fighters';

const TOPICS = ['kabul', 'massoud', 'saleh', 'talks', 'airport', 'province', 'leader', 'district', 'valley', 'resistance'];

/** A Telegram user of the test (a private chat of its own). */
const user = (id: number): FakeUser => ({ id, is_bot: false, first_name: `User ${id}`, language_code: 'en' });

/**
 * The load balancer in front of the instances' webhook servers: each request goes to the next
 * target in turn (headers, secret and body as they came), and it notes which took each update.
 */
class RoundRobin {
  targets: number[] = [];
  /** update_id → index of the target that answered it. */
  readonly handledBy = new Map<number, number>();
  private next = 0;
  private constructor(private readonly server: Server) {}

  static async start(): Promise<RoundRobin> {
    const server = createServer();
    const balancer = new RoundRobin(server);
    server.on('request', (req, res) => {
      void (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const body = Buffer.concat(chunks);
        const target = balancer.next++ % balancer.targets.length;
        const update = JSON.parse(body.toString('utf8') || '{}') as { update_id?: number };
        if (update.update_id !== undefined) balancer.handledBy.set(update.update_id, target);
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
        try {
          const answer = await fetch(`http://127.0.0.1:${balancer.targets[target]}${req.url ?? '/'}`, { method: req.method ?? 'POST', headers, body });
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
          res.end(Buffer.from(await answer.arrayBuffer()));
        } catch {
          res.writeHead(502).end();
        }
      })();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return balancer;
  }

  /** The target the next request goes to. */
  nextTarget(): number {
    return this.next % this.targets.length;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/telegram`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

/** A running bot process. */
class Instance {
  stderr = '';
  readonly exit: Promise<number | null>;
  constructor(
    readonly child: ChildProcess,
    /** Where its Telegram webhook server listens. */
    readonly webhookPort: number,
  ) {
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
  let started = 0;

  beforeEach(async () => {
    database = await createTestDatabase();
    started = 0;
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

  /**
   * Start `npm start` as an operator would for one instance behind a load balancer. Each has an
   * instance id of its own, as containers on different hosts would: they recognise a dead one by
   * its lease alone, not by its process id.
   */
  async function startInstance(rate = RATE, instanceId = `instance-${++started}`, webhookUrl?: string): Promise<Instance> {
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
        TELEGRAM_WEBHOOK_URL: webhookUrl ?? `http://127.0.0.1:${webhookPort}/telegram`,
        TELEGRAM_WEBHOOK_PORT: String(webhookPort),
        TELEGRAM_WEBHOOK_SECRET: 'instances-test-secret',
        TELEGRAM_MESSAGES_PER_SECOND: String(rate),
        DIGEST_LEASE_MS: String(LEASE_MS),
        INSTANCE_ID: instanceId,
        DIGEST_MISSED_SLOTS: 'latest',
        SHUTDOWN_TIMEOUT_MS: '2000',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const instance = new Instance(child, webhookPort);
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

  /** Poll `probe` until it holds (60 s at most). */
  async function until(probe: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${instances.map((i) => i.problems()).join('\n---\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
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

  it('three instances, one SIGKILLed mid fan-out and not replaced: the others deliver its chats once its lease ran out; nothing lost, nothing twice but a part it had on the wire', async () => {
    await subscribeChats(1000);
    const fleet = await Promise.all([startInstance(), startInstance(), startInstance()]);
    // Killed mid fan-out: the instance that has delivered some of its chats and holds the most
    // still to go, once all three are delivering.
    let victimId = '';
    await until(async () => {
      const rows = await queryOnce<{ instance: string; open: number; done: number }>(
        database.url,
        `SELECT split_part(owner, ':', 1) AS instance, count(*) FILTER (WHERE status IN ('claimed', 'sending'))::int AS open,
           count(*) FILTER (WHERE status = 'delivered')::int AS done
         FROM deliveries GROUP BY 1 ORDER BY 2 DESC`,
      );
      victimId = rows[0]?.instance ?? '';
      return (rows[0]?.done ?? 0) >= 30 && (rows[0]?.open ?? 0) >= 20 && rows.length === 3;
    }, 'three instances delivering, one with 20 chats still to go');
    const victim = fleet[Number(victimId.replace('instance-', '')) - 1];
    victim?.child.kill('SIGKILL');
    await victim?.exit;
    // What it wrote before dying may still be read by the fake a moment later.
    const killedAt = Date.now() + 100;
    const orphans = await queryOnce<{ chat_id: string }>(
      database.url,
      `SELECT s.chat_id FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id WHERE d.owner LIKE $1 AND d.status IN ('claimed', 'sending')`,
      [`${victimId}:%`],
    );
    // Taken over: no open delivery is the dead instance's any more.
    await until(async () => {
      const [row] = await queryOnce<{ open: number }>(database.url, `SELECT count(*)::int AS open FROM deliveries WHERE owner LIKE $1 AND status IN ('claimed', 'sending')`, [
        `${victimId}:%`,
      ]);
      return row?.open === 0;
    }, 'the survivors to take over the dead instance’s deliveries');
    const takenOverAt = Date.now();
    await fanOutSettled(1000);
    await stopAll();

    const counts = receivedPerChat();
    expect(telegram.rateLimitViolations).toBe(0);
    // None lost: every chat got its digest, and the ledger says delivered, by the survivors.
    expect(counts.size).toBe(1000);
    const rows = await ledger();
    expect(rows.every((r) => r.status === 'delivered')).toBe(true);
    expect(orphans.length).toBeGreaterThan(0);
    // Its deliveries were taken over once its lease had run out (renewed every third of it while
    // it lived), within about one lease period of its death: the survivors sweep every third.
    expect(takenOverAt - killedAt).toBeGreaterThanOrEqual(LEASE_MS / 2);
    expect(takenOverAt - killedAt).toBeLessThanOrEqual(LEASE_MS + LEASE_MS / 3 + 1000);
    // Then sent ahead of the survivors' own waiting chats, at the fleet's pace (reported, not
    // judged: on a loaded machine that pace is the machine's). A chat whose part the ledger had
    // recorded as accepted needs no send, only its finish.
    const sends = telegram.callsTo('sendMessage');
    const resent = orphans.flatMap(({ chat_id }) => sends.filter((c) => String(c.params.chat_id) === chat_id && c.at > killedAt).map((c) => c.at));
    const lastResent = Math.max(takenOverAt, ...resent);
    console.info(
      `killed instance: ${orphans.length} deliveries open; taken over ${takenOverAt - killedAt} ms after the kill, the last of them sent ${lastResent - killedAt} ms after it; ` +
        `${[...counts].filter(([, n]) => n > 1).length} chats got a part twice`,
    );
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

  it('Telegram webhooks behind a round-robin load balancer: each update answered once by either instance, a button works on the other, a subscription made through one is delivered once by the fleet', async () => {
    const balancer = await RoundRobin.start();
    const pair = await Promise.all([startInstance(RATE, undefined, balancer.url), startInstance(RATE, undefined, balancer.url)]);
    balancer.targets = pair.map((i) => i.webhookPort);
    // Each registers the balancer's URL once its webhook server listens.
    await telegram.waitFor(() => telegram.callsTo('setWebhook').filter((c) => c.answer?.ok === true).length >= 2, 60_000, 'both webhooks registered');

    // A subscription, made through whichever instance gets the update; its first slot is then
    // made due (as if made a day ago) and an instance joining the fleet catches it up at start,
    // racing the pair's next minute tick: delivered once all the same.
    const subscriber = user(3000);
    telegram.privateMessage('/subscribe every 15m UTC', subscriber);
    await telegram.waitForSent(subscriber.id, 1, 30_000);
    await queryOnce(database.url, `UPDATE subscriptions SET created_at = to_char(now() - interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

    // Questions from ten people land on both instances; each is answered once.
    const askers = Array.from({ length: 10 }, (_, i) => user(3100 + i));
    // Each asks something of their own, so a follow-up key exists only where it was answered.
    const asked = askers.map((u, i) => telegram.privateMessage(`/search ${QUERY} ${TOPICS[i % TOPICS.length]}`, u));
    await telegram.waitFor(() => askers.every((u) => telegram.sent(u.id).length > 0), 30_000, 'every question answered');
    const answering = (update: { update_id: number }) => balancer.handledBy.get(update.update_id);
    expect(new Set(asked.map(answering))).toEqual(new Set([0, 1]));
    // One answer each (a search's answer is one message), and every webhook call succeeded once.
    await new Promise((r) => setTimeout(r, 500));
    for (const u of askers) expect(telegram.sent(u.id)).toHaveLength(1);
    expect(telegram.webhookDeliveries.filter((d) => asked.some((u) => u.update_id === d.updateId)).map((d) => d.status)).toEqual(asked.map(() => 200));

    // "More results" is a follow-up too long for Telegram's callback data: kept in the database
    // under a key by the instance that answered. Pressed on the other instance, it still opens
    // page 2 (twice: each instance reads a key the other stored).
    for (let press = 0; press < 2; press++) {
      const next = balancer.nextTarget();
      const index = asked.findIndex((update, i) => answering(update) !== next && i >= press * 5);
      const [asker, update] = [askers[index] as FakeUser, asked[index] as { update_id: number }];
      const [answer] = telegram.sent(asker.id);
      const more = answer?.replyMarkup?.inline_keyboard?.flat().find((b) => b.text === 'More results');
      expect(more?.callback_data).toMatch(/^k:/);
      if (answer === undefined) throw new Error('no answer');
      const pressed = telegram.pressButton(answer, more?.callback_data ?? '', asker);
      await telegram.waitForCall('answerCallbackQuery', (c) => c.params.callback_query_id === pressed.callback_query.id, 30_000);
      expect(balancer.handledBy.get(pressed.update_id)).not.toBe(answering(update));
      expect(telegram.sent(asker.id).find((m) => m.messageId === answer.messageId)?.text).toContain('Results, page 2');
    }

    // The digest: once.
    await startInstance(RATE, undefined, balancer.url);
    await telegram.waitFor(() => telegram.sent(subscriber.id).length >= 2, 75_000, 'the digest');
    await fanOutSettled(1);
    // The confirmation, then each part of the digest once (everything is new to it: several parts).
    const [row] = await queryOnce<{ status: string; parts_total: number; parts_accepted: number }>(database.url, 'SELECT status, parts_total, parts_accepted FROM deliveries');
    expect(row).toMatchObject({ status: 'delivered', parts_accepted: row?.parts_total });
    expect(telegram.sent(subscriber.id)).toHaveLength(1 + (row?.parts_total ?? 0));
    expect(await ledger()).toHaveLength(1);
    await stopAll();
    await balancer.close();
  }, 120_000);
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
