/**
 * Sending a reply to a chat outside of a conversation (digests, notices), one message part at a
 * time, and the one error taxonomy that every platform's failures are mapped to.
 */
import type { Platform } from '../commands/types.js';
import type { Reply } from '../replies/reply.js';

export type DeliveryErrorKind =
  /** Slow down: retry after `retryAfterMs`. */
  | 'rate-limited'
  /** Permanent for this chat: blocked, kicked, missing access. Stop sending to it. */
  | 'forbidden'
  /** The chat no longer exists. Stop sending to it. */
  | 'not-found'
  /** The chat moved (Telegram group → supergroup): resend to `migratedTo` and keep it. */
  | 'migrated'
  /** The platform failed (5xx, network, timeout): try again later. */
  | 'transient'
  /** We sent something the platform rejected (a bug on our side): do not retry as is. */
  | 'invalid';

/**
 * Whether the platform may have accepted a message whose send failed: `not-sent` when it
 * answered (with an error), `unknown` when the answer never came (connection lost or timed out
 * after the request was written).
 */
export type SendOutcome = 'not-sent' | 'unknown';

/** A platform failure mapped to one of the kinds above, with a message an operator can act on. */
export class DeliveryError extends Error {
  constructor(
    readonly kind: DeliveryErrorKind,
    message: string,
    readonly details: { retryAfterMs?: number; migratedTo?: string; cause?: unknown; outcome?: SendOutcome } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'DeliveryError';
  }

  /** Whether sending to this chat should stop for good. */
  get permanent(): boolean {
    return this.kind === 'forbidden' || this.kind === 'not-found';
  }

  /** Whether the message may have reached the chat although the send failed. */
  get outcomeUnknown(): boolean {
    return this.details.outcome === 'unknown';
  }
}

/** Where a part went: the chat id used (new after a migration the sender followed). */
export interface PartSent {
  chatId: string;
}

export interface SendPartOptions {
  /**
   * Unique per (digest, part) and the same on every attempt: Discord's message nonce, so that a
   * resend after an unknown outcome cannot create a second message.
   */
  key: string;
  /** Aborts a wait for the rate limiter (the send itself, once started, is let finish). */
  signal?: AbortSignal;
  /**
   * Called after the rate limiter's wait, immediately before each request for the part goes out
   * (again before a resend to a migrated chat or as plain text). The digest ledger's fence: it
   * throws when this process may no longer send the part, and then nothing is sent.
   */
  beforeSend?: () => Promise<void> | void;
}

/** Sends replies to chats of one platform. Implemented by each platform adapter. */
export interface MessageSender {
  readonly platform: Platform;
  /**
   * What a resend after an unknown outcome does: `deduplicated` (the platform drops a second
   * message with the same key: Discord's `enforce_nonce`) or `may-repeat` (Telegram has no
   * such key: the part may appear twice).
   */
  readonly resendAfterUnknown: 'deduplicated' | 'may-repeat';
  /**
   * Send a whole reply (a notice), split within the platform's limits.
   * @throws {DeliveryError} on any platform failure, already mapped to a kind.
   */
  send(chatId: string, reply: Reply): Promise<void>;
  /**
   * The messages `reply` becomes on this platform, in order, as JSON-serialisable payloads: the
   * delivery ledger stores them, so every attempt sends exactly these.
   */
  plan(reply: Reply): unknown[];
  /**
   * Send one planned part (after waiting for the bot's rate limiter).
   * @throws {DeliveryError} on any platform failure, already mapped to a kind, with its outcome.
   */
  sendPart(chatId: string, part: unknown, options: SendPartOptions): Promise<PartSent>;
}

/** The bot's one rate limiter for outgoing messages, shared by replies, digests and notices. */
export interface SendLimiter {
  /**
   * Wait until one more message may go to this chat. Resolves `false` (without waiting on) when
   * `signal` aborts first.
   */
  acquire(platform: Platform, chatId: string, chatType: ChatKind, signal?: AbortSignal): Promise<boolean>;
}

/** How a platform limits a chat: private chats, groups, channels. */
export type ChatKind = 'private' | 'group' | 'channel';
