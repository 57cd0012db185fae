/**
 * Digests for the console chat: a subscription made at the terminal prints its digest there,
 * so scheduled digests can be tried without any platform token.
 */
import type { Writable } from 'node:stream';
import type { MessageSender } from '../../delivery/types.js';
import type { Reply } from '../../replies/reply.js';
import { renderPlainText } from './render.js';

/**
 * A sender that writes each reply, under a separator line, to the console's output.
 *
 * @example
 * senders.set('console', createConsoleSender(process.stdout));
 */
export function createConsoleSender(output: Writable): MessageSender {
  return {
    platform: 'console',
    async send(_chatId: string, reply: Reply): Promise<void> {
      await new Promise<void>((resolve, reject) => {
        output.write(`\n── scheduled digest ──\n${renderPlainText(reply)}\n\n`, (error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
