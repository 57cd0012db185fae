import { describe, expect, it } from 'vitest';
import { INLINE_LIMIT, inlineAnswers } from '../../src/commands/inline.js';
import { ask, expectProvenance, kb, knowledge } from './seed-router.js';

const entityIds = (answers: ReturnType<typeof inlineAnswers>) => answers.filter((a) => a.id.startsWith('e-')).map((a) => a.id.slice(2));

describe('inline answers (Telegram inline mode)', () => {
  it('“massoud” offers both Massouds, each with role, the line that tells them apart, and his full answer', async () => {
    const answers = inlineAnswers(knowledge, 'massoud');
    expect(entityIds(answers)).toEqual(expect.arrayContaining(['ahmad-massoud', 'ahmad-shah-massoud']));
    for (const id of ['ahmad-massoud', 'ahmad-shah-massoud']) {
      const entity = kb.entities.find((e) => e.id === id)!;
      const answer = answers.find((a) => a.id === `e-${id}`)!;
      expect(answer.title).toBe(`${entity.label} — ${entity.role}`);
      expect(answer.description).toBe(entity.description);
      // The message sent on a pick is the same answer /who id:… gives.
      expect(answer.reply).toEqual(await ask(`/who id:${id}`));
      expectProvenance(answer.reply);
    }
  });

  it('follows the entities with quotes whose words match, each sent with its speaker and sources', () => {
    const answers = inlineAnswers(knowledge, 'negotiations');
    const quotes = answers.filter((a) => a.id.startsWith('q-'));
    expect(quotes.length).toBeGreaterThan(0);
    for (const answer of quotes) {
      const [quote] = answer.reply.quotes;
      expect(answer.reply.quotes).toHaveLength(1);
      expect(quote!.text.toLowerCase()).toContain('negotiations');
      expect(answer.reply.title).toBe(`Quote: ${quote!.speaker}`);
      expect(answer.description.startsWith(quote!.speaker)).toBe(true);
      expectProvenance(answer.reply);
    }
  });

  it('completes a partial name (“panj”) with the place first', () => {
    const answers = inlineAnswers(knowledge, 'panj');
    expect(answers[0]?.id).toBe('e-panjshir');
  });

  it('understands the Dari spelling of Panjshir', () => {
    const dari = kb.entities.find((e) => e.id === 'panjshir')!.aliases.find((a) => /[\u0600-\u06FF]/.test(a))!;
    expect(entityIds(inlineAnswers(knowledge, dari))).toContain('panjshir');
  });

  it('offers nothing for letters that only sit inside an unrelated word (“ghani” in “Afghanistan”)', () => {
    expect(entityIds(inlineAnswers(knowledge, 'ghani'))).toEqual([]);
  });

  it('keeps ids unique and within Telegram’s 64 bytes, and the list within the limit asked', () => {
    for (const query of ['massoud', 'taliban', 'panjshir', 'a']) {
      const answers = inlineAnswers(knowledge, query);
      expect(answers.length).toBeLessThanOrEqual(INLINE_LIMIT);
      expect(new Set(answers.map((a) => a.id)).size).toBe(answers.length);
      for (const a of answers) expect(Buffer.byteLength(a.id)).toBeLessThanOrEqual(64);
    }
    expect(inlineAnswers(knowledge, 'taliban', 3).length).toBeLessThanOrEqual(3);
  });

  it('answers an empty, blank or invisible query with nothing (Telegram then shows no results)', () => {
    for (const query of ['', '   ', '\u200B\u202E', '\u0000\n\t']) expect(inlineAnswers(knowledge, query)).toEqual([]);
  });

  it('answers a query over the input limit with nothing instead of searching it', () => {
    expect(inlineAnswers(knowledge, 'massoud '.repeat(100))).toEqual([]);
  });

  it.each(['<b>massoud</b>', '@everyone', '\u202Emassoud\u0000', 'احمد مسعود', '"); DROP TABLE', '*'.repeat(300), '🦁🦁🦁'])('“%s” never throws', (query) => {
    const answers = inlineAnswers(knowledge, query);
    for (const a of answers) {
      expect(a.title.length).toBeGreaterThan(0);
      expectProvenance(a.reply);
    }
  });

  it('strips control characters before matching, so a hidden override still finds Massoud', () => {
    expect(entityIds(inlineAnswers(knowledge, '\u202Emass\u0000oud'))).toContain('ahmad-massoud');
  });
});
