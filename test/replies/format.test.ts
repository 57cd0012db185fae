import { describe, expect, it } from 'vitest';
import { formatDateRef, formatDay, httpUrl, shortenAtWord } from '../../src/replies/format.js';

describe('date formatting', () => {
  it('shows a day', () => expect(formatDay('2021-08-23')).toBe('23 Aug 2021'));
  it.each([
    [{ text: 'Monday (23)', precision: 'day', start: '2021-08-23', end: '2021-08-23' }, '23 Aug 2021'],
    [{ text: 'last week', precision: 'week', start: '2021-08-16', end: '2021-08-22' }, 'week of 16 Aug 2021'],
    [{ text: 'August 2021', precision: 'month', start: '2021-08-01', end: '2021-08-31' }, 'Aug 2021'],
    [{ text: 'in 2001', precision: 'year', start: '2001-01-01', end: '2001-12-31' }, '2001'],
    [{ text: 'in the 1980s', precision: 'decade', start: '1980-01-01', end: '1989-12-31' }, '1980s'],
    [{ text: 'between 1996 and 2001', precision: 'span', start: '1996-01-01', end: '2001-12-31' }, '1996–2001'],
    [{ text: 'at the weekend', precision: 'span', start: '2021-08-21', end: '2021-08-22' }, '21 Aug 2021 – 22 Aug 2021'],
  ] as const)('keeps the precision of %o', (date, text) => {
    expect(formatDateRef(date)).toBe(text);
  });
});

describe('shortening text', () => {
  it('leaves text that fits alone', () => expect(shortenAtWord('Bazarak', 7)).toBe('Bazarak'));
  it('cuts at the last word boundary and marks the cut, within the limit', () => {
    const out = shortenAtWord('Ahmad Massoud — Leader of the National Resistance Front', 24);
    expect(out).toBe('Ahmad Massoud — Leader…');
    expect([...out].length).toBeLessThanOrEqual(24);
  });
  it('cuts inside a word when the only boundary is in the first half', () => expect(shortenAtWord('A Panjshirvalleyresistance', 10)).toBe('A Panjshi…'));
  it('counts code points, so a cut never splits a character', () => expect(shortenAtWord('مسعود'.repeat(5), 6)).toBe('مسعود…'));
});

describe('URLs a renderer may link', () => {
  it('keeps http and https addresses, normalised', () => {
    expect(httpUrl('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(httpUrl('http://example.com')).toBe('http://example.com/');
  });

  it('refuses every other scheme, text that is no URL, and nothing', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'file:///etc/passwd', 'not a url', '']) expect(httpUrl(url), url).toBeUndefined();
    expect(httpUrl(undefined)).toBeUndefined();
  });
});
