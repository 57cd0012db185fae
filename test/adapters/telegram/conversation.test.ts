import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTelegramHtml } from '../../fakes/telegram-html.js';
import { ALICE, BOB, GROUP } from '../../fakes/telegram-updates.js';
import { startHarness, type Harness } from './harness.js';
import { LONG_COMMAND } from './test-commands.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ settings: { rateLimit: { limit: 1000, windowMs: 60_000 } } });
});
afterAll(async () => h.stop());

/** Send a message and wait for the bot's `count`-th new message in that chat. */
async function ask(send: () => void, chatId: number, count = 1) {
  const before = h.telegram.sent(chatId).length;
  send();
  const all = await h.telegram.waitForSent(chatId, before + count);
  return all.slice(before);
}

describe('commands in a private chat', () => {
  it('/who massoud answers with Ahmad Massoud, his facts and numbered linked sources, as valid HTML without previews', async () => {
    const [answer] = await ask(() => h.telegram.privateMessage('/who massoud'), ALICE.id);
    expect(answer?.parseMode).toBe('HTML');
    expect(answer?.params.link_preview_options).toEqual({ is_disabled: true });
    expect(checkTelegramHtml(answer?.source ?? '').ok).toBe(true);
    expect(answer?.source).toMatch(/^<b>Ahmad Massoud/);
    expect(answer?.text).toContain('Sources');
    expect(answer?.text).toMatch(/1\. .+, \d{1,2} Aug 2021/);
    // "massoud" is ambiguous: the other Massoud is one tap away.
    const buttons = answer?.replyMarkup?.inline_keyboard?.flat() ?? [];
    expect(buttons.map((b) => b.callback_data)).toContain('/who id:ahmad-shah-massoud');
  });

  it('understands plain questions', async () => {
    const [answer] = await ask(() => h.telegram.privateMessage('who is massoud?'), ALICE.id);
    expect(answer?.text).toMatch(/^Ahmad Massoud/);
    const [place] = await ask(() => h.telegram.privateMessage('where is bazarak'), ALICE.id);
    expect(place?.text).toMatch(/^Bazarak/);
    const [quote] = await ask(() => h.telegram.privateMessage('what did saleh say'), ALICE.id);
    expect(quote?.text).toContain('Amrullah Saleh');
  });

  it('answers /start with the help, other words with a search, and text without words with a hint', async () => {
    const [help] = await ask(() => h.telegram.privateMessage('/start'), ALICE.id);
    expect(help?.text).toContain('/who');
    const [search] = await ask(() => h.telegram.privateMessage('good morning'), ALICE.id);
    expect(search?.text).toContain('Nothing in the story matches “good morning”');
    const [hint] = await ask(() => h.telegram.privateMessage('🙂 !!'), ALICE.id);
    expect(hint?.text).toContain('I did not catch a question there.');
  });

  it('reports each command to telemetry with the update id', async () => {
    const update = h.telegram.privateMessage('/where panjshir');
    await h.telegram.waitFor(() => h.commands.find((c) => c.updateId === String(update.update_id)));
    expect(h.commands.find((c) => c.updateId === String(update.update_id))).toMatchObject({ platform: 'telegram', command: 'where', chatId: String(ALICE.id) });
  });
});

