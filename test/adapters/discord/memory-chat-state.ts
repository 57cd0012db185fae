/**
 * TEMPORARY: an in-memory ChatStateStore for the Discord tests, until the SQLite store
 * (`src/storage/sqlite.ts`, digests work) lands; then the tests use the real one.
 */
import type { Platform } from '../../../src/commands/types.js';
import type { ChatBlock, ChatStateStore } from '../../../src/storage/types.js';

export function createMemoryChatState(): ChatStateStore {
  const blocks = new Map<string, ChatBlock>();
  const moves = new Map<string, string>();
  const key = (platform: Platform, chatId: string) => `${platform}:${chatId}`;
  return {
    markChatBlocked(platform, chatId, reason, at) {
      blocks.set(key(platform, chatId), { platform, chatId, reason, at: at.toISOString() });
    },
    unblockChat(platform, chatId) {
      blocks.delete(key(platform, chatId));
    },
    blockedChat(platform, chatId) {
      return blocks.get(key(platform, chatId));
    },
    recordChatMigration(platform, fromChatId, toChatId) {
      moves.set(key(platform, fromChatId), toChatId);
    },
    currentChatId(platform, chatId) {
      let id = chatId;
      for (let i = 0; i < 10 && moves.has(key(platform, id)); i += 1) id = moves.get(key(platform, id)) ?? id;
      return id;
    },
  };
}
