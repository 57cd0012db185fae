/**
 * Every setting, read from the environment (and `.env`), validated once at start with zod.
 * A bad or missing value stops the process with one message naming the setting and the fix.
 *
 * Blank values count as unset, so a copied `.env.example` with empty lines means "use the
 * defaults". Relative paths (`DATA_DIR`, `DATABASE_PATH`) are relative to the working directory
 * the process was started in, never to the compiled code in `dist/`.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { canonicalTimeZone } from '../digests/zoned-time.js';

/** The exit code for a configuration error (`EX_CONFIG` from BSD sysexits.h). */
export const EX_CONFIG = 78;

const PORT_MESSAGE = 'must be a port number from 0 to 65535';

/** Text that may be unset (the environment reading already turned blank into unset). */
const optionalText = z.string().trim().optional();

/** An optional port: unset means "off". */
const optionalPort = z.coerce
  .number<string | undefined>({ error: PORT_MESSAGE })
  .int(PORT_MESSAGE)
  .min(0, PORT_MESSAGE)
  .max(65535, PORT_MESSAGE)
  .optional();

const url = (what: string) =>
  optionalText.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), {
    message: `must be an http(s) URL of ${what}`,
  });

/** An absolute http(s) URL with a host and no query, fragment or credentials. */
function isPublicUrl(value: string): boolean {
  if (!/^https?:\/\/[^\s]+$/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.hostname !== '' && url.search === '' && url.hash === '' && url.username === '' && url.password === '' && !value.includes('?') && !value.includes('#');
  } catch {
    return false;
  }
}

