/**
 * Structured logging with pino: JSON lines for machines, pretty lines in a terminal.
 * Secrets are redacted by path so a token can never reach a log.
 */
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
  /** `pretty` for people at a terminal; `json` (the default off a terminal) for log collectors. */
  format?: 'json' | 'pretty';
  /** Where JSON lines go (default: standard error, so `npm run ask` keeps stdout for replies). */
  destination?: NodeJS.WritableStream;
}

/**
 * Create the process's root logger.
 *
 * @example
 * const log = createLogger({ level: 'info' });
 * log.info({ platform: 'telegram', command: 'who' }, 'command answered');
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const format = options.format ?? (process.stderr.isTTY ? 'pretty' : 'json');
  const base = {
    level: options.level ?? 'info',
    redact: {
      paths: ['token', '*.token', 'config.TELEGRAM_BOT_TOKEN', 'config.DISCORD_TOKEN', 'config.TELEGRAM_WEBHOOK_SECRET', 'headers.authorization', '*.headers.authorization'],
      censor: '[redacted]',
    },
  };
  if (format === 'pretty' && options.destination === undefined) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } },
    });
  }
  return pino(base, (options.destination ?? process.stderr) as pino.DestinationStream);
}

/** A logger that writes nothing: for tests and one-shot CLI runs that must keep output clean. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
