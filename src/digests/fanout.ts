/**
 * Fan-out: deliver due (subscription, slot) pairs to their chats, exactly once, within the
 * platforms' rate limits, and keep going past a failing chat.
 *
 * Each pair goes through the delivery ledger: claim → (compose) → wait for a rate token →
 * mark sending → send → mark delivered. A claim is the only ticket to send, so a duplicate cron
 * firing, an overlapping tick or a second process skips pairs that are already claimed.
 */
import type { Platform } from '../commands/types.js';
import { DeliveryError, type MessageSender } from '../delivery/types.js';
import type { Logger } from '../observability/logger.js';
import type { Telemetry } from '../observability/telemetry.js';
import type { Reply } from '../replies/reply.js';
import type { ClaimResult, DeliveryRecord, DigestStore, Subscription } from '../storage/types.js';
import type { DeliveryRateLimiter, Sleep } from './rate-limit.js';

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
  /** Attempts per pair for 429s and transient failures, the first included. */
  maxAttempts: number;
  /** First backoff for transient failures, doubled each time. */
  backoffMs: number;
  /** Longest 429 wait honoured; a longer `retry_after` gives the slot back for a later tick. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, backoffMs: 1000, maxRetryAfterMs: 120_000 };

export interface FanoutDeps {
  store: DigestStore;
  senders: ReadonlyMap<Platform, MessageSender>;
  limiter: DeliveryRateLimiter;
  compose: (subscription: Subscription, slot: Date, now: Date) => ComposedDigest;
  clock: () => Date;
  sleep: Sleep;
  logger: Logger;
  telemetry: Telemetry;
  /** This process's claim owner id. */
  owner: string;
  /** Told of each pair another process holds (claimed or sending), so its lease can be watched. */
  onHeldElsewhere?: (record: DeliveryRecord) => void;
  leaseMs: number;
  retry: RetryPolicy;
}

export type JobOutcome =
  /** Posted to the chat. */
  | 'sent'
  /** Nothing new and the subscription is quiet: the slot is marked, nothing posted. */
  | 'skipped'
  /** Someone else holds or finished the slot. */
  | 'taken'
  /** The chat blocked the bot or is gone: the subscription is deactivated. */
  | 'blocked'
  /** Given up after bounded retries, or rejected as invalid. */
  | 'failed'
  /** Handed back unsent (stopping, or no sender for the platform). */
  | 'released'
  /** The claim was lost to another process (lease expired) before sending: not sent here. */
  | 'lost';

export type FanoutReport = Record<JobOutcome, number>;

export function emptyReport(): FanoutReport {
  return { sent: 0, skipped: 0, taken: 0, blocked: 0, failed: 0, released: 0, lost: 0 };
}

/**
 * Deliver every job, each platform with its own concurrency, in parallel across platforms.
 * Jobs that have not started sending when `signal` aborts are released for a later tick.
 *
 * @example
 * const report = await fanOut([{ subscription, slot }], deps);
 * report.sent // → 1
 */
export async function fanOut(jobs: readonly FanoutJob[], deps: FanoutDeps, signal?: AbortSignal): Promise<FanoutReport> {
  const report = emptyReport();
  const byPlatform = new Map<Platform, FanoutJob[]>();
  for (const job of jobs) {
    const list = byPlatform.get(job.subscription.platform) ?? [];
    list.push(job);
    byPlatform.set(job.subscription.platform, list);
  }
  await Promise.all(
    [...byPlatform].map(async ([platform, list]) => {
      let next = 0;
      const workers = Math.max(1, Math.min(deps.limiter.rate(platform).concurrency, list.length));
      await Promise.all(
        Array.from({ length: workers }, async () => {
          while (next < list.length) {
            const job = list[next++];
            if (job === undefined) break;
            report[await deliverJob(job, deps, signal)]++;
          }
        }),
      );
    }),
  );
  return report;
}

