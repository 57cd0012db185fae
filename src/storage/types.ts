/**
 * Persistent state behind small interfaces, so that SQLite (the embedded default) can be joined
 * by PostgreSQL for several bot instances sharing one database.
 */
import type { Platform } from '../commands/types.js';

/** Why a chat stopped receiving messages. */
export interface ChatBlock {
  platform: Platform;
  chatId: string;
  reason: string;
  /** ISO timestamp. */
  at: string;
}

/**
 * What the platforms told us about chats: blocked or kicked (403), or moved to a new id
 * (Telegram group → supergroup). Adapters record it; digests and sends consult it.
 */
export interface ChatStateStore {
  /** Record that a chat is unreachable for good (also deactivates its subscriptions). */
  markChatBlocked(platform: Platform, chatId: string, reason: string, at: Date): void;
  /** Clear the block, e.g. when the bot is added to the chat again. */
  unblockChat(platform: Platform, chatId: string): void;
  blockedChat(platform: Platform, chatId: string): ChatBlock | undefined;
  /** Record a chat id change and move its subscriptions to the new id. */
  recordChatMigration(platform: Platform, fromChatId: string, toChatId: string, at: Date): void;
  /** Follow recorded migrations: the id to use now for a chat (itself if it never moved). */
  currentChatId(platform: Platform, chatId: string): string;
}

// ---------------------------------------------------------------------------------------------
// Digest storage. Added for scheduled digests (issue 5). Synchronous, because better-sqlite3 is;
// the delivery ledger and the pacing store (issue 16) return `Awaitable` values and are always
// awaited, so a PostgreSQL store can answer with promises. Every time is a `Date`; UTC stored.
// ---------------------------------------------------------------------------------------------

/** What a subscription does when nothing is new: send nothing, or one line saying so. */
export type QuietMode = 'skip' | 'notice';

/** `active` delivers; `inactive` was stopped by the platform (403/404); `removed` = unsubscribed. */
export type SubscriptionStatus = 'active' | 'inactive' | 'removed';

/** A chat's scheduled digest. */
export interface Subscription {
  id: number;
  platform: Platform;
  chatId: string;
  /** The chat's type when subscribed (Telegram limits groups harder than private chats). */
  chatType: 'private' | 'group' | 'channel';
  /** The schedule in its canonical text form, e.g. `daily 08:00`, `every 6h`, `cron 0 8 * * 1-5`. */
  schedule: string;
  /** IANA time zone the schedule is read in. */
  timeZone: string;
  /** Narrows the digest to one entity. */
  topic?: { entityId: string; label: string };
  quiet: QuietMode;
  createdAt: Date;
  createdBy?: string;
  status: SubscriptionStatus;
  /** Why it stopped (e.g. "forbidden: bot was blocked by the user"), when not active. */
  statusReason?: string;
  statusAt?: Date;
  /** The latest slot that was handled (delivered, skipped, failed or given up): slots after it are due. */
  lastSlot?: Date;
}

export type NewSubscription = Pick<Subscription, 'platform' | 'chatId' | 'chatType' | 'schedule' | 'timeZone' | 'quiet' | 'createdAt'> & {
  topic?: { entityId: string; label: string };
  createdBy?: string;
};

/** Subscriptions: the schedule of each chat's digest. */
export interface SubscriptionStore {
  addSubscription(subscription: NewSubscription): Subscription;
  subscription(id: number): Subscription | undefined;
  /** A chat's subscriptions that are not removed (active and inactive), oldest first. */
  subscriptionsForChat(platform: Platform, chatId: string): Subscription[];
  /** Every active subscription, oldest first. */
  activeSubscriptions(): Subscription[];
  /** Stop delivering, keeping the subscription visible with its reason. */
  deactivateSubscription(id: number, reason: string, at: Date): void;
  /** Unsubscribe: the subscription disappears from lists; its delivery history is kept. */
  removeSubscription(id: number, at: Date): boolean;
  /** Move `lastSlot` forward (never backward) without delivering, e.g. for skipped missed slots. */
  advanceLastSlot(id: number, slot: Date): void;
}

/** A value, or a promise of it: SQLite answers synchronously, PostgreSQL will not. Callers always `await`. */
export type Awaitable<T> = T | Promise<T>;

