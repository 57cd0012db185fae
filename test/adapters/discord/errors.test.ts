/**
 * What discord.js really throws, against the fake Discord, mapped to the delivery error kinds.
 */
import { Client, REST, Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toDeliveryError } from '../../../src/adapters/discord/errors.js';
import { FakeDiscord, type InjectedError } from '../../fakes/discord-api.js';

const CHANNEL = '300000000000000777';
let discord: FakeDiscord;

beforeEach(async () => {
  discord = await FakeDiscord.start();
});
afterEach(async () => {
  await discord.close();
});

/** What posting a message through a REST client with these options throws, mapped. */
async function postFailure(options: { token?: string; rejectOnRateLimit?: boolean; api?: string } = {}) {
  const rest = new REST({ api: options.api ?? discord.apiUrl, retries: 0, ...(options.rejectOnRateLimit === true ? { rejectOnRateLimit: () => true } : {}) }).setToken(options.token ?? discord.token);
  const thrown = await rest.post(Routes.channelMessages(CHANNEL), { body: { content: 'x' } }).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(thrown).toBeDefined();
  return toDeliveryError(thrown, CHANNEL);
}

const inject = (error: Omit<InjectedError, 'method' | 'path'>) => discord.injectError({ method: 'POST', path: /^\/channels\/\d+\/messages$/, ...error });

describe('toDeliveryError', () => {
  it.each([
    { said: '403 Missing Access', status: 403, code: 50001, kind: 'forbidden', permanent: true, hint: 'give it View Channel' },
    { said: '403 Cannot send messages to this user', status: 403, code: 50007, kind: 'forbidden', permanent: true, hint: 'unsubscribe the channel' },
    { said: '404 Unknown Channel', status: 404, code: 10003, kind: 'not-found', permanent: true, hint: 'no longer exists' },
    { said: '400 Invalid Form Body', status: 400, code: 50035, kind: 'invalid', permanent: false, hint: 'This is a bug in the bot' },
    { said: '500 (after discord.js’s retries)', status: 500, code: undefined, kind: 'transient', permanent: false, hint: 'will retry' },
  ] as const)('maps $said to "$kind"', async ({ status, code, kind, permanent, hint }) => {
    inject({ status, ...(code === undefined ? {} : { code }), times: 5 });
    const failure = await postFailure();
    expect(failure.kind).toBe(kind);
    expect(failure.permanent).toBe(permanent);
    expect(failure.message).toContain(CHANNEL);
    expect(failure.message).toContain(hint);
  });

  it('maps a rejected token to "invalid" (no channel is to blame) and says which setting to fix', async () => {
    const failure = await postFailure({ token: 'wrong-token' });
    expect(failure.kind).toBe('invalid');
    expect(failure.permanent).toBe(false);
    expect(failure.message).toContain('DISCORD_TOKEN');
    expect(failure.message).not.toContain('bug in the bot');
  });

  it('maps a login with a rejected token the same way', async () => {
    const client = new Client({ intents: [], rest: { api: discord.apiUrl } });
    try {
      const thrown = await client.login('wrong-token').then(
        () => undefined,
        (error: unknown) => error,
      );
      const failure = toDeliveryError(thrown, '');
      expect(failure.kind).toBe('invalid');
      expect(failure.message).toContain('DISCORD_TOKEN');
    } finally {
      await client.destroy();
    }
  });

  it('maps a rate limit discord.js was told not to wait out to "rate-limited", with the wait', async () => {
    inject({ status: 429, retryAfter: 2 });
    const failure = await postFailure({ rejectOnRateLimit: true });
    expect(failure.kind).toBe('rate-limited');
    expect(failure.details.retryAfterMs).toBeGreaterThanOrEqual(1900);
  });

  it('maps an unreachable Discord to "transient"', async () => {
    const closed = await FakeDiscord.start();
    const api = closed.apiUrl;
    await closed.close();
    const failure = await postFailure({ api });
    expect(failure.kind).toBe('transient');
    expect(failure.message).toContain('Could not reach Discord');
  });
});
