import { describe, expect, it } from 'vitest';
import { cutPoint, renderReply, renderSingleMessage, TELEGRAM_LIMITS } from '../../../src/adapters/telegram/render.js';
import { reply, type Reply } from '../../../src/replies/reply.js';
import { checkTelegramHtml } from '../../fakes/telegram-html.js';

function visible(html: string): string {
  const parsed = checkTelegramHtml(html);
  if (!parsed.ok) throw new Error(`invalid Telegram HTML: ${parsed.error}\n${html}`);
  return parsed.text;
}

const massoud: Reply = reply({
  kind: 'answer',
  title: 'Ahmad Massoud — Leader of the National Resistance Front',
  summary: 'Son of Ahmad Shah Massoud.',
  summaryCites: [1],
  sections: [{ label: 'Key facts', lines: [{ text: 'Leads the NRF.', cites: [1, 2], note: 'disputed' }] }],
  quotes: [{ text: 'We are ready to fight.', speaker: 'Ahmad Massoud', date: '22 Aug 2021', how: 'in an interview with Reuters', cites: [2] }],
  citations: [
    { outlet: 'Reuters', headline: 'Resistance ready', date: '2021-08-22', url: 'https://example.org/a?x=1&y=2' },
    { outlet: 'G1', headline: 'No link', date: '2021-08-23' },
  ],
  suggestions: [{ label: 'Ahmad Shah Massoud', command: '/who id:ahmad-shah-massoud' }],
  actions: [{ label: 'More quotes', command: '/quote massoud' }],
});

describe('renderReply: the reply model as Telegram HTML', () => {
  it('shows a bold title, the summary, bold section labels, cited lines, quotes and numbered linked sources', () => {
    const { messages } = renderReply(massoud);
    expect(messages).toHaveLength(1);
    const html = messages[0] ?? '';
    expect(html).toMatch(/^<b>Ahmad Massoud — Leader of the National Resistance Front<\/b>\nSon of Ahmad Shah Massoud\. \[1\]/);
    expect(html).toContain('<b>Key facts</b>\n• Leads the NRF. [1][2] <i>(disputed)</i>');
    expect(html).toContain('<blockquote>“We are ready to fight.”</blockquote>\n— <i>Ahmad Massoud</i>, 22 Aug 2021, in an interview with Reuters [2]');
    expect(html).toContain('<b>Sources</b>\n1. <a href="https://example.org/a?x=1&amp;y=2">Reuters: Resistance ready</a>, 22 Aug 2021');
    expect(html).toContain('2. G1: No link, 23 Aug 2021');
    expect(checkTelegramHtml(html).ok).toBe(true);
  });

  it('puts suggestions, then actions, on buttons that carry their command lines', () => {
    expect(renderReply(massoud).buttons).toEqual([
      [{ label: 'Ahmad Shah Massoud', command: '/who id:ahmad-shah-massoud' }],
      [{ label: 'More quotes', command: '/quote massoud' }],
    ]);
  });

  it('escapes every piece of text: tags, ampersands and quotes in text and attributes', () => {
    const hostile = reply({
      kind: 'answer',
      title: '<b>bold</b> & <script>',
      summary: 'a < b > c & "d"',
      sections: [{ label: '<i>label</i>', lines: [{ text: '</blockquote><a href="x">', cites: [], note: '<u>n</u>' }] }],
      quotes: [{ text: '&amp; already', speaker: '<Speaker>', cites: [] }],
      citations: [{ outlet: 'O&O', headline: '"H"', date: '2021-08-22', url: 'https://e.org/"><b>' }],
    });
    const [html = ''] = renderReply(hostile).messages;
    const text = visible(html);
    expect(text).toContain('<b>bold</b> & <script>');
    expect(text).toContain('a < b > c & "d"');
    expect(text).toContain('<i>label</i>');
    expect(text).toContain('</blockquote><a href="x">');
    expect(text).toContain('“&amp; already”');
    expect(text).toContain('<Speaker>');
    const parsed = checkTelegramHtml(html);
    expect(parsed.ok && parsed.tags.filter((t) => t === 'a')).toEqual(['a']);
  });

  it('leaves markdown characters alone: HTML mode needs no escaping of *_[]()~>#+-=|{}.!', () => {
    const md = '*_[]()~`>#+-=|{}.!';
    const [html = ''] = renderReply(reply({ kind: 'answer', title: md, summary: md })).messages;
    expect(visible(html)).toBe(`${md}\n${md}`);
  });

  it('offers at most 8 buttons, suggestions first, each command once and none empty', () => {
    const actions = Array.from({ length: 6 }, (_, i) => ({ label: `Action ${i}`, command: `/quote page:${i}` }));
    const buttons = renderReply(
      reply({
        kind: 'answer',
        title: 't',
        suggestions: [
          { label: 'First', command: '/who first' },
          { label: 'Blank', command: '  ' },
          { label: 'Same again', command: '/who first' },
          { label: '', command: '/who second' },
        ],
        actions,
      }),
    ).buttons;
    expect(buttons.map((row) => row.map((b) => b.command))).toEqual([['/who first'], ['/who second'], ...actions.map((a) => [a.command])]);
    expect(buttons[1]).toEqual([{ label: '/who second', command: '/who second' }]);
    const many = Array.from({ length: 12 }, (_, i) => ({ label: `A${i}`, command: `/search a${i}` }));
    expect(renderReply(reply({ kind: 'answer', title: 't', actions: many })).buttons).toHaveLength(8);
  });

  it('links a line to its url (the /sources list), escaped, and only http(s) ones', () => {
    const [html = ''] = renderReply(
      reply({
        kind: 'answer',
        title: 't',
        sections: [{ label: 'Articles', lines: [{ text: 'Reuters — A & B', cites: [], note: '3 facts', url: 'https://example.org/a?x=1&y=2' }, { text: 'Bad', cites: [], url: 'javascript:alert(1)' }] }],
      }),
    ).messages;
    expect(html).toContain('• <a href="https://example.org/a?x=1&amp;y=2">Reuters — A &amp; B</a> <i>(3 facts)</i>');
    expect(html).toContain('• Bad');
    expect(html).not.toContain('javascript');
    expect(visible(html)).toContain('Reuters — A & B (3 facts)');
  });

  it('links only http(s) URLs', () => {
    const [html = ''] = renderReply(
      reply({ kind: 'answer', title: 't', citations: [{ outlet: 'X', headline: 'Y', date: '2021-08-22', url: 'javascript:alert(1)' }] }),
    ).messages;
    expect(html).not.toContain('<a');
    expect(html).toContain('1. X: Y, 22 Aug 2021');
  });
});

