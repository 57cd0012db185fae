/**
 * Digests for the console chat: a subscription made at the terminal prints its digest there,
 * so scheduled digests can be tried without any platform token.
 */
import type { Writable } from 'node:stream';
import type { MessageSender } from '../../delivery/types.js';
import type { Reply } from '../../replies/reply.js';
import { renderPlainText } from './render.js';

/**
 * A sender that writes each reply, under a separator line, to the console's output. A digest is
 * one part: the whole text.
 *
 * @example
 * senders.set('console', createConsoleSender(process.stdout));
 */
export function createConsoleSender(output: Writable): MessageSender {
  const write = (text: string) =>
    new Promise<void>((resolve, reject) => {
      output.write(`\n── scheduled digest ──\n${text}\n\n`, (error) => (error ? reject(error) : resolve()));
    });
  return {
    platform: 'console',
    resendAfterUnknown: 'may-repeat',
    async send(_chatId: string, reply: Reply): Promise<void> {
      await write(renderPlainText(reply));
    },
    plan: (reply) => [renderPlainText(reply)],
    async sendPart(chatId, part, options) {
      await options.beforeSend?.();
      await write(String(part));
      return { chatId };
    },
  };
}
