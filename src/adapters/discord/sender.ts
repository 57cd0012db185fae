/**
 * Sending replies to Discord channels outside a conversation (digests, notices):
 * `POST /channels/{id}/messages` through discord.js's REST client, one message per page, paced by
 * the bot's one rate limiter, with every Discord failure mapped to a {@link DeliveryError}.
 *
 * Every digest part carries a `nonce` (the same on every attempt) with `enforce_nonce`, so
 * Discord answers a resend of a message it already created with that message instead of a
 * second one: a resend after a lost answer cannot post twice.
 */
import { Routes, type REST } from 'discord.js';
import { unlimited } from '../../delivery/limiter.js';
import type { MessageSender, SendLimiter } from '../../delivery/types.js';
import type { Logger } from '../../observability/logger.js';
import type { Telemetry } from '../../observability/telemetry.js';
import type { ChatStateStore } from '../../storage/types.js';
import { toDeliveryError } from './errors.js';
import { pageMessage, renderReply, type RenderOptions } from './render.js';
import { DeliveryError } from '../../delivery/types.js';

export interface DiscordSenderDeps {
  rest: REST;
  chatState: ChatStateStore;
  logger: Logger;
  telemetry: Telemetry;
  now: () => Date;
  render?: RenderOptions;
  /** The bot's one rate limiter (default: none). */
  limiter?: SendLimiter;
}

/**
 * A {@link MessageSender} for Discord channels. A channel that answers "missing access" or
 * "unknown channel" is recorded as blocked in the chat state store.
 *
 * @example
 * const sender = createDiscordSender({ rest: client.rest, chatState, logger, telemetry, now: () => new Date(), limiter });
 * await sender.send('300000000000000001', notice);
 */
export function createDiscordSender(deps: DiscordSenderDeps): MessageSender {
  const limiter = deps.limiter ?? unlimited;

  async function post(chatId: string, body: Record<string, unknown>, signal?: AbortSignal, beforeSend?: () => Promise<void> | void): Promise<void> {
    if (!(await limiter.acquire('discord', chatId, 'channel', signal))) {
      throw new DeliveryError('transient', `Stopped before sending to Discord channel ${chatId}.`, { outcome: 'not-sent' });
    }
    await beforeSend?.();
    try {
      await deps.rest.post(Routes.channelMessages(chatId), { body });
    } catch (error) {
      const failure = toDeliveryError(error, chatId);
      deps.telemetry.platformError('discord', failure.kind);
      if (failure.permanent) {
        deps.chatState.markChatBlocked('discord', chatId, failure.message, deps.now());
        deps.logger.warn({ chatId, kind: failure.kind, err: error }, 'discord channel unreachable; marked blocked');
      }
      throw failure;
    }
  }

  const sender: MessageSender = {
    platform: 'discord',
    resendAfterUnknown: 'deduplicated',
    plan(reply) {
      const rendered = renderReply({ ...reply, private: false }, deps.render);
      const last = rendered.pages.length - 1;
      // Buttons go under the last page, where the reader ends up.
      return rendered.pages.map((_page, i) => ({ ...pageMessage({ ...rendered, buttons: i === last ? rendered.buttons : [] }, i), allowed_mentions: { parse: [] } }));
    },
    async send(chatId, reply) {
      for (const part of sender.plan(reply)) await post(chatId, part as Record<string, unknown>);
    },
    async sendPart(chatId, part, options) {
      await post(chatId, { ...(part as Record<string, unknown>), nonce: options.key, enforce_nonce: true }, options.signal, options.beforeSend);
      return { chatId };
    },
  };
  return sender;
}
