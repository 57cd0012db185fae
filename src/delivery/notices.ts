/**
 * Notices the delivery layer itself sends to a chat (not answers to a command).
 */
import { reply, type Reply } from '../replies/reply.js';

/**
 * Told to a chat when the platform made the bot wait so long that an answer was dropped.
 *
 * @example
 * throttledNotice(5).title // → 'Sorry — your last question was not answered'
 */
export function throttledNotice(minutes: number): Reply {
  return reply({
    kind: 'notice',
    title: 'Sorry — your last question was not answered',
    summary: `The platform made the bot wait about ${minutes} minute${minutes === 1 ? '' : 's'} before writing here again, which is too long for an answer. You can ask again now.`,
  });
}
