import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/delivery/types.js';
import { reply } from '../../../src/replies/reply.js';
import { checkTelegramHtml } from '../../fakes/telegram-html.js';
import { ALICE, BOB, GROUP, OLD_GROUP, privateChatOf } from '../../fakes/telegram-updates.js';
import { NOW, startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const notice = reply({ kind: 'notice', title: 'Digest: nothing new.' });

describe('429: waits retry_after, then succeeds', () => {
  it('auto-retry resends after retry_after seconds and the user gets the answer once', async () => {
    h = await startHarness();
    h.telegram.failNext('sendMessage', { kind: 'rate-limit', retryAfter: 1 });
    h.telegram.privateMessage('/where bazarak');
    const [answer] = await h.telegram.waitForSent(ALICE.id, 1, 5_000);
    expect(answer?.text).toMatch(/^Bazarak/);
    const [first, second] = h.telegram.callsTo('sendMessage');
    expect(first?.answer).toMatchObject({ ok: false, error_code: 429, parameters: { retry_after: 1 } });
    expect(second?.answer?.ok).toBe(true);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(h.telegram.sent(ALICE.id)).toHaveLength(1);
    expect(h.platformErrors).toContain('rate-limited');
  });

  it('a wait longer than an answer may wait is not held: the caller learns the delay, and the chat is told once the wait is over', async () => {
    h = await startHarness({ settings: { replyRetry: { maxWaitMs: 500 } } });
    h.telegram.failNext('sendMessage', { kind: 'rate-limit', retryAfter: 1 });
    const error = await h.runtime.sender.send(String(ALICE.id), notice).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ kind: 'rate-limited', details: { retryAfterMs: 1000 } });
    const [told] = await h.telegram.waitForSent(ALICE.id);
    expect(told?.text).toMatch(/^Sorry — your last question was not answered\nThe platform made the bot wait about 1 minute/);
    expect(told!.params).not.toHaveProperty('reply_parameters');
  });
});

describe('403: the chat is recorded as blocked and later sends are skipped', () => {
  it('records the block when answering fails, and the digest sender then skips the chat', async () => {
    h = await startHarness();
    h.telegram.blockChat(ALICE.id);
    h.telegram.privateMessage('/who massoud');
    await h.telegram.waitFor(() => h?.store.blockedChat('telegram', String(ALICE.id)));
    expect(h.store.blockedChat('telegram', String(ALICE.id))?.reason).toContain('blocked');
    expect(h.platformErrors).toContain('forbidden');
    const calls = h.telegram.callsTo('sendMessage').length;
    const error = await h.runtime.sender.send(String(ALICE.id), notice).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'forbidden', permanent: true });
    expect(h.telegram.callsTo('sendMessage')).toHaveLength(calls);
    // No apology was attempted into a chat that blocked the bot, and no stack trace reached anyone.
    expect(h.logs.some((l) => l.msg === 'telegram answer not delivered')).toBe(true);
  });

  it('a chat that writes to the bot again is unblocked and answered', async () => {
    h = await startHarness();
    h.store.markChatBlocked('telegram', String(ALICE.id), 'the bot was blocked or removed (kicked)', NOW);
    h.telegram.privateMessage('/where bazarak');
    const [answer] = await h.telegram.waitForSent(ALICE.id);
    expect(answer?.text).toMatch(/^Bazarak/);
    expect(h.store.blockedChat('telegram', String(ALICE.id))).toBeUndefined();
  });

  it('deactivates the chat’s digest subscriptions', async () => {
    h = await startHarness();
    const sub = h.store.addSubscription({ platform: 'telegram', chatId: String(BOB.id), chatType: 'private', schedule: 'daily 08:00', timeZone: 'Asia/Kabul', quiet: 'skip', createdAt: NOW });
    h.telegram.blockChat(BOB.id, 'Forbidden: user is deactivated');
    await expect(h.runtime.sender.send(String(BOB.id), notice)).rejects.toMatchObject({ kind: 'forbidden' });
    expect(h.store.subscription(sub.id)?.status).toBe('inactive');
  });

  it('my_chat_member: kicked blocks the chat, added again unblocks it', async () => {
    h = await startHarness();
    h.telegram.myChatMember(GROUP, 'member', 'kicked');
    await h.telegram.waitFor(() => h?.store.blockedChat('telegram', String(GROUP.id)));
    h.telegram.myChatMember(GROUP, 'kicked', 'member');
    await h.telegram.waitFor(() => h?.store.blockedChat('telegram', String(GROUP.id)) === undefined);
    h.telegram.myChatMember(privateChatOf(ALICE), 'member', 'kicked');
    await h.telegram.waitFor(() => h?.store.blockedChat('telegram', String(ALICE.id)));
  });
});

