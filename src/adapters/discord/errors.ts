/**
 * Discord failures mapped to the one delivery error taxonomy every platform shares.
 */
import { DiscordAPIError, DiscordjsError, DiscordjsErrorCodes, HTTPError, RateLimitError } from 'discord.js';
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
 * Map anything thrown by discord.js (its REST client, or a login) to a {@link DeliveryError}.
 *
 * discord.js's REST client waits out 429s and retries 5xx itself: a 5xx that outlasts the retries
 * arrives as an `HTTPError`, a 429 only as a `RateLimitError` (when told to reject rate limits),
 * so a `DiscordAPIError` is always another 4xx.
 *
 * @example
 * try { await rest.post(Routes.channelMessages(id), { body }); }
 * catch (error) { throw toDeliveryError(error, id); }
 */
export function toDeliveryError(error: unknown, chatId: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : Number(error.code);
    if (FORBIDDEN_CODES.has(code) || error.status === 403) {
      return new DeliveryError('forbidden', `The bot may not post in channel ${chatId} (${error.message}, code ${code}): give it View Channel, Send Messages and Embed Links there, or unsubscribe the channel.`, { cause: error });
    }
    if (NOT_FOUND_CODES.has(code) || error.status === 404) {
      return new DeliveryError('not-found', `Channel ${chatId} no longer exists on Discord (${error.message}, code ${code}).`, { cause: error });
    }
    if (error.status === 401) return tokenRejected(error);
    return new DeliveryError('invalid', `Discord rejected a message for channel ${chatId}: ${error.message} (code ${code}). This is a bug in the bot.`, { cause: error });
  }
  // discord.js's login turns Discord's 401 into this.
  if (error instanceof DiscordjsError && error.code === DiscordjsErrorCodes.TokenInvalid) return tokenRejected(error);
  if (error instanceof RateLimitError) {
    return new DeliveryError('rate-limited', `Discord rate-limited sending to channel ${chatId}.`, { retryAfterMs: error.retryAfter, cause: error, outcome: 'not-sent' });
  }
  // A 5xx after discord.js's own retries, or no answer at all: the message may exist (a resend
  // with the same nonce cannot create a second one).
  if (error instanceof HTTPError) {
    return new DeliveryError('transient', `Discord failed (${error.status}) sending to channel ${chatId}; will retry.`, { cause: error, outcome: 'unknown' });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DeliveryError('transient', `Could not reach Discord sending to channel ${chatId}: ${message}`, { cause: error, outcome: 'unknown' });
}

/** A rejected token is the operator's to fix, for every channel alike: no channel is to blame. */
function tokenRejected(error: Error): DeliveryError {
  return new DeliveryError('invalid', `Discord rejected the bot token (${error.message}): set DISCORD_TOKEN to the bot token from the Developer Portal.`, { cause: error });
}
