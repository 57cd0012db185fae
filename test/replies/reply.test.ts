import { describe, expect, it } from 'vitest';
import { REPLY_LIMITS, reply } from '../../src/replies/reply.js';

describe('building a reply', () => {
  it('fills every collection a command leaves out', () => {
    expect(reply({ kind: 'notice', title: 'Subscribed.' })).toEqual({
      kind: 'notice',
      title: 'Subscribed.',
      sections: [],
      quotes: [],
      citations: [],
      suggestions: [],
      actions: [],
    });
  });

  it('keeps buttons up to 64 bytes and leaves out longer ones, counting bytes, not characters', () => {
    const fits = { label: 'fits', command: `/who ${'x'.repeat(REPLY_LIMITS.actionCommandBytes - 5)}` };
    const tooLong = { label: 'too long', command: `${fits.command}x` };
    // 31 two-byte letters: 62 characters of text, but 5 + 62 bytes.
    const dari = { label: 'dari', command: `/who ${'ب'.repeat(31)}` };
    expect(Buffer.byteLength(fits.command)).toBe(64);
    const r = reply({ kind: 'answer', title: 't', actions: [fits, tooLong, dari], suggestions: [tooLong, fits] });
    expect(r.actions).toEqual([fits]);
    expect(r.suggestions).toEqual([fits]);
  });
});
