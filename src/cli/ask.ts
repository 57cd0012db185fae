/**
 * `npm run ask -- "/who massoud"`: ask the bot one or more questions from a shell, without
 * starting any platform. With no question arguments it reads one question per line from
 * standard input. `--json` prints each reply as one JSON line `{title, text, reply}` for scripts.
 *
 * Settings (DATA_DIR, STORY, DATABASE_PATH, …) are read like `npm start` reads them.
 */
import { Readable } from 'node:stream';
import { runConsoleChat } from '../adapters/console/console-chat.js';
import { createCore, StartupError } from '../app/core.js';
import { loadSettingsOrExit, secretValues } from '../config/config.js';
import { createLogger } from '../observability/logger.js';

const USAGE = `Usage: npm run ask -- [--json] ["/who massoud" …]

  Each argument is one message to the bot (a command or a plain question).
  With none, messages are read from standard input, one per line.
  --json   print each reply as one JSON line {title, text, reply}`;

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = argv.find((a) => a.startsWith('--') && a !== '--json');
  if (unknown !== undefined) {
    process.stderr.write(`Unknown option "${unknown}".\n\n${USAGE}\n`);
    return 64; // EX_USAGE
  }
  const questions = argv.filter((a) => a !== '--json');

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
    const input = questions.length > 0 ? Readable.from(questions.map((q) => `${q.replace(/\r?\n/g, ' ')}\n`)) : process.stdin;
    await runConsoleChat({ router: core.router, input, output: process.stdout, interactive: false, json });
    return 0;
  } finally {
    await core.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
