/**
 * Button callback data: the command line a button runs, as is, when it fits Telegram's 1–64
 * bytes of `callback_data`; otherwise `k:<key>`, the key under which the command is kept in the
 * database (see adapters/follow-up-keys.ts), so a /search for a long query pages through
 * exactly that query, also after a restart. Anything else is left out by the renderer.
 */
import type { InlineKeyboardMarkup } from 'grammy/types';
import { FOLLOW_UP_KEY_PREFIX } from '../follow-up-keys.js';
import { TELEGRAM_LIMITS, type ReplyButton } from './render.js';

/** Whether a command line (or a `k:<key>`) can be a button's callback data as it is. */
export function fitsCallbackData(data: string): boolean {
  return (data.startsWith('/') || data.startsWith(FOLLOW_UP_KEY_PREFIX)) && Buffer.byteLength(data, 'utf8') <= TELEGRAM_LIMITS.callbackData;
}

/** Whether a command line travels as callback data itself (else it needs a key). */
export function commandFitsCallbackData(command: string): boolean {
  return command.startsWith('/') && Buffer.byteLength(command, 'utf8') <= TELEGRAM_LIMITS.callbackData;
}

/** Rows of reply buttons as an inline keyboard, or `undefined` when there are none. */
export function inlineKeyboard(rows: readonly ReplyButton[][]): InlineKeyboardMarkup | undefined {
  if (rows.length === 0) return undefined;
  return { inline_keyboard: rows.map((row) => row.map((button) => ({ text: button.label, callback_data: button.command }))) };
}
