/**
 * Button callback data: the command line a button runs.
 *
 * Telegram allows 1–64 bytes of `callback_data`. A command line that fits travels as is (so it
 * keeps working across restarts); a longer one is kept in a small in-memory map under a short
 * key (`k:<n>`), which is lost on restart and expires after a while — pressing such a button
 * then says so instead of doing something else.
 */
import type { InlineKeyboardMarkup } from 'grammy/types';
import { TELEGRAM_LIMITS, type ReplyButton } from './render.js';

export interface CallbackDataStore {
  /** The callback data for a command line (≤ 64 bytes). */
  encode(command: string): string;
  /** The command line behind callback data, or `undefined` when it expired or is not ours. */
  decode(data: string): string | undefined;
}

export interface CallbackDataOptions {
  /** How long a stored long command stays pressable. Default 24 h. */
  ttlMs?: number;
  /** Most long commands kept (oldest dropped first). Default 5000. */
  maxEntries?: number;
  /** Clock in ms (injected in tests). */
  now?: () => number;
}

const KEY_PREFIX = 'k:';

/**
 * Create the store.
 *
 * @example
 * const callbacks = createCallbackDataStore();
 * callbacks.encode('/who id:ahmad-shah-massoud') // → '/who id:ahmad-shah-massoud'
 * callbacks.decode(callbacks.encode('/search ' + 'x'.repeat(80))) // → '/search xxxx…'
 */
export function createCallbackDataStore(options: CallbackDataOptions = {}): CallbackDataStore {
  const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const maxEntries = options.maxEntries ?? 5000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { command: string; expires: number }>();
  const byCommand = new Map<string, string>();
  let counter = 0;

  return {
    encode(command) {
      if (command.startsWith('/') && Buffer.byteLength(command, 'utf8') <= TELEGRAM_LIMITS.callbackData) return command;
      const existing = byCommand.get(command);
      const live = existing === undefined ? undefined : entries.get(existing);
      if (existing !== undefined && live !== undefined && live.expires > now()) return existing;
      counter += 1;
      const key = `${KEY_PREFIX}${counter.toString(36)}`;
      entries.set(key, { command, expires: now() + ttlMs });
      byCommand.set(command, key);
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        const dropped = entries.get(oldest);
        entries.delete(oldest);
        if (dropped !== undefined && byCommand.get(dropped.command) === oldest) byCommand.delete(dropped.command);
      }
      return key;
    },
    decode(data) {
      if (data.startsWith('/')) return data;
      if (!data.startsWith(KEY_PREFIX)) return undefined;
      const entry = entries.get(data);
      if (entry === undefined || entry.expires <= now()) return undefined;
      return entry.command;
    },
  };
}

/** Rows of reply buttons as an inline keyboard, or `undefined` when there are none. */
export function inlineKeyboard(rows: readonly ReplyButton[][], store: CallbackDataStore): InlineKeyboardMarkup | undefined {
  if (rows.length === 0) return undefined;
  return { inline_keyboard: rows.map((row) => row.map((button) => ({ text: button.label, callback_data: store.encode(button.command) }))) };
}
