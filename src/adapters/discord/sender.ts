/**
 * Sending replies to Discord channels outside a conversation (digests): `POST /channels/{id}/messages`
 * through discord.js's REST client (which queues and retries rate limits itself), one message per
 * page, with every Discord failure mapped to a {@link DeliveryError}.
 */
import { Routes, type REST } from 'discord.js';
import type { MessageSender } from '../../delivery/types.js';
import type { Logger } from '../../observability/logger.js';
import type { Telemetry } from '../../observability/telemetry.js';
import type { ChatStateStore } from '../../storage/types.js';
import { toDeliveryError } from './errors.js';
import { pageMessage, renderReply, type RenderOptions } from './render.js';

export interface DiscordSenderDeps {
  rest: REST;
  chatState: ChatStateStore;
  logger: Logger;
  telemetry: Telemetry;
  now: () => Date;
  render?: RenderOptions;
}

/**
 * A {@link MessageSender} for Discord channels. A channel that answers "missing access" or
 * "unknown channel" is recorded as blocked in the chat state store.
 *
 * @example
 * const sender = createDiscordSender({ rest: client.rest, chatState, logger, telemetry, now: () => new Date() });
 * await sender.send('300000000000000001', digestReply);
 */
export function createDiscordSender(deps: DiscordSenderDeps): MessageSender {
  return {
    platform: 'discord',
    async send(chatId, reply) {
      const rendered = renderReply({ ...reply, private: false }, deps.render);
      const last = rendered.pages.length - 1;
      for (let i = 0; i <= last; i += 1) {
        // Buttons go under the last page, where the reader ends up.
        const body = pageMessage({ ...rendered, buttons: i === last ? rendered.buttons : [] }, i);
        try {
          await deps.rest.post(Routes.channelMessages(chatId), { body: { ...body, allowed_mentions: { parse: [] } } });
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
    },
  };
}