describe('groups', () => {
  it('answers a command addressed to the bot, as a reply to the asker', async () => {
    const update = h.telegram.groupMessage(`/who@${h.telegram.botUser.username} saleh`, GROUP);
    const [answer] = await h.telegram.waitForSent(GROUP.id);
    expect(answer?.text).toMatch(/^Amrullah Saleh/);
    expect(answer?.params.reply_parameters).toMatchObject({ message_id: update.message.message_id });
  });

  it('ignores chatter and commands for other bots, but answers a mention and a reply to its message', async () => {
    const before = h.telegram.sent(GROUP.id).length;
    h.telegram.groupMessage('/who@SomeOtherBot saleh', GROUP);
    h.telegram.groupMessage('hello everyone, who is massoud?', GROUP);
    const mentioned = await ask(() => h.telegram.groupMessage(`@${h.telegram.botUser.username} where is bazarak?`, GROUP), GROUP.id);
    expect(mentioned[0]?.text).toMatch(/^Bazarak/);
    // Updates of one chat are handled in order: the two ignored messages produced nothing.
    expect(h.telegram.sent(GROUP.id).length).toBe(before + 1);

    const botMessage = mentioned[0];
    const [viaReply] = await ask(
      () =>
        h.telegram.groupMessage('who is saleh?', GROUP, ALICE, {
          reply_to_message: { message_id: botMessage?.messageId ?? 0, from: h.telegram.botUser, chat: GROUP, date: 0, text: botMessage?.text ?? '' },
        }),
      GROUP.id,
    );
    expect(viaReply?.text).toMatch(/^Amrullah Saleh/);
  });

  it('lets only administrators run moderator commands, asking Telegram once per user and minute', async () => {
    const [refused] = await ask(() => h.telegram.groupMessage('/modonly', GROUP, ALICE), GROUP.id);
    expect(refused?.text).toContain('Only moderators can use /modonly here.');
    h.telegram.setChatMember(GROUP.id, BOB.id, 'administrator');
    const [done] = await ask(() => h.telegram.groupMessage('/modonly', GROUP, BOB), GROUP.id);
    expect(done?.text).toBe('Moderator command done.');
    await ask(() => h.telegram.groupMessage('/modonly', GROUP, BOB), GROUP.id);
    const lookups = h.telegram.callsTo('getChatMember').filter((c) => Number(c.params.user_id) === BOB.id);
    expect(lookups).toHaveLength(1);
    // Ordinary commands need no lookup.
    const count = h.telegram.callsTo('getChatMember').length;
    await ask(() => h.telegram.groupMessage('/sources', GROUP, ALICE), GROUP.id);
    expect(h.telegram.callsTo('getChatMember')).toHaveLength(count);
  });
});

describe('inline mode', () => {
  it('lists matching entities and quotes (≤ 50), each carrying the full answer as HTML', async () => {
    const update = h.telegram.inlineQuery('panjshir');
    const call = await h.telegram.waitForCall('answerInlineQuery', (c) => c.params.inline_query_id === update.inline_query.id);
    expect(call.answer?.ok).toBe(true);
    expect(call.params.cache_time).toBe(60);
    expect(call.params.is_personal).toBe(false);
    const results = call.params.results as Array<{ id: string; title: string; description: string; input_message_content: { message_text: string; parse_mode: string } }>;
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(50);
    expect(results[0]?.title).toMatch(/^Panjshir/);
    for (const result of results) {
      expect(Buffer.byteLength(result.id)).toBeLessThanOrEqual(64);
      expect(result.input_message_content.parse_mode).toBe('HTML');
      expect(checkTelegramHtml(result.input_message_content.message_text).ok).toBe(true);
    }
  });

  it('answers an empty or unmatched query with no results rather than an error', async () => {
    const update = h.telegram.inlineQuery('');
    const call = await h.telegram.waitForCall('answerInlineQuery', (c) => c.params.inline_query_id === update.inline_query.id);
    expect(call.answer?.ok).toBe(true);
    expect(call.params.results).toEqual([]);
  });
});

