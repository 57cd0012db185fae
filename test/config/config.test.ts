import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  EX_CONFIG,
  SECRET_SETTINGS,
  SETTING_NAMES,
  loadConfig,
  loadConfigOrExit,
  loadSettingsOrExit,
  readEnvironment,
  redactConfig,
  secretValues,
} from '../../src/config/config.js';

const TELEGRAM_BOT_TOKEN = '123456789:AAH-secret-token-value_xyz';

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'dossier-config-'));
}

describe('loadConfig', () => {
  it('runs on defaults when nothing is set: console only, no HTTP port', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      DATA_DIR: 'data',
      STORY: 'panjshir',
      DATABASE_PATH: 'var/dossier.sqlite',
      LOG_LEVEL: 'info',
      CONSOLE: 'auto',
      HTTP_HOST: '0.0.0.0',
      DIGEST_TIMEZONE: 'Asia/Kabul',
      SHUTDOWN_TIMEOUT_MS: 10_000,
    });
    expect(config.HTTP_PORT).toBeUndefined();
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it('treats blank values as unset, so a copied .env.example means "defaults"', () => {
    const config = loadConfig({ LOG_LEVEL: '', HTTP_PORT: '  ', DATA_DIR: '', TELEGRAM_BOT_TOKEN: '' });
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.HTTP_PORT).toBeUndefined();
    expect(config.DATA_DIR).toBe('data');
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it('reads numbers and trims text', () => {
    const config = loadConfig({ HTTP_PORT: '8080', SHUTDOWN_TIMEOUT_MS: '2500', STORY: ' panjshir ' });
    expect(config.HTTP_PORT).toBe(8080);
    expect(config.SHUTDOWN_TIMEOUT_MS).toBe(2500);
    expect(config.STORY).toBe('panjshir');
  });

  it('ignores variables it does not know (the environment holds many)', () => {
    expect(() => loadConfig({ PATH: '/usr/bin', HOME: '/root', npm_config_foo: 'x' })).not.toThrow();
  });

  it.each([
    ['LOG_LEVEL', 'loud', 'must be one of: fatal, error, warn, info, debug, trace, silent'],
    ['LOG_FORMAT', 'xml', 'must be one of: json, pretty'],
    ['CONSOLE', 'yes', 'must be one of: auto, on, off'],
    ['HTTP_PORT', 'eighty', 'must be a port number from 0 to 65535'],
    ['HTTP_PORT', '70000', 'must be a port number from 0 to 65535'],
    ['HTTP_PORT', '80.5', 'must be a port number from 0 to 65535'],
    ['DIGEST_TIMEZONE', 'Mars/Olympus', 'must be an IANA time zone'],
    ['SHUTDOWN_TIMEOUT_MS', '-1', 'must be a whole number of milliseconds'],
    ['TELEGRAM_API_ROOT', 'api.telegram.org', 'must be an http(s) URL'],
    ['DISCORD_APPLICATION_ID', 'my-app', 'must be the numeric application id'],
    ['STORY', '../etc', 'must be a story folder name'],
  ])('names %s and the fix when it is %j', (name, value, fix) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
    expect(problems[0]).toContain(fix);
    expect(problems[0]).toContain(`(got "${value}")`);
  });

  it('lists every bad setting at once, one line each, and says where to fix them', () => {
    try {
      loadConfig({ LOG_LEVEL: 'loud', HTTP_PORT: 'x' });
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message.split('\n').filter((l) => l.startsWith('  - '))).toHaveLength(2);
      expect(message).toContain('.env.example');
    }
  });

  it('never echoes a secret value back, even a malformed one', () => {
    const problems = problemsOf({ TELEGRAM_BOT_TOKEN: 'not a token at all', DISCORD_TOKEN: 'Bot abc def' });
    const text = problems.join('\n');
    expect(text).toContain('TELEGRAM_BOT_TOKEN');
    expect(text).toContain('DISCORD_TOKEN');
    expect(text).not.toContain('not a token at all');
    expect(text).not.toContain('abc def');
  });

  it('requires the settings that go together', () => {
    expect(problemsOf({ DISCORD_TOKEN: 'MTk4.abc.def' })[0]).toMatch(/^DISCORD_APPLICATION_ID is required when DISCORD_TOKEN is set/);
    const webhook = problemsOf({ TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram' });
    expect(webhook.map((p) => p.split(' ')[0]).sort()).toEqual(['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_PORT', 'TELEGRAM_WEBHOOK_SECRET']);
  });

  it('takes PUBLIC_URL as the web dossier\'s address: http(s), a path allowed, trailing slashes dropped, HTTP_PORT required', () => {
    expect(loadConfig({ HTTP_PORT: '8080', PUBLIC_URL: 'https://dossier.example.org/panjshir/' }).PUBLIC_URL).toBe('https://dossier.example.org/panjshir');
    expect(loadConfig({}).PUBLIC_URL).toBeUndefined();
    for (const bad of ['dossier.example.org', 'ftp://dossier.example.org', 'https://dossier.example.org/?a=1', 'https://dossier.example.org/#top', 'https://user:pw@dossier.example.org', 'https://']) {
      const problems = problemsOf({ HTTP_PORT: '8080', PUBLIC_URL: bad });
      expect(problems, bad).toHaveLength(1);
      expect(problems[0], bad).toContain('PUBLIC_URL must be the http(s) address people open the web dossier at');
    }
    expect(problemsOf({ PUBLIC_URL: 'https://dossier.example.org' })).toEqual(['HTTP_PORT is required when PUBLIC_URL is set: the web dossier the links open is served on HTTP_PORT']);
  });

  it('refuses the same port for health/metrics and the Telegram webhook', () => {
    const problems = problemsOf({
      HTTP_PORT: '8080',
      TELEGRAM_WEBHOOK_PORT: '8080',
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram',
      TELEGRAM_WEBHOOK_SECRET: 's3cret',
      TELEGRAM_BOT_TOKEN,
    });
    expect(problems).toEqual(['TELEGRAM_WEBHOOK_PORT must differ from HTTP_PORT (the health and metrics port) (got "8080")']);
  });

  it('shows control characters in a bad value as ? so the message stays one line', () => {
    const [problem] = problemsOf({ LOG_LEVEL: 'info\nLOG_LEVEL=debug\u001b[31m' });
    expect(problem).not.toContain('\n');
    expect(problem).not.toContain('\u001b');
    expect(problem).toContain('info?LOG_LEVEL=debug?[31m');
  });
});