describe('group migrated to a supergroup', () => {
  it('a send to the old id is repeated to the new one, and the subscription continues under it', async () => {
    h = await startHarness();
    const sub = h.store.addSubscription({ platform: 'telegram', chatId: String(OLD_GROUP.id), chatType: 'group', schedule: 'daily 08:00', timeZone: 'Asia/Kabul', quiet: 'skip', createdAt: NOW });
    h.telegram.migrateChat(OLD_GROUP.id, GROUP.id);
    await h.runtime.sender.send(String(OLD_GROUP.id), notice);
    expect(h.telegram.callsTo('sendMessage').map((c) => [String(c.params.chat_id), c.answer?.ok])).toEqual([
      [String(OLD_GROUP.id), false],
      [String(GROUP.id), true],
    ]);
    expect(h.store.currentChatId('telegram', String(OLD_GROUP.id))).toBe(String(GROUP.id));
    expect(h.store.subscription(sub.id)?.chatId).toBe(String(GROUP.id));
    // Later sends under the old id go straight to the new chat.
    await h.runtime.sender.send(String(OLD_GROUP.id), notice);
    expect(h.telegram.callsTo('sendMessage').at(-1)?.params.chat_id).toBe(String(GROUP.id));
    expect(h.telegram.callsTo('sendMessage')).toHaveLength(3);
  });

  it('the migrate_to_chat_id service message is recorded too', async () => {
    h = await startHarness();
    h.telegram.queue({ message: { message_id: 1, from: ALICE, chat: OLD_GROUP, date: 0, migrate_to_chat_id: GROUP.id } });
    await h.telegram.waitFor(() => h?.store.currentChatId('telegram', String(OLD_GROUP.id)) === String(GROUP.id));
  });
});

describe('failures mapped for digests', () => {
  it('5xx that outlasts the retries → transient, a rejected request → invalid, missing chat → not-found', async () => {
    h = await startHarness({ settings: { replyRetry: { attempts: 3, backoffMs: 5 } } });
    h.telegram.failNext('sendMessage', { kind: 'server-error' }, 3);
    await expect(h.runtime.sender.send('42', notice)).rejects.toMatchObject({ kind: 'transient', permanent: false, details: { outcome: 'not-sent' } });
    expect(h.telegram.callsTo('sendMessage')).toHaveLength(3);
    h.telegram.failNext('sendMessage', { kind: 'error', code: 400, description: 'Bad Request: chat not found' });
    await expect(h.runtime.sender.send('43', notice)).rejects.toMatchObject({ kind: 'not-found', permanent: true });
    expect(h.store.blockedChat('telegram', '43')).toBeDefined();
    h.telegram.failNext('sendMessage', { kind: 'error', code: 400, description: 'Bad Request: message is too long' });
    await expect(h.runtime.sender.send('44', notice)).rejects.toMatchObject({ kind: 'invalid' });
    expect(h.store.blockedChat('telegram', '44')).toBeUndefined();
  });

  it("HTML Telegram cannot parse: the same answer goes once more as plain text, and the message is logged for fixing", async () => {
    h = await startHarness();
    h.telegram.failNext('sendMessage', { kind: 'error', code: 400, description: "Bad Request: can't parse entities: unsupported start tag \"x\" at byte offset 3" });
    await h.runtime.sender.send('45', { ...notice, title: 'Tom & Jerry <3' });
    const [sent] = h.telegram.sent('45');
    expect(sent).toMatchObject({ text: expect.stringMatching(/^Tom & Jerry <3/) });
    expect(sent?.parseMode).toBeUndefined();
    expect(h.telegram.callsTo('sendMessage')).toHaveLength(2);
    const logged = h.logs.find((l) => /could not parse the HTML/.test(String(l.msg)));
    expect(logged).toMatchObject({ chatId: '45', html: expect.stringContaining('<b>Tom &amp; Jerry &lt;3</b>') });
  });
});

describe('handler errors', () => {
  it('a command that throws is logged with the update id and the user gets a short apology, no internals', async () => {
    h = await startHarness();
    const update = h.telegram.privateMessage('/boom');
    const [apology] = await h.telegram.waitForSent(ALICE.id);
    expect(apology?.text).toContain('Sorry, something went wrong on our side.');
    expect(apology?.text).not.toMatch(/exploded|secret|\.ts|at /);
    expect(h.logs.find((l) => l.msg === 'command failed')?.updateId).toBe(String(update.update_id));
  });

  it('an error in the adapter itself (Telegram rejects the reply) is caught, logged with the update id, and apologised for', async () => {
    h = await startHarness();
    h.telegram.failNext('sendMessage', { kind: 'error', code: 400, description: 'Bad Request: something unexpected' });
    const update = h.telegram.privateMessage('/sources');
    const [apology] = await h.telegram.waitForSent(ALICE.id);
    expect(apology?.text).toContain('Sorry, something went wrong');
    expect(h.logs.find((l) => l.msg === 'telegram update failed')?.updateId).toBe(update.update_id);
  });
});

