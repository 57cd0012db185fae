/**
 * The digest service: ties the schedule math, the delivery ledger, the knowledge base and the
 * platform senders together. The app creates one, calls `start()` and `onKnowledgeChanged()` on
 * every reload, and `stop()` on shutdown (then closes the store).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ChatRef, Platform } from '../commands/types.js';
import type { MessageSender } from '../delivery/types.js';
import type { Logger } from '../observability/logger.js';
import { noTelemetry, type Telemetry } from '../observability/telemetry.js';
import type { Reply } from '../replies/reply.js';
import type { KnowledgeProvider, KnowledgeSnapshot } from '../search/types.js';
import type { DigestStore, Subscription } from '../storage/types.js';
import { buildDigest, quietReply } from './content.js';
import { DEFAULT_PACING, realSleep, type Sleep } from '../delivery/limiter.js';
import { DEFAULT_RETRY, DeliveryQueue, emptyReport, type ComposedDigest, type FanoutReport, type RetryPolicy } from './fanout.js';
import { DEFAULT_GRACE_MS, planDueSlots, startMinuteTicker, type MissedSlotRule, type Ticker } from './scheduler.js';
import { nextSlot, parseSchedule, type Schedule } from './schedule.js';

export interface DigestServiceLimits {
  /** Items per kind in a scheduled digest (default 5); more are offered with a `/digest` action. */
  perKind?: number;
  /** Items per kind in an on-demand `/digest` (default 10). */
  onDemandPerKind?: number;
}

export interface DigestServiceOptions {
  store: DigestStore;
  knowledge: KnowledgeProvider;
  /** The senders of the platforms running in this process (a subscription of another platform waits). */
  senders: ReadonlyMap<Platform, MessageSender>;
  clock?: () => Date;
  logger: Logger;
  telemetry?: Telemetry;
  missedSlots: MissedSlotRule;
  /** The zone of subscriptions that name none (DIGEST_TIMEZONE). */
  defaultTimeZone: string;
  limits?: DigestServiceLimits;
  /** Digest attempts running at once per platform (default from the platform's pacing). */
  concurrency?: Partial<Record<Platform, number>>;
  /** How late a slot may be and still count as on time (default 10 min). */
  graceMs?: number;
  /** How long a claim stays ours without a heartbeat (default 30 s; renewed every third of it). */
  leaseMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Identifies this process's claims (default instance:pid:process-start:random). */
  owner?: string;
  /**
   * This instance's name in owner ids (default: the host name). Processes with the same name
   * recognise a dead one by its process id at once; others judge it by its lease alone.
   */
  instanceId?: string;
  /** The clock leases are written and judged by (default: the store's, else `clock`). */
  leaseClock?: () => Date;
  /**
   * `spread`: start each tick's claims at a random place in the list of due chats, so several
   * instances on one database claim different chats (default `in-order`: one process alone).
   */
  claimOrder?: 'in-order' | 'spread';
  /** Waits between attempts (tests pass one that follows a manual clock). */
  sleep?: Sleep;
  /** Jitter source for backoff (default `Math.random`). */
  random?: () => number;
}

/** Thrown by {@link DigestService.stop} when deliveries were left unfinished for the next start. */
export class DeliveriesLeftError extends Error {
  constructor(readonly left: number) {
    super(`${left} digest deliver${left === 1 ? 'y was' : 'ies were'} left unfinished; the next start (or another process) finishes them.`);
    this.name = 'DeliveriesLeftError';
  }
}

const PROCESS_STARTED_MS = Math.round(Date.now() - process.uptime() * 1000);

/** This process's owner id: instance (host) name, pid and start time let a restarted process on the same host recognise a dead predecessor. */
export function processOwnerId(instanceId = hostname()): string {
  return `${instanceId}:${process.pid}:${PROCESS_STARTED_MS}:${randomUUID().slice(0, 8)}`;
}

/**
 * Whether an owner id names a process on this host that is gone: its pid no longer runs, or it
 * is this very pid from an earlier start (a container restarted with the same pid). Owner ids of
 * another form, or of another host, are judged by their lease alone.
 */
