/**
 * The console chat: a terminal conversation with the bot that needs no tokens. Reads one
 * message per line, answers each in order; typing the number of a listed follow-up runs it,
 * like pressing a button.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { CommandRouter } from '../../commands/router.js';
import type { CommandContext } from '../../commands/types.js';
import type { Reply } from '../../replies/reply.js';
import { followUps, renderPlainText } from './render.js';

export interface ConsoleChatOptions {
  router: CommandRouter;
  input: Readable;
  output: Writable;
  /** Show a prompt and a greeting (interactive terminal) or just answers (scripted). */
  interactive: boolean;
  /** Print each reply as one JSON line `{title, text, reply}` instead of text. */
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

/** One reply as the JSON line `npm run ask -- --json` prints. */
export function replyAsJsonLine(reply: Reply): string {
  return JSON.stringify({ title: reply.title, text: renderPlainText(reply), reply });
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
  const now = options.now ?? (() => new Date());
  const lines = createInterface({ input: options.input, terminal: false, crlfDelay: Infinity });
  const write = (text: string) => output.write(`${text}\n`);
  let lastFollowUps: string[] = [];
  let answered = 0;
  const stopReading = () => lines.close();
  if (options.signal?.aborted === true) stopReading();
  options.signal?.addEventListener('abort', stopReading, { once: true });

  if (interactive) {
    write('Dossier console chat. Ask e.g. /who massoud, /where panjshir, or “who is saleh?”. /help lists commands, /quit leaves.');
    output.write('> ');
  }
  for await (const rawLine of lines) {
    // Lines read before a stop may still be queued: they are not answered.
    if (options.signal?.aborted === true) break;
    const line = rawLine.trim();
    if (line === '/quit' || line === '/exit') break;
    if (line !== '') {
      const picked = /^\d{1,2}$/.test(line) ? lastFollowUps[Number(line) - 1] : undefined;
      const result = await router.handle(picked ?? line, consoleContext(now()), { questions: true });
      if (result !== null) {
        answered += 1;
        lastFollowUps = followUps(result.reply).map((a) => a.command);
        write(options.json === true ? replyAsJsonLine(result.reply) : renderPlainText(result.reply));
      }
      if (interactive || options.json !== true) write('');
    }
    if (interactive) output.write('> ');
  }
  options.signal?.removeEventListener('abort', stopReading);
  lines.close();
  return answered;
}