describe('readEnvironment', () => {
  it('reads .env from the working directory, under the real environment', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, '.env'), 'LOG_LEVEL=debug\nSTORY=from-file\n# a comment\nHTTP_PORT="9090"\n');
    const env = readEnvironment({ cwd, env: { STORY: 'from-env' } });
    expect(env.LOG_LEVEL).toBe('debug');
    expect(env.HTTP_PORT).toBe('9090');
    expect(env.STORY).toBe('from-env');
  });

  it('does not change the environment object it was given', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, '.env'), 'LOG_LEVEL=debug\n');
    const real = { STORY: 'x' };
    readEnvironment({ cwd, env: real });
    expect(real).toEqual({ STORY: 'x' });
  });

  it('works without a .env file', () => {
    expect(readEnvironment({ cwd: tempDir(), env: { A: '1' } })).toEqual({ A: '1' });
  });

  it('reads the file DOTENV_PATH names, relative to the working directory', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, '.env'), 'LOG_LEVEL=debug\n');
    writeFileSync(join(cwd, 'prod.env'), 'LOG_LEVEL=warn\n');
    expect(readEnvironment({ cwd, env: { DOTENV_PATH: 'prod.env' } }).LOG_LEVEL).toBe('warn');
    expect(readEnvironment({ cwd: tempDir(), env: { DOTENV_PATH: join(cwd, 'prod.env') } }).LOG_LEVEL).toBe('warn');
  });

  it('stops with a ConfigError naming DOTENV_PATH when its file is missing', () => {
    expect(() => readEnvironment({ cwd: tempDir(), env: { DOTENV_PATH: 'missing.env' } })).toThrow(/DOTENV_PATH names a file that does not exist/);
  });
});

