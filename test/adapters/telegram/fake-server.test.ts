/**
 * The fake Bot API server behaves like Telegram where the adapter tests depend on it: envelopes,
 * form bodies, long polling that holds and honours offset, conflicts, and Telegram's own checks.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeTelegramBotApi } from '../../fakes/telegram-bot-api.js';
import { ALICE } from '../../fakes/telegram-updates.js';

let fake: FakeTelegramBotApi;
beforeEach(async () => {
  fake = await FakeTelegramBotApi.start();
});
afterEach(async () => fake.close());

async function call(method: string, params: Record<string, unknown> = {}, token = fake.token) {
  const response = await fetch(`${fake.apiRoot}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('FakeTelegramBotApi', () => {
  it('answers in Telegram envelopes, 401 for a wrong token, and accepts form bodies with JSON fields', async () => {
    expect((await call('getMe')).body).toMatchObject({ ok: true, result: { username: fake.botUser.username, is_bot: true } });
    expect(await call('getMe', {}, '1:wrong')).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    const form = new URLSearchParams({ chat_id: '5', text: '<b>x</b>', parse_mode: 'HTML', reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'a', callback_data: '/x' }]] }) });
    const response = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    expect(fake.sent('5')[0]).toMatchObject({ text: 'x', replyMarkup: { inline_keyboard: [[{ text: 'a', callback_data: '/x' }]] } });
  });

  it('holds getUpdates until an update is queued, and forgets updates below the offset', async () => {
    const started = Date.now();
    const polling = call('getUpdates', { timeout: 5 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const update = fake.privateMessage('/who massoud');
    const first = await polling;
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(first.body.result).toEqual([update]);
    expect((await call('getUpdates', { offset: update.update_id, timeout: 0 })).body.result).toEqual([update]);
    expect((await call('getUpdates', { offset: update.update_id + 1, timeout: 0 })).body.result).toEqual([]);
  });

  it('answers an idle long poll with [] after its timeout, and ends a held poll when another arrives', async () => {
    const started = Date.now();
    expect((await call('getUpdates', { timeout: 1 })).body.result).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    const held = call('getUpdates', { timeout: 5 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = call('getUpdates', { timeout: 0 });
    expect((await held).body).toMatchObject({ ok: false, error_code: 409 });
    expect((await second).body.ok).toBe(true);
  });

  it('refuses what Telegram refuses: bad HTML, too long, empty, oversized callback data, too many results', async () => {
    expect((await call('sendMessage', { chat_id: 1, text: '<b>x', parse_mode: 'HTML' })).body.description).toMatch(/can't parse entities/);
    expect((await call('sendMessage', { chat_id: 1, text: 'a & b', parse_mode: 'HTML' })).body.description).toMatch(/can't parse entities/);
    expect((await call('sendMessage', { chat_id: 1, text: 'x'.repeat(4097) })).body.description).toBe('Bad Request: message is too long');
    expect((await call('sendMessage', { chat_id: 1, text: ' ' })).body.description).toBe('Bad Request: message text is empty');
    const keyboard = { inline_keyboard: [[{ text: 'b', callback_data: 'x'.repeat(65) }]] };
    expect((await call('sendMessage', { chat_id: 1, text: 'x', reply_markup: keyboard })).body.description).toBe('Bad Request: BUTTON_DATA_INVALID');
    const query = fake.inlineQuery('q');
    const results = Array.from({ length: 51 }, (_, i) => ({ type: 'article', id: String(i), title: 't', input_message_content: { message_text: 'm' } }));
    expect((await call('answerInlineQuery', { inline_query_id: query.inline_query.id, results })).body.description).toBe('Bad Request: RESULTS_TOO_MUCH');
    expect((await call('setMyCommands', { commands: [{ command: 'Bad-Name', description: 'd' }] })).body.description).toBe('Bad Request: BOT_COMMAND_INVALID');
  });

  it('injects failures for the next calls of a method, then recovers', async () => {
    fake.failNext('sendMessage', { kind: 'rate-limit', retryAfter: 3 });
    fake.failNext('sendMessage', { kind: 'migrate', migrateTo: -1009 });
    expect((await call('sendMessage', { chat_id: 1, text: 'x' })).body).toEqual({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 3',
      parameters: { retry_after: 3 },
    });
    expect((await call('sendMessage', { chat_id: 1, text: 'x' })).body).toMatchObject({ error_code: 400, parameters: { migrate_to_chat_id: -1009 } });
    expect((await call('sendMessage', { chat_id: 1, text: 'x' })).body.ok).toBe(true);
    fake.blockChat(ALICE.id);
    expect((await call('sendMessage', { chat_id: ALICE.id, text: 'x' })).body).toMatchObject({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    expect(fake.calls.map((c) => c.method)).toEqual(['sendMessage', 'sendMessage', 'sendMessage', 'sendMessage']);
  });

  it('refuses getUpdates while a webhook is set', async () => {
    await call('setWebhook', { url: 'http://127.0.0.1:9/hook', secret_token: 's' });
    expect(fake.webhook).toEqual({ url: 'http://127.0.0.1:9/hook', secret: 's' });
    expect((await call('getUpdates')).body).toMatchObject({ ok: false, error_code: 409 });
    await call('deleteWebhook');
    expect((await call('getUpdates')).body.ok).toBe(true);
  });
});
