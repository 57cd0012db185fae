/**
 * The console chat: a terminal conversation with the bot that needs no tokens. Reads one
 * message per line, answers each in order; typing the number of a listed follow-up runs it,
 * like pressing a button.
 */
import type { Readable, Writable } from 'node:stream';
import { noSuchFollowUpReply } from '../../commands/follow-ups.js';
import type { CommandRouter } from '../../commands/router.js';
import type { CommandContext } from '../../commands/types.js';
import { reply as buildReply, type Reply, type ReplyAction } from '../../replies/reply.js';
import { readLines } from './lines.js';
import { followUps, renderPlainText } from './render.js';

export interface ConsoleChatOptions {
  router: CommandRouter;
  /** A stream read one message per line, or the messages themselves (`npm run ask -- "…"`). */
  input: Readable | readonly string[];
  output: Writable;
  /** Show a prompt and a greeting (interactive terminal) or just answers (scripted). */
  interactive: boolean;
  /**
   * Print one JSON line `{input, title, text, reply}` per message instead of text: every
   * message read, blank ones and /quit included, gets exactly one line naming it.
   */
  json?: boolean;
  now?: () => Date;
  /** Stop reading (a graceful stop): the message being answered is finished, no more are read. */
  signal?: AbortSignal;
}

/** The context of every console message: a private chat with its only user, a moderator. */
export function consoleContext(now: Date): CommandContext {
  return {
    chat: { platform: 'console', id: 'console', type: 'private', title: 'Console' },
    user: { id: 'console-user', name: 'You', isModerator: true },
    now,
  };
}

/**
 * One reply as the JSON line `npm run ask -- --json` prints: `input` is the message it answers,
 * exactly as read, so a script can pair questions and answers.
 */
export function replyAsJsonLine(reply: Reply, input: string): string {
  return JSON.stringify({ input, title: reply.title, text: renderPlainText(reply), reply });
}

const GOODBYE = buildReply({ kind: 'notice', title: 'Goodbye.' });

/** A typed follow-up number: one or two digits, nothing else. */
const FOLLOW_UP_NUMBER = /^\d{1,2}$/;

async function* messagesOf(input: Readable | readonly string[], signal: AbortSignal | undefined): AsyncGenerator<string> {
  if (!Array.isArray(input)) {
    yield* readLines(input as Readable, signal);
    return;
  }
  for (const message of input as readonly string[]) {
    if (signal?.aborted === true) return;
    yield message;
  }
}

/**
 * Run the console chat until the input ends (Ctrl-D), the user types /quit or `signal` aborts.
 * Resolves with the number of messages answered.
 *
 * @example
 * await runConsoleChat({ router, input: process.stdin, output: process.stdout, interactive: true });
 */
export async function runConsoleChat(options: ConsoleChatOptions): Promise<number> {
  const { router, output, interactive } = options;
  const json = options.json === true;
  const now = options.now ?? (() => new Date());
  const write = (text: string) => output.write(`${text}\n`);
  let offered: ReplyAction[] = [];
  let answered = 0;

  if (interactive) {
    write('Dossier console chat. Ask e.g. /who massoud, /where panjshir, or “who is saleh?”. /help lists commands, /quit leaves.');
    output.write('> ');
  }
  for await (const message of messagesOf(options.input, options.signal)) {
    // Lines read before a stop may still be queued: they are not answered.
    if (options.signal?.aborted === true) break;
    const line = message.trim();
    if (line === '/quit' || line === '/exit') {
      if (json) write(replyAsJsonLine(GOODBYE, message));
      break;
    }
    // Blank lines are skipped in text; in JSON every line read gets its answer line.
    if (line !== '' || json) {
      let answer: Reply | undefined;
      if (FOLLOW_UP_NUMBER.test(line)) {
        const picked = offered[Number(line) - 1];
        if (picked === undefined) answer = noSuchFollowUpReply(Number(line), offered);
        else answer = (await router.handle(picked.command, consoleContext(now()), { questions: true, followUp: true }))?.reply;
      } else {
        answer = (await router.handle(line, consoleContext(now()), { questions: true }))?.reply;
      }
      if (answer !== undefined) {
        answered += 1;
        // Numbers always refer to the follow-ups printed last ("no such follow-up" lists them again).
        offered = followUps(answer);
        write(json ? replyAsJsonLine(answer, message) : renderPlainText(answer));
      } else if (json) {
        write(JSON.stringify({ input: message, title: null, text: '', reply: null }));
      }
      if (!json) write('');
    }
    if (interactive) output.write('> ');
  }
  return answered;
}
