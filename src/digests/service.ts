/**
 * The digest service: ties the schedule math, the delivery ledger, the knowledge base and the
 * platform senders together. The app creates one, calls `start()` and `onKnowledgeChanged()` on
 * every reload, and `stop()` on shutdown (then closes the store).
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import type { ChatRef, Platform } from '../commands/types.js';
import type { MessageSender } from '../delivery/types.js';
import type { Logger } from '../observability/logger.js';
import { noTelemetry, type Telemetry } from '../observability/telemetry.js';
import type { Reply } from '../replies/reply.js';
import type { KnowledgeProvider, KnowledgeSnapshot } from '../search/types.js';
import type { DeliveryRecord, DigestStore, SharedRateBuckets, Subscription } from '../storage/types.js';
import { buildDigest, quietReply } from './content.js';
import { DEFAULT_RETRY, emptyReport, fanOut, type ComposedDigest, type FanoutReport, type RetryPolicy } from './fanout.js';
import { DEFAULT_RATES, DeliveryRateLimiter, realSleep, type PlatformRate, type Sleep } from './rate-limit.js';
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
  /** Rate limits per platform (the benchmark scales them). */
  rates?: Partial<Record<Platform, PlatformRate>>;
  /** How late a slot may be and still count as on time (default 10 min). */
  graceMs?: number;
  /** How long a claim stays ours without renewal (default 5 min). */
  leaseMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Identifies this process's claims (default host:pid:random). */
  owner?: string;
  /** Waits (tests pass one that returns at once and records). */
  sleep?: Sleep;
  /** Monotonic milliseconds for the rate limiter (default `performance.now`). */
  monotonicNow?: () => number;
  /**
   * Keep the per-platform rate buckets in the database, so that all processes sending as this
   * bot stay within its limit together (default: per process).
   */
  sharedRates?: SharedRateBuckets;
}

export interface TickReport extends FanoutReport {
  /** Missed slots dropped by the `skip` rule. */
  missedSkipped: number;
  /** Claims found expired mid-send and given up (never resent). */
  abandoned: number;
}

export interface DigestService {
  /** Record the current knowledge, catch up on due slots, then tick every minute. */
  start(): Promise<void>;
  /**
   * Stop ticking; give back claims that have not started sending; wait (at most `timeoutMs`,
   * default 10 s) for sends in flight. Does not close the store (its owner does).
   */
  stop(timeoutMs?: number): Promise<void>;
  /** Deliver whatever is due at `now` (the cron job calls it with the clock's time). */
  tick(now?: Date): Promise<TickReport>;
  /** This chat's digest now: what is new since its last delivered digest, or an overview. */
  digestFor(chat: Pick<ChatRef, 'platform' | 'id'>, now?: Date, topic?: { entityId: string; label: string }): Reply;
  /** Record sources first seen in this snapshot (call on every knowledge reload). */
  onKnowledgeChanged(snapshot: KnowledgeSnapshot, now?: Date): void;
  /** A subscription's next slot after `now` (`undefined` if its schedule is unreadable). */
  nextSlotFor(subscription: Subscription, now?: Date): Date | undefined;
  /** Parse a subscription's stored schedule (cached). */
  scheduleOf(subscription: Subscription): Schedule | undefined;
}

