import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS, KIND_COLOURS, pageMessage, renderReply, type RenderedReply } from '../../../src/adapters/discord/render.js';
import { reply, type Reply } from '../../../src/replies/reply.js';
import { messageProblems } from '../../fakes/discord-limits.js';

/** Every page as the message that would be sent, with a "More" button where a next page exists. */
function messages(rendered: RenderedReply) {
  return rendered.pages.map((_, i) => pageMessage(rendered, i, i + 1 < rendered.pages.length ? `more:key:${i + 1}` : undefined));
}

/** All visible text of every page, for "nothing was dropped" checks. */
function allText(rendered: RenderedReply): string {
  return rendered.pages
    .map((p) => [p.title, p.description, ...(p.fields ?? []).flatMap((f) => [f.name, f.value])].join('\n'))
    .join('\n')
    .replace(/…/g, '');
}

const hugeReply: Reply = reply({
  kind: 'answer',
  title: `T${'itle words '.repeat(40)}`,
  summary: 'The summary sentence is quite long. '.repeat(150),
  summaryCites: [1],
  sections: [
    { label: 'One huge section', lines: [{ text: 'This sentence is one of many in a giant paragraph. '.repeat(200), cites: [1] }] },
    { label: 'Forty lines', lines: Array.from({ length: 40 }, (_, i) => ({ text: `Fact number ${i + 1}: ${'detail '.repeat(20)}`, cites: [(i % 3) + 1], note: i === 0 ? 'disputed' : undefined })) },
    { label: 'L'.repeat(400), lines: [{ text: 'A label far over 256 characters.', cites: [] }] },
  ],
  quotes: Array.from({ length: 30 }, (_, i) => ({ text: `Quote ${i + 1} ${'words '.repeat(30)}`, speaker: `Speaker ${i + 1}`, date: '22 Aug 2021', cites: [2] })),
  citations: [
    { outlet: 'Reuters', headline: 'First', date: '2021-08-22', url: 'https://example.org/1' },
    { outlet: 'BBC', headline: 'Second', date: '2021-08-23', url: 'https://example.org/2' },
    { outlet: 'AP', headline: 'Third', date: '2021-08-24' },
  ],
  actions: [{ label: 'More quotes', command: '/quote everyone' }],
});