/** One of a fixed list of words, with an error that lists them. */
function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of: ${values.join(', ')}` });
}

/** A whole number of milliseconds. */
function milliseconds(fallback: number, max = 600_000) {
  const message = `must be a whole number of milliseconds from 0 to ${max}`;
  return z.coerce
    .number<string | undefined>({ error: message })
    .int(message)
    .min(0, message)
    .max(max, message)
    .default(fallback);
}

/** A positive number of messages per second. */
function messageRate(fallback: number) {
  const message = 'must be a number of messages per second from 0.1 to 10000';
  return z.coerce.number<string | undefined>({ error: message }).min(0.1, message).max(10_000, message).default(fallback);
}

/** The schema of every setting; `.env.example` and the Deploying guide document each one. */
export const configSchema = z
  .object({
    NODE_ENV: oneOf(['development', 'production', 'test']).default('development'),
    DATA_DIR: z.string().trim().default('data'),
    STORY: z
      .string()
      .trim()
      .default('panjshir')
      .refine((v) => /^[a-z0-9][a-z0-9_-]*$/i.test(v), { message: 'must be a story folder name such as panjshir (letters, digits, _ and -)' }),
    DATABASE_PATH: z.string().trim().default('var/dossier.sqlite'),
    /** Unset: SQLite at DATABASE_PATH. `postgres://…`: PostgreSQL, shared by several instances. */
    DATABASE_URL: optionalText.refine((v) => v === undefined || /^postgres(ql)?:\/\/\S+$/.test(v), {
      message: 'must be a PostgreSQL connection string such as postgres://user:password@host:5432/dossier (leave it blank for SQLite)',
    }),
    LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Unset: pretty at a terminal, JSON lines otherwise. */
    LOG_FORMAT: oneOf(['json', 'pretty']).optional(),
    /** `auto`: the console chat runs when standard input is a terminal or no platform is configured. */
    CONSOLE: oneOf(['auto', 'on', 'off']).default('auto'),
    HTTP_PORT: optionalPort,
    HTTP_HOST: z.string().trim().default('0.0.0.0'),
    /** Where people reach the web dossier; answers link to it when set. */
    PUBLIC_URL: optionalText
      .refine((v) => v === undefined || isPublicUrl(v), {
        message: 'must be the http(s) address people open the web dossier at, e.g. https://dossier.example.org (no query or #fragment)',
      })
      .transform((v) => (v === undefined ? undefined : v.replace(/\/+$/, ''))),

    TELEGRAM_BOT_TOKEN: optionalText.refine((v) => v === undefined || /^\d+:[\w-]+$/.test(v), {
      message: 'must look like 123456:ABC-DEF… (the token @BotFather gave you)',
    }),
    TELEGRAM_API_ROOT: url('a Telegram Bot API server, without a trailing slash'),
    TELEGRAM_WEBHOOK_URL: optionalText.refine((v) => v === undefined || /^https:\/\/\S+$|^http:\/\/(127\.0\.0\.1|localhost)[:/]\S*$/.test(v), {
      message: 'must be a public https:// URL that Telegram can reach',
    }),
    TELEGRAM_WEBHOOK_PORT: optionalPort,
    TELEGRAM_WEBHOOK_SECRET: optionalText.refine((v) => v === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(v), {
      message: 'must be 1–256 characters of A-Z, a-z, 0-9, _ and -',
    }),

    DISCORD_TOKEN: optionalText.refine((v) => v === undefined || /^[^\s"']+$/.test(v), {
      message: 'must be the bot token alone, without "Bot " or quotes (Developer Portal → Bot → Reset Token)',
    }),
    DISCORD_APPLICATION_ID: optionalText.refine((v) => v === undefined || /^\d{5,25}$/.test(v), {
      message: 'must be the numeric application id from the Discord developer portal',
    }),
    DISCORD_API_URL: url('a Discord REST API, ending in /api'),
    /** Set: answer Discord's interactions endpoint (POST /interactions on HTTP_PORT), no gateway needed. */
    DISCORD_PUBLIC_KEY: optionalText.refine((v) => v === undefined || /^[0-9a-fA-F]{64}$/.test(v), {
      message: 'must be the 64 hexadecimal characters of PUBLIC KEY (Developer Portal → your app → General Information)',
    }),

    DIGEST_TIMEZONE: z
      .string()
      .trim()
      .default('Asia/Kabul')
      .refine((zone) => canonicalTimeZone(zone) !== undefined, { message: 'must be an IANA time zone such as Asia/Kabul or Europe/Dublin' }),
    DIGEST_MISSED_SLOTS: oneOf(['latest', 'skip']).default('latest'),
    /** This instance's name in the delivery ledger (default: the host name). */
    INSTANCE_ID: optionalText.refine((v) => v === undefined || /^[A-Za-z0-9._-]{1,64}$/.test(v), {
      message: 'must be 1–64 characters of A-Z, a-z, 0-9, ".", "_" and "-" (e.g. the container or pod name)',
    }),
    /** How long a claimed digest stays one instance's before another may take it over. */
    DIGEST_LEASE_MS: milliseconds(30_000, 3_600_000).refine((v) => v >= 1000, { message: 'must be at least 1000 ms' }),
    /** The bot's pace on Telegram, all instances together (Telegram allows ≈30/s; more with paid broadcasts). */
    TELEGRAM_MESSAGES_PER_SECOND: messageRate(25),
    /** The bot's pace on Discord, all instances together (Discord allows 50 requests/s). */
    DISCORD_MESSAGES_PER_SECOND: messageRate(45),
    SHUTDOWN_TIMEOUT_MS: milliseconds(10_000),
  })
  .superRefine((c, ctx) => {
    if (c.DISCORD_TOKEN !== undefined && c.DISCORD_APPLICATION_ID === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['DISCORD_APPLICATION_ID'],
        message: 'is required when DISCORD_TOKEN is set (Developer Portal → your app → General Information)',
      });
    }
    if (c.TELEGRAM_WEBHOOK_URL !== undefined) {
      if (c.TELEGRAM_BOT_TOKEN === undefined) {
        ctx.addIssue({ code: 'custom', path: ['TELEGRAM_BOT_TOKEN'], message: 'is required when TELEGRAM_WEBHOOK_URL is set' });
      }
      if (c.TELEGRAM_WEBHOOK_SECRET === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['TELEGRAM_WEBHOOK_SECRET'],
          message: 'is required in webhook mode, so only Telegram can post updates (1–256 of A-Z a-z 0-9 _ -)',
        });
      }
      if (c.TELEGRAM_WEBHOOK_PORT === undefined) {
        ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_PORT'], message: 'is required in webhook mode: the port the webhook listens on' });
      }
    }
    if (c.PUBLIC_URL !== undefined && c.HTTP_PORT === undefined) {
      ctx.addIssue({ code: 'custom', path: ['HTTP_PORT'], message: 'is required when PUBLIC_URL is set: the web dossier the links open is served on HTTP_PORT' });
    }
    if (c.DISCORD_PUBLIC_KEY !== undefined) {
      if (c.DISCORD_TOKEN === undefined) {
        ctx.addIssue({ code: 'custom', path: ['DISCORD_TOKEN'], message: 'is required with DISCORD_PUBLIC_KEY: follow-up messages are sent with it' });
      }
      if (c.HTTP_PORT === undefined) {
        ctx.addIssue({ code: 'custom', path: ['HTTP_PORT'], message: 'is required with DISCORD_PUBLIC_KEY: POST /interactions is served on it' });
      }
    }
    if (c.DIGEST_LEASE_MS <= c.SHUTDOWN_TIMEOUT_MS) {
      // A stopping instance stops renewing its claims; they must not lapse (and be taken over by
      // another instance) while it is still finishing its sends.
      ctx.addIssue({ code: 'custom', path: ['DIGEST_LEASE_MS'], message: `must be longer than SHUTDOWN_TIMEOUT_MS (${c.SHUTDOWN_TIMEOUT_MS} ms)` });
    }
    if (c.HTTP_PORT !== undefined && c.HTTP_PORT !== 0 && c.HTTP_PORT === c.TELEGRAM_WEBHOOK_PORT) {
      ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_PORT'], message: 'must differ from HTTP_PORT (the health and metrics port)' });
    }
  });

export type Config = z.infer<typeof configSchema>;

