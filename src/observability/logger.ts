/**
 * Structured logging with pino: JSON lines for machines, pretty lines in a terminal.
 *
 * Secrets are kept out of logs twice over: known secret fields are redacted by path, and the
 * values of the configured secrets are scrubbed from every line just before it is written (so a
 * token inside an error message or a URL is caught too).
 */
import { hostname } from 'node:os';
import { pino, stdSerializers, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import { SECRET_SETTINGS } from '../config/config.js';

export type { Logger } from 'pino';

/** Where log lines go: anything with a `write(line)` (a stream, or an array in tests). */
export interface LogDestination {
  write(line: string): unknown;
}

export interface LoggerOptions {
  level?: string;
  /** `pretty` for people at a terminal; `json` (the default off a terminal) for log collectors. */
  format?: 'json' | 'pretty';
  /** Where lines go (default: standard error, so `npm run ask` keeps stdout for replies). */
  destination?: LogDestination;
  /** Secret values (tokens) to replace with `[redacted]` wherever they appear in a line. */
  secrets?: readonly string[];
  /** Fields added to every line. */
  base?: Record<string, unknown>;
}

export const REDACTED = '[redacted]';

/**
 * Field paths that hold secrets: a config object logged at the top or up to two levels down,
 * and request headers. Deeper nesting is caught by the value scrubber (`secrets`).
 */
const REDACT_PATHS = [
  'token',
  '*.token',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'authorization',
  'headers.authorization',
  '*.headers.authorization',
  '*.headers["x-telegram-bot-api-secret-token"]',
  ...SECRET_SETTINGS.flatMap((name) => [name, `*.${name}`, `*.*.${name}`]),
];

/**
 * Create the process's root logger. Writes synchronously, so nothing is lost when the process
 * exits right after logging (a graceful stop, a fatal error).
 *
 * @example
 * const log = createLogger({ level: 'info', format: 'json', secrets: [config.TELEGRAM_BOT_TOKEN] });
 * log.info({ platform: 'telegram', command: 'who' }, 'command answered');
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? process.stderr;
  const format = options.format ?? (options.destination === undefined && process.stderr.isTTY ? 'pretty' : 'json');
  const scrub = scrubber(options.secrets ?? []);
  const stream: LogDestination =
    format === 'pretty' ? prettyDestination(destination, options.destination === undefined && process.stderr.isTTY) : destination;
  return pino(
    {
      level: options.level ?? 'info',
      ...(options.base === undefined ? {} : { base: { pid: process.pid, hostname: hostname(), ...options.base } }),
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      serializers: { err: stdSerializers.errWithCause, error: stdSerializers.errWithCause, cause: stdSerializers.errWithCause },
      ...(scrub === undefined ? {} : { hooks: { streamWrite: scrub } }),
    },
    stream as pino.DestinationStream,
  );
}

/** A logger that writes nothing: for tests and one-shot CLI runs that must keep output clean. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** Human-readable lines, formatted synchronously (pino-pretty's transport runs in a worker and can lose the last lines on exit). */
function prettyDestination(destination: LogDestination, colorize: boolean): LogDestination {
  const format = pinoPretty.prettyFactory({ colorize, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' });
  return { write: (line: string) => destination.write(format(line)) };
}

/** Replaces every occurrence of each secret, including its JSON-escaped form. */
function scrubber(secrets: readonly string[]): ((line: string) => string) | undefined {
  const needles = [...new Set(secrets.filter((s) => s.length >= 6).flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))];
  if (needles.length === 0) return undefined;
  return (line) => {
    let out = line;
    for (const needle of needles) if (out.includes(needle)) out = out.split(needle).join(REDACTED);
    return out;
  };
}
