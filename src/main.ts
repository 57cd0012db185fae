/**
 * `npm start`: read the settings, start the bot, stop gracefully on SIGTERM / SIGINT.
 *
 * With no settings at all this is the console chat over the bundled story, with SQLite in
 * `var/dossier.sqlite`; tokens only add platforms (see `.env.example`).
 */
import { startApp } from './app/app.js';
import { StartupError } from './app/core.js';
import { loadSettingsOrExit, secretValues } from './config/config.js';
import { createLogger } from './observability/logger.js';

const { config, explicit } = loadSettingsOrExit();
// A person chatting at a terminal with no platform wants the conversation, not routine log
// lines: warnings only, unless LOG_LEVEL says otherwise.
const chattingAtTerminal = process.stdin.isTTY && config.TELEGRAM_BOT_TOKEN === undefined && config.DISCORD_TOKEN === undefined && config.CONSOLE !== 'off';
const level = chattingAtTerminal && !explicit.has('LOG_LEVEL') ? 'warn' : config.LOG_LEVEL;
const logger = createLogger({
  level,
  ...(config.LOG_FORMAT === undefined ? {} : { format: config.LOG_FORMAT }),
  secrets: secretValues(config),
});

// A bug must not take the bot down silently: log it, then stop the same graceful way.
let app: Awaited<ReturnType<typeof startApp>> | undefined;
process.on('unhandledRejection', (reason) => {
  logger.error({ err: reason }, 'unhandled promise rejection');
});
process.on('uncaughtException', (error) => {
  logger.fatal({ err: error }, 'uncaught exception; stopping');
  if (app === undefined) process.exit(1);
  else void app.shutdown.stop('uncaught exception', 1);
});

try {
  app = await startApp({ config, logger, io: { input: process.stdin, output: process.stdout } });
} catch (error) {
  if (error instanceof StartupError) {
    // The operator's problem, stated once: no stack trace.
    process.stderr.write(`${error.message}\n`);
    logger.flush();
    process.exit(error.exitCode);
  }
  logger.fatal({ err: error }, 'start-up failed');
  process.exit(1);
}
