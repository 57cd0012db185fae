/**
 * Sending to Telegram chats — answers in a conversation, digest parts and notices — so that
 * every message gets the same care: rendered within Telegram's limits, paced by the bot's one
 * rate limiter, skipped for chats that blocked the bot, followed to a group's new supergroup id,
 * sent again as plain text once if Telegram cannot parse its HTML, and failures mapped to
 * {@link DeliveryError}s that say whether the message may have arrived anyway.
 *
 * The API this sender gets has no auto-retry: it decides itself what to retry. Digest parts are
 * retried by the digest queue (one failed part holds no other chat up); an answer waits out a
 * 429 of up to {@link ReplyRetry.maxWaitMs} and is then delivered, and retries 5xx and lost
 * connections a few times, resending only the one message whose outcome is unknown.
 */
import type { Api } from 'grammy';
import type { InlineKeyboardMarkup, Message } from 'grammy/types';
import { realSleep, unlimited, type Sleep } from '../../delivery/limiter.js';
import { throttledNotice, undeliveredNotice } from '../../delivery/notices.js';
import { DeliveryError, type ChatKind, type MessageSender, type SendLimiter } from '../../delivery/types.js';
import type { Logger } from '../../observability/logger.js';
import type { Reply } from '../../replies/reply.js';
import type { ChatStateStore } from '../../storage/types.js';
import { inlineKeyboard } from './callback-data.js';
import { editRefusal, isUnparsableMarkup, toDeliveryError } from './errors.js';
import { renderReply } from './render.js';

/** How an answer (not a digest) is retried. */
export interface ReplyRetry {
  /** The longest `retry_after` an answer waits for before it is delivered anyway (default 120 s). */
  maxWaitMs: number;
  /** Attempts for 5xx and lost connections, the first included (default 3). */
  attempts: number;
  /** First backoff after a 5xx or a lost connection, doubled each time (default 1 s). */
  backoffMs: number;
  /** After a 5xx storm outlasted the attempts: when to tell the chat its question went unanswered (default 60 s). */
  noticeAfterMs: number;
}

export const DEFAULT_REPLY_RETRY: ReplyRetry = { maxWaitMs: 120_000, attempts: 3, backoffMs: 1000, noticeAfterMs: 60_000 };

export interface TelegramSenderDeps {
  /** An API without auto-retry (this sender retries itself). */
  api: Pick<Api, 'sendMessage' | 'editMessageText'>;
  chatState: ChatStateStore;
  logger: Logger;
  now: () => Date;
  /** The bot's one rate limiter (default: none). */
  limiter?: SendLimiter;
  replyRetry?: Partial<ReplyRetry>;
  sleep?: Sleep;
}

/** Where a reply went: the chat id used (new after a migration) and the message ids, in order. */
export interface Delivered {
  chatId: string;
  messageIds: number[];
}

export type EditOutcome = 'edited' | 'unchanged' | 'not-editable';

/** One planned Telegram message: HTML, and the keyboard under the last one. */
export interface TelegramPart {
  html: string;
  keyboard?: InlineKeyboardMarkup;
}

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

/** Telegram's chat ids: users are positive, groups, supergroups and channels negative. */
export function chatKindOf(chatId: string): ChatKind {
  return chatId.startsWith('-') ? 'group' : 'private';
}

/** The text of Telegram HTML without its markup (the fallback when Telegram cannot parse it). */
export function htmlToPlainText(html: string): string {
  return html
    .replace(/<a\s+href="([^"]*)"[^>]*>(.*?)<\/a>/gis, (_m, _href: string, text: string) => text)
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * Create the Telegram sender.
 *
 * @example
 * const sender = createTelegramSender({ api: sendApi, chatState, logger, now: () => new Date(), limiter });
 * await sender.send('-1001234567890', notice);
 */
