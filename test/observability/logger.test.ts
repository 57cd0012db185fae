import { describe, expect, it } from 'vitest';
import { loadConfig, redactConfig, secretValues } from '../../src/config/config.js';
import { createLogger, REDACTED } from '../../src/observability/logger.js';
import { captureLines } from './log-capture.js';

const TELEGRAM_BOT_TOKEN = '987654321:AAE-very-secret-telegram-token';
const DISCORD_TOKEN = 'MTk4NjIy.discord-secret.ZnCjm1XVW7vRze4b7Cq4se7kKWs';
const TELEGRAM_WEBHOOK_SECRET = 'webhook_secret_value_123';

const config = loadConfig({
  TELEGRAM_BOT_TOKEN,
  DISCORD_TOKEN,
  DISCORD_APPLICATION_ID: '123456789012345678',
  TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/hook',
  TELEGRAM_WEBHOOK_PORT: '8443',
  TELEGRAM_WEBHOOK_SECRET,
});

function expectNoSecrets(text: string): void {
  expect(text).not.toContain(TELEGRAM_BOT_TOKEN);
  expect(text).not.toContain('very-secret');
  expect(text).not.toContain('discord-secret');
  expect(text).not.toContain(TELEGRAM_WEBHOOK_SECRET);
}

describe('createLogger', () => {
  it('writes one JSON object per line with level, time and message', () => {
    const out = captureLines();
    const logger = createLogger({ format: 'json', destination: out });
    logger.info({ platform: 'telegram' }, 'connected');
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]?.endsWith('\n')).toBe(true);
    expect(out.records()[0]).toMatchObject({ level: 30, msg: 'connected', platform: 'telegram' });
    expect(typeof out.records()[0]?.time).toBe('number');
  });

  it('honours the level', () => {
    const out = captureLines();
    const logger = createLogger({ format: 'json', level: 'warn', destination: out });
    logger.info('hidden');
    logger.warn('shown');
    expect(out.records().map((r) => r.msg)).toEqual(['shown']);
  });

  it('never writes a secret when the whole configuration is logged, at the top or nested', () => {
    const out = captureLines();
    const logger = createLogger({ format: 'json', destination: out });
    logger.info(config, 'settings at the top level');
    logger.info({ config }, 'settings nested');
    logger.info({ settings: { deeper: config } }, 'settings nested twice');
    expectNoSecrets(out.text());
    expect(out.records()[0]?.TELEGRAM_BOT_TOKEN).toBe(REDACTED);
    expect((out.records()[1]?.config as Record<string, unknown>).DISCORD_TOKEN).toBe(REDACTED);
  });

  it('scrubs configured secret values from messages, errors and URLs too', () => {
    const out = captureLines();
    const logger = createLogger({ format: 'json', destination: out, secrets: secretValues(config) });
    const error = new Error(`request to https://api.telegram.org/bot${TELEGRAM_BOT_TOKEN}/getMe failed`);
    logger.error({ err: error, url: `/bot${TELEGRAM_BOT_TOKEN}/getUpdates` }, `gave up on ${DISCORD_TOKEN}`);
    logger.info({ a: { b: { c: { d: config } } } }, 'settings nested deeper than any redaction path');
    expectNoSecrets(out.text());
    expect(out.text()).toContain(`/bot${REDACTED}/getMe`);
  });

  it('redactConfig output is safe to log as is', () => {
    const out = captureLines();
    createLogger({ format: 'json', destination: out }).info({ settings: redactConfig(config) }, 'starting');
    expectNoSecrets(out.text());
  });

  it('logs an error with its cause chain', () => {
    const out = captureLines();
    const logger = createLogger({ format: 'json', destination: out });
    const cause = new Error('ECONNRESET');
    logger.error({ err: new Error('sendMessage failed', { cause }) }, 'delivery failed');
    const err = out.records()[0]?.err as { message: string; type: string; stack: string; cause: { message: string } };
    expect(err.message).toBe('sendMessage failed');
    expect(err.type).toBe('Error');
    expect(err.stack).toContain('sendMessage failed');
    expect(err.cause.message).toBe('ECONNRESET');
  });

  it('pretty format writes readable lines for people, not JSON', () => {
    const out = captureLines();
    const logger = createLogger({ format: 'pretty', destination: out, secrets: [TELEGRAM_BOT_TOKEN] });
    logger.info({ platform: 'telegram', token: TELEGRAM_BOT_TOKEN }, 'connected');
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatch(/INFO.*connected/);
    expect(() => JSON.parse(out.lines[0] ?? '')).toThrow();
    expectNoSecrets(out.text());
  });
});