describe('moderator check failing', () => {
  it('a failed administrator lookup refuses the moderator command and is logged, not thrown', async () => {
    h = await startHarness();
    h.telegram.setChatMember(GROUP.id, BOB.id, 'administrator');
    h.telegram.failNext('getChatMember', { kind: 'server-error' });
    h.telegram.groupMessage('/modonly', GROUP, BOB);
    const [refused] = await h.telegram.waitForSent(GROUP.id);
    expect(refused?.text).toContain('Only moderators can use /modonly here.');
    expect(h.logs.some((l) => l.msg === 'could not check chat administrator status; treating as not a moderator')).toBe(true);
  });
});

describe('long replies and hostile text', () => {
  it('a reply over 4096 characters arrives in several valid messages, buttons on the last', async () => {
    h = await startHarness();
    h.telegram.privateMessage('/long');
    const parts = await h.telegram.waitFor(() => {
      const sent = h?.telegram.sent(ALICE.id) ?? [];
      return sent.some((m) => m.replyMarkup !== undefined) ? sent : undefined;
    });
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(checkTelegramHtml(part.source)).toMatchObject({ ok: true });
      expect(part.text.length).toBeLessThanOrEqual(4096);
    }
    expect(parts.slice(0, -1).every((p) => p.replyMarkup === undefined)).toBe(true);
    expect(parts.at(-1)?.replyMarkup?.inline_keyboard?.[0]?.[0]?.callback_data).toBe('/long');
    const text = parts.map((p) => p.text).join('\n');
    expect(text.match(/Every sentence here is a fact & a <test> of splitting\./g)).toHaveLength(120);
    for (let i = 1; i <= 60; i += 1) expect(text).toContain(`Fact ${i}: `);
  });

  it('user text full of <b>, & and markdown characters comes back exactly as typed', async () => {
    h = await startHarness();
    const hostile = '<b>bold</b> & &amp; *_[]()~`>#+-=|{}.! <a href="x">y</a>';
    h.telegram.privateMessage(`/echo ${hostile}`);
    const [answer] = await h.telegram.waitForSent(ALICE.id);
    expect(checkTelegramHtml(answer?.source ?? '').ok).toBe(true);
    expect(answer?.text).toContain(`You said: ${hostile}`);
    // Title, summary, section label, line and note: five places, each exactly as typed.
    expect((answer?.text ?? '').split(hostile).length - 1).toBe(5);
    expect(answer?.source).not.toContain('<b>bold</b>');
  });
});

describe('rate limiting', () => {
  it('answers a flood with one polite notice, then silence, and counts it in telemetry', async () => {
    h = await startHarness({ settings: { rateLimit: { limit: 3, windowMs: 30_000 } } });
    for (let i = 0; i < 7; i += 1) h.telegram.privateMessage('/sources');
    // A later command from another user is still answered: the limit is per user.
    const other = h.telegram.privateMessage('/sources', BOB);
    await h.telegram.waitForSent(BOB.id);
    await h.telegram.waitFor(() => (h?.commands.filter((c) => c.outcome === 'rate-limited').length ?? 0) >= 4 || undefined);
    const sent = h.telegram.sent(ALICE.id);
    expect(sent).toHaveLength(4);
    expect(sent.at(-1)?.text).toMatch(/^You're sending commands too fast — try again in 30 s\./);
    expect(other.update_id).toBeGreaterThan(0);
  });

  it('a button pressed over the limit is answered with the notice as a toast, and runs nothing', async () => {
    h = await startHarness({ settings: { rateLimit: { limit: 1, windowMs: 30_000 } } });
    h.telegram.privateMessage('/sources');
    const [answer] = await h.telegram.waitForSent(ALICE.id);
    if (answer === undefined) throw new Error('no answer');
    const press = h.telegram.pressButton(answer, '/where bazarak');
    const call = await h.telegram.waitForCall('answerCallbackQuery', (c) => c.params.callback_query_id === press.callback_query.id);
    expect(call.params.text).toBe("You're sending commands too fast — try again in 30 s.");
    expect(h.telegram.callsTo('editMessageText')).toHaveLength(0);
    expect(h.telegram.sent(ALICE.id)).toHaveLength(1);
  });
});
