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