export function createTelegramSender(deps: TelegramSenderDeps): TelegramSender {
  const limiter = deps.limiter ?? unlimited;
  const retry: ReplyRetry = { ...DEFAULT_REPLY_RETRY, ...deps.replyRetry };
  const sleep = deps.sleep ?? realSleep;
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
      throw new DeliveryError('forbidden', `Not sending to Telegram chat ${chatId}: it has been unreachable since ${block.at} (${block.reason}).`, { outcome: 'not-sent' });
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

  /**
   * One message, once: waits for the limiter, follows a migration, and falls back to plain text
   * once when Telegram cannot parse the HTML.
   */
  async function sendOne(
    chatId: string,
    part: TelegramPart,
    extra: { replyTo?: number; signal?: AbortSignal; beforeSend?: () => Promise<void> | void },
  ): Promise<{ chatId: string; message: Message.TextMessage }> {
    let target = chatId;
    let replyTo = extra.replyTo;
    let plain = false;
    for (let hop = 0; ; hop += 1) {
      if (!(await limiter.acquire('telegram', target, chatKindOf(target), extra.signal))) {
        throw new DeliveryError('transient', `Stopped before sending to Telegram chat ${target}.`, { outcome: 'not-sent' });
      }
      await extra.beforeSend?.();
      try {
        const message = await deps.api.sendMessage(target, plain ? htmlToPlainText(part.html) : part.html, {
          ...(plain ? { link_preview_options: HTML.link_preview_options } : HTML),
          ...(part.keyboard === undefined ? {} : { reply_markup: part.keyboard }),
          ...(replyTo === undefined ? {} : { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }),
        });
        return { chatId: target, message };
      } catch (error) {
        if (!plain && isUnparsableMarkup(error)) {
          deps.logger.error(
            { chatId: target, html: part.html, err: error },
            'Telegram could not parse the HTML of a message; sending the same text without markup. This is a renderer bug: please report the html in this line',
          );
          plain = true;
          continue;
        }
        const failure = recordFailure(error, target);
        if (failure.kind !== 'migrated' || failure.details.migratedTo === undefined || hop >= MAX_MIGRATIONS) throw failure;
        target = failure.details.migratedTo;
        // The message replied to lives in the old chat.
        replyTo = undefined;
      }
    }
  }

  /** An answer's message: 429s waited out (up to the limit), 5xx and lost connections retried a few times. */
  async function sendAnswerPart(chatId: string, part: TelegramPart, replyTo: number | undefined): Promise<{ chatId: string; message: Message.TextMessage }> {
    let failures = 0;
    for (;;) {
      try {
        return await sendOne(chatId, part, replyTo === undefined ? {} : { replyTo });
      } catch (error) {
        const failure = toDeliveryError(error, chatId);
        if (failure.kind === 'rate-limited') {
          const wait = failure.details.retryAfterMs ?? retry.backoffMs;
          if (wait > retry.maxWaitMs) {
            deps.logger.warn({ chatId, waitMs: wait }, 'telegram asked the bot to wait longer than an answer may; the user is told when the wait is over');
            scheduleNotice(chatId, wait, throttledNotice(Math.ceil(wait / 60_000)));
            throw failure;
          }
          deps.logger.info({ chatId, waitMs: wait }, 'telegram asked to wait before answering; the answer is queued until then');
          await sleep(wait);
          continue;
        }
        if (failure.kind === 'transient' && ++failures < retry.attempts) {
          await sleep(retry.backoffMs * 2 ** (failures - 1));
          continue;
        }
        if (failure.kind === 'transient') {
          deps.logger.warn({ chatId, attempts: failures }, 'telegram kept failing while answering; the user is told later that the question went unanswered');
          scheduleNotice(chatId, retry.noticeAfterMs, undeliveredNotice());
        }
        throw failure;
      }
    }
  }

  /** When an answer could not be delivered: once Telegram is likely to take it, say so (one try). */
  function scheduleNotice(chatId: string, waitMs: number, notice: Reply): void {
    // A timer that does not keep a stopping process alive: the notice is a courtesy.
    setTimeout(() => {
      const [html] = renderReply(notice).messages;
      if (html === undefined) return;
      sendOne(chatId, { html }, {}).catch((error: unknown) => deps.logger.warn({ chatId, err: error }, 'could not send the notice about the delayed answer either'));
    }, waitMs).unref();
  }

  function plan(reply: Reply): TelegramPart[] {
    const rendered = renderReply({ ...reply, private: false });
    const keyboard = inlineKeyboard(rendered.buttons);
    const last = rendered.messages.length - 1;
    return rendered.messages.map((html, i) => (i === last && keyboard !== undefined ? { html, keyboard } : { html }));
  }

  const sender: TelegramSender = {
    platform: 'telegram',
    resendAfterUnknown: 'may-repeat',

    async deliver(chatId, reply, options = {}) {
      let target = deps.chatState.currentChatId('telegram', chatId);
      refuseBlocked(target);
      const rendered = renderReply(reply);
      const keyboard = inlineKeyboard(rendered.buttons);
      const messageIds: number[] = [];
      const last = rendered.messages.length - 1;
      for (const [i, html] of rendered.messages.entries()) {
        const sent = await sendAnswerPart(target, i === last && keyboard !== undefined ? { html, keyboard } : { html }, i === 0 ? options.replyTo : undefined);
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

    plan,

    async sendPart(chatId, part, options) {
      const target = deps.chatState.currentChatId('telegram', chatId);
      refuseBlocked(target);
      const sent = await sendOne(target, part as TelegramPart, {
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.beforeSend === undefined ? {} : { beforeSend: options.beforeSend }),
      });
      return { chatId: sent.chatId };
    },

    async edit(chatId, messageId, reply) {
      if (multipartEnds.has(`${chatId}:${messageId}`)) return 'not-editable';
      const rendered = renderReply(reply);
      const [html] = rendered.messages;
      if (rendered.messages.length !== 1 || html === undefined) return 'not-editable';
      const keyboard = inlineKeyboard(rendered.buttons);
      await limiter.acquire('telegram', chatId, chatKindOf(chatId));
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
