import { describe, expect, it } from 'vitest';
import { cleanInput, echo, isTooLong } from '../../src/commands/input.js';

describe('user input cleaning', () => {
  it('removes control characters, bidi overrides and zero-width characters', () => {
    expect(cleanInput('a\u0000b\u0007c\u202Ed\u2066e\u200Bf\uFEFF')).toEqual({ text: 'abcdef', stripped: true });
  });

  it('keeps Dari, Pashto and Arabic letters and emoji', () => {
    expect(cleanInput('  پنجشیر 🦁 ').text).toBe('پنجشیر 🦁');
  });

  it('folds runs of spaces and tabs', () => {
    expect(cleanInput('/who\t\t  ahmad   massoud').text).toBe('/who ahmad massoud');
  });

  it('counts length in characters, not UTF-16 units', () => {
    expect(isTooLong('🦁'.repeat(500))).toBe(false);
    expect(isTooLong('a'.repeat(501))).toBe(true);
  });

  it('echoes long text cut at a word boundary', () => {
    expect(echo('the quick brown fox jumps over the lazy dog', 20)).toBe('the quick brown fox…');
    expect(echo('short')).toBe('short');
    expect(echo('multi\nline')).toBe('multi line');
  });
});
