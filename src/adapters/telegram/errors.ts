/**
 * Telegram failures mapped to the one delivery error taxonomy every platform shares.
 *
 * grammY throws a `GrammyError` for an answer with `ok: false` (it carries Telegram's
 * `error_code`, `description` and `parameters`) and an `HttpError` when Telegram could not be
 * reached at all.
 */
import { GrammyError, HttpError } from 'grammy';
import { DeliveryError, type DeliveryErrorKind } from '../../delivery/types.js';

/** 400 descriptions that mean "this chat is gone or closed to the bot", not "our request was wrong". */
const CHAT_GONE = /chat not found|PEER_ID_INVALID|user not found|CHAT_ID_INVALID/i;
const NO_RIGHTS = /have no rights to send|not enough rights|CHAT_WRITE_FORBIDDEN|CHAT_RESTRICTED|need administrator rights/i;
const NOT_MODIFIED = /message is not modified/i;
const NOT_EDITABLE = /message to edit not found|message can't be edited|MESSAGE_ID_INVALID/i;

/** The parts of a Telegram error answer that decide what to do. */
export interface TelegramFailure {
  code: number;
  description: string;
  retryAfter?: number;
  migrateTo?: number;
}

/** Telegram's `ok: false` answer, as the raw envelope or the GrammyError grammY makes of it. */
interface ErrorAnswer {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** The parts of an `ok: false` answer that decide what to do. */
export function failureOf(answer: ErrorAnswer): TelegramFailure {
  const retryAfter = answer.parameters?.retry_after;
  const migrateTo = answer.parameters?.migrate_to_chat_id;
  return {
    code: answer.error_code,
    description: answer.description,
    ...(retryAfter === undefined ? {} : { retryAfter }),
    ...(migrateTo === undefined ? {} : { migrateTo }),
  };
}

/** Read Telegram's error fields from a GrammyError (or `undefined` for anything else). */
export function telegramFailure(error: unknown): TelegramFailure | undefined {
  return error instanceof GrammyError ? failureOf(error) : undefined;
}

/** An edit Telegram refused because the new text and buttons are the ones already shown: not a failure. */
export function isNotModified(failure: TelegramFailure): boolean {
  return NOT_MODIFIED.test(failure.description);
}

/**
 * What a failed `editMessageText` means for the answer: `unchanged` (nothing to edit),
 * `not-editable` (too old, deleted, not ours: send the answer as a new message instead), or
 * `undefined` for a real failure to map with {@link toDeliveryError}.
 */
export function editRefusal(error: unknown): 'unchanged' | 'not-editable' | undefined {
  const failure = telegramFailure(error);
  if (failure === undefined) return undefined;
  if (isNotModified(failure)) return 'unchanged';
  return NOT_EDITABLE.test(failure.description) ? 'not-editable' : undefined;
}

/**
 * Whether a failed start-up call will never succeed by retrying: a rejected token (401, or 404
 * for a malformed one) or a request Telegram refuses (400 that is not a flood wait).
 */
export function failsForGood(error: unknown): boolean {
  const failure = telegramFailure(error);
  if (failure === undefined) return false;
  return failure.code === 401 || failure.code === 404 || (failure.code === 400 && failure.retryAfter === undefined);
}

/** A failure in a few words for logs and health: Telegram's code and description, or the error's message. */
export function describeFailure(error: unknown): string {
  const failure = telegramFailure(error);
  if (failure !== undefined) return `${failure.code} ${failure.description}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The delivery error kind of a Telegram answer: 429 → rate-limited, 403 and "no rights" →
 * forbidden, "chat not found" → not-found, group upgraded → migrated, 5xx → transient, any other
 * 4xx → invalid (a request Telegram will never accept as it is).
 */
export function failureKind(failure: TelegramFailure): DeliveryErrorKind {
  if (failure.code === 429) return 'rate-limited';
  if (failure.migrateTo !== undefined) return 'migrated';
  if (failure.code === 403 || NO_RIGHTS.test(failure.description)) return 'forbidden';
  if (failure.code === 400 && CHAT_GONE.test(failure.description)) return 'not-found';
  if (failure.code >= 500) return 'transient';
  return 'invalid';
}

/**
 * Map anything a grammY API call threw to a {@link DeliveryError} with a message an operator can
 * act on.
 *
 * @example
 * try { await bot.api.sendMessage(chatId, html); }
 * catch (error) { throw toDeliveryError(error, chatId); }
 */
export function toDeliveryError(error: unknown, chatId: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const failure = telegramFailure(error);
  if (failure !== undefined) {
    // Telegram answered: whatever it said, the message was not accepted.
    const outcome = 'not-sent' as const;
    const kind = failureKind(failure);
    const said = `Telegram said ${failure.code} "${failure.description}"`;
    switch (kind) {
      case 'rate-limited':
        return new DeliveryError('rate-limited', `Telegram rate-limited sending to chat ${chatId}; ${said}.`, {
          retryAfterMs: Math.max(1, failure.retryAfter ?? 1) * 1000,
          cause: error,
          outcome,
        });
      case 'migrated':
        return new DeliveryError('migrated', `Telegram chat ${chatId} became supergroup ${failure.migrateTo}.`, {
          migratedTo: String(failure.migrateTo),
          cause: error,
          outcome,
        });
      case 'forbidden':
        return new DeliveryError('forbidden', `The bot can no longer post in Telegram chat ${chatId} (${said}): it was blocked, kicked or lost its rights there.`, { cause: error, outcome });
      case 'not-found':
        return new DeliveryError('not-found', `Telegram chat ${chatId} does not exist any more (${said}).`, { cause: error, outcome });
      case 'transient':
        return new DeliveryError('transient', `Telegram failed sending to chat ${chatId} (${said}); try again later.`, { cause: error, outcome });
      default:
        if (failure.code === 401 || failure.code === 404) {
          return new DeliveryError('invalid', `Telegram rejected the bot token sending to chat ${chatId} (${said}): check TELEGRAM_BOT_TOKEN.`, { cause: error, outcome });
        }
        return new DeliveryError('invalid', `Telegram rejected a message for chat ${chatId} (${said}). This is a bug in the bot.`, { cause: error, outcome });
    }
  }
  // No answer: the request may or may not have reached Telegram — unless it never connected.
  const outcome = neverConnected(error) ? 'not-sent' : 'unknown';
  if (error instanceof HttpError) {
    return new DeliveryError('transient', `Could not reach Telegram sending to chat ${chatId}: ${error.message}`, { cause: error, outcome });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DeliveryError('transient', `Sending to Telegram chat ${chatId} failed: ${message}`, { cause: error, outcome });
}

/** A refused connection (nothing listening): the request surely never arrived. */
function neverConnected(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    if ((cause as NodeJS.ErrnoException).code === 'ECONNREFUSED') return true;
    cause = (cause as { error?: unknown; cause?: unknown }).error ?? cause.cause;
  }
  return false;
}

/** Telegram could not parse the HTML of a message we sent (our renderer's bug, not the chat's). */
export function isUnparsableMarkup(error: unknown): boolean {
  const failure = telegramFailure(error);
  return failure !== undefined && failure.code === 400 && /can't parse entities/i.test(failure.description);
}