/** One pair through the ledger. Never throws: every failure ends in an outcome and a log line. */
export async function deliverJob(job: FanoutJob, deps: FanoutDeps, signal?: AbortSignal): Promise<JobOutcome> {
  const { store, logger } = deps;
  const sub = job.subscription;
  const slot = job.slot;
  const log = logger.child({ subscriptionId: sub.id, platform: sub.platform, slot: slot.toISOString() });
  const finish = (status: 'delivered' | 'skipped' | 'failed', extra: { contentUntil?: Date; chatId?: string; detail?: string } = {}) => {
    if (!store.finishSlot(sub.id, slot, deps.owner, { status, ...extra }, deps.clock())) {
      log.warn({ status }, 'digest slot was taken over before it could be marked; another process owns it now');
    }
  };

  if (signal?.aborted) return 'released';
  let claim: ClaimResult;
  try {
    claim = store.claimSlot(sub.id, slot, deps.owner, deps.clock(), deps.leaseMs);
  } catch (error) {
    log.error({ err: error }, 'could not claim a digest slot; a later tick tries again');
    return 'failed';
  }
  if (!claim.claimed) {
    const existing = claim.existing;
    if (existing.status !== 'claimed' && existing.status !== 'sending') {
      // Finished elsewhere, or given back too often: either way this slot is over; move past it.
      store.advanceLastSlot(sub.id, slot);
      if (existing.status === 'released') log.warn({ attempts: existing.attempts, detail: existing.detail }, 'digest slot given up after repeated attempts');
    }
    else deps.onHeldElsewhere?.(existing);
    log.debug({ status: existing.status, owner: existing.owner }, 'digest slot already claimed');
    return 'taken';
  }

  try {
    const sender = deps.senders.get(sub.platform);
    if (sender === undefined) {
      store.releaseSlot(sub.id, slot, deps.owner, deps.clock(), `no ${sub.platform} sender in this process`);
      return 'released';
    }
    let chatId = store.currentChatId(sub.platform, sub.chatId);
    const block = store.blockedChat(sub.platform, chatId);
    if (block !== undefined) {
      store.deactivateSubscription(sub.id, block.reason, deps.clock());
      finish('failed', { chatId, detail: `chat blocked: ${block.reason}` });
      deps.telemetry.digestDelivered(sub.platform, 'failed');
      return 'blocked';
    }

    const composed = deps.compose(sub, slot, deps.clock());
    if (composed.reply === null) {
      finish('skipped', { contentUntil: composed.contentUntil, chatId, detail: 'nothing new' });
      deps.telemetry.digestDelivered(sub.platform, 'skipped');
      return 'skipped';
    }

    await deps.limiter.acquire(sub.platform, chatId, sub.chatType, signal);
    if (signal?.aborted) {
      store.releaseSlot(sub.id, slot, deps.owner, deps.clock(), 'released on shutdown before sending');
      return 'released';
    }
    if (!store.markSending(sub.id, slot, deps.owner, deps.clock(), deps.leaseMs)) {
      log.warn('digest claim expired and was taken over before sending; not sending it here');
      return 'lost';
    }

    let migrations = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        await sender.send(chatId, composed.reply);
        // A sender may follow a chat migration itself (and record it): note where it really went.
        finish('delivered', { contentUntil: composed.contentUntil, chatId: store.currentChatId(sub.platform, chatId) });
        deps.telemetry.digestDelivered(sub.platform, 'sent');
        return 'sent';
      } catch (error) {
        const failure = error instanceof DeliveryError ? error : new DeliveryError('invalid', `sender failed unexpectedly: ${String(error)}`, { cause: error });
        deps.telemetry.platformError(sub.platform, failure.kind);
        switch (failure.kind) {
          case 'migrated': {
            const to = failure.details.migratedTo;
            if (to === undefined || to === chatId || ++migrations > 3) {
              log.error({ err: failure }, 'chat migration without a usable new id');
              finish('failed', { chatId, detail: `migration failed: ${failure.message}` });
              deps.telemetry.digestDelivered(sub.platform, 'failed');
              return 'failed';
            }
            log.info({ from: chatId, to }, 'chat moved; moving its subscriptions and resending there');
            store.recordChatMigration(sub.platform, chatId, to, deps.clock());
            chatId = to;
            attempt--; // a move is not a failed attempt
            continue;
          }
          case 'forbidden':
          case 'not-found':
            log.warn({ chatId, reason: failure.message }, 'chat unreachable for good; deactivating its subscriptions');
            store.markChatBlocked(sub.platform, chatId, `${failure.kind}: ${failure.message}`, deps.clock());
            store.deactivateSubscription(sub.id, `${failure.kind}: ${failure.message}`, deps.clock());
            finish('failed', { chatId, detail: `${failure.kind}: ${failure.message}` });
            deps.telemetry.digestDelivered(sub.platform, 'failed');
            return 'blocked';
          case 'rate-limited':
          case 'transient': {
            const wait =
              failure.kind === 'rate-limited' ? (failure.details.retryAfterMs ?? deps.retry.backoffMs) : deps.retry.backoffMs * 2 ** (attempt - 1);
            if (attempt >= deps.retry.maxAttempts || wait > deps.retry.maxRetryAfterMs) {
              // Nothing reached the chat (the platform refused it), so the slot can go back for a later tick.
              log.warn({ err: failure, attempt }, 'digest not delivered after retries; released for a later tick');
              store.releaseSlot(sub.id, slot, deps.owner, deps.clock(), `${failure.kind} after ${attempt} attempts: ${failure.message}`);
              deps.telemetry.digestDelivered(sub.platform, 'failed');
              return 'released';
            }
            store.renewLease(sub.id, slot, deps.owner, deps.clock(), deps.leaseMs + wait);
            await deps.sleep(wait, signal);
            if (signal?.aborted) {
              store.releaseSlot(sub.id, slot, deps.owner, deps.clock(), `released on shutdown while waiting after ${failure.kind}`);
              return 'released';
            }
            continue;
          }
          case 'invalid':
            log.error({ err: failure, chatId }, 'platform rejected the digest; not retrying it as is');
            finish('failed', { chatId, detail: `invalid: ${failure.message}` });
            deps.telemetry.digestDelivered(sub.platform, 'failed');
            return 'failed';
        }
      }
    }
  } catch (error) {
    // A bug or a storage failure: leave the claim to its lease (never risk a second post).
    log.error({ err: error }, 'digest delivery failed unexpectedly');
    deps.telemetry.digestDelivered(sub.platform, 'failed');
    return 'failed';
  }
}
