/**
 * What every platform adapter is, seen from the composition root: something that starts,
 * stops gracefully, reports its health and can send replies to chats (for digests).
 */
import type { InlineAnswer } from '../commands/inline.js';
import type { CommandRouter } from '../commands/router.js';
import type { Platform } from '../commands/types.js';
import type { MessageSender, SendLimiter } from '../delivery/types.js';
import type { Logger } from '../observability/logger.js';
import type { Telemetry } from '../observability/telemetry.js';
import type { ChatStateStore, FollowUpStore } from '../storage/types.js';

export type ConnectionStatus = 'connecting' | 'connected' | 'down' | 'stopped';

export interface ComponentHealth {
  status: ConnectionStatus;
  detail?: string;
}

export interface PlatformRuntime {
  readonly platform: Platform;
  /** Connect and start taking updates. Start-up failures are logged and retried, not thrown. */
  start(): Promise<void>;
  /** Stop taking updates, let in-flight replies finish (bounded), close connections. */
  stop(): Promise<void>;
  health(): ComponentHealth;
  /** Sends replies outside a conversation (digests). */
  readonly sender: MessageSender;
}

/** What the composition root hands every adapter. */
export interface AdapterDeps {
  router: CommandRouter;
  /** Inline-mode / quick-pick answers for a free query (Telegram inline mode). */
  inlineAnswers: (query: string) => InlineAnswer[];
  chatState: ChatStateStore;
  /** Follow-ups too long for a button, kept under short keys (survive restarts). */
  followUps: FollowUpStore;
  logger: Logger;
  telemetry: Telemetry;
  /** The current time (injected in tests). */
  now: () => Date;
  /** The bot's one rate limiter for outgoing messages, shared with the digests (default: none). */
  limiter?: SendLimiter;
}
