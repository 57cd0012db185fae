/**
 * `dossier ask "/who massoud"` (or `npm run -s ask -- …`): ask the bot one or more questions from
 * a shell, without starting any platform. With no question arguments it reads one question per
 * line from standard input. `--json` prints one JSON line `{input, title, text, reply}` per
 * message. Standard output carries the answers only; logs go to standard error.
 *
 * Settings (DATA_DIR, STORY, DATABASE_PATH, …) are read like `npm start` reads them.
 */
import { runConsoleChat } from '../adapters/console/console-chat.js';
import { createCore, StartupError } from '../app/core.js';
import { loadSettingsOrExit, secretValues } from '../config/config.js';
import { createLogger } from '../observability/logger.js';
import { parseAskArguments } from './ask-arguments.js';
import { onClosedPipe } from '../adapters/console/closed-pipe.js';

const USAGE = `Usage: dossier ask [--json] [--] ["/who massoud" …]

  Each argument is one message to the bot (a command or a plain question).
  With none, messages are read from standard input, one per line.
  --json   print one JSON line {input, title, text, reply} per message
  --       end of options: what follows is messages, even when it starts with "-"
  Options come before the first message; everything after it is a message.`;

async function main(argv: string[]): Promise<number> {
  const args = parseAskArguments(argv);
  if ('error' in args) {
    process.stderr.write(`${args.error}\n\n${USAGE}\n`);
    return 64; // EX_USAGE
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const { config, explicit } = loadSettingsOrExit();
  // Answers go to stdout; routine start-up lines would only clutter a one-shot run.
  const level = explicit.has('LOG_LEVEL') ? config.LOG_LEVEL : 'warn';
  const logger = createLogger({ level, ...(config.LOG_FORMAT === undefined ? {} : { format: config.LOG_FORMAT }), secrets: secretValues(config) });

  let core;
  try {
    core = await createCore({ config, logger });
  } catch (error) {
    if (!(error instanceof StartupError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return error.exitCode;
  }
  try {
    const input = args.messages.length > 0 ? args.messages : process.stdin;
    await runConsoleChat({ router: core.router, input, output: process.stdout, interactive: false, json: args.json });
    return 0;
  } finally {
    await core.close();
  }
}

// The reader of our output has gone (`| head -1`): nothing more can be said, so stop now, quietly.
onClosedPipe(process.stdout, () => process.exit(0));
process.exitCode = await main(process.argv.slice(2));