describe('renderReply: within every Discord limit', () => {
  const rendered = renderReply(hugeReply, { storyName: 'Panjshir Valley resistance, 2021' });

  it('splits a reply far beyond one message into pages that each respect every limit', () => {
    expect(rendered.pages.length).toBeGreaterThan(1);
    for (const message of messages(rendered)) {
      expect(messageProblems(message)).toEqual([]);
      const [embed] = message.embeds;
      expect(embed?.title?.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
      expect(embed?.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.description);
      expect(embed?.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    }
  });

  it('drops nothing: every fact, quote and sentence appears on some page', () => {
    const text = allText(rendered);
    for (let i = 1; i <= 40; i += 1) expect(text).toContain(`Fact number ${i}:`);
    for (let i = 1; i <= 30; i += 1) expect(text).toContain(`Quote ${i} `);
    const sentences = text.match(/This sentence is one of many in a giant paragraph\./g) ?? [];
    expect(sentences.length).toBe(200);
  });

  it('cuts long text on sentence or word boundaries, never mid-word', () => {
    for (const page of rendered.pages) {
      for (const field of page.fields ?? []) {
        for (const line of field.value.split('\n')) {
          // A cut is either at a sentence end or marked with "…" after a whole word.
          if (line.endsWith('…')) expect(line).toMatch(/\S…$/);
          expect(line).not.toMatch(/\bdetai…|\bsente…/);
        }
      }
    }
    expect(rendered.pages[0]?.title).toMatch(/^Title words .*…$/);
    expect(rendered.pages[0]?.title).not.toMatch(/wor…$|titl…$/);
  });

  it('puts a "More" button first on every page but the last, and keeps the reply’s buttons', () => {
    const all = messages(rendered);
    all.slice(0, -1).forEach((message, i) => {
      const first = message.components[0]?.components[0];
      expect(first).toMatchObject({ label: 'More', custom_id: `more:key:${i + 1}` });
    });
    expect(all.at(-1)?.components.flatMap((r) => r.components).map((b) => b.label)).toEqual(['More quotes']);
  });

  it('numbers the footer pages and names the story', () => {
    expect(rendered.pages[0]?.footer?.text).toBe(`Panjshir Valley resistance, 2021 · page 1/${rendered.pages.length}`);
  });

  it('lists on each page the sources its lines cite, with links when there is a URL', () => {
    for (const page of rendered.pages) {
      const cited = new Set(
        (page.fields ?? [])
          .filter((f) => !f.name.startsWith('Sources'))
          .flatMap((f) => [...f.value.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]))),
      );
      if (page.description?.includes('[1]')) cited.add(1);
      const sources = (page.fields ?? []).filter((f) => f.name.startsWith('Sources')).map((f) => f.value).join('\n');
      for (const n of cited) expect(sources).toContain(`**${n}.**`);
    }
    const sources = rendered.pages.flatMap((p) => p.fields ?? []).find((f) => f.name === 'Sources');
    expect(sources?.value).toContain('**1.** [Reuters: First](https://example.org/1) · 2021-08-22');
  });

  it('links a line to its url (the /sources list) as a markdown link, and only http(s) ones', () => {
    const linked = renderReply(
      reply({
        kind: 'answer',
        title: 't',
        sections: [{ label: 'Articles', lines: [{ text: 'Reuters — [A] *B*', cites: [], note: '3 facts', url: 'https://example.org/a_(1)' }, { text: 'Bad', cites: [], url: 'javascript:alert(1)' }] }],
      }),
    );
    const field = linked.pages[0]?.fields?.find((f) => f.name === 'Articles');
    expect(field?.value).toBe('• [Reuters — (A) \\*B\\*](https://example.org/a_%281%29) — *3 facts*\n• Bad');
    expect(messageProblems(pageMessage(linked, 0))).toEqual([]);
  });

  it('shortens a field name over 256 characters', () => {
    const names = rendered.pages.flatMap((p) => p.fields ?? []).map((f) => f.name);
    expect(names.some((n) => n.startsWith('LLLL'))).toBe(true);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(256);
  });
});