/**
 * Where one (subscription, slot) stands.
 * - `claimed`: a process owns it (until `leaseUntil`, renewed while it lives) and sent nothing yet.
 * - `sending`: its plan of parts is fixed; `partsAccepted` of them were accepted by the platform.
 * - `delivered` / `skipped` (nothing new, quiet) / `failed` (rejected, blocked, given up): final.
 * - `abandoned`: written by schema version 1 only (a crash mid-send); final, never resent.
 * - `released`: given back unsent (no sender for the platform in that process): may be claimed again.
 */
export type DeliveryStatus = 'claimed' | 'sending' | 'delivered' | 'skipped' | 'failed' | 'abandoned' | 'released';

/**
 * What a digest is, fixed before its first message goes out, so that every attempt (in this
 * process or the one that takes over after a crash) sends the same messages.
 */
export interface DeliveryPlan {
  /** The platform payloads, one per message, in order (JSON-serialisable; the sender made them). */
  parts: unknown[];
  /** The digest covers knowledge up to this time; the next one starts here. */
  contentUntil: Date;
  /** The chat the parts go to (changes when the chat migrates). */
  chatId: string;
}

export interface DeliveryRecord {
  subscriptionId: number;
  slot: Date;
  status: DeliveryStatus;
  owner: string;
  leaseUntil: Date;
  attempts: number;
  claimedAt: Date;
  finishedAt?: Date;
  /** The digest covered knowledge that entered up to this time; the next one starts here. */
  contentUntil?: Date;
  /** The chat id it was sent to (differs from the subscription's after a migration). */
  chatId?: string;
  detail?: string;
  /** The fixed messages, once sending started. */
  plan?: DeliveryPlan;
  /** How many parts of the plan the platform accepted (they are sent in order). */
  partsAccepted: number;
  /**
   * The part whose send was started but whose outcome is unknown (the process died, or the
   * connection broke after the request was written). Cleared when the outcome is known.
   */
  partInFlight?: number;
  /** Not before this time (backoff or the platform's `retry_after`). */
  nextAttemptAt?: Date;
  /** Failed attempts so far (429s are not failures: they are waited out). */
  failures: number;
}

export type ClaimResult = { claimed: true; record: DeliveryRecord } | { claimed: false; existing: DeliveryRecord };

export interface FinishOutcome {
  status: 'delivered' | 'skipped' | 'failed';
  contentUntil?: Date;
  chatId?: string;
  detail?: string;
}

/** A failed attempt: when to try again and what went wrong. */
export interface RetryLater {
  at: Date;
  detail: string;
  /** Counts towards the failure limit (a 429 does not: it is the platform pacing us). */
  failure: boolean;
  /** The part in flight may have reached the chat (connection lost after the request was written). */
  outcomeUnknown: boolean;
}

/** Who holds unfinished ledger rows, and until when their lease runs. */
export interface LeaseHolder {
  owner: string;
  leaseUntil: Date;
  open: number;
}

/**
 * The delivery ledger: one row per (subscription, slot), the key that makes delivery exactly
 * once, with the plan of message parts and how many of them the platform accepted, so that a
 * retry sends only what was not accepted, in order.
 *
 * Every method that changes a row checks that `owner` still holds it, and says so (`false`).
 */
