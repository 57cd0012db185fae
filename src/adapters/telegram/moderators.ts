/**
 * Who is a moderator in a Telegram group: its creator and administrators (also an admin posting
 * anonymously "as the group"). Asked with `getChatMember` and remembered briefly, so a burst of
 * moderator commands costs one call.
 */
import type { Api } from 'grammy';
import type { Logger } from '../../observability/logger.js';

export interface ModeratorCheck {
  /** Whether `userId` administers `chatId`. A failed lookup counts as "no" (and is logged). */
  isModerator(chatId: number, userId: number): Promise<boolean>;
}

export interface ModeratorCheckDeps {
  api: Pick<Api, 'getChatMember'>;
  logger: Logger;
  /** How long an answer is remembered (ms). Default 60 s: a demoted admin loses rights within a minute. */
  ttlMs?: number;
  now?: () => number;
  maxEntries?: number;
}

/**
 * @example
 * const moderators = createModeratorCheck({ api: bot.api, logger });
 * await moderators.isModerator(-1001234567890, 42) // → true for an administrator
 */
export function createModeratorCheck(deps: ModeratorCheckDeps): ModeratorCheck {
  const ttlMs = deps.ttlMs ?? 60_000;
  const now = deps.now ?? Date.now;
  const maxEntries = deps.maxEntries ?? 5000;
  const cache = new Map<string, { admin: boolean; expires: number }>();
  return {
    async isModerator(chatId, userId) {
      const key = `${chatId}:${userId}`;
      const cached = cache.get(key);
      if (cached !== undefined && cached.expires > now()) return cached.admin;
      try {
        const member = await deps.api.getChatMember(chatId, userId);
        const admin = member.status === 'creator' || member.status === 'administrator';
        cache.delete(key);
        cache.set(key, { admin, expires: now() + ttlMs });
        if (cache.size > maxEntries) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
        return admin;
      } catch (error) {
        deps.logger.warn({ err: error, chatId, userId }, 'could not check chat administrator status; treating as not a moderator');
        return false;
      }
    },
  };
}
