/**
 * Button callback data: the command line a button runs, as is.
 *
 * Telegram allows 1–64 bytes of `callback_data`, the same limit the reply model puts on every
 * action (`reply()` leaves longer ones out), so a command line always travels whole and keeps
 * working across restarts. A button whose command would not fit is left out by the renderer.
 */
import type { InlineKeyboardMarkup } from 'grammy/types';
import { TELEGRAM_LIMITS, type ReplyButton } from './render.js';

/** Whether a command line can be a button's callback data. */
export function fitsCallbackData(command: string): boolean {
  return command.startsWith('/') && Buffer.byteLength(command, 'utf8') <= TELEGRAM_LIMITS.callbackData;
}

/** The command line behind a button's callback data, or `undefined` when it is not one of ours. */
export function commandFromCallbackData(data: string): string | undefined {
  return data.startsWith('/') ? data : undefined;
}

/** Rows of reply buttons as an inline keyboard (URL buttons open their address), or `undefined` when there are none. */
export function inlineKeyboard(rows: readonly ReplyButton[][]): InlineKeyboardMarkup | undefined {
  if (rows.length === 0) return undefined;
  return {
    inline_keyboard: rows.map((row) => row.map((button) => (button.url === undefined ? { text: button.label, callback_data: button.command } : { text: button.label, url: button.url }))),
  };
}