export interface DeliveryStore {
  /**
   * Claim a slot for `owner` until `now + leaseMs`. Succeeds only when no row exists or the row
   * was `released` (and has had fewer than `maxAttempts` claims).
   */
  claimSlot(subscriptionId: number, slot: Date, owner: string, now: Date, leaseMs: number, maxAttempts?: number): Awaitable<ClaimResult>;
  /** Fix the plan and switch `claimed` → `sending` (nothing accepted yet). */
  startSending(subscriptionId: number, slot: Date, owner: string, plan: DeliveryPlan, now: Date): Awaitable<boolean>;
  /**
   * Part `index` is about to be sent: until recorded, its outcome is unknown. This is the fence
   * in front of every send: it succeeds only while `owner` holds the row and `index` is the next
   * part not accepted, so a process whose claim was taken over (or whose view of the progress is
   * stale) learns it before sending, not after.
   */
  markPartInFlight(subscriptionId: number, slot: Date, owner: string, index: number): Awaitable<boolean>;
  /** The platform accepted part `index` (the next one, sent to `chatId`): `partsAccepted` becomes `index + 1`. */
  markPartAccepted(subscriptionId: number, slot: Date, owner: string, index: number, chatId: string): Awaitable<boolean>;
  /** An attempt failed: keep the row, note when to try again (and count the failure if it is one). */
  retryLater(subscriptionId: number, slot: Date, owner: string, retry: RetryLater): Awaitable<boolean>;
  /** Finish a held claim and advance the subscription's `lastSlot`, in one transaction. */
  finishSlot(subscriptionId: number, slot: Date, owner: string, outcome: FinishOutcome, now: Date): Awaitable<boolean>;
  /** Give a held, unsent claim back so another process may claim it (e.g. it has no sender for the platform). */
  releaseSlot(subscriptionId: number, slot: Date, owner: string, now: Date, detail?: string): Awaitable<boolean>;
  /** Extend the lease of every unfinished row `owner` holds (a heartbeat); returns how many. */
  renewLeases(owner: string, now: Date, leaseMs: number): Awaitable<number>;
  /** Every owner of unfinished (`claimed` / `sending`) rows. */
  leaseHolders(): Awaitable<LeaseHolder[]>;
  /**
   * Move every unfinished row of `fromOwner` to `toOwner` (a dead process's work), only while
   * `fromOwner` still holds it; returns the rows taken.
   */
  takeOver(fromOwner: string, toOwner: string, now: Date, leaseMs: number): Awaitable<DeliveryRecord[]>;
  /**
   * Move every unfinished row of another owner whose lease ran out before `now` to `toOwner`,
   * each row to exactly one taker however many sweep at once (the expiry is checked again on the
   * row as it is taken); returns the rows taken, oldest claim first.
   */
  takeOverExpired(toOwner: string, now: Date, leaseMs: number): Awaitable<DeliveryRecord[]>;
  /** The unfinished rows `owner` holds, oldest claim first (to resume after a takeover). */
  openDeliveries(owner: string): Awaitable<DeliveryRecord[]>;
  /** One ledger row (a process whose fence failed reads where the row stands now). */
  delivery(subscriptionId: number, slot: Date): DeliveryRecord | undefined;
  /**
   * The clock leases are written and judged by, when the store has its own: PostgreSQL's, so
   * instances whose clocks disagree still agree on when a lease ran out. Absent (SQLite, one
   * machine's file): the caller's clock.
   */
  leaseClock?(): Date;
  /**
   * Renew `owner`'s leases every third of `leaseMs` from outside this thread's event loop, so a
   * live process whose event loop is busy for a while (a knowledge rebuild, a long synchronous
   * step) keeps its claims; they lapse only when the process is gone or paused. Absent: the
   * caller renews with {@link renewLeases} on a timer.
   */
  keepLeases?(owner: string, leaseMs: number): { stop(): void };
  /** The latest `delivered` or `skipped` record of a subscription (its `contentUntil` starts the next digest). */
  lastCompleted(subscriptionId: number): DeliveryRecord | undefined;
  /** When a chat's latest digest (any subscription) covered knowledge up to, if it ever got one. */
  lastDigestForChat(platform: Platform, chatId: string): Date | undefined;
  /** The row of the subscription's latest slot (for /subscriptions: was it delivered, or why not). */
  latestDelivery(subscriptionId: number): DeliveryRecord | undefined;
}

/**
 * One pacing rule (GCRA, a token bucket written as one timestamp): one message per
 * `intervalMs`, up to `burst` back to back after a quiet spell.
 */
export interface PacingRule {
  /** What is limited, e.g. `telegram` (the whole bot) or `telegram:chat:-100123`. */
  key: string;
  intervalMs: number;
  burst: number;
}

/**
 * Pacing shared by every process of one bot: each message reserves its moment under all the
 * rules that apply to it, atomically, so two processes together stay within the limits.
 */
export interface SendPacingStore {
  /**
   * Reserve the earliest moment, not before `nowMs` (epoch ms, wall clock), at which one more
   * message fits every rule, and record it. Returns that moment (`nowMs` = go now).
   */
  reserveSend(rules: readonly PacingRule[], nowMs: number): Awaitable<number>;
}

/** When each source first entered this database's knowledge: "new since" is measured with it. */
export interface SourceLedger {
  /** Record sources not seen before as first seen `at`; returns how many were new. */
  recordSourcesSeen(sourceIds: readonly string[], at: Date): number;
  /** First-seen time of every recorded source. */
  sourcesSeen(): Map<string, Date>;
}

/** Who holds a named (singleton) lease, and until when. */
export interface NamedLease {
  owner: string;
  until: Date;
}

/**
 * Named leases for work only one process should do at a time (feed polling, knowledge builds).
 * A holder renews before `until`; when it dies, the lease runs out and another process takes it.
 */