describe('renderReply: each embed limit on its own', () => {
  const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
  const fieldsSize = (page: APIEmbed) => (page.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0);
  const embedSize = (page: APIEmbed) => (page.title ?? '').length + (page.description ?? '').length + (page.footer?.text ?? '').length + fieldsSize(page);
  const sections = (count: number, lineWords: number) =>
    Array.from({ length: count }, (_, i) => ({ label: `Section ${i + 1}`, lines: [{ text: `Start of ${i + 1} ${words(lineWords)}`, cites: [] }] }));

  it.each([
    {
      limit: 'a title of 256',
      reply: reply({ kind: 'answer', title: words(60) }),
      raw: words(60).length,
      max: DISCORD_LIMITS.title,
      measure: (page: APIEmbed) => (page.title ?? '').length,
      kept: 'word0 ',
    },
    {
      limit: 'a description of 4096 (the rest of the summary in fields)',
      reply: reply({ kind: 'answer', title: 'x', summary: words(700) }),
      raw: words(700).length,
      max: DISCORD_LIMITS.description,
      measure: (page: APIEmbed) => (page.description ?? '').length,
      kept: 'word699',
    },
    {
      limit: 'a field value of 1024 (a long line continued in further fields)',
      reply: reply({ kind: 'answer', title: 'x', sections: [{ label: 'Key facts', lines: [{ text: words(400), cites: [] }] }] }),
      raw: words(400).length,
      max: DISCORD_LIMITS.fieldValue,
      measure: (page: APIEmbed) => Math.max(0, ...(page.fields ?? []).map((f) => f.value.length)),
      kept: 'word399',
    },
    {
      limit: 'a field name of 256',
      reply: reply({ kind: 'answer', title: 'x', sections: [{ label: words(60), lines: [{ text: 'A line.', cites: [] }] }] }),
      raw: words(60).length,
      max: DISCORD_LIMITS.fieldName,
      measure: (page: APIEmbed) => Math.max(0, ...(page.fields ?? []).map((f) => f.name.length)),
      kept: 'A line.',
    },
    {
      limit: '25 fields (the rest on further pages)',
      reply: reply({ kind: 'answer', title: 'x', sections: sections(40, 3) }),
      raw: 40,
      max: DISCORD_LIMITS.fields,
      measure: (page: APIEmbed) => (page.fields ?? []).length,
      kept: 'Start of 40 ',
    },
    {
      limit: '6000 characters in an embed (the rest on further pages)',
      reply: reply({ kind: 'answer', title: 'x', sections: sections(10, 110) }),
      raw: 10 * words(110).length,
      max: DISCORD_LIMITS.embedTotal,
      measure: embedSize,
      kept: 'Start of 10 ',
    },
    {
      limit: 'a footer of 2048',
      reply: reply({ kind: 'answer', title: 'x' }),
      options: { storyName: words(400) },
      raw: words(400).length,
      max: DISCORD_LIMITS.footer,
      measure: (page: APIEmbed) => (page.footer?.text ?? '').length,
      kept: 'word0 ',
    },
  ])('keeps within $limit, losing nothing else', ({ reply: answer, options, raw, max, measure, kept }) => {
    expect(raw).toBeGreaterThan(max); // the case really is over its limit
    const rendered = renderReply(answer, options);
    for (const page of rendered.pages) expect(measure(page)).toBeLessThanOrEqual(max);
    for (const message of messages(rendered)) expect(messageProblems(message)).toEqual([]);
    expect(JSON.stringify(rendered.pages)).toContain(kept);
  });
});