export function isDeadLocalOwner(owner: string, host = hostname()): boolean {
  const match = /^(.*):(\d+):(\d+):[0-9a-f]{8}$/.exec(owner);
  if (match === null || match[1] !== host) return false;
  const pid = Number(match[2]);
  const started = Number(match[3]);
  if (pid === process.pid) return started < PROCESS_STARTED_MS - 1000;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export interface TickReport extends FanoutReport {
  /** Missed slots dropped by the `skip` rule. */
  missedSkipped: number;
  /** Unfinished deliveries taken over from dead processes (and resumed where they stopped). */
  takenOver: number;
}

export interface DigestService {
  /** Record the current knowledge, resume this owner's unfinished work, start catching up on due slots (not awaited), then tick every minute. */
  start(): Promise<void>;
  /**
   * Stop ticking and starting sends; wait (at most `timeoutMs`, default 10 s) for sends in flight
   * and record them. Unfinished deliveries stay in the ledger for the next start.
   * Does not close the store (its owner does).
   * @throws {DeliveriesLeftError} when anything was left unfinished.
   */
  stop(timeoutMs?: number): Promise<void>;
  /**
   * Deliver whatever is due at `now` (the cron job calls it with the clock's time, and does not
   * wait for it). Resolves when each due job was sent, closed, or parked for a later attempt.
   */
  tick(now?: Date): Promise<TickReport>;
  /** Resolves when no tick or delivery attempt is running (parked retries wait on their own). For tests. */
  idle(): Promise<void>;
  /** Why a subscription's latest digest did not reach its chat, if it did not (for /subscriptions). */
  deliveryProblem(subscription: Subscription): string | undefined;
  /** This chat's digest now: what is new since its last delivered digest, or an overview. */
  digestFor(chat: Pick<ChatRef, 'platform' | 'id'>, now?: Date, topic?: { entityId: string; label: string }): Reply;
  /** Record sources first seen in this snapshot (call on every knowledge reload). */
  onKnowledgeChanged(snapshot: KnowledgeSnapshot, now?: Date): void;
  /** A subscription's next slot after `now` (`undefined` if its schedule is unreadable). */
  nextSlotFor(subscription: Subscription, now?: Date): Date | undefined;
  /** Parse a subscription's stored schedule (cached). */
  scheduleOf(subscription: Subscription): Schedule | undefined;
}

/**
 * Create the digest service.
 *
 * @example
 * const digests = createDigestService({ store, knowledge, senders, logger, missedSlots: 'latest', defaultTimeZone: 'Asia/Kabul' });
 * await digests.start();
 * knowledgeService.onChange((snapshot) => digests.onKnowledgeChanged(snapshot));
 * // on SIGTERM:
 * await digests.stop(); store.close();
 */
export function createDigestService(options: DigestServiceOptions): DigestService {
  const { store, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const telemetry = options.telemetry ?? noTelemetry;
  const sleep = options.sleep ?? realSleep;
  const instanceId = options.instanceId ?? hostname();
  const owner = options.owner ?? processOwnerId(instanceId);
  const perKind = options.limits?.perKind ?? 5;
  const onDemandPerKind = options.limits?.onDemandPerKind ?? 10;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const leaseMs = options.leaseMs ?? 30_000;
  const log = logger.child({ component: 'digests' });

  const schedules = new Map<string, Schedule | null>();
  const nextCache = new Map<number, { after: number; next: number }>();
  let recordedVersion: string | undefined;
  let ticker: Ticker | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let leaseKeeper: { stop(): void } | undefined;
  let stopped = false;

  function scheduleOf(subscription: Subscription): Schedule | undefined {
    const key = `${subscription.schedule}\u0000${subscription.timeZone}`;
    let schedule = schedules.get(key);
    if (schedule === undefined) {
      try {
        schedule = parseSchedule(subscription.schedule, subscription.timeZone);
      } catch (error) {
        log.error({ err: error, subscriptionId: subscription.id, schedule: subscription.schedule }, 'stored schedule cannot be read; skipping it');
        schedule = null;
      }
      schedules.set(key, schedule);
    }
    return schedule ?? undefined;
  }

  function onKnowledgeChanged(snapshot: KnowledgeSnapshot, now = clock()): void {
    if (snapshot.version === recordedVersion) return;
    const added = store.recordSourcesSeen(
      snapshot.kb.sources.map((s) => s.id),
      now,
    );
    recordedVersion = snapshot.version;
    seen = undefined;
    if (added > 0) log.info({ added, version: snapshot.version }, 'new sources recorded for digests');
  }

  /**
   * The sources-seen ledger, read once per recorded knowledge version: a fan-out composes
   * thousands of digests. Once recorded, the rows of this version's sources never change (the
   * first sighting wins, whichever process made it), so every tick and /digest can share one read.
   */
  let seen: Map<string, Date> | undefined;
  function sourcesSeen(): Map<string, Date> {
    seen ??= store.sourcesSeen();
    return seen;
  }

  function compose(subscription: Subscription, _slot: Date, now: Date): ComposedDigest {
    const snapshot = options.knowledge();
    onKnowledgeChanged(snapshot, now);
    const since = store.lastCompleted(subscription.id)?.contentUntil ?? subscription.createdAt;
    const content = buildDigest(snapshot.kb, {
      since,
      until: now,
      seen: sourcesSeen(),
      timeZone: subscription.timeZone,
      limits: { perKind },
      moreCommand: '/digest',
      ...(subscription.topic === undefined ? {} : { topic: subscription.topic }),
    });
    if (content.reply !== null) return { reply: content.reply, contentUntil: now };
    return { reply: subscription.quiet === 'skip' ? null : quietReply(since, subscription.timeZone, subscription.topic), contentUntil: now };
  }

  // Time never runs behind the latest tick's own `now` (tests and a late cron firing pass any instant).
  let latestTick = 0;
  const queueClock = () => {
    const current = clock();
    return current.getTime() >= latestTick ? current : new Date(latestTick);
  };
  // Leases on one clock for every instance: the database's when the store has one.
  const storeClock = store.leaseClock?.bind(store);
  const leaseClock = options.leaseClock ?? storeClock ?? queueClock;
  const newQueue = () =>
    new DeliveryQueue({
      store,
      senders: options.senders,
      compose,
      clock: queueClock,
      leaseClock,
      sleep,
      logger: log,
      telemetry,
      owner,
      leaseMs,
      retry,
      concurrency: (platform) => options.concurrency?.[platform] ?? DEFAULT_PACING[platform].concurrency,
      ...(options.random === undefined ? {} : { random: options.random }),
      ...(options.claimOrder === 'spread' ? { claimStart: Math.random() } : {}),
    });
  let queue = newQueue();

  /**
   * Take over the unfinished deliveries of processes that are gone: every row whose lease ran out
   * (on the lease clock: the database's), and at once, without waiting for its lease, the rows of
   * a process of this instance that no longer runs. Each row goes to one taker, and resumes from
   * the parts its ledger says were accepted.
   */
  async function takeOverDead(): Promise<number> {
    const now = leaseClock();
    let taken = 0;
    for (const holder of await store.leaseHolders()) {
      if (holder.owner === owner || !isDeadLocalOwner(holder.owner, instanceId)) continue;
      const rows = await store.takeOver(holder.owner, owner, now, leaseMs);
      if (rows.length === 0) continue;
      log.warn({ from: holder.owner, deliveries: rows.length }, 'taking over the unfinished digest deliveries of a process of this instance that is gone');
      queue.resume(rows);
      taken += rows.length;
    }
    const expired = await store.takeOverExpired(owner, now, leaseMs);
    if (expired.length > 0) {
      log.warn({ deliveries: expired.length }, 'taking over unfinished digest deliveries whose lease ran out (their process is gone or paused)');
      queue.resume(expired);
      taken += expired.length;
    }
    return taken;
  }

  /** Between ticks, every third of a lease: a dead instance's deliveries move within a lease period. */
  async function sweep(): Promise<void> {
    if (stopped || queue.stopping) return;
    const work = takeOverDead();
    queue.track(work);
    await work;
  }

  function tick(now = clock()): Promise<TickReport> {
    if (stopped || queue.stopping) return Promise.resolve({ ...emptyReport(), missedSkipped: 0, takenOver: 0 });
    const work = runTick(now);
    queue.track(work);
    return work;
  }

  async function runTick(now: Date): Promise<TickReport> {
    latestTick = Math.max(latestTick, now.getTime());
    onKnowledgeChanged(options.knowledge(), now);
    const takenOver = await takeOverDead();
    const subscriptions = store.activeSubscriptions().filter((s) => options.senders.has(s.platform));
    const plan = planDueSlots(subscriptions, now, { missedSlots: options.missedSlots, graceMs, scheduleOf, nextCache });
    for (const { subscription, slot } of plan.skipped) {
      store.advanceLastSlot(subscription.id, slot);
      log.info({ subscriptionId: subscription.id, slot: slot.toISOString() }, 'missed digest slot skipped (DIGEST_MISSED_SLOTS=skip)');
    }
    const report = await queue.run(plan.jobs);
    if (plan.jobs.length > 0) log.info({ ...report, due: plan.jobs.length }, 'digest tick done');
    return { ...report, missedSkipped: plan.skipped.length, takenOver };
  }

  function deliveryProblem(subscription: Subscription): string | undefined {
    const latest = store.latestDelivery(subscription.id);
    if (latest === undefined) return undefined;
    const when = latest.slot.toISOString().slice(0, 16).replace('T', ' ');
    if (latest.status === 'failed') return `the ${when} UTC digest was not delivered: ${latest.detail ?? 'failed'}`;
    if ((latest.status === 'claimed' || latest.status === 'sending') && latest.failures > 0) {
      return `the ${when} UTC digest is being retried (${latest.failures} failed attempt${latest.failures === 1 ? '' : 's'}: ${latest.detail ?? 'failed'})`;
    }
    return undefined;
  }

  return {
    async start() {
      if (stopped) queue = newQueue();
      stopped = false;
      onKnowledgeChanged(options.knowledge());
      // Our own unfinished rows (an owner id passed in, reused across restarts) resume at once.
      queue.resume(await store.openDeliveries(owner));
      // Our claims are renewed from the store's own thread when it has one (PostgreSQL's worker):
      // a busy event loop here cannot let them lapse while this process lives.
      if (store.keepLeases !== undefined) leaseKeeper ??= store.keepLeases(owner, leaseMs);
      heartbeat ??= setInterval(() => {
        if (leaseKeeper === undefined) {
          Promise.resolve(store.renewLeases(owner, leaseClock(), leaseMs)).catch((error: unknown) => log.error({ err: error }, 'could not renew digest leases'));
        }
        // Several instances: a dead one's deliveries move within a lease period, not at the next
        // minute's tick (one cheap query when nobody is dead).
        sweep().catch((error: unknown) => log.error({ err: error }, 'could not look for deliveries to take over'));
      }, Math.max(250, Math.floor(leaseMs / 3)));
      heartbeat.unref();
      // Ticks never wait on sends: each chat's delivery runs as its own job.
      const tickNow = () => void tick(clock()).catch((error: unknown) => log.error({ err: error }, 'digest tick failed'));
      ticker ??= startMinuteTicker(async () => tickNow(), log);
      // Catch up at once, without making start-up wait for the fan-out.
      tickNow();
    },

    async stop(timeoutMs = 10_000) {
      stopped = true;
      await ticker?.stop();
      ticker = undefined;
      clearInterval(heartbeat);
      heartbeat = undefined;
      const left = await queue.stop(timeoutMs);
      leaseKeeper?.stop();
      leaseKeeper = undefined;
      if (left > 0) {
        // End our leases now: whichever process starts next takes the rest over at once.
        await store.renewLeases(owner, leaseClock(), -1);
        log.warn({ left, timeoutMs }, 'digest deliveries left unfinished at shutdown; the next start takes them over where they stopped');
        throw new DeliveriesLeftError(left);
      }
    },

    idle: () => queue.idle(),
    deliveryProblem,

    tick,

    digestFor(chat, now = clock(), topic) {
      const snapshot = options.knowledge();
      onKnowledgeChanged(snapshot, now);
      const chatId = store.currentChatId(chat.platform, chat.id);
      const since = store.lastDigestForChat(chat.platform, chatId);
      const zone = store.subscriptionsForChat(chat.platform, chatId)[0]?.timeZone ?? options.defaultTimeZone;
      const content = buildDigest(snapshot.kb, {
        ...(since === undefined ? {} : { since }),
        until: now,
        seen: sourcesSeen(),
        timeZone: zone,
        limits: { perKind: since === undefined ? perKind : onDemandPerKind },
        ...(topic === undefined ? {} : { topic }),
      });
      return content.reply ?? quietReply(since ?? now, zone, topic);
    },

    onKnowledgeChanged,

    nextSlotFor(subscription, now = clock()) {
      const schedule = scheduleOf(subscription);
      if (schedule === undefined) return undefined;
      const after = subscription.lastSlot !== undefined && subscription.lastSlot > now ? subscription.lastSlot : now;
      return nextSlot(schedule, after);
    },

    scheduleOf,
  };
}
