/**
 * The article text with its cited spans: nested spans nest, crossing spans are cut in pieces
 * (the first with the id, the rest naming it), blocks cover every non-blank character, and
 * everything in between is escaped.
 */
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import type { Source } from '../../src/knowledge/model.js';
import type { CitedSpan } from '../../src/web/dossier-index.js';
import { blockHtml, textBlocks } from '../../src/web/pages/source-text.js';

function source(raw: string, body: Array<[number, number]>, removed: Array<[number, number]> = []): Source {
  const span = ([start, end]: [number, number]) => ({ sourceId: 's', start, end, text: raw.slice(start, end) });
  return { id: 's', outlet: 'O', headline: 'H', published: '2021-08-23', language: 'en', raw, body: body.map(span), removed: removed.map((r) => ({ ...span(r), reason: 'advert' })) };
}

function spans(...ranges: Array<[number, number]>): CitedSpan[] {
  return ranges.map(([start, end]) => ({ start, end, items: [] })).sort((a, b) => a.start - b.start || b.end - a.end);
}

describe('cited spans in an article', () => {
  const raw = 'Alpha <b>beta</b> gamma delta epsilon.';
  const s = source(raw, [[0, raw.length]]);
  const [block] = textBlocks(s);

  it('nests a span inside another and escapes the text around and inside them', () => {
    const out = blockHtml(s, block!, spans([0, 22], [6, 17])).value;
    const { document } = parseHTML(`<p>${out}</p>`);
    expect(document.getElementById('c-0-22')?.textContent).toBe(raw.slice(0, 22));
    expect(document.getElementById('c-6-17')?.parentElement?.id).toBe('c-0-22');
    expect(document.querySelectorAll('b').length).toBe(0);
    expect(document.querySelector('p')?.textContent).toBe(raw);
  });

  it('cuts a span that crosses another one\'s end: the pieces spell it, the first carries the id', () => {
    const out = blockHtml(s, block!, spans([0, 12], [6, 28])).value;
    const { document } = parseHTML(`<p>${out}</p>`);
    const pieces = [document.getElementById('c-6-28'), ...document.querySelectorAll('[data-c="c-6-28"]')];
    expect(pieces.length).toBe(2);
    expect(pieces.map((p) => p?.textContent).join('')).toBe(raw.slice(6, 28));
    expect(document.getElementById('c-0-12')?.textContent).toBe(raw.slice(0, 12));
    expect(document.querySelector('p')?.textContent).toBe(raw);
  });

  it('covers the text between kept and removed paragraphs, so no cited span is left without a place', () => {
    const text = 'Kept one.\n\nStray caption\n\nAdvert here\n\nKept two.';
    const blocks = textBlocks(source(text, [[0, 9], [39, 48]], [[26, 37]]));
    expect(blocks.map((b) => [b.kind, text.slice(b.start, b.end).trim()])).toEqual([
      ['body', 'Kept one.'],
      ['other', 'Stray caption'],
      ['furniture', 'Advert here'],
      ['body', 'Kept two.'],
    ]);
  });
});