describe('loadConfigOrExit', () => {
  class Exited extends Error {
    constructor(readonly code: number) {
      super(`exit ${code}`);
    }
  }
  const exit = (code: number): never => {
    throw new Exited(code);
  };

  it('prints the message (no stack trace) and exits with 78 on a bad setting', () => {
    let stderr = '';
    const run = () => loadConfigOrExit({ cwd: tempDir(), env: { HTTP_PORT: 'abc' }, stderr: { write: (t: string) => (stderr += t) }, exit });
    expect(run).toThrow(Exited);
    try {
      run();
    } catch (error) {
      expect((error as Exited).code).toBe(EX_CONFIG);
    }
    expect(EX_CONFIG).toBe(78);
    expect(stderr).toContain('HTTP_PORT must be a port number');
    expect(stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  });

  it('returns the configuration when it is valid', () => {
    const config = loadConfigOrExit({ cwd: tempDir(), env: { HTTP_PORT: '8080' }, exit });
    expect(config.HTTP_PORT).toBe(8080);
  });

  it('says which settings the operator set, in the environment or .env, blank ones not counted', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, '.env'), 'LOG_LEVEL=debug\nSTORY=\n');
    const { config, explicit } = loadSettingsOrExit({ cwd, env: { HTTP_PORT: '8080', CONSOLE: '  ' }, exit });
    expect(config.LOG_LEVEL).toBe('debug');
    expect([...explicit].sort()).toEqual(['HTTP_PORT', 'LOG_LEVEL']);
    expect(loadSettingsOrExit({ cwd: tempDir(), env: {}, exit }).explicit.size).toBe(0);
  });
});

describe('secrets', () => {
  it('redactConfig hides each secret that is set and keeps everything else', () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN, LOG_LEVEL: 'debug' });
    const safe = redactConfig(config);
    expect(safe.TELEGRAM_BOT_TOKEN).toBe('[redacted]');
    expect(safe.DISCORD_TOKEN).toBeUndefined();
    expect(safe.LOG_LEVEL).toBe('debug');
    expect(JSON.stringify(safe)).not.toContain('secret-token');
  });

  it('secretValues lists the secret values to scrub from logs', () => {
    expect(secretValues(loadConfig({ TELEGRAM_BOT_TOKEN }))).toEqual([TELEGRAM_BOT_TOKEN]);
  });
});

describe('.env.example', () => {
  const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');

  it('lists every setting, each with a comment above it', () => {
    const lines = example.split('\n');
    for (const name of [...SETTING_NAMES, 'DOTENV_PATH']) {
      const index = lines.findIndex((l) => new RegExp(`^#?\\s*${name}=`).test(l));
      expect(index, `${name} is missing from .env.example`).toBeGreaterThan(0);
      expect(lines[index - 1], `${name} needs a comment`).toMatch(/^#/);
    }
  });

  it('holds no real secret and is a valid configuration as it stands', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, '.env'), example);
    const config = loadConfig(readEnvironment({ cwd, env: {} }));
    for (const name of SECRET_SETTINGS) expect(config[name]).toBeUndefined();
  });
});

describe('settings for several instances', () => {
  it('takes a PostgreSQL URL, and says what a bad one should look like without echoing it (it may hold a password)', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://dossier:pw@db:5432/dossier' }).DATABASE_URL).toBe('postgres://dossier:pw@db:5432/dossier');
    expect(loadConfig({}).DATABASE_URL).toBeUndefined();
    const error = (() => {
      try {
        loadConfig({ DATABASE_URL: 'mysql://root:secret@db/dossier' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).toContain('DATABASE_URL must be a PostgreSQL connection string');
    expect(error?.message).not.toContain('secret');
  });

  it('needs the Discord token and the HTTP port with DISCORD_PUBLIC_KEY, and a lease longer than the graceful stop', () => {
    const key = 'a'.repeat(64);
    expect(() => loadConfig({ DISCORD_PUBLIC_KEY: key })).toThrow(/DISCORD_TOKEN is required with DISCORD_PUBLIC_KEY[\s\S]*HTTP_PORT is required with DISCORD_PUBLIC_KEY/);
    expect(() => loadConfig({ DISCORD_PUBLIC_KEY: 'not-hex' })).toThrow(/DISCORD_PUBLIC_KEY must be the 64 hexadecimal characters/);
    expect(loadConfig({ DISCORD_PUBLIC_KEY: key, DISCORD_TOKEN: 't.o.k', DISCORD_APPLICATION_ID: '123456789012345678', HTTP_PORT: '8080' }).DISCORD_PUBLIC_KEY).toBe(key);
    expect(() => loadConfig({ DIGEST_LEASE_MS: '5000', SHUTDOWN_TIMEOUT_MS: '10000' })).toThrow(/DIGEST_LEASE_MS must be longer than SHUTDOWN_TIMEOUT_MS \(10000 ms\)/);
  });
});
