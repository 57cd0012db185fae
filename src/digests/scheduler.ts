/**
 * Which slots are due, and the clock that asks.
 *
 * node-cron only wakes the service once a minute; whether a subscription is due is decided here
 * from the database (its `lastSlot` or creation time) with our own slot math, so tests call
 * `tick(now)` with any instant and a restart resumes exactly where the ledger says.
 */
import { schedule as cronSchedule, type ScheduledTask } from 'node-cron';
import type { Logger } from '../observability/logger.js';
import type { Subscription } from '../storage/types.js';
import type { FanoutJob } from './fanout.js';
import { nextSlot, previousSlot, type Schedule } from './schedule.js';

/**
 * What to do with slots that passed while the bot was down (more than the grace period ago):
 * `latest` sends one digest for the latest of them (covering everything since the last one),
 * `skip` sends nothing and waits for the next slot.
 */
export type MissedSlotRule = 'latest' | 'skip';

/** How late a slot may be sent and still count as on time (not missed). */
export const DEFAULT_GRACE_MS = 10 * 60_000;

export interface DuePlan {
  /** Pairs to deliver now. */
  jobs: FanoutJob[];
  /** Missed slots dropped by the `skip` rule: `lastSlot` moves past them without a digest. */
  skipped: FanoutJob[];
}

export interface PlanOptions {
  missedSlots: MissedSlotRule;
  graceMs: number;
  /** The parsed schedule of a subscription (`undefined` when its stored schedule is unreadable). */
  scheduleOf: (subscription: Subscription) => Schedule | undefined;
  /** Cache of the next slot per subscription, keyed by where the search started. */
  nextCache?: Map<number, { after: number; next: number }>;
}

/**
 * The due slot of each subscription at `now`: at most one per subscription, the latest slot not
 * after `now`, if it is later than the subscription's last handled slot (or its creation, so a
 * new subscription starts from now). A slot older than the grace period is "missed" and follows
 * the missed-slot rule.
 *
 * @example
 * const { jobs } = planDueSlots(store.activeSubscriptions(), now, { missedSlots: 'latest', graceMs: 600_000, scheduleOf });
 */
export function planDueSlots(subscriptions: readonly Subscription[], now: Date, options: PlanOptions): DuePlan {
  const plan: DuePlan = { jobs: [], skipped: [] };
  const nowMs = now.getTime();
  for (const subscription of subscriptions) {
    const schedule = options.scheduleOf(subscription);
    if (schedule === undefined) continue;
    const after = (subscription.lastSlot ?? subscription.createdAt).getTime();
    let next = options.nextCache?.get(subscription.id);
    if (next === undefined || next.after !== after) {
      next = { after, next: nextSlot(schedule, new Date(after)).getTime() };
      options.nextCache?.set(subscription.id, next);
    }
    if (next.next > nowMs) continue;
    const latest = previousSlot(schedule, now) ?? new Date(next.next);
    const job = { subscription, slot: latest };
    const missed = nowMs - latest.getTime() > options.graceMs;
    if (missed && options.missedSlots === 'skip') plan.skipped.push(job);
    else plan.jobs.push(job);
  }
  return plan;
}

/** A running once-a-minute ticker. */
export interface Ticker {
  stop(): Promise<void>;
}

/**
 * Call `onTick` at the start of every minute with node-cron. One job for all subscriptions:
 * they live in the database (a second process may add some), so per-subscription cron jobs would
 * need syncing, and node-cron's own time-zone handling is not what decides slots anyway.
 * `onTick` returns at once (the digest service does not make a tick wait for its sends), so every
 * firing runs, with its own time; `noOverlap` only guards against a pathological slow database.
 */
export function startMinuteTicker(onTick: () => Promise<unknown>, logger: Logger): Ticker {
  const task: ScheduledTask = cronSchedule(
    '* * * * *',
    async () => {
      try {
        await onTick();
      } catch (error) {
        logger.error({ err: error }, 'digest tick failed');
      }
    },
    { name: 'dossier-digests', noOverlap: true },
  );
  return {
    async stop() {
      await task.stop();
      await task.destroy();
    },
  };
}