describe('buttons', () => {
  it('a press runs the command, edits the message in place and answers the callback', async () => {
    const [answer] = await ask(() => h.telegram.privateMessage('/who massoud'), ALICE.id);
    if (answer === undefined) throw new Error('no answer');
    const press = h.telegram.pressButton(answer, '/who id:ahmad-shah-massoud');
    const answered = await h.telegram.waitForCall('answerCallbackQuery', (c) => c.params.callback_query_id === press.callback_query.id);
    expect(answered.answer?.ok).toBe(true);
    const edited = h.telegram.sent(ALICE.id).find((m) => m.messageId === answer.messageId);
    expect(edited?.edits).toBe(1);
    expect(edited?.text).toMatch(/^Ahmad Shah Massoud/);
  });

  it('a button whose command is longer than 64 bytes carries a short key, and pressing it runs the whole command', async () => {
    const [offer] = await ask(() => h.telegram.privateMessage('/longbutton'), ALICE.id);
    if (offer === undefined) throw new Error('no answer');
    expect(Buffer.byteLength(LONG_COMMAND)).toBeGreaterThan(64);
    const [[button]] = (offer.replyMarkup?.inline_keyboard ?? [[]]) as [[{ text: string; callback_data?: string }]];
    expect(button?.text).toBe('Long one');
    expect(button?.callback_data).toMatch(/^k:[\w-]{1,16}$/);
    const press = h.telegram.pressButton(offer, button?.callback_data ?? '');
    await h.telegram.waitForCall('answerCallbackQuery', (c) => c.params.callback_query_id === press.callback_query.id);
    const edited = h.telegram.sent(ALICE.id).find((m) => m.messageId === offer.messageId);
    expect(edited?.text).toContain(`You said: ${LONG_COMMAND.slice('/echo '.length)}`);
    expect(h.telegram.callsTo('sendMessage').filter((c) => c.answer?.ok === false)).toEqual([]);
  });

  it('an unknown or expired button is still answered, with a short explanation', async () => {
    const [answer] = await ask(() => h.telegram.privateMessage('/sources'), ALICE.id);
    if (answer === undefined) throw new Error('no answer');
    const press = h.telegram.pressButton(answer, 'k:doesnotexist');
    const call = await h.telegram.waitForCall('answerCallbackQuery', (c) => c.params.callback_query_id === press.callback_query.id);
    expect(String(call.params.text)).toContain('expired');
  });

  it('a button whose command is for another bot is answered as not ours', async () => {
    const [answer] = await ask(() => h.telegram.privateMessage('/sources'), ALICE.id);
    if (answer === undefined) throw new Error('no answer');
    const press = h.telegram.pressButton(answer, '/who@SomeOtherBot saleh');
    const call = await h.telegram.waitForCall('answerCallbackQuery', (c) => c.params.callback_query_id === press.callback_query.id);
    expect(call.params.text).toBe('This button is not for me.');
    expect(h.telegram.sent(ALICE.id).find((m) => m.messageId === answer.messageId)?.edits).toBe(0);
  });

  it('pressing a button that shows the same answer again leaves the message as it is, without reporting an error', async () => {
    const [answer] = await ask(() => h.telegram.privateMessage('/sources'), ALICE.id);
    if (answer === undefined) throw new Error('no answer');
    const before = { sent: h.telegram.sent(ALICE.id).length, errors: h.platformErrors.length };
    const press = h.telegram.pressButton(answer, '/sources');
    const answered = await h.telegram.waitForCall('answerCallbackQuery', (c) => c.params.callback_query_id === press.callback_query.id);
    expect(answered.answer?.ok).toBe(true);
    const edit = h.telegram.callsTo('editMessageText').at(-1);
    expect(edit?.answer).toMatchObject({ ok: false, description: expect.stringContaining('message is not modified') as unknown });
    expect(h.telegram.sent(ALICE.id)).toHaveLength(before.sent);
    expect(h.telegram.sent(ALICE.id).find((m) => m.messageId === answer.messageId)?.edits).toBe(0);
    expect(h.platformErrors).toHaveLength(before.errors);
  });

  it('a button on a message Telegram cannot edit any more answers with a new message instead', async () => {
    const [answer] = await ask(() => h.telegram.privateMessage('/sources'), ALICE.id);
    if (answer === undefined) throw new Error('no answer');
    const gone = { ...answer, messageId: 999_999 };
    const [followUp] = await ask(() => h.telegram.pressButton(gone, '/where bazarak'), ALICE.id);
    expect(h.telegram.callsTo('editMessageText').at(-1)?.answer).toMatchObject({ ok: false, description: 'Bad Request: message to edit not found' });
    expect(followUp?.text).toMatch(/^Bazarak/);
    expect(followUp?.params.reply_parameters).toMatchObject({ message_id: 999_999 });
  });

  it('a reply too long to replace the message arrives as a follow-up', async () => {
    const [answer] = await ask(() => h.telegram.privateMessage('/sources'), ALICE.id);
    if (answer === undefined) throw new Error('no answer');
    const before = h.telegram.sent(ALICE.id).length;
    const press = h.telegram.pressButton(answer, '/long');
    await h.telegram.waitForCall('answerCallbackQuery', (c) => c.params.callback_query_id === press.callback_query.id);
    expect(h.telegram.sent(ALICE.id).length).toBeGreaterThan(before + 1);
    expect(h.telegram.sent(ALICE.id).find((m) => m.messageId === answer.messageId)?.edits).toBe(0);
  });
});