export interface LeaseStore {
  /**
   * Take the lease `name` for `owner` until `now + ttlMs`, or renew it if `owner` holds it.
   * Succeeds when nobody holds it, `owner` does, or the holder's lease ran out before `now`.
   */
  acquireLease(name: string, owner: string, now: Date, ttlMs: number): boolean;
  /** Give the lease up at once (a clean stop), if `owner` holds it. */
  releaseLease(name: string, owner: string): void;
  /** The current holder, if the lease is held at `now`. */
  leaseHolder(name: string, now: Date): NamedLease | undefined;
}

/** Everything the digests need from storage, plus closing it. */
export interface DigestStore extends ChatStateStore, SubscriptionStore, DeliveryStore, SendPacingStore, SourceLedger {
  close(): void;
}

/** Which database a store keeps its data in. */
export type StorageBackend = 'sqlite' | 'postgres';

/**
 * A whole database (SQLite file or PostgreSQL), as the app opens it: every store interface,
 * plus what operators and tests read back.
 */
export interface DatabaseStore extends DigestStore, LeaseStore, FollowUpStore, FeedStore, KnowledgeUnitStore {
  readonly backend: StorageBackend;
  /** The schema version after migrations ran. */
  readonly schemaVersion: number;
  /** Every ledger row of a subscription, oldest slot first (for tests and operators). */
  deliveries(subscriptionId: number): DeliveryRecord[];
  // Both backends answer at once (SQLite is embedded; the PostgreSQL store waits for its worker):
  // the ledger's Awaitable results are plain values here.
  claimSlot(subscriptionId: number, slot: Date, owner: string, now: Date, leaseMs: number, maxAttempts?: number): ClaimResult;
  startSending(subscriptionId: number, slot: Date, owner: string, plan: DeliveryPlan, now: Date): boolean;
  markPartInFlight(subscriptionId: number, slot: Date, owner: string, index: number): boolean;
  markPartAccepted(subscriptionId: number, slot: Date, owner: string, index: number, chatId: string): boolean;
  retryLater(subscriptionId: number, slot: Date, owner: string, retry: RetryLater): boolean;
  finishSlot(subscriptionId: number, slot: Date, owner: string, outcome: FinishOutcome, now: Date): boolean;
  releaseSlot(subscriptionId: number, slot: Date, owner: string, now: Date, detail?: string): boolean;
  renewLeases(owner: string, now: Date, leaseMs: number): number;
  leaseHolders(): LeaseHolder[];
  takeOver(fromOwner: string, toOwner: string, now: Date, leaseMs: number): DeliveryRecord[];
  takeOverExpired(toOwner: string, now: Date, leaseMs: number): DeliveryRecord[];
  openDeliveries(owner: string): DeliveryRecord[];
  reserveSend(rules: readonly PacingRule[], nowMs: number): number;
}

// ---------------------------------------------------------------------------------------------
// Follow-ups kept server-side (issue 15). A button can carry only so much: Telegram's
// callback_data is 64 bytes, Discord's custom_id 100 characters. A follow-up that does not fit
// (a /search for a long query, the further pages of a long Discord answer) is kept here under a
// short key, and the button carries the key. Kept in the database, so buttons keep working after
// a restart and on any instance. Asynchronous, so a networked database implements it as is.
// ---------------------------------------------------------------------------------------------

/** What a key stands for: a command line a button runs, or the rendered pages of a long reply. */
export type FollowUpKind = 'command' | 'pages';

/** Longest key {@link FollowUpStore.saveFollowUp} returns: ASCII letters, digits, `-` and `_`. */
export const FOLLOW_UP_KEY_MAX_CHARS = 16;