describe('renderReply: shape and safety', () => {
  it('renders an answer as one embed: title, summary, a field per section and quote, sources', () => {
    const rendered = renderReply(
      reply({
        kind: 'answer',
        title: 'Ahmad Massoud',
        summary: 'Leader of the National Resistance Front.',
        summaryCites: [1],
        sections: [{ label: 'Key facts', lines: [{ text: 'He studied at King’s College London.', cites: [2], note: 'reported by 2 sources' }] }],
        quotes: [{ text: 'We will not surrender.', speaker: 'Ahmad Massoud', date: '22 Aug 2021', how: 'told Reuters', cites: [1] }],
        citations: [
          { outlet: 'Reuters', headline: 'Resistance holds out', date: '2021-08-22', url: 'https://www.reuters.com/x' },
          { outlet: 'BBC', headline: 'Who is he?', date: '2021-08-23' },
        ],
      }),
      { storyName: 'Panjshir 2021' },
    );
    expect(rendered.pages).toHaveLength(1);
    expect(rendered.pages[0]).toEqual({
      title: 'Ahmad Massoud',
      description: 'Leader of the National Resistance Front. [1]',
      color: KIND_COLOURS.answer,
      fields: [
        { name: 'Key facts', value: '• He studied at King’s College London. [2] — *reported by 2 sources*' },
        { name: 'Ahmad Massoud, 22 Aug 2021', value: '“We will not surrender.” — told Reuters [1]' },
        { name: 'Sources', value: '**1.** [Reuters: Resistance holds out](https://www.reuters.com/x) · 2021-08-22\n**2.** BBC: Who is he? · 2021-08-23' },
      ],
      footer: { text: 'Panjshir 2021' },
    });
    expect(rendered.ephemeral).toBe(false);
  });

  it('colours by kind and marks private replies ephemeral', () => {
    const error = renderReply(reply({ kind: 'error', title: 'Only moderators can do that.', private: true }));
    expect(error.pages[0]?.color).toBe(KIND_COLOURS.error);
    expect(error.ephemeral).toBe(true);
    expect(KIND_COLOURS.error).not.toBe(KIND_COLOURS.answer);
  });

  it('escapes markdown and mentions in text from users and articles', () => {
    const rendered = renderReply(
      reply({
        kind: 'answer',
        title: '**bold** @everyone',
        summary: 'Ping <@&123456789> and <@42> and @here in `code` ||spoiler||',
        sections: [{ label: '# heading', lines: [{ text: '[click](https://evil.example) _x_', cites: [] }] }],
      }),
    );
    const page = rendered.pages[0];
    expect(page?.title).toBe('\\*\\*bold\\*\\* @\u200beveryone');
    expect(page?.description).toContain('<\u200b@&123456789>');
    expect(page?.description).toContain('<\u200b@42>');
    expect(page?.description).toContain('@\u200bhere');
    expect(page?.description).toContain('\\`code\\`');
    expect(page?.description).toContain('\\|\\|spoiler\\|\\|');
    expect(page?.fields?.[0]?.name).toBe('\\# heading');
    // The masked link is escaped, so it shows as text instead of a disguised link.
    expect(page?.fields?.[0]?.value).toBe('• \\[click](https://evil.example) \\_x\\_');
  });

  it('links only http(s) URLs, and keeps a link’s brackets and parentheses from breaking it', () => {
    const rendered = renderReply(
      reply({
        kind: 'answer',
        title: 'Sources',
        citations: [
          { outlet: 'Out[let]', headline: 'A (headline)', date: '2021-08-22', url: 'https://example.org/a_(b)' },
          { outlet: 'Evil', headline: 'Script', date: '2021-08-22', url: 'javascript:alert(1)' },
        ],
      }),
    );
    const value = rendered.pages[0]?.fields?.[0]?.value ?? '';
    expect(value).toContain('](https://example.org/a_%28b%29)');
    expect(value).not.toContain('javascript:');
    expect(value).toContain('**2.** Evil: Script');
  });

  it('makes one button per distinct command, at most 25, with labels ≤ 80 and custom ids ≤ 100', () => {
    const actions = Array.from({ length: 40 }, (_, i) => ({ label: `Option ${i} ${'x'.repeat(100)}`, command: `/who id:person-${i}` }));
    const rendered = renderReply(reply({ kind: 'not-found', title: 'Which one?', suggestions: [actions[0]!, actions[0]!], actions }));
    expect(rendered.buttons).toHaveLength(25);
    expect(new Set(rendered.buttons.map((b) => b.custom_id)).size).toBe(25);
    const message = pageMessage(rendered, 0, 'more:k:1');
    expect(messageProblems(message)).toEqual([]);
    expect(message.components).toHaveLength(5);
    expect(message.components.flatMap((r) => r.components)).toHaveLength(25);
  });

  it('skips an action whose command cannot be a custom id', () => {
    const rendered = renderReply(reply({ kind: 'answer', title: 'x', actions: [{ label: 'Too long', command: `/search ${'w'.repeat(120)}` }, { label: 'Fine', command: '/help' }] }));
    expect(rendered.buttons.map((b) => b.custom_id)).toEqual(['/help']);
  });

  it('keeps text with right-to-left letters and emoji intact and never splits a surrogate pair', () => {
    const text = `احمد مسعود 🦁 ${'🦁'.repeat(3000)}`;
    const rendered = renderReply(reply({ kind: 'answer', title: 'RTL', sections: [{ label: 'پنجشیر', lines: [{ text, cites: [] }] }] }));
    for (const field of rendered.pages.flatMap((p) => p.fields ?? [])) {
      expect(field.value).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    }
    expect(rendered.pages[0]?.fields?.[0]?.name).toBe('پنجشیر');
    expect(rendered.pages[0]?.fields?.[0]?.value).toContain('احمد مسعود');
  });

  it('renders a title-only notice as a bare embed', () => {
    const rendered = renderReply(reply({ kind: 'notice', title: 'Subscribed.' }));
    expect(rendered.pages).toEqual([{ title: 'Subscribed.', color: KIND_COLOURS.notice }]);
    expect(pageMessage(rendered, 0).components).toEqual([]);
  });
});
