import { GrammyError, HttpError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { commandFitsCallbackData, fitsCallbackData, inlineKeyboard } from '../../../src/adapters/telegram/callback-data.js';
import { createFollowUpKeys } from '../../../src/adapters/follow-up-keys.js';
import { reply } from '../../../src/replies/reply.js';
import { openSqliteStore } from '../../../src/storage/sqlite.js';
import { editRefusal, failsForGood, toDeliveryError } from '../../../src/adapters/telegram/errors.js';
import { addressedText } from '../../../src/adapters/telegram/handlers.js';

const me = { username: 'DossierBot', id: 77 };
const privateChat = { id: 5, type: 'private' as const, first_name: 'A' };
const group = { id: -100, type: 'supergroup' as const, title: 'G' };

function grammyError(code: number, description: string, parameters: Record<string, number> = {}): GrammyError {
  return new GrammyError('Call failed', { ok: false, error_code: code, description, parameters }, 'sendMessage', {});
}

describe('addressedText: which messages are for the bot', () => {
  it('private chats: everything, with plain questions; /start means /help', () => {
    expect(addressedText({ text: 'who is massoud?', chat: privateChat }, me)).toEqual({ text: 'who is massoud?', questions: true });
    expect(addressedText({ text: '/start', chat: privateChat }, me)).toMatchObject({ text: '/help' });
    expect(addressedText({ text: '/start@DossierBot payload', chat: privateChat }, me)).toMatchObject({ text: '/help' });
  });

  it('groups: commands (not for other bots), mentions with the mention removed, replies to the bot', () => {
    expect(addressedText({ text: '/who massoud', chat: group }, me)).toEqual({ text: '/who massoud', questions: false });
    expect(addressedText({ text: '/who@dossierbot massoud', chat: group }, me)).toMatchObject({ text: '/who@dossierbot massoud' });
    expect(addressedText({ text: '/who@OtherBot massoud', chat: group }, me)).toBeNull();
    expect(addressedText({ text: '@DossierBot who is massoud', chat: group }, me)).toEqual({ text: 'who is massoud', questions: true });
    expect(addressedText({ text: 'hey @DossierBot, where is bazarak?', chat: group }, me)).toMatchObject({ text: 'hey where is bazarak?' });
    expect(addressedText({ text: 'ask @DossierBotFan instead', chat: group }, me)).toBeNull();
    expect(addressedText({ text: 'who is saleh', chat: group }, me)).toBeNull();
    const replyToBot = { message_id: 1, date: 0, chat: group, from: { id: 77, is_bot: true, first_name: 'Dossier' }, text: 'x', reply_to_message: undefined } as const;
    expect(addressedText({ text: 'who is saleh', chat: group, reply_to_message: replyToBot }, me)).toMatchObject({ text: 'who is saleh', questions: true });
  });
});

describe('callback data', () => {
  it('is the command line itself up to 64 bytes, counted in bytes, starting with a slash', () => {
    const fits = `/search ${'a'.repeat(64 - 8)}`;
    expect(Buffer.byteLength(fits)).toBe(64);
    expect(commandFitsCallbackData(fits)).toBe(true);
    expect(commandFitsCallbackData(`${fits}a`)).toBe(false);
    // 43 characters, 75 bytes: each Arabic-script letter takes two.
    const dari = '/who احمد مسعود احمد مسعود احمد مسعود مسعود';
    expect([...dari].length).toBeLessThan(64);
    expect(Buffer.byteLength(dari)).toBeGreaterThan(64);
    expect(commandFitsCallbackData(dari)).toBe(false);
    expect(commandFitsCallbackData('who massoud')).toBe(false);
    // A key stands in for a longer command; nothing else is callback data of ours.
    expect(fitsCallbackData('k:AbCdEf012345')).toBe(true);
    expect(fitsCallbackData('who massoud')).toBe(false);
  });

  it('reads back a command line or a kept key, and nothing else (an unknown key, another bot’s data)', async () => {
    const store = openSqliteStore(':memory:');
    const keys = createFollowUpKeys(store, { now: () => new Date('2021-09-01T08:00:00Z') });
    const long = `/search ${'resistance fighters of the valley '.repeat(3).trim()} page:2`;
    const shown = await keys.keyed(reply({ kind: 'answer', title: 't', actions: [{ label: 'More results', command: long }, { label: 'short', command: '/sources' }] }), commandFitsCallbackData);
    const [keyed, short] = shown.actions;
    expect(keyed?.command).toMatch(/^k:[\w-]{1,16}$/);
    expect(short?.command).toBe('/sources');
    expect(await keys.commandOf(keyed?.command ?? '')).toBe(long);
    expect(await keys.commandOf('/who id:ahmad-shah-massoud')).toBe('/who id:ahmad-shah-massoud');
    expect(await keys.commandOf('k:1a')).toBeUndefined();
    expect(await keys.commandOf('')).toBeUndefined();
    store.close();
  });

  it('builds an inline keyboard only when there are buttons', () => {
    expect(inlineKeyboard([])).toBeUndefined();
    expect(inlineKeyboard([[{ label: 'More', command: '/quote x' }]])).toEqual({ inline_keyboard: [[{ text: 'More', callback_data: '/quote x' }]] });
  });
});

describe('toDeliveryError: every Telegram failure gets a kind', () => {
  it.each([
    [429, 'Too Many Requests: retry after 7', { retry_after: 7 }, 'rate-limited'],
    [403, 'Forbidden: bot was blocked by the user', {}, 'forbidden'],
    [403, 'Forbidden: bot was kicked from the group chat', {}, 'forbidden'],
    [403, 'Forbidden: user is deactivated', {}, 'forbidden'],
    [400, 'Bad Request: not enough rights to send text messages to the chat', {}, 'forbidden'],
    [400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -1009 }, 'migrated'],
    [400, 'Bad Request: chat not found', {}, 'not-found'],
    [500, 'Internal Server Error', {}, 'transient'],
    [502, 'Bad Gateway', {}, 'transient'],
    [400, "Bad Request: can't parse entities: unsupported start tag", {}, 'invalid'],
    [401, 'Unauthorized', {}, 'invalid'],
  ] as const)('%i %s → %s', (code, description, parameters, kind) => {
    const error = toDeliveryError(grammyError(code, description, parameters), '42');
    expect(error.kind).toBe(kind);
    expect(error.message).toContain('42');
  });

  it('keeps retry-after and the new chat id', () => {
    expect(toDeliveryError(grammyError(429, 'Too Many Requests', { retry_after: 7 }), '1').details.retryAfterMs).toBe(7_000);
    expect(toDeliveryError(grammyError(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -1009 }), '1').details.migratedTo).toBe('-1009');
  });

  it('a network failure is transient', () => {
    expect(toDeliveryError(new HttpError('Network request failed', new Error('ECONNREFUSED')), '1').kind).toBe('transient');
  });
});