describe('renderReply: replies longer than one message', () => {
  const sentence = 'This sentence is one of many in a giant paragraph & it has <markup> in it. ';
  const long: Reply = reply({
    kind: 'answer',
    title: 'A long answer',
    summary: sentence.repeat(150),
    sections: [{ label: 'Forty facts', lines: Array.from({ length: 40 }, (_, i) => ({ text: `Fact number ${i + 1}: ${'detail '.repeat(30)}`, cites: [1] })) }],
    quotes: Array.from({ length: 12 }, (_, i) => ({ text: `Quote ${i + 1} ${'words '.repeat(60)}`, speaker: `Speaker ${i + 1}`, cites: [1] })),
    citations: [{ outlet: 'Reuters', headline: 'H', date: '2021-08-22', url: 'https://example.org/1' }],
    actions: [{ label: 'More', command: '/quote more' }],
  });
  const { messages } = renderReply(long);

  it('splits into messages that are each within 4096 UTF-16 units and valid HTML', () => {
    expect(messages.length).toBeGreaterThan(2);
    for (const html of messages) {
      expect(html.length).toBeLessThanOrEqual(TELEGRAM_LIMITS.messageText);
      expect(checkTelegramHtml(html)).toMatchObject({ ok: true });
    }
  });

  it('a reply of exactly 4096 units is one message; one unit more makes two', () => {
    // '<b>t</b>' and the newline before the summary are 9 units.
    const exact = renderReply(reply({ kind: 'answer', title: 't', summary: 'x'.repeat(4096 - 9) })).messages;
    expect(exact.map((m) => m.length)).toEqual([4096]);
    const over = renderReply(reply({ kind: 'answer', title: 't', summary: 'x'.repeat(4096 - 8) })).messages;
    expect(over).toHaveLength(2);
    for (const html of over) expect(html.length).toBeLessThanOrEqual(TELEGRAM_LIMITS.messageText);
    expect(over.map(visible).join('').replace(/[^x]/g, '')).toHaveLength(4096 - 8);
  });

  it('drops nothing and cuts the giant paragraph only after whole sentences', () => {
    const texts = messages.map(visible);
    const all = texts.join('\n');
    expect(all.match(/This sentence is one of many in a giant paragraph & it has <markup> in it\./g)).toHaveLength(150);
    for (let i = 1; i <= 40; i += 1) expect(all).toContain(`Fact number ${i}:`);
    for (let i = 1; i <= 12; i += 1) expect(all).toContain(`Speaker ${i}`);
    // The first message ends on a sentence end, not mid-word.
    expect(texts[0]).toMatch(/in it\.$/);
  });

  it('keeps a section label with its first line', () => {
    const withLabel = messages.find((m) => m.includes('<b>Forty facts</b>'));
    expect(withLabel).toMatch(/<b>Forty facts<\/b>\n• Fact number 1:/);
  });

  it('measures UTF-16 units: astral characters never split, limit kept', () => {
    const emoji = '😀'.repeat(3000); // 6000 UTF-16 units, no spaces
    const out = renderReply(reply({ kind: 'answer', title: 't', summary: emoji })).messages;
    expect(out.length).toBe(2);
    for (const html of out) {
      expect(html.length).toBeLessThanOrEqual(4096);
      expect(html).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
    expect(out.map(visible).join('').replace(/[^😀]/gu, '')).toBe(emoji);
  });

  it('splits a huge blockquote into several closed blockquotes, attribution on the last', () => {
    const out = renderReply(reply({ kind: 'answer', title: 't', quotes: [{ text: 'word '.repeat(2000), speaker: 'S', cites: [1] }] }), { maxLength: 1000 }).messages;
    expect(out.length).toBeGreaterThan(5);
    for (const html of out) {
      expect(html.length).toBeLessThanOrEqual(1000);
      expect(checkTelegramHtml(html).ok).toBe(true);
    }
    expect(out.at(-1)).toMatch(/<\/blockquote>\n— <i>S<\/i> \[1\]$/);
    expect(out.slice(0, -1).join('')).not.toContain('<i>S</i>');
  });

  it('never cuts inside an entity even when the text is all ampersands', () => {
    const out = renderReply(reply({ kind: 'answer', title: 't', summary: '&'.repeat(3000) })).messages;
    expect(out.length).toBeGreaterThan(1);
    for (const html of out) expect(checkTelegramHtml(html).ok).toBe(true);
    expect(out.map(visible).join('').replace(/[^&]/g, '')).toHaveLength(3000);
  });
});

describe('cutPoint', () => {
  it('prefers a paragraph, then a sentence, then a word boundary', () => {
    expect(cutPoint('First para here.\n\nSecond para is longer', 30)).toBe(18);
    expect(cutPoint('One sentence. Two sentences here', 25)).toBe(14);
    expect(cutPoint('alpha beta gamma delta', 13)).toBe(11);
    expect(cutPoint('abcdefghij', 4)).toBe(4);
  });

  it('counts escaped length: "&" costs five units', () => {
    expect(cutPoint('a&b c', 6)).toBe(2);
  });
});

describe('renderSingleMessage: inline results carry one message', () => {
  it('returns the whole reply when it fits', () => {
    expect(renderSingleMessage(massoud)).toEqual({ html: renderReply(massoud).messages[0], shortened: false });
  });

  it('shortens a long reply to one valid message with a note', () => {
    const long = reply({ kind: 'answer', title: 't', summary: 'Words and more words. '.repeat(500) });
    const single = renderSingleMessage(long);
    expect(single.shortened).toBe(true);
    expect(single.html.length).toBeLessThanOrEqual(4096);
    expect(visible(single.html)).toMatch(/Shortened — ask me in a private chat for the full answer\.$/);
  });
});
