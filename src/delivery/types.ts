/**
 * Sending a reply to a chat outside of a conversation (digests), and the one error taxonomy
 * that every platform's failures are mapped to.
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
  /** The platform failed (5xx, network): try again later. */
  | 'transient'
  /** We sent something the platform rejected (a bug on our side): do not retry as is. */
  | 'invalid';

/** A platform failure mapped to one of the kinds above, with a message an operator can act on. */
export class DeliveryError extends Error {
  constructor(
    readonly kind: DeliveryErrorKind,
    message: string,
    readonly details: { retryAfterMs?: number; migratedTo?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'DeliveryError';
  }

  /** Whether sending to this chat should stop for good. */
  get permanent(): boolean {
    return this.kind === 'forbidden' || this.kind === 'not-found';
  }
}

/** Sends replies to chats of one platform. Implemented by each platform adapter. */
export interface MessageSender {
  readonly platform: Platform;
  /**
   * Send a reply to a chat, split within the platform's limits.
   * @throws {DeliveryError} on any platform failure, already mapped to a kind.
   */
  send(chatId: string, reply: Reply): Promise<void>;
}
