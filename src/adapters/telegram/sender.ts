/**
 * Sending replies to Telegram chats — both answers in a conversation and digests — so that every
 * send gets the same care: rendered within Telegram's limits, skipped for chats that blocked the
 * bot, followed to a group's new supergroup id, and failures mapped to {@link DeliveryError}s.
 *
 * 429s never reach this module while they are short: the auto-retry transformer on the bot's API
 * waits `retry_after` and retries. A longer wait comes back as a `rate-limited` error.
 */
import type { Api } from 'grammy';
import type { InlineKeyboardMarkup, Message } from 'grammy/types';
import { DeliveryError, type MessageSender } from '../../delivery/types.js';
import type { Logger } from '../../observability/logger.js';
import type { Reply } from '../../replies/reply.js';
import type { ChatStateStore } from '../../storage/types.js';
import { inlineKeyboard } from './callback-data.js';
import { editRefusal, toDeliveryError } from './errors.js';
import { renderReply } from './render.js';

export interface TelegramSenderDeps {
  api: Pick<Api, 'sendMessage' | 'editMessageText'>;
  chatState: ChatStateStore;
  logger: Logger;
  now: () => Date;
}

/** Where a reply went: the chat id used (new after a migration) and the message ids, in order. */
export interface Delivered {
  chatId: string;
  messageIds: number[];
}

export type EditOutcome = 'edited' | 'unchanged' | 'not-editable';

export interface TelegramSender extends MessageSender {
  /** Send a reply, as an answer to `replyTo` when given. @throws {DeliveryError} */
  deliver(chatId: string, reply: Reply, options?: { replyTo?: number }): Promise<Delivered>;
  /**
   * Replace a message the bot sent with a one-message reply. `not-editable` when the reply needs
   * several messages, the message was part of a longer reply, or Telegram refuses the edit.
   * @throws {DeliveryError} for failures other than those.
   */
  edit(chatId: string, messageId: number, reply: Reply): Promise<EditOutcome>;
}

const HTML = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;
/** How many chat-id moves one send follows (group → supergroup happens once; this bounds a loop). */
const MAX_MIGRATIONS = 3;
const MULTIPART_MEMORY = 2000;

/**
 * Create the Telegram sender.
 *
 * @example
 * const sender = createTelegramSender({ api: bot.api, chatState, logger, now: () => new Date() });
 * await sender.send('-1001234567890', digestReply);
 */
export function createTelegramSender(deps: TelegramSenderDeps): TelegramSender {
  // The last message of each multi-message reply: editing it alone would leave the earlier parts stale.
  const multipartEnds = new Set<string>();

  function rememberMultipart(chatId: string, messageId: number): void {
    multipartEnds.add(`${chatId}:${messageId}`);
    if (multipartEnds.size > MULTIPART_MEMORY) {
      const oldest = multipartEnds.values().next().value;
      if (oldest !== undefined) multipartEnds.delete(oldest);
    }
  }

  function refuseBlocked(chatId: string): void {
    const block = deps.chatState.blockedChat('telegram', chatId);
    if (block !== undefined) {
      throw new DeliveryError('forbidden', `Not sending to Telegram chat ${chatId}: it has been unreachable since ${block.at} (${block.reason}).`);
    }
  }

  /** Record what a failure says about the chat, and return it as a DeliveryError. */
  function recordFailure(error: unknown, chatId: string): DeliveryError {
    const failure = toDeliveryError(error, chatId);
    if (failure.kind === 'migrated' && failure.details.migratedTo !== undefined) {
      deps.chatState.recordChatMigration('telegram', chatId, failure.details.migratedTo, deps.now());
      deps.logger.info({ chatId, newChatId: failure.details.migratedTo }, 'telegram group became a supergroup; following it to its new id');
    } else if (failure.permanent) {
      deps.chatState.markChatBlocked('telegram', chatId, failure.message, deps.now());
      deps.logger.warn({ chatId, kind: failure.kind }, 'telegram chat unreachable; later sends to it are skipped');
    }
    return failure;
  }

  async function sendOne(
    chatId: string,
    html: string,
    extra: { reply_markup?: InlineKeyboardMarkup; replyTo?: number },
  ): Promise<{ chatId: string; message: Message.TextMessage }> {
    let target = chatId;
    let replyTo = extra.replyTo;
    for (let hop = 0; ; hop += 1) {
      try {
        const message = await deps.api.sendMessage(target, html, {
          ...HTML,
          ...(extra.reply_markup === undefined ? {} : { reply_markup: extra.reply_markup }),
          ...(replyTo === undefined ? {} : { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }),
        });
        return { chatId: target, message };
      } catch (error) {
        const failure = recordFailure(error, target);
        if (failure.kind !== 'migrated' || failure.details.migratedTo === undefined || hop >= MAX_MIGRATIONS) throw failure;
        target = failure.details.migratedTo;
        // The message replied to lives in the old chat.
        replyTo = undefined;
      }
    }
  }

  const sender: TelegramSender = {
    platform: 'telegram',

    async deliver(chatId, reply, options = {}) {
      let target = deps.chatState.currentChatId('telegram', chatId);
      refuseBlocked(target);
      const rendered = renderReply(reply);
      const keyboard = inlineKeyboard(rendered.buttons);
      const messageIds: number[] = [];
      const last = rendered.messages.length - 1;
      for (const [i, html] of rendered.messages.entries()) {
        const sent = await sendOne(target, html, {
          ...(i === last && keyboard !== undefined ? { reply_markup: keyboard } : {}),
          ...(i === 0 && options.replyTo !== undefined ? { replyTo: options.replyTo } : {}),
        });
        target = sent.chatId;
        messageIds.push(sent.message.message_id);
      }
      const lastId = messageIds.at(-1);
      if (messageIds.length > 1 && lastId !== undefined) rememberMultipart(target, lastId);
      return { chatId: target, messageIds };
    },

    async send(chatId, reply) {
      await sender.deliver(chatId, { ...reply, private: false });
    },

    async edit(chatId, messageId, reply) {
      if (multipartEnds.has(`${chatId}:${messageId}`)) return 'not-editable';
      const rendered = renderReply(reply);
      const [html] = rendered.messages;
      if (rendered.messages.length !== 1 || html === undefined) return 'not-editable';
      const keyboard = inlineKeyboard(rendered.buttons);
      try {
        await deps.api.editMessageText(chatId, messageId, html, { ...HTML, ...(keyboard === undefined ? {} : { reply_markup: keyboard }) });
        return 'edited';
      } catch (error) {
        const refusal = editRefusal(error);
        if (refusal !== undefined) return refusal;
        throw recordFailure(error, chatId);
      }
    },
  };
  return sender;
}
