/**
 * Replies about follow-ups themselves, shared by the adapters that offer them: a typed number
 * that names no listed follow-up (console), a button whose saved command is gone (chat platforms).
 */
import { reply, type Reply, type ReplyAction } from '../replies/reply.js';

/**
 * The answer to a typed follow-up number that the last reply did not list: says so and lists
 * again the ones there are (under the same numbers), instead of searching the story for "7".
 *
 * @example
 * noSuchFollowUpReply(7, [{ label: 'More results', command: '/search x page:2' }]).title // → 'There is no follow-up 7.'
 */
export function noSuchFollowUpReply(number: number, offered: readonly ReplyAction[]): Reply {
  const count = offered.length;
  return reply({
    kind: 'usage',
    title: `There is no follow-up ${number}.`,
    summary:
      count === 0
        ? 'The last answer listed no follow-ups. Ask a question, or send /help to see every command.'
        : count === 1
          ? 'The last answer listed one: type 1 to take it.'
          : `The last answer listed ${count}: type a number from 1 to ${count}.`,
    actions: [...offered],
    private: true,
  });
}

/** The answer to a button whose saved follow-up is no longer kept (or was never ours). */
export function expiredFollowUpReply(): Reply {
  return reply({
    kind: 'notice',
    title: 'This button has expired.',
    summary: 'Please send the command again.',
    private: true,
  });
}
