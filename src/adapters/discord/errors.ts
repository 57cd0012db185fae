/**
 * Discord failures mapped to the one delivery error taxonomy every platform shares.
 */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { DeliveryError } from '../../delivery/types.js';

/** Discord JSON error codes that mean "this chat is closed to the bot for good". */
const FORBIDDEN_CODES = new Set([
  50001, // Missing Access
  50013, // Missing Permissions
  50007, // Cannot send messages to this user
  20009, // Explicit content cannot be sent to the desired recipient
]);

/** Codes that mean "this chat (or user) does not exist any more". */
const NOT_FOUND_CODES = new Set([
  10003, // Unknown Channel
  10004, // Unknown Guild
  10013, // Unknown User
]);

/**
 * Map anything thrown by discord.js's REST client to a {@link DeliveryError}.
 *
 * @example
 * try { await rest.post(Routes.channelMessages(id), { body }); }
 * catch (error) { throw toDeliveryError(error, id); }
 */
export function toDeliveryError(error: unknown, chatId: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : Number(error.code);
    const raw = error.rawError as { retry_after?: number };
    if (error.status === 429) {
      return new DeliveryError('rate-limited', `Discord rate-limited sending to channel ${chatId}.`, {
        retryAfterMs: Math.ceil((raw.retry_after ?? 1) * 1000),
        cause: error,
      });
    }
    if (FORBIDDEN_CODES.has(code) || error.status === 403) {
      return new DeliveryError('forbidden', `The bot may not post in channel ${chatId} (${error.message}, code ${code}): give it View Channel, Send Messages and Embed Links there, or unsubscribe the channel.`, { cause: error });
    }
    if (NOT_FOUND_CODES.has(code) || error.status === 404) {
      return new DeliveryError('not-found', `Channel ${chatId} no longer exists on Discord (${error.message}, code ${code}).`, { cause: error });
    }
    if (error.status >= 500) return new DeliveryError('transient', `Discord failed (${error.status}) sending to channel ${chatId}; will retry.`, { cause: error });
    return new DeliveryError('invalid', `Discord rejected a message for channel ${chatId}: ${error.message} (code ${code}). This is a bug in the bot.`, { cause: error });
  }
  if (error instanceof RateLimitError) {
    return new DeliveryError('rate-limited', `Discord rate-limited sending to channel ${chatId}.`, { retryAfterMs: error.retryAfter, cause: error });
  }
  if (error instanceof HTTPError) {
    return new DeliveryError('transient', `Discord failed (${error.status}) sending to channel ${chatId}; will retry.`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DeliveryError('transient', `Could not reach Discord sending to channel ${chatId}: ${message}`, { cause: error });
}