describe('editRefusal: an edit Telegram refused is not always a failure', () => {
  it('nothing changed → unchanged; a message gone or too old → not-editable; anything else is a real failure', () => {
    expect(editRefusal(grammyError(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same'))).toBe('unchanged');
    expect(editRefusal(grammyError(400, 'Bad Request: message to edit not found'))).toBe('not-editable');
    expect(editRefusal(grammyError(400, "Bad Request: message can't be edited"))).toBe('not-editable');
    expect(editRefusal(grammyError(400, 'Bad Request: MESSAGE_ID_INVALID'))).toBe('not-editable');
    expect(editRefusal(grammyError(403, 'Forbidden: bot was blocked by the user'))).toBeUndefined();
    expect(editRefusal(new HttpError('Network request failed', new Error('ECONNRESET')))).toBeUndefined();
  });
});

describe('failsForGood: which start-up failures are not worth retrying', () => {
  it('a rejected token or request is final; a flood wait, a 5xx or an unreachable Telegram is retried', () => {
    expect(failsForGood(grammyError(401, 'Unauthorized'))).toBe(true);
    expect(failsForGood(grammyError(404, 'Not Found'))).toBe(true);
    expect(failsForGood(grammyError(400, 'Bad Request: BOT_COMMAND_INVALID'))).toBe(true);
    expect(failsForGood(grammyError(400, 'Bad Request: flood', { retry_after: 3 }))).toBe(false);
    expect(failsForGood(grammyError(429, 'Too Many Requests', { retry_after: 3 }))).toBe(false);
    expect(failsForGood(grammyError(502, 'Bad Gateway'))).toBe(false);
    expect(failsForGood(new HttpError('Network request failed', new Error('ECONNREFUSED')))).toBe(false);
  });
});
