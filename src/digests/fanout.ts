/**
 * Fan-out: deliver due (subscription, slot) pairs to their chats, each part of each digest
 * exactly once, without any chat waiting on another.
 *
 * Every pair goes through the delivery ledger: claim → compose → fix the plan of message parts
 * → for each part not yet accepted: mark it in flight → send it (the sender waits for the bot's
 * rate limiter) → record it accepted → finish. A claim is the only ticket to send, so a
 * duplicate firing, an overlapping tick or another process skips pairs already claimed.
 *
 * Each pair is its own job. A failed attempt does not hold a worker: the job is parked until its
 * next attempt (the platform's `retry_after` first, however long; otherwise capped exponential
 * backoff with jitter) and the workers go on with other chats. A pair that keeps failing is given
 * up after {@link RetryPolicy.maxFailures} failed attempts and closed as `failed`, its reason
 * kept in the ledger.
 */
import { setMaxListeners } from 'node:events';
import type { Platform } from '../commands/types.js';
import { DeliveryError, type MessageSender } from '../delivery/types.js';
import type { Sleep } from '../delivery/limiter.js';
import type { Logger } from '../observability/logger.js';
import type { Telemetry } from '../observability/telemetry.js';
import type { Reply } from '../replies/reply.js';
import type { DeliveryRecord, DigestStore, Subscription } from '../storage/types.js';

/** One due pair. */
export interface FanoutJob {
  subscription: Subscription;
  slot: Date;
}

/** What to send for a pair: a reply, or `null` to send nothing (quiet `skip`). */
export interface ComposedDigest {
  reply: Reply | null;
  /** Knowledge up to this time is covered; the next digest starts here. */
  contentUntil: Date;
}

export interface RetryPolicy {
  /** Failed attempts (5xx, network, timeout) after which a pair is given up. 429s do not count. */
  maxFailures: number;
  /** First backoff after a failure; doubled each time, with jitter. */
  backoffMs: number;
  /** The longest backoff. */
  maxBackoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxFailures: 8, backoffMs: 2000, maxBackoffMs: 5 * 60_000 };

export interface FanoutDeps {
  store: DigestStore;
  senders: ReadonlyMap<Platform, MessageSender>;
  compose: (subscription: Subscription, slot: Date, now: Date) => ComposedDigest;
  clock: () => Date;
  /** The clock leases are written by (the database's when it has one; default `clock`). */
  leaseClock?: () => Date;
  /** Waits between attempts (tests inject one that follows a manual clock). */
  sleep: Sleep;
  logger: Logger;
  telemetry: Telemetry;
  /** This process's claim owner id. */
  owner: string;
  leaseMs: number;
  retry: RetryPolicy;
  /** Attempts running at once, per platform (the rate limiter, not this, sets the pace). */
  concurrency: (platform: Platform) => number;
  /** Jitter source in [0, 1) (default `Math.random`). */
  random?: () => number;
  /**
   * Where in a tick's list of due pairs this process starts claiming, as a share in [0, 1)
   * (default 0). Instances sharing a database start at different places, so they mostly claim
   * different chats instead of racing each other for the same ones, row after row.
   */
  claimStart?: number;
}

export type JobOutcome =
  /** Every part was accepted by the platform. */
  | 'sent'
  /** Nothing new and the subscription is quiet: the slot is marked, nothing posted. */
  | 'skipped'
  /** Someone else holds or finished the slot. */
  | 'taken'
  /** The chat blocked the bot or is gone: the subscription is deactivated. */
  | 'blocked'
  /** Rejected as invalid, or given up after repeated failures. */
  | 'failed'
  /** Handed back unsent (no sender for the platform in this process). */
  | 'released'
  /** Waiting for its next attempt (a 429's `retry_after`, or backoff after a failure). */
  | 'retrying'
  /** Stopping: left as it stands in the ledger for the next start. */
  | 'left';

export type FanoutReport = Record<JobOutcome, number>;

export function emptyReport(): FanoutReport {
  return { sent: 0, skipped: 0, taken: 0, blocked: 0, failed: 0, released: 0, retrying: 0, left: 0 };
}

