/**
 * Every setting, read from the environment (and `.env`), validated once at start with zod.
 * A bad or missing value stops the process with one message naming the setting and the fix.
 */
import { z } from 'zod';

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** An optional port: unset or empty means "off". */
const optionalPort = optionalText.pipe(
  z.coerce
    .number<string | undefined>({ message: 'must be a port number from 0 to 65535' })
    .int('must be a port number from 0 to 65535')
    .min(0, 'must be a port number from 0 to 65535')
    .max(65535, 'must be a port number from 0 to 65535')
    .optional(),
);

const url = (what: string) =>
  optionalText.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), {
    message: `must be an http(s) URL of ${what}`,
  });

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The schema of every setting; `.env.example` documents each one. */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATA_DIR: z.string().trim().min(1).default('data'),
    STORY: z.string().trim().min(1).default('panjshir'),
    DATABASE_PATH: z.string().trim().min(1).default('var/dossier.sqlite'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
    /** `auto`: the console chat runs when standard input is a terminal or no platform is configured. */
    CONSOLE: z.enum(['auto', 'on', 'off']).default('auto'),
    HTTP_PORT: optionalPort,
    HTTP_HOST: z.string().trim().min(1).default('0.0.0.0'),

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

    DISCORD_TOKEN: optionalText,
    DISCORD_APPLICATION_ID: optionalText.refine((v) => v === undefined || /^\d{5,25}$/.test(v), {
      message: 'must be the numeric application id from the Discord developer portal',
    }),
    DISCORD_API_URL: url('a Discord REST API, ending in /api'),

    DIGEST_TIMEZONE: z
      .string()
      .trim()
      .default('Asia/Kabul')
      .refine(isTimeZone, { message: 'must be an IANA time zone such as Asia/Kabul or Europe/Dublin' }),
    DIGEST_MISSED_SLOTS: z.enum(['latest', 'skip']).default('latest'),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
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
  });

export type Config = z.infer<typeof configSchema>;

/** Names of settings whose values must never be logged. */
export const SECRET_SETTINGS = ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'DISCORD_TOKEN'] as const;

/** A configuration problem, with one line per bad setting. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every setting.`);
    this.name = 'ConfigError';
  }
}

/**
 * Validate settings from an environment object.
 *
 * @example
 * const config = loadConfig(process.env);
 * @throws {ConfigError} naming each bad setting and how to fix it.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || 'configuration';
    const value = env[name];
    const shown = value === undefined || (SECRET_SETTINGS as readonly string[]).includes(name) ? '' : ` (got "${value}")`;
    return `${name} ${issue.message}${shown}`;
  });
  throw new ConfigError(problems);
}
