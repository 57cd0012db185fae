/**
 * A follow-up too long for Telegram's 64 bytes of callback data travels as a key kept in the
 * database: pressing it runs the exact command, also after the bot restarts (a new runtime and
 * a new store on the same database file, against the same fake Bot API).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeTelegramBotApi } from '../../fakes/telegram-bot-api.js';
import { ALICE } from '../../fakes/telegram-updates.js';
import { startHarness } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'dossier-tg-follow-ups-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const QUERY = 'taliban resistance panjshir valley forces fighters';

describe('long follow-ups on Telegram', () => {
  it('“More results” for a query over 40 characters reaches the real page 2, after a restart too', async () => {
    const databasePath = join(dir, 'bot.sqlite');
    const telegram = await FakeTelegramBotApi.start();
    const before = await startHarness({ databasePath, telegram });
    let stopped = false;
    try {
      telegram.privateMessage(`/search ${QUERY}`);
      const [answer] = await telegram.waitForSent(ALICE.id, 1);
      if (answer === undefined) throw new Error('no answer');
      const buttons = answer.replyMarkup?.inline_keyboard?.flat() ?? [];
      const more = buttons.find((b) => b.text === 'More results');
      expect(Buffer.byteLength(`/search ${QUERY} page:2`)).toBeGreaterThan(64);
      expect(more?.callback_data).toMatch(/^k:[\w-]{1,16}$/);
      const pageOne = answer.text;

      // Restart: everything in memory is gone; the database file stays.
      await before.stop();
      stopped = true;
      const after = await startHarness({ databasePath, telegram });
      try {
        const press = telegram.pressButton(answer, more?.callback_data ?? '');
        const call = await telegram.waitForCall('answerCallbackQuery', (c) => c.params.callback_query_id === press.callback_query.id);
        expect(call.params.text).toBeUndefined();
        const edited = telegram.sent(ALICE.id).find((m) => m.messageId === answer.messageId);
        expect(edited?.edits).toBe(1);
        expect(edited?.text).toContain(`Facts matching “${QUERY}”`);
        expect(edited?.text).toContain('Results, page 2');
        // Page 2 shows other facts than page 1 (a shortened query repeated page 1).
        const facts = (text: string) => text.split('\n').filter((l) => l.startsWith('• '));
        const one = facts(pageOne);
        expect(facts(edited?.text ?? '').filter((l) => one.includes(l))).toEqual([]);
      } finally {
        await after.stop();
      }
    } finally {
      if (!stopped) await before.stop();
      await telegram.close();
    }
  });
});