/** The idempotency key of one part: short enough for Discord's 25-character nonce. */
export function partKey(subscriptionId: number, slot: Date, index: number): string {
  return `d${subscriptionId.toString(36)}.${Math.floor(slot.getTime() / 60_000).toString(36)}.${index}`;
}

/** This process may no longer send a part: its claim was taken over, or its view of the progress is stale. */
class ClaimLostError extends Error {
  constructor() {
    super('the digest claim is no longer ours to send');
    this.name = 'ClaimLostError';
  }
}

/** Claims made before the event loop gets a turn (timers, the HTTP server, answers on the wire). */
const CLAIMS_PER_TURN = 25;

/** How often a job whose fence failed re-reads its row and goes on (it was taken back meanwhile). */
const MAX_RECONCILES = 3;

/** A job in memory: the pair, and what the ledger says about its progress. */
interface Job extends FanoutJob {
  key: string;
  record: DeliveryRecord;
}

/** A counting semaphore: at most `limit` holders at once, waiters served in order. */
class Slots {
  private used = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}
  /** `first`: ahead of every waiter (work taken over from a dead process is late already). */
  async take(first = false): Promise<void> {
    if (this.used < this.limit) {
      this.used++;
      return;
    }
    await new Promise<void>((resolve) => (first ? this.waiting.unshift(resolve) : this.waiting.push(resolve)));
  }
  give(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next();
    else this.used--;
  }
}

/**
 * The digests being delivered by this process: claims, attempts, parked retries, and the stop.
 *
 * @example
 * const queue = new DeliveryQueue(deps);
 * const report = await queue.run(plan.jobs); // settles when each job was sent, closed or parked
 * const left = await queue.stop(5_000);      // on shutdown: unfinished jobs stay in the ledger
 */
export class DeliveryQueue {
  private readonly jobs = new Map<string, Job>();
  private readonly slots = new Map<Platform, Slots>();
  private readonly running = new Set<Promise<unknown>>();
  private readonly stopper = new AbortController();
  private readonly random: () => number;
  private readonly leaseClock: () => Date;

  constructor(private readonly deps: FanoutDeps) {
    this.random = deps.random ?? Math.random;
    this.leaseClock = deps.leaseClock ?? deps.clock;
    // Every parked job and limiter wait listens to the stop signal: many listeners are expected.
    setMaxListeners(0, this.stopper.signal);
  }

  /** Jobs not finished yet (running or parked). */
  get pending(): number {
    return this.jobs.size;
  }

  get stopping(): boolean {
    return this.stopper.signal.aborted;
  }

