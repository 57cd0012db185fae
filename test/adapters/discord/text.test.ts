import { describe, expect, it } from 'vitest';
import { chunkEscaped, escapeDiscordText, shorten, splitText } from '../../../src/adapters/discord/text.js';

describe('splitText, chunkEscaped and shorten', () => {
  it('cuts at the last sentence end in the second half of the window', () => {
    expect(splitText('One two three. Four five six seven.', 20)).toEqual({ head: 'One two three.', rest: 'Four five six seven.' });
  });

  it('cuts at a space and marks the cut with "…" when no sentence ends in reach', () => {
    const { head, rest } = splitText('alpha beta gamma delta epsilon', 14);
    expect(head).toBe('alpha beta…');
    expect(rest).toBe('…gamma delta epsilon');
  });

  it('cuts one giant word hard, without splitting a surrogate pair', () => {
    const { head } = splitText('🦁'.repeat(10), 6);
    expect(head.length).toBeLessThanOrEqual(6);
    expect(head).toMatch(/^(🦁)+…$/u);
  });

  it('chunks any text into pieces within the limit, losing no words', () => {
    const text = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    const chunks = chunkEscaped(text, 100);
    expect(chunks.every((c) => c.length <= 100)).toBe(true);
    expect(chunks.join(' ').replace(/…/g, '').split(/\s+/)).toEqual(text.split(' '));
  });

  it('shortens to a whole word', () => {
    expect(shorten('Ahmad Massoud, leader of the resistance', 20)).toBe('Ahmad Massoud,…');
    expect(shorten('short', 20)).toBe('short');
  });
});

describe('escaping', () => {
  it('neutralises mass mentions and user, role and channel mentions', () => {
    expect(escapeDiscordText('@everyone @here <@1> <@&2> <#3>')).toBe('@\u200beveryone @\u200bhere <\u200b@1> <\u200b@&2> <\u200b#3>');
  });

  it('keeps escaped pieces within the limit and never ends a piece on a lone backslash', () => {
    const pieces = chunkEscaped('**'.repeat(600), 100);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(100);
      expect(piece).not.toMatch(/(^|[^\\])(\\\\)*\\$/);
    }
    expect(pieces.join('').replace(/[\\…]/g, '')).toBe('**'.repeat(600));
  });
});