/** The controller whose signal ends a fan-out; every concurrent send and wait listens to it. */
function stopController(): AbortController {
  const controller = new AbortController();
  // One listener per send in flight is expected, not a leak (Node warns past 10).
  setMaxListeners(0, controller.signal);
  return controller;
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
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const perKind = options.limits?.perKind ?? 5;
  const onDemandPerKind = options.limits?.onDemandPerKind ?? 10;
  const limiter = new DeliveryRateLimiter({ ...DEFAULT_RATES, ...options.rates }, options.monotonicNow, sleep, options.sharedRates);
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const log = logger.child({ component: 'digests' });

  const schedules = new Map<string, Schedule | null>();
  const nextCache = new Map<number, { after: number; next: number }>();
  let recordedVersion: string | undefined;
  let ticker: Ticker | undefined;
  let followUp: NodeJS.Timeout | undefined;
  let running: Promise<TickReport> | undefined;
  let abort = stopController();
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

  async function runTick(now: Date): Promise<TickReport> {
    // Within a tick, time never runs behind the tick's own `now` (tests pass any instant).
    const tickClock = () => {
      const current = clock();
      return current.getTime() > now.getTime() ? current : now;
    };
    onKnowledgeChanged(options.knowledge(), now);
    const abandoned = store.expireLeases(now);
    for (const record of abandoned) {
      log.warn(
        { subscriptionId: record.subscriptionId, slot: record.slot.toISOString(), owner: record.owner },
        'a digest was being sent when its process stopped; it may or may not have reached the chat, and is not resent',
      );
      telemetry.digestDelivered(store.subscription(record.subscriptionId)?.platform ?? 'console', 'failed');
    }
    const subscriptions = store.activeSubscriptions().filter((s) => options.senders.has(s.platform));
    const plan = planDueSlots(subscriptions, now, { missedSlots: options.missedSlots, graceMs, scheduleOf, nextCache });
    for (const { subscription, slot } of plan.skipped) {
      store.advanceLastSlot(subscription.id, slot);
      log.info({ subscriptionId: subscription.id, slot: slot.toISOString() }, 'missed digest slot skipped (DIGEST_MISSED_SLOTS=skip)');
    }
    const heldElsewhere: DeliveryRecord[] = [];
    const report = await fanOut(
      plan.jobs,
      { store, senders: options.senders, limiter, compose, clock: tickClock, sleep, logger: log, telemetry, owner, leaseMs, retry, onHeldElsewhere: (r) => heldElsewhere.push(r) },
      abort.signal,
    );
    watchLeases(heldElsewhere);
    if (plan.jobs.length > 0) log.info({ ...report, due: plan.jobs.length }, 'digest tick done');
    return { ...report, missedSkipped: plan.skipped.length, abandoned: abandoned.length };
  }

  /**
   * Another process holds some of this tick's pairs. If it dies, their leases lapse and they
   * must be taken over within a lease period, not at some later minute: tick again just after
   * the first of those leases runs out (a live holder will have finished or renewed by then).
   */
  function watchLeases(held: readonly DeliveryRecord[]): void {
    if (stopped || held.length === 0 || followUp !== undefined) return;
    const first = Math.min(...held.map((r) => r.leaseUntil.getTime()));
    const delay = Math.max(100, first - clock().getTime() + 50);
    followUp = setTimeout(() => {
      followUp = undefined;
      tick(clock()).catch((error: unknown) => log.error({ err: error }, 'digest follow-up tick failed'));
    }, delay);
    followUp.unref();
  }

  async function tick(now = clock()): Promise<TickReport> {
    if (stopped) return { ...emptyReport(), missedSkipped: 0, abandoned: 0 };
    // One tick at a time in this process: a second call waits for the first, then runs itself.
    const previous = running;
    const current = (async () => {
      if (previous !== undefined) await previous.catch(() => undefined);
      return runTick(now);
    })();
    running = current;
    try {
      return await current;
    } finally {
      if (running === current) running = undefined;
    }
  }

  return {
    async start() {
      stopped = false;
      abort = stopController();
      onKnowledgeChanged(options.knowledge());
      ticker ??= startMinuteTicker(() => tick(clock()), log);
      await tick(clock());
    },

    async stop(timeoutMs = 10_000) {
      stopped = true;
      clearTimeout(followUp);
      followUp = undefined;
      await ticker?.stop();
      ticker = undefined;
      abort.abort();
      const inFlight = running;
      if (inFlight === undefined) return;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        inFlight.then(() => false, () => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) log.warn({ timeoutMs }, 'digest sends still in flight at shutdown; their claims expire and are not resent');
    },

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