/** Follow-ups too big for a button, under short keys. */
export interface FollowUpStore {
  /**
   * Keep `payload` and return its key. The same kind and payload always get the same key (saving
   * again only marks it used at `now`), so rendering one answer twice adds nothing.
   */
  saveFollowUp(kind: FollowUpKind, payload: string, now: Date): Promise<string>;
  /** The payload kept under `key` for that kind, or `undefined` (never saved, or pruned). */
  followUp(kind: FollowUpKind, key: string): Promise<string | undefined>;
  /** Forget follow-ups last saved before `before`; resolves with how many were forgotten. */
  pruneFollowUps(before: Date): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// Feed storage (issue 12): what each feed of a story last told us, which items were handled,
// and the articles the feeds stored (their URLs, content fingerprints and appearances), so a
// restart re-ingests nothing and a syndicated copy is recognised. Synchronous like the rest;
// a PostgreSQL implementation wraps the same operations. Every time is a `Date` stored as UTC.
// ---------------------------------------------------------------------------------------------

/** How a feed's last poll ended. */
export type FeedPollStatus = 'new' | 'ok' | 'not-modified' | 'failing';

/** What Dossier remembers about one feed of one story. */
export interface FeedState {
  story: string;
  url: string;
  /** When the feed was first polled: items published before it are the backlog. */
  subscribedAt: Date;
  /** Validators for conditional requests (`If-None-Match`, `If-Modified-Since`). */
  etag?: string;
  lastModified?: string;
  lastPolledAt?: Date;
  lastSuccessAt?: Date;
  /** Not polled again before this time (interval, backoff after failures, or Retry-After). */
  nextPollAt?: Date;
  /** Failed polls in a row (0 after a success); drives the backoff. */
  consecutiveFailures: number;
  status: FeedPollStatus;
  /** Why the last poll failed, with the URL that failed, e.g. `HTTP 410 Gone`. */
  lastError?: string;
}

/** What became of one feed item. */
export type FeedItemStatus = 'added' | 'duplicate' | 'updated' | 'filtered' | 'failed';

/** One item of a feed, handled once (failed items are tried again on later polls). */
export interface FeedItemRecord {
  story: string;
  feedUrl: string;
  /** The item's guid/id, or its normalised link when it has none. */
  itemKey: string;
  url: string;
  status: FeedItemStatus;
  reason?: string;
  /** The article it became (added, updated) or matched (duplicate). */
  sourceId?: string;
  /** Failed attempts so far (a failed item is retried a few times, then left). */
  attempts: number;
  seenAt: Date;
}

/** An outlet that ran a stored article (the first one included): syndication. */
export interface ArticleAppearance {
  outlet: string;
  url: string;
  seenAt: Date;
}

/** An article stored from the web: how to recognise it again under another URL or on another site. */
export interface WebArticleRecord {
  story: string;
  sourceId: string;
  /** Normalised page URL (tracking parameters, AMP and mobile hosts removed). */
  urlKey: string;
  /** Normalised canonical URL the page declared, if any. */
  canonicalKey?: string;
  /** Every other normalised URL it was seen under (redirects, variants, syndicated copies). */
  otherUrlKeys: string[];
  /** SHA-256 of the stored text. */
  contentHash: string;
  /** MinHash signature of the report's word shingles, to find syndicated copies. */
  sketch: number[];
  /** The page's modified (or published) time as it said, ISO; a newer one replaces the article. */
  modified?: string;
  outlet: string;
  appearances: ArticleAppearance[];
  storedAt: Date;
  /**
   * The validators the page was served with when it was stored (`ETag`, `Last-Modified`): when
   * its feed item says it changed, the page is asked for again conditionally.
   */
  pageEtag?: string;
  pageLastModified?: string;
}

/** Feed state and web-article identity, per story. */
export interface FeedStore {
  feedState(story: string, url: string): FeedState | undefined;
  /** Insert or replace a feed's state. */
  saveFeedState(state: FeedState): void;
  /** Every feed state of a story, by URL. */
  feedStates(story: string): FeedState[];
  feedItem(story: string, feedUrl: string, itemKey: string): FeedItemRecord | undefined;
  /** Insert or replace what became of an item. */
  saveFeedItem(record: FeedItemRecord): void;
  /** The stored article known under this normalised URL (page, canonical or other URL key). */
  webArticleByUrl(story: string, urlKey: string): WebArticleRecord | undefined;
  /** Every stored web article of a story (for syndication checks). */
  webArticles(story: string): WebArticleRecord[];
  /** Insert or replace by (story, sourceId). */
  saveWebArticle(record: WebArticleRecord): void;
  /** Forget an article (it was replaced by a newer version under another source id). */
  removeWebArticle(story: string, sourceId: string): void;
}

/**
 * Built knowledge kept per article (migration 6): JSON text by a key that already hashes the
 * pipeline version, the registry and the article (src/knowledge/reading-cache.ts makes both).
 */
export interface KnowledgeUnitStore {
  /** The stored text of each key that is stored (missing keys are left out). */
  knowledgeUnits(keys: readonly string[]): Map<string, string>;
  /**
   * Store entries built by pipeline `version`; a key already stored keeps its text (the same key
   * always means the same text).
   */
  putKnowledgeUnits(entries: ReadonlyArray<readonly [string, string]>, now: Date, version?: string): void;
  /**
   * Delete the units of every pipeline version but `keep` (and those stored before versions
   * were recorded) that were stored before `storedBefore`. Returns how many went.
   */
  pruneKnowledgeUnits(keep: string, storedBefore: Date): number;
}