/** The name of every setting the schema knows, in the order `.env.example` lists them. */
export const SETTING_NAMES = Object.keys(configSchema.shape) as Array<keyof Config>;

/** Names of settings whose values must never be logged. */
export const SECRET_SETTINGS = ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'DISCORD_TOKEN', 'DATABASE_URL'] as const;

/** A configuration problem, with one line per bad setting. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'Fix it in the environment or in .env (see .env.example for every setting).',
    );
    this.name = 'ConfigError';
  }
}

/** Where {@link readEnvironment} looks: the working directory and the process environment. */
export interface EnvironmentSource {
  /** Folder holding `.env` (default: the working directory). */
  cwd?: string;
  /** Real environment variables; they win over `.env` (default: `process.env`). */
  env?: Record<string, string | undefined>;
}

/**
 * Merge `.env` under the real environment: a variable set in the environment always wins over
 * the file, and the file never changes `process.env`. The file is `DOTENV_PATH` when set
 * (it must then exist), otherwise `<cwd>/.env` when present.
 *
 * @example
 * const env = readEnvironment({ cwd: '/srv/dossier', env: { LOG_LEVEL: 'debug' } });
 * @throws {ConfigError} when `DOTENV_PATH` names a file that cannot be read.
 */
export function readEnvironment(source: EnvironmentSource = {}): Record<string, string | undefined> {
  const cwd = source.cwd ?? process.cwd();
  const env = source.env ?? process.env;
  const explicit = blankToUndefined(env.DOTENV_PATH);
  const path = explicit === undefined ? resolve(cwd, '.env') : isAbsolute(explicit) ? explicit : resolve(cwd, explicit);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (explicit === undefined && code === 'ENOENT') return { ...env };
    throw new ConfigError([
      `DOTENV_PATH ${code === 'ENOENT' ? 'names a file that does not exist' : `names a file that cannot be read (${code ?? 'error'})`}: ${path}. ` +
        'Point it at your settings file, or unset it to use ./.env',
    ]);
  }
  return { ...parseDotenv(text), ...env };
}

/**
 * Validate settings from an environment object.
 *
 * @example
 * const config = loadConfig(readEnvironment());
 * @throws {ConfigError} naming each bad setting and how to fix it.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const known: Record<string, string | undefined> = {};
  for (const name of SETTING_NAMES) known[name] = blankToUndefined(env[name]);
  const result = configSchema.safeParse(known);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || 'configuration';
    const value = known[name];
    const shown = value === undefined || isSecret(name) ? '' : ` (got "${printable(value)}")`;
    return `${name} ${issue.message}${shown}`;
  });
  throw new ConfigError([...new Set(problems)]);
}

/** The validated settings, and which of them the operator set (not left to their default). */
export interface Settings {
  config: Config;
  explicit: ReadonlySet<keyof Config>;
}

/**
 * Read and validate the configuration at start-up; on a {@link ConfigError}, print its message
 * (no stack trace) and exit with {@link EX_CONFIG}. Anything else is a bug and is rethrown.
 *
 * @example
 * const { config, explicit } = loadSettingsOrExit(); // in main.ts, before anything else starts
 * const level = explicit.has('LOG_LEVEL') ? config.LOG_LEVEL : 'warn';
 */
export function loadSettingsOrExit(
  options: EnvironmentSource & { stderr?: { write(text: string): unknown }; exit?: (code: number) => never } = {},
): Settings {
  try {
    const env = readEnvironment(options);
    const explicit = new Set(SETTING_NAMES.filter((name) => blankToUndefined(env[name]) !== undefined));
    return { config: loadConfig(env), explicit };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    (options.stderr ?? process.stderr).write(`${error.message}\n`);
    return (options.exit ?? process.exit)(EX_CONFIG);
  }
}

/**
 * {@link loadSettingsOrExit} for callers that need only the values.
 *
 * @example
 * const config = loadConfigOrExit();
 */
export function loadConfigOrExit(options: Parameters<typeof loadSettingsOrExit>[0] = {}): Config {
  return loadSettingsOrExit(options).config;
}

/**
 * A copy of the configuration that is safe to log: unset settings left out, each secret set shown as `[redacted]`.
 *
 * @example
 * logger.info({ settings: redactConfig(config) }, 'starting');
 */
export function redactConfig(config: Config): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(config)) {
    if (value !== undefined) copy[name] = isSecret(name) ? '[redacted]' : value;
  }
  return copy;
}

/** The values of the secrets that are set, so a logger can scrub them from any line. */
export function secretValues(config: Partial<Config>): string[] {
  return SECRET_SETTINGS.map((name) => config[name]).filter((v): v is string => typeof v === 'string' && v.length >= 6);
}

function isSecret(name: string): boolean {
  return (SECRET_SETTINGS as readonly string[]).includes(name);
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** The offending value as one short, printable line (it is echoed back to the operator). */
function printable(value: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 80 ? `${clean.slice(0, 79)}…` : clean;
}
