/**
 * `npm start` (src/main.ts) with one difference: the bot's clock starts at `DOSSIER_TEST_CLOCK`
 * (an ISO instant) and runs in real time from there, so a process test can start the bot just
 * before or just after a digest slot instead of waiting for one. Everything else — settings from
 * the environment, platforms, feeds, digests, /healthz, graceful stop on SIGTERM — is the bot's
 * own start-up, unchanged.
 *
 *   node var/cache/test-js-suite/test/app/processes/bot-at.js   (compiled by the tests: test/support/compiled.ts; settings in the environment)
 */
import { startApp } from '../../../src/app/app.js';
import { StartupError } from '../../../src/app/core.js';
import { loadSettingsOrExit, secretValues } from '../../../src/config/config.js';
import { createLogger } from '../../../src/observability/logger.js';

const startAt = Date.parse(process.env.DOSSIER_TEST_CLOCK ?? '');
if (Number.isNaN(startAt)) {
  process.stderr.write('DOSSIER_TEST_CLOCK must be an ISO instant\n');
  process.exit(2);
}
const started = Date.now();
const now = (): Date => new Date(startAt + (Date.now() - started));

const { config } = loadSettingsOrExit();
const logger = createLogger({ level: config.LOG_LEVEL, ...(config.LOG_FORMAT === undefined ? {} : { format: config.LOG_FORMAT }), secrets: secretValues(config) });
process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
try {
  await startApp({ config, logger, io: { input: process.stdin, output: process.stdout }, now });
} catch (error) {
  if (error instanceof StartupError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(error.exitCode);
  }
  logger.fatal({ err: error }, 'start-up failed');
  process.exit(1);
}