  /**
   * Claim each pair and start delivering it. Resolves once every job has settled for now:
   * finished, parked for a later attempt, or not ours.
   */
  async run(pairs: readonly FanoutJob[]): Promise<FanoutReport> {
    const report = emptyReport();
    const attempts: Array<Promise<JobOutcome>> = [];
    let claims = 0;
    const start = Math.floor((this.deps.claimStart ?? 0) * pairs.length);
    for (const pair of [...pairs.slice(start), ...pairs.slice(0, start)]) {
      if (this.stopping) {
        report.left++;
        continue;
      }
      // Each claim is a synchronous query: a fan-out to thousands of chats must let the event
      // loop breathe (sends answered, leases swept, health asked) between batches of them.
      if (++claims % CLAIMS_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const job = await this.claim(pair);
      if (typeof job === 'string') report[job]++;
      else attempts.push(this.attempt(job));
    }
    for (const outcome of await Promise.all(attempts)) report[outcome]++;
    return report;
  }

  /** Take up ledger rows this process now owns (after a restart or a takeover), each at its own time. */
  resume(records: readonly DeliveryRecord[]): void {
    for (const record of records) {
      const subscription = this.deps.store.subscription(record.subscriptionId);
      const key = `${record.subscriptionId}@${record.slot.getTime()}`;
      if (subscription === undefined || this.jobs.has(key)) continue;
      const job: Job = { subscription, slot: record.slot, key, record };
      this.jobs.set(key, job);
      if (record.partInFlight !== undefined) {
        const sender = this.deps.senders.get(subscription.platform);
        this.log(job).warn(
          { part: record.partInFlight, rule: sender?.resendAfterUnknown },
          'resuming a digest whose part was in flight when its process stopped: that part is sent again (on Telegram it may appear twice)',
        );
      }
      const wait = (record.nextAttemptAt?.getTime() ?? 0) - this.deps.clock().getTime();
      this.park(job, Math.max(0, wait), true);
    }
  }

  /**
   * Stop taking work: parked jobs are not attempted again and no new part starts; sends already
   * on the wire are waited for (at most `timeoutMs`) and recorded. Returns how many jobs are left
   * unfinished in the ledger for the next start.
   */
  async stop(timeoutMs: number): Promise<number> {
    this.stopper.abort();
    let timer: NodeJS.Timeout | undefined;
    const allDone = (async () => {
      while (this.running.size > 0) await Promise.all([...this.running]);
    })();
    await Promise.race([allDone, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    return this.jobs.size;
  }

  /** Resolves when no tick or attempt is running (parked jobs wait on their own). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private log(job: FanoutJob): Logger {
    return this.deps.logger.child({ subscriptionId: job.subscription.id, platform: job.subscription.platform, slot: job.slot.toISOString() });
  }

  private async claim(pair: FanoutJob): Promise<Job | JobOutcome> {
    const { store } = this.deps;
    const sub = pair.subscription;
    const key = `${sub.id}@${pair.slot.getTime()}`;
    if (this.jobs.has(key)) return 'taken';
    let claim;
    try {
      claim = await store.claimSlot(sub.id, pair.slot, this.deps.owner, this.leaseClock(), this.deps.leaseMs);
    } catch (error) {
      this.log(pair).error({ err: error }, 'could not claim a digest slot; a later tick tries again');
      return 'failed';
    }
    if (!claim.claimed) {
      const existing = claim.existing;
      // Finished elsewhere, or given back too often: either way this slot is over; move past it.
      if (existing.status !== 'claimed' && existing.status !== 'sending') store.advanceLastSlot(sub.id, pair.slot);
      return 'taken';
    }
    const job: Job = { ...pair, key, record: claim.record };
    this.jobs.set(key, job);
    return job;
  }

  /** Park a job until its next attempt; the worker slot is free meanwhile. */
  private park(job: Job, waitMs: number, first = false): void {
    const wake = this.deps.sleep(waitMs, this.stopper.signal).then(async () => {
      if (!this.stopping) await this.attempt(job, first);
    });
    this.track(wake);
  }

  /** Count `work` as running: {@link idle} and {@link stop} wait for it. */
  track(work: Promise<unknown>): void {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
  }

  private attempt(job: Job, first = false): Promise<JobOutcome> {
    const work = this.attemptOnce(job, first);
    this.track(work);
    return work;
  }

  /** One attempt at a job. Never throws: every failure ends in an outcome and a log line. */
  private async attemptOnce(job: Job, first = false): Promise<JobOutcome> {
    const platform = job.subscription.platform;
    let slots = this.slots.get(platform);
    if (slots === undefined) {
      slots = new Slots(Math.max(1, this.deps.concurrency(platform)));
      this.slots.set(platform, slots);
    }
    await slots.take(first);
    try {
      if (this.stopping) return 'left';
      const outcome = await this.deliver(job);
      if (outcome !== 'retrying' && outcome !== 'left') this.jobs.delete(job.key);
      return outcome;
    } catch (error) {
      // A bug or a storage failure: keep the claim (its lease ends with this process), never risk a second post.
      this.log(job).error({ err: error }, 'digest delivery failed unexpectedly');
      this.deps.telemetry.digestDelivered(platform, 'failed', error);
      this.jobs.delete(job.key);
      return 'failed';
    } finally {
      slots.give();
    }
  }

  private async finish(job: Job, status: 'delivered' | 'skipped' | 'failed', extra: { contentUntil?: Date; chatId?: string; detail?: string } = {}): Promise<void> {
    const sub = job.subscription;
    if (!(await this.deps.store.finishSlot(sub.id, job.slot, this.deps.owner, { status, ...extra }, this.deps.clock()))) {
      this.log(job).warn({ status }, 'digest slot was taken over before it could be marked; another process owns it now');
    }
  }

  /**
   * The ledger refused a write: read the row. Still ours and open (taken over and taken back
   * meanwhile), go on from where it stands; otherwise its new owner delivers it.
   */
  private async reconcile(job: Job, reconciles: number, log: Logger): Promise<JobOutcome> {
    const row = this.deps.store.delivery(job.subscription.id, job.slot);
    if (row !== undefined && row.owner === this.deps.owner && (row.status === 'claimed' || row.status === 'sending') && reconciles < MAX_RECONCILES) {
      job.record = row;
      return this.deliver(job, reconciles + 1);
    }
    log.warn({ owner: row?.owner, status: row?.status }, 'digest claim taken over by another process; leaving the rest to it');
    this.jobs.delete(job.key);
    return 'taken';
  }

  private async deliver(job: Job, reconciles = 0): Promise<JobOutcome> {
    const { store, telemetry } = this.deps;
    const sub = job.subscription;
    const slot = job.slot;
    const owner = this.deps.owner;
    const log = this.log(job);
    const sender = this.deps.senders.get(sub.platform);
    if (sender === undefined) {
      if (job.record.plan !== undefined) return 'left';
      await store.releaseSlot(sub.id, slot, owner, this.deps.clock(), `no ${sub.platform} sender in this process`);
      this.jobs.delete(job.key);
      return 'released';
    }

    let plan = job.record.plan;
    if (plan === undefined) {
      const chatId = store.currentChatId(sub.platform, sub.chatId);
      const block = store.blockedChat(sub.platform, chatId);
      if (block !== undefined) {
        store.deactivateSubscription(sub.id, block.reason, this.deps.clock());
        await this.finish(job, 'failed', { chatId, detail: `chat blocked: ${block.reason}` });
        telemetry.digestDelivered(sub.platform, 'failed');
        return 'blocked';
      }
      const composed = this.deps.compose(sub, slot, this.deps.clock());
      if (composed.reply === null) {
        await this.finish(job, 'skipped', { contentUntil: composed.contentUntil, chatId, detail: 'nothing new' });
        telemetry.digestDelivered(sub.platform, 'skipped');
        return 'skipped';
      }
      plan = { parts: sender.plan(composed.reply), contentUntil: composed.contentUntil, chatId };
      if (!(await store.startSending(sub.id, slot, owner, plan, this.deps.clock()))) {
        log.warn('digest claim was taken over before sending; not sending it here');
        return 'taken';
      }
      job.record = { ...job.record, status: 'sending', plan, partsAccepted: 0 };
    }

    // A migration recorded meanwhile (by a reply, or another digest) applies to the rest of the parts.
    let chatId = store.currentChatId(sub.platform, job.record.chatId ?? plan.chatId);
    let migrations = 0;
    for (let index = job.record.partsAccepted; index < plan.parts.length; index++) {
      if (this.stopping) return 'left';
      const part = index;
      // The fence, after the rate limiter's wait and right before the request: only the row's
      // owner, at the part the ledger expects next, may send it.
      const fence = async () => {
        if (!(await store.markPartInFlight(sub.id, slot, owner, part))) throw new ClaimLostError();
      };
      try {
        const sent = await sender.sendPart(chatId, plan.parts[index], { key: partKey(sub.id, slot, index), signal: this.stopper.signal, beforeSend: fence });
        chatId = sent.chatId;
        if (!(await store.markPartAccepted(sub.id, slot, owner, index, chatId))) {
          log.warn({ part: index }, 'digest part sent, but the claim had been taken over meanwhile');
          return this.reconcile(job, reconciles, log);
        }
        job.record = { ...job.record, partsAccepted: index + 1, chatId };
      } catch (error) {
        if (error instanceof ClaimLostError) return this.reconcile(job, reconciles, log);
        const failure = error instanceof DeliveryError ? error : new DeliveryError('transient', `sender failed unexpectedly: ${String(error)}`, { cause: error, outcome: 'unknown' });
        if (this.stopping && !failure.outcomeUnknown && failure.kind === 'transient') {
          // Stopped while waiting for the rate limiter: nothing went out.
          await store.retryLater(sub.id, slot, owner, { at: this.deps.clock(), detail: 'stopped before sending', failure: false, outcomeUnknown: false });
          return 'left';
        }
        telemetry.platformError(sub.platform, failure.kind);
        switch (failure.kind) {
          case 'migrated': {
            const to = failure.details.migratedTo;
            if (to === undefined || to === chatId || ++migrations > 3) {
              log.error({ err: failure }, 'chat migration without a usable new id');
              await this.finish(job, 'failed', { chatId, detail: `migration failed: ${failure.message}` });
              telemetry.digestDelivered(sub.platform, 'failed');
              return 'failed';
            }
            log.info({ from: chatId, to }, 'chat moved; moving its subscriptions and sending the rest there');
            store.recordChatMigration(sub.platform, chatId, to, this.deps.clock());
            chatId = to;
            index--; // the same part again, to the new chat
            continue;
          }
          case 'forbidden':
          case 'not-found':
            log.warn({ chatId, reason: failure.message }, 'chat unreachable for good; deactivating its subscriptions');
            store.markChatBlocked(sub.platform, chatId, `${failure.kind}: ${failure.message}`, this.deps.clock());
            store.deactivateSubscription(sub.id, `${failure.kind}: ${failure.message}`, this.deps.clock());
            await this.finish(job, 'failed', { chatId, detail: `${failure.kind}: ${failure.message}` });
            telemetry.digestDelivered(sub.platform, 'failed');
            return 'blocked';
          case 'invalid':
            log.error({ err: failure, chatId, part: index }, 'platform rejected a digest part; not retrying it as is');
            await this.finish(job, 'failed', { chatId, detail: `invalid: ${failure.message}` });
            telemetry.digestDelivered(sub.platform, 'failed');
            return 'failed';
          case 'rate-limited': {
            // The platform's own wait comes first, however long; it is not a failure.
            const wait = failure.details.retryAfterMs ?? this.backoff(1);
            await this.retryLater(job, wait, `rate-limited, retry after ${Math.round(wait / 1000)} s: ${failure.message}`, false, false);
            return 'retrying';
          }
          case 'transient': {
            const failures = job.record.failures + 1;
            if (failures >= this.deps.retry.maxFailures) {
              log.warn({ err: failure, failures }, 'digest given up after repeated failures');
              await this.finish(job, 'failed', { chatId, detail: `given up after ${failures} failed attempts; last: ${failure.message}` });
              telemetry.digestDelivered(sub.platform, 'failed', failure);
              telemetry.digestGivenUp?.(sub.platform, failure.kind);
              return 'failed';
            }
            const wait = failure.details.retryAfterMs ?? this.backoff(failures);
            await this.retryLater(job, wait, failure.message, true, failure.outcomeUnknown);
            return 'retrying';
          }
        }
      }
    }
    await this.finish(job, 'delivered', { contentUntil: plan.contentUntil, chatId });
    telemetry.digestDelivered(sub.platform, 'sent');
    return 'sent';
  }

  /** Capped exponential backoff with full jitter in its upper half: 1×, 2×, 4×… the base. */
  private backoff(failures: number): number {
    const { backoffMs, maxBackoffMs } = this.deps.retry;
    const ceiling = Math.min(maxBackoffMs, backoffMs * 2 ** Math.max(0, failures - 1));
    return Math.round(ceiling / 2 + (ceiling / 2) * this.random());
  }

  private async retryLater(job: Job, waitMs: number, detail: string, failure: boolean, outcomeUnknown: boolean): Promise<void> {
    const at = new Date(this.deps.clock().getTime() + waitMs);
    const sub = job.subscription;
    await this.deps.store.retryLater(sub.id, job.slot, this.deps.owner, { at, detail, failure, outcomeUnknown });
    job.record = { ...job.record, failures: job.record.failures + (failure ? 1 : 0), nextAttemptAt: at };
    this.log(job).info({ waitMs, failures: job.record.failures, outcomeUnknown, detail }, 'digest part not sent; retrying later');
    this.park(job, waitMs);
  }
}
